package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Requests a hostile client crafts: matrix parameters, absolute-form targets, broken Host headers, TRACE. */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class HostileRequestTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void matrixParametersNeverCarryAPathPastTheEdgesChecks() {
        // The services strip ";..." from each segment before matching (JAX-RS matrix parameters), the edge's path
        // permissions do not: /accounts;x would be the admins' accounts API to identity and "any token" to the edge.
        String staff = TestTokens.civilServant("u-matrix", "11330000002482170X", "onenet-identity", "operator");
        given().auth().oauth2(staff).get("/api/identity/v1/me").then().statusCode(200);
        for (String path : new String[] { "/api/identity/v1/accounts;x=1", "/api/identity/v1/accounts;x=1/u-1",
                "/api/identity/v1;x/accounts" }) {
            // twice: the second time the token is known and takes the fast path
            for (int i = 0; i < 2; i++) {
                given().urlEncodingEnabled(false).auth().oauth2(staff).get(path).then().statusCode(400)
                        .contentType("application/problem+json").body("field", equalTo("path"))
                        .body("requestId", notNullValue()).body("uri", org.hamcrest.Matchers.nullValue());
            }
        }
        // "..;" is a dot segment to a service that strips matrix parameters: not past a public path's permission.
        for (String path : new String[] { "/api/identity/v1/regions/x;/..;/..;/accounts",
                "/api/catalog/v1/open/..;/..;/entries" }) {
            given().urlEncodingEnabled(false).get(path).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("path"));
        }
        // A ";" percent-encoded inside a segment is data, as before.
        given().urlEncodingEnabled(false).auth().oauth2(staff).get("/api/identity/v1/me/a%3Bb").then()
                .statusCode(200).body("uri", equalTo("/api/identity/v1/me/a%3Bb"));
    }

    @Test
    void anAbsoluteFormTargetReachesTheUpstreamAsAPath() throws Exception {
        String token = TestTokens.departmentClient("absolute-form", "11330000002482170X", "onenet-catalog",
                "operator");
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("GET http://internal.example:9999/api/catalog/v1/entries?q=1 HTTP/1.1",
                    "Host: localhost", "Authorization: Bearer " + token);
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            // origin-form: the upstream never sees an authority the client chose in the request line
            assertEquals("/api/catalog/v1/entries?q=1", new JsonObject(answer.body()).getString("uri"));
        }
    }

    @Test
    void aMissingOrInvalidHostIsABadRequestWithItsRequestIdAndTheSecurityHeaders() throws Exception {
        String[][] heads = { { "GET /api HTTP/1.1", "Host: a b" },
                { "GET /api/catalog/v1/entries HTTP/1.1", "Host: a\";for=6.6.6.6" },
                { "GET /api HTTP/1.1", "X-Request-Id: no-host-1" } };
        for (String[] head : heads) {
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head(head[0], java.util.Arrays.copyOfRange(head, 1, head.length));
                RawHttp.Answer answer = http.read();
                assertEquals(400, answer.status(), String.join(" ", head) + ": " + answer.body());
                assertEquals("application/problem+json", answer.header("Content-Type"));
                JsonObject problem = new JsonObject(answer.body());
                assertEquals("Host", problem.getString("field"), answer.body());
                assertNotNull(answer.header("X-Request-Id"), answer.headers().toString());
                assertEquals(answer.header("X-Request-Id"), problem.getString("requestId"));
                assertEquals("nosniff", answer.header("X-Content-Type-Options"));
                assertEquals("DENY", answer.header("X-Frame-Options"));
                assertTrue(answer.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
            }
        }
    }

    @Test
    void aTargetThatIsNoPathIsRefusedWithItsRequestIdAndTheSecurityHeaders() throws Exception {
        for (String line : new String[] { "GET api HTTP/1.1", "OPTIONS * HTTP/1.1" }) {
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head(line, "Host: localhost");
                RawHttp.Answer answer = http.read();
                assertTrue(answer.status() == 400 || answer.status() == 404, line + ": " + answer.status());
                assertEquals("application/problem+json", answer.header("Content-Type"));
                assertNotNull(answer.header("X-Request-Id"), line + ": " + answer.headers());
                assertEquals(answer.header("X-Request-Id"), new JsonObject(answer.body()).getString("requestId"));
                assertEquals("nosniff", answer.header("X-Content-Type-Options"));
            }
        }
    }

    @Test
    void traceIsNotProxied() throws Exception {
        String token = TestTokens.departmentClient("trace-method", "11330000002482170X", "onenet-catalog",
                "operator");
        for (int i = 0; i < 2; i++) {
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head("TRACE /api/catalog/v1/entries HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + token);
                RawHttp.Answer answer = http.read();
                // TRACE makes the upstream echo the request, credentials included
                assertEquals(405, answer.status(), answer.body());
                assertEquals("application/problem+json", answer.header("Content-Type"));
                assertFalse(answer.body().contains(token), "the token is not echoed");
                assertEquals("urn:onenet:problem:method-not-allowed", new JsonObject(answer.body()).getString("type"));
            }
        }
        given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(200)
                .body("method", not(equalTo("TRACE")));
    }
}
