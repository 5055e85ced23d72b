package cn.onenet.identity.recovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.ContactService;
import cn.onenet.identity.service.RecoveryService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * 更换手机或邮箱: the holder sees their contacts masked and changes one with the current password and a code sent to
 * the new contact; the old contact is told and can cancel during the cooling-off, and recovery keeps going to the old
 * contact until it has passed.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ContactChangeTest {

    private static final String ME = "/api/identity/v1/me";
    private static final String CONTACT = ME + "/contact";
    /** A first-party client that may ask for the phone number. */
    private static final String WITH_PHONE = "test-phone-scope";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    ContactService contacts;
    @Inject
    RecoveryService recovery;
    @Inject
    EntityManager em;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private Account citizen(String phone, String email) {
        return accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "联系方式测试",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, email, phone), "test");
    }

    private static ValidatableResponse put(String token, Map<String, ?> body) {
        return given().auth().oauth2(token).contentType("application/json").body(body).put(CONTACT).then();
    }

    private static ValidatableResponse confirm(String token, String code) {
        return given().auth().oauth2(token).contentType("application/json").body(Map.of("code", code))
                .post(CONTACT + "/confirm").then();
    }

    private static String code(String recipient) {
        return only(recipient, "CONTACT_CHANGE_CODE", "验证码：([0-9]{6})");
    }

    private static String cancelToken(String recipient) {
        return only(recipient, "CONTACT_CHANGE_NOTICE", "撤销码：([A-Za-z0-9_-]{43})");
    }

    /** What the one message of this kind sent to the recipient carries. */
    private static String only(String recipient, String kind, String pattern) {
        List<OutboxMessage> sent = QuarkusTransaction.requiringNew().call(() -> Outbox.to(recipient, kind));
        assertEquals(1, sent.size(), kind + " messages sent to " + recipient);
        Matcher m = Pattern.compile(pattern).matcher(sent.get(0).body);
        assertTrue(m.find(), sent.get(0).body);
        return m.group(1);
    }

    private String phoneOf(Account account) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT phone FROM account WHERE id = ?1").setParameter(1, account.id).getSingleResult());
    }

    /** Moves the cooling-off of the account's open change into the past and runs the scheduled step. */
    private void coolOff(Account account) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE contact_change SET effective_at = "
                + "now() - interval '1 minute' WHERE account_id = ?1 AND ended_at IS NULL")
                .setParameter(1, account.id).executeUpdate());
        contacts.applyDue();
    }

    @Test
    void meShowsTheContactsOnFileMaskedToTheHolder() {
        Account citizen = citizen("13812340000", "zhangsan@example.cn");
        String token = OidcFlow.accessToken("test-web", citizen.username);
        given().auth().oauth2(token).get(ME).then().statusCode(200).body("phoneMasked", equalTo("138****0000"))
                .body("emailMasked", equalTo("z***@example.cn"))
                .body(org.hamcrest.Matchers.not(containsString("13812340000")))
                .body(org.hamcrest.Matchers.not(containsString("zhangsan@")));
        given().auth().oauth2(token).get(CONTACT).then().statusCode(200).body("phoneMasked", equalTo("138****0000"))
                .body("emailMasked", equalTo("z***@example.cn")).body("pending", nullValue());
    }

    @Test
    void aNewPhoneNeedsThePasswordAndTheCodeSentToItAndRecoveryUsesItOnlyAfterTheCoolingOff() {
        String oldPhone = Outbox.newPhone();
        String newPhone = Outbox.newPhone();
        Account citizen = citizen(oldPhone, null);
        String token = OidcFlow.accessToken("test-web", citizen.username);

        put(token, Map.of("currentPassword", "Wrong#pass1", "phone", newPhone)).statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("currentPassword"))
                .body("requestId", notNullValue());
        put(token, Map.of("currentPassword", OidcFlow.PASSWORD, "phone", newPhone)).statusCode(202)
                .body("pending.status", equalTo("AWAITING_CODE")).body("pending.channel", equalTo("PHONE"))
                .body("phoneMasked", equalTo(Contacts.mask(oldPhone)));
        String code = code(newPhone);
        String wrong = code.equals("000000") ? "000001" : "000000";
        confirm(token, wrong).statusCode(400).contentType("application/problem+json").body("field", equalTo("code"));
        confirm(token, code).statusCode(200).body("pending.status", equalTo("COOLING_OFF"))
                .body("pending.effectiveAt", notNullValue()).body("pending.newValueMasked",
                        equalTo(Contacts.mask(newPhone)));
        // the old phone is told, with a way to cancel; the account still has it
        cancelToken(oldPhone);
        assertEquals(oldPhone, phoneOf(citizen));
        contacts.applyDue();
        assertEquals(oldPhone, phoneOf(citizen), "applied before the cooling-off passed");
        // recovery during the cooling-off goes to the old phone, not to the new one
        RecoveryTest.requestRecovery(citizen.username, RecoveryTest.ip()).then().statusCode(202);
        QuarkusTransaction.requiringNew().run(() -> Outbox.workOff(recovery));
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> Outbox.to(oldPhone, "PASSWORD_RESET")).size());
        assertEquals(0, QuarkusTransaction.requiringNew().call(() -> Outbox.to(newPhone, "PASSWORD_RESET")).size());

        coolOff(citizen);
        assertEquals(newPhone, phoneOf(citizen));
        given().auth().oauth2(token).get(CONTACT).then().statusCode(200)
                .body("phoneMasked", equalTo(Contacts.mask(newPhone))).body("pending", nullValue());
        RecoveryTest.requestRecovery(citizen.username, RecoveryTest.ip()).then().statusCode(202);
        QuarkusTransaction.requiringNew().run(() -> Outbox.workOff(recovery));
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> Outbox.to(newPhone, "PASSWORD_RESET")).size());
    }

    @Test
    void aContactChangedWithTheCodeSentToItIsReleasedAsVerifiedInE164() throws Exception {
        clients.withPhoneScope(WITH_PHONE);
        String oldPhone = Outbox.newPhone();
        String newPhone = Outbox.newPhone();
        Account citizen = citizen(oldPhone, "verified-" + oldPhone + "@example.cn");
        JWTClaimsSet before = idToken(citizen);
        assertEquals("+86" + oldPhone, before.getStringClaim("phone_number"));
        assertEquals(Boolean.FALSE, before.getBooleanClaim("phone_number_verified"), "entered by an administrator");
        assertEquals(Boolean.FALSE, before.getBooleanClaim("email_verified"));

        String token = OidcFlow.accessToken("test-web", citizen.username);
        put(token, Map.of("currentPassword", OidcFlow.PASSWORD, "phone", newPhone)).statusCode(202);
        confirm(token, code(newPhone)).statusCode(200);
        // cooling off: the account still has the old phone, unverified
        assertEquals(Boolean.FALSE, idToken(citizen).getBooleanClaim("phone_number_verified"));
        coolOff(citizen);

        OIDCTokenResponse after = new OidcFlow(WITH_PHONE, TestClients.SECRET).tokens(citizen.username,
                "openid email phone");
        JWTClaimsSet id = after.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertEquals("+86" + newPhone, id.getStringClaim("phone_number"));
        assertEquals(Boolean.TRUE, id.getBooleanClaim("phone_number_verified"));
        assertEquals(Boolean.FALSE, id.getBooleanClaim("email_verified"), "only the phone was changed with a code");
        given().auth().oauth2(after.getOIDCTokens().getAccessToken().getValue()).get("/oidc/userinfo").then()
                .statusCode(200).body("phone_number", equalTo("+86" + newPhone))
                .body("phone_number_verified", equalTo(true)).body("email_verified", equalTo(false));
    }

    private static JWTClaimsSet idToken(Account citizen) throws Exception {
        return new OidcFlow(WITH_PHONE, TestClients.SECRET).tokens(citizen.username, "openid email phone")
                .getOIDCTokens().getIDToken().getJWTClaimsSet();
    }

    @Test
    void theOldContactCancelsWithTheTokenFromTheNoticeAndTheChangeNeverTakesEffect() {
        String oldEmail = "old-" + System.nanoTime() + "@example.cn";
        String newEmail = "new-" + System.nanoTime() + "@example.cn";
        Account citizen = citizen(null, oldEmail);
        String token = OidcFlow.accessToken("test-web", citizen.username);
        put(token, Map.of("currentPassword", OidcFlow.PASSWORD, "email", newEmail)).statusCode(202);
        confirm(token, code(newEmail)).statusCode(200);
        String cancel = cancelToken(oldEmail);
        // no login: the old contact may not be able to sign in
        given().header("X-Forwarded-For", RecoveryTest.ip()).contentType("application/json")
                .body(Map.of("token", cancel)).post("/api/identity/v1/contact-changes/cancel").then()
                .statusCode(204);
        coolOff(citizen);
        String email = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT email FROM account WHERE id = ?1").setParameter(1, citizen.id).getSingleResult());
        assertEquals(oldEmail, email);
        given().auth().oauth2(token).get(CONTACT).then().statusCode(200).body("pending", nullValue());
        // the token works once
        given().header("X-Forwarded-For", RecoveryTest.ip()).contentType("application/json")
                .body(Map.of("token", cancel)).post("/api/identity/v1/contact-changes/cancel").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("token"))
                .body("requestId", notNullValue());
    }

    @Test
    void theHolderCancelsAChangeInProgress() {
        Account citizen = citizen(Outbox.newPhone(), null);
        String token = OidcFlow.accessToken("test-web", citizen.username);
        given().auth().oauth2(token).delete(CONTACT).then().statusCode(404);
        put(token, Map.of("currentPassword", OidcFlow.PASSWORD, "phone", Outbox.newPhone())).statusCode(202);
        given().auth().oauth2(token).delete(CONTACT).then().statusCode(204);
        given().auth().oauth2(token).get(CONTACT).then().statusCode(200).body("pending", nullValue());
        confirm(token, "123456").statusCode(409);
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndOnlyTheHoldersOwnLoginMayChangeIt() {
        Account citizen = citizen("13812340000", null);
        String token = OidcFlow.accessToken("test-web", citizen.username);
        put(token, Map.of("currentPassword", OidcFlow.PASSWORD)).statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("phone"))
                .body("requestId", notNullValue());
        put(token, Map.of("currentPassword", OidcFlow.PASSWORD, "phone", "13900000000", "email", "a@b.cn"))
                .statusCode(400).body("field", equalTo("phone"));
        put(token, Map.of("currentPassword", OidcFlow.PASSWORD, "email", "not-an-address")).statusCode(400)
                .body("field", equalTo("email"));
        put(token, Map.of("currentPassword", OidcFlow.PASSWORD, "phone", "13812340000")).statusCode(400)
                .body("field", equalTo("phone")).body("detail", containsString("相同"));
        confirm(token, "").statusCode(400).body("field", equalTo("code"));
        given().contentType("application/json").body(Map.of("token", "x")).put(CONTACT).then().statusCode(401);
        given().get(CONTACT).then().statusCode(401);
        // an agent acting for an enterprise: not the enterprise's own login
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid profile"));
        AuthorizationResponse response = OidcFlow.redirect(flow.submitLogin("330110200102150052", OidcFlow.PASSWORD,
                null, "91330106MA2H00001E"));
        String agent = ((OIDCTokenResponse) flow.exchange(response.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse()).getOIDCTokens().getAccessToken().getValue();
        given().auth().oauth2(agent).get(CONTACT).then().statusCode(403);
        put(agent, Map.of("currentPassword", OidcFlow.PASSWORD, "phone", "13900000000")).statusCode(403);
        given().auth().oauth2(agent).delete(CONTACT).then().statusCode(403);
    }

    /** How the service masks a phone number. */
    private static final class Contacts {
        static String mask(String phone) {
            return phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4);
        }
    }
}
