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
                "/api/catalog/v1/dcat/entries/..;/..;/..;/feed" }) {
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

    @Test
    void twoHostLinesAreABadRequestNamingHost() throws Exception {
        String token = TestTokens.departmentClient("two-hosts", "11330000002482170X", "onenet-catalog", "operator");
        given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(200);
        String[][] hosts = { { "Host: localhost", "Host: internal.example" }, { "Host: localhost", "host: localhost" } };
        for (String[] pair : hosts) {
            // the token is known by now: the fast path refuses as well as the full chain
            for (String authorization : new String[] { "Authorization: Bearer " + token, "X-Anonymous: 1" }) {
                try (RawHttp http = new RawHttp(gateway, 10_000)) {
                    http.head("GET /api/catalog/v1/entries HTTP/1.1", pair[0], pair[1], authorization,
                            "X-Test-Key: two-hosts");
                    RawHttp.Answer answer = http.read();
                    assertEquals(400, answer.status(), String.join(" ", pair) + ": " + answer.body());
                    assertEquals("application/problem+json", answer.header("Content-Type"));
                    JsonObject problem = new JsonObject(answer.body());
                    assertEquals("Host", problem.getString("field"), answer.body());
                    assertNotNull(answer.header("X-Request-Id"));
                    assertEquals(answer.header("X-Request-Id"), problem.getString("requestId"));
                    assertEquals("nosniff", answer.header("X-Content-Type-Options"));
                }
            }
        }
        assertEquals(0, UpstreamsResource.main.received("two-hosts").bytes());
        assertFalse(UpstreamsResource.main.received("two-hosts").complete(), "no request went upstream");
    }

    @Test
    void repeatedContentLengthNeverReachesAnUpstream() throws Exception {
        String token = TestTokens.departmentClient("two-lengths", "11330000002482170X", "onenet-catalog", "operator");
        // HTTP/1.1: Netty's decoder refuses several Content-Length lines (or values) before the gateway sees them.
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("POST /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "Authorization: Bearer " + token,
                    "X-Test-Key: two-lengths-11", "Content-Length: 3", "Content-Length: 10");
            http.write("abcdefghij".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(400, http.read().status());
            assertTrue(http.closedByServer());
        }
        // HTTP/1.0: Netty keeps the first length and drops the other lines before any handler could see them, so the
        // edge cannot refuse them; the request goes on with the first length only, and with the connection closed
        // after it (HTTP/1.0 without keep-alive) the bytes past that length are never read as a request.
        String smuggled = "GET /api/catalog/v1/entries HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + token + "\r\nX-Test-Key: two-lengths-smuggled\r\n\r\n";
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("POST /api/catalog/v1/entries HTTP/1.0", "Host: localhost", "Authorization: Bearer " + token,
                    "X-Test-Key: two-lengths-10", "Content-Length: 3", "Content-Length: " + (3 + smuggled.length()));
            http.write(("abc" + smuggled).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            JsonObject echoed = new JsonObject(answer.body());
            assertEquals(3, echoed.getInteger("bodyBytes"), answer.body());
            assertEquals(1, echoed.getJsonObject("headerLines").getJsonArray("content-length").size());
            assertTrue(http.closedByServer());
        }
        assertEquals(0, UpstreamsResource.main.received("two-lengths-11").bytes());
        assertFalse(UpstreamsResource.main.received("two-lengths-11").complete());
        assertFalse(UpstreamsResource.main.received("two-lengths-smuggled").complete(), "a smuggled request ran");
    }

    /**
     * What Vert.x's HTTP decoder refuses before any handler (see the README: Quarkus creates and starts the server
     * with Vert.x's own handler for these): answered with its status, the connection closed, nothing upstream.
     */
    @Test
    void requestsTheDecoderRefusesAreProblemsClosedWithoutReachingAnUpstream() throws Exception {
        String token = TestTokens.departmentClient("decoder-refusals", "11330000002482170X", "onenet-catalog",
                "operator");
        String longTarget = "/api/catalog/v1/entries?q=" + "a".repeat(10_000);
        String[][] requests = {
            { "414", "urn:onenet:problem:uri-too-long", "POST " + longTarget + " HTTP/1.1", "X-Test-Key: decoder-414" },
            { "431", "urn:onenet:problem:headers-too-large", "POST /api/catalog/v1/entries HTTP/1.1",
                "X-Request-Id: decoder-431-id", "X-Test-Key: decoder-431", "X-Big: " + "b".repeat(21_000) },
            { "400", "urn:onenet:problem:bad-request", "POST /api/catalog/v1/entries HTTP/1.1 trailing garbage",
                "X-Test-Key: decoder-400" } };
        for (String[] request : requests) {
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of("Host: localhost",
                        "Authorization: Bearer " + token, "Content-Length: 3"));
                lines.addAll(java.util.Arrays.asList(request).subList(3, request.length));
                http.head(request[2], lines.toArray(String[]::new));
                http.write("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                RawHttp.Answer answer = http.read();
                assertEquals(Integer.parseInt(request[0]), answer.status(), request[0]);
                assertFalse(answer.body().contains(token), request[0]);
                // problem+json with the request id in header and body, and the edge's security headers
                assertEquals("application/problem+json", answer.header("content-type"), request[0]);
                io.restassured.path.json.JsonPath problem = new io.restassured.path.json.JsonPath(answer.body());
                assertEquals(request[1], problem.getString("type"), answer.body());
                assertNotNull(answer.header("x-request-id"), request[0]);
                assertEquals(answer.header("x-request-id"), problem.getString("requestId"), request[0]);
                assertEquals("nosniff", answer.header("x-content-type-options"), request[0]);
                assertEquals("DENY", answer.header("x-frame-options"), request[0]);
                assertEquals("close", answer.header("connection"), request[0]);
                if (request[0].equals("414")) {
                    assertEquals(8192, problem.getInt("maxRequestLineBytes"), answer.body());
                } else if (request[0].equals("431")) {
                    // read before the refusal (not the last line before the refused one), so the caller's id is kept
                    assertEquals("decoder-431-id", answer.header("x-request-id"));
                    assertEquals(20 * 1024, problem.getInt("maxHeaderBytes"), answer.body());
                }
                assertTrue(http.closedByServer(), request[0]);
            }
        }
        for (String key : new String[] { "decoder-414", "decoder-431", "decoder-400" }) {
            assertEquals(0, UpstreamsResource.main.received(key).bytes(), key);
            assertFalse(UpstreamsResource.main.received(key).complete(), key);
        }
        // the same request within the limits reaches the upstream, with its body
        given().auth().oauth2(token).header("X-Test-Key", "decoder-ok").body("abc").post("/api/catalog/v1/entries")
                .then().statusCode(200);
        assertTrue(UpstreamsResource.main.received("decoder-ok").complete());
    }
}
