package cn.onenet.exchange.rest;

import static cn.onenet.testsupport.OpenApiAnswers.PROBLEM;
import static cn.onenet.testsupport.OpenApiAnswers.problemSchema;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.testsupport.OpenApiAnswers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The error answers the exchange gives are declared in /q/openapi with the shared problem schema (common's
 * ProblemAnswers): 404 where the path names something, 401/403 where a login and roles are needed, 409 stale-version
 * where the caller sends the version it read, 400 where there is input. An answer an operation declares itself stays
 * as written.
 */
@QuarkusTest
class ProblemAnswersDocumentTest extends ExchangeTestBase {

    private static final String V1 = "/api/exchange/v1";

    private static JsonPath document() {
        return given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
    }

    private static String answer(String path, String method, int status) {
        return OpenApiAnswers.answer(V1 + path, method, status);
    }

    @Test
    void oneGrantDeclaresNotFoundUnauthorizedAndForbiddenWithTheProblemSchema() {
        JsonPath doc = document();
        for (int status : new int[] { 400, 401, 403, 404 }) {
            assertEquals(PROBLEM, doc.getString(problemSchema(answer("/grants/{id}", "get", status))), "" + status);
        }
        assertEquals("object", doc.getString("components.schemas.Problem.type"));
        assertEquals("string", doc.getString("components.schemas.Problem.properties.requestId.type"));
        // a read changes nothing: no 409
        assertNull(doc.get(answer("/grants/{id}", "get", 409)));
    }

    @Test
    void aChangeCarryingTheVersionReadDeclaresTheStaleVersionConflict() {
        JsonPath doc = document();
        String conflict = answer("/grants/{id}/suspend", "post", 409);
        assertEquals(PROBLEM, doc.getString(problemSchema(conflict)));
        assertEquals(true, doc.getString(conflict + ".description").contains("stale-version"));
    }

    @Test
    void aPublicOperationDeclaresNoLogin() {
        JsonPath doc = document();
        assertNull(doc.get(answer("/seals/jwks", "get", 401)));
        assertNull(doc.get(answer("/seals/jwks", "get", 403)));
    }

    @Test
    void anAnswerTheOperationDeclaresItselfIsKeptAsWritten() {
        JsonPath doc = document();
        String notFound = answer("/notices/{id}/read", "post", 404);
        assertEquals("no such notice for the caller", doc.getString(notFound + ".description"));
        java.util.Map<String, Object> examples = doc.getMap(notFound + ".content.'application/problem+json'.examples");
        assertEquals(java.util.Set.of("another department's notice"), examples.keySet());
        String conflict = answer("/datasets/{resourceCode}/records", "post", 409);
        assertEquals(DatasetResource.ITEMS_UNKNOWN, doc.getString(conflict + ".description"));
    }
}
