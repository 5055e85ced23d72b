package cn.onenet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a reader of a service's OpenAPI document needs: every operation says what it does (summary) and documents a
 * success answer; every JSON request body and every JSON success body that is a named schema shows an example —
 * on the schema or on each of its properties (enums, booleans and named schemas that have examples themselves count);
 * and every example fits the schema it illustrates ({@link OpenApiExamples}).
 */
public final class OpenApiDocumentCheck {

    private final JsonNode doc;

    private OpenApiDocumentCheck(JsonNode doc) {
        this.doc = doc;
    }

    public static OpenApiDocumentCheck of(JsonNode document) {
        return new OpenApiDocumentCheck(document);
    }

    /** The document of the application under {@code @QuarkusTest}. */
    public static OpenApiDocumentCheck ofTestApplication() {
        URI uri = URI.create(ConfigProvider.getConfig().getValue("test.url", String.class))
                .resolve("/q/openapi?format=json");
        try {
            // HTTP/1.1: the JDK client's h2c upgrade on a plain-http port now and then ends in a frame error
            HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new IllegalStateException("no OpenAPI document at " + uri + ": " + response.statusCode());
            }
            return of(new ObjectMapper().readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** One line per gap; empty when the document is complete. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (OpenApiDocuments.Listed op : OpenApiDocuments.operations(doc)) {
            check(op.method() + " " + op.path(), op.operation(), problems);
        }
        OpenApiExamples.check(doc, problems);
        return problems;
    }

    /** Fails with every gap, one per line. */
    public void assertComplete() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " gaps in the OpenAPI document:\n" + String.join("\n", problems));
        }
    }

    private void check(String name, JsonNode op, List<String> problems) {
        if (op.path("summary").asText("").isBlank()) {
            problems.add(name + ": no summary");
        }
        JsonNode body = op.path("requestBody").path("content").path("application/json");
        if (!body.isMissingNode() && !hasExample(body) && !exemplified(body.path("schema"), new HashSet<>())) {
            problems.add(name + ": request body without an example" + missing(body.path("schema")));
        }
        boolean success = false;
        for (Iterator<Map.Entry<String, JsonNode>> responses = op.path("responses").fields(); responses.hasNext();) {
            Map.Entry<String, JsonNode> response = responses.next();
            if (!response.getKey().startsWith("2")) {
                continue;
            }
            success = true;
            JsonNode content = response.getValue().path("content").path("application/json");
            JsonNode schema = content.path("schema");
            JsonNode named = schema.has("items") ? schema.get("items") : schema;
            if (named.has("$ref") && !hasExample(content) && !exemplified(schema, new HashSet<>())) {
                problems.add(name + ": " + response.getKey() + " body without an example" + missing(schema));
            }
        }
        if (!success) {
            problems.add(name + ": no success response documented");
        }
    }

    private static boolean hasExample(JsonNode node) {
        return node.has("example") || node.has("examples");
    }

    private String missing(JsonNode schema) {
        JsonNode s = resolve(schema);
        List<String> without = new ArrayList<>();
        s.path("properties").fields().forEachRemaining(p -> {
            if (!exemplified(p.getValue(), new HashSet<>())) {
                without.add(p.getKey());
            }
        });
        return without.isEmpty() ? "" : " (" + schemaName(schema) + ": " + String.join(", ", without) + ")";
    }

    private static String schemaName(JsonNode schema) {
        JsonNode s = schema.has("items") ? schema.get("items") : schema;
        String ref = s.path("$ref").asText(s.path("allOf").path(0).path("$ref").asText(""));
        return ref.isEmpty() ? "inline" : ref.substring(ref.lastIndexOf('/') + 1);
    }

    private boolean exemplified(JsonNode schema, Set<String> seen) {
        if (hasExample(schema)) {
            return true;
        }
        String ref = schema.path("$ref").asText(schema.path("allOf").path(0).path("$ref").asText(""));
        if (!ref.isEmpty() && !seen.add(ref)) {
            return true; // a cycle: judged where it started
        }
        JsonNode s = resolve(schema);
        if (hasExample(s) || s.has("enum") || "boolean".equals(s.path("type").asText())) {
            return true;
        }
        if (s.has("items")) {
            return exemplified(s.get("items"), seen);
        }
        JsonNode properties = s.path("properties");
        if (properties.size() == 0) {
            return false;
        }
        for (JsonNode property : properties) {
            if (!exemplified(property, seen)) {
                return false;
            }
        }
        return true;
    }

    private JsonNode resolve(JsonNode schema) {
        return OpenApiDocuments.resolve(doc, schema);
    }
}
