package cn.onenet.testsupport;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether the examples an OpenAPI document shows fit the schemas they illustrate. Readers copy examples into their
 * first requests, so an example with a number where the schema says string, an enum value that does not exist, a
 * date that does not parse or a property the schema does not have is a bug in the documentation. Null is accepted
 * anywhere (Java fields are nullable unless validated otherwise).
 */
final class OpenApiExamples {

    private final JsonNode doc;
    private final List<String> problems;

    private OpenApiExamples(JsonNode doc, List<String> problems) {
        this.doc = doc;
        this.problems = problems;
    }

    /** Adds one line per example that does not fit its schema. */
    static void check(JsonNode doc, List<String> problems) {
        OpenApiExamples check = new OpenApiExamples(doc, problems);
        doc.path("components").path("schemas").fields()
                .forEachRemaining(s -> check.schema("schema " + s.getKey(), s.getValue()));
        for (OpenApiDocuments.Listed op : OpenApiDocuments.operations(doc)) {
            String name = op.method() + " " + op.path();
            check.media(name + " request body", op.operation().path("requestBody").path("content")
                    .path("application/json"));
            op.operation().path("responses").fields().forEachRemaining(r -> check.media(name + " " + r.getKey()
                    + " body", r.getValue().path("content").path("application/json")));
            for (JsonNode parameter : op.operation().path("parameters")) {
                if (parameter.has("example")) {
                    check.fits(name + " parameter " + parameter.path("name").asText() + " example",
                            parameter.get("example"), parameter.path("schema"));
                }
            }
        }
    }

    /** Examples on a schema and on its inline parts; references are checked where they are defined. */
    private void schema(String where, JsonNode schema) {
        if (schema.has("example")) {
            fits(where + " example", schema.get("example"), schema);
        }
        if (schema.path("examples").isArray()) { // OpenAPI 3.1 (JSON Schema): a list of examples
            for (JsonNode example : schema.get("examples")) {
                fits(where + " example", example, schema);
            }
        }
        schema.path("properties").fields().forEachRemaining(p -> schema(where + "." + p.getKey(), p.getValue()));
        if (schema.has("items")) {
            schema(where + "[]", schema.get("items"));
        }
        for (JsonNode part : schema.path("allOf")) {
            schema(where, part);
        }
    }

    private void media(String where, JsonNode media) {
        if (media.isMissingNode()) {
            return;
        }
        JsonNode schema = media.path("schema");
        schema(where + " schema", schema);
        if (media.has("example")) {
            fits(where + " example", media.get("example"), schema);
        }
        media.path("examples").fields().forEachRemaining(e -> {
            if (e.getValue().has("value")) {
                fits(where + " example '" + e.getKey() + "'", e.getValue().get("value"), schema);
            }
        });
    }

    private void fits(String where, JsonNode value, JsonNode schema) {
        if (value.isNull() || schema.isMissingNode()) {
            return;
        }
        JsonNode s = OpenApiDocuments.resolve(doc, schema);
        for (JsonNode part : s.path("allOf")) {
            fits(where, value, part);
        }
        if (s.has("enum") && !contains(s.get("enum"), value)) {
            problems.add(where + ": " + value + " is not one of " + s.get("enum"));
            return;
        }
        String type = type(s);
        switch (type) {
            case "string" -> string(where, value, s.path("format").asText(""));
            case "integer" -> expect(where, value, value.isIntegralNumber(), "an integer");
            case "number" -> expect(where, value, value.isNumber(), "a number");
            case "boolean" -> expect(where, value, value.isBoolean(), "true or false");
            case "array" -> {
                if (expect(where, value, value.isArray(), "an array")) {
                    int i = 0;
                    for (JsonNode item : value) {
                        fits(where + "[" + i++ + "]", item, s.path("items"));
                    }
                }
            }
            default -> {
                if ("object".equals(type) || s.has("properties")) {
                    object(where, value, s);
                }
            }
        }
    }

    private void object(String where, JsonNode value, JsonNode s) {
        if (!expect(where, value, value.isObject(), "an object")) {
            return;
        }
        JsonNode properties = s.path("properties");
        JsonNode additional = s.path("additionalProperties");
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (properties.has(field.getKey())) {
                fits(where + "." + field.getKey(), field.getValue(), properties.get(field.getKey()));
            } else if (additional.isObject()) {
                fits(where + "." + field.getKey(), field.getValue(), additional);
            } else if (properties.size() > 0 && !additional.asBoolean(false)) {
                problems.add(where + ": has property '" + field.getKey() + "' the schema does not define");
            }
        }
    }

    private void string(String where, JsonNode value, String format) {
        if (!expect(where, value, value.isTextual(), "a string")) {
            return;
        }
        try {
            switch (format) {
                case "date" -> LocalDate.parse(value.asText());
                case "date-time" -> OffsetDateTime.parse(value.asText());
                default -> {
                }
            }
        } catch (DateTimeParseException e) {
            problems.add(where + ": " + value + " is not a " + format);
        }
    }

    private boolean expect(String where, JsonNode value, boolean ok, String what) {
        if (!ok) {
            problems.add(where + ": " + value + " is not " + what);
        }
        return ok;
    }

    /** The schema's type; OpenAPI 3.1 may list several, one of them "null". */
    private static String type(JsonNode s) {
        JsonNode type = s.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "";
        }
        return type.asText("");
    }

    private static boolean contains(JsonNode values, JsonNode value) {
        for (JsonNode v : values) {
            if (v.equals(value) || v.asText().equals(value.asText()) && v.isTextual() == value.isTextual()) {
                return true;
            }
        }
        return false;
    }
}
