package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
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
import cn.onenet.identity.service.PasswordHasher;
import cn.onenet.identity.service.Totp;
import cn.onenet.identity.service.TotpFactor;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The login page: CSRF, no framing, lockout and back-off per account and per IP, TOTP, Argon2id, no account oracle. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class LoginSecurityTest {

    @Inject
    TestClients clients;

    @Inject
    AccountService accounts;

    @Inject
    PasswordHasher hasher;

    @Inject
    TotpFactor totp;

    @Inject
    LoginThrottle throttle;

    @Inject
    LoginService logins;

    @Inject
    EntityManager em;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void loginPageIsNotFrameableAndCsrfProtected() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        Response page = flow.authorize(flow.params("openid"));
        assertEquals(200, page.statusCode());
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertTrue(page.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
        assertTrue(page.header("Cache-Control").contains("no-store"));
        assertTrue(page.asString().contains("lang=\"zh-CN\""));
        assertTrue(page.asString().contains("统一身份认证"));
        // a forged form (right request id, wrong CSRF token) is refused and does not log in
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("onenet_csrf", "forged").formParam("req", OidcFlow.hidden(page.asString(), "req"))
                .formParam("csrf", "forged").formParam("username", CodeFlowConformanceTest.CITIZEN)
                .formParam("password", OidcFlow.PASSWORD).post("/oidc/login").then().statusCode(400)
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
    }

    /**
     * The login page's one script (it carries the application's deep link through the form) is a file of the
     * provider's own origin: the policy admits no inline script, and the file is served as JavaScript.
     */
    @Test
    void theLoginPageRunsOnlyItsOwnScriptFile() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        Response page = flow.authorize(flow.params("openid"));
        String csp = page.header("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self';"), csp);
        assertTrue(page.asString().contains("<script src=\"assets/keep-fragment.js\" defer></script>"));
        assertTrue(page.asString().contains("data-keep-fragment"));
        given().get("/oidc/assets/keep-fragment.js").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/javascript"))
                .body(containsString("location.hash"));
    }

    @Test
    void repeatedFailuresLockTheAccountWithBackOffAndSameAnswerForUnknownAccounts() {
        String id = "33010619790101002" + SessionAndLogoutTest.checkDigit("33010619790101002");
        if (Account.byUsername(id) == null) {
            accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "孙八", id, null, null,
                    null, null, OidcFlow.PASSWORD, null, null), "test");
        }
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String ip = "10.20.30.1";
        flow.authorize(flow.params("openid"));
        String unknownAnswer = attempt(flow, "33010619790101999X", "Wrong-pass-1", ip);
        String knownAnswer = attempt(flow, id, "Wrong-pass-1", ip);
        assertEquals(message(unknownAnswer), message(knownAnswer));
        for (int i = 0; i < 3; i++) {
            attempt(flow, id, "Wrong-pass-" + i, ip);
        }
        String locked = attempt(flow, id, "Wrong-pass-9", ip);
        assertTrue(locked.contains("失败次数过多"), locked);
        // the right password does not help while locked
        String stillLocked = attempt(flow, id, OidcFlow.PASSWORD, ip);
        assertTrue(stillLocked.contains("失败次数过多"));
        // failures and the lockout are in the audit trail
        assertTrue(Account.<Account>find("username", id).firstResult().failedLogins >= 5);
    }

    @Test
    void manyFailuresFromOneAddressLockTheAddress() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        String ip = "10.20.30.2";
        String answer = "";
        for (int i = 0; i < 21; i++) {
            answer = attempt(flow, "no-such-user-" + i, "Wrong-pass-" + i, ip);
        }
        assertTrue(answer.contains("失败次数过多"));
        // the browser is told on the login page itself, as a 429 with Retry-After, not with a JSON document
        assertEquals(429, flow.last.statusCode());
        assertTrue(flow.last.contentType().startsWith("text/html"), flow.last.contentType());
        long retryAfter = Long.parseLong(flow.last.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertTrue(answer.contains("name=\"username\""), "the login form is still shown");
        // another address is not affected
        String other = attempt(flow, "no-such-user-x", "Wrong-pass-x", "10.20.30.3");
        assertFalse(other.contains("失败次数过多"));
        assertEquals(200, flow.last.statusCode());
        assertNull(flow.last.header("Retry-After"));
    }

    @Test
    void totpSecondFactor() {
        String id = "33010619880808003" + SessionAndLogoutTest.checkDigit("33010619880808003");
        Account account = Account.byUsername(id);
        if (account == null) {
            account = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "周九", id, null,
                    null, null, null, OidcFlow.PASSWORD, null, null), "test");
        }
        String secret = totp.enrol(account.id, "test").secret();
        // pending until confirmed with a code from it: login does not ask for one yet
        OidcFlow before = new OidcFlow("test-web", TestClients.SECRET);
        before.authorize(before.params("openid"));
        assertTrue(OidcFlow.redirect(before.submitLogin(id, OidcFlow.PASSWORD, null, null)).indicatesSuccess());
        totp.confirm(account.id, Totp.code(secret, Totp.currentStep() - 1), "test");
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        Response noCode = flow.submitLogin(id, OidcFlow.PASSWORD, null, null);
        assertEquals(200, noCode.statusCode());
        assertTrue(noCode.asString().contains("动态口令"));
        Response wrong = flow.submitLogin(id, OidcFlow.PASSWORD, "000000".equals(Totp.codeNow(secret)) ? "111111" : "000000", null);
        assertTrue(wrong.asString().contains("动态口令错误"));
        Response ok = flow.submitLogin(id, OidcFlow.PASSWORD, Totp.codeNow(secret), null);
        assertTrue(OidcFlow.redirect(ok).indicatesSuccess());
    }

    @Test
    void passwordsAreArgon2idHashed() {
        Account admin = Account.byUsername("dsj.admin");
        assertTrue(admin.passwordHash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"));
        assertTrue(hasher.verify(OidcFlow.PASSWORD, admin.passwordHash));
        assertFalse(hasher.verify("Zj@2026onenex", admin.passwordHash));
    }

    @Test
    void registrationChecksIdentifiersAndPolicy() {
        given().contentType("application/json").body(Map.of("idNumber", "330106198503120011", "name", "测试",
                "password", "Good-pass-2026")).post("/api/identity/v1/registrations").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", org.hamcrest.Matchers.hasItem("idNumber"))
                .body(containsString("校验码"));
        given().contentType("application/json").body(Map.of("idNumber", "33010619850312001X", "name", "测试",
                "password", "short")).post("/api/identity/v1/registrations").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("password"));
        // a valid registration is accepted; the account exists once the token sent to the contact is confirmed
        String id = "33010620000101004" + SessionAndLogoutTest.checkDigit("33010620000101004");
        String phone = "13700" + (System.nanoTime() % 1_000_000 + 1_000_000);
        if (Account.byUsername(id) == null) {
            given().contentType("application/json").body(Map.of("idNumber", id, "name", "吴十",
                    "password", "Good-pass-2026", "phone", phone)).post("/api/identity/v1/registrations").then()
                    .statusCode(202).body("status", org.hamcrest.Matchers.equalTo("ACCEPTED"));
            assertEquals(null, Account.byUsername(id));
            String body = cn.onenet.identity.model.OutboxMessage.<cn.onenet.identity.model.OutboxMessage>list(
                    "recipient = ?1 and kind = 'REGISTRATION_CONFIRM'", phone).get(0).body;
            String token = body.substring(body.indexOf("确认码：") + 4, body.indexOf("确认码：") + 4 + 43);
            given().contentType("application/json").body(Map.of("token", token))
                    .post("/api/identity/v1/registrations/confirm").then().statusCode(201)
                    .body("level", org.hamcrest.Matchers.equalTo(2))
                    .body("idNumberMasked", org.hamcrest.Matchers.equalTo(id.substring(0, 6) + "********" + id.substring(14)))
                    .body(org.hamcrest.Matchers.not(containsString("argon2")));
        }
    }

    private static String attempt(OidcFlow flow, String username, String password, String ip) {
        String html = flow.last.asString();
        flow.last = given().redirects().follow(false).cookies(flow.cookies).header("X-Forwarded-For", ip)
                .contentType("application/x-www-form-urlencoded").formParam("req", OidcFlow.hidden(html, "req"))
                .formParam("csrf", OidcFlow.hidden(html, "csrf")).formParam("username", username)
                .formParam("password", password).post("/oidc/login");
        return flow.last.asString();
    }

    private static String message(String html) {
        int start = html.indexOf("id=\"login-error\">");
        return html.substring(start, html.indexOf("</div>", start));
    }

    @Test
    void theLockKeepsDoublingWhenEachGuessWaitsOutTheLockAndTheWindow() {
        String key = LoginThrottle.accountKey("backoff-" + System.nanoTime());
        Duration lock = Duration.ZERO;
        for (int i = 1; i <= 4; i++) {
            assertTrue(fail(key).isEmpty(), "no lock before the fifth failure");
        }
        // the fifth failure locks for 30 s; each later one, made after the lock ended and more than the 15 min
        // window after the count began, doubles it: 60, 120 … up to the 15 min cap
        Duration expected = Duration.ofSeconds(30);
        for (int i = 5; i <= 13; i++) {
            lock = lockOf(fail(key));
            assertEquals(expected.toSeconds(), lock.toSeconds(), 2, "failure " + i);
            expected = expected.multipliedBy(2).compareTo(Duration.ofMinutes(15)) > 0 ? Duration.ofMinutes(15)
                    : expected.multipliedBy(2);
            lockEndedAgo(key, Duration.ofSeconds(1), Duration.ofMinutes(16 * i));
        }
        assertEquals(Duration.ofMinutes(15).toSeconds(), lock.toSeconds(), 2);
        // quiet for more than the window after the last lock ended: the count starts again
        lockEndedAgo(key, Duration.ofMinutes(16), Duration.ofDays(1));
        assertTrue(fail(key).isEmpty());
    }

    @Test
    void strangersWhoKnowTheLoginNameNeverKeepTheHolderOut() {
        String phone = "13900" + (System.nanoTime() % 1_000_000 + 1_000_000);
        String username = "held.staff" + (System.nanoTime() % 100000);
        Account account = accounts.create(new AccountService.NewAccount(AccountType.CIVIL_SERVANT, username,
                "锁定测试员", null, null, "11330000002481060E", null, java.util.Set.of("operator"), OidcFlow.PASSWORD,
                null, phone), "test");
        // the holder signed in once from their browser, which keeps the trusted-device cookie
        LoginService.Result first = logins.login(username, OidcFlow.PASSWORD, null, "10.40.9.9", "test-web", null);
        assertTrue(first.ok());
        String device = first.deviceCookie();
        assertTrue(device != null && !device.isBlank());

        // strangers guess from many addresses, waiting out every lock, far beyond any former block count
        int locked = 0;
        for (int i = 1; i <= 150; i++) {
            LoginService.Failure f = logins.login(username, "Wrong-pass-" + i, null,
                    "10.41." + (i / 200) + "." + (i % 200), "test-web").failure();
            assertTrue(f == LoginService.Failure.BAD_CREDENTIALS || f == LoginService.Failure.LOCKED, f::name);
            locked += f == LoginService.Failure.LOCKED ? 1 : 0;
            if (i % 7 == 0) {
                // while the name is held, the holder's own browser still signs in with the right password
                assertTrue(logins.login(username, OidcFlow.PASSWORD, null, "10.42.0." + i, "test-web", device).ok(),
                        "trusted device refused after " + i + " failures");
            }
            endLocks(username, Duration.ofSeconds(1));
        }
        assertTrue(locked > 0, "the name was held at times");
        // the name alone is held only briefly: a lock of at most the soft delay, never for good
        logins.login(username, "Wrong-pass-x", null, "10.43.0.1", "test-web");
        logins.login(username, "Wrong-pass-y", null, "10.43.0.2", "test-web");
        Optional<OffsetDateTime> held = throttle.lockedUntil(LoginThrottle.accountKey(username));
        assertTrue(held.isEmpty() || held.get().isBefore(OffsetDateTime.now().plusMinutes(1).plusSeconds(5)));
        endLocks(username, Duration.ofSeconds(1));
        // from a new browser and address, the right password works once the short delay has passed
        LoginService.Result fresh = logins.login(username, OidcFlow.PASSWORD, null, "10.44.0.1", "test-web");
        assertTrue(fresh.ok(), () -> String.valueOf(fresh.failure()));
        // a cookie of another login name, or a forged one, is not trusted
        assertTrue(logins.login("other.name", "Wrong-pass-1", null, "10.45.0.1", "test-web", device).failure()
                == LoginService.Failure.BAD_CREDENTIALS);
        logins.login(username, "Wrong-pass-w", null, "10.45.0.2", "test-web");
        assertEquals(LoginService.Failure.LOCKED, logins.login(username, OidcFlow.PASSWORD, null, "10.45.0.3",
                "test-web", device.substring(0, device.length() - 2) + (device.endsWith("AA") ? "BB" : "AA"))
                .failure());
        assertTrue(logins.login(username, OidcFlow.PASSWORD, null, "10.45.0.3", "test-web", device).ok());

        // the holder was told once today, however often the name was locked, with what to do
        List<cn.onenet.identity.model.OutboxMessage> told = cn.onenet.identity.model.OutboxMessage.list(
                "recipient = ?1 and kind = 'LOGIN_LOCKED'", phone);
        assertEquals(1, told.size());
        assertTrue(told.get(0).body.contains("忘记密码") && told.get(0).body.contains("If this was not you"));

        // an administrator still lifts every lock of the name at once
        for (int i = 0; i < 5; i++) {
            logins.login(username, "Wrong-pass-z" + i, null, "10.46.0.1", "test-web");
        }
        assertEquals(LoginService.Failure.LOCKED,
                logins.login(username, OidcFlow.PASSWORD, null, "10.46.0.1", "test-web").failure());
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin"))
                .delete("/api/identity/v1/accounts/" + account.id + "/login-lock").then().statusCode(204);
        assertTrue(logins.login(username, OidcFlow.PASSWORD, null, "10.46.0.1", "test-web").ok());
        // who may: admins only
        given().auth().oauth2(OidcFlow.accessToken("test-web", "gat.operator"))
                .delete("/api/identity/v1/accounts/" + account.id + "/login-lock").then().statusCode(403);
    }

    @Test
    void aFailedLoginOfAnAccountIsFoundByItsLoginNameAndATypoIsNotKeptInClear() {
        String username = "audit.staff" + (System.nanoTime() % 100000);
        Account account = accounts.create(new AccountService.NewAccount(AccountType.CIVIL_SERVANT, username,
                "审计测试员", null, null, "11330000002481060E", null, java.util.Set.of("operator"), OidcFlow.PASSWORD,
                null, null), "test");
        logins.login(username.toUpperCase(), "Wrong-pass-1", null, "10.48.0.1", "test-web");
        String typo = "Secret-typed-" + System.nanoTime();
        logins.login(typo, "Wrong-pass-2", null, "10.48.0.2", "test-web");
        String auditor = OidcFlow.accessToken("test-web", "dsj.auditor");
        // an existing account: recorded under its login name, with its id as subject
        given().auth().oauth2(auditor).queryParam("actor", username).queryParam("type", "LOGIN")
                .get("/api/identity/v1/audit").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].subject", equalTo(account.id.toString())).body("[0].outcome", equalTo("FAILURE"));
        // no account: only a digest, found by searching for what was typed
        given().auth().oauth2(auditor).queryParam("actor", typo).queryParam("type", "LOGIN")
                .get("/api/identity/v1/audit").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].actor", org.hamcrest.Matchers.startsWith("unmatched:"))
                .body(org.hamcrest.Matchers.not(containsString(typo)));
    }

    @Test
    void aSourceIsAnIpv4AddressOrAnIpv6Slash64() {
        assertEquals("10.1.2.3", LoginThrottle.source("10.1.2.3"));
        assertEquals("2001:db8:1:2::/64", LoginThrottle.source("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
        assertEquals("2001:db8:0:0::/64", LoginThrottle.source("[2001:db8::1]"));
        assertEquals(LoginThrottle.ipKey("2001:db8:1:2::5"), LoginThrottle.ipKey("2001:db8:1:2:ffff::9"));
        assertEquals("not-an-address:x", LoginThrottle.source("not-an-address:x"));
    }

    @Test
    void theLoginPageSetsTheTrustedDeviceCookie() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.authorize(flow.params("openid"));
        Response ok = flow.submitLogin(CodeFlowConformanceTest.CITIZEN, OidcFlow.PASSWORD, null, null);
        String setCookie = String.join("\n", ok.headers().getValues("Set-Cookie"));
        assertTrue(setCookie.contains("onenet_device="), setCookie);
        String device = ok.getCookie("onenet_device");
        assertTrue(setCookie.toLowerCase().contains("httponly"), setCookie);
        // it is trusted for that login name only
        assertTrue(logins.login(CodeFlowConformanceTest.CITIZEN, OidcFlow.PASSWORD, null, "10.47.0.1", "test-web",
                device).ok());
    }

    @Test
    void theApplicationLogNeverShowsAnIdNumberInClear() {
        long n = System.nanoTime();
        String first17 = "330106197003" + String.format("%02d%03d", 1 + n % 28, n / 28 % 1000);
        String id = first17 + SessionAndLogoutTest.checkDigit(first17);
        String masked = id.substring(0, 6) + "********" + id.substring(14);
        List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                // the message and each argument, formatted or not: the number must be in none of them
                logged.add(String.valueOf(record.getMessage()));
                for (Object parameter : record.getParameters() == null ? new Object[0] : record.getParameters()) {
                    logged.add(String.valueOf(parameter));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Logger identity = java.util.logging.Logger.getLogger("cn.onenet.identity");
        identity.addHandler(capture);
        try {
            // failed logins (audited with the submitted name as actor), the locks of the name from one source and
            // of the name alone
            String key = LoginThrottle.accountKey(id);
            for (int i = 1; i <= 20; i++) {
                logins.login(i % 2 == 0 ? id : id.toLowerCase(), "Wrong-pass-" + i, null, "10.50.0." + (i % 2),
                        "test-web");
                endLocks(id, Duration.ofSeconds(1));
            }
            // recovery and registration requests are limited under keys with the number too
            for (String prefix : List.of("recover:", "register:")) {
                for (int i = 0; i < 3; i++) {
                    QuarkusTransaction.requiringNew().run(() -> throttle.count(prefix + key, 3, Duration.ofMinutes(15),
                            Duration.ofMinutes(15), Duration.ofHours(1)));
                }
            }
        } finally {
            identity.removeHandler(capture);
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                    "DELETE FROM login_throttle WHERE throttle_key LIKE ?1").setParameter(1, "%" + id.toLowerCase())
                    .executeUpdate());
        }
        List<String> clear = logged.stream().filter(line -> line.toUpperCase().contains(id)).toList();
        assertEquals(List.of(), clear);
        // what is logged is the masked form: failures, locks and the block were logged, just not in clear
        for (String expected : List.of("USER:" + masked, "RECOVER:USER:" + masked, "REGISTER:USER:" + masked,
                "ACTOR=UNMATCHED:")) {
            assertTrue(logged.stream().anyMatch(line -> line.toUpperCase().contains(expected)),
                    () -> expected + " not in:\n" + String.join("\n", logged));
        }
        assertTrue(logged.stream().anyMatch(line -> line.contains("Locked")), () -> String.join("\n", logged));
        // the number names no account: the audit trail keeps only its keyed digest, and auditors still find the
        // rows by the number typed
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.auditor")).queryParam("actor", id)
                .queryParam("type", "LOGIN").get("/api/identity/v1/audit").then().statusCode(200)
                .body("size()", org.hamcrest.Matchers.greaterThan(0))
                .body("actor", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.startsWith("unmatched:")))
                .body(org.hamcrest.Matchers.not(containsString(id)))
                .body(org.hamcrest.Matchers.not(containsString(id.toLowerCase())));
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "SELECT count(*) FROM audit_event WHERE upper(actor) = ?1 OR upper(detail) LIKE ?2")
                .setParameter(1, id).setParameter(2, "%" + id + "%").getSingleResult()).longValue()));
    }

    private Optional<OffsetDateTime> fail(String key) {
        return QuarkusTransaction.requiringNew().call(() -> throttle.fail(key, false));
    }

    private static Duration lockOf(Optional<OffsetDateTime> until) {
        assertTrue(until.isPresent(), "locked");
        return Duration.between(OffsetDateTime.now(), until.get());
    }

    /** As if time had passed: every lock of the login name (its own, and from each source) ended {@code ago}. */
    private void endLocks(String username, Duration ago) {
        String own = LoginThrottle.accountKey(username);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE login_throttle SET locked_until = "
                + "now() - make_interval(secs => ?2) WHERE (throttle_key = ?1 OR throttle_key LIKE ?1 || '@%') AND "
                + "locked_until IS NOT NULL").setParameter(1, own).setParameter(2, (double) ago.toSeconds())
                .executeUpdate());
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
