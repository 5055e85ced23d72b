package cn.onenet.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Where the k8s module lives, and the overlays rendered once per test run. */
final class K8sDir {

    private static final Map<Path, List<Manifest>> RENDERED = new ConcurrentHashMap<>();

    private K8sDir() {
    }

    static Path root() {
        Path dir = Path.of(System.getProperty("k8s.dir", "."));
        if (!Files.isRegularFile(dir.resolve("base/kustomization.yaml"))) {
            throw new IllegalStateException("k8s.dir " + dir.toAbsolutePath() + " holds no base/kustomization.yaml");
        }
        return dir;
    }

    static List<Manifest> overlay(String name) {
        return rendered(root().resolve("overlays").resolve(name));
    }

    static List<Manifest> variant(String name) {
        return rendered(root().resolve("src/test/resources/variants").resolve(name));
    }

    static List<Manifest> broken(String name) {
        return rendered(root().resolve("src/test/resources/broken").resolve(name));
    }

    static List<Manifest> rendered(Path dir) {
        return RENDERED.computeIfAbsent(dir.toAbsolutePath().normalize(), Validation::render);
    }

    static Manifest find(List<Manifest> manifests, String kind, String name) {
        return manifests.stream().filter(m -> m.is(kind) && m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name + " rendered"));
    }
}
