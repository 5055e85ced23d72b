package cn.onenet.identity.recovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.RecoveryService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * 柜台核验: someone registered a citizen's ID number with their own phone; after checking the holder in person an
 * administrator gives the account the holder's phone and takes it back: the squatter's sign-ins, tokens, second
 * factor, delegations and password stop working, both phones are told, and recovery reaches the holder.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CounterVerificationTest {

    private static final String ENTERPRISE_USCC = "91330106MA2H00001E";
    private static final String REPRESENTATIVE = "33010619850312001X";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    RecoveryService recovery;
    @Inject
    AuditService audit;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static String path(Account account) {
        return "/api/identity/v1/accounts/" + account.id + "/counter-verification";
    }

    private static ValidatableResponse verify(String token, Account account, Map<String, ?> body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).post(path(account)).then();
    }

    @Test
    void theHolderGetsTheSquattedAccountBackAndTheSquatterLosesEverything() {
        String squatterPhone = Outbox.newPhone();
        String holderPhone = Outbox.newPhone();
        Account squatted = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "冒名者",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, null, squatterPhone), "self");
        OIDCTokenResponse signIn = new OidcFlow("test-web", TestClients.SECRET).tokens(squatted.username, "openid");
        String token = signIn.getOIDCTokens().getAccessToken().getValue();
        // a second factor waiting for confirmation, and an enterprise's authorisation naming the account
        given().auth().oauth2(token).post("/api/identity/v1/me/totp").then().statusCode(200);
        String rep = OidcFlow.accessToken("test-web", REPRESENTATIVE);
        String delegation = given().auth().oauth2(rep).contentType("application/json").body(Map.of(
                "enterpriseUscc", ENTERPRISE_USCC, "agentIdNumber", squatted.username, "agentName", "冒名者",
                "validTo", OffsetDateTime.now().plusDays(30).toString()))
                .post("/api/identity/v1/delegations").then().statusCode(201).extract().path("id");

        // a reset token the squatter asked for beforehand
        RecoveryTest.requestRecovery(squatted.username, RecoveryTest.ip()).then().statusCode(202);
        QuarkusTransaction.requiringNew().run(() -> Outbox.workOff(recovery));
        String squattersResetToken = QuarkusTransaction.requiringNew().call(() -> Outbox.token(
                Outbox.to(squatterPhone, "PASSWORD_RESET").get(0)));

        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String adminId = QuarkusTransaction.requiringNew().call(() -> Account.byUsername("dsj.admin").id.toString());
        verify(admin, squatted, Map.of("phone", holderPhone, "reason", "受理单 HZ-T-1：身份证原件核验，本人到场"))
                .statusCode(200).body("phoneMasked", equalTo(holderPhone.substring(0, 3) + "****"
                        + holderPhone.substring(7))).body("totp", equalTo(false))
                .body("totpPending.pending", equalTo(false));

        // the squatter's sign-in is over: access token, refresh token, password
        given().auth().oauth2(token).get("/api/identity/v1/me").then().statusCode(401);
        assertFalse(OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"),
                new OidcFlow("test-web", TestClients.SECRET).auth(),
                new RefreshTokenGrant(new RefreshToken(signIn.getOIDCTokens().getRefreshToken().getValue()))))
                .indicatesSuccess(), "the squatter's refresh token still works");
        assertFalse(OidcFlow.signsIn(squatted.username, OidcFlow.PASSWORD), "the squatter's password still signs in");
        given().auth().oauth2(rep).get("/api/identity/v1/delegations").then().statusCode(200)
                .body("find { it.id == '" + delegation + "' }.status", equalTo("REVOKED"));
        // the reset token sent to the squatter's phone no longer sets a password
        RecoveryTest.reset(squattersResetToken, "Squatter-new-pass-9", RecoveryTest.ip()).then().statusCode(400);
        assertFalse(OidcFlow.signsIn(squatted.username, "Squatter-new-pass-9"), "the squatter's reset token still works");
        // both phones are told; recovery now reaches the holder
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(1, Outbox.to(squatterPhone, "CONTACT_CHANGED").size());
            assertEquals(1, Outbox.to(holderPhone, "CONTACT_CHANGED").size());
        });
        RecoveryTest.requestRecovery(squatted.username, RecoveryTest.ip()).then().statusCode(202);
        QuarkusTransaction.requiringNew().run(() -> Outbox.workOff(recovery));
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(1, Outbox.to(holderPhone, "PASSWORD_RESET").size());
            assertEquals(1, Outbox.to(squatterPhone, "PASSWORD_RESET").size(), "only the one asked for before");
        });
        // the administrator and the reason are in the audit trail
        audit.flush();
        AuditEvent event = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "eventType = ?1 and subject = ?2", "COUNTER_VERIFICATION", squatted.id.toString()).firstResult());
        assertEquals(adminId, event.actor);
        assertTrue(event.detail.contains("受理单 HZ-T-1") && event.detail.contains("delegations revoked=1")
                && event.detail.contains("second factor reset=true"), event.detail);
        // auditors read the account with its contacts masked
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.auditor")).get("/api/identity/v1/accounts/"
                + squatted.id).then().statusCode(200).body("phoneMasked", notNullValue())
                .body(org.hamcrest.Matchers.not(containsString(holderPhone)));
    }

    @Test
    void contactsSetAtTheCounterAreReleasedAsVerified() throws Exception {
        String phone = Outbox.newPhone();
        String email = "counter-" + phone + "@example.cn";
        OIDCTokenResponse tokens = signInAfterCounter(phone, email);
        JWTClaimsSet id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertEquals("+86" + phone, id.getStringClaim("phone_number"));
        assertEquals(Boolean.TRUE, id.getBooleanClaim("phone_number_verified"));
        assertEquals(email, id.getStringClaim("email"));
        assertEquals(Boolean.TRUE, id.getBooleanClaim("email_verified"));
        given().auth().oauth2(tokens.getOIDCTokens().getAccessToken().getValue()).get("/oidc/userinfo").then()
                .statusCode(200).body("phone_number_verified", equalTo(true)).body("email_verified", equalTo(true));
    }

    @Test
    void anAdministratorChangingAVerifiedEmailMakesItUnverified() throws Exception {
        String phone = Outbox.newPhone();
        String email = "counter-" + phone + "@example.cn";
        OIDCTokenResponse tokens = signInAfterCounter(phone, email);
        String access = tokens.getOIDCTokens().getAccessToken().getValue();
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(200)
                .body("email_verified", equalTo(true));
        String subject = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getSubject();
        // an administrator corrects the e-mail on file, by an edit that checks nothing about the new address
        String edited = "edited-" + phone + "@example.cn";
        QuarkusTransaction.requiringNew().run(() -> {
            Account account = Account.findById(UUID.fromString(subject));
            account.email = edited;
        });
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(200).body("email", equalTo(edited))
                .body("email_verified", equalTo(false)).body("phone_number_verified", equalTo(true));
        assertNull(QuarkusTransaction.requiringNew().call(() -> Account.<Account>findById(
                UUID.fromString(subject)).emailVerifiedAt));
        // setting it back is an edit too: the address is not verified again
        QuarkusTransaction.requiringNew().run(() -> {
            Account account = Account.findById(UUID.fromString(subject));
            account.email = email;
        });
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(200)
                .body("email_verified", equalTo(false));
    }

    /** An account whose phone and e-mail an administrator set at the counter, signed in with email and phone. */
    private OIDCTokenResponse signInAfterCounter(String phone, String email) throws Exception {
        Account account = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "核验联系方式",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, null, Outbox.newPhone()), "self");
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        verify(admin, account, Map.of("phone", phone, "email", email, "reason", "受理单 HZ-T-3：本人到场"))
                .statusCode(200);
        // the holder sets a password through recovery, which now reaches the phone checked at the counter
        RecoveryTest.requestRecovery(account.username, RecoveryTest.ip()).then().statusCode(202);
        QuarkusTransaction.requiringNew().run(() -> Outbox.workOff(recovery));
        String reset = QuarkusTransaction.requiringNew().call(() -> Outbox.token(
                Outbox.to(phone, "PASSWORD_RESET").get(0)));
        String password = "Holder-new-pass-9";
        RecoveryTest.reset(reset, password, RecoveryTest.ip()).then().statusCode(200);

        clients.withPhoneScope("test-phone-scope");
        OidcFlow flow = new OidcFlow("test-phone-scope", TestClients.SECRET);
        flow.authorize(flow.params("openid email phone"));
        AuthorizationResponse answer = OidcFlow.redirect(flow.submitLogin(account.username, password, null, null));
        return (OIDCTokenResponse) flow.exchange(answer.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse();
    }

    @Test
    void onlyAdministratorsMayAndBadInputIsAProblemNamingTheField() {
        Account account = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "核验测试",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, null, Outbox.newPhone()), "self");
        Map<String, String> body = Map.of("phone", Outbox.newPhone(), "reason", "受理单 HZ-T-2");
        given().contentType("application/json").body(body).post(path(account)).then().statusCode(401);
        verify(OidcFlow.accessToken("test-web", "dsj.auditor"), account, body).statusCode(403);
        verify(OidcFlow.accessToken("test-web", account.username), account, body).statusCode(403);
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        verify(admin, account, Map.of("phone", Outbox.newPhone())).statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("reason"))
                .body("requestId", notNullValue());
        verify(admin, account, Map.of("reason", "受理单 HZ-T-2")).statusCode(400).body("field", equalTo("phone"));
        verify(admin, account, Map.of("email", "no-at-sign", "reason", "受理单 HZ-T-2")).statusCode(400)
                .body("field", equalTo("email"));
        given().auth().oauth2(admin).contentType("application/json").body(body)
                .post("/api/identity/v1/accounts/not-a-uuid/counter-verification").then().statusCode(400)
                .body("field", equalTo("id"));
        given().auth().oauth2(admin).contentType("application/json").body(body)
                .post("/api/identity/v1/accounts/" + java.util.UUID.randomUUID() + "/counter-verification").then()
                .statusCode(404);
        // nothing changed by the refused calls: the account still signs in with its password
        assertTrue(OidcFlow.signsIn(account.username, OidcFlow.PASSWORD));
    }
}
