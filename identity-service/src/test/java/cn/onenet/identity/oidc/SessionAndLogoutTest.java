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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
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
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** SSO session behaviour: prompt, max_age, acr_values step-up, RP-initiated and back-channel logout, key rollover. */
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
}
