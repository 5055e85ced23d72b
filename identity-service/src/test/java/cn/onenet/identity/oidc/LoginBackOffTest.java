package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.LoginService;
import cn.onenet.identity.service.LoginThrottle;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The login name's back-off grows to its cap however slowly the guesses come, and a name that keeps failing is
 * blocked until a password reset or an administrator lifts it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class LoginBackOffTest {

    @Inject
    LoginThrottle throttle;

    @Inject
    LoginService logins;

    @Inject
    AccountService accounts;

    @Inject
    EntityManager em;

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void theLockKeepsDoublingWhenEachGuessWaitsOutTheLockAndTheWindow() {
        String key = LoginThrottle.accountKey("backoff-" + System.nanoTime());
        Duration lock = Duration.ZERO;
        for (int i = 1; i <= 4; i++) {
            assertTrue(fail(key).isEmpty(), "no lock before the fifth failure");
        }
        // the fifth failure locks for 30 s; each later one, made after the lock ended and more than the 15 min
        // window after the count began, doubles it: 60, 120 … up to the 1 h cap
        Duration expected = Duration.ofSeconds(30);
        for (int i = 5; i <= 13; i++) {
            lock = lockOf(fail(key));
            assertEquals(expected.toSeconds(), lock.toSeconds(), 2, "failure " + i);
            expected = expected.multipliedBy(2).compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1)
                    : expected.multipliedBy(2);
            lockEndedAgo(key, Duration.ofSeconds(1), Duration.ofMinutes(16 * i));
        }
        assertEquals(Duration.ofHours(1).toSeconds(), lock.toSeconds(), 2);
        // quiet for more than the window after the last lock ended: the count starts again
        lockEndedAgo(key, Duration.ofMinutes(16), Duration.ofDays(1));
        assertTrue(fail(key).isEmpty());
    }

    @Test
    void aLoginNameThatKeepsFailingIsBlockedUntilAnAdministratorLiftsIt() {
        String username = "blocked.staff" + (System.nanoTime() % 100000);
        Account account = accounts.create(new AccountService.NewAccount(AccountType.CIVIL_SERVANT, username,
                "封锁测试员", null, null, "11330000002481060E", null, java.util.Set.of("operator"), OidcFlow.PASSWORD,
                null, null), "test");
        String key = LoginThrottle.accountKey(username);
        for (int i = 1; i < 20; i++) {
            assertEquals(i < 5 ? LoginService.Failure.BAD_CREDENTIALS : LoginService.Failure.LOCKED,
                    logins.login(username, "Wrong-pass-" + i, null, "10.40.0." + i, "test-web").failure());
            endLock(key, Duration.ofSeconds(1));
        }
        // the twentieth failure in a row blocks; the right password no longer signs in, whenever it comes
        assertEquals(LoginService.Failure.BLOCKED,
                logins.login(username, "Wrong-pass-20", null, "10.40.1.1", "test-web").failure());
        endLock(key, Duration.ofDays(1));
        assertEquals(LoginService.Failure.BLOCKED,
                logins.login(username, OidcFlow.PASSWORD, null, "10.40.1.2", "test-web").failure());
        // and the login page says what to do
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        String page = flow.submitLogin(username, OidcFlow.PASSWORD, null, null).asString();
        assertTrue(page.contains("密码登录已停用"), page);

        // an administrator lifts it (a password reset clears it the same way): the right password works again
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin"))
                .delete("/api/identity/v1/accounts/" + account.id + "/login-lock").then().statusCode(204);
        assertTrue(logins.login(username, OidcFlow.PASSWORD, null, "10.40.1.3", "test-web").ok());
        assertFalse(throttle.blocked(key));
        // who may: admins only
        given().auth().oauth2(OidcFlow.accessToken("test-web", "gat.operator"))
                .delete("/api/identity/v1/accounts/" + account.id + "/login-lock").then().statusCode(403);
    }

    private Optional<OffsetDateTime> fail(String key) {
        return QuarkusTransaction.requiringNew().call(() -> throttle.fail(key, false));
    }

    private static Duration lockOf(Optional<OffsetDateTime> until) {
        assertTrue(until.isPresent(), "locked");
        return Duration.between(OffsetDateTime.now(), until.get());
    }

    /** As if time had passed: the key's lock (if any) ended {@code ago}. */
    private void endLock(String key, Duration ago) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE login_throttle SET locked_until = "
                + "now() - make_interval(secs => ?2) WHERE throttle_key = ?1 AND locked_until IS NOT NULL")
                .setParameter(1, key).setParameter(2, (double) ago.toSeconds()).executeUpdate());
    }

    /** As if time had passed: the key's lock ended {@code ended} ago and its count began {@code began} ago. */
    private void lockEndedAgo(String key, Duration ended, Duration began) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE login_throttle SET "
                + "locked_until = CASE WHEN locked_until IS NULL THEN NULL ELSE now() - make_interval(secs => ?2) END, "
                + "window_start = now() - make_interval(secs => ?3) WHERE throttle_key = ?1").setParameter(1, key)
                .setParameter(2, (double) ended.toSeconds()).setParameter(3, (double) began.toSeconds())
                .executeUpdate());
    }
}
