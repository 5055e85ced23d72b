package cn.onenet.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** README.md documents every setting the overlays give the services and every Secret they expect. */
class ReadmeTest {

    @Test
    void everySettingAndSecretIsDocumented() throws IOException {
        String readme = Files.readString(K8sDir.root().resolve("README.md"));
        Set<String> undocumented = new TreeSet<>();
        for (String overlay : List.of("dev", "prod")) {
            for (Manifest m : K8sDir.overlay(overlay)) {
                if (m.is("ConfigMap") && m.name().matches(".*-config-[a-z0-9]+")) {
                    Yaml.labels(m.at("data")).keySet().forEach(key -> check(readme, "`" + key + "`", undocumented));
                }
                for (Map<String, Object> c : m.allContainers()) {
                    for (Map<String, Object> from : Yaml.maps(c.get("envFrom"))) {
                        Object secret = Yaml.at(from, "secretRef.name");
                        if (secret != null) {
                            check(readme, "`" + secret + "`", undocumented);
                        }
                    }
                    for (Map<String, Object> env : Yaml.maps(c.get("env"))) {
                        Object secret = Yaml.at(env, "valueFrom.secretKeyRef.name");
                        if (secret != null) {
                            check(readme, "`" + secret + "`", undocumented);
                        }
                    }
                }
                for (String path : List.of("spec.bootstrap.initdb.secret.name", "spec.tls")) {
                    if (m.at(path) instanceof String s) {
                        check(readme, "`" + s + "`", undocumented);
                    }
                }
                for (Map<String, Object> role : Yaml.maps(m.at("spec.managed.roles"))) {
                    check(readme, "`" + Yaml.at(role, "passwordSecret.name") + "`", undocumented);
                }
                for (Map<String, Object> tls : Yaml.maps(m.at("spec.tls"))) {
                    check(readme, "`" + tls.get("secretName") + "`", undocumented);
                }
            }
        }
        assertTrue(undocumented.isEmpty(), "k8s/README.md does not mention " + undocumented);
    }

    /**
     * The documented build commands build what the services depend on (-am: a fresh clone has no common module in
     * the local repository), and the tag the README pushes is the one every overlay deploys.
     */
    @Test
    void buildCommandsBuildTheDependenciesAndTheTagsAgree() throws IOException {
        String readme = Files.readString(K8sDir.root().resolve("README.md"));
        String script = Files.readString(K8sDir.root().resolve("regenerate.sh"));
        Matcher builds = Pattern.compile("\\./mvnw(?:[^\\n]*\\\\\\n)*[^\\n]*").matcher(readme + "\n" + script);
        List<String> withoutAm = new ArrayList<>();
        while (builds.find()) {
            String command = builds.group();
            if (command.contains(" -pl ") && command.contains("package") && !command.contains(" -am")) {
                withoutAm.add(command);
            }
        }
        assertTrue(withoutAm.isEmpty(), "build without -am: " + withoutAm);
        Matcher pushed = Pattern.compile("-Dquarkus\\.container-image\\.tag=(\\S+)").matcher(readme);
        assertTrue(pushed.find(), "README.md pushes no tag");
        for (String overlay : List.of("dev", "prod")) {
            for (Manifest m : K8sDir.overlay(overlay)) {
                for (Map<String, Object> c : m.allContainers()) {
                    String image = String.valueOf(c.get("image"));
                    if (image.startsWith("registry.onenet.internal/onenet/")) {
                        assertEquals(pushed.group(1), image.substring(image.lastIndexOf(':') + 1),
                                overlay + " deploys " + image + ", README.md pushes tag " + pushed.group(1));
                    }
                }
            }
        }
    }

    private static void check(String readme, String name, Set<String> undocumented) {
        if (!readme.contains(name)) {
            undocumented.add(name);
        }
    }
}
