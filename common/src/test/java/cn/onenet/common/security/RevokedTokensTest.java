package cn.onenet.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

import io.vertx.core.Vertx;

/** The list as fetched over HTTP from a server answering as identity's {@code /oidc/revocations} does. */
class RevokedTokensTest {

    private HttpServer server;
    private Vertx vertx;
    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicReference<String> authorization = new AtomicReference<>();

    @BeforeEach
    void start() throws IOException {
        vertx = Vertx.vertx();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/oidc/revocations", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        vertx.close();
    }

    private RevokedTokens list() {
        return new RevokedTokens(vertx, Optional.of("http://127.0.0.1:" + server.getAddress().getPort() + "/oidc/revocations"),
                Optional.of("catalog-service"), Optional.of("s3cret"), Duration.ofSeconds(5));
    }

    private static boolean fetched(RevokedTokens list) {
        try {
            return list.refresh().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void grantsTokensAndClientsAreRefusedAsListed() {
        body.set("""
                {"asOf":"2026-12-07T11:20:05+08:00","lookback":"PT6M","grants":["0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10"],
                 "tokens":["8d1e2f30-44a5-4b6c-8d7e-9f0a1b2c3d4e.3"],"clients":["old-portal"]}""");
        RevokedTokens list = list();
        assertFalse(list.revoked("0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10.1", "test-web"), "nothing fetched yet");
        assertTrue(fetched(list));
        assertEquals("Basic Y2F0YWxvZy1zZXJ2aWNlOnMzY3JldA==", authorization.get());
        assertTrue(list.revoked("0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10.1", "test-web"), "a token of a revoked grant");
        assertTrue(list.revoked("0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10.7", null));
        assertTrue(list.revoked("8d1e2f30-44a5-4b6c-8d7e-9f0a1b2c3d4e.3", "test-web"), "a revoked token");
        assertFalse(list.revoked("8d1e2f30-44a5-4b6c-8d7e-9f0a1b2c3d4e.4", "test-web"), "its sibling is not");
        assertTrue(list.revoked("cc.5f2a", "old-portal"), "a disabled client's token");
        assertFalse(list.revoked("cc.0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10.1", "gat-population-system"),
                "a client-credentials token is no grant's");
        assertFalse(list.revoked(null, null));
    }

    @Test
    void theLastListStaysInForceWhileIdentityDoesNotAnswerIt() {
        body.set("{\"grants\":[],\"tokens\":[\"a.1\"],\"clients\":[]}");
        RevokedTokens list = list();
        assertTrue(fetched(list));
        status.set(503);
        body.set("{\"status\":503}");
        assertFalse(fetched(list));
        assertTrue(list.revoked("a.1", null));
        status.set(200);
        body.set("{\"grants\":[],\"tokens\":[]}");
        assertFalse(fetched(list), "a list without clients is not taken");
        assertTrue(list.revoked("a.1", null));
        body.set("{\"grants\":[],\"tokens\":[],\"clients\":[]}");
        assertTrue(fetched(list));
        assertFalse(list.revoked("a.1", null), "taken back by identity");
    }

    /** A verified bearer token's principal, as quarkus-oidc builds it: the token's claims and the token itself. */
    private record Principal(String raw, Map<String, Object> claims) implements JsonWebToken {
        @Override
        public String getName() {
            return (String) claims.get("sub");
        }

        @Override
        public Set<String> getClaimNames() {
            return claims.keySet();
        }

        @Override
        public String getRawToken() {
            return raw;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String claimName) {
            return (T) claims.get(claimName);
        }
    }

    private static String jwt(String payload) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        return url.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + url.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    /** Whether the refusal lets the identity through (true) or refuses it (false). */
    private static boolean passes(RevokedTokenRefusal refusal, SecurityIdentity identity) {
        try {
            refusal.augment(identity, null).await().atMost(Duration.ofSeconds(5));
            return true;
        } catch (AuthenticationFailedException e) {
            assertEquals(RevokedTokenRefusal.REVOKED, e.getMessage());
            return false;
        }
    }

    private static SecurityIdentity bearer(String token, JsonWebToken principal) {
        return QuarkusSecurityIdentity.builder().setPrincipal(principal)
                .addCredential(new TokenCredential(token, "bearer")).build();
    }

    @Test
    void theRefusalReadsTheVerifiedTokensClaims() {
        body.set("""
                {"grants":["0b6f3c52"],"tokens":["8d1e2f30.3"],"clients":["old-portal"]}""");
        RevokedTokens list = list();
        assertTrue(fetched(list));
        RevokedTokenRefusal refusal = new RevokedTokenRefusal(list);
        String[][] cases = { { "0b6f3c52.1", "test-web", "false" }, { "8d1e2f30.3", "test-web", "false" },
                { "8d1e2f30.4", "test-web", "true" }, { "cc.5f2a", "old-portal", "false" },
                { "cc.0b6f3c52.1", "system", "true" }, { null, null, "true" } };
        for (String[] c : cases) {
            Map<String, Object> claims = new java.util.HashMap<>(Map.of("sub", "u-1"));
            StringBuilder payload = new StringBuilder("{\"sub\":\"u-1\"");
            if (c[0] != null) {
                claims.put("jti", c[0]);
                payload.append(",\"jti\":\"").append(c[0]).append('"');
            }
            if (c[1] != null) {
                claims.put("client_id", c[1]);
                payload.append(",\"client_id\":\"").append(c[1]).append('"');
            }
            String token = jwt(payload.append('}').toString());
            boolean expected = Boolean.parseBoolean(c[2]);
            // the principal of this very token: its claims, as parsed when it was verified
            assertEquals(expected, passes(refusal, bearer(token, new Principal(token, claims))), c[0] + " " + c[1]);
            // an identity whose principal is another token (a session's ID token): the bearer token's own payload
            assertEquals(expected, passes(refusal, bearer(token, new Principal("other", Map.of("sub", "u-1",
                    "jti", "unlisted.1")))), c[0] + " " + c[1]);
        }
        // a claim that is no string counts as absent, as in the payload
        String token = jwt("{\"sub\":\"u-1\",\"jti\":7}");
        assertTrue(passes(refusal, bearer(token, new Principal(token, Map.of("sub", "u-1", "jti", 7L)))));
        // not a bearer token, or anonymous: not looked at
        assertTrue(passes(refusal, QuarkusSecurityIdentity.builder()
                .setPrincipal(new Principal("x", Map.of("sub", "u-1", "jti", "8d1e2f30.3")))
                .addCredential(new TokenCredential(jwt("{\"jti\":\"8d1e2f30.3\"}"), "id_token")).build()));
    }

    @Test
    void withoutAnAddressNothingIsFetchedNorRefused() {
        RevokedTokens list = new RevokedTokens(vertx, Optional.of(" "), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(5));
        assertFalse(list.active());
        // what "${quarkus.oidc.auth-server-url}/revocations" gives when that address is empty (a public key instead)
        assertFalse(new RevokedTokens(vertx, Optional.of("/revocations"), Optional.empty(), Optional.empty(),
                Duration.ofSeconds(5)).active());
    }

    @Test
    void aCodeFlowSessionIsLeftToItsApplicationWhicheverCredentialComesFirst() {
        body.set("{\"grants\":[\"0b6f3c52\"],\"tokens\":[],\"clients\":[]}");
        RevokedTokens list = list();
        assertTrue(fetched(list));
        RevokedTokenRefusal refusal = new RevokedTokenRefusal(list);
        String access = jwt("{\"sub\":\"u-1\",\"jti\":\"0b6f3c52.1\",\"client_id\":\"gateway\"}");
        String id = jwt("{\"sub\":\"u-1\",\"sid\":\"s-1\"}");
        // the credentials are a hash set: built again and again, either token comes first now and then
        for (int i = 0; i < 32; i++) {
            SecurityIdentity session = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new Principal(id, Map.of("sub", "u-1", "sid", "s-1")))
                    .addCredential(new TokenCredential(id, "id_token"))
                    .addCredential(new TokenCredential(access, "bearer")).build();
            assertTrue(passes(refusal, session), "a session's revoked access token is its application's to judge");
        }
        // the same access token alone, as a bearer token: refused
        assertFalse(passes(refusal, bearer(access, new Principal(access, Map.of("sub", "u-1", "jti", "0b6f3c52.1",
                "client_id", "gateway")))));
    }

    @Test
    void theWarningSaysWhetherAListIsInForce() {
        java.net.URI target = java.net.URI.create("http://127.0.0.1:8081/oidc/revocations");
        Exception refused = new java.net.ConnectException("Connection refused");
        String before = RevokedTokens.failureMessage(target, refused, false);
        assertTrue(before.startsWith("no revocation list received yet from " + target), before);
        assertTrue(before.contains("no token is refused as revoked until one is"), before);
        assertFalse(before.contains("stays in force"), before);
        String after = RevokedTokens.failureMessage(target, refused, true);
        assertTrue(after.contains("the last list received stays in force"), after);
    }

    @Test
    void aFailedFirstFetchLeavesNoListInForceAndNothingRefused() {
        status.set(503);
        body.set("{\"status\":503}");
        RevokedTokens list = list();
        assertFalse(fetched(list));
        assertTrue(list.none());
        assertFalse(list.revoked("a.1", null));
        status.set(200);
        body.set("{\"grants\":[],\"tokens\":[\"a.1\"],\"clients\":[]}");
        assertTrue(fetched(list));
        assertFalse(list.none());
    }

    @Test
    void aTokensKeyIsReadFromItsPayload() {
        assertEquals(new RevokedTokens.Key("0b6f3c52.4", "0b6f3c52", "test-web"),
                RevokedTokens.keyOf(jwt("{\"jti\":\"0b6f3c52.4\",\"client_id\":\"test-web\"}")));
        assertEquals(new RevokedTokens.Key(null, null, null), RevokedTokens.keyOf(jwt("{\"jti\":7}")));
        assertEquals(null, RevokedTokens.keyOf("not-a-jwt"));
        assertEquals(null, RevokedTokens.keyOf("a.%%%.c"));
        assertEquals(null, RevokedTokens.keyOf(null));
    }
}
