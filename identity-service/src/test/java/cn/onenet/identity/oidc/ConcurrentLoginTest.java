package cn.onenet.identity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

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

/** Logins for one name at the same time: every wrong password is counted, and none of them answers with an error. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ConcurrentLoginTest {

    @Inject
    AccountService accounts;

    @Inject
    LoginService logins;

    @Inject
    EntityManager em;

    @Test
    void concurrentWrongPasswordsAreAllCounted() throws Exception {
        String username = newAccount("race.fail");
        int n = 4;
        List<String> answers = together(n, k -> logins.login(username, "Wrong-pass-" + k, null, "10.60.0." + k,
                "test-web"));
        assertEquals(List.of("BAD_CREDENTIALS"), answers.stream().distinct().toList(), "answers " + answers);
        assertEquals(n, throttleFailures(LoginThrottle.accountKey(username)), "answers " + answers);
        assertEquals(n, QuarkusTransaction.requiringNew().call(() -> Account.byUsername(username).failedLogins));
    }

    @Test
    void aCorrectPasswordWhileOthersFailSignsIn() throws Exception {
        for (int round = 0; round < 4; round++) {
            String username = newAccount("race.ok");
            // a failure before: the successful login has a count to clear while the others add to it
            assertEquals(LoginService.Failure.BAD_CREDENTIALS,
                    logins.login(username, "Wrong-pass", null, "10.61.0.9", "test-web").failure());
            int n = 4;
            List<String> answers = together(n, k -> k == 0
                    ? logins.login(username, OidcFlow.PASSWORD, null, "10.61.0.1", "test-web")
                    : logins.login(username, "Wrong-pass-" + k, null, "10.61.0." + (k + 1), "test-web"));
            assertEquals("OK", answers.get(0), "answers " + answers);
            assertEquals(List.of("BAD_CREDENTIALS"), answers.subList(1, n).stream().distinct().toList(),
                    "answers " + answers);
            // the success clears its own source's count; the others' failures stay counted on theirs
            assertEquals(0, throttleFailures(LoginThrottle.pairKey(username, LoginThrottle.source("10.61.0.1"))),
                    "answers " + answers);
            assertEquals(n, throttleFailures(LoginThrottle.accountKey(username)), "answers " + answers);
        }
    }

    private String newAccount(String prefix) {
        String username = prefix + (System.nanoTime() % 1_000_000);
        accounts.create(new AccountService.NewAccount(AccountType.CIVIL_SERVANT, username, "并发测试员", null, null,
                "11330000002481060E", null, Set.of("operator"), OidcFlow.PASSWORD, null, null), "test");
        return username;
    }

    private List<String> together(int n, java.util.function.IntFunction<LoginService.Result> attempt)
            throws Exception {
        return Together.run(n, k -> {
            LoginService.Result result = attempt.apply(k);
            return result.ok() ? "OK" : String.valueOf(result.failure());
        });
    }

    private int throttleFailures(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT coalesce(max(failures), 0) FROM login_throttle WHERE throttle_key = ?1")
                .setParameter(1, key).getSingleResult()).intValue());
    }
}
