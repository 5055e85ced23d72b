package cn.onenet.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The traffic the NetworkPolicies of a rendered overlay allow, as a set of edges "source -> target:port/PROTOCOL".
 *
 * <p>Endpoints are the pods of the rendered workloads (Deployments, StatefulSets, the instances of a CloudNativePG
 * Cluster) plus the parties outside the namespace that the suite talks to or hears from: the ingress controller,
 * a Gateway API data plane, cluster DNS, the CloudNativePG operator, a monitoring namespace, and "outside" (any IP
 * address outside the cluster, the Kubernetes API server included). A flow is allowed as Kubernetes allows it: the
 * source's egress and the target's ingress must both permit it (a side not selected by any policy of that direction
 * permits everything; the parties outside the namespace are not governed by these policies).
 */
public final class NetworkGraph {

    /** A container port. */
    record Port(int number, String name, String protocol) {
    }

    /** A set of pods that behave alike. */
    record Endpoint(String name, String namespace, Map<String, String> namespaceLabels, Map<String, String> labels,
            List<Port> ports, boolean internal, boolean outside) {
    }

    private static final List<Endpoint> EXTERNAL = List.of(
            external("ingress-nginx", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"), 80, 443),
            external("gateway-system", "gateway-system", Map.of("app.kubernetes.io/name", "gateway"), 80, 443),
            new Endpoint("kube-dns", "kube-system", Map.of("kubernetes.io/metadata.name", "kube-system"),
                    Map.of("k8s-app", "kube-dns"),
                    List.of(new Port(53, "dns", "UDP"), new Port(53, "dns-tcp", "TCP")), false, false),
            external("cnpg-operator", "cnpg-system", Map.of("app.kubernetes.io/name", "cloudnative-pg"), 9443),
            external("monitoring", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"), 9090),
            new Endpoint("outside", "", Map.of(), Map.of(),
                    List.of(new Port(53, "", "UDP"), new Port(80, "", "TCP"), new Port(443, "", "TCP"),
                            new Port(5432, "", "TCP"), new Port(6443, "", "TCP"), new Port(8080, "", "TCP")),
                    false, true));

    private final List<Endpoint> endpoints = new ArrayList<>();
    private final List<Map<String, Object>> policies = new ArrayList<>();
    private final String namespace;

    public NetworkGraph(List<Manifest> manifests) {
        this.namespace = manifests.stream().filter(m -> m.is("Namespace")).map(Manifest::name).findFirst()
                .orElse("default");
        Map<String, String> nsLabels = Map.of("kubernetes.io/metadata.name", namespace);
        for (Manifest m : manifests) {
            if (m.is("Deployment") || m.is("StatefulSet")) {
                List<Port> ports = new ArrayList<>();
                for (Map<String, Object> c : m.allContainers()) {
                    for (Map<String, Object> p : Yaml.maps(c.get("ports"))) {
                        ports.add(new Port(((Number) p.get("containerPort")).intValue(),
                                String.valueOf(p.getOrDefault("name", "")),
                                String.valueOf(p.getOrDefault("protocol", "TCP"))));
                    }
                }
                endpoints.add(new Endpoint(m.name(), namespace, nsLabels,
                        Yaml.labels(m.at("spec.template.metadata.labels")), ports, true, false));
            } else if (m.is("Cluster") && m.apiVersion().startsWith("postgresql.cnpg.io/")) {
                Map<String, String> labels = new java.util.TreeMap<>(Yaml.labels(m.at("spec.inheritedMetadata.labels")));
                labels.put("cnpg.io/cluster", m.name());
                endpoints.add(new Endpoint(m.name(), namespace, nsLabels, labels,
                        List.of(new Port(5432, "postgresql", "TCP"), new Port(8000, "status", "TCP"),
                                new Port(9187, "metrics", "TCP")), true, false));
            } else if (m.is("NetworkPolicy")) {
                policies.add(m.body());
            }
        }
        endpoints.addAll(EXTERNAL);
    }

    private static Endpoint external(String name, String ns, Map<String, String> labels, int... ports) {
        List<Port> list = new ArrayList<>();
        for (int p : ports) {
            list.add(new Port(p, "", "TCP"));
        }
        return new Endpoint(name, ns, Map.of("kubernetes.io/metadata.name", ns), labels, list, false, false);
    }

    /** The internal endpoints (pods of this overlay) by name. */
    public Set<String> workloads() {
        Set<String> out = new TreeSet<>();
        endpoints.stream().filter(Endpoint::internal).forEach(e -> out.add(e.name()));
        return out;
    }

    /** Every allowed flow that involves at least one pod of the overlay. */
    public Set<String> edges() {
        Set<String> edges = new TreeSet<>();
        for (Endpoint from : endpoints) {
            for (Endpoint to : endpoints) {
                if (!from.internal() && !to.internal()) {
                    continue;
                }
                for (Port port : to.ports()) {
                    if (allows(from, to, port, "Egress") && allows(to, from, port, "Ingress")) {
                        edges.add(from.name() + " -> " + to.name() + ":" + port.number() + "/" + port.protocol());
                    }
                }
            }
        }
        return edges;
    }

    /** The flows that reach the pods selected by a Service selector. */
    public Set<String> edgesInto(Map<String, String> podSelector) {
        Set<String> names = new TreeSet<>();
        endpoints.stream().filter(e -> e.internal() && matches(podSelector, e.labels())).forEach(e -> names.add(e.name()));
        Set<String> out = new TreeSet<>();
        for (String edge : edges()) {
            String target = edge.substring(edge.indexOf(" -> ") + 4, edge.lastIndexOf(':'));
            if (names.contains(target)) {
                out.add(edge);
            }
        }
        return out;
    }

    /**
     * Whether {@code self}'s policies of the given direction let traffic through to or from {@code peer} on the
     * target port (for Ingress, {@code self} is the target; for Egress, {@code peer} is).
     */
    private boolean allows(Endpoint self, Endpoint peer, Port port, String direction) {
        if (!self.internal()) {
            return true;
        }
        boolean isolated = false;
        for (Map<String, Object> policy : policies) {
            Map<String, Object> spec = Yaml.map(policy.get("spec"));
            if (spec == null || !selects(Yaml.map(spec.get("podSelector")), self.labels())
                    || !policyTypes(spec).contains(direction)) {
                continue;
            }
            isolated = true;
            String rulesKey = direction.equals("Ingress") ? "ingress" : "egress";
            String peersKey = direction.equals("Ingress") ? "from" : "to";
            for (Map<String, Object> rule : Yaml.maps(spec.get(rulesKey))) {
                if (peerMatches(rule.get(peersKey), peer) && portMatches(rule.get("ports"), port)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static Set<String> policyTypes(Map<String, Object> spec) {
        Set<String> types = new TreeSet<>();
        if (spec.get("policyTypes") instanceof List<?> list) {
            list.forEach(t -> types.add(String.valueOf(t)));
        } else {
            types.add("Ingress");
            if (spec.containsKey("egress")) {
                types.add("Egress");
            }
        }
        return types;
    }

    private boolean peerMatches(Object peers, Endpoint peer) {
        List<Map<String, Object>> list = Yaml.maps(peers);
        if (list.isEmpty()) {
            return true; // no "from"/"to": every source or destination
        }
        for (Map<String, Object> p : list) {
            if (p.containsKey("ipBlock")) {
                if (peer.outside()) {
                    return true;
                }
                continue;
            }
            if (peer.outside()) {
                continue;
            }
            Map<String, Object> nsSel = Yaml.map(p.get("namespaceSelector"));
            Map<String, Object> podSel = Yaml.map(p.get("podSelector"));
            boolean nsOk = nsSel == null ? peer.namespace().equals(namespace) : selects(nsSel, peer.namespaceLabels());
            boolean podOk = podSel == null || selects(podSel, peer.labels());
            if (nsOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean portMatches(Object ports, Port port) {
        List<Map<String, Object>> list = Yaml.maps(ports);
        if (list.isEmpty()) {
            return true;
        }
        for (Map<String, Object> p : list) {
            String protocol = String.valueOf(p.getOrDefault("protocol", "TCP"));
            if (!protocol.equals(port.protocol())) {
                continue;
            }
            Object value = p.get("port");
            if (value == null) {
                return true;
            }
            if (value instanceof Number n) {
                int end = p.get("endPort") instanceof Number e ? e.intValue() : n.intValue();
                if (port.number() >= n.intValue() && port.number() <= end) {
                    return true;
                }
            } else if (String.valueOf(value).equals(port.name())) {
                return true;
            }
        }
        return false;
    }

    private static boolean matches(Map<String, String> wanted, Map<String, String> labels) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    /** A LabelSelector (matchLabels and matchExpressions); an empty or absent selector selects everything. */
    static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        if (!matches(Yaml.labels(selector.get("matchLabels")), labels)) {
            return false;
        }
        for (Map<String, Object> expr : Yaml.maps(selector.get("matchExpressions"))) {
            String key = String.valueOf(expr.get("key"));
            List<String> values = expr.get("values") instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                    : List.of();
            boolean ok = switch (String.valueOf(expr.get("operator"))) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
