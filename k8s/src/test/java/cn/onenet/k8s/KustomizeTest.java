package cn.onenet.k8s;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without kubectl the tests fail and say what to install; they never skip. */
class KustomizeTest {

    @Test
    void missingKubectlFailsWithAClearMessage(@TempDir Path empty) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Kustomize.kubectl(Map.of("PATH", empty.toString()), empty.resolve("kubectl")));
        assertTrue(e.getMessage().contains("kubectl not found") && e.getMessage().contains("install-kubectl.sh"),
                e.getMessage());
    }

    @Test
    void kubectlSetButNotExecutableIsReported(@TempDir Path empty) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Kustomize.kubectl(Map.of("KUBECTL", empty.resolve("nope").toString()), empty));
        assertTrue(e.getMessage().contains("is not an executable file"), e.getMessage());
    }

    @Test
    void aKustomizationThatDoesNotBuildIsReportedWithKustomizesMessage(@TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Kustomize.render(dir));
        assertTrue(e.getMessage().contains("failed") && e.getMessage().contains("missing.yaml"), e.getMessage());
    }
}
