package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.AuditService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * 修改密码: the holder changes their own password with the current one (POST me/password). Wrong current passwords
 * lock like failed logins; the new one meets the password policy; an agent's token may not; the other sign-ins of
 * the account end while the caller's stays.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class PasswordChangeTest {

    private static final String PASSWORD = "/api/identity/v1/me/password";
    private static final String NEW_PASSWORD = "Xh#2026-qiantang";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    AuditService audit;
    @Inject
    EntityManager em;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void theNewPasswordSignsInTheOldOneNoLongerAndOtherSignInsEndWhileTheCallersStays() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "修改密码测试");
        // two sign-ins of the account: this browser (the caller) and another one
        OIDCTokenResponse here = new OidcFlow("test-web", TestClients.SECRET).tokens(citizen.username, "openid");
        OIDCTokenResponse elsewhere = new OidcFlow("test-web", TestClients.SECRET).tokens(citizen.username, "openid");
        String token = here.getOIDCTokens().getAccessToken().getValue();

        change(token, OidcFlow.PASSWORD, NEW_PASSWORD).statusCode(204);

        assertFalse(signsIn(citizen.username, OidcFlow.PASSWORD), "the old password still signs in");
        assertTrue(signsIn(citizen.username, NEW_PASSWORD), "the new password does not sign in");
        // the other sign-in is over: its refresh token and its access token no longer work
        assertEquals("invalid_grant", refresh(elsewhere.getOIDCTokens().getRefreshToken()).toErrorResponse()
                .getErrorObject().getCode());
        given().auth().oauth2(elsewhere.getOIDCTokens().getAccessToken().getValue()).get("/api/identity/v1/me")
                .then().statusCode(401);
        // the caller's own stays
        given().auth().oauth2(token).get("/api/identity/v1/me").then().statusCode(200)
                .body("id", equalTo(citizen.id.toString()));
        assertTrue(refresh(here.getOIDCTokens().getRefreshToken()).indicatesSuccess(),
                "the caller's refresh token was revoked");
        assertEquals(1, events(citizen, "SUCCESS"));
        String detail = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "eventType = ?1 and subject = ?2", "PASSWORD_CHANGED", citizen.id.toString()).firstResult().detail);
        // the other session ended with its grants; no grant outside a live session was left to revoke
        assertEquals("other sessions ended=1, other grants revoked=0", detail);
    }

    @Test
    void aRegisteredContactIsToldOfTheChange() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "修改密码通知测试");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE account SET email = ?2 WHERE id = ?1")
                .setParameter(1, citizen.id).setParameter(2, "pw-" + citizen.id + "@example.cn").executeUpdate());
        change(OidcFlow.accessToken("test-web", citizen.username), OidcFlow.PASSWORD, NEW_PASSWORD).statusCode(204);
        long told = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM "
                + "notification_outbox WHERE account_id = ?1 AND kind = 'PASSWORD_CHANGED' AND recipient = ?2")
                .setParameter(1, citizen.id).setParameter(2, "pw-" + citizen.id + "@example.cn").getSingleResult())
                .longValue());
        assertEquals(1, told);
    }

    @Test
    void wrongCurrentPasswordsAreRefusedThenLockTheChangeButNotTheLoginPage() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "修改密码锁定测试");
        String token = OidcFlow.accessToken("test-web", citizen.username);
        for (int i = 0; i < 5; i++) {
            change(token, "Wrong#pass" + i, NEW_PASSWORD).statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("currentPassword")).body("detail", containsString("当前密码错误"));
        }
        // locked: even the right password is refused here now (the signed-in holder is a source of its own: the
        // login page elsewhere is not held by it, as failures from one source hold only that source)
        change(token, OidcFlow.PASSWORD, NEW_PASSWORD).statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("retryAfterSeconds", notNullValue());
        assertEquals(6, events(citizen, "FAILURE"), "five wrong passwords and the refusal while locked");
        // the password is unchanged
        assertTrue(signsIn(citizen.username, OidcFlow.PASSWORD));
    }

    @Test
    void aNewPasswordAgainstThePolicyOrTheSameAsTheCurrentOneIsRefusedAndCountsNothing() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "修改密码策略测试");
        String token = OidcFlow.accessToken("test-web", citizen.username);
        change(token, OidcFlow.PASSWORD, "short1A!").statusCode(400).body("field", equalTo("newPassword"))
                .body("detail", containsString("至少10位"));
        change(token, OidcFlow.PASSWORD, "alllowercase").statusCode(400).body("field", equalTo("newPassword"))
                .body("detail", containsString("至少三类"));
        change(token, OidcFlow.PASSWORD, "Ab#" + citizen.username).statusCode(400)
                .body("field", equalTo("newPassword")).body("detail", containsString("登录名"));
        change(token, OidcFlow.PASSWORD, OidcFlow.PASSWORD).statusCode(400).body("field", equalTo("newPassword"))
                .body("detail", containsString("不能与当前密码相同"));
        change(token, null, NEW_PASSWORD).statusCode(400).body("field", equalTo("currentPassword"));
        given().auth().oauth2(token).contentType("application/json").body("{}").post(PASSWORD).then()
                .statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItems("currentPassword", "newPassword"));
        // a weak new password is refused before the current one is checked: wrong ones with it lock nothing
        for (int i = 0; i < 6; i++) {
            change(token, "Wrong#pass" + i, "weak").statusCode(400).body("field", equalTo("newPassword"));
        }
        assertEquals(0, events(citizen, "FAILURE"));
        assertTrue(signsIn(citizen.username, OidcFlow.PASSWORD), "the password changed");
        change(token, OidcFlow.PASSWORD, NEW_PASSWORD).statusCode(204);
    }

    @Test
    void onlyTheHoldersOwnLoginChangesIt() {
        // 赵六 signs in as the demo enterprise's agent: the token's subject is the enterprise
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        String agent = ((OIDCTokenResponse) flow.exchange(OidcFlow.redirect(flow.submitLogin(DelegationTest.AGENT,
                OidcFlow.PASSWORD, null, DelegationTest.USCC)).toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse()).getOIDCTokens().getAccessToken().getValue();
        change(agent, OidcFlow.PASSWORD, NEW_PASSWORD).statusCode(403).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("currentPassword", OidcFlow.PASSWORD, "newPassword",
                NEW_PASSWORD)).post(PASSWORD).then().statusCode(401);
        // neither the enterprise's password nor the agent's changed
        assertTrue(signsIn(DelegationTest.USCC, OidcFlow.PASSWORD));
        assertTrue(signsIn(DelegationTest.AGENT, OidcFlow.PASSWORD));
    }

    private static ValidatableResponse change(String token, String current, String next) {
        Map<String, String> body = new HashMap<>();
        body.put("currentPassword", current);
        body.put("newPassword", next);
        return given().auth().oauth2(token).contentType("application/json").body(body).post(PASSWORD).then();
    }

    private static boolean signsIn(String username, String password) {
        return OidcFlow.signsIn(username, password);
    }

    private static TokenResponse refresh(RefreshToken token) {
        return OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"),
                new OidcFlow("test-web", TestClients.SECRET).auth(), new RefreshTokenGrant(token)));
    }

    private long events(Account account, String outcome) {
        audit.flush();
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "eventType = ?1 and subject = ?2 and outcome = ?3", "PASSWORD_CHANGED", account.id.toString(),
                outcome));
    }
}
