package cn.onenet.k8s;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with {@code kubectl kustomize} (kubectl bundles kustomize), offline. */
public final class Kustomize {

    private Kustomize() {
    }

    /** Where k8s/install-kubectl.sh puts kubectl. */
    static final Path INSTALLED = Path.of(System.getProperty("user.home"), ".cache/onenet/kubectl-1.35.2/kubectl");

    /**
     * The kubectl to use: $KUBECTL, else the first on PATH, else the one k8s/install-kubectl.sh installed; fails
     * with a clear message when there is none.
     */
    public static Path kubectl() {
        return kubectl(System.getenv(), INSTALLED);
    }

    static Path kubectl(java.util.Map<String, String> env, Path installed) {
        String configured = env.get("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            Path p = Path.of(configured);
            if (Files.isExecutable(p)) {
                return p;
            }
            throw new IllegalStateException("KUBECTL=" + configured + " is not an executable file");
        }
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, "kubectl");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (Files.isExecutable(installed)) {
            return installed;
        }
        throw new IllegalStateException("kubectl not found on PATH, in $KUBECTL or at " + installed + ": the k8s tests "
                + "render the overlays with `kubectl kustomize`. Run k8s/install-kubectl.sh (or install kubectl 1.29 or "
                + "newer, which contains kustomize) and run again.");
    }

    /** The rendered YAML of the kustomization in {@code dir}. */
    public static String render(Path dir) {
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            try {
                Process p = new ProcessBuilder(List.of(kubectl().toString(), "kustomize", dir.toString()))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException("kubectl kustomize " + dir + " did not finish within 60 s");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("kubectl kustomize " + dir + " failed (exit " + p.exitValue()
                            + "): " + Files.readString(err, StandardCharsets.UTF_8).strip());
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run kubectl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + dir, e);
        }
    }
}
