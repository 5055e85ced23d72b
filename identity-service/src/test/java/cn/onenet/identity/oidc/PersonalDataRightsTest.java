package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.OutboxMessage;
import cn.onenet.identity.service.AccountClosureService;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.AuditService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Rights of the person under PIPL: a copy of one's own data (Art. 45, GET me/export) and closing one's own account
 * (Art. 47, DELETE me, with a cooling-off period cancelled by signing in again or by the token sent to the contact).
 * The clock is driven as the contact-change tests drive it: the due time is moved into the past and the scheduled
 * step is run.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class PersonalDataRightsTest {

    private static final String ME = "/api/identity/v1/me";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    AccountClosureService closures;
    @Inject
    AuditService audit;
    @Inject
    EntityManager em;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static final java.util.concurrent.atomic.AtomicInteger SEQ = new java.util.concurrent.atomic.AtomicInteger();

    /** A new citizen (L2) with a phone and an e-mail address. */
    private Account citizen(String name) {
        String phone = "137" + String.format("%08d", java.util.concurrent.ThreadLocalRandom.current()
                .nextInt(100_000_000));
        return TotpLifecycleTest.newCitizen(accounts, name, "p" + SEQ.incrementAndGet() + "-" + System.nanoTime()
                + "@example.cn", phone);
    }

    private List<OutboxMessage> sent(String recipient, String kind) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.list("recipient = ?1 and kind = ?2 order "
                + "by id", recipient, kind));
    }

    private static String cancelToken(OutboxMessage message) {
        Matcher m = Pattern.compile("撤销码：([A-Za-z0-9_-]{43})").matcher(message.body);
        assertTrue(m.find(), message.body);
        return m.group(1);
    }

    private Object[] accountRow(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("SELECT status, username, "
                + "id_number, phone, email, password_hash, display_name FROM account WHERE id = ?1")
                .setParameter(1, id).getSingleResult());
    }

    private static Response close(String token, String password) {
        return given().auth().oauth2(token).contentType("application/json").body(Map.of("password", password))
                .delete(ME);
    }

    /** Moves the account's open closure past its cooling-off and runs the scheduled step. */
    private void coolOff(Account account) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE account_closure SET effective_at = "
                + "now() - interval '1 minute' WHERE account_id = ?1 AND ended_at IS NULL")
                .setParameter(1, account.id).executeUpdate());
        closures.closeDue();
    }

    // ---- copy of one's own data (PIPL Art. 45) ----

    @Test
    void theHolderGetsACopyOfTheirOwnDataWithoutSecretsAndTheExportIsAudited() {
        Account citizen = citizen("副本测试");
        accounts.verifyLevel(citizen.id, 3, "population-register", "副本测试", "test");
        OIDCTokenResponse tokens = new OidcFlow("test-web", TestClients.SECRET).tokens(citizen.username,
                "openid profile");
        String token = tokens.getOIDCTokens().getAccessToken().getValue();
        Response export = given().auth().oauth2(token).get(ME + "/export");
        export.then().statusCode(200).contentType("application/json")
                .header("Content-Disposition", org.hamcrest.Matchers.containsString("attachment"))
                .body("profile.id", equalTo(citizen.id.toString()))
                .body("profile.idNumber", equalTo(citizen.username))
                .body("profile.displayName", equalTo("副本测试"))
                .body("profile.level", equalTo(3))
                .body("contacts.phone", equalTo(citizen.phone))
                .body("contacts.email", equalTo(citizen.email))
                .body("realNameLevelHistory.event", hasItem("ACCOUNT_CREATED"))
                .body("realNameLevelHistory.event", hasItem("LEVEL_CHANGED"))
                .body("applications.find { it.clientId == 'test-web' }.firstParty", equalTo(true))
                .body("grants.clientId", hasItem("test-web"))
                .body("sessions.size()", equalTo(1))
                .body("sessions[0].clients", hasItem("test-web"))
                .body("securityEvents.type", hasItem("LOGIN"))
                .body("delegations.size()", equalTo(0));
        String body = export.asString();
        String hash = (String) accountRow(citizen.id)[5];
        assertFalse(body.contains(hash), "the password hash is exported");
        assertFalse(body.contains("$argon2"), "a password hash is exported");
        assertFalse(body.contains(token), "the access token is exported");
        assertFalse(body.contains(tokens.getOIDCTokens().getRefreshToken().getValue()), "the refresh token is exported");
        audit.flush();
        long audited = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT count(*) "
                + "FROM audit_event WHERE event_type = 'DATA_EXPORTED' AND subject = ?1")
                .setParameter(1, citizen.id.toString()).getSingleResult()).longValue());
        assertEquals(1, audited);
    }

    @Test
    void eachCitizenGetsOnlyTheirOwnDataAndAnAdministratorOnlyTheirs() {
        Account first = citizen("副本甲");
        Account second = citizen("副本乙");
        OidcFlow.accessToken("test-web", first.username);
        String secondToken = OidcFlow.accessToken("test-web", second.username);
        String body = given().auth().oauth2(secondToken).get(ME + "/export").then().statusCode(200)
                .body("profile.idNumber", equalTo(second.username)).extract().asString();
        assertFalse(body.contains(first.username), "another citizen's ID number in the copy");
        assertFalse(body.contains(first.id.toString()), "another citizen's account in the copy");
        assertFalse(body.contains(first.phone), "another citizen's phone in the copy");

        // an administrator has no way to name someone else: the copy is always of the caller
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String adminCopy = given().auth().oauth2(admin).queryParam("accountId", first.id.toString())
                .get(ME + "/export").then().statusCode(200).body("profile.username", equalTo("dsj.admin"))
                .extract().asString();
        assertFalse(adminCopy.contains(first.username));
        given().auth().oauth2(admin).get("/api/identity/v1/accounts/" + first.id + "/export").then()
                .statusCode(org.hamcrest.Matchers.either(equalTo(404)).or(equalTo(405)));
        // no token: no copy
        given().get(ME + "/export").then().statusCode(401);
    }

    // ---- account closure (PIPL Art. 47) ----

    @Test
    void closureNeedsThePasswordThenCoolsOffSignsEverythingOutAndTellsTheContact() {
        Account citizen = citizen("注销申请测试");
        String token = OidcFlow.accessToken("test-web", citizen.username);
        given().auth().oauth2(token).contentType("application/json").body("{}").delete(ME).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("password"));
        close(token, "Wrong#pass-1").then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("password")).body("requestId", notNullValue());
        assertEquals("ACTIVE", accountRow(citizen.id)[0]);
        assertEquals(0, sent(citizen.phone, "CLOSURE_REQUESTED").size());

        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC);
        String effective = close(token, OidcFlow.PASSWORD).then().statusCode(202)
                .body("signedOut", equalTo(true)).extract().path("effectiveAt");
        // 15 days by default
        OffsetDateTime at = OffsetDateTime.parse(effective);
        assertTrue(at.isAfter(before.plusDays(14)) && at.isBefore(before.plusDays(16)), effective);
        // told at the contact, with a way to cancel
        assertEquals(1, sent(citizen.phone, "CLOSURE_REQUESTED").size());
        assertEquals(1, sent(citizen.email, "CLOSURE_REQUESTED").size());
        cancelToken(sent(citizen.phone, "CLOSURE_REQUESTED").get(0));
        // every sign-in ended: the token making the request no longer works
        given().auth().oauth2(token).get(ME).then().statusCode(401);
        // not closed before the cooling-off has passed
        closures.closeDue();
        assertEquals("ACTIVE", accountRow(citizen.id)[0]);
    }

    @Test
    void signingInAgainDuringTheCoolingOffCancelsTheClosure() {
        Account citizen = citizen("注销登录撤销");
        close(OidcFlow.accessToken("test-web", citizen.username), OidcFlow.PASSWORD).then().statusCode(202);
        // the holder changes their mind and signs in
        String token = OidcFlow.accessToken("test-web", citizen.username);
        assertEquals(1, sent(citizen.phone, "CLOSURE_CANCELLED").size());
        coolOff(citizen);
        assertEquals("ACTIVE", accountRow(citizen.id)[0]);
        given().auth().oauth2(token).get(ME).then().statusCode(200).body("username", notNullValue());
        String outcome = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("SELECT outcome "
                + "FROM account_closure WHERE account_id = ?1").setParameter(1, citizen.id).getSingleResult());
        assertEquals("CANCELLED_BY_SIGN_IN", outcome);
    }

    @Test
    void theCancelTokenSentToTheContactCancelsTheClosureOnce() {
        Account citizen = citizen("注销撤销码");
        close(OidcFlow.accessToken("test-web", citizen.username), OidcFlow.PASSWORD).then().statusCode(202);
        String cancel = cancelToken(sent(citizen.phone, "CLOSURE_REQUESTED").get(0));
        String ip = "10.88." + (SEQ.get() % 250) + "." + (1 + System.nanoTime() % 250);
        given().header("X-Forwarded-For", ip).contentType("application/json").body(Map.of("token", cancel))
                .post("/api/identity/v1/account-closures/cancel").then().statusCode(204);
        coolOff(citizen);
        assertEquals("ACTIVE", accountRow(citizen.id)[0]);
        given().header("X-Forwarded-For", ip).contentType("application/json").body(Map.of("token", cancel))
                .post("/api/identity/v1/account-closures/cancel").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("token"));
        given().header("X-Forwarded-For", ip).contentType("application/json").body("{}")
                .post("/api/identity/v1/account-closures/cancel").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void atTheEndTheAccountIsClosedItCannotSignInAndItsIdNumberRegistersAgain() {
        Account citizen = citizen("注销完成测试");
        String idNumber = citizen.username;
        String phone = citizen.phone;
        // something to end: a consent to a third-party application
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO consent (account_id, client_id, "
                + "scope) VALUES (?1, 'test-third', 'openid')").setParameter(1, citizen.id).executeUpdate());
        // a failed login records the login name in the audit trail
        assertFalse(OidcFlow.signsIn(idNumber, "Wrong#pass-1"));
        close(OidcFlow.accessToken("test-web", idNumber), OidcFlow.PASSWORD).then().statusCode(202);
        coolOff(citizen);

        Object[] row = accountRow(citizen.id);
        assertEquals("CLOSED", row[0]);
        assertNotEquals(idNumber, row[1]);
        assertNull(row[2]);
        assertNull(row[3]);
        assertNull(row[4]);
        assertNull(row[5]);
        assertEquals(AccountClosureService.CLOSED_NAME, row[6]);
        assertEquals(1, sent(phone, "ACCOUNT_CLOSED").size());
        long consents = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT count(*) "
                + "FROM consent WHERE account_id = ?1").setParameter(1, citizen.id).getSingleResult()).longValue());
        assertEquals(0, consents);
        // the audit trail stays, naming the account by id only
        audit.flush();
        List<?> kept = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("SELECT event_type FROM "
                + "audit_event WHERE subject = ?1").setParameter(1, citizen.id.toString()).getResultList());
        assertTrue(kept.contains("ACCOUNT_CLOSED") && kept.contains("LOGIN"), kept.toString());
        long named = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT count(*) "
                + "FROM audit_event WHERE actor = ?1").setParameter(1, idNumber).getSingleResult()).longValue());
        assertEquals(0, named);

        // a closed account cannot sign in, and an administrator cannot bring it back
        assertFalse(OidcFlow.signsIn(idNumber, OidcFlow.PASSWORD));
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin"))
                .post("/api/identity/v1/accounts/" + citizen.id + "/enable").then().statusCode(409);

        // the person may register again with the same ID number
        String newPhone = "136" + String.format("%08d", java.util.concurrent.ThreadLocalRandom.current()
                .nextInt(100_000_000));
        given().header("X-Forwarded-For", "10.89." + (SEQ.get() % 250) + ".7").contentType("application/json")
                .body(Map.of("idNumber", idNumber, "name", "注销完成测试", "password", "Good-pass-2026", "phone", newPhone))
                .post("/api/identity/v1/registrations").then().statusCode(202);
        OutboxMessage confirm = sent(newPhone, "REGISTRATION_CONFIRM").get(0);
        Matcher m = Pattern.compile("确认码：([A-Za-z0-9_-]{43})").matcher(confirm.body);
        assertTrue(m.find(), confirm.body);
        given().contentType("application/json").body(Map.of("token", m.group(1)))
                .post("/api/identity/v1/registrations/confirm").then().statusCode(201);
        Account again = QuarkusTransaction.requiringNew().call(() -> Account.byUsername(idNumber));
        assertNotEquals(citizen.id, again.id);
        assertTrue(OidcFlow.signsIn(idNumber, "Good-pass-2026"));
    }

    @Test
    void closureNeedsASignInAtTheAccountsLevelAndOnlyAPersonalAccountThatRepresentsNoEnterprise() {
        Account citizen = citizen("注销等级测试");
        String l2 = OidcFlow.accessToken("test-web", citizen.username);
        accounts.verifyLevel(citizen.id, 3, "population-register", "注销等级测试", "test");
        // the sign-in was at L2; the account is L3 now
        close(l2, OidcFlow.PASSWORD).then().statusCode(403).contentType("application/problem+json")
                .body("requiredAcr", equalTo("urn:onenet:loa:3")).body("acr", equalTo("urn:onenet:loa:2"));
        assertEquals(0, sent(citizen.phone, "CLOSURE_REQUESTED").size());
        // an enterprise's own login: closed by an administrator, not here
        close(OidcFlow.accessToken("test-web", "91330106MA2H00001E"), OidcFlow.PASSWORD).then().statusCode(403)
                .contentType("application/problem+json");
        // the enterprise's legal representative must have the representative changed first
        close(OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN), OidcFlow.PASSWORD).then()
                .statusCode(409).contentType("application/problem+json");
        given().contentType("application/json").body(Map.of("password", OidcFlow.PASSWORD)).delete(ME).then()
                .statusCode(401);
        // at L3 it is accepted
        close(OidcFlow.accessToken("test-web", citizen.username), OidcFlow.PASSWORD).then().statusCode(202)
                .body("effectiveAt", not(equalTo(null)));
    }
}
