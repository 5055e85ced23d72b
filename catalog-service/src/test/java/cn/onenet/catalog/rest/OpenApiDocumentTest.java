package cn.onenet.catalog.rest;

import static cn.onenet.testsupport.OpenApiAnswers.PROBLEM;
import static cn.onenet.testsupport.OpenApiAnswers.problemSchema;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.OpenApiDocumentCheck;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import cn.onenet.testsupport.OpenApiAnswers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Readers of the catalogue's API work from its OpenAPI document: every operation needs a summary and a documented
 * success answer, and every JSON body an example.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class OpenApiDocumentTest {

    @Test
    void everyOperationHasASummaryAndEveryBodyAnExample() {
        OpenApiDocumentCheck.ofTestApplication().assertComplete();
    }

    @Test
    void freeFormJsonIsDocumentedAsAnyValueNotAsJacksonInternals() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("components.schemas.JsonValue.description", is("any JSON value"))
                .body("components.schemas.EntryView.properties.secrecyAssessment.$ref",
                        is("#/components/schemas/JsonValue"))
                .body(not(containsString("\"valueNode\"")));
    }

    private static final String V1 = "/api/catalog/v1";

    private static String answer(String path, String method, int status) {
        return OpenApiAnswers.answer(V1 + path, method, status);
    }

    /** 404, 400, 401, 403 and 409 stale-version as ProblemAnswers declares them; the 428 of an edit as written. */
    @Test
    void theCataloguesErrorAnswersUseTheProblemSchema() {
        JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        // a public read: 404 and 400 (the id), no login
        assertEquals(PROBLEM, doc.getString(problemSchema(answer("/entries/{id}", "get", 404))));
        assertEquals(PROBLEM, doc.getString(problemSchema(answer("/entries/{id}", "get", 400))));
        assertNull(doc.get(answer("/entries/{id}", "get", 401)));
        // an edit with If-Match: 409 stale-version besides 401, 403, 404; its own 428 as written
        for (int status : new int[] { 400, 401, 403, 404, 409 }) {
            assertEquals(PROBLEM, doc.getString(problemSchema(answer("/entries/{id}", "put", status))), "" + status);
        }
        assertEquals("no If-Match: send the lockVersion of the draft you edited",
                doc.getString(answer("/entries/{id}", "put", 428) + ".description"));
        // removing a calendar day names the day (400) and needs the admin role
        for (int status : new int[] { 400, 401, 403, 404 }) {
            assertEquals(PROBLEM, doc.getString(problemSchema(answer("/calendar/{day}", "delete", status))), "" + status);
        }
    }
}
