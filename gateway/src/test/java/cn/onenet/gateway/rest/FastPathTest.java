package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.service.EdgeAuthentication;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.ext.web.RoutingContext;

/**
 * A token seen before takes the fast path (no CORS/authentication/authorization handler chain): every check of the
 * edge must still hold there, and whatever the fast path does not serve must be answered by the full chain as before.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class FastPathTest {

    @Inject
    ProxyRoutes routes;

    @Inject
    EdgeAuthentication authentication;

    /** Runs the request twice with one token: the first is verified by quarkus-oidc, the second is the fast path. */
    private long fastPathsTaken(Runnable twice) {
        long before = routes.fastPathHits();
        twice.run();
        return routes.fastPathHits() - before;
    }

    @Test
    void aRepeatedTokenIsForwardedWithTheSameHeaderHandling() {
        String token = TestTokens.departmentClient("fast-client", "11330000002482170X", "onenet-catalog", "operator");
        long fast = fastPathsTaken(() -> {
            for (int i = 0; i < 2; i++) {
                given().auth().oauth2(token).header("X-Request-Id", "req-fast-" + i)
                        .header("X-Forwarded-For", "6.6.6.6").header("Forwarded", "for=6.6.6.6")
                        .header("X-Real-IP", "6.6.6.6")
                        .header("Connection", "X-Client-Hop").header("X-Client-Hop", "secret")
                        .header("Proxy-Authorization", "Basic Zm9vOmJhcg==").header("Cookie", "q_session=abc")
                        .header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                        .get("/api/catalog/v1/entries?q=x")
                        .then().statusCode(200)
                        .header("X-Request-Id", "req-fast-" + i)
                        .header("RateLimit-Limit", "20")
                        .header("RateLimit-Remaining", notNullValue())
                        .header("Strict-Transport-Security", containsString("max-age="))
                        .header("X-Content-Type-Options", "nosniff")
                        .header("X-Upstream-Hop", nullValue())
                        .header("X-Upstream-End", "kept")
                        .body("uri", equalTo("/api/catalog/v1/entries?q=x"))
                        .body("headers.x-request-id", equalTo("req-fast-" + i))
                        .body("headers.authorization", equalTo("Bearer " + token))
                        .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                        .body("headers.forwarded", containsString("for=127.0.0.1;proto=http"))
                        .body("headers.forwarded", not(containsString("6.6.6.6")))
                        .body("headers.x-real-ip", nullValue())
                        .body("headers.x-client-hop", nullValue())
                        .body("headers.proxy-authorization", nullValue())
                        .body("headers.cookie", nullValue())
                        .body("headers.traceparent", startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-"));
            }
        });
        assertEquals(1, fast, "the second request with the same token takes the fast path");
        var remembered = authentication.verified("Bearer " + token);
        assertNotNull(remembered, "the verified token is remembered");
        assertFalse(remembered.identity().getAttributes().values().stream().anyMatch(v -> v instanceof RoutingContext),
                "the remembered identity does not keep the request that verified it");
    }

    @Test
    void connectionCannotRemoveTheGatewaysHeadersOnTheFastPath() {
        String token = TestTokens.departmentClient("fast-connection", "11330000002482170X", "onenet-catalog",
                "operator");
        long fast = fastPathsTaken(() -> {
            for (int i = 0; i < 2; i++) {
                given().auth().oauth2(token).header("X-Request-Id", "req-fast-connection-" + i)
                        .header("Connection", "close, X-Forwarded-For, Forwarded, X-Request-Id, Authorization, "
                                + "X-Custom")
                        .header("X-Custom", "1")
                        .get("/api/catalog/v1/entries")
                        .then().statusCode(200)
                        .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                        .body("headers.forwarded", containsString("for=127.0.0.1;proto=http"))
                        .body("headers.x-request-id", equalTo("req-fast-connection-" + i))
                        .body("headers.authorization", equalTo("Bearer " + token))
                        .body("headers.x-custom", nullValue());
            }
        });
        assertEquals(1, fast, "the second request with the same token takes the fast path");
    }

    @Test
    void aRememberedTokenIsRefusedOnceItExpires() throws InterruptedException {
        String token = TestTokens.departmentClientExpiringIn(Duration.ofSeconds(3), "short-lived",
                "11330000002482170X", "onenet-catalog", "operator");
        long fast = fastPathsTaken(() -> {
            for (int i = 0; i < 2; i++) {
                given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(200);
            }
        });
        assertEquals(1, fast, "while valid, the token is remembered and takes the fast path");
        long exp = expiryOf(token);
        Thread.sleep(Math.max(0, exp * 1000 - System.currentTimeMillis()) + 1100);
        long before = routes.fastPathHits();
        given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(401)
                .contentType("application/problem+json");
        assertEquals(before, routes.fastPathHits(), "an expired token never takes the fast path");
        assertNull(authentication.verified("Bearer " + token), "and is forgotten");
    }

    /** The token's exp claim (seconds since the epoch). */
    private static long expiryOf(String token) {
        String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"exp\":(\\d+)").matcher(claims);
        if (!m.find()) {
            throw new IllegalStateException("no exp in " + claims);
        }
        return Long.parseLong(m.group(1));
    }

    @Test
    void anEncodedSlashInASegmentStaysOnTheFastPathOtherEscapesDoNot() {
        String token = TestTokens.departmentClient("fast-slash", "11330000002482170X", "onenet-catalog", "operator");
        given().auth().oauth2(token).get("/api/catalog/v1/warm").then().statusCode(200);
        long fast = fastPathsTaken(() -> given().urlEncodingEnabled(false).auth().oauth2(token)
                .get("/api/catalog/v1/entries/330000-01-02%2F000123/records/1")
                .then().statusCode(200)
                .body("uri", equalTo("/api/catalog/v1/entries/330000-01-02%2F000123/records/1")));
        assertEquals(1, fast, "a resource code with an encoded slash is a plain path");
        long full = fastPathsTaken(() -> given().urlEncodingEnabled(false).auth().oauth2(token)
                .get("/api/catalog/v1/entries/%41%42/x").then().statusCode(200));
        assertEquals(0, full, "any other escape takes the full chain");
        // and an encoded dot segment is not forwarded at all
        given().urlEncodingEnabled(false).auth().oauth2(token).get("/api/catalog/v1/entries/%2e%2e/x").then()
                .statusCode(400).body("field", equalTo("path"));
    }

    @Test
    void bodiesAndSizeLimitsOnTheFastPath() {
        String token = TestTokens.departmentClient("fast-body", "11330000002482170X", "onenet-catalog", "operator");
        given().auth().oauth2(token).get("/api/small/v1/warm").then().statusCode(200);
        long fast = fastPathsTaken(() -> {
            given().auth().oauth2(token).contentType("application/octet-stream").body(new byte[512])
                    .post("/api/small/v1/upload").then().statusCode(200).body("bodyBytes", equalTo(512));
            given().auth().oauth2(token).contentType("application/octet-stream").body(new byte[2048])
                    .post("/api/small/v1/upload").then().statusCode(413)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:onenet:problem:payload-too-large"));
            given().auth().oauth2(token).contentType("application/octet-stream")
                    .body(new java.io.ByteArrayInputStream(new byte[64 * 1024]))
                    .post("/api/small/v1/upload").then().statusCode(413)
                    .contentType("application/problem+json");
        });
        assertEquals(3, fast);
    }

    @Test
    void refusalsOfAKnownTokenStayRefusals() {
        String catalogOnly = TestTokens.departmentClient("fast-aud", "11330000002482170X", "onenet-catalog",
                "operator");
        given().auth().oauth2(catalogOnly).get("/api/catalog/v1/entries").then().statusCode(200);
        // Another API's audience: 403 on the fast path as on the full chain.
        given().auth().oauth2(catalogOnly).get("/api/exchange/v1/requests").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:forbidden"));
        given().auth().oauth2(catalogOnly).get("/api/exchange/v1/requests").then().statusCode(403);

        // The administration's role checks are Quarkus's path permissions, also for a token already known.
        String staff = TestTokens.civilServant("u-fast-staff", "11330000002482170X", "onenet-identity", "operator");
        given().auth().oauth2(staff).get("/api/identity/v1/me").then().statusCode(200);
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(staff).get("/api/identity/v1/accounts").then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(staff).post("/api/identity/v1/accounts/u-1/disable").then().statusCode(403)
                    .contentType("application/problem+json");
        }
        String auditor = TestTokens.civilServant("u-fast-auditor", "11330000002482170X", "onenet-identity",
                "auditor");
        given().auth().oauth2(auditor).get("/api/identity/v1/accounts").then().statusCode(200);
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(auditor).get("/api/identity/v1/accounts/u-1").then().statusCode(200);
            given().auth().oauth2(auditor).post("/api/identity/v1/accounts/u-1/disable").then().statusCode(403);
        }
        String admin = TestTokens.civilServant("u-fast-admin", "11330000002482170X", "onenet-identity", "admin");
        long fast = fastPathsTaken(() -> {
            for (int i = 0; i < 2; i++) {
                given().auth().oauth2(admin).post("/api/identity/v1/accounts/u-1/disable").then().statusCode(200);
            }
        });
        assertEquals(1, fast, "a permitted admin call with a known token takes the fast path");
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(admin).get("/api/identity/v1/audit").then().statusCode(403);
        }

        // A forged copy of a known token is a different key: verified in full, refused.
        String forged = catalogOnly.substring(0, catalogOnly.length() - 4)
                + (catalogOnly.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().auth().oauth2(forged).get("/api/catalog/v1/entries").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void corsAndRateLimitsForAKnownToken() {
        String token = TestTokens.departmentClient("fast-cors", "11330000002482170X", "onenet-catalog", "operator");
        given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(200);
        // A browser's call carries Origin: the CORS filter of the full chain answers, as for any other call.
        given().auth().oauth2(token).header("Origin", "http://127.0.0.1:8080").get("/api/catalog/v1/entries")
                .then().statusCode(200).header("Access-Control-Allow-Origin", "http://127.0.0.1:8080");
        given().auth().oauth2(token).header("Origin", "https://evil.example").get("/api/catalog/v1/entries")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void theRateLimitCountsFastPathCalls() {
        // fast-limited's plan: 2 requests per 60 s on each API (UpstreamsResource).
        String token = TestTokens.departmentClient("fast-limited", "11330000002482170X", "onenet-catalog",
                "operator");
        long fast = fastPathsTaken(() -> {
            given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(200)
                    .header("RateLimit-Remaining", "1");
            given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(200)
                    .header("RateLimit-Remaining", "0");
            given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(429)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("type", equalTo("urn:onenet:problem:rate-limited"));
        });
        assertEquals(2, fast);
    }
}
