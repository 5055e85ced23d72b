package cn.onenet.identity.accounts;

import static cn.onenet.identity.accounts.AccountListTest.RST;
import static cn.onenet.identity.accounts.AccountListTest.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AdminChange;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AdminChanges;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.Totp;
import cn.onenet.identity.service.TotpFactor;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * 双人复核 for making, disabling, enabling and resetting administrators: creating an account with the role admin, giving
 * an account the role, disabling or enabling another administrator and resetting their second factor answer {@code 202}
 * and change nothing until a second administrator, neither the requester nor the account's holder, confirms; rejected
 * or expired they change nothing. While the requester is the only administrator who can act, nobody could confirm: the change is
 * applied at once and audited as such. The administrators these tests add are disabled at the end, so the demo's
 * dsj.admin stays the only one who can act.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AdminChangeKindsTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts";
    private static final String CHANGES = "/api/identity/v1/admin-changes";

    @Inject
    TestClients clients;
    @Inject
    AdminChanges changes;
    @Inject
    AuditService audit;
    @Inject
    TotpFactor totp;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A new enabled civil servant of 人社厅 with {@code roles}, set up without the API; its login name. */
    private static String staff(Set<String> roles) {
        String username = "kinds." + System.nanoTime() % 1_000_000;
        TestAdministrators.create(username, RST, roles);
        return username;
    }

    private static Map<String, Object> newAdmin(String username) {
        return Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", "新管理员", "departmentCode", RST,
                "roles", List.of("admin"), "password", OidcFlow.PASSWORD, "phone", "13700000002");
    }

    /** dsj.admin asks for an administrator {@code username}; the change waiting. */
    private static String askToCreate(String username) {
        return as("dsj.admin").contentType("application/json").body(newAdmin(username)).post(ACCOUNTS).then()
                .statusCode(202).extract().path("id");
    }

    private static Account account(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Account.byUsername(username));
    }

    private static String id(String username) {
        return account(username).id.toString();
    }

    private static void disable(String... usernames) {
        for (String username : usernames) {
            Account account = account(username);
            if (account != null && account.active()) {
                TestAdministrators.disable(account.id.toString());
            }
        }
    }

    private static ValidatableResponse confirm(String who, String change) {
        return as(who).post(CHANGES + "/" + change + "/confirm").then();
    }

    private static ValidatableResponse reject(String who, String change) {
        return as(who).post(CHANGES + "/" + change + "/reject").then();
    }

    /** The audit rows of {@code type} about the change (a creation's have no subject before it is confirmed). */
    private static List<AuditEvent> rowsOf(String type, String change) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "eventType = ?1 and detail like ?2 order by id", type, "%change=" + change + "%"));
    }

    private static void pastItsTime(String change) {
        QuarkusTransaction.requiringNew().run(() -> AdminChange.update("expiresAt = ?1 where id = ?2",
                OffsetDateTime.now().minusSeconds(1), UUID.fromString(change)));
    }

    @Test
    void creatingAnAdministratorWaitsUntilASecondAdministratorConfirms() {
        String second = staff(Set.of("admin"));
        String username = "new.admin" + System.nanoTime() % 1_000_000;
        try {
            String change = as("dsj.admin").contentType("application/json").body(newAdmin(username)).post(ACCOUNTS)
                    .then().statusCode(202).body("kind", equalTo("CREATE")).body("status", equalTo("PENDING"))
                    .body("accountId", nullValue()).body("username", equalTo(username))
                    .body("accountName", equalTo("新管理员")).body("departmentCode", equalTo(RST))
                    .body("roles", equalTo(List.of("admin"))).body("phoneMasked", equalTo("137****0002"))
                    .body("requestedBy", equalTo(DurableAuditTest.adminId())).extract().path("id");
            assertNull(account(username), "no account before the confirmation");
            AuditEvent requested = rowsOf("ADMIN_CHANGE_REQUESTED", change).get(0);
            assertTrue(requested.detail.contains("kind=CREATE username=" + username)
                    && !requested.detail.contains("13700000002") && !requested.detail.contains(OidcFlow.PASSWORD),
                    requested.detail);
            // one creation of a login name waits, whatever its case
            as("dsj.admin").contentType("application/json").body(newAdmin(username.toUpperCase())).post(ACCOUNTS)
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("detail", containsString(change));

            // the requester does not confirm their own request; who is no administrator neither confirms nor rejects
            confirm("dsj.admin", change).statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("another administrator"));
            confirm("rst.head", change).statusCode(403);
            reject("dsj.auditor", change).statusCode(403);
            given().post(CHANGES + "/" + change + "/confirm").then().statusCode(401);
            audit.flush();
            assertEquals(1, rowsOf("ADMIN_CHANGE_CONFIRMED", change).stream()
                    .filter(e -> "FAILURE".equals(e.outcome) && e.detail.contains("own request")).count());
            assertNull(account(username), "still no account");

            // a second administrator confirms: the account is created as asked, by the requester
            confirm(second, change).statusCode(200).body("status", equalTo("APPLIED"))
                    .body("accountId", equalTo(id(username))).body("decidedBy", equalTo(id(second)))
                    .body("phoneMasked", nullValue());
            Account created = account(username);
            assertEquals(Set.of("admin"), created.roles);
            assertEquals("13700000002", created.phone);
            assertTrue(OidcFlow.signsIn(username, OidcFlow.PASSWORD), "the password asked for signs in");
            AuditEvent row = DurableAuditTest.rows("ACCOUNT_CREATED", created.id.toString()).get(0);
            assertEquals(DurableAuditTest.adminId(), row.actor);
            // what was kept for it is gone once decided
            AdminChange decided = QuarkusTransaction.requiringNew().call(() -> AdminChange.findById(
                    UUID.fromString(change)));
            assertNull(decided.passwordHash);
            assertNull(decided.phone);
            confirm(second, change).statusCode(409);
        } finally {
            disable(second, username);
        }
    }

    @Test
    void aCreationNobodyConfirmsExpiresAndTheLoginNameMayBeAskedForAgain() {
        String second = staff(Set.of("admin"));
        String username = "exp.admin" + System.nanoTime() % 1_000_000;
        try {
            String change = askToCreate(username);
            pastItsTime(change);
            as(second).get(CHANGES + "/" + change).then().statusCode(200).body("status", equalTo("EXPIRED"));
            confirm(second, change).statusCode(409).body("detail", containsString("expired"));
            changes.expireDue();
            assertEquals(1, rowsOf("ADMIN_CHANGE_EXPIRED", change).size());
            assertNull(account(username));
            // asked again, then rejected by the second: still no account
            String again = askToCreate(username);
            reject(second, again).statusCode(200).body("status", equalTo("REJECTED"));
            assertNull(account(username));
            // refused as a single-step creation is, and then nothing waits
            Map<String, Object> bad = new java.util.HashMap<>(newAdmin(username));
            bad.put("departmentCode", "no-such");
            as("dsj.admin").contentType("application/json").body(bad).post(ACCOUNTS).then().statusCode(400)
                    .body("field", equalTo("departmentCode"));
            as("dsj.admin").get(CHANGES + "?status=PENDING").then().statusCode(200)
                    .body("findAll { it.username == '" + username + "' }.size()", equalTo(0));
        } finally {
            disable(second);
        }
    }

    @Test
    void givingAnAccountTheRoleAdminWaitsAndARejectionLeavesItAsItWas() {
        String second = staff(Set.of("admin"));
        String operator = staff(Set.of("operator"));
        try {
            String operatorId = id(operator);
            String change = as("dsj.admin").contentType("application/json").body(List.of("admin", "operator"))
                    .put(ACCOUNTS + "/" + operatorId + "/roles").then().statusCode(202).body("kind", equalTo("ROLES"))
                    .body("accountId", equalTo(operatorId)).body("roles", equalTo(List.of("admin", "operator")))
                    .extract().path("id");
            assertEquals(Set.of("operator"), account(operator).roles, "nothing changed yet");
            // the holder is no administrator yet; the requester does not confirm
            confirm(operator, change).statusCode(403);
            confirm("dsj.admin", change).statusCode(403).contentType("application/problem+json");
            reject(second, change).statusCode(200).body("status", equalTo("REJECTED"));
            assertEquals(Set.of("operator"), account(operator).roles);
            assertTrue(DurableAuditTest.rows("ROLES_CHANGED", operatorId).isEmpty());
            confirm(second, change).statusCode(409);
            // roles without admin still change in one step
            as("dsj.admin").contentType("application/json").body(List.of("operator", "head"))
                    .put(ACCOUNTS + "/" + operatorId + "/roles").then().statusCode(200)
                    .body("roles", equalTo(List.of("head", "operator")));
        } finally {
            disable(second, operator);
        }
    }

    @Test
    void disablingAnotherAdministratorWaitsAndNeitherTheRequesterNorTheHolderConfirms() {
        String target = staff(Set.of("admin"));
        String second = staff(Set.of("admin"));
        String citizen = staff(Set.of("operator"));
        try {
            String targetId = id(target);
            String change = as("dsj.admin").post(ACCOUNTS + "/" + targetId + "/disable").then().statusCode(202)
                    .body("kind", equalTo("DISABLE")).body("accountId", equalTo(targetId))
                    .body("status", equalTo("PENDING")).extract().path("id");
            assertEquals("ACTIVE", account(target).status, "nothing changed yet");
            assertTrue(OidcFlow.signsIn(target, OidcFlow.PASSWORD));
            // one waits per account
            as("dsj.admin").post(ACCOUNTS + "/" + targetId + "/disable").then().statusCode(409)
                    .body("detail", containsString(change));

            confirm("dsj.admin", change).statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("another administrator"));
            confirm(target, change).statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("one's own account"));
            reject(target, change).statusCode(403).contentType("application/problem+json");
            confirm("dsj.auditor", change).statusCode(403);
            audit.flush();
            assertEquals(2, rowsOf("ADMIN_CHANGE_CONFIRMED", change).stream()
                    .filter(e -> "FAILURE".equals(e.outcome)).count());
            assertEquals("ACTIVE", account(target).status, "still nothing changed");

            confirm(second, change).statusCode(200).body("status", equalTo("APPLIED"));
            assertEquals("DISABLED", account(target).status);
            assertFalse(OidcFlow.signsIn(target, OidcFlow.PASSWORD), "a disabled account does not sign in");
            AuditEvent disabled = DurableAuditTest.rows("ACCOUNT_DISABLED", targetId).get(0);
            assertEquals(DurableAuditTest.adminId(), disabled.actor);
            assertEquals(id(second), rowsOf("ADMIN_CHANGE_CONFIRMED", change).stream()
                    .filter(e -> "SUCCESS".equals(e.outcome)).findFirst().orElseThrow().actor);

            // an account without the role admin is disabled at once, as before
            as("dsj.admin").post(ACCOUNTS + "/" + id(citizen) + "/disable").then().statusCode(200)
                    .body("status", equalTo("DISABLED"));
        } finally {
            disable(target, second, citizen);
        }
    }

    /**
     * Enabling a disabled administrator gives their power back: it waits as disabling does, may be withdrawn or run
     * out, and is applied once a second administrator confirms. A non-administrator is enabled at once; while the
     * requester is the only administrator who can act, an administrator too, audited as such.
     */
    @Test
    void enablingADisabledAdministratorWaitsForASecondAdministrator() {
        String target = staff(Set.of("admin"));
        String second = staff(Set.of("admin"));
        String operator = staff(Set.of("operator"));
        try {
            String targetId = id(target);
            disable(target);
            String change = as("dsj.admin").post(ACCOUNTS + "/" + targetId + "/enable").then().statusCode(202)
                    .body("kind", equalTo("ENABLE")).body("accountId", equalTo(targetId))
                    .body("status", equalTo("PENDING")).body("requestedBy", equalTo(DurableAuditTest.adminId()))
                    .extract().path("id");
            assertEquals("DISABLED", account(target).status, "nothing changed yet");
            assertFalse(OidcFlow.signsIn(target, OidcFlow.PASSWORD), "still no sign-in");
            assertTrue(rowsOf("ADMIN_CHANGE_REQUESTED", change).get(0).detail.contains("kind=ENABLE"));
            // one waits per account, whatever its kind
            as("dsj.admin").post(ACCOUNTS + "/" + targetId + "/enable").then().statusCode(409)
                    .contentType("application/problem+json").body("detail", containsString(change));
            as("dsj.admin").contentType("application/json").body(List.of("admin", "head"))
                    .put(ACCOUNTS + "/" + targetId + "/roles").then().statusCode(409)
                    .body("detail", containsString(change));
            // (the holder, disabled, cannot sign in to decide it)
            confirm("dsj.admin", change).statusCode(403).contentType("application/problem+json")
                    .body("detail", containsString("another administrator"));
            confirm("dsj.auditor", change).statusCode(403);
            confirm("rst.head", change).statusCode(403);
            as("rst.head").post(ACCOUNTS + "/" + targetId + "/enable").then().statusCode(403);
            given().post(ACCOUNTS + "/" + targetId + "/enable").then().statusCode(401);
            // withdrawn by the requester: nothing enabled
            reject("dsj.admin", change).statusCode(200).body("status", equalTo("REJECTED"));
            assertEquals("DISABLED", account(target).status);
            assertTrue(DurableAuditTest.rows("ACCOUNT_ENABLED", targetId).isEmpty());
            confirm(second, change).statusCode(409);

            // nobody confirms in time
            String late = as("dsj.admin").post(ACCOUNTS + "/" + targetId + "/enable").then().statusCode(202)
                    .extract().path("id");
            pastItsTime(late);
            confirm(second, late).statusCode(409).body("detail", containsString("expired"));
            changes.expireDue();
            assertEquals(1, rowsOf("ADMIN_CHANGE_EXPIRED", late).size());
            assertEquals("DISABLED", account(target).status, "an expired enabling enables nothing");

            // asked again and confirmed by a second administrator: enabled, in the requester's name
            String again = as("dsj.admin").post(ACCOUNTS + "/" + targetId + "/enable").then().statusCode(202)
                    .extract().path("id");
            confirm(second, again).statusCode(200).body("status", equalTo("APPLIED"))
                    .body("decidedBy", equalTo(id(second)));
            assertEquals("ACTIVE", account(target).status);
            assertTrue(OidcFlow.signsIn(target, OidcFlow.PASSWORD), "enabled, the administrator signs in again");
            assertEquals(DurableAuditTest.adminId(), DurableAuditTest.rows("ACCOUNT_ENABLED", targetId).get(0).actor);
            assertEquals(id(second), rowsOf("ADMIN_CHANGE_CONFIRMED", again).stream()
                    .filter(e -> "SUCCESS".equals(e.outcome)).findFirst().orElseThrow().actor);

            // an account without the role admin is enabled at once, as before
            disable(operator);
            as("dsj.admin").post(ACCOUNTS + "/" + id(operator) + "/enable").then().statusCode(200)
                    .body("status", equalTo("ACTIVE"));

            // the only administrator who can act enables another at once, on record as such
            disable(target, second);
            as("dsj.admin").post(ACCOUNTS + "/" + targetId + "/enable").then().statusCode(200)
                    .body("status", equalTo("ACTIVE"));
            AuditEvent alone = DurableAuditTest.rows("ADMIN_CHANGE_APPLIED_ALONE", targetId).get(0);
            assertEquals(DurableAuditTest.adminId(), alone.actor);
            assertTrue(alone.detail.contains("kind=ENABLE"), alone.detail);
        } finally {
            disable(target, second, operator);
        }
    }

    @Test
    void resettingAnotherAdministratorsFactorWaitsExpiresAndIsConfirmed() {
        String target = staff(Set.of("admin"));
        String second = staff(Set.of("admin"));
        try {
            String targetId = id(target);
            String secret = totp.enrol(UUID.fromString(targetId), "test").secret();
            totp.confirm(UUID.fromString(targetId), Totp.code(secret, Totp.currentStep() - 1), "test");
            String change = as("dsj.admin").delete(ACCOUNTS + "/" + targetId + "/totp").then().statusCode(202)
                    .body("kind", equalTo("TOTP_RESET")).body("accountId", equalTo(targetId)).extract().path("id");
            assertNotNull(account(target).totpSecret, "the factor is still there");
            // (the holder, who signs in with the factor, is refused as in the disabling test)
            confirm("dsj.admin", change).statusCode(403).contentType("application/problem+json");
            confirm("rst.head", change).statusCode(403);

            // nobody confirms in time
            pastItsTime(change);
            confirm(second, change).statusCode(409).body("detail", containsString("expired"));
            changes.expireDue();
            assertEquals(1, DurableAuditTest.rows("ADMIN_CHANGE_EXPIRED", targetId).size());
            assertNotNull(account(target).totpSecret, "an expired reset resets nothing");
            assertTrue(DurableAuditTest.rows("TOTP_RESET", targetId).isEmpty());

            // asked again and confirmed
            String again = as("dsj.admin").delete(ACCOUNTS + "/" + targetId + "/totp").then().statusCode(202)
                    .extract().path("id");
            confirm(second, again).statusCode(200).body("status", equalTo("APPLIED"));
            assertNull(account(target).totpSecret);
            assertEquals(DurableAuditTest.adminId(), DurableAuditTest.rows("TOTP_RESET", targetId).get(0).actor);
            // checked as the single-step reset is: no factor, 404, and nothing waits
            as("dsj.admin").delete(ACCOUNTS + "/" + targetId + "/totp").then().statusCode(404);
            as("dsj.admin").get(CHANGES + "?status=PENDING&account=" + targetId).then().statusCode(200)
                    .body("size()", equalTo(0));
        } finally {
            disable(target, second);
        }
    }

    /**
     * The bootstrap: the first administrator of a new installation has nobody to confirm the second. While the
     * requester is the only administrator who can act (here the demo's dsj.admin), the creation is applied at once and
     * audited as such; from then on the next one waits.
     */
    @Test
    void theOnlyAdministratorWhoCanActCreatesTheSecondAtOnce() {
        String first = "solo.admin" + System.nanoTime() % 1_000_000;
        String next = first + "b";
        try {
            String created = as("dsj.admin").contentType("application/json").body(newAdmin(first)).post(ACCOUNTS)
                    .then().statusCode(201).body("roles", equalTo(List.of("admin"))).extract().path("id");
            AuditEvent alone = DurableAuditTest.rows("ADMIN_CHANGE_APPLIED_ALONE", created).get(0);
            assertEquals(DurableAuditTest.adminId(), alone.actor);
            assertTrue(alone.detail.contains("kind=CREATE"), alone.detail);
            // two can act now: the next waits, and the new administrator may decide it
            String change = askToCreate(next);
            reject(first, change).statusCode(200).body("status", equalTo("REJECTED"));
            assertNull(account(next));
        } finally {
            disable(first);
        }
    }
}
