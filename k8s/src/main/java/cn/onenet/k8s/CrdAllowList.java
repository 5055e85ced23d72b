package cn.onenet.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A documented allow-list of the fields of a custom resource, for CRDs whose schema is not shipped here.
 * The list is a YAML tree: a map lists the allowed keys, a one-element list describes every item of a list, and a
 * leaf names a type: {@code string}, {@code integer}, {@code boolean}, {@code quantity} (string or number),
 * {@code stringMap} (string keys to scalar values), {@code metadata} (checked as ObjectMeta elsewhere) or
 * {@code any} (not checked further).
 */
public final class CrdAllowList {

    private final Object root;

    private CrdAllowList(Object root) {
        this.root = root;
    }

    public static CrdAllowList load(String resource) {
        try (InputStream in = CrdAllowList.class.getResourceAsStream("/crd-fields/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("missing field list crd-fields/" + resource);
            }
            return new CrdAllowList(Yaml.MAPPER.readValue(in, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every field of {@code value} that the list does not allow, or whose value has the wrong type. */
    public List<String> check(Object value) {
        List<String> problems = new ArrayList<>();
        check("", root, value, problems);
        return problems;
    }

    private static void check(String path, Object schema, Object value, List<String> problems) {
        if (schema instanceof Map<?, ?> fields) {
            if (!(value instanceof Map<?, ?> object)) {
                problems.add("'" + path + "' must be an object");
                return;
            }
            for (Map.Entry<?, ?> e : object.entrySet()) {
                String child = path.isEmpty() ? String.valueOf(e.getKey()) : path + "." + e.getKey();
                if (!fields.containsKey(e.getKey())) {
                    problems.add("unknown field '" + child + "'");
                } else {
                    check(child, fields.get(e.getKey()), e.getValue(), problems);
                }
            }
        } else if (schema instanceof List<?> itemSchema) {
            if (!(value instanceof List<?> items)) {
                problems.add("'" + path + "' must be a list");
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                check(path + "[" + i + "]", itemSchema.get(0), items.get(i), problems);
            }
        } else {
            String type = String.valueOf(schema);
            boolean ok = switch (type) {
                case "string" -> value instanceof String;
                case "integer" -> value instanceof Integer || value instanceof Long;
                case "boolean" -> value instanceof Boolean;
                case "quantity" -> value instanceof String || value instanceof Number;
                case "stringMap" -> value instanceof Map<?, ?> m
                        && m.values().stream().allMatch(v -> v instanceof String || v instanceof Number
                                || v instanceof Boolean);
                case "metadata", "any" -> true;
                default -> throw new IllegalStateException("unknown type '" + type + "' in a field list");
            };
            if (!ok) {
                problems.add("'" + path + "' must be " + type + ", not " + value);
            }
        }
    }
}
