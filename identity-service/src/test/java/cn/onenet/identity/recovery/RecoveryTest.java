package cn.onenet.identity.recovery;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.LoginThrottle;
import cn.onenet.identity.service.PasswordHasher;
import cn.onenet.identity.service.RecoveryService;
import cn.onenet.identity.service.Secrets;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Account recovery (忘记密码): no account oracle, single-use expiring tokens, policy, revocation, rate limits. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RecoveryTest {

    static final String NEW_PASSWORD = "Hz#2027-recovered";
    private static final AtomicInteger IP = new AtomicInteger(1);

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    RecoveryService recovery;
    @Inject
    LoginThrottle throttle;
    @Inject
    PasswordHasher hasher;
    @Inject
    AuditService audit;
    @Inject
    EntityManager em;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A fresh address per use, so one test's rate limits never touch another's. */
    static String ip() {
        return "10.77." + (IP.get() / 250) + "." + (IP.getAndIncrement() % 250 + 1);
    }

    static Response requestRecovery(String identifier, String ip) {
        return given().header("X-Forwarded-For", ip).contentType("application/json")
                .body(Map.of("identifier", identifier)).post("/api/identity/v1/recovery");
    }

    Account citizen(String phone, String email) {
        return accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null, "找回测试",
                Outbox.newIdNumber(), null, null, null, null, OidcFlow.PASSWORD, email, phone), "test");
    }

    /** The longest X-Request-Id kept as given (128 characters) fits the recovery queue's column: no 500. */
    @Test
    void aRequestIdOf128CharactersIsQueuedWithTheRecoveryRequest() {
        String requestId = "r".repeat(128) + System.nanoTime();
        requestId = requestId.substring(requestId.length() - 128);
        Account account = citizen(Outbox.newPhone(), null);
        given().header("X-Forwarded-For", ip()).header("X-Request-Id", requestId).contentType("application/json")
                .body(Map.of("identifier", account.username)).post("/api/identity/v1/recovery").then()
                .statusCode(202);
        Response form = given().get("/oidc/recover");
        String cookie = form.getCookie("onenet_recover_csrf");
        given().header("X-Forwarded-For", ip()).header("X-Request-Id", requestId)
                .contentType("application/x-www-form-urlencoded").cookie("onenet_recover_csrf", cookie)
                .formParam("csrf", cookie).formParam("identifier", citizen(Outbox.newPhone(), null).username)
                .post("/oidc/recover").then().statusCode(200);
    }

    @Test
    void unknownAndKnownIdentifiersGetByteIdenticalResponses() {
        String phone = Outbox.newPhone();
        Account known = citizen(phone, null);
        String unknown = Outbox.newIdNumber();
        Response a = requestRecovery(known.username, ip());
        Response b = requestRecovery(unknown, ip());
        assertEquals(202, a.statusCode());
        assertEquals(a.statusCode(), b.statusCode());
        assertEquals(a.contentType(), b.contentType());
        assertArrayEquals(a.asByteArray(), b.asByteArray());
        assertEquals(headerNames(a), headerNames(b));
        // nothing was decided while answering: both are queued, then worked off
        Outbox.workOff(recovery);
        List<OutboxMessage> sent = Outbox.to(phone, "PASSWORD_RESET");
        assertEquals(1, sent.size());
        assertEquals("SMS", sent.get(0).channel);
        assertEquals(known.id, sent.get(0).accountId);
        assertEquals(0L, OutboxMessage.count("body like ?1", "%" + unknown + "%"));
        // only the token's hash is stored with the account
        String token = Outbox.token(sent.get(0));
        assertEquals(1L, count("SELECT count(*) FROM password_reset WHERE token_hash = ?1 AND account_id = ?2",
                Secrets.sha256(token), known.id));
        assertEquals(0L, count("SELECT count(*) FROM password_reset WHERE token_hash = ?1", token));
        // the same for malformed input whatever it names: a field error
        requestRecovery("not an id; DROP TABLE", ip()).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("identifier"));
    }

    @Test
    void resetTokenWorksOnceRevokesSessionsAndClearsLockout() {
        String email = "reset-" + System.nanoTime() + "@example.cn";
        Account account = citizen(null, email);
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse before = flow.tokens(account.username, "openid profile");
        assertNotNull(before.getOIDCTokens().getRefreshToken());
        for (int i = 0; i < 6; i++) {
            throttle.fail(LoginThrottle.accountKey(account.username), false);
        }
        assertTrue(throttle.lockedUntil(LoginThrottle.accountKey(account.username)).isPresent());

        requestRecovery(account.username, ip()).then().statusCode(202);
        Outbox.workOff(recovery);
        String token = Outbox.token(Outbox.to(email, "PASSWORD_RESET").get(0));
        String ip = ip();
        // a password against the policy is refused and does not spend the token
        reset(token, "short", ip).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("password"));
        reset(token, "onlylowercaseletters", ip).then().statusCode(400).body("errors.field", hasItem("password"));
        reset(token, NEW_PASSWORD, ip).then().statusCode(200).body("status", equalTo("PASSWORD_RESET"));
        // single use
        reset(token, NEW_PASSWORD + "x", ip).then().statusCode(400).body("errors.field", hasItem("token"));

        Account after = fresh(account);
        assertTrue(hasher.verify(NEW_PASSWORD, after.passwordHash));
        assertFalse(hasher.verify(OidcFlow.PASSWORD, after.passwordHash));
        assertEquals(0, after.failedLogins);
        assertFalse(throttle.lockedUntil(LoginThrottle.accountKey(account.username)).isPresent());
        // the refresh token and the SSO session are gone; the access token fails introspection
        TokenResponse refreshed = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(before.getOIDCTokens().getRefreshToken())));
        assertEquals("invalid_grant", refreshed.toErrorResponse().getErrorObject().getCode());
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType("application/x-www-form-urlencoded")
                .formParam("token", before.getOIDCTokens().getAccessToken().getValue()).post("/oidc/introspect").then()
                .body("active", equalTo(false));
        Response again = flow.authorize(flow.params("openid"));
        assertTrue(again.asString().contains("name=\"password\""), "the SSO session must have ended");
        // the lockout no longer applies and the new password works
        assertTrue(OidcFlow.redirect(flow.submitLogin(account.username, NEW_PASSWORD, null, null)).indicatesSuccess());
        // the holder is told, and the audit trail has the reset but never the token
        assertEquals(1, Outbox.to(email, "PASSWORD_CHANGED").size());
        audit.flush();
        assertEquals(1L, count("SELECT count(*) FROM audit_event WHERE event_type = 'PASSWORD_RESET' "
                + "AND outcome = 'SUCCESS' AND subject = ?1", account.id.toString()));
        assertEquals(0L, count("SELECT count(*) FROM audit_event WHERE detail LIKE ?1 OR actor LIKE ?1",
                "%" + token + "%"));
    }

    @Test
    void expiredSupersededAndWrongTokensAreRefused() {
        String phone = Outbox.newPhone();
        Account account = citizen(phone, null);
        requestRecovery(account.username, ip()).then().statusCode(202);
        Outbox.workOff(recovery);
        String first = Outbox.token(Outbox.to(phone, "PASSWORD_RESET").get(0));
        sentAgo(account, java.time.Duration.ofMinutes(6));
        requestRecovery(account.username, ip()).then().statusCode(202);
        Outbox.workOff(recovery);
        String second = Outbox.token(Outbox.to(phone, "PASSWORD_RESET").get(1));
        assertNotEquals(first, second);
        String ip = ip();
        // a newer token replaces the older one
        reset(first, NEW_PASSWORD, ip).then().statusCode(400).body("errors.field", hasItem("token"))
                .body("detail", containsString("invalid"));
        // expired
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "UPDATE password_reset SET expires_at = now() - interval '1 second' WHERE token_hash = ?1")
                .setParameter(1, Secrets.sha256(second)).executeUpdate());
        reset(second, NEW_PASSWORD, ip).then().statusCode(400).body("errors.field", hasItem("token"));
        // wrong, empty, oversized
        reset(second + "x", NEW_PASSWORD, ip).then().statusCode(400).body("errors.field", hasItem("token"));
        reset("", NEW_PASSWORD, ip).then().statusCode(400);
        reset("x".repeat(5000), NEW_PASSWORD, ip).then().statusCode(400);
        given().contentType("application/json").body("{\"token\":").post("/api/identity/v1/recovery/reset").then()
                .statusCode(400).contentType("application/problem+json");
        Account after = fresh(account);
        assertTrue(hasher.verify(OidcFlow.PASSWORD, after.passwordHash), "no refused token may change the password");
    }

    @Test
    void othersRequestsNeverRefuseRecoveryAndDeliveryIsBoundedPerAccount() {
        String phone = Outbox.newPhone();
        Account known = citizen(phone, null);
        String unknown = Outbox.newIdNumber();
        // however many requests strangers make for an identifier, each is accepted the same way: nothing locks it
        for (String identifier : List.of(known.username, unknown)) {
            for (int i = 0; i < 8; i++) {
                requestRecovery(identifier, ip()).then().statusCode(202).body("status", equalTo("ACCEPTED"));
            }
        }
        Outbox.workOff(recovery);
        // while the token sent is valid and recent, no new one goes out
        assertEquals(1, Outbox.to(phone, "PASSWORD_RESET").size());
        // later requests send again, up to three messages a day
        for (int i = 0; i < 5; i++) {
            sentAgo(known, java.time.Duration.ofMinutes(6));
            requestRecovery(known.username, ip()).then().statusCode(202);
            Outbox.workOff(recovery);
        }
        assertEquals(3, Outbox.to(phone, "PASSWORD_RESET").size());
        // the last message sent still works for the holder
        String token = Outbox.token(Outbox.to(phone, "PASSWORD_RESET").get(2));
        reset(token, NEW_PASSWORD, ip()).then().statusCode(200);
        // per address: 10 requests, then refused; another address is not affected
        String ip = ip();
        for (int i = 0; i < 10; i++) {
            requestRecovery(Outbox.newIdNumber(), ip).then().statusCode(202);
        }
        requestRecovery(Outbox.newIdNumber(), ip).then().statusCode(429);
        requestRecovery(Outbox.newIdNumber(), ip()).then().statusCode(202);
        // wrong reset tokens are limited per address as well
        String guesser = ip();
        for (int i = 0; i < 10; i++) {
            reset(Secrets.random(32), NEW_PASSWORD, guesser).then().statusCode(400);
        }
        reset(Secrets.random(32), NEW_PASSWORD, guesser).then().statusCode(429);
        Outbox.workOff(recovery);
    }

    /** As if time had passed: the account's reset tokens were issued {@code ago}. */
    private void sentAgo(Account account, java.time.Duration ago) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE password_reset SET created_at = "
                + "now() - make_interval(secs => ?2) WHERE account_id = ?1").setParameter(1, account.id)
                .setParameter(2, (double) ago.toSeconds()).executeUpdate());
    }

    @Test
    void enterprisesAndCivilServantsRecoverByTheirIdentifier() {
        String companyMail = "ent-" + System.nanoTime() + "@example.cn";
        String first17 = "91330106MA2H" + String.format("%05d", (int) (System.nanoTime() % 100_000));
        String uscc = first17 + cn.onenet.common.identifiers.CreditCode.checkCharacter(first17);
        Account company = accounts.create(new AccountService.NewAccount(AccountType.LEGAL_PERSON, null, "找回测试有限公司",
                null, uscc, null, null, null, OidcFlow.PASSWORD, companyMail, null), "test");
        String staffPhone = Outbox.newPhone();
        String login = "recover.staff" + System.nanoTime() % 100000;
        accounts.create(new AccountService.NewAccount(AccountType.CIVIL_SERVANT, login, "找回测试干部", null, null,
                "11330000002481020A", null, Set.of("operator"), OidcFlow.PASSWORD, null, staffPhone), "test");
        requestRecovery(company.username, ip()).then().statusCode(202);
        requestRecovery(login.toUpperCase(), ip()).then().statusCode(202);
        Outbox.workOff(recovery);
        assertEquals("EMAIL", Outbox.to(companyMail, "PASSWORD_RESET").get(0).channel);
        String token = Outbox.token(Outbox.to(staffPhone, "PASSWORD_RESET").get(0));
        reset(token, NEW_PASSWORD, ip()).then().statusCode(200);
        OidcFlow staff = new OidcFlow("test-web", TestClients.SECRET);
        staff.authorize(staff.params("openid"));
        assertTrue(OidcFlow.redirect(staff.submitLogin(login, NEW_PASSWORD, null, null)).indicatesSuccess());
    }

    static Response reset(String token, String password, String ip) {
        return given().header("X-Forwarded-For", ip).contentType("application/json")
                .body(Map.of("token", token, "password", password)).post("/api/identity/v1/recovery/reset");
    }

    static Account fresh(Account account) {
        return QuarkusTransaction.requiringNew().call(() -> Account.<Account>findById(account.id));
    }

    private long count(String sql, Object... params) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = em.createNativeQuery(sql);
            for (int i = 0; i < params.length; i++) {
                query.setParameter(i + 1, params[i]);
            }
            return ((Number) query.getSingleResult()).longValue();
        });
    }

    private static Set<String> headerNames(Response r) {
        Set<String> names = new java.util.TreeSet<>();
        r.headers().forEach(h -> names.add(h.getName().toLowerCase()));
        return names;
    }
}
