package cn.onenet.k8s;

import java.util.List;
import java.util.Map;

/** One Kubernetes object of a rendered overlay, as parsed from YAML. */
public record Manifest(String apiVersion, String kind, String name, Map<String, Object> body) {

    @SuppressWarnings("unchecked")
    static Manifest of(Map<String, Object> body) {
        Map<String, Object> metadata = body.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return new Manifest(String.valueOf(body.get("apiVersion")), String.valueOf(body.get("kind")),
                String.valueOf(metadata.get("name")), body);
    }

    /** "Kind/name", as messages name an object. */
    public String id() {
        return kind + "/" + name;
    }

    public boolean is(String kind) {
        return this.kind.equals(kind);
    }

    /** The value at a dotted path of map keys, or null. */
    public Object at(String path) {
        return Yaml.at(body, path);
    }

    /** The pod template's spec of a workload (Deployment, StatefulSet), or null. */
    public Map<String, Object> podSpec() {
        return Yaml.map(at("spec.template.spec"));
    }

    /** The containers and init containers of a workload. */
    public List<Map<String, Object>> allContainers() {
        Map<String, Object> pod = podSpec();
        if (pod == null) {
            return List.of();
        }
        List<Map<String, Object>> all = new java.util.ArrayList<>(Yaml.maps(pod.get("containers")));
        all.addAll(Yaml.maps(pod.get("initContainers")));
        return all;
    }
}
