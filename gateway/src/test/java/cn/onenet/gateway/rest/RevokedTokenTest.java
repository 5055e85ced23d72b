package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.security.RevokedTokens;
import cn.onenet.gateway.support.TestUpstream;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * A token identity has revoked is refused at the edge (401, RFC 6750 {@code invalid_token}), whether the gateway
 * meets it for the first time or has verified it before and would take its fast path; nothing of such a request
 * reaches an upstream. The list is the one identity serves at {@code /oidc/revocations} (here the test upstream's),
 * fetched with the gateway's own client credentials.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class RevokedTokenTest {

    @Inject
    RevokedTokens revocations;

    @Inject
    ProxyRoutes routes;

    @AfterEach
    void clear() {
        TestUpstream.REVOKED_GRANTS.clear();
        TestUpstream.REVOKED_TOKENS.clear();
        TestUpstream.DISABLED_CLIENTS.clear();
        fetch();
    }

    @Inject
    Vertx vertx;

    /** One Vert.x context for every fetch, as the gateway's timer fetches from one. */
    private static Context context;

    /** Fetches the list now, as the gateway does every 5 s; fails unless identity accepted the gateway's client. */
    private void fetch() {
        synchronized (RevokedTokenTest.class) {
            if (context == null) {
                context = vertx.getOrCreateContext();
            }
        }
        CompletableFuture<Boolean> fetched = new CompletableFuture<>();
        context.runOnContext(v -> revocations.refresh().onComplete(ar -> {
            if (ar.succeeded()) {
                fetched.complete(ar.result());
            } else {
                fetched.completeExceptionally(ar.cause());
            }
        }));
        try {
            assertTrue(fetched.get(10, TimeUnit.SECONDS),
                    "the revocation list was not fetched with the gateway's client credentials");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String jti(String token) {
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        String jti = new JsonObject(payload).getString("jti");
        assertNotNull(jti, "test tokens carry a jti");
        return jti;
    }

    private static ValidatableResponse get(String token, String key) {
        return given().auth().oauth2(token).header("X-Test-Key", key).get("/api/catalog/v1/entries").then();
    }

    private static void refusedAsRevoked(ValidatableResponse response) {
        response.statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"the access token "
                        + "was revoked\"")
                .header("X-Request-Id", notNullValue()).body("status", equalTo(401))
                .body("requestId", notNullValue());
    }

    @Test
    void aRevokedTokenTheGatewayKnowsIsRefusedOnItsFastPathToo() {
        String token = TestTokens.departmentClient("revoked-known", "11330000002482170X", "onenet-catalog",
                "operator");
        String other = TestTokens.departmentClient("revoked-known", "11330000002482170X", "onenet-catalog",
                "operator");
        get(token, "rk-" + UUID.randomUUID()).statusCode(200);
        long fast = routes.fastPathHits();
        get(token, "rk-" + UUID.randomUUID()).statusCode(200);
        assertEquals(fast + 1, routes.fastPathHits(), "a known token takes the fast path");
        get(other, "rk-" + UUID.randomUUID()).statusCode(200);

        TestUpstream.REVOKED_TOKENS.add(jti(token));
        fetch();
        for (int i = 0; i < 2; i++) {
            String key = "rk-" + UUID.randomUUID();
            long before = routes.fastPathHits();
            refusedAsRevoked(get(token, key));
            assertEquals(before, routes.fastPathHits(), "a revoked token does not take the fast path");
            assertFalse(UpstreamsResource.main.received(key).complete(), "the revoked token reached the upstream");
        }
        // the same client's other token is not revoked
        get(other, "rk-" + UUID.randomUUID()).statusCode(200);

        // identity takes it back (a list without it): accepted again
        TestUpstream.REVOKED_TOKENS.clear();
        fetch();
        get(token, "rk-" + UUID.randomUUID()).statusCode(200);
    }

    @Test
    void aTokenOfARevokedGrantIsRefusedTheFirstTimeTheGatewaySeesIt() {
        String grant = UUID.randomUUID().toString();
        TestUpstream.REVOKED_GRANTS.add(grant);
        fetch();
        String first = personToken(grant + ".1");
        String key = "rg-" + UUID.randomUUID();
        refusedAsRevoked(get(first, key));
        assertFalse(UpstreamsResource.main.received(key).complete(), "the revoked token reached the upstream");
        refusedAsRevoked(get(first, "rg-" + UUID.randomUUID()));
        // the person's token of another grant is not affected
        get(personToken(UUID.randomUUID() + ".1"), "rg-" + UUID.randomUUID()).statusCode(200);
    }

    @Test
    void aDisabledClientsTokensAreRefused() {
        String token = TestTokens.departmentClient("revoked-client", "11330000002482170X", "onenet-catalog",
                "operator");
        get(token, "rc-" + UUID.randomUUID()).statusCode(200);
        get(token, "rc-" + UUID.randomUUID()).statusCode(200);
        TestUpstream.DISABLED_CLIENTS.add("revoked-client");
        fetch();
        refusedAsRevoked(get(token, "rc-" + UUID.randomUUID()));
        refusedAsRevoked(get(TestTokens.departmentClient("revoked-client", "11330000002482170X", "onenet-catalog",
                "operator"), "rc-" + UUID.randomUUID()));
        // a token refused for another reason keeps its own description
        given().auth().oauth2(TestTokens.expired("u-expired", "onenet-catalog", "operator"))
                .get("/api/catalog/v1/entries").then().statusCode(401)
                .header("WWW-Authenticate", org.hamcrest.Matchers.containsString("expired"));
    }

    @Test
    void aConsoleSessionWhoseAccessTokenWasRevokedIsEndedAtTheEdge() {
        // e.g. an administrator removed a role: identity revokes the account's grants, the session's among them
        Map<String, String> session = ConsoleTest.login(TestUpstream.SESSION_CODE_PREFIX + "revoked");
        Map<String, String> other = ConsoleTest.login(TestUpstream.SESSION_CODE_PREFIX + "kept");
        ConsoleTest.scriptCall(session).header("X-Test-Key", "rs-" + UUID.randomUUID())
                .get("/api/catalog/v1/entries").then().statusCode(200);
        ConsoleTest.pageLoad(session).get("/console").then().statusCode(200);

        TestUpstream.REVOKED_GRANTS.add("grant-revoked");
        fetch();
        // the console's API calls: 401 problem+json, and nothing reaches the service
        String key = "rs-" + UUID.randomUUID();
        ConsoleTest.scriptCall(session).header("X-Test-Key", key).get("/api/catalog/v1/entries").then()
                .statusCode(401).contentType("application/problem+json").body("requestId", notNullValue());
        assertFalse(UpstreamsResource.main.received(key).complete(), "the revoked session's token reached the upstream");
        // a page load: a new sign-in, the session's cookies cleared
        Response page = ConsoleTest.pageLoad(session).get("/console");
        assertEquals(302, page.statusCode(), page.asString());
        assertTrue(page.header("Location").contains("/authorize"), page.header("Location"));
        assertTrue(page.headers().getValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith("q_session_console") && c.contains("Max-Age=0")),
                page.headers().getValues("Set-Cookie").toString());
        // another session (another grant) goes on
        ConsoleTest.scriptCall(other).header("X-Test-Key", "rs-" + UUID.randomUUID())
                .get("/api/catalog/v1/entries").then().statusCode(200);
        ConsoleTest.pageLoad(other).get("/console").then().statusCode(200);

        // it is the list that refuses it: taken back, the session works again
        TestUpstream.REVOKED_GRANTS.clear();
        fetch();
        ConsoleTest.scriptCall(session).header("X-Test-Key", "rs-" + UUID.randomUUID())
                .get("/api/catalog/v1/entries").then().statusCode(200);
    }

    /** A user's token as identity issues it: the jti is the grant id, a dot and a counter. */
    private static String personToken(String jti) {
        return TestTokens.custom(Map.of("sub", UUID.randomUUID().toString(), "client_id", "revoked-app", "jti", jti,
                "aud", "onenet-catalog", "roles", List.of("operator"), "dept", "11330000002482170X",
                "account_type", "civil_servant"));
    }
}
