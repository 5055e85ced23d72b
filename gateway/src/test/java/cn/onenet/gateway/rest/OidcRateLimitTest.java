package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import cn.onenet.gateway.service.OidcEndpoints;
import cn.onenet.gateway.service.RateLimiter;
import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/**
 * The rate limits of identity's protocol surface: the client-authenticated endpoints per client named and address,
 * the browser pages and the metadata per address, each with its own plan. The callers' addresses come from
 * {@code X-Forwarded-For}, believed from the test client as the kubernetes profile believes the ingress controller's,
 * so each test has addresses of its own.
 */
@QuarkusTest
@TestProfile(OidcRateLimitTest.SmallPlans.class)
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class OidcRateLimitTest {

    /**
     * Per client and address 3 a minute, per address 6 client calls a minute; pages 2 a minute with a burst of 4;
     * metadata 5 a minute. A body may pause 1 s on the issuer's route.
     */
    public static class SmallPlans implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("gateway.rate-limit.oidc.client.requests", "3"),
                    Map.entry("gateway.rate-limit.oidc.client.period", "60s"),
                    Map.entry("gateway.rate-limit.oidc.clients.busy-system.requests", "5"),
                    Map.entry("gateway.rate-limit.oidc.clients.busy-system.period", "60s"),
                    Map.entry("gateway.rate-limit.oidc.client-address.requests", "6"),
                    Map.entry("gateway.rate-limit.oidc.client-address.period", "60s"),
                    Map.entry("gateway.rate-limit.oidc.pages.requests", "2"),
                    Map.entry("gateway.rate-limit.oidc.pages.burst", "4"),
                    Map.entry("gateway.rate-limit.oidc.pages.period", "60s"),
                    Map.entry("gateway.rate-limit.oidc.metadata.requests", "5"),
                    Map.entry("gateway.rate-limit.oidc.metadata.burst", "5"),
                    Map.entry("gateway.rate-limit.oidc.metadata.period", "60s"),
                    Map.entry("gateway.routes.oidc.body-timeout", "1s"),
                    Map.entry("quarkus.http.proxy.proxy-address-forwarding", "true"),
                    Map.entry("quarkus.http.proxy.allow-x-forwarded", "true"),
                    Map.entry("quarkus.http.proxy.trusted-proxies", "127.0.0.1"));
        }
    }

    @TestHTTPResource("/")
    URL gateway;

    private static RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address).redirects().follow(false);
    }

    /** client_secret_basic: the client is the Basic user name. */
    private static Response basic(String address, String clientId) {
        return from(address).auth().preemptive().basic(clientId, "secret-of-" + clientId)
                .contentType("application/x-www-form-urlencoded").body("grant_type=client_credentials")
                .post("/oidc/token");
    }

    /** client_secret_post: the client is the form's client_id. */
    private static Response post(String address, String clientId) {
        return from(address).contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&client_id=" + clientId + "&client_secret=s")
                .post("/oidc/token");
    }

    /** private_key_jwt: the client is the assertion's subject (read, not verified, at the edge). */
    private static Response assertion(String address, String clientId) {
        String jwt = TestTokens.custom(Map.of("iss", clientId, "sub", clientId, "aud", "http://localhost/oidc/token"));
        return from(address).contentType("application/x-www-form-urlencoded")
                .body("grant_type=client_credentials&client_assertion_type="
                        + "urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + jwt)
                .post("/oidc/token");
    }

    @Test
    void twoClientsBehindOneAddressHaveABucketEach() {
        String egress = "10.20.1.1";
        for (int i = 2; i >= 0; i--) {
            basic(egress, "dept-system-a").then().statusCode(200).header("RateLimit-Limit", "3")
                    .header("RateLimit-Remaining", String.valueOf(i)).header("RateLimit-Policy", "3;w=60");
        }
        basic(egress, "dept-system-a").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).header("RateLimit-Remaining", "0")
                .body("type", equalTo("urn:onenet:problem:rate-limited")).body("retryAfterSeconds", notNullValue());
        // the other systems behind the same address, however they name themselves, still get their tokens
        post(egress, "dept-system-b").then().statusCode(200).header("RateLimit-Remaining", "2");
        assertion(egress, "dept-system-c").then().statusCode(200).header("RateLimit-Remaining", "2");
        // the same client named in the form or by its assertion is the same bucket as by Basic
        post(egress, "dept-system-a").then().statusCode(429);
        assertion(egress, "dept-system-a").then().statusCode(429);
        // introspection and revocation are the same client's calls
        from(egress).auth().preemptive().basic("dept-system-b", "s").contentType("application/x-www-form-urlencoded")
                .body("token=abc").post("/oidc/introspect").then().statusCode(200).header("RateLimit-Remaining", "1");
        // a client with a plan of its own at these endpoints
        for (int i = 4; i >= 0; i--) {
            basic("10.20.1.2", "busy-system").then().statusCode(200).header("RateLimit-Limit", "5")
                    .header("RateLimit-Remaining", String.valueOf(i));
        }
    }

    @Test
    void namingAnotherClientSpendsOnlyTheCallersOwnBucket() {
        String attacker = "10.20.2.66";
        String victim = "10.20.2.7";
        for (int i = 0; i < 3; i++) {
            post(attacker, "victim-system").then().statusCode(200);
        }
        post(attacker, "victim-system").then().statusCode(429);
        basic(attacker, "victim-system").then().statusCode(429);
        // the victim's own address has its full budget
        basic(victim, "victim-system").then().statusCode(200).header("RateLimit-Remaining", "2");
    }

    @Test
    void anAddressNamingEverNewClientsReachesItsCeiling() {
        String address = "10.20.3.1";
        for (int i = 0; i < 6; i++) {
            post(address, "made-up-" + i).then().statusCode(200);
        }
        post(address, "made-up-6").then().statusCode(429).header("Retry-After", notNullValue())
                .header("RateLimit-Limit", "6");
        // another address is not held back
        post("10.20.3.2", "made-up-6").then().statusCode(200);
        // a name that cannot be a client's counts as no client named: one bucket per address
        String other = "10.20.3.3";
        for (String garbage : new String[] { "x%20y", "%E5%BC%A0", "a".repeat(101) }) {
            post(other, garbage).then().statusCode(200);
        }
        post(other, "a%20b").then().statusCode(429);
    }

    @Test
    void theBrowserPagesAndTheMetadataHavePlansOfTheirOwn() {
        String office = "10.20.4.1";
        for (int i = 0; i < 3; i++) {
            basic(office, "office-system").then().statusCode(200);
        }
        basic(office, "office-system").then().statusCode(429);
        // the token endpoint's refusals leave the pages alone: 2 a minute, a burst of 4
        for (int i = 3; i >= 0; i--) {
            from(office).get("/oidc/authorize?client_id=gateway&response_type=code").then().statusCode(200)
                    .header("RateLimit-Limit", "4").header("RateLimit-Remaining", String.valueOf(i))
                    .header("RateLimit-Policy", "2;w=60;burst=4");
        }
        from(office).get("/oidc/login").then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        from(office).contentType("application/x-www-form-urlencoded").body("csrf=c&username=u&password=p")
                .post("/oidc/login").then().statusCode(429);
        // and the pages' refusals leave the token endpoint and the metadata alone
        basic(office, "office-system-2").then().statusCode(200).header("RateLimit-Limit", "3");
        from(office).get("/oidc/jwks").then().statusCode(200).header("RateLimit-Limit", "5")
                .header("RateLimit-Remaining", "4");
        from(office).get("/oidc/.well-known/openid-configuration").then().statusCode(200)
                .header("RateLimit-Remaining", "3");
        // (the RFC 8414 metadata is a route of its own: its own bucket of the plan)
        from(office).get("/.well-known/oauth-authorization-server/oidc").then().statusCode(200)
                .header("RateLimit-Limit", "5").header("RateLimit-Remaining", "4");
        // UserInfo counts against the client of the token it is called with
        String token = TestTokens.custom(Map.of("sub", "u-office", "client_id", "office-app", "aud", "office-app"));
        from(office).auth().oauth2(token).get("/oidc/userinfo").then().statusCode(200)
                .header("RateLimit-Limit", "3").header("RateLimit-Remaining", "2");
    }

    @Test
    void aFormReadAtTheEdgeReachesIdentityWhole() throws Exception {
        String address = "10.20.5.1";
        // chunked (no Content-Length): read whole, sent with its length
        String form = "grant_type=client_credentials&client_id=chunked-system&client_secret=s&scope="
                + "a".repeat(3000);
        byte[] bytes = form.getBytes(StandardCharsets.US_ASCII);
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            chunked(http, address, bytes);
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            assertEquals("2", answer.header("RateLimit-Remaining"));
            JsonObject echo = new JsonObject(answer.body());
            assertEquals(bytes.length, echo.getInteger("bodyBytes"));
            assertEquals(sha256(bytes), echo.getString("bodySha256"));
            assertEquals(String.valueOf(bytes.length), echo.getString("contentLength"));
            assertNull(echo.getString("transferEncoding"));
        }
        // over the route's limit (64K), also without a Content-Length: 413, and the connection ends
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            chunked(http, address, ("client_id=big&x=" + "a".repeat(70_000)).getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer answer = http.read();
            assertEquals(413, answer.status(), answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            assertTrue(http.closedByServer());
        }
        // a form that stops arriving: 408 after the route's body timeout, and the connection ends
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            formHead(http, address, "Content-Length: 100");
            http.write("grant_type=client_credentials&client_id=stalled".getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer answer = http.read();
            assertEquals(408, answer.status(), answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            assertEquals(ProblemWriter.REQUEST_TIMEOUT_TYPE, new JsonObject(answer.body()).getString("type"));
            assertTrue(http.closedByServer());
        }
        // Expect: 100-continue: the edge needs the body to decide, so it asks for it
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            byte[] small = "grant_type=client_credentials&client_id=expecting-system".getBytes(
                    StandardCharsets.US_ASCII);
            formHead(http, address, "Content-Length: " + small.length, "Expect: 100-continue");
            assertEquals(100, http.readHead().status());
            http.write(small);
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            assertEquals("2", answer.header("RateLimit-Remaining"));
            JsonObject sent = new JsonObject(answer.body());
            assertEquals(small.length, sent.getInteger("bodyBytes"));
            assertNull(sent.getString("expect"));
        }
    }

    @Test
    void aFormTrickledSlowerThanTheBodyTimeoutGets408() throws Exception {
        // each byte comes well within the route's body timeout (1 s) of the one before, the whole form does not
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            formHead(http, "10.20.6.1", "Content-Length: 60");
            byte[] form = "grant_type=client_credentials&client_id=trickling-system&x=y".getBytes(
                    StandardCharsets.US_ASCII);
            try {
                for (byte b : form) {
                    http.write(new byte[] { b });
                    Thread.sleep(100);
                }
            } catch (java.io.IOException closed) {
                // the gateway answered and closed while bytes were still coming
            }
            RawHttp.Answer answer = http.read();
            assertEquals(408, answer.status(), answer.body());
            assertEquals(ProblemWriter.REQUEST_TIMEOUT_TYPE, new JsonObject(answer.body()).getString("type"));
            assertTrue(http.closedByServer());
        }
    }

    @Test
    void theAddressCeilingIsAskedBeforeAFormIsRead() throws Exception {
        String address = "10.20.7.1";
        for (int i = 0; i < 6; i++) {
            post(address, "reader-" + i).then().statusCode(200);
        }
        // the form would never end: refused at once, unread, and the connection ends
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            formHead(http, address, "Content-Length: 100");
            http.write("grant_type=client_credentials&client_id=slow".getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer answer = http.read();
            assertEquals(429, answer.status(), answer.body());
            assertEquals("6", answer.header("RateLimit-Limit"));
            assertTrue(http.closedByServer());
        }
        // nor is the body asked for
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            formHead(http, address, "Content-Length: 40", "Expect: 100-continue");
            assertEquals(429, http.read().status());
        }
    }

    @Inject
    RateLimiter limiter;

    @Test
    void aCallRefusedByTheCeilingCreatesNoClientBucketAndSpendsNoClientToken() {
        String route = "ceiling-probe";
        String address = "10.20.8.1";
        for (int i = 0; i < 6; i++) {
            assertTrue(limiter.consumeProtocol(route, OidcEndpoints.Endpoint.CLIENT, "name-" + i, address).allowed());
        }
        long buckets = limiter.bucketCount();
        for (int i = 6; i < 30; i++) {
            RateLimiter.Decision refused = limiter.consumeProtocol(route, OidcEndpoints.Endpoint.CLIENT, "name-" + i,
                    address);
            assertFalse(refused.allowed());
            assertEquals(6, refused.limit());
        }
        for (int i = 0; i < 5; i++) {
            assertFalse(limiter.consumeProtocol(route, OidcEndpoints.Endpoint.CLIENT, "kept-system", address)
                    .allowed());
        }
        assertEquals(buckets, limiter.bucketCount(), "no bucket for a name the ceiling refused");
        // the refusals took nothing from kept-system's own bucket at this address
        assertEquals(2, limiter.consumeClient(route, "kept-system", address).remaining());
    }

    @Test
    void aClientOverItsOwnBudgetLeavesTheCeilingToTheOthers() {
        String route = "ceiling-probe";
        String address = "10.20.8.2";
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.consumeProtocol(route, OidcEndpoints.Endpoint.CLIENT, "eager", address).allowed());
        }
        for (int i = 0; i < 10; i++) {
            RateLimiter.Decision refused = limiter.consumeProtocol(route, OidcEndpoints.Endpoint.CLIENT, "eager",
                    address);
            assertFalse(refused.allowed());
            assertEquals(3, refused.limit());
        }
        // the ceiling (6) has 3 left for the other clients behind the address
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.consumeProtocol(route, OidcEndpoints.Endpoint.CLIENT, "other-" + i, address)
                    .allowed());
        }
        assertEquals(6, limiter.consumeProtocol(route, OidcEndpoints.Endpoint.CLIENT, "other-3", address).limit());
    }

    @Test
    void theClientIsReadFromEachPlaceItMayBeNamed() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("a%2Db:secret".getBytes(StandardCharsets.UTF_8));
        assertEquals("a-b", cn.onenet.gateway.service.OidcEndpoints.fromAuthorization(basic));
        assertNull(cn.onenet.gateway.service.OidcEndpoints.fromAuthorization("Basic !!!"));
        assertNull(cn.onenet.gateway.service.OidcEndpoints.fromAuthorization("Basic "
                + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8))));
        assertEquals("rp", cn.onenet.gateway.service.OidcEndpoints.fromAuthorization("Bearer "
                + TestTokens.custom(Map.of("sub", "u", "client_id", "rp"))));
        assertNull(cn.onenet.gateway.service.OidcEndpoints.fromAuthorization("Bearer abc"));
        assertEquals("from-form", cn.onenet.gateway.service.OidcEndpoints.fromForm(io.vertx.core.buffer.Buffer
                .buffer("grant_type=x&client_id=from-form&client_assertion=abc")));
        assertEquals("by-issuer", cn.onenet.gateway.service.OidcEndpoints.fromForm(io.vertx.core.buffer.Buffer
                .buffer("client_assertion=" + unsigned(new JsonObject().put("iss", "by-issuer")))));
        assertEquals("token-client", cn.onenet.gateway.service.OidcEndpoints.fromForm(io.vertx.core.buffer.Buffer
                .buffer("access_token=" + TestTokens.custom(Map.of("sub", "u", "client_id", "token-client")))));
        assertNull(cn.onenet.gateway.service.OidcEndpoints.fromForm(io.vertx.core.buffer.Buffer.buffer("a=%ZZ&b")));
        assertTrue(cn.onenet.gateway.service.OidcEndpoints.form("application/x-www-form-urlencoded; charset=UTF-8"));
    }

    @Test
    void anIpv6CallerIsKeyedByItsSlash64() {
        assertEquals("2001:db8:1:2::/64", OidcEndpoints.addressKey("2001:db8:1:2::1"));
        assertEquals("2001:db8:1:2::/64", OidcEndpoints.addressKey("2001:0db8:0001:0002:ffff:1:2:3"));
        assertEquals("2001:db8:1:3::/64", OidcEndpoints.addressKey("2001:db8:1:3:0:0:0:1%eth0"));
        assertEquals("10.1.2.3", OidcEndpoints.addressKey("::ffff:10.1.2.3"));
        assertEquals("10.1.2.3", OidcEndpoints.addressKey("10.1.2.3"));
        assertEquals("not-an-address", OidcEndpoints.addressKey("not-an-address"));
        // over HTTP: addresses of one /64 share the ceiling, another /64 has its own
        for (int i = 0; i < 6; i++) {
            post("2001:db8:20:9::" + Integer.toHexString(i + 1), "v6-name-" + i).then().statusCode(200);
        }
        post("2001:db8:20:9::ff", "v6-name-6").then().statusCode(429).header("RateLimit-Limit", "6");
        post("2001:db8:20:a::1", "v6-name-6").then().statusCode(200);
    }

    /** The head of a form POSTed to the token endpoint from {@code address}, with the framing fields given. */
    private static void formHead(RawHttp http, String address, String... fields) throws java.io.IOException {
        String[] lines = new String[3 + fields.length];
        lines[0] = "Host: localhost";
        lines[1] = "X-Forwarded-For: " + address;
        lines[2] = "Content-Type: application/x-www-form-urlencoded";
        System.arraycopy(fields, 0, lines, 3, fields.length);
        http.head("POST /oidc/token HTTP/1.1", lines);
    }

    /** A form POSTed to the token endpoint with Transfer-Encoding: chunked, in chunks of 8 KiB. */
    private static void chunked(RawHttp http, String address, byte[] body) throws java.io.IOException {
        formHead(http, address, "Transfer-Encoding: chunked");
        for (int at = 0; at < body.length; at += 8192) {
            int size = Math.min(8192, body.length - at);
            http.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            http.write(java.util.Arrays.copyOfRange(body, at, at + size));
            http.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        http.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A JWS-shaped token with the given payload (the edge reads it without verifying it). */
    private static String unsigned(JsonObject claims) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    private static String sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
