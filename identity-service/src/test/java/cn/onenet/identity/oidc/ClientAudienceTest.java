package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.restassured.response.Response;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The APIs a client's tokens are for: none unless registered, identity-service's own only for a first-party client,
 * kept when an update leaves them out.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ClientAudienceTest {

    private static final String CLIENTS = "/api/identity/v1/clients";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void anAppRegisteredWithoutAudiencesGetsTokensForUserInfoOnly() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String clientId = "no-aud-" + System.nanoTime();
        String secret = given().auth().oauth2(admin).contentType("application/json").body(webApp(clientId))
                .post(CLIENTS).then().statusCode(201).body("client.audiences", equalTo(List.of()))
                .extract().path("clientSecret");

        // An administrator signs in to that app: its token opens neither the admin API nor the self-service API.
        String token = login(clientId, secret, "dsj.admin");
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
        Map<String, Object> thirdParty = new HashMap<>(webApp("own-api-" + System.nanoTime()));
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

    private static Map<String, Object> webApp(String clientId) {
        return Map.of("clientId", clientId, "name", "自然资源厅网上办事", "grantTypes",
                List.of("authorization_code"), "redirectUris", List.of(OidcFlow.REDIRECT), "scopes",
                List.of("openid", "profile"));
    }

    /** Logs in through the (third-party) app, consenting when asked; its access token. */
    static String login(String clientId, String secret, String username) {
        OidcFlow flow = new OidcFlow(clientId, secret);
        flow.authorize(flow.params("openid profile"));
        Response r = flow.submitLogin(username, OidcFlow.PASSWORD, null, null);
        if (r.statusCode() == 200 && r.asString().contains("id=\"approve\"")) {
            r = flow.submitConsent(true);
        }
        return flow.exchange(OidcFlow.redirect(r).toSuccessResponse().getAuthorizationCode()).toSuccessResponse()
                .getTokens().getAccessToken().getValue();
    }

    static List<String> audience(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getAudience();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }
}
