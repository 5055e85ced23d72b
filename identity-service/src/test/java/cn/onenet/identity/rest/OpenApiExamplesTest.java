package cn.onenet.identity.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.WithTestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI document of the main operations (accounts, departments, clients, delegations, the copy of one's data,
 * the audit log) shows a request example where the operation takes a body and a response example of its success,
 * and each example is valid for the schema it illustrates: JSON holding only properties the schema has and every
 * property it requires, so an example cannot drift from the API when a field is renamed or added. The examples of
 * the administrators' lists and single reads (accounts, departments, clients) are also held against the service's
 * own answer: the same fields, no more and no fewer.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OpenApiExamplesTest extends WithTestClients {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/identity/v1";

    /** Path, method, whether it takes a body, the success status whose example is shown (null: none yet). */
    private static final List<Object[]> OPERATIONS = List.of(
            new Object[] { API + "/accounts", "post", true, null },
            new Object[] { API + "/accounts", "get", false, "200" },
            new Object[] { API + "/accounts/{id}", "get", false, "200" },
            new Object[] { API + "/departments", "get", false, "200" },
            new Object[] { API + "/departments/{code}", "get", false, "200" },
            new Object[] { API + "/clients", "get", false, "200" },
            new Object[] { API + "/clients/{clientId}", "get", false, "200" },
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

    @Test
    void theAdministratorsListExamplesHaveTheFieldsOfTheRealAnswers() throws Exception {
        JsonNode doc = document();
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        JsonNode accounts = read(admin, API + "/accounts?size=5");
        JsonNode departments = read(admin, API + "/departments");
        JsonNode clients = read(admin, API + "/clients?size=5");
        Map<String, JsonNode> answers = new LinkedHashMap<>();
        answers.put(API + "/accounts", accounts);
        answers.put(API + "/accounts/{id}", read(admin, API + "/accounts/" + accounts.get(0).get("id").asText()));
        answers.put(API + "/departments", departments);
        answers.put(API + "/departments/{code}", read(admin, API + "/departments/"
                + departments.get(0).get("code").asText()));
        answers.put(API + "/clients", clients);
        answers.put(API + "/clients/{clientId}", read(admin, API + "/clients/"
                + clients.get(0).get("clientId").asText()));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> answer : answers.entrySet()) {
            JsonNode media = doc.path("paths").path(answer.getKey()).path("get").path("responses").path("200")
                    .path("content").path("application/json");
            List<JsonNode> examples = new ArrayList<>();
            media.path("examples").forEach(e -> examples.add(e.path("value")));
            if (examples.isEmpty()) {
                problems.add("get " + answer.getKey() + ": no example");
            }
            for (JsonNode example : examples) {
                String where = "get " + answer.getKey();
                JsonNode value = example.isTextual() ? parse(example.asText(), where, problems) : example;
                if (value != null) {
                    sameFields(value, answer.getValue(), where, problems);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static JsonNode read(String token, String uri) throws Exception {
        JsonNode answer = JSON.readTree(given().auth().oauth2(token).accept("application/json").get(uri).then()
                .statusCode(200).extract().asString());
        assertFalse(answer.isArray() && answer.isEmpty(), uri + " lists something to compare with");
        return answer;
    }

    /**
     * The example has the shape of the real answer: a list where it is one, each of its objects with exactly the
     * fields of the answer's first one, and so down to the nested objects both have.
     */
    private static void sameFields(JsonNode example, JsonNode real, String where, List<String> problems) {
        if (real.isArray()) {
            if (!example.isArray() || example.isEmpty()) {
                problems.add(where + ": the answer is a list, the example is not one or is empty");
            } else if (!real.isEmpty()) {
                for (JsonNode item : example) {
                    sameFields(item, real.get(0), where + "[]", problems);
                }
            }
            return;
        }
        if (!real.isObject()) {
            return;
        }
        if (!example.isObject()) {
            problems.add(where + ": the answer is an object, the example " + example.getNodeType());
            return;
        }
        TreeSet<String> answered = new TreeSet<>();
        real.fieldNames().forEachRemaining(answered::add);
        TreeSet<String> shown = new TreeSet<>();
        example.fieldNames().forEachRemaining(shown::add);
        if (!answered.equals(shown)) {
            TreeSet<String> missing = new TreeSet<>(answered);
            missing.removeAll(shown);
            TreeSet<String> extra = new TreeSet<>(shown);
            extra.removeAll(answered);
            problems.add(where + ": the example lacks " + missing + " and has " + extra + " the answer has not");
        }
        for (String field : answered) {
            JsonNode shownValue = example.path(field);
            // a nested list the example shows empty (no roles, no redirect URIs) has no items to compare
            boolean emptyList = shownValue.isArray() && shownValue.isEmpty() && real.get(field).isArray();
            if (!shownValue.isNull() && !shownValue.isMissingNode() && !real.get(field).isNull() && !emptyList) {
                sameFields(shownValue, real.get(field), where + "." + field, problems);
            }
        }
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
