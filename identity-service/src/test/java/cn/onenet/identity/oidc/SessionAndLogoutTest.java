package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import com.sun.net.httpserver.HttpServer;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.ClientService;
import cn.onenet.identity.service.KeyService;
import cn.onenet.identity.service.Secrets;
import cn.onenet.identity.service.SessionService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * SSO session behaviour: prompt, max_age, id_token_hint, acr_values step-up, login and consent forms bound to their
 * page, refresh tokens bound to the session, RP-initiated and back-channel logout, key rollover.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class SessionAndLogoutTest {

    static final String CITIZEN = CodeFlowConformanceTest.CITIZEN;
    static HttpServer rp;
    static final List<String> logoutTokens = new CopyOnWriteArrayList<>();

    @Inject
    TestClients clients;

    @Inject
    ClientService clientService;

    @Inject
    AccountService accounts;

    @Inject
    KeyService keys;

    @Inject
    EntityManager em;

    @BeforeAll
    static void startRelyingParty() throws IOException {
        rp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rp.createContext("/backchannel-logout", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            logoutTokens.add(URLDecoder.decode(body.substring(body.indexOf('=') + 1), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        rp.start();
    }

    @AfterAll
    static void stopRelyingParty() {
        rp.stop(0);
    }

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void promptNoneLoginAndMaxAge() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        // oidcc-prompt-none-not-logged-in
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        AuthorizationResponse none = OidcFlow.redirect(flow.authorize(params));
        assertEquals("login_required", none.toErrorResponse().getErrorObject().getCode());
        assertEquals(flow.state, none.getState().getValue());
        // log in, then oidcc-prompt-none-logged-in: silent success
        assertTrue(flow.login(flow.params("openid"), CITIZEN).indicatesSuccess());
        params = flow.params("openid");
        params.put("prompt", "none");
        assertTrue(OidcFlow.redirect(flow.authorize(params)).indicatesSuccess());
        // oidcc-prompt-login: the login page again
        params = flow.params("openid");
        params.put("prompt", "login");
        Response page = flow.authorize(params);
        assertEquals(200, page.statusCode());
        assertTrue(page.asString().contains("name=\"password\""));
        assertTrue(OidcFlow.redirect(flow.submitLogin(CITIZEN, OidcFlow.PASSWORD, null, null)).indicatesSuccess());
        // oidcc-max-age-1 style: an old authentication needs a new one; a generous max_age does not
        params = flow.params("openid");
        params.put("max_age", "10000");
        assertEquals(303, flow.authorize(params).statusCode());
        params = flow.params("openid");
        params.put("max_age", "0");
        sleep(1100);
        assertEquals(200, flow.authorize(params).statusCode());
        // login_hint prefills; ui_locales=en switches language
        params = flow.params("openid");
        params.put("prompt", "login");
        params.put("login_hint", "33010619920708002X");
        params.put("ui_locales", "en");
        String html = flow.authorize(params).asString();
        assertTrue(html.contains("value=\"33010619920708002X\""));
        assertTrue(html.contains("Sign in"));
    }

    @Test
    void acrValuesStepUpOrRefusal() throws Exception {
        // a citizen at L2 logs in; the service then needs L3
        String id = "33010619900101001" + checkDigit("33010619900101001");
        Account account = Account.byUsername(id);
        if (account == null) {
            account = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "钱七", id, null,
                    null, null, null, OidcFlow.PASSWORD, null, null), "test");
        }
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse l2 = (OIDCTokenResponse) flow.exchange(flow.code(id, "openid")).toSuccessResponse();
        assertEquals("urn:onenet:loa:2", l2.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("acr"));
        Map<String, String> params = flow.params("openid");
        params.put("acr_values", "urn:onenet:loa:3");
        // the account cannot reach L3: refused, not silently downgraded
        AuthorizationResponse refused = OidcFlow.redirect(flow.authorize(params));
        assertEquals("access_denied", refused.toErrorResponse().getErrorObject().getCode());
        // verified against the register, the account can: the session must step up (new login), not reuse L2
        accounts.verifyLevel(account.id, 3, "population-register", "钱七", "test");
        params = flow.params("openid");
        params.put("acr_values", "urn:onenet:loa:3");
        Response stepUp = flow.authorize(params);
        assertEquals(200, stepUp.statusCode());
        assertTrue(stepUp.asString().contains("L3"));
        AuthorizationResponse after = OidcFlow.redirect(flow.submitLogin(id, OidcFlow.PASSWORD, null, null));
        OIDCTokenResponse l3 = (OIDCTokenResponse) flow.exchange(after.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse();
        assertEquals("urn:onenet:loa:3", l3.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("acr"));
        // L4 needs an in-person verified account with a second factor: 王秀英 has no TOTP, so L4 is refused
        OidcFlow wang = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> l4 = wang.params("openid");
        l4.put("acr_values", "urn:onenet:loa:4");
        Response page = wang.authorize(l4);
        AuthorizationResponse l4Refused = OidcFlow.redirect(wang.submitLogin("330282196509230044", OidcFlow.PASSWORD,
                null, null));
        assertEquals(200, page.statusCode());
        assertEquals("access_denied", l4Refused.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void rpInitiatedLogoutWithBackChannelToEveryClientOfTheSession() throws Exception {
        String clientId = "test-bcl-" + System.nanoTime();
        String backchannel = "http://127.0.0.1:" + rp.getAddress().getPort() + "/backchannel-logout";
        clientService.create(new ClientService.Registration(clientId, "back-channel RP", "client_secret_basic",
                List.of("authorization_code", "refresh_token"), List.of(OidcFlow.REDIRECT),
                List.of("http://127.0.0.1:9/bye"), backchannel, List.of("openid", "profile"), null, null, null, true,
                null, null, null, null), TestClients.SECRET, "test");
        OidcFlow flow = new OidcFlow(clientId, TestClients.SECRET);
        OIDCTokenResponse tokens = flow.tokens(CITIZEN, "openid profile");
        String sid = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
        // the same browser session signs in to a second client
        OidcFlow second = new OidcFlow("test-web", TestClients.SECRET);
        second.cookies.putAll(flow.cookies);
        assertTrue(second.login(second.params("openid"), CITIZEN).indicatesSuccess());

        // oidcc-rp-initiated-logout-bad-post-logout-redirect-uri: an error page, no redirect
        Response bad = given().redirects().follow(false).cookies(flow.cookies)
                .queryParam("id_token_hint", tokens.getOIDCTokens().getIDTokenString())
                .queryParam("post_logout_redirect_uri", "http://127.0.0.1:9/elsewhere").get("/oidc/logout");
        assertEquals(400, bad.statusCode());

        logoutTokens.clear();
        Response logout = given().redirects().follow(false).cookies(flow.cookies)
                .queryParam("id_token_hint", tokens.getOIDCTokens().getIDTokenString())
                .queryParam("post_logout_redirect_uri", "http://127.0.0.1:9/bye").queryParam("state", "bye-1")
                .get("/oidc/logout");
        assertEquals(303, logout.statusCode());
        assertEquals("http://127.0.0.1:9/bye?state=bye-1", logout.header("Location"));
        // the back-channel logout token reached the RP and is valid
        assertEquals(1, logoutTokens.size());
        LogoutTokenValidator validator = new LogoutTokenValidator(new Issuer(CodeFlowConformanceTest.ISSUER),
                new ClientID(clientId), JWSAlgorithm.RS256, OidcFlow.endpoint("jwks").toURL());
        SignedJWT logoutToken = (SignedJWT) JWTParser.parse(logoutTokens.get(0));
        assertEquals("logout+jwt", logoutToken.getHeader().getType().toString());
        LogoutTokenClaimsSet claims = validator.validate(logoutToken);
        assertEquals(sid, claims.getSessionID().getValue());
        // the session is gone: prompt=none now needs a login, refresh tokens of the session are revoked
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        assertEquals("login_required",
                OidcFlow.redirect(flow.authorize(params)).toErrorResponse().getErrorObject().getCode());
        given().auth().preemptive().basic(clientId, TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token")
                .formParam("refresh_token", tokens.getOIDCTokens().getRefreshToken().getValue()).post("/oidc/token")
                .then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void aClientIdTheHintWasNotIssuedToIsRefusedAndTheSessionStays() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String hint = flow.tokens(CITIZEN, "openid").getOIDCTokens().getIDTokenString();
        // RP-Initiated Logout 1.0 §2: the ID token of test-web, client_id test-post (both register the same URI)
        for (String postLogout : new String[] { null, "http://127.0.0.1:9/bye" }) {
            io.restassured.specification.RequestSpecification request = given().redirects().follow(false)
                    .cookies(flow.cookies).queryParam("id_token_hint", hint).queryParam("client_id", "test-post");
            if (postLogout != null) {
                request.queryParam("post_logout_redirect_uri", postLogout);
            }
            Response refused = request.get("/oidc/logout");
            assertEquals(400, refused.statusCode());
            assertTrue(refused.asString().contains("client_id"), refused.asString());
        }
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        assertTrue(OidcFlow.redirect(flow.authorize(params)).indicatesSuccess());
        // with the client the hint was issued to, the logout goes through
        given().redirects().follow(false).cookies(flow.cookies).queryParam("id_token_hint", hint)
                .queryParam("client_id", "test-web").get("/oidc/logout").then().statusCode(200);
        params = flow.params("openid");
        params.put("prompt", "none");
        assertEquals("login_required",
                OidcFlow.redirect(flow.authorize(params)).toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void logoutWithoutHintAsksTheUser() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        assertTrue(flow.login(flow.params("openid"), CITIZEN).indicatesSuccess());
        // oidcc-rp-initiated-logout-no-id-token-hint: confirmation page, CSRF-protected
        Response confirm = given().redirects().follow(false).cookies(flow.cookies).queryParam("client_id", "test-web")
                .queryParam("post_logout_redirect_uri", "http://127.0.0.1:9/bye").get("/oidc/logout");
        assertEquals(200, confirm.statusCode());
        String csrf = OidcFlow.hidden(confirm.asString(), "csrf");
        String cookie = confirm.getCookie("onenet_csrf");
        given().redirects().follow(false).cookies(flow.cookies).cookie("onenet_csrf", "forged")
                .contentType("application/x-www-form-urlencoded").formParam("csrf", csrf)
                .post("/oidc/logout/confirm").then().statusCode(400);
        Response done = given().redirects().follow(false).cookies(flow.cookies).cookie("onenet_csrf", cookie)
                .contentType("application/x-www-form-urlencoded").formParam("csrf", csrf)
                .formParam("client_id", "test-web").formParam("post_logout_redirect_uri", "http://127.0.0.1:9/bye")
                .post("/oidc/logout/confirm");
        assertEquals(303, done.statusCode());
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        assertEquals("login_required",
                OidcFlow.redirect(flow.authorize(params)).toErrorResponse().getErrorObject().getCode());
        // oidcc-rp-initiated-logout-no-params: nothing to redirect to, a plain page
        given().get("/oidc/logout").then().statusCode(200).body(containsString("退出"));
    }

    @Test
    void keyRolloverPublishesBeforeUseAndKeepsOldKeys() throws Exception {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String before = ((SignedJWT) flow.tokens(CITIZEN, "openid").getOIDCTokens().getIDToken()).getHeader()
                .getKeyID();
        List<String> published = keys.rotate();
        keys.reload();
        String next = published.stream().filter(k -> k.startsWith("rs256")).findFirst().orElseThrow();
        // published at once, not yet used
        given().get("/oidc/jwks").then().body("keys.kid", hasItem(next)).body("keys.kid", hasItem(before));
        String during = ((SignedJWT) flow.tokens(CITIZEN, "openid").getOIDCTokens().getIDToken()).getHeader()
                .getKeyID();
        assertEquals(before, during);
        // after the publish lead it signs; the old key stays published for the tokens it signed
        keys.maintain(OffsetDateTime.now().plusHours(2));
        keys.reload();
        String after = ((SignedJWT) flow.tokens(CITIZEN, "openid").getOIDCTokens().getIDToken()).getHeader()
                .getKeyID();
        assertEquals(next, after);
        assertNotEquals(before, after);
        given().get("/oidc/jwks").then().body("keys.kid", hasItem(before));
        // once every token of the old key has expired, it leaves the JWKS
        keys.maintain(OffsetDateTime.now().plusHours(3));
        keys.reload();
        given().get("/oidc/jwks").then().body("keys.kid", not(hasItem(before))).body("keys.kid", hasItem(next));
        assertNotNull(Set.of(after));
    }

    @Test
    void theLoginPagePostedAsAConsentGivesNoCodeAndRecordsNoConsent() {
        // signed in, the client asks for a new login (prompt=login, max_age=0): the login page's own fields posted to
        // the consent form must not stand in for the password
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        assertTrue(flow.login(flow.params("openid"), CITIZEN).indicatesSuccess());
        for (Map.Entry<String, String> ask : Map.of("prompt", "login", "max_age", "0").entrySet()) {
            sleep(1100);
            Map<String, String> params = flow.params("openid");
            params.put(ask.getKey(), ask.getValue());
            assertTrue(flow.authorize(params).asString().contains("name=\"password\""), ask::toString);
            Response skipped = flow.submitConsent(true);
            assertEquals(400, skipped.statusCode(), ask::toString);
            assertEquals(null, skipped.header("Location"), ask::toString);
        }
        // a third-party client: no consent is recorded that the user was never shown
        String person = "33010619920708002X";
        UUID account = Account.byUsername(person).id;
        withdrawConsent(account);
        try {
            OidcFlow third = new OidcFlow("test-third", TestClients.SECRET);
            third.cookies.put(SessionService.COOKIE, sessionCookie(person));
            Map<String, String> params = third.params("openid profile");
            params.put("prompt", "login");
            assertTrue(third.authorize(params).asString().contains("name=\"password\""));
            assertEquals(400, third.submitConsent(true).statusCode());
            assertEquals(0L, consents(account));
            // the consent page itself, posted with another SSO session of the same user: refused too
            third.authorize(third.params("openid profile"));
            assertTrue(third.last.asString().contains("decision"), third.last.asString());
            Map<String, String> shownIn = new java.util.HashMap<>(third.cookies);
            third.cookies.put(SessionService.COOKIE, sessionCookie(person));
            Response otherSession = given().redirects().follow(false).cookies(third.cookies)
                    .contentType("application/x-www-form-urlencoded")
                    .formParam("req", OidcFlow.hidden(third.last.asString(), "req"))
                    .formParam("csrf", OidcFlow.hidden(third.last.asString(), "csrf"))
                    .formParam("decision", "approve").post("/oidc/consent");
            assertEquals(400, otherSession.statusCode());
            assertEquals(0L, consents(account));
            // in the session it was shown in, the consent goes through
            third.cookies.putAll(shownIn);
            assertTrue(OidcFlow.redirect(third.submitConsent(true)).indicatesSuccess());
            assertEquals(1L, consents(account));
        } finally {
            withdrawConsent(account);
        }
    }

    /** The SSO cookie of a new sign-in of the user (at a first-party client). */
    private static String sessionCookie(String username) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        assertTrue(flow.login(flow.params("openid"), username).indicatesSuccess());
        return flow.cookies.get(SessionService.COOKIE);
    }

    private long consents(UUID account) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM consent WHERE account_id = ?1 AND client_id = 'test-third'")
                .setParameter(1, account).getSingleResult()).longValue());
    }

    private void withdrawConsent(UUID account) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "DELETE FROM consent WHERE account_id = ?1 AND client_id = 'test-third'").setParameter(1, account)
                .executeUpdate());
    }

    @Test
    void anIdTokenHintNamingAnotherUserIsNotAnsweredWithTheSessionsUser() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String own = flow.tokens(CITIZEN, "openid").getOIDCTokens().getIDTokenString();
        String another = new OidcFlow("test-web", TestClients.SECRET).tokens("33010619920708002X", "openid")
                .getOIDCTokens().getIDTokenString();
        // prompt=none with someone else's ID token: login_required, not a code for the session's user
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        params.put("id_token_hint", another);
        AuthorizationResponse silent = OidcFlow.redirect(flow.authorize(params));
        assertEquals("login_required", silent.indicatesSuccess() ? "code issued"
                : silent.toErrorResponse().getErrorObject().getCode());
        assertEquals(flow.state, silent.getState().getValue());
        // without prompt=none: the login page
        params = flow.params("openid");
        params.put("id_token_hint", another);
        assertTrue(flow.authorize(params).asString().contains("name=\"password\""));
        // the session's own ID token as hint: answered silently
        params = flow.params("openid");
        params.put("prompt", "none");
        params.put("id_token_hint", own);
        assertTrue(OidcFlow.redirect(flow.authorize(params)).indicatesSuccess());
    }

    /**
     * An id_token_hint that is not a JWT at all is ignored at the authorization endpoint, like one that does not
     * verify: a hint is only a hint (OIDC Core 3.1.2.1). At the logout endpoint it is the error page (below).
     */
    @Test
    void anIdTokenHintThatIsNoJwtIsIgnoredAtTheAuthorizationEndpoint() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.tokens(CITIZEN, "openid");
        for (String hint : List.of("abc", "a.b.c", "")) {
            Map<String, String> params = flow.params("openid");
            params.put("prompt", "none");
            params.put("id_token_hint", hint);
            AuthorizationResponse silent = OidcFlow.redirect(flow.authorize(params));
            assertTrue(silent.indicatesSuccess(), hint + ": " + (silent.indicatesSuccess() ? ""
                    : silent.toErrorResponse().getErrorObject()));
            assertEquals(flow.state, silent.getState().getValue());
        }
        // without a session: the login page, as without the hint
        OidcFlow other = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> params = other.params("openid");
        params.put("id_token_hint", "abc");
        assertTrue(other.authorize(params).asString().contains("name=\"password\""));
        // RP-initiated logout checks that the provider issued the hint: the error page, nobody signed out
        given().redirects().follow(false).cookies(flow.cookies).queryParam("id_token_hint", "abc")
                .get("/oidc/logout").then().statusCode(400);
        Map<String, String> still = flow.params("openid");
        still.put("prompt", "none");
        assertTrue(OidcFlow.redirect(flow.authorize(still)).indicatesSuccess(), "the session is still there");
    }

    @Test
    void signingInAsAnotherUserThanTheHintNamesIsNotAnsweredWithACode() {
        String hint = new OidcFlow("test-web", TestClients.SECRET).tokens(CITIZEN, "openid").getOIDCTokens()
                .getIDTokenString();
        // a browser without a session: the hint's user is asked to sign in, someone else does
        OidcFlow other = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> params = other.params("openid");
        params.put("id_token_hint", hint);
        assertTrue(other.authorize(params).asString().contains("name=\"password\""));
        AuthorizationResponse refused = OidcFlow.redirect(other.submitLogin("33010619920708002X", OidcFlow.PASSWORD,
                null, null));
        assertEquals("login_required", refused.indicatesSuccess() ? "code issued"
                : refused.toErrorResponse().getErrorObject().getCode());
        assertEquals(other.state, refused.getState().getValue());
        // the hint's own user signing in gets the code
        OidcFlow same = new OidcFlow("test-web", TestClients.SECRET);
        params = same.params("openid");
        params.put("id_token_hint", hint);
        same.authorize(params);
        assertTrue(OidcFlow.redirect(same.submitLogin(CITIZEN, OidcFlow.PASSWORD, null, null)).indicatesSuccess());
    }

    @Test
    void aLogoutPostedWithoutTheCookieEndsTheSessionTheHintNames() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse tokens = flow.tokens(CITIZEN, "openid");
        String hint = tokens.getOIDCTokens().getIDTokenString();
        // a cross-site form POST: no SameSite=Lax cookie comes with it
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("id_token_hint", hint).formParam("post_logout_redirect_uri", "http://127.0.0.1:9/bye")
                .formParam("state", "s-bye").post("/oidc/logout").then().statusCode(303)
                .header("Location", equalTo("http://127.0.0.1:9/bye?state=s-bye"));
        // the session has ended: no silent code for the browser, no refresh for the client
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        AuthorizationResponse silent = OidcFlow.redirect(flow.authorize(params));
        assertEquals("login_required", silent.indicatesSuccess() ? "code issued"
                : silent.toErrorResponse().getErrorObject().getCode());
        assertEquals("invalid_grant", refresh(flow, tokens.getOIDCTokens().getRefreshToken()).toErrorResponse()
                .getErrorObject().getCode());
        // a hint naming someone else's session by its sid does not end it
        OidcFlow other = new OidcFlow("test-web", TestClients.SECRET);
        other.tokens("33010619920708002X", "openid");
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("id_token_hint", hint).post("/oidc/logout").then().statusCode(200);
        params = other.params("openid");
        params.put("prompt", "none");
        assertTrue(OidcFlow.redirect(other.authorize(params)).indicatesSuccess());
    }

    @Test
    void refreshTokensEndWithTheSignInSession() throws Exception {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse tokens = flow.tokens(CITIZEN, "openid");
        String sid = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");
        // issued after the session began, the refresh token still expires with it at the latest
        TokenResponse rotated = refresh(flow, tokens.getOIDCTokens().getRefreshToken());
        assertTrue(rotated.indicatesSuccess());
        com.nimbusds.oauth2.sdk.token.RefreshToken current = rotated.toSuccessResponse().getTokens().getRefreshToken();
        Object[] expiry = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "SELECT extract(epoch FROM r.expires_at), extract(epoch FROM s.expires_at) FROM refresh_token r "
                        + "JOIN token_grant g ON g.id = r.grant_id JOIN sso_session s ON s.id = g.session_id "
                        + "WHERE r.token_hash = ?1").setParameter(1, Secrets.sha256(current.getValue()))
                .getSingleResult());
        assertTrue(((Number) expiry[0]).doubleValue() <= ((Number) expiry[1]).doubleValue(),
                () -> "refresh token until " + expiry[0] + ", session until " + expiry[1]);
        CodeFlowConformanceTest.introspect(current.getValue()).then().body("active", equalTo(true));
        // the sign-in runs out (SESSION_LIFETIME): the refresh token with it
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE sso_session SET expires_at = now() - interval '1 second' WHERE sid = ?1").setParameter(1, sid)
                .executeUpdate());
        TokenResponse refused = refresh(flow, current);
        assertEquals("invalid_grant", refused.indicatesSuccess() ? "tokens issued"
                : refused.toErrorResponse().getErrorObject().getCode());
        CodeFlowConformanceTest.introspect(current.getValue()).then().body("active", equalTo(false));
    }

    private static TokenResponse refresh(OidcFlow flow, com.nimbusds.oauth2.sdk.token.RefreshToken token) {
        return OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(), new RefreshTokenGrant(token)));
    }

    @Test
    void aHintSignedWithARotatedOutKeyAsksTheUserAndAForgedOneIsRefused() throws Exception {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String old = flow.tokens(CITIZEN, "openid").getOIDCTokens().getIDTokenString();
        // two rotations' time later the key that signed it is no longer held, let alone published
        keys.rotate();
        keys.maintain(OffsetDateTime.now().plusHours(2));
        keys.maintain(OffsetDateTime.now().plusHours(3));
        keys.reload();
        String oldKid = SignedJWT.parse(old).getHeader().getKeyID();
        given().get("/oidc/jwks").then().body("keys.kid", not(hasItem(oldKid)));
        // a hint signed with a key that is held, by someone else: refused, the session stays
        KeyService.ActiveKey current = keys.signingKey("RS256");
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(current.jwk().getKeyID()).build(), new JWTClaimsSet.Builder(SignedJWT.parse(old)
                        .getJWTClaimsSet()).expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        forged.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
        given().redirects().follow(false).cookies(flow.cookies).queryParam("id_token_hint", forged.serialize())
                .queryParam("post_logout_redirect_uri", "http://127.0.0.1:9/bye").get("/oidc/logout").then()
                .statusCode(400);
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        assertTrue(OidcFlow.redirect(flow.authorize(params)).indicatesSuccess());
        // the old hint proves nothing any more: the user is asked, as without a hint, and the RP gets its user back
        Response confirm = given().redirects().follow(false).cookies(flow.cookies).queryParam("id_token_hint", old)
                .queryParam("post_logout_redirect_uri", "http://127.0.0.1:9/bye").queryParam("state", "s-old")
                .get("/oidc/logout");
        assertEquals(200, confirm.statusCode(), confirm.asString());
        params = flow.params("openid");
        params.put("prompt", "none");
        assertTrue(OidcFlow.redirect(flow.authorize(params)).indicatesSuccess(), "signed out without confirmation");
        Response done = given().redirects().follow(false).cookies(flow.cookies)
                .cookie("onenet_csrf", confirm.getCookie("onenet_csrf")).contentType("application/x-www-form-urlencoded")
                .formParam("csrf", OidcFlow.hidden(confirm.asString(), "csrf"))
                .formParam("client_id", OidcFlow.hidden(confirm.asString(), "client_id"))
                .formParam("post_logout_redirect_uri", OidcFlow.hidden(confirm.asString(), "post_logout_redirect_uri"))
                .formParam("state", OidcFlow.hidden(confirm.asString(), "state")).post("/oidc/logout/confirm");
        assertEquals(303, done.statusCode());
        assertEquals("http://127.0.0.1:9/bye?state=s-old", done.header("Location"));
        params = flow.params("openid");
        params.put("prompt", "none");
        assertEquals("login_required",
                OidcFlow.redirect(flow.authorize(params)).toErrorResponse().getErrorObject().getCode());
    }

    static char checkDigit(String first17) {
        return cn.onenet.common.identifiers.ResidentIdNumber.checkCharacter(first17);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLoweredLevelShowsAtTheNextCodeAndRefreshAndStepUpIsRefused() throws Exception {
        String base = "33010619920101" + String.format("%03d", System.nanoTime() % 1000);
        String id = base + SessionAndLogoutTest.checkDigit(base);
        Account existing = Account.byUsername(id);
        UUID accountId = existing != null ? existing.id : accounts.create(new AccountService.NewAccount(
                AccountType.NATURAL_PERSON, null, "降级测试", id, null, null, null, null, OidcFlow.PASSWORD, null, null),
                "test").id;
        setLevel(accountId, 3);
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse tokens = flow.tokens(id, "openid profile");
        assertEquals("urn:onenet:loa:3", acr(tokens.getOIDCTokens().getAccessToken().getValue()));

        // the register check is withdrawn: the level goes down to 2
        setLevel(accountId, 2);
        TokenResponse refreshed = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())));
        assertTrue(refreshed.indicatesSuccess(), () -> refreshed.toErrorResponse().getErrorObject().toString());
        OIDCTokenResponse after = (OIDCTokenResponse) refreshed.toSuccessResponse();
        assertEquals("urn:onenet:loa:2", acr(after.getOIDCTokens().getAccessToken().getValue()));
        assertEquals("urn:onenet:loa:2", acr(after.getOIDCTokens().getIDTokenString()));
        // a new code in the same SSO session (no login page): level 2 too
        OIDCTokenResponse again = (OIDCTokenResponse) flow.exchange(flow.code(id, "openid")).toSuccessResponse();
        assertEquals("urn:onenet:loa:2", acr(again.getOIDCTokens().getIDTokenString()));
        // asking for level 3 is no longer answered from the session: the account cannot reach it
        java.util.Map<String, String> params = flow.params("openid");
        params.put("acr_values", "urn:onenet:loa:3");
        AuthorizationResponse denied = OidcFlow.redirect(flow.authorize(params));
        assertEquals("access_denied", denied.toErrorResponse().getErrorObject().getCode());
    }

    private static void setLevel(UUID accountId, int level) {
        QuarkusTransaction.requiringNew().run(() -> Account.<Account>findById(accountId).level = level);
    }

    private static String acr(String jwt) throws java.text.ParseException {
        return SignedJWT.parse(jwt).getJWTClaimsSet().getStringClaim("acr");
    }

    @Test
    void reauthenticationRenewsTheSessionCookieAndKeepsTheGrantsAndSid() throws Exception {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse first = flow.tokens(CodeFlowConformanceTest.CITIZEN, "openid");
        String before = flow.cookies.get(SessionService.COOKIE);
        assertNotNull(before);
        String sid = first.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");

        // prompt=login: the user signs in again in the same session
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "login");
        assertTrue(flow.authorize(params).asString().contains("name=\"password\""));
        AuthorizationResponse again = OidcFlow.redirect(flow.submitLogin(CodeFlowConformanceTest.CITIZEN,
                OidcFlow.PASSWORD, null, null));
        assertTrue(again.indicatesSuccess());
        String after = flow.cookies.get(SessionService.COOKIE);
        assertNotEquals(before, after);
        OIDCTokenResponse second = (OIDCTokenResponse) flow.exchange(again.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse();
        // the same session to relying parties
        assertEquals(sid, second.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid"));

        // the cookie from before the sign-in opens nothing now; the new one does
        Map<String, String> silent = flow.params("openid");
        silent.put("prompt", "none");
        AuthorizationResponse withOld = OidcFlow.redirect(given().redirects().follow(false)
                .cookie(SessionService.COOKIE, before).queryParams(silent).get("/oidc/authorize"));
        assertEquals("login_required", withOld.indicatesSuccess() ? "code issued"
                : withOld.toErrorResponse().getErrorObject().getCode());
        silent = flow.params("openid");
        silent.put("prompt", "none");
        assertTrue(OidcFlow.redirect(flow.authorize(silent)).indicatesSuccess());
        // the refresh token issued before the sign-in goes on with the session
        TokenResponse refreshed = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(first.getOIDCTokens().getRefreshToken())));
        assertTrue(refreshed.indicatesSuccess(), () -> refreshed.toErrorResponse().getErrorObject().toString());
    }
}
