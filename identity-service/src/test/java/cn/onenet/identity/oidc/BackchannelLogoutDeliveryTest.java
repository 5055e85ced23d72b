package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import com.sun.net.httpserver.HttpServer;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.BackchannelDelivery;
import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.BackchannelLogouts;
import cn.onenet.identity.service.ClientService;
import cn.onenet.identity.service.LogoutService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Back-channel logout is durable: queued with the session's end, delivered after commit, retried with back-off on
 * network errors and 5xx, final on a 4xx refusal, given up after the configured attempts; every attempt carries a
 * freshly signed logout token that verifies against the JWKS. The relying party is a real local HTTP server.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class BackchannelLogoutDeliveryTest {

    @Inject
    TestClients clients;
    @Inject
    ClientService clientService;
    @Inject
    BackchannelLogouts backchannel;
    @Inject
    LogoutService logouts;
    @Inject
    AuditService audit;
    @Inject
    EntityManager em;
    @Inject
    IdentityConfig config;
    @Inject
    AccountService accounts;

    private final List<Receiver> receivers = new ArrayList<>();

    /** A relying party's back-channel logout endpoint: answers the given statuses in turn (the last one repeats). */
    static final class Receiver {
        final HttpServer server;
        final List<String> tokens = new CopyOnWriteArrayList<>();

        Receiver(int port, int... statuses) throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/backchannel-logout", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int n = tokens.size();
                tokens.add(URLDecoder.decode(body.substring(body.indexOf('=') + 1), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(statuses[Math.min(n, statuses.length - 1)], -1);
                exchange.close();
            });
            server.start();
        }
    }

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(r -> r.server.stop(0));
    }

    private Receiver receiver(int port, int... statuses) throws IOException {
        Receiver r = new Receiver(port, statuses);
        receivers.add(r);
        return r;
    }

    /** A client registered with the back-channel logout URI on the port. */
    private String client(int port) {
        String clientId = "test-bcl-" + System.nanoTime();
        clientService.create(new ClientService.Registration(clientId, "back-channel RP", "client_secret_basic",
                List.of("authorization_code", "refresh_token"), List.of(OidcFlow.REDIRECT),
                List.of("http://127.0.0.1:9/bye"), "http://127.0.0.1:" + port + "/backchannel-logout",
                List.of("openid", "profile"), null, null, null, true, null, null, null, null), TestClients.SECRET,
                "test");
        return clientId;
    }

    /** Logs the citizen in to the client and out again (RP-initiated, with id_token_hint); returns the sid. */
    private static String loginAndLogout(String clientId) throws Exception {
        OidcFlow flow = new OidcFlow(clientId, TestClients.SECRET);
        OIDCTokenResponse tokens = flow.tokens(CodeFlowConformanceTest.CITIZEN, "openid profile");
        String sid = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
        Response logout = given().redirects().follow(false).cookies(flow.cookies)
                .queryParam("id_token_hint", tokens.getOIDCTokens().getIDTokenString()).get("/oidc/logout");
        assertEquals(200, logout.statusCode(), logout.asString());
        return sid;
    }

    /** Runs the retry queue (as the scheduled run does) until the condition holds; fails after 20 s. */
    private void workOffUntil(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            backchannel.deliverDue();
            pause(50);
        }
    }

    /** Keeps running the retry queue for a while, past the longest back-off of the test profile. */
    private void workOffFor(long millis) {
        long end = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < end) {
            backchannel.deliverDue();
            pause(50);
        }
    }

    private BackchannelDelivery delivery(String clientId) {
        List<BackchannelDelivery> rows = QuarkusTransaction.requiringNew()
                .call(() -> BackchannelDelivery.<BackchannelDelivery>list("clientId", clientId));
        assertEquals(1, rows.size(), "deliveries queued for " + clientId);
        return rows.get(0);
    }

    private boolean finished(String clientId) {
        return delivery(clientId).outcome != null;
    }

    private LogoutTokenClaimsSet verified(String clientId, String token) throws Exception {
        LogoutTokenValidator validator = new LogoutTokenValidator(new Issuer(CodeFlowConformanceTest.ISSUER),
                new ClientID(clientId), JWSAlgorithm.RS256, OidcFlow.endpoint("jwks").toURL());
        SignedJWT jwt = (SignedJWT) JWTParser.parse(token);
        assertEquals("logout+jwt", jwt.getHeader().getType().toString());
        return validator.validate(jwt);
    }

    /** The BACKCHANNEL_LOGOUT audit lines for the client: outcome and detail. */
    @SuppressWarnings("unchecked")
    private List<Object[]> auditLines(String clientId) {
        audit.flush();
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("SELECT outcome, detail FROM "
                + "audit_event WHERE event_type = 'BACKCHANNEL_LOGOUT' AND client_id = ?1 ORDER BY id")
                .setParameter(1, clientId).getResultList());
    }

    @Test
    void aRelyingPartyThatAnswers503IsRetriedUntilItTakesAFreshlySignedToken() throws Exception {
        Receiver rp = receiver(0, 503, 503, 200);
        String clientId = client(rp.server.getAddress().getPort());
        String sid = loginAndLogout(clientId);
        // the first attempt was made before the logout answered; the retries follow with back-off
        assertEquals(1, rp.tokens.size());
        workOffUntil(() -> finished(clientId), "the delivery is finished");
        assertEquals(3, rp.tokens.size());
        BackchannelDelivery row = delivery(clientId);
        assertEquals("DELIVERED", row.outcome);
        assertEquals(3, row.attempts);
        // every attempt was signed when it was made: distinct jti, each token valid against the JWKS
        Set<String> jtis = new HashSet<>();
        for (String token : rp.tokens) {
            LogoutTokenClaimsSet claims = verified(clientId, token);
            assertEquals(sid, claims.getSessionID().getValue());
            assertNotNull(claims.getClaim("events"));
            jtis.add(claims.getJWTID().getValue());
        }
        assertEquals(3, jtis.size());
        // nothing more is sent once delivered
        workOffFor(800);
        assertEquals(3, rp.tokens.size());
        // one audit line, for the final outcome, without the token
        List<Object[]> lines = auditLines(clientId);
        assertEquals(1, lines.size());
        assertEquals("SUCCESS", lines.get(0)[0]);
        assertTrue(((String) lines.get(0)[1]).contains("attempts=3"), (String) lines.get(0)[1]);
        assertFalse(((String) lines.get(0)[1]).contains("ey"), (String) lines.get(0)[1]);
    }

    @Test
    void aRelyingPartyThatIsDownGetsTheTokenWhenItComesBack() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        String clientId = client(port);
        String sid = loginAndLogout(clientId);
        BackchannelDelivery pending = delivery(clientId);
        assertEquals(1, pending.attempts);
        assertNull(pending.outcome);
        assertTrue(pending.lastError.startsWith("unreachable"), pending.lastError);
        Receiver rp = receiver(port, 200);
        workOffUntil(() -> !rp.tokens.isEmpty(), "the relying party receives the token");
        assertEquals(sid, verified(clientId, rp.tokens.get(0)).getSessionID().getValue());
        workOffUntil(() -> finished(clientId), "the delivery is finished");
        assertEquals("DELIVERED", delivery(clientId).outcome);
        assertEquals(1, rp.tokens.size());
    }

    @Test
    void aRefusalIsFinalAndAudited() throws Exception {
        Receiver rp = receiver(0, 400);
        String clientId = client(rp.server.getAddress().getPort());
        String sid = loginAndLogout(clientId);
        assertEquals(1, rp.tokens.size());
        assertEquals(sid, verified(clientId, rp.tokens.get(0)).getSessionID().getValue());
        workOffFor(1500);
        assertEquals(1, rp.tokens.size(), "a 400 from the relying party is not retried");
        BackchannelDelivery row = delivery(clientId);
        assertEquals("REFUSED", row.outcome);
        assertEquals(400, row.lastStatus);
        List<Object[]> lines = auditLines(clientId);
        assertEquals(1, lines.size());
        assertEquals("FAILURE", lines.get(0)[0]);
        assertTrue(((String) lines.get(0)[1]).contains("status=400"), (String) lines.get(0)[1]);
    }

    @Test
    void aDeliveryIsGivenUpAfterTheConfiguredAttempts() throws Exception {
        Receiver rp = receiver(0, 503);
        String clientId = client(rp.server.getAddress().getPort());
        loginAndLogout(clientId);
        workOffUntil(() -> finished(clientId), "the delivery is given up");
        int max = config.backchannelLogout().maxAttempts();
        assertEquals(max, rp.tokens.size());
        BackchannelDelivery row = delivery(clientId);
        assertEquals("GAVE_UP", row.outcome);
        assertEquals(max, row.attempts);
        workOffFor(800);
        assertEquals(max, rp.tokens.size());
        List<Object[]> lines = auditLines(clientId);
        assertEquals(1, lines.size());
        assertEquals("FAILURE", lines.get(0)[0]);
        assertTrue(((String) lines.get(0)[1]).contains("status=503"), (String) lines.get(0)[1]);
    }

    @Test
    void aSessionEndThatRollsBackSendsNothing() throws Exception {
        Receiver rp = receiver(0, 200);
        String clientId = client(rp.server.getAddress().getPort());
        OidcFlow flow = new OidcFlow(clientId, TestClients.SECRET);
        String sid = flow.tokens(CodeFlowConformanceTest.CITIZEN, "openid profile").getOIDCTokens().getIDToken()
                .getJWTClaimsSet().getStringClaim("sid");
        QuarkusTransaction.begin();
        try {
            SsoSession session = SsoSession.find("sid", sid).firstResult();
            logouts.endSession(session, "test", null);
        } finally {
            QuarkusTransaction.rollback();
        }
        workOffFor(800);
        assertEquals(0, rp.tokens.size(), "a logout that did not happen is not announced");
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> BackchannelDelivery.count("clientId", clientId)));
        // the session is still live: a silent authorization succeeds
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        assertTrue(OidcFlow.redirect(flow.authorize(params)).indicatesSuccess());
    }

    /** The longest X-Request-Id kept as given: 128 characters. */
    private static String longRequestId() {
        String id = "bcl-" + "q".repeat(128) + System.nanoTime();
        return id.substring(id.length() - 128);
    }

    @Test
    void aLogoutWithA128CharacterRequestIdEndsTheSessionAndQueuesItsDelivery() throws Exception {
        Receiver rp = receiver(0, 200);
        String clientId = client(rp.server.getAddress().getPort());
        OidcFlow flow = new OidcFlow(clientId, TestClients.SECRET);
        OIDCTokenResponse tokens = flow.tokens(CodeFlowConformanceTest.CITIZEN, "openid profile");
        String requestId = longRequestId();
        Response logout = given().redirects().follow(false).cookies(flow.cookies).header("X-Request-Id", requestId)
                .queryParam("id_token_hint", tokens.getOIDCTokens().getIDTokenString()).get("/oidc/logout");
        assertEquals(200, logout.statusCode(), logout.asString());
        assertEquals(requestId, delivery(clientId).requestId);
        workOffUntil(() -> finished(clientId), "delivery of " + clientId);
        assertEquals(1, rp.tokens.size());
        // the session is over: a silent authorization no longer succeeds
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        assertFalse(OidcFlow.redirect(flow.authorize(params)).indicatesSuccess());
    }

    @Test
    void aPasswordChangeWithA128CharacterRequestIdEndsTheOtherSignInWithItsDelivery() throws Exception {
        Receiver rp = receiver(0, 200);
        String clientId = client(rp.server.getAddress().getPort());
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "回调注销测试");
        // signed in to the back-channel client in one browser, changing the password in another
        new OidcFlow(clientId, TestClients.SECRET).tokens(citizen.username, "openid");
        String token = new OidcFlow("test-web", TestClients.SECRET).tokens(citizen.username, "openid")
                .getOIDCTokens().getAccessToken().getValue();
        String requestId = longRequestId();
        given().auth().oauth2(token).header("X-Request-Id", requestId).contentType("application/json")
                .body(Map.of("currentPassword", OidcFlow.PASSWORD, "newPassword", "Bq#2026-longrequest"))
                .post("/api/identity/v1/me/password").then().statusCode(204);
        assertEquals(requestId, delivery(clientId).requestId);
        workOffUntil(() -> finished(clientId), "delivery of " + clientId);
        assertEquals(1, rp.tokens.size());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
