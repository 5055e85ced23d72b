package cn.onenet.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The suite's deployment rules, checked on rendered objects. Each violation names the object and the fix.
 * <ul>
 * <li>every workload (Deployment, StatefulSet): liveness, readiness and startup probes (a Quarkus service's on
 * /q/health/live and /q/health/ready), CPU and memory requests and limits, non-root, read-only root filesystem,
 * no privilege escalation, all capabilities dropped, seccomp RuntimeDefault, a pinned image (a tag other than
 * "latest", or a digest);</li>
 * <li>no Secret carries data (secrets are created in the cluster, never committed), and no ConfigMap entry or
 * literal environment variable looks like a secret;</li>
 * <li>every Service is reachable through the NetworkPolicies (some allowed flow ends at its pods);</li>
 * <li>every HorizontalPodAutoscaler scales a rendered workload that requests CPU; every PodDisruptionBudget selects
 * pods of this deployment;</li>
 * <li>data stays in mainland China (R22, 个人信息保护法 Art. 36): every URL in a ConfigMap, a literal environment
 * variable or a CloudNativePG Cluster (backups) names a host inside the cluster, the suite's public host, or a host
 * the operator has declared on the Namespace as hosted in mainland China ({@value #RESIDENCY_ANNOTATION}).</li>
 * </ul>
 */
public final class PolicyChecker {

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|private[_-]?key"
            + "|credentials?|api[_-]?key|hash[_-]?key)$");

    /** Namespace annotation: the hosts outside the cluster the operator has checked are hosted in mainland China. */
    public static final String RESIDENCY_ANNOTATION = "onenet.cn/hosts-in-mainland-china";

    private static final Pattern URL_HOST = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*)://(?:[^@/\\s]*@)?"
            + "(\\[[^]]+]|[^/:?#\\s,;\"']+)");

    public List<String> check(List<Manifest> manifests) {
        List<String> problems = new ArrayList<>();
        residency(manifests, problems);
        NetworkGraph graph = new NetworkGraph(manifests);
        for (Manifest m : manifests) {
            if (m.is("Deployment") || m.is("StatefulSet")) {
                workload(m, problems);
            } else if (m.is("Secret")) {
                if (m.body().get("data") != null || m.body().get("stringData") != null) {
                    problems.add(m.id() + " carries data: Secrets are created in the cluster (README.md, \"Secrets\"),"
                            + " never committed");
                }
            } else if (m.is("ConfigMap")) {
                Map<String, Object> data = Yaml.map(m.body().get("data"));
                if (data != null) {
                    data.keySet().stream().filter(k -> SECRET_NAME.matcher(k).matches()).forEach(k -> problems.add(
                            m.id() + " entry " + k + " looks like a secret: put it in a Secret"));
                }
            } else if (m.is("HorizontalPodAutoscaler")) {
                String target = String.valueOf(m.at("spec.scaleTargetRef.name"));
                Manifest workload = manifests.stream()
                        .filter(w -> w.kind().equals(m.at("spec.scaleTargetRef.kind")) && w.name().equals(target))
                        .findFirst().orElse(null);
                if (workload == null) {
                    problems.add(m.id() + " scales " + m.at("spec.scaleTargetRef.kind") + "/" + target
                            + ", which is not rendered");
                } else if (workload.allContainers().stream()
                        .anyMatch(c -> Yaml.at(c, "resources.requests.cpu") == null)) {
                    problems.add(m.id() + " scales on CPU but " + workload.id() + " requests no CPU");
                }
            } else if (m.is("PodDisruptionBudget")) {
                Map<String, Object> selector = Yaml.map(m.at("spec.selector"));
                boolean selects = manifests.stream().filter(w -> w.podSpec() != null).anyMatch(w -> NetworkGraph
                        .selects(selector, Yaml.labels(w.at("spec.template.metadata.labels"))));
                if (selector == null || !selects) {
                    problems.add(m.id() + " selects no pod of this deployment");
                }
            } else if (m.is("Service")) {
                Map<String, String> selector = Yaml.labels(m.at("spec.selector"));
                if (selector.isEmpty() || graph.edgesInto(selector).isEmpty()) {
                    problems.add(m.id() + " has no NetworkPolicy path: no allowed flow reaches the pods it selects "
                            + selector);
                }
            }
        }
        return problems;
    }

    /**
     * Where the settings send data. Personal information handled by state organs is stored in mainland China
     * (个人信息保护法 Art. 36): a log sink, trace collector, backup store or database outside the cluster must be
     * declared, host by host, once its operator has checked where it is hosted.
     */
    private static void residency(List<Manifest> manifests, List<String> problems) {
        Set<String> declared = new TreeSet<>();
        Set<String> publicHosts = new TreeSet<>();
        for (Manifest m : manifests) {
            if (m.is("Namespace")) {
                Object listed = Yaml.labels(m.at("metadata.annotations")).get(RESIDENCY_ANNOTATION);
                if (listed != null) {
                    for (String host : String.valueOf(listed).split(",")) {
                        if (!host.isBlank()) {
                            declared.add(host.trim().toLowerCase(Locale.ROOT));
                        }
                    }
                }
            } else if (m.is("Ingress")) {
                Yaml.maps(m.at("spec.rules")).forEach(rule -> publicHosts.add(String.valueOf(rule.get("host"))));
            } else if (m.is("HTTPRoute") && m.at("spec.hostnames") instanceof List<?> names) {
                names.forEach(name -> publicHosts.add(String.valueOf(name)));
            }
        }
        for (Manifest m : manifests) {
            Map<String, String> settings = new java.util.TreeMap<>();
            if (m.is("ConfigMap")) {
                settings.putAll(Yaml.labels(m.body().get("data")));
            } else if (m.is("Cluster")) {
                strings("spec", m.at("spec"), settings);
            } else if (m.podSpec() != null) {
                for (Map<String, Object> container : m.allContainers()) {
                    for (Map<String, Object> env : Yaml.maps(container.get("env"))) {
                        if (env.get("value") != null) {
                            settings.put(container.get("name") + " env " + env.get("name"), String.valueOf(env.get("value")));
                        }
                    }
                }
            }
            settings.forEach((key, value) -> {
                var urls = URL_HOST.matcher(value);
                while (urls.find()) {
                    String host = urls.group(2).toLowerCase(Locale.ROOT);
                    // an object store's bucket (s3://, gs://) is never a cluster service, whatever its name
                    boolean bucket = urls.group(1).equalsIgnoreCase("s3") || urls.group(1).equalsIgnoreCase("gs");
                    if ((bucket || !insideCluster(host)) && !publicHosts.contains(host) && !declared.contains(host)) {
                        problems.add(m.id() + " " + key + " sends data to " + host + ", outside the cluster: personal "
                                + "information stays in mainland China (R22); host it there and list it in the "
                                + "Namespace annotation " + RESIDENCY_ANNOTATION + ", or remove the setting");
                    }
                }
            });
        }
    }

    /** Service names, cluster DNS names and loopback: traffic that never leaves the cluster. */
    static boolean insideCluster(String host) {
        return !host.contains(".") || host.endsWith(".svc") || host.endsWith(".svc.cluster.local")
                || host.endsWith(".cluster.local") || host.equals("127.0.0.1") || host.equals("[::1]");
    }

    private static void strings(String path, Object node, Map<String, String> out) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> strings(path + "." + k, v, out));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                strings(path + "[" + i + "]", list.get(i), out);
            }
        } else if (node instanceof String text) {
            out.put(path, text);
        }
    }

    private static void workload(Manifest m, List<String> problems) {
        Map<String, Object> pod = m.podSpec();
        if (pod == null) {
            problems.add(m.id() + " has no pod template");
            return;
        }
        Map<String, Object> podSecurity = Objects.requireNonNullElse(Yaml.map(pod.get("securityContext")), Map.of());
        boolean quarkus = "quarkus".equals(Yaml.labels(m.at("metadata.labels")).get("app.kubernetes.io/managed-by"));
        List<Map<String, Object>> containers = Yaml.maps(pod.get("containers"));
        if (containers.isEmpty()) {
            problems.add(m.id() + " has no containers");
        }
        for (Map<String, Object> c : containers) {
            String where = m.id() + " container " + c.get("name");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                if (!(c.get(probe) instanceof Map)) {
                    problems.add(where + " has no " + probe);
                }
            }
            if (quarkus) {
                probePath(where, c, "livenessProbe", "/q/health/live", problems);
                probePath(where, c, "readinessProbe", "/q/health/ready", problems);
            }
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (Yaml.at(c, "resources." + kind + "." + resource) == null) {
                        problems.add(where + " has no resources." + kind + "." + resource);
                    }
                }
            }
        }
        for (Map<String, Object> c : m.allContainers()) {
            String where = m.id() + " container " + c.get("name");
            Map<String, Object> sc = Objects.requireNonNullElse(Yaml.map(c.get("securityContext")), Map.of());
            Object nonRoot = sc.containsKey("runAsNonRoot") ? sc.get("runAsNonRoot") : podSecurity.get("runAsNonRoot");
            if (!Boolean.TRUE.equals(nonRoot)) {
                problems.add(where + " may run as root: set securityContext.runAsNonRoot: true");
            }
            Object uid = sc.containsKey("runAsUser") ? sc.get("runAsUser") : podSecurity.get("runAsUser");
            if (uid instanceof Number n && n.longValue() == 0) {
                problems.add(where + " runs as user 0");
            }
            if (!Boolean.TRUE.equals(sc.get("readOnlyRootFilesystem"))) {
                problems.add(where + " needs securityContext.readOnlyRootFilesystem: true");
            }
            if (!Boolean.FALSE.equals(sc.get("allowPrivilegeEscalation"))) {
                problems.add(where + " needs securityContext.allowPrivilegeEscalation: false");
            }
            if (Boolean.TRUE.equals(sc.get("privileged"))) {
                problems.add(where + " is privileged");
            }
            Object drop = Yaml.at(sc, "capabilities.drop");
            if (!(drop instanceof List<?> l && l.contains("ALL"))) {
                problems.add(where + " must drop all capabilities (securityContext.capabilities.drop: [ALL])");
            }
            if (Yaml.at(sc, "capabilities.add") instanceof List<?> added && !added.isEmpty()) {
                problems.add(where + " adds capabilities " + added);
            }
            Object seccomp = sc.containsKey("seccompProfile") ? Yaml.at(sc, "seccompProfile.type")
                    : Yaml.at(podSecurity, "seccompProfile.type");
            if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                problems.add(where + " needs seccompProfile type RuntimeDefault");
            }
            String image = String.valueOf(c.get("image"));
            String pinned = unpinned(image);
            if (pinned != null) {
                problems.add(where + " image " + image + " is not pinned: " + pinned);
            }
            if (c.get("env") instanceof List<?>) {
                for (Map<String, Object> env : Yaml.maps(c.get("env"))) {
                    if (env.containsKey("value") && SECRET_NAME.matcher(String.valueOf(env.get("name"))).matches()) {
                        problems.add(where + " sets " + env.get("name") + " literally: take it from a Secret");
                    }
                }
            }
        }
        if (Boolean.TRUE.equals(pod.get("hostNetwork")) || Boolean.TRUE.equals(pod.get("hostPID"))) {
            problems.add(m.id() + " uses the host's network or process namespace");
        }
    }

    private static void probePath(String where, Map<String, Object> c, String probe, String path, List<String> problems) {
        Object actual = Yaml.at(c, probe + ".httpGet.path");
        if (c.get(probe) instanceof Map && !path.equals(actual)) {
            problems.add(where + " " + probe + " must call " + path + ", not " + actual);
        }
    }

    /** Why an image reference is not pinned, or null when it is (a tag other than "latest", or a digest). */
    static String unpinned(String image) {
        if (image == null || image.isBlank() || "null".equals(image)) {
            return "no image";
        }
        if (image.contains("@sha256:")) {
            return null;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (colon <= slash) {
            return "no tag (means :latest); use a release tag or a digest";
        }
        String tag = image.substring(colon + 1);
        if (tag.equalsIgnoreCase("latest")) {
            return "the :latest tag moves; use a release tag or a digest";
        }
        return null;
    }
}
