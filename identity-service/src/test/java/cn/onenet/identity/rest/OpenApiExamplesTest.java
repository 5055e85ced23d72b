package cn.onenet.identity.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document of the main operations (accounts, departments, clients, delegations, the copy of one's data,
 * the audit log) shows a request example where the operation takes a body and a response example of its success,
 * and each example is valid for the schema it illustrates: JSON holding only properties the schema has and every
 * property it requires, so an example cannot drift from the API when a field is renamed or added.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OpenApiExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/identity/v1";

    /** Path, method, whether it takes a body, the success status whose example is shown (null: none yet). */
    private static final List<Object[]> OPERATIONS = List.of(
            new Object[] { API + "/accounts", "post", true, null },
            new Object[] { API + "/departments", "post", true, null },
            new Object[] { API + "/departments/{code}", "put", true, null },
            new Object[] { API + "/clients", "post", true, null },
            new Object[] { API + "/clients/{clientId}", "put", true, null },
            new Object[] { API + "/delegations", "post", true, "201" },
            new Object[] { API + "/delegations", "get", false, "200" },
            new Object[] { API + "/me/export", "get", false, "200" },
            new Object[] { API + "/audit", "get", false, "200" });

    private static JsonNode document() throws Exception {
        return JSON.readTree(given().accept("application/json").get("/q/openapi").then().statusCode(200).extract()
                .asString());
    }

    @Test
    void theMainOperationsHaveExamplesValidForTheirSchemas() throws Exception {
        JsonNode doc = document();
        List<String> problems = new ArrayList<>();
        for (Object[] op : OPERATIONS) {
            String where = op[1] + " " + op[0];
            JsonNode operation = doc.path("paths").path((String) op[0]).path((String) op[1]);
            assertFalse(operation.isMissingNode(), where + " is documented");
            if ((Boolean) op[2]) {
                check(doc, where + " request", operation.path("requestBody").path("content")
                        .path("application/json"), problems);
            }
            if (op[3] != null) {
                check(doc, where + " " + op[3], operation.path("responses").path((String) op[3]).path("content")
                        .path("application/json"), problems);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyExampleOfTheseResourcesIsValidForItsSchema() throws Exception {
        JsonNode doc = document();
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().matches(API + "/(accounts|departments|clients|delegations|me/export|audit)(/.*)?")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String where = op.getKey() + " " + path.getKey();
                JsonNode body = op.getValue().path("requestBody").path("content").path("application/json");
                if (body.has("examples") || body.has("example")) {
                    check(doc, where + " request", body, problems);
                }
                for (Iterator<Map.Entry<String, JsonNode>> rs = op.getValue().path("responses").fields(); rs.hasNext();) {
                    Map.Entry<String, JsonNode> response = rs.next();
                    JsonNode media = response.getValue().path("content").path("application/json");
                    if (media.has("examples") || media.has("example")) {
                        check(doc, where + " " + response.getKey(), media, problems);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The media type has an example, and each of its examples is valid for its schema. */
    private static void check(JsonNode doc, String where, JsonNode media, List<String> problems) throws Exception {
        List<JsonNode> examples = new ArrayList<>();
        media.path("examples").forEach(e -> examples.add(e.path("value")));
        if (media.has("example")) {
            examples.add(media.get("example"));
        }
        if (examples.isEmpty()) {
            problems.add(where + ": no example");
            return;
        }
        for (JsonNode example : examples) {
            JsonNode value = example.isTextual() ? parse(example.asText(), where, problems) : example;
            if (value != null) {
                valid(doc, media.path("schema"), value, where, problems);
            }
        }
    }

    private static JsonNode parse(String text, String where, List<String> problems) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            problems.add(where + ": the example is not JSON: " + e.getMessage());
            return null;
        }
    }

    /** Objects: only the schema's properties and all its required ones; arrays: each item; other values pass. */
    private static void valid(JsonNode doc, JsonNode schema, JsonNode value, String where, List<String> problems) {
        schema = resolve(doc, schema);
        if (value.isArray()) {
            for (JsonNode item : value) {
                valid(doc, schema.path("items"), item, where, problems);
            }
            return;
        }
        JsonNode properties = schema.path("properties");
        if (!value.isObject() || properties.isMissingNode()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!properties.has(field.getKey())) {
                problems.add(where + ": " + field.getKey() + " is no property of the schema");
            } else {
                valid(doc, properties.get(field.getKey()), field.getValue(), where + "." + field.getKey(), problems);
            }
        }
        schema.path("required").forEach(r -> {
            if (!value.has(r.asText())) {
                problems.add(where + ": the required " + r.asText() + " is missing");
            }
        });
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        while (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            schema = doc.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        if (schema.has("allOf") && schema.get("allOf").size() == 1) {
            return resolve(doc, schema.get("allOf").get(0));
        }
        return schema;
    }
}
