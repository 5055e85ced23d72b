package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class LimitsTest {

    @Test
    void oversizedBodyIs413() {
        String token = TestTokens.departmentClient("size-client", "11330000002482170X", "onenet-catalog", "operator");
        given().auth().oauth2(token).contentType("application/octet-stream").body(new byte[2048])
                .post("/api/small/v1/upload").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:payload-too-large"));
        given().auth().oauth2(token).contentType("application/octet-stream").body(new byte[512])
                .post("/api/small/v1/upload").then().statusCode(200).body("bodyBytes", equalTo(512));
    }

    @Test
    void aRouteLimitTheHttpLayerWouldCapStopsTheStart() {
        ProxyRoutes.checkBodyLimits(Map.of("exchange", 10L << 20, "oidc", 64L << 10), 10L << 20);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ProxyRoutes.checkBodyLimits(Map.of("exchange", 50L << 20), 10L << 20));
        assertTrue(refused.getMessage().contains("gateway.routes.exchange.max-body-size")
                && refused.getMessage().contains("quarkus.http.limits.max-body-size"), refused.getMessage());
    }

    @Test
    void theExchangeRouteTakesBodiesUpToItsLimit() {
        String token = TestTokens.departmentClient("upload-client", "11330000002482170X", "onenet-exchange", "operator");
        int size = 10 * 1024 * 1024;
        given().auth().oauth2(token).contentType("application/octet-stream").body(new byte[size])
                .post("/api/exchange/v1/datasets/330000-01-02%2F000123/uploads").then().statusCode(200)
                .body("bodyBytes", equalTo(size));
        given().auth().oauth2(token).contentType("application/octet-stream").body(new byte[size + 1])
                .post("/api/exchange/v1/datasets/330000-01-02%2F000123/uploads").then().statusCode(413)
                .contentType("application/problem+json");
        // the catalogue's own limit is 20 MB: above the default, still within the HTTP layer's
        String catalogToken = TestTokens.departmentClient("import-client", "11330000002482170X", "onenet-catalog",
                "operator");
        given().auth().oauth2(catalogToken).contentType("application/octet-stream").body(new byte[12 << 20])
                .post("/api/catalog/v1/imports").then().statusCode(200).body("bodyBytes", equalTo(12 << 20));
    }

    @Test
    void oversizedChunkedBodyIs413Too() {
        String token = TestTokens.departmentClient("chunk-client", "11330000002482170X", "onenet-catalog", "operator");
        // An InputStream body is sent chunked, without Content-Length.
        given().auth().oauth2(token).contentType("application/octet-stream")
                .body(new java.io.ByteArrayInputStream(new byte[64 * 1024]))
                .post("/api/small/v1/upload").then().statusCode(413)
                .contentType("application/problem+json");
        given().auth().oauth2(token).contentType("application/octet-stream")
                .body(new java.io.ByteArrayInputStream(new byte[700]))
                .post("/api/small/v1/upload").then().statusCode(200).body("bodyBytes", equalTo(700));
    }

    @Test
    void perClientRateLimitAnswers429WithHeaders() {
        // limited-client's plan: 3 requests per 60 s on each API.
        limitedClientGetsThreeThen429();
        // Another client, and the same client on another API, have budgets of their own.
        given().auth().oauth2(TestTokens.departmentClient("other-client", "11330000002482170X", "onenet-catalog",
                "operator")).get("/api/catalog/v1/entries").then().statusCode(200)
                .header("RateLimit-Limit", "20");
        given().auth().oauth2(TestTokens.departmentClient("limited-client", "11330000002482170X", "onenet-exchange",
                "operator")).get("/api/exchange/v1/requests").then().statusCode(200);
    }

    /**
     * Tokens limited-client obtained for people (sub ≠ client_id): each person has the client's plan to themselves,
     * so one busy user of an app does not lock the app's other users out.
     */
    @Test
    void thePeopleUsingOneClientHaveABudgetEach() {
        String first = personOf("limited-client", "3f2b8c1e-0000-4000-8000-000000000001");
        String second = personOf("limited-client", "3f2b8c1e-0000-4000-8000-000000000002");
        for (int i = 2; i >= 0; i--) {
            given().auth().oauth2(first).get("/api/catalog/v1/entries").then().statusCode(200)
                    .header("RateLimit-Limit", "3").header("RateLimit-Remaining", String.valueOf(i));
        }
        given().auth().oauth2(first).get("/api/catalog/v1/entries").then().statusCode(429)
                .header("Retry-After", notNullValue());
        given().auth().oauth2(second).get("/api/catalog/v1/entries").then().statusCode(200)
                .header("RateLimit-Limit", "3").header("RateLimit-Remaining", "2");
    }

    /** A department's plan (UpstreamsResource: 2 per 60 s) applies to each of its clients, one budget each. */
    @Test
    void aDepartmentsPlanAppliesToEachOfItsClients() {
        for (String client : new String[] { "dept-plan-a", "dept-plan-b" }) {
            String token = TestTokens.departmentClient(client, "11330000007777777X", "onenet-catalog", "operator");
            for (int i = 1; i >= 0; i--) {
                given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(200)
                        .header("RateLimit-Limit", "2").header("RateLimit-Policy", "2;w=60")
                        .header("RateLimit-Remaining", String.valueOf(i));
            }
            given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(429)
                    .contentType("application/problem+json").header("Retry-After", notNullValue())
                    .header("RateLimit-Reset", notNullValue());
        }
        // a client's own plan comes before its department's
        given().auth().oauth2(TestTokens.departmentClient("limited-client", "11330000007777777X", "onenet-identity",
                "operator")).get("/api/identity/v1/me").then().statusCode(200).header("RateLimit-Limit", "3");
        // and another department's clients keep the default plan
        given().auth().oauth2(TestTokens.departmentClient("dept-plan-other", "11330000002482170X", "onenet-catalog",
                "operator")).get("/api/catalog/v1/entries").then().statusCode(200).header("RateLimit-Limit", "20");
    }

    private static String personOf(String clientId, String subject) {
        return TestTokens.custom(Map.of("sub", subject, "client_id", clientId, "aud", "onenet-catalog",
                "roles", List.of("operator"), "dept", "11330000002482170X", "account_type", "civil_servant"));
    }

    /** limited-client's plan is 3 requests per 60 s on each API (UpstreamsResource): 200, 200, 200, then 429. */
    static void limitedClientGetsThreeThen429() {
        String token = TestTokens.departmentClient("limited-client", "11330000002482170X", "onenet-catalog",
                "operator");
        for (int i = 2; i >= 0; i--) {
            given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(200)
                    .header("RateLimit-Limit", "3")
                    .header("RateLimit-Remaining", String.valueOf(i))
                    .header("RateLimit-Policy", "3;w=60");
        }
        given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .header("RateLimit-Remaining", "0")
                .body("type", equalTo("urn:onenet:problem:rate-limited"))
                .body("retryAfterSeconds", notNullValue());
    }
}
