package cn.onenet.testsupport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Reading an OpenAPI 3 document: its operations, and schemas behind references. */
final class OpenApiDocuments {

    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    /** One operation: upper-case method, path template, the operation object. */
    record Listed(String method, String path, JsonNode operation) {
    }

    private OpenApiDocuments() {
    }

    static List<Listed> operations(JsonNode doc) {
        List<Listed> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    out.add(new Listed(op.getKey().toUpperCase(), path.getKey(), op.getValue()));
                }
            }
        }
        return out;
    }

    /**
     * Follows {@code $ref} within the document and the single-element {@code allOf} smallrye writes for annotated
     * references; an empty schema for a cycle or an outside reference.
     */
    static JsonNode resolve(JsonNode doc, JsonNode schema) {
        JsonNode s = schema;
        Set<String> seen = new HashSet<>();
        while (true) {
            if (s.has("$ref")) {
                String ref = s.get("$ref").asText();
                if (!seen.add(ref) || !ref.startsWith("#/")) {
                    return JsonNodeFactory.instance.objectNode();
                }
                JsonNode target = doc;
                for (String part : ref.substring(2).split("/")) {
                    target = target.path(part);
                }
                s = target;
            } else if (s.has("allOf") && s.get("allOf").size() == 1) {
                s = s.get("allOf").get(0);
            } else {
                return s;
            }
        }
    }
}
