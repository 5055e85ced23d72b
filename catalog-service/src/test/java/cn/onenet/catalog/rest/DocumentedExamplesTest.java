package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.headOf;
import static cn.onenet.catalog.support.Fixtures.registeredOn;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The request examples of the OpenAPI document are what the service takes: the lifecycle of an entry walked with the
 * documented bodies, verbatim (the entry's name aside: the demo catalogue already holds 居民户籍信息, and a department
 * has one current entry per name), from the draft to its publication.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class DocumentedExamplesTest {

    private static final String E = "/api/catalog/v1/entries";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The documented request example of an operation (the one of that name, or the first). */
    private static Map<String, Object> example(JsonNode doc, String path, String name) throws Exception {
        JsonNode content = doc.path("paths").path(path).path("post").path("requestBody").path("content");
        JsonNode examples = content.elements().next().path("examples");
        JsonNode example = name == null ? examples.elements().next() : examples.path(name);
        assertTrue(example.has("value"), path + " " + name + ": " + content);
        JsonNode value = example.get("value");
        return JSON.convertValue(value.isTextual() ? JSON.readTree(value.asText()) : value, new TypeReference<>() {
        });
    }

    @Test
    void anEntryGoesFromDraftToPublicationWithTheDocumentedBodies() throws Exception {
        JsonNode doc = JSON.readTree(given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().asString());
        Map<String, Object> content = example(doc, E, null);
        content.put("name", "居民户籍信息（接口文档示例）");
        long id = as(editorOf(POLICE)).body(content).post(E).then().statusCode(201).extract().jsonPath().getLong("id");
        registeredOn(id, "2026-10-01"); // the examples' assessments date from 2026-10-20
        for (String kind : new String[] {"secrecy", "personal-information"}) {
            as(editorOf(POLICE)).body(example(doc, E + "/{id}/assessments/{kind}", kind))
                    .post(E + "/" + id + "/assessments/" + kind).then().statusCode(200);
        }
        int lock = as(editorOf(POLICE)).get(E + "/" + id).then().extract().path("lockVersion");
        as(headOf(POLICE)).header("If-Match", String.valueOf(lock)).body(example(doc, E + "/{id}/head-approval", null))
                .post(E + "/" + id + "/head-approval").then().statusCode(200);
        as(editorOf(POLICE)).body(example(doc, E + "/{id}/submit", null)).post(E + "/" + id + "/submit").then()
                .statusCode(200).body("state", equalTo("SUBMITTED"));
        as(reviewer()).body(example(doc, E + "/{id}/approve", null)).post(E + "/" + id + "/approve").then()
                .statusCode(200).body("state", equalTo("APPROVED"));
        as(reviewer()).body(example(doc, E + "/{id}/publish", null)).post(E + "/" + id + "/publish").then()
                .statusCode(200).body("state", equalTo("PUBLISHED"));

        // what the main reads answer is what their documented schemas hold: no field the document does not name
        documents(doc, E + "/{id}", as(editorOf(POLICE)).get(E + "/" + id).then().statusCode(200).extract().asString());
        documents(doc, E, as(reviewer()).queryParam("size", 5).get(E).then().statusCode(200).extract().asString());
        documents(doc, "/api/catalog/v1/search", as(reviewer()).queryParam("q", "户籍").get("/api/catalog/v1/search")
                .then().statusCode(200).extract().asString());
        documents(doc, "/api/catalog/v1/calendar/changes", as(auditor()).queryParam("size", 3)
                .get("/api/catalog/v1/calendar/changes").then().statusCode(200).extract().asString());
    }

    /** Every field of the answer (of each element, for a list) is a property of the documented 200 schema. */
    private static void documents(JsonNode doc, String path, String answer) throws Exception {
        JsonNode schema = doc.path("paths").path(path).path("get").path("responses").path("200").path("content")
                .elements().next().path("schema");
        JsonNode named = schema.has("items") ? schema.get("items") : schema;
        String ref = named.path("$ref").asText();
        assertTrue(!ref.isEmpty(), path + ": " + schema);
        JsonNode properties = doc.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1))
                .path("properties");
        JsonNode body = JSON.readTree(answer);
        for (JsonNode object : body.isArray() ? body : JSON.createArrayNode().add(body)) {
            object.fieldNames().forEachRemaining(f -> assertTrue(properties.has(f),
                    path + " answers " + f + ", which its schema " + ref + " does not name"));
        }
    }
}
