package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;

import cn.onenet.identity.accounts.AccountListTest;
import cn.onenet.identity.service.ClientRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** identity-service's own API, protected by its own tokens: who may call what, allow and deny. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AdminApiTest {

    private static final String CLIENTS = "/api/identity/v1/clients";

    @Inject
    TestClients clients;

    @Inject
    ClientRegistry registry;

    @Inject
    EntityManager em;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void aTokenOfAnAppNotRegisteredForThisApiDoesNotOpenIt() {
        // An admin and a citizen log in to a third-party app registered for the catalogue and exchange APIs only.
        String admin = thirdPartyToken("dsj.admin");
        String citizen = thirdPartyToken(CodeFlowConformanceTest.CITIZEN);
        try {
            thirdPartyTokensAreRefused(admin, citizen);
        } finally {
            // Leave no consent behind: the browser test expects the citizen's first visit to ask for it.
            given().auth().oauth2(OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN))
                    .delete("/api/identity/v1/me/consents/test-third").then().statusCode(204);
            given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin"))
                    .delete("/api/identity/v1/me/consents/test-third").then().statusCode(204);
        }
    }

    private static void thirdPartyTokensAreRefused(String admin, String citizen) {
        given().auth().oauth2(admin).get("/api/identity/v1/clients").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("clientId", "app-" + System.nanoTime(), "name", "借用令牌", "grantTypes",
                        List.of("client_credentials"), "audiences", List.of("onenet-identity"), "roles",
                        List.of("admin")))
                .post("/api/identity/v1/clients").then().statusCode(401);
        given().auth().oauth2(citizen).post("/api/identity/v1/me/totp").then().statusCode(401);
        given().auth().oauth2(citizen).get("/api/identity/v1/me/consents").then().statusCode(401);
        // The app still gets the user's claims where OpenID Connect says so, and its own APIs accept the token.
        given().auth().oauth2(citizen).get("/oidc/userinfo").then().statusCode(200)
                .body("sub", notNullValue());
        // The same admin through an app registered for this API (as the console is) is let in.
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin")).get("/api/identity/v1/clients")
                .then().statusCode(200);
    }

    @Test
    void disablingAnAccountSignsItOutEverywhereAndEnablingItRevivesNothing() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String username = "test.leaver" + (System.nanoTime() % 100000);
        String id = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", "离岗测试员",
                        "departmentCode", "11330000002481060E", "roles", List.of("operator"),
                        "password", OidcFlow.PASSWORD))
                .post("/api/identity/v1/accounts").then().statusCode(201).extract().path("id");
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        com.nimbusds.openid.connect.sdk.OIDCTokenResponse tokens = flow.tokens(username, "openid profile");
        com.nimbusds.oauth2.sdk.token.RefreshToken refresh = tokens.getOIDCTokens().getRefreshToken();
        // who may: admins only
        given().post("/api/identity/v1/accounts/" + id + "/disable").then().statusCode(401);
        given().auth().oauth2(OidcFlow.accessToken("test-web", "gat.operator"))
                .post("/api/identity/v1/accounts/" + id + "/disable").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).post("/api/identity/v1/accounts/" + id + "/disable").then().statusCode(200);
        // the refresh token, the access token and the single sign-on session all end with it
        given().auth().preemptive().basic("test-web", TestClients.SECRET).formParam("token", refresh.getValue())
                .post("/oidc/introspect").then().statusCode(200).body("active", equalTo(false));
        assertEquals("invalid_grant", refresh(flow, refresh));
        given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .formParam("token", tokens.getOIDCTokens().getAccessToken().getValue()).post("/oidc/introspect")
                .then().statusCode(200).body("active", equalTo(false));
        given().auth().oauth2(tokens.getOIDCTokens().getAccessToken().getValue()).get("/oidc/userinfo").then()
                .statusCode(401);
        org.junit.jupiter.api.Assertions.assertTrue(flow.authorize(flow.params("openid")).asString()
                .contains("name=\"password\""), "the single sign-on session must have ended");
        // enabled again: a new login works, nothing issued before comes back
        given().auth().oauth2(admin).post("/api/identity/v1/accounts/" + id + "/enable").then().statusCode(200);
        assertEquals("invalid_grant", refresh(flow, refresh));
        new OidcFlow("test-web", TestClients.SECRET).tokens(username, "openid profile");
    }

    /** The error code of a refresh grant (null when it succeeds). */
    private static String refresh(OidcFlow flow, com.nimbusds.oauth2.sdk.token.RefreshToken token) {
        com.nimbusds.oauth2.sdk.TokenResponse response = OidcFlow.send(new com.nimbusds.oauth2.sdk.TokenRequest(
                OidcFlow.endpoint("token"), flow.auth(), new com.nimbusds.oauth2.sdk.RefreshTokenGrant(token)));
        return response.indicatesSuccess() ? null : response.toErrorResponse().getErrorObject().getCode();
    }

    /** Logs a user in to the third-party test app (consent given) and returns the access token. */
    private static String thirdPartyToken(String username) {
        String token = signIn("test-third", TestClients.SECRET, username);
        assertEquals(List.of("onenet-catalog", "onenet-exchange"), audience(token));
        return token;
    }

    private static List<String> audience(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getAudience();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void clientRegistrationIsForAdminsAndTheSecretIsShownOnce() {
        String citizen = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        given().get("/api/identity/v1/clients").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(citizen).get("/api/identity/v1/clients").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(admin + "x").get("/api/identity/v1/clients").then().statusCode(401);
        // a client-credentials token is not an admin either
        String system = given().auth().preemptive().basic("catalog-service", "demo-catalog-secret")
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().extract().path("access_token");
        given().auth().oauth2(system).get("/api/identity/v1/clients").then().statusCode(403);

        String clientId = "zrzy-system-" + System.nanoTime();
        Map<String, Object> registration = Map.of("clientId", clientId, "name", "自然资源厅不动产系统",
                "grantTypes", List.of("client_credentials"), "scopes", List.of("catalog", "exchange"),
                "audiences", List.of("onenet-exchange"), "roles", List.of("system"),
                "departmentCode", "11330000002481030B");
        String secret = given().auth().oauth2(admin).contentType("application/json").body(registration)
                .post("/api/identity/v1/clients").then().statusCode(201).body("client.clientId", equalTo(clientId))
                .body("clientSecret", notNullValue()).extract().path("clientSecret");
        given().auth().oauth2(admin).get("/api/identity/v1/clients/" + clientId).then().statusCode(200)
                .body("$", not(hasKey("clientSecret"))).body(not(containsString(secret)))
                .body(not(containsString("s256$")));
        // the new client works with the secret it was shown
        given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200);
        // invalid registrations
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("clientId", "x-" + System.nanoTime(), "name", "bad", "grantTypes", List.of("implicit")))
                .post("/api/identity/v1/clients").then().statusCode(400).body("errors.field", hasItem("grantTypes"));
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("clientId", "y-" + System.nanoTime(), "name", "bad", "grantTypes",
                        List.of("authorization_code"), "redirectUris", List.of("javascript:alert(1)")))
                .post("/api/identity/v1/clients").then().statusCode(400).body("errors.field", hasItem("redirectUris"));
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("clientId", "z-" + System.nanoTime(), "name", "bad", "authMethod", "private_key_jwt"))
                .post("/api/identity/v1/clients").then().statusCode(400).body("errors.field", hasItem("jwks"));
        given().auth().oauth2(admin).contentType("application/json").body(registration)
                .post("/api/identity/v1/clients").then().statusCode(409);
        // rotate the secret: the old one stops working
        String newSecret = given().auth().oauth2(admin).post("/api/identity/v1/clients/" + clientId + "/secret")
                .then().statusCode(200).extract().path("clientSecret");
        given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(401);
        given().auth().preemptive().basic(clientId, newSecret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200);
        // stale version
        given().auth().oauth2(admin).contentType("application/json").queryParam("version", 99).body(registration)
                .put("/api/identity/v1/clients/" + clientId).then().statusCode(409)
                .body("type", equalTo("urn:onenet:problem:stale-version"));
    }

    /** A value repeated in a list (whose joined form would overflow its column) is registered once. */
    @Test
    void repeatedListValuesAreRegisteredOnce() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String clientId = "rep-" + System.nanoTime();
        Map<String, Object> registration = new java.util.HashMap<>(Map.of("clientId", clientId, "name", "重复取值",
                "grantTypes", java.util.Collections.nCopies(11, "client_credentials"),
                "scopes", java.util.Collections.nCopies(60, "exchange"),
                "audiences", java.util.Collections.nCopies(20, "onenet-exchange"),
                "roles", java.util.Collections.nCopies(30, "system")));
        given().auth().oauth2(admin).contentType("application/json").body(registration)
                .post("/api/identity/v1/clients").then().statusCode(201)
                .body("client.grantTypes", equalTo(List.of("client_credentials")))
                .body("client.scopes", equalTo(List.of("exchange")))
                .body("client.audiences", equalTo(List.of("onenet-exchange")))
                .body("client.roles", equalTo(List.of("system")));
        registration.put("scopes", java.util.Collections.nCopies(60, "catalog"));
        given().auth().oauth2(admin).contentType("application/json").body(registration)
                .put("/api/identity/v1/clients/" + clientId).then().statusCode(200)
                .body("client.scopes", equalTo(List.of("catalog")));
    }

    @Test
    void registeredUrisMustBeHttpsExceptOnLoopback() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String plain = "http://zrzy.example.gov.cn";
        refusedInEveryUriField(admin, plain + "/cb", "https://zrzy.example.gov.cn/cb", "https");
        // https anywhere, http on the loopback only
        for (String uri : List.of("https://zrzy.example.gov.cn/cb", "http://127.0.0.1:9/cb", "http://localhost:9/cb",
                "http://[::1]:9/cb")) {
            given().auth().oauth2(admin).contentType("application/json").body(webApp("ok-" + System.nanoTime(), uri))
                    .post("/api/identity/v1/clients").then().statusCode(201);
        }
        // an update is held to the same rule
        String id = "upd-" + System.nanoTime();
        given().auth().oauth2(admin).contentType("application/json").body(webApp(id, "http://127.0.0.1:9/cb"))
                .post("/api/identity/v1/clients").then().statusCode(201);
        given().auth().oauth2(admin).contentType("application/json").body(webApp(id, plain + "/cb"))
                .put("/api/identity/v1/clients/" + id).then().statusCode(400)
                .body("errors.field", hasItem("redirectUris"));
    }

    @Test
    void aClientIdShapedLikeAnAccountIdIsRefusedAndAClientTokenIsNobodysOwnLogin() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String citizen = cn.onenet.identity.model.Account.byUsername(CodeFlowConformanceTest.CITIZEN).id.toString();
        // a client-credentials token's sub is the client id: one named like an account would be that account
        for (String uuidShaped : List.of(citizen, "1-2-3-4-5", "0000000a-000b-000c-000d-00000000000e")) {
            given().auth().oauth2(admin).contentType("application/json").body(systemClient(uuidShaped))
                    .post(CLIENTS).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("clientId"));
        }
        given().auth().oauth2(admin).get(CLIENTS + "/" + citizen).then().statusCode(404);
        // one registered before the check (renamed here in the database): its token names the citizen's account
        String registered = "pre-check-" + System.nanoTime();
        String secret = given().auth().oauth2(admin).contentType("application/json").body(systemClient(registered))
                .post(CLIENTS).then().statusCode(201).extract().path("clientSecret");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE oauth_client SET client_id = ?2 WHERE client_id = ?1").setParameter(1, registered)
                .setParameter(2, citizen).executeUpdate());
        registry.invalidate(registered);
        registry.invalidate(citizen);
        try {
            String token = given().auth().preemptive().basic(citizen, secret)
                    .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                    .post("/oidc/token").then().statusCode(200).extract().path("access_token");
            given().auth().oauth2(token).get("/api/identity/v1/me").then().statusCode(403)
                    .contentType("application/problem+json").body(not(containsString("张三")));
            given().auth().oauth2(token).get("/api/identity/v1/me/consents").then().statusCode(403);
            given().auth().oauth2(token).get("/api/identity/v1/delegations").then().statusCode(403);
            given().auth().oauth2(token).contentType("application/json")
                    .body(Map.of("agentIdNumber", "330110200102150052", "agentName", "赵六", "validTo",
                            java.time.OffsetDateTime.now().plusDays(30).toString()))
                    .post("/api/identity/v1/delegations").then().statusCode(403);
            // the citizen's own login still is
            given().auth().oauth2(OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN))
                    .get("/api/identity/v1/me").then().statusCode(200).body("id", equalTo(citizen));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "DELETE FROM oauth_client WHERE client_id = ?1").setParameter(1, citizen).executeUpdate());
            registry.invalidate(citizen);
        }
    }

    /** A first-party system client for identity-service's own API, as an administrator might register one. */
    private static Map<String, Object> systemClient(String clientId) {
        return Map.of("clientId", clientId, "name", "系统应用", "grantTypes", List.of("client_credentials"),
                "scopes", List.of("catalog"), "audiences", List.of("onenet-identity"), "firstParty", true);
    }

    @Test
    void registeredUrisAreAtMostFiveHundredCharacters() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String base = "https://zrzy.example.gov.cn/";
        String longest = base + "a".repeat(500 - base.length());
        String tooLong = longest + "a";
        refusedInEveryUriField(admin, tooLong, longest, "500");
        // 500 characters fit the columns: registered, and the authorization code is stored with it
        String id = "long-" + System.nanoTime();
        Map<String, Object> body = new java.util.HashMap<>(webApp(id, longest));
        body.put("backchannelLogoutUri", longest);
        body.put("scopes", List.of("openid"));
        body.put("firstParty", true);
        String secret = given().auth().oauth2(admin).contentType("application/json").body(body)
                .post("/api/identity/v1/clients").then().statusCode(201).extract().path("clientSecret");
        OidcFlow flow = new OidcFlow(id, secret);
        Map<String, String> params = flow.params("openid");
        params.put("redirect_uri", longest);
        assertTrue(flow.login(params, CodeFlowConformanceTest.CITIZEN).indicatesSuccess());
        // a longer one registered before the limit: an error back to the client, not a server error
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE oauth_client SET redirect_uris = ?2 WHERE client_id = ?1").setParameter(1, id)
                .setParameter(2, tooLong).executeUpdate());
        registry.invalidate(id);
        params = flow.params("openid");
        params.put("redirect_uri", tooLong);
        AuthorizationResponse refused = OidcFlow.redirect(flow.authorize(params));
        assertEquals("invalid_request", refused.indicatesSuccess() ? "code issued"
                : refused.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void aPresentedTokenThatIsNotValidIsNamedInTheChallenge() {
        // RFC 6750 §3: error="invalid_token" when a token was sent, no error code when none was
        given().get("/api/identity/v1/clients").then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"onenet-identity\""));
        given().auth().oauth2("not-a-token").get("/api/identity/v1/clients").then().statusCode(401)
                .header("WWW-Authenticate", equalTo("Bearer realm=\"onenet-identity\", error=\"invalid_token\""));
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin") + "x").get("/api/identity/v1/clients")
                .then().statusCode(401).header("WWW-Authenticate", containsString("error=\"invalid_token\""));
    }

    /**
     * {@code bad} as each registered URI in turn (redirect, post-logout, back-channel logout, JWKS; the others
     * {@code good}) is a 400 problem naming that field alone, its message mentioning {@code mention}.
     */
    private static void refusedInEveryUriField(String admin, String bad, String good, String mention) {
        for (Map.Entry<String, Object> field : Map.<String, Object>of("redirectUris", List.of(bad),
                "postLogoutRedirectUris", List.of(bad), "backchannelLogoutUri", bad).entrySet()) {
            Map<String, Object> body = new java.util.HashMap<>(webApp("uri-" + System.nanoTime(), good));
            body.put(field.getKey(), field.getValue());
            given().auth().oauth2(admin).contentType("application/json").body(body).post("/api/identity/v1/clients")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of(field.getKey()))).body(containsString(mention));
        }
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("clientId", "jwks-" + System.nanoTime(), "name", "远程公钥", "authMethod", "private_key_jwt",
                        "jwksUri", bad))
                .post("/api/identity/v1/clients").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("jwksUri"))).body(containsString(mention));
    }

    private static Map<String, Object> webApp(String clientId, String redirectUri) {
        return Map.of("clientId", clientId, "name", "自然资源厅网上办事", "grantTypes", List.of("authorization_code"),
                "redirectUris", List.of(redirectUri));
    }

    @Test
    void accountsAndRolesAreForAdmins() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String operator = OidcFlow.accessToken("test-web", "gat.operator");
        given().auth().oauth2(operator).get("/api/identity/v1/accounts").then().statusCode(403);
        given().auth().oauth2(admin).queryParam("type", "CIVIL_SERVANT").get("/api/identity/v1/accounts").then()
                .statusCode(200).body("username", hasItem("gat.operator")).body(not(containsString("argon2")));
        given().auth().oauth2(admin).queryParam("type", "NO_SUCH").get("/api/identity/v1/accounts").then()
                .statusCode(400);
        // a legal person with a wrong check character: a clear 400
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("type", "LEGAL_PERSON", "displayName", "某公司", "uscc", "91330106MA2H00001F",
                        "password", "Good-pass-2026"))
                .post("/api/identity/v1/accounts").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("uscc")).body(containsString("校验"));
        String username = "test.staff" + (System.nanoTime() % 100000);
        String id = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", "测试员",
                        "departmentCode", "11330000002481060E", "roles", List.of("operator"),
                        "password", OidcFlow.PASSWORD))
                .post("/api/identity/v1/accounts").then().statusCode(201).body("roles", equalTo(List.of("operator")))
                .body("departmentCode", equalTo("11330000002481060E")).extract().path("id");
        given().auth().oauth2(admin).contentType("application/json").body(List.of("catalog-editor", "operator"))
                .put("/api/identity/v1/accounts/" + id + "/roles").then().statusCode(200)
                .body("roles", equalTo(List.of("catalog-editor", "operator")));
        given().auth().oauth2(admin).contentType("application/json").body(List.of("superuser"))
                .put("/api/identity/v1/accounts/" + id + "/roles").then().statusCode(400);
        given().auth().oauth2(admin).get("/api/identity/v1/accounts/not-a-uuid").then().statusCode(400);
        // the new staff member's token carries roles, department and region as documented
        String token = new OidcFlow("test-web", TestClients.SECRET).tokens(username, "openid").getOIDCTokens()
                .getAccessToken().getValue();
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post("/oidc/introspect").then().body("roles", hasItem("catalog-editor"))
                .body("dept", equalTo("11330000002481060E")).body("region", equalTo("330000"))
                .body("account_type", equalTo("civil_servant")).body("competent_authority", nullValue());
        // staff of the region's 主管部门 (the big-data bureau) are told so, in the token and at UserInfo
        OIDCTokens reviewer = new OidcFlow("test-web", TestClients.SECRET).tokens("dsj.reviewer", "openid")
                .getOIDCTokens();
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("token", reviewer.getAccessToken().getValue()).post("/oidc/introspect").then()
                .body("dept", equalTo("113300000024810109")).body("competent_authority", equalTo(true));
        given().auth().oauth2(reviewer.getAccessToken().getValue()).get("/oidc/userinfo").then().statusCode(200)
                .body("competent_authority", equalTo(true));
        given().auth().oauth2(token).get("/oidc/userinfo").then().statusCode(200)
                .body("competent_authority", nullValue());
    }

    /** 部门负责人: a staff role of its own, given by admins, carried in the head's tokens for the services' approvals. */
    @Test
    void departmentHeadsHoldTheHeadRole() throws java.text.ParseException {
        String head = OidcFlow.accessToken("test-web", "rst.head");
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("token", head).post("/oidc/introspect").then().statusCode(200)
                .body("roles", equalTo(List.of("head"))).body("dept", equalTo("11330000002481060E"));
        // the services record the approver by the name in the access token
        assertTrue(com.nimbusds.jwt.SignedJWT.parse(head).getJWTClaimsSet().getStringClaim("name").contains("人社厅"));
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String id = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", "test.head" + (System.nanoTime() % 100000),
                        "displayName", "测试负责人", "departmentCode", "11330000002481070F",
                        "roles", List.of("operator"), "password", OidcFlow.PASSWORD))
                .post("/api/identity/v1/accounts").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType("application/json").body(List.of("head", "operator"))
                .put("/api/identity/v1/accounts/" + id + "/roles").then().statusCode(200)
                .body("roles", equalTo(List.of("head", "operator")));
        given().auth().oauth2(admin).queryParam("role", "head").queryParam("size", 100)
                .get("/api/identity/v1/accounts").then().statusCode(200)
                .body("username", hasItem("gat.head")).body("username", hasItem("hz.head"))
                .body("username", not(hasItem("gat.operator")));
        // only admins give roles
        given().auth().oauth2(head).contentType("application/json").body(List.of("head", "admin"))
                .put("/api/identity/v1/accounts/" + id + "/roles").then().statusCode(403);
    }

    @Test
    void auditIsForAuditorsAndHoldsNoSecrets() {
        String auditor = OidcFlow.accessToken("test-web", "dsj.auditor");
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        given().auth().oauth2(admin).get("/api/identity/v1/audit").then().statusCode(403);
        given().auth().oauth2(auditor).queryParam("type", "LOGIN").queryParam("outcome", "SUCCESS")
                .get("/api/identity/v1/audit").then().statusCode(200).body("type", everyItem(equalTo("LOGIN")))
                .body("size()", org.hamcrest.Matchers.greaterThan(0));
        given().auth().oauth2(auditor).queryParam("type", "TOKEN_ISSUED").get("/api/identity/v1/audit").then()
                .statusCode(200).body("clientId", hasItem("test-web"));
        given().auth().oauth2(auditor).queryParam("type", "CLIENT_REGISTERED").get("/api/identity/v1/audit").then()
                .statusCode(200).body("clientId", hasItem("gateway"));
        String all = given().auth().oauth2(auditor).queryParam("size", 500).get("/api/identity/v1/audit").asString();
        org.junit.jupiter.api.Assertions.assertFalse(all.contains(OidcFlow.PASSWORD));
        org.junit.jupiter.api.Assertions.assertFalse(all.contains("demo-catalog-secret"));
        org.junit.jupiter.api.Assertions.assertFalse(all.contains(admin.substring(0, 40)));
        given().auth().oauth2(auditor).queryParam("from", "yesterday").get("/api/identity/v1/audit").then()
                .statusCode(400).body("field", equalTo("from"));
    }

    @Test
    void anAuditPageBeyondTheLastIntOffsetIsAProblemNamingThePage() {
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.auditor")).queryParam("page", Integer.MAX_VALUE)
                .get("/api/identity/v1/audit").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("page"));
        AccountListTest.pagesEndAtTheLastIntOffset("dsj.auditor", "/api/identity/v1/audit");
    }

    @Test
    void keyRotationIsForAdmins() {
        String citizen = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        given().auth().oauth2(citizen).post("/api/identity/v1/keys/rotate").then().statusCode(403);
        given().post("/api/identity/v1/keys/rotate").then().statusCode(401);
    }

    @Test
    void anAppRegisteredWithoutAudiencesGetsTokensForUserInfoOnly() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String clientId = "no-aud-" + System.nanoTime();
        String secret = given().auth().oauth2(admin).contentType("application/json").body(userInfoOnlyApp(clientId))
                .post(CLIENTS).then().statusCode(201).body("client.audiences", equalTo(List.of()))
                .extract().path("clientSecret");

        // An administrator signs in to that app: its token opens neither the admin API nor the self-service API.
        String token = signIn(clientId, secret, "dsj.admin");
        String userinfo = given().get("/oidc/.well-known/openid-configuration").then().statusCode(200)
                .extract().path("userinfo_endpoint");
        assertEquals(List.of(userinfo), audience(token));
        given().auth().oauth2(token).get(CLIENTS).then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(token).post("/api/identity/v1/me/totp").then().statusCode(401);
        given().auth().oauth2(token).get("/api/identity/v1/me/consents").then().statusCode(401);
        // UserInfo answers it, and its own client introspects it
        given().auth().oauth2(token).get("/oidc/userinfo").then().statusCode(200);
        given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("token", token).post("/oidc/introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("aud", equalTo(List.of(userinfo)));
        // the console's client, first party, keeps its audiences and opens the API
        given().auth().oauth2(admin).get(CLIENTS + "/gateway").then().statusCode(200)
                .body("audiences", equalTo(List.of("onenet-identity", "onenet-catalog", "onenet-exchange")));
        given().auth().oauth2(admin).get(CLIENTS).then().statusCode(200);
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin"))
                .delete("/api/identity/v1/me/consents/" + clientId).then().statusCode(204);
    }

    @Test
    void onlyAFirstPartyClientIsRegisteredForThisServicesApi() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        Map<String, Object> thirdParty = new HashMap<>(userInfoOnlyApp("own-api-" + System.nanoTime()));
        thirdParty.put("audiences", List.of("onenet-identity", "onenet-catalog"));
        given().auth().oauth2(admin).contentType("application/json").body(thirdParty).post(CLIENTS).then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("audiences"))).body(containsString("first-party"));
        Map<String, Object> firstParty = new HashMap<>(thirdParty);
        firstParty.put("clientId", "own-api-fp-" + System.nanoTime());
        firstParty.put("firstParty", true);
        given().auth().oauth2(admin).contentType("application/json").body(firstParty).post(CLIENTS).then()
                .statusCode(201).body("client.audiences", equalTo(List.of("onenet-identity", "onenet-catalog")));
        // a first-party client made third-party keeps the audience only if it says so: refused
        Map<String, Object> demoted = new HashMap<>(firstParty);
        demoted.remove("audiences");
        demoted.put("firstParty", false);
        given().auth().oauth2(admin).contentType("application/json").body(demoted)
                .put(CLIENTS + "/" + firstParty.get("clientId")).then().statusCode(400)
                .body("errors.field", hasItem("audiences"));
        given().auth().oauth2(admin).get(CLIENTS + "/" + firstParty.get("clientId")).then().statusCode(200)
                .body("firstParty", equalTo(true));
    }

    @Test
    void anUpdateWithoutAudiencesKeepsTheRegisteredOnes() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String clientId = "keep-aud-" + System.nanoTime();
        Map<String, Object> system = new HashMap<>(Map.of("clientId", clientId, "name", "自然资源厅不动产系统",
                "grantTypes", List.of("client_credentials"), "scopes", List.of("catalog"), "audiences",
                List.of("onenet-catalog"), "roles", List.of("system"), "departmentCode", "11330000002481030B"));
        String secret = given().auth().oauth2(admin).contentType("application/json").body(system).post(CLIENTS)
                .then().statusCode(201).extract().path("clientSecret");
        system.remove("audiences");
        system.put("name", "自然资源厅不动产登记系统");
        given().auth().oauth2(admin).contentType("application/json").body(system).put(CLIENTS + "/" + clientId)
                .then().statusCode(200).body("client.name", equalTo("自然资源厅不动产登记系统"))
                .body("client.audiences", equalTo(List.of("onenet-catalog")));
        String token = given().auth().preemptive().basic(clientId, secret)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(200).extract().path("access_token");
        assertEquals(List.of("onenet-catalog"), audience(token));
        // an explicit empty list removes them
        system.put("audiences", List.of());
        given().auth().oauth2(admin).contentType("application/json").body(system).put(CLIENTS + "/" + clientId)
                .then().statusCode(200).body("client.audiences", equalTo(List.of()));
    }

    @Test
    void disablingAClientRevokesItsGrantsAndItsTokensAreRefused() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String clientId = "disabled-" + System.nanoTime();
        String secret = given().auth().oauth2(admin).contentType("application/json").body(Map.of("clientId", clientId,
                "name", "停用测试应用", "grantTypes", List.of("authorization_code", "refresh_token", "client_credentials"),
                "redirectUris", List.of(OidcFlow.REDIRECT), "scopes", List.of("openid", "profile", "catalog"),
                "audiences", List.of("onenet-identity", "onenet-catalog"), "firstParty", true))
                .post(CLIENTS).then().statusCode(201).extract().path("clientSecret");
        var tokens = new OidcFlow(clientId, secret).tokens(CodeFlowConformanceTest.CITIZEN, "openid profile")
                .getOIDCTokens();
        String access = tokens.getAccessToken().getValue();
        String system = given().auth().preemptive().basic(clientId, secret)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(200).extract().path("access_token");
        // while enabled: the tokens work
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(200);
        given().auth().oauth2(access).get("/api/identity/v1/me").then().statusCode(200);
        TokenRulesTest.introspect("catalog-service", "demo-catalog-secret", access).then().body("active", equalTo(true));
        TokenRulesTest.introspect("catalog-service", "demo-catalog-secret", system).then().body("active", equalTo(true));

        given().auth().oauth2(admin).post(CLIENTS + "/" + clientId + "/disable").then().statusCode(200);
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(401);
        given().auth().oauth2(access).get("/api/identity/v1/me").then().statusCode(401);
        TokenRulesTest.introspect("catalog-service", "demo-catalog-secret", access).then().body("active", equalTo(false));
        TokenRulesTest.introspect("catalog-service", "demo-catalog-secret", system).then().body("active", equalTo(false));

        // enabled again: the refresh token and the user's access token stay dead
        given().auth().oauth2(admin).post(CLIENTS + "/" + clientId + "/enable").then().statusCode(200);
        given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "refresh_token").formParam("refresh_token", tokens.getRefreshToken().getValue())
                .post("/oidc/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(401);
        TokenRulesTest.introspect("catalog-service", "demo-catalog-secret", access).then().body("active", equalTo(false));
        // a new sign-in works
        new OidcFlow(clientId, secret).tokens(CodeFlowConformanceTest.CITIZEN, "openid profile");
    }

    private static Map<String, Object> userInfoOnlyApp(String clientId) {
        return Map.of("clientId", clientId, "name", "自然资源厅网上办事", "grantTypes",
                List.of("authorization_code"), "redirectUris", List.of(OidcFlow.REDIRECT), "scopes",
                List.of("openid", "profile"));
    }

    /** Logs in through the (third-party) app, consenting when asked; its access token. */
    static String signIn(String clientId, String secret, String username) {
        OidcFlow flow = new OidcFlow(clientId, secret);
        flow.authorize(flow.params("openid profile"));
        Response r = flow.submitLogin(username, OidcFlow.PASSWORD, null, null);
        if (r.statusCode() == 200 && r.asString().contains("id=\"approve\"")) {
            r = flow.submitConsent(true);
        }
        return flow.exchange(OidcFlow.redirect(r).toSuccessResponse().getAuthorizationCode()).toSuccessResponse()
                .getTokens().getAccessToken().getValue();
    }
}
