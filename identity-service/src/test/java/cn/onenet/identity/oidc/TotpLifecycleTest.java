package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;

import cn.onenet.identity.config.IdentityConfig;
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
 * The TOTP second factor's life: a new secret is pending until confirmed with a code from it, and only then does
 * login ask for codes; an active factor is replaced only with a current code from it (and the replacement takes
 * effect once confirmed) or after an administrator's reset; a code is accepted once; the secret is stored sealed, and one in clear is sealed at start;
 * a wrong key-encryption key stops the start. The account says whether a new secret waits and until when (never the
 * secret), and the scheduled purge clears one past its lifetime.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class TotpLifecycleTest {

    private static final String TOTP = "/api/identity/v1/me/totp";
    private static final String CONFIRM = "/api/identity/v1/me/totp/confirm";

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
    @Inject
    IdentityConfig config;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A new citizen account (L2) with a valid, unused 公民身份号码. */
    private Account citizen() {
        return newCitizen(accounts, "动态口令测试");
    }

    /** A new citizen account (L2) of the given name with a valid, unused 公民身份号码 (its login name). */
    static Account newCitizen(AccountService accounts, String name) {
        return newCitizen(accounts, name, null, null);
    }

    /** The same, with a contact e-mail address and phone number (either may be null). */
    static Account newCitizen(AccountService accounts, String name, String email, String phone) {
        while (true) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            String first17 = "330106" + LocalDate.of(1950, 1, 1).plusDays(random.nextInt(20_000)).toString()
                    .replace("-", "") + (100 + random.nextInt(800));
            String id = first17 + SessionAndLogoutTest.checkDigit(first17);
            if (Account.byUsername(id) == null) {
                return accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, name, id,
                        null, null, null, null, OidcFlow.PASSWORD, email, phone), "test");
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

    /** Enrols and confirms a factor (with the previous step's code, so the current one is still unused). */
    private String activeFactor(Account account) {
        String secret = totp.enrol(account.id, "test").secret();
        totp.confirm(account.id, Totp.code(secret, Totp.currentStep() - 1), "test");
        return secret;
    }

    private static String wrongCode(String secret) {
        long step = Totp.currentStep();
        for (int i = 0;; i++) {
            String candidate = String.format("%06d", i * 111_111 % 1_000_000);
            if (!candidate.equals(Totp.code(secret, step - 1)) && !candidate.equals(Totp.code(secret, step))
                    && !candidate.equals(Totp.code(secret, step + 1))) {
                return candidate;
            }
        }
    }

    private static io.restassured.response.ValidatableResponse confirm(String token, String code) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(code == null ? Map.of() : Map.of("code", code)).post(CONFIRM).then();
    }

    /** Whether a login with the right password stops to ask for a one-time code (rather than signing in). */
    private static boolean loginAsksForACode(Account account) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        Response answer = flow.submitLogin(account.username, OidcFlow.PASSWORD, null, null);
        if (answer.statusCode() == 303) {
            assertTrue(OidcFlow.redirect(answer).indicatesSuccess());
            return false;
        }
        assertEquals(200, answer.statusCode());
        assertTrue(answer.asString().contains("请输入身份验证器中的动态口令"), answer.asString());
        return true;
    }

    private long enrolments(Account account, String outcome) {
        return events("TOTP_ENROLLED", account, outcome);
    }

    private long events(String type, Account account, String outcome) {
        audit.flush();
        return QuarkusTransaction.requiringNew().call(() -> cn.onenet.identity.model.AuditEvent.count(
                "eventType = ?1 and subject = ?2 and outcome = ?3", type, account.id.toString(), outcome));
    }

    private String storedPending(Account account) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT totp_pending FROM account WHERE id = ?1").setParameter(1, account.id).getSingleResult());
    }

    /** Moves the issue time of the account's pending secret back by the given time. */
    private void issuedAgo(Account account, Duration ago) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE account SET totp_pending_issued_at "
                + "= ?2 WHERE id = ?1").setParameter(1, account.id).setParameter(2, OffsetDateTime.now().minus(ago))
                .executeUpdate());
    }

    private long version(Account account) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT version FROM account WHERE id = ?1").setParameter(1, account.id).getSingleResult())
                .longValue());
    }

    private static io.restassured.response.ValidatableResponse me(String token) {
        return given().auth().oauth2(token).get("/api/identity/v1/me").then().statusCode(200);
    }

    /** The API's time (to the microsecond, as stored) is the instant given. */
    private static void assertSameInstant(OffsetDateTime expected, String actual) {
        assertNotNull(actual);
        Duration off = Duration.between(expected, OffsetDateTime.parse(actual)).abs();
        assertTrue(off.compareTo(Duration.ofMillis(1)) < 0, expected + " vs " + actual);
    }

    private static String issue(String token) {
        return given().auth().oauth2(token).post(TOTP).then().statusCode(200).extract().path("secret");
    }

    private static io.restassured.response.ValidatableResponse remove(String token, String code) {
        return given().auth().oauth2(token).contentType("application/json")
                .body(code == null ? Map.of() : Map.of("code", code)).delete(TOTP).then();
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
    void aNewSecretIsPendingAndLoginAsksForCodesOnlyOnceItIsConfirmed() {
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        // confirming before anything was issued: nothing to confirm
        confirm(token, "123456").statusCode(409).contentType("application/problem+json")
                .body("requestId", notNullValue());
        Response issued = given().auth().oauth2(token).post(TOTP).then().statusCode(200)
                .body("status", equalTo("PENDING")).extract().response();
        String first = issued.path("secret");
        String uri = issued.path("otpauthUri");
        assertTrue(uri.startsWith("otpauth://totp/%E4%B8%80%E7%BD%91%E9%80%9A%E5%8A%9E%3A330106********")
                && uri.contains("?secret=" + first + "&issuer=") && uri.endsWith("&algorithm=SHA1&digits=6&period=30")
                && !uri.contains(account.username), uri);
        // pending: not a factor yet; login does not ask for a code
        given().auth().oauth2(token).get("/api/identity/v1/me").then().statusCode(200).body("totp", equalTo(false));
        assertFalse(loginAsksForACode(account));
        assertEquals(null, storedSecret(account));

        // a missing or wrong code is refused on the field and changes nothing
        confirm(token, null).statusCode(400).contentType("application/problem+json").body("field", equalTo("code"));
        confirm(token, wrongCode(first)).statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("code")).body("requestId", notNullValue());
        confirm(token, "not a code").statusCode(400).body("field", equalTo("code"));
        given().auth().oauth2(token).get("/api/identity/v1/me").then().body("totp", equalTo(false));
        assertFalse(loginAsksForACode(account));
        assertEquals(0, enrolments(account, "SUCCESS"));

        // asking again replaces the unconfirmed secret: the first one's codes no longer confirm
        String second = given().auth().oauth2(token).post(TOTP).then().statusCode(200).extract().path("secret");
        assertNotEquals(first, second);
        long step = Totp.currentStep();
        confirm(token, Totp.code(first, step)).statusCode(400).body("field", equalTo("code"));
        confirm(token, Totp.code(second, step)).statusCode(200).body("totp", equalTo(true));
        assertEquals(1, enrolments(account, "SUCCESS"));
        assertEquals(step, lastStep(account));
        // now login asks for a code; the one spent on confirming is not accepted again, the next one is
        assertTrue(loginAsksForACode(account));
        assertFalse(login(account, Totp.code(second, step)));
        assertTrue(login(account, Totp.code(second, step + 1)));
        // nothing is pending any more; with a factor active POST is refused
        confirm(token, Totp.code(second, step + 1)).statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(token).post(TOTP).then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void aReplacementNeedsACurrentCodeOfTheActiveFactorAndTakesEffectOnlyOnceConfirmed() {
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        // PUT without an active factor: enrol first
        given().auth().oauth2(token).contentType("application/json").body(Map.of("code", "123456")).put(TOTP)
                .then().statusCode(409).contentType("application/problem+json");
        String first = activeFactor(account);
        String stored = storedSecret(account);
        // someone holding the session cannot enrol over it: neither with POST nor with PUT without a current code
        given().auth().oauth2(token).post(TOTP).then().statusCode(409).contentType("application/problem+json")
                .body("requestId", notNullValue());
        given().auth().oauth2(token).contentType("application/json").body(Map.of()).put(TOTP).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("code"))
                .body("requestId", notNullValue());
        given().auth().oauth2(token).contentType("application/json").body(Map.of("code", wrongCode(first))).put(TOTP)
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("code"));
        assertEquals(stored, storedSecret(account));
        // with a current code of the active factor a new secret is issued, pending: the old factor still logs in
        long step = Totp.currentStep();
        String second = given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("code", Totp.code(first, step))).put(TOTP).then().statusCode(200)
                .body("status", equalTo("PENDING")).extract().path("secret");
        assertNotEquals(first, second);
        assertEquals(stored, storedSecret(account));
        assertFalse(login(account, Totp.code(second, step + 1)));
        assertTrue(login(account, Totp.code(first, step + 1)));
        // a wrong confirmation changes nothing; the right one makes the new secret the factor, the old one stops
        confirm(token, wrongCode(second)).statusCode(400).body("field", equalTo("code"));
        assertEquals(stored, storedSecret(account));
        confirm(token, Totp.code(second, step)).statusCode(200).body("totp", equalTo(true));
        assertNotEquals(stored, storedSecret(account));
        assertFalse(login(account, Totp.code(first, step + 1)));
        assertTrue(login(account, Totp.code(second, step + 1)));
        assertEquals(2, enrolments(account, "SUCCESS"));
    }

    @Test
    void anAdministratorsResetRemovesTheFactorAndAPendingReplacement() {
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        String first = activeFactor(account);
        given().auth().oauth2(token).contentType("application/json").body(Map.of("code", Totp.codeNow(first)))
                .put(TOTP).then().statusCode(200);
        // an administrator resets it (only an administrator); then login asks for no code and the holder enrols anew
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        given().auth().oauth2(token).delete("/api/identity/v1/accounts/" + account.id + "/totp").then()
                .statusCode(403);
        given().auth().oauth2(admin).delete("/api/identity/v1/accounts/" + account.id + "/totp").then()
                .statusCode(204);
        given().auth().oauth2(admin).delete("/api/identity/v1/accounts/" + account.id + "/totp").then()
                .statusCode(404).contentType("application/problem+json");
        assertFalse(loginAsksForACode(account));
        // the replacement issued before the reset is gone with it
        confirm(token, "123456").statusCode(409);
        String fresh = given().auth().oauth2(token).post(TOTP).then().statusCode(200).extract().path("secret");
        confirm(token, Totp.codeNow(fresh)).statusCode(200).body("totp", equalTo(true));
        assertTrue(loginAsksForACode(account));
    }

    @Test
    void wrongCodesForTheActiveFactorLockItsReplacement() {
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        String secret = activeFactor(account);
        String wrong = wrongCode(secret);
        for (int i = 0; i < 5; i++) {
            given().auth().oauth2(token).contentType("application/json").body(Map.of("code", wrong)).put(TOTP)
                    .then().statusCode(400);
        }
        given().auth().oauth2(token).contentType("application/json").body(Map.of("code", Totp.codeNow(secret)))
                .put(TOTP).then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
    }

    @Test
    void wrongConfirmationCodesDiscardTheNewSecretAndLockConfirming() {
        assertEquals(5, config.totp().pendingMaxFailures());
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        String first = issue(token);
        // up to four wrong codes leave the secret to confirm
        for (int i = 0; i < 4; i++) {
            confirm(token, wrongCode(first)).statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("code")).body("enrolment", nullValue());
        }
        long step = Totp.currentStep();
        confirm(token, Totp.code(first, step - 1)).statusCode(200).body("totp", equalTo(true));

        // confirming cleared the count: the replacement takes five wrong codes, the fifth discards it and the holder
        // is told to start again, beside the field
        String second = given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("code", Totp.code(first, step))).put(TOTP).then().statusCode(200).extract()
                .path("secret");
        String wrong = wrongCode(second);
        for (int i = 0; i < 4; i++) {
            confirm(token, wrong).statusCode(400).body("field", equalTo("code")).body("enrolment", nullValue());
        }
        confirm(token, wrong).statusCode(400).contentType("application/problem+json").body("field", equalTo("code"))
                .body("enrolment", equalTo("DISCARDED")).body("detail", containsString("start the enrolment again"))
                .body("requestId", notNullValue());
        assertNull(storedPending(account));
        assertEquals(9, enrolments(account, "FAILURE"));
        // wrong codes count like failed logins: confirming is locked, even with a right code
        confirm(token, Totp.codeNow(second)).statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        // the active factor is untouched
        assertFalse(login(account, Totp.code(second, step + 1)));
        assertTrue(login(account, Totp.code(first, step + 1)));
        // once the lock is over, the discarded secret is not waiting any more
        throttle.succeed("totp:" + account.id);
        confirm(token, Totp.codeNow(second)).statusCode(409).contentType("application/problem+json");
        assertEquals(1, enrolments(account, "SUCCESS"));
    }

    @Test
    void aNewSecretExpiresAfterItsLifetimeAndIsDiscarded() {
        assertEquals(Duration.ofMinutes(10), config.totp().pendingLifetime());
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        // the answer says until when the secret can be confirmed
        OffsetDateTime before = OffsetDateTime.now();
        Response issued = given().auth().oauth2(token).post(TOTP).then().statusCode(200).extract().response();
        OffsetDateTime expiresAt = OffsetDateTime.parse(issued.path("expiresAt"));
        assertFalse(expiresAt.isBefore(before.plusMinutes(10).minusSeconds(1)), expiresAt.toString());
        assertFalse(expiresAt.isAfter(OffsetDateTime.now().plusMinutes(10).plusSeconds(1)), expiresAt.toString());
        String first = issued.path("secret");
        // within its lifetime it confirms
        issuedAgo(account, Duration.ofMinutes(9));
        long step = Totp.currentStep();
        confirm(token, Totp.code(first, step - 1)).statusCode(200).body("totp", equalTo(true));

        // a replacement says so too, and once past its lifetime it is refused and gone, even with a right code
        Response replacement = given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("code", Totp.code(first, step))).put(TOTP).then().statusCode(200)
                .body("expiresAt", notNullValue()).extract().response();
        String second = replacement.path("secret");
        issuedAgo(account, Duration.ofMinutes(10).plusSeconds(1));
        confirm(token, Totp.codeNow(second)).statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("code")).body("enrolment", equalTo("EXPIRED"))
                .body("detail", containsString("expired"));
        assertNull(storedPending(account));
        confirm(token, Totp.codeNow(second)).statusCode(409);
        // the active factor is untouched: login still takes the first secret's codes, not the second's
        assertFalse(login(account, Totp.code(second, step + 1)));
        assertTrue(login(account, Totp.code(first, step + 1)));
        assertEquals(1, enrolments(account, "SUCCESS"));
    }

    @Test
    void theAccountSaysUntilWhenANewSecretWaitsForConfirmationButNeverTheSecret() {
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String asAdmin = "/api/identity/v1/accounts/" + account.id;
        me(token).body("totpPending.pending", equalTo(false)).body("totpPending.expiresAt", nullValue());

        // after the page that showed the secret is gone, the account still says one is waiting, and until when
        Response issued = given().auth().oauth2(token).post(TOTP).then().statusCode(200).extract().response();
        String secret = issued.path("secret");
        OffsetDateTime expiresAt = OffsetDateTime.parse(issued.path("expiresAt"));
        Response mine = me(token).body("totp", equalTo(false)).body("totpPending.pending", equalTo(true))
                .extract().response();
        assertSameInstant(expiresAt, mine.path("totpPending.expiresAt"));
        assertFalse(mine.asString().contains(secret), mine.asString());
        // an administrator helping the holder sees the same, and no secret either
        Response seen = given().auth().oauth2(admin).get(asAdmin).then().statusCode(200)
                .body("totpPending.pending", equalTo(true)).extract().response();
        assertSameInstant(expiresAt, seen.path("totpPending.expiresAt"));
        assertFalse(seen.asString().contains(secret), seen.asString());

        // past its lifetime it is no longer waiting: the holder has to start again
        issuedAgo(account, Duration.ofMinutes(10).plusSeconds(1));
        me(token).body("totpPending.pending", equalTo(false)).body("totpPending.expiresAt", nullValue());
        given().auth().oauth2(admin).get(asAdmin).then().body("totpPending.pending", equalTo(false));

        // started again and confirmed: the factor is on and nothing waits any more
        String fresh = issue(token);
        long step = Totp.currentStep();
        confirm(token, Totp.code(fresh, step - 1)).statusCode(200).body("totp", equalTo(true))
                .body("totpPending.pending", equalTo(false)).body("totpPending.expiresAt", nullValue());
        // a replacement waits the same way, the active factor on meanwhile
        Response replacement = given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("code", Totp.code(fresh, step))).put(TOTP).then().statusCode(200).extract().response();
        Response replacing = me(token).body("totp", equalTo(true)).body("totpPending.pending", equalTo(true))
                .extract().response();
        assertSameInstant(OffsetDateTime.parse(replacement.path("expiresAt")),
                replacing.path("totpPending.expiresAt"));
        assertFalse(replacing.asString().contains(replacement.path("secret")), replacing.asString());
    }

    @Test
    void theScheduledPurgeClearsPendingSecretsPastTheirLifetimeAndNothingElse() {
        // one never confirmed (after a wrong code), one replacement never confirmed, one still within its lifetime
        Account abandoned = citizen();
        String abandonedToken = OidcFlow.accessToken("test-web", abandoned.username);
        String first = issue(abandonedToken);
        confirm(abandonedToken, wrongCode(first)).statusCode(400);
        Account replacing = citizen();
        String replacingToken = OidcFlow.accessToken("test-web", replacing.username);
        String active = activeFactor(replacing);
        String activeStored = storedSecret(replacing);
        long step = Totp.currentStep();
        String replacement = given().auth().oauth2(replacingToken).contentType("application/json")
                .body(Map.of("code", Totp.code(active, step))).put(TOTP).then().statusCode(200).extract()
                .path("secret");
        Account recent = citizen();
        String recentToken = OidcFlow.accessToken("test-web", recent.username);
        String waiting = issue(recentToken);
        issuedAgo(abandoned, Duration.ofMinutes(10).plusSeconds(1));
        issuedAgo(replacing, Duration.ofHours(3));
        issuedAgo(recent, Duration.ofMinutes(9));
        long versionBefore = version(abandoned);
        long failuresBefore = enrolments(abandoned, "FAILURE");

        totp.purgeExpiredPending();

        // gone with their issue time and wrong-code count, the accounts otherwise as they were, and not audited
        for (Account expired : List.of(abandoned, replacing)) {
            assertNull(storedPending(expired));
            assertEquals(List.of(0), QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                    "SELECT totp_pending_failures FROM account WHERE id = ?1 AND totp_pending_issued_at IS NULL")
                    .setParameter(1, expired.id).getResultList().stream().map(n -> ((Number) n).intValue())
                    .toList()));
        }
        assertEquals(versionBefore, version(abandoned));
        assertEquals(failuresBefore, enrolments(abandoned, "FAILURE"));
        // nothing waits any more: confirming is 409, not a secret to try codes against
        confirm(abandonedToken, Totp.codeNow(first)).statusCode(409);
        confirm(replacingToken, Totp.codeNow(replacement)).statusCode(409);
        // the active factor is untouched
        assertEquals(activeStored, storedSecret(replacing));
        assertTrue(login(replacing, Totp.code(active, step + 1)));
        // a secret within its lifetime stays and confirms
        assertNotNull(storedPending(recent));
        confirm(recentToken, Totp.codeNow(waiting)).statusCode(200).body("totp", equalTo(true));
    }

    @Test
    void theHolderTurnsTheFactorOffWithACurrentCodeFromIt() {
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        given().contentType("application/json").body(Map.of("code", "123456")).delete(TOTP).then().statusCode(401);
        // nothing to turn off
        remove(token, "123456").statusCode(409).contentType("application/problem+json");
        String secret = activeFactor(account);
        long step = Totp.currentStep();
        // a replacement is pending as well
        String pending = given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("code", Totp.code(secret, step))).put(TOTP).then().statusCode(200).extract()
                .path("secret");
        String stored = storedSecret(account);
        // without a code, with a wrong one or with one already used: refused on the field, nothing changes
        remove(token, null).statusCode(400).contentType("application/problem+json").body("field", equalTo("code"));
        remove(token, wrongCode(secret)).statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("code")).body("requestId", notNullValue());
        remove(token, Totp.code(secret, step)).statusCode(400).body("field", equalTo("code"));
        assertEquals(stored, storedSecret(account));
        assertEquals(2, events("TOTP_REMOVED", account, "FAILURE"));

        remove(token, Totp.code(secret, step + 1)).statusCode(200).body("totp", equalTo(false));
        assertNull(storedSecret(account));
        assertNull(storedPending(account));
        assertEquals(1, events("TOTP_REMOVED", account, "SUCCESS"));
        assertFalse(loginAsksForACode(account));
        // the pending replacement went with it, and there is nothing left to remove
        confirm(token, Totp.codeNow(pending)).statusCode(409);
        remove(token, Totp.code(secret, step + 1)).statusCode(409);
        // the holder may enrol anew
        String fresh = issue(token);
        confirm(token, Totp.codeNow(fresh)).statusCode(200).body("totp", equalTo(true));
    }

    /**
     * A second factor switched on, replaced or turned off ends the account's other sign-ins, as a password change does:
     * a session opened with a stolen password does not outlive the holder's new factor, nor survive its removal
     * unnoticed. The caller's own sign-in stays.
     */
    @Test
    void confirmingOrTurningOffTheFactorEndsTheOtherSignInsButTheCallers() {
        Account account = citizen();
        OIDCTokens here = signIn(account);
        OIDCTokens elsewhere = signIn(account);
        String token = here.getAccessToken().getValue();
        // a refused confirmation ends nothing
        String secret = issue(token);
        confirm(token, wrongCode(secret)).statusCode(400);
        TokenResponse renewed = refresh(elsewhere.getRefreshToken());
        assertTrue(renewed.indicatesSuccess(), "a wrong code ended the other sign-in");
        confirm(token, Totp.codeNow(secret)).statusCode(200).body("totp", equalTo(true));
        assertFalse(refresh(renewed.toSuccessResponse().getTokens().getRefreshToken()).indicatesSuccess(),
                "the other sign-in outlived the new factor");
        given().auth().oauth2(elsewhere.getAccessToken().getValue()).get("/oidc/userinfo").then().statusCode(401);
        given().auth().oauth2(token).get("/api/identity/v1/me").then().statusCode(200).body("totp", equalTo(true));
        assertTrue(refresh(here.getRefreshToken()).indicatesSuccess(), "the caller's own sign-in ended");

        // turning it off: another account, signed in twice before its factor was set up
        Account second = citizen();
        OIDCTokens mine = signIn(second);
        OIDCTokens other = signIn(second);
        String factor = activeFactor(second);
        remove(mine.getAccessToken().getValue(), Totp.codeNow(factor)).statusCode(200).body("totp", equalTo(false));
        assertFalse(refresh(other.getRefreshToken()).indicatesSuccess(),
                "the other sign-in outlived the removal of the factor");
        assertTrue(refresh(mine.getRefreshToken()).indicatesSuccess(), "the caller's own sign-in ended");
    }

    private static OIDCTokens signIn(Account account) {
        return new OidcFlow("test-web", TestClients.SECRET).tokens(account.username, "openid").getOIDCTokens();
    }

    private static TokenResponse refresh(RefreshToken token) {
        return OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"),
                new OidcFlow("test-web", TestClients.SECRET).auth(), new RefreshTokenGrant(token)));
    }

    @Test
    void wrongCodesLockTheRemovalLikeFailedLogins() {
        Account account = citizen();
        String token = OidcFlow.accessToken("test-web", account.username);
        String secret = activeFactor(account);
        String wrong = wrongCode(secret);
        for (int i = 0; i < 5; i++) {
            remove(token, wrong).statusCode(400);
        }
        remove(token, Totp.codeNow(secret)).statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue());
        assertNotNull(storedSecret(account));
        assertTrue(loginAsksForACode(account));
    }

    @Test
    void aCodeIsAcceptedOnceAndNeverAfterALaterOne() {
        Account account = citizen();
        String secret = activeFactor(account);
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
        String secret = activeFactor(account);
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
        // so is a secret waiting for confirmation (issued at the upgrade, as V9 dates it), which then confirms as issued
        String pending = Totp.newSecret();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE account SET totp_pending = ?2, "
                + "totp_pending_issued_at = now() WHERE id = ?1").setParameter(1, legacy.id).setParameter(2, pending)
                .executeUpdate());
        assertTrue(totp.sealStoredSecrets() >= 1);
        String sealedPending = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT totp_pending FROM account WHERE id = ?1").setParameter(1, legacy.id).getSingleResult());
        assertTrue(sealedPending.startsWith("enc:v1:1:") && !sealedPending.contains(pending), sealedPending);
        totp.confirm(legacy.id, Totp.code(pending, Totp.currentStep() + 1), "test");

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
        activeFactor(account);
        String before = storedSecret(account);
        String otherKek = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
        TotpFactor wrong = new TotpFactor(new KeyEncryption("1", otherKek, List.of()), em, throttle, audit,
                config);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> QuarkusTransaction.requiringNew().call(wrong::sealStoredSecrets));
        assertTrue(e.getMessage().matches("TOTP secret of account \\S+ does not open with key-encryption key id '1'.*"),
                e.getMessage());
        assertEquals(before, storedSecret(account));
    }
}
