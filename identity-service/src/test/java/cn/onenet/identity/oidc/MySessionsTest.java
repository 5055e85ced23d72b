package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.SelfService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The holder's own sign-ins (GET/DELETE me/sessions) and security history (GET me/security-events). */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class MySessionsTest {

    private static final String SESSIONS = "/api/identity/v1/me/sessions";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** Signs in from a browser of its own (address, user agent) and returns its tokens. */
    private static OIDCTokenResponse signIn(String username, String ip, String agent) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        String html = flow.last.asString();
        io.restassured.response.Response answer = given().redirects().follow(false).cookies(flow.cookies)
                .header("X-Forwarded-For", ip).header("User-Agent", agent)
                .contentType("application/x-www-form-urlencoded").formParam("req", OidcFlow.hidden(html, "req"))
                .formParam("csrf", OidcFlow.hidden(html, "csrf")).formParam("username", username)
                .formParam("password", OidcFlow.PASSWORD).post("/oidc/login");
        answer.getCookies().forEach(flow.cookies::put);
        AuthorizationResponse response = OidcFlow.redirect(answer);
        return (OIDCTokenResponse) flow.exchange(response.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse();
    }

    private static boolean refreshes(OIDCTokenResponse tokens) {
        return OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"),
                new OidcFlow("test-web", TestClients.SECRET).auth(), new RefreshTokenGrant(
                        new RefreshToken(tokens.getOIDCTokens().getRefreshToken().getValue())))).indicatesSuccess();
    }

    private static String access(OIDCTokenResponse tokens) {
        return tokens.getOIDCTokens().getAccessToken().getValue();
    }

    @Test
    void theHolderSeesTheirSessionsMaskedAndEndsOneOrAllOthers() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "会话列表测试");
        OIDCTokenResponse here = signIn(citizen.username, "10.61.7.45", "TestBrowser/1.0 (here)");
        OIDCTokenResponse phone = signIn(citizen.username, "10.62.8.46", "TestBrowser/2.0 (phone)");
        OIDCTokenResponse office = signIn(citizen.username, "10.63.9.47", "TestBrowser/3.0 (office)");

        JsonPath list = given().auth().oauth2(access(here)).get(SESSIONS).then().statusCode(200)
                .body("", hasSize(3)).body("ipMasked", hasItem("10.61.7.0/24"))
                .body("ipMasked", not(hasItem("10.61.7.45"))).body("userAgent", hasItem("TestBrowser/2.0 (phone)"))
                .body("find { it.current }.userAgent", equalTo("TestBrowser/1.0 (here)"))
                .body("find { it.current }.clients[0].clientId", equalTo("test-web")).extract().jsonPath();
        assertEquals(1, list.getList("findAll { it.current }").size());
        String phoneSid = list.getString("find { it.userAgent == 'TestBrowser/2.0 (phone)' }.sid");

        // one session ended: its refresh token no longer works, the others' do
        given().auth().oauth2(access(here)).delete(SESSIONS + "/" + phoneSid).then().statusCode(204);
        assertFalse(refreshes(phone), "the ended session's refresh token still works");
        assertTrue(refreshes(office));
        given().auth().oauth2(access(here)).delete(SESSIONS + "/" + phoneSid).then().statusCode(404);
        // another account's session is not the caller's to end
        Account other = TotpLifecycleTest.newCitizen(accounts, "会话列表他人");
        OIDCTokenResponse theirs = signIn(other.username, "10.64.1.1", "TestBrowser/4.0");
        String theirSid = given().auth().oauth2(access(theirs)).get(SESSIONS).then().statusCode(200).extract()
                .path("[0].sid");
        given().auth().oauth2(access(here)).delete(SESSIONS + "/" + theirSid).then().statusCode(404)
                .contentType("application/problem+json");
        assertTrue(refreshes(theirs));

        // all but this one
        given().auth().oauth2(access(here)).delete(SESSIONS).then().statusCode(200)
                .body("sessionsEnded", equalTo(1));
        assertFalse(refreshes(office), "another session's refresh token still works");
        given().auth().oauth2(access(office)).get("/api/identity/v1/me").then().statusCode(401);
        given().auth().oauth2(access(here)).get(SESSIONS).then().statusCode(200).body("", hasSize(1))
                .body("[0].current", equalTo(true));
        assertTrue(refreshes(here));
    }

    @Test
    void theHolderReadsTheirOwnSecurityEventsAndNoOneElses() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "安全事件测试");
        // a failed login with the account's name, then a sign-in and a password change
        assertFalse(OidcFlow.signsIn(citizen.username, "Wrong#pass-1"));
        String token = access(signIn(citizen.username, "10.65.3.9", "TestBrowser/5.0"));
        given().auth().oauth2(token).contentType("application/json").body(Map.of("currentPassword",
                OidcFlow.PASSWORD, "newPassword", "Xh#2026-events")).post("/api/identity/v1/me/password").then()
                .statusCode(204);
        JsonPath events = given().auth().oauth2(token).get("/api/identity/v1/me/security-events").then()
                .statusCode(200).extract().jsonPath();
        List<String> types = events.getList("type");
        assertTrue(types.containsAll(List.of("LOGIN", "PASSWORD_CHANGED")), types.toString());
        assertEquals("PASSWORD_CHANGED", types.get(0), "newest first: " + types);
        assertEquals(List.of(false), events.getList("findAll { it.type == 'LOGIN' && it.outcome == 'FAILURE' }"
                + ".byHolder"));
        assertTrue(events.getList("ipMasked").contains("10.65.3.0/24"), events.prettify());
        assertFalse(events.prettify().contains("10.65.3.9"));
        // another account's events are not listed
        Account other = TotpLifecycleTest.newCitizen(accounts, "安全事件他人");
        given().auth().oauth2(OidcFlow.accessToken("test-web", other.username)).get(
                "/api/identity/v1/me/security-events").then().statusCode(200)
                .body("type", not(hasItem("PASSWORD_CHANGED")));
    }

    @Test
    void securityEventsNameTheApplicationAndNoNameForOneNoLongerRegistered() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "安全事件应用名称");
        String token = access(signIn(citizen.username, "10.65.4.9", "TestBrowser/5.0"));
        // an event recorded by an application whose registration is gone (e.g. removed from the database by hand)
        QuarkusTransaction.requiringNew().run(() -> {
            AuditEvent gone = new AuditEvent();
            gone.at = OffsetDateTime.now();
            gone.eventType = "LOGIN";
            gone.outcome = "SUCCESS";
            gone.actor = citizen.id.toString();
            gone.subject = citizen.id.toString();
            gone.clientId = "removed-app";
            gone.persist();
        });
        JsonPath events = given().auth().oauth2(token).get("/api/identity/v1/me/security-events").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("测试应用 test-web"), events.getList("findAll { it.clientId == 'test-web' }.clientName"),
                events.prettify());
        assertEquals(java.util.Collections.singletonList(null),
                events.getList("findAll { it.clientId == 'removed-app' }.clientName"), events.prettify());
        assertTrue(events.getMap("find { it.clientId == 'removed-app' }").containsKey("clientName"),
                "clientName is present and null: " + events.prettify());
    }

    @Test
    void onlyTheAccountsOwnLoginMayAndNoTokenIsRefused() {
        given().get(SESSIONS).then().statusCode(401);
        given().delete(SESSIONS).then().statusCode(401);
        given().get("/api/identity/v1/me/security-events").then().statusCode(401);
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid profile"));
        AuthorizationResponse response = OidcFlow.redirect(flow.submitLogin(DelegationTest.AGENT, OidcFlow.PASSWORD,
                null, DelegationTest.USCC));
        String agent = access((OIDCTokenResponse) flow.exchange(response.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse());
        given().auth().oauth2(agent).get(SESSIONS).then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(agent).delete(SESSIONS).then().statusCode(403);
        given().auth().oauth2(agent).delete(SESSIONS + "/x").then().statusCode(403);
        given().auth().oauth2(agent).get("/api/identity/v1/me/security-events").then().statusCode(403);
    }

    @Test
    void addressesAreShownAsTheirNetwork() {
        assertEquals("10.33.12.0/24", SelfService.maskIp("10.33.12.45"));
        assertEquals("2409:8a1e:6a31::/48", SelfService.maskIp("2409:8a1e:6a31:5c20::1"));
        assertEquals(null, SelfService.maskIp(null));
    }
}
