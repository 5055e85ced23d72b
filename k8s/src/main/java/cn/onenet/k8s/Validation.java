package cn.onenet.k8s;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Render a kustomization and check every object: schema first, then the deployment rules. */
public final class Validation {

    private Validation() {
    }

    public static List<String> problems(List<Manifest> manifests) {
        SchemaValidator schema = new SchemaValidator();
        List<String> problems = new ArrayList<>();
        for (Manifest m : manifests) {
            problems.addAll(schema.validate(m));
        }
        problems.addAll(new PolicyChecker().check(manifests));
        return problems;
    }

    public static List<Manifest> render(Path kustomization) {
        return Yaml.manifests(Kustomize.render(kustomization));
    }
}
