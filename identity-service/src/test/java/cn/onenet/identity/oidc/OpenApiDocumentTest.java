package cn.onenet.identity.oidc;

import static cn.onenet.testsupport.OpenApiAnswers.PROBLEM;
import static cn.onenet.testsupport.OpenApiAnswers.problemSchema;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.OpenApiDocumentCheck;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import cn.onenet.testsupport.OpenApiAnswers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Readers of the API learn it from the OpenAPI document: every operation says what it does, documents its success
 * answer, and every JSON body shows an example.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class OpenApiDocumentTest {

    @Test
    void everyOperationHasASummaryAndEveryBodyAnExample() {
        OpenApiDocumentCheck.ofTestApplication().assertComplete();
    }

    private static final String V1 = "/api/identity/v1";

    private static String answer(String path, String method, int status) {
        return OpenApiAnswers.answer(V1 + path, method, status);
    }

    /**
     * The error answers identity gives are declared with the shared problem schema (common's ProblemAnswers): 404 where
     * the path names something, 401/403 for a login and roles, 409 stale-version where the caller sends the version it
     * read, 400 for input; an answer an operation declares itself keeps its words.
     */
    @Test
    void errorAnswersAreDeclaredWithTheProblemSchema() {
        JsonPath doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath();
        for (int status : new int[] { 400, 401, 403, 404 }) {
            assertEquals(PROBLEM, doc.getString(problemSchema(answer("/accounts/{id}", "get", status))), "" + status);
        }
        assertNull(doc.get(answer("/accounts/{id}", "get", 409)));
        // ?version= on a client's disabling: a stale version is 409
        assertEquals(PROBLEM, doc.getString(problemSchema(answer("/clients/{clientId}/disable", "post", 409))));
        assertEquals(PROBLEM, doc.getString(problemSchema(answer("/clients/{clientId}/disable", "post", 404))));
        // a public read needs no login
        assertEquals(PROBLEM, doc.getString(problemSchema(answer("/departments/{code}", "get", 404))));
        assertNull(doc.get(answer("/departments/{code}", "get", 401)));
        // the department's own 409 keeps its description
        assertEquals("stale version, or the department is deactivated",
                doc.getString(answer("/departments/{code}", "put", 409) + ".description"));
    }
}
