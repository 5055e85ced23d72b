package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.KeyEncryption;
import cn.onenet.identity.service.LoginThrottle;
import cn.onenet.identity.service.Secrets;
import cn.onenet.identity.service.Totp;
import cn.onenet.identity.service.TotpFactor;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The TOTP second factor's life: an active factor is replaced only with a current code from it or after an
 * administrator's reset; a code is accepted once; the secret is stored sealed, and one in clear is sealed at start;
 * a wrong key-encryption key stops the start.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class TotpLifecycleTest {

    private static final String TOTP = "/api/identity/v1/me/totp";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    TotpFactor totp;
    @Inject
    EntityManager em;
    @Inject
    LoginThrottle throttle;
    @Inject
    AuditService audit;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A new citizen account (L2) with a valid, unused 公民身份号码; returns its login name. */
    private Account citizen() {
        while (true) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String first17 = "330106" + LocalDate.of(1950, 1, 1).plusDays(random.nextInt(20_000)).toString()
                    .replace("-", "") + (100 + random.nextInt(800));
            String id = first17 + SessionAndLogoutTest.checkDigit(first17);
            if (Account.byUsername(id) == null) {
                return accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "动态口令测试", id,
                        null, null, null, null, OidcFlow.PASSWORD, null, null), "test");
            }
        }
    }

    private String storedSecret(Account account) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT totp_secret FROM account WHERE id = ?1").setParameter(1, account.id).getSingleResult());
    }

    private Long lastStep(Account account) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object value = em.createNativeQuery("SELECT totp_last_step FROM account WHERE id = ?1")
                    .setParameter(1, account.id).getSingleResult();
            return value == null ? null : ((Number) value).longValue();
        });
    }

    /** A login with password and one-time code: true when it reached the client, false when the code was refused. */
    private static boolean login(Account account, String code) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        Response answer = flow.submitLogin(account.username, OidcFlow.PASSWORD, code, null);
        if (answer.statusCode() == 303) {
            return OidcFlow.redirect(answer).indicatesSuccess();
        }
        assertTrue(answer.asString().contains("动态口令错误"), answer.asString());
        return false;
    }

    @Test
    void anActiveFactorIsReplacedOnlyWithACurrentCodeOrAfterAnAdministratorsReset() {
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        // the first factor needs no code
        String first = given().auth().oauth2(token).post(TOTP).then().statusCode(200).extract().path("secret");
        String stored = storedSecret(account);
        // someone holding the session cannot enrol over it: neither with POST nor with PUT without a current code
        given().auth().oauth2(token).post(TOTP).then().statusCode(409).contentType("application/problem+json")
                .body("requestId", notNullValue());
        given().auth().oauth2(token).contentType("application/json").body(Map.of()).put(TOTP).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("code"))
                .body("requestId", notNullValue());
        String wrong = "000000".equals(Totp.codeNow(first)) ? "111111" : "000000";
        given().auth().oauth2(token).contentType("application/json").body(Map.of("code", wrong)).put(TOTP).then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("code"));
        assertEquals(stored, storedSecret(account));
        // with a current code of the active factor it is replaced; the old factor no longer logs in
        String second = given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("code", Totp.codeNow(first))).put(TOTP).then().statusCode(200).extract().path("secret");
        assertNotEquals(first, second);
        long step = Totp.currentStep();
        assertFalse(login(account, Totp.code(first, step + 1)));
        assertTrue(login(account, Totp.codeNow(second)));
        // an administrator resets it (only an administrator); then the holder enrols anew without a code
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        given().auth().oauth2(token).delete("/api/identity/v1/accounts/" + account.id + "/totp").then()
                .statusCode(403);
        given().auth().oauth2(admin).delete("/api/identity/v1/accounts/" + account.id + "/totp").then()
                .statusCode(204);
        given().auth().oauth2(admin).delete("/api/identity/v1/accounts/" + account.id + "/totp").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(token).post(TOTP).then().statusCode(200).body("secret", notNullValue());
    }

    @Test
    void wrongCodesForTheActiveFactorLockItsReplacement() {
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        String secret = given().auth().oauth2(token).post(TOTP).then().statusCode(200).extract().path("secret");
        String wrong = "000000".equals(Totp.codeNow(secret)) ? "111111" : "000000";
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(token).contentType("application/json").body(Map.of("code", wrong)).put(TOTP)
                    .then().statusCode(400);
        }
        given().auth().oauth2(token).contentType("application/json").body(Map.of("code", Totp.codeNow(secret)))
                .put(TOTP).then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
    }

    @Test
    void aCodeIsAcceptedOnceAndNeverAfterALaterOne() {
        Account account = citizen();
        String secret = totp.enrol(account.id, "test");
        long step = Totp.currentStep();
        String now = Totp.code(secret, step);
        assertTrue(login(account, now));
        // the same code again, within its validity window: refused
        assertFalse(login(account, now));
        // the next step's code (within the allowed clock drift) is new: accepted; after it, the older one never again
        assertTrue(login(account, Totp.code(secret, step + 1)));
        assertFalse(login(account, Totp.code(secret, step)));
        assertEquals(step + 1, lastStep(account));
    }

    @Test
    void theSecretIsStoredSealedToItsAccountAndOneInClearIsSealedAtStart() {
        Account account = citizen();
        String secret = totp.enrol(account.id, "test");
        String stored = storedSecret(account);
        assertTrue(stored.startsWith("enc:v1:1:"), stored);
        assertFalse(stored.contains(secret));
        assertTrue(login(account, Totp.codeNow(secret)));

        // a secret written in clear (before this release) is sealed by the start-up pass, and still logs in
        Account legacy = citizen();
        String clear = Totp.newSecret();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE account SET totp_secret = ?2 "
                + "WHERE id = ?1").setParameter(1, legacy.id).setParameter(2, clear).executeUpdate());
        assertTrue(totp.sealStoredSecrets() >= 1);
        String sealed = storedSecret(legacy);
        assertTrue(sealed.startsWith("enc:v1:1:") && !sealed.contains(clear), sealed);
        assertTrue(login(legacy, Totp.codeNow(clear)));

        // a sealed value copied into another account's row does not open there: its codes are refused, no 5xx
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE account SET totp_secret = ?2, "
                + "totp_last_step = NULL WHERE id = ?1").setParameter(1, legacy.id).setParameter(2, stored)
                .executeUpdate());
        assertFalse(login(legacy, Totp.code(secret, Totp.currentStep() + 1)));
        // leave no row behind that would stop the next start
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE account SET totp_secret = NULL "
                + "WHERE id = ?1").setParameter(1, legacy.id).executeUpdate());
    }

    @Test
    void aWrongKeyEncryptionKeyStopsTheStartNamingTheAccountAndChangesNothing() {
        Account account = citizen();
        totp.enrol(account.id, "test");
        String before = storedSecret(account);
        String otherKek = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
        TotpFactor wrong = new TotpFactor(new KeyEncryption("1", otherKek, List.of()), em, throttle, audit);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> QuarkusTransaction.requiringNew().call(wrong::sealStoredSecrets));
        assertTrue(e.getMessage().matches("TOTP secret of account \\S+ does not open with key-encryption key id '1'.*"),
                e.getMessage());
        assertEquals(before, storedSecret(account));
    }
}
