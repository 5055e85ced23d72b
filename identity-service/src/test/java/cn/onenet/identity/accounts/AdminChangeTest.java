package cn.onenet.identity.accounts;

import static cn.onenet.identity.accounts.AccountListTest.RST;
import static cn.onenet.identity.accounts.AccountListTest.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
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
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * 双人复核: one administrator's change of another administrator's roles, level or contacts waits until a second
 * administrator, neither the requester nor the account's holder, confirms it; rejected, withdrawn or expired it
 * changes nothing. Other accounts keep the single-step path. The administrators these tests add are disabled at the
 * end, so the demo's dsj.admin stays the only one who can act.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AdminChangeTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts";
    private static final String CHANGES = "/api/identity/v1/admin-changes";

    @Inject
    TestClients clients;
    @Inject
    AdminChanges changes;
    @Inject
    AuditService audit;

    /** The administrator whose account is changed, and the second administrator who confirms. */
    private String target;
    private String second;

    @BeforeEach
    void administrators() {
        clients.ensure(null);
        target = admin();
        second = admin();
    }

    @AfterEach
    void disableThem() {
        for (String who : List.of(target, second)) {
            TestAdministrators.disable(id(who));
        }
    }

    /** A new enabled administrator of 人社厅 (set up without a second administrator); its login name. */
    private static String admin() {
        String username = "four.eyes" + System.nanoTime() % 1_000_000;
        TestAdministrators.create(username, RST, Set.of("admin"), "13700000001");
        return username;
    }

    /** A new enabled civil servant of 人社厅 with {@code roles}; its login name. */
    private static String staff(List<String> roles) {
        String username = "four.eyes" + System.nanoTime() % 1_000_000;
        as("dsj.admin").contentType("application/json").body(Map.of("type", "CIVIL_SERVANT", "username", username,
                "displayName", "复核测试员", "departmentCode", RST, "roles", roles, "password", OidcFlow.PASSWORD,
                "phone", "13700000001")).post(ACCOUNTS).then().statusCode(201);
        return username;
    }

    private static String id(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Account.byUsername(username).id.toString());
    }

    private static Account account(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Account.byUsername(username));
    }

    private static ValidatableResponse confirm(String who, String change) {
        return as(who).post(CHANGES + "/" + change + "/confirm").then();
    }

    private static ValidatableResponse reject(String who, String change) {
        return as(who).post(CHANGES + "/" + change + "/reject").then();
    }

    private static List<AuditEvent> failures(String type, String subject) {
        return DurableAuditTest.rows(type, subject).stream().filter(e -> "FAILURE".equals(e.outcome)).toList();
    }

    @Test
    void aRoleChangeOfAnotherAdministratorWaitsForASecondAdministrator() {
        String targetId = id(target);
        String change = as("dsj.admin").contentType("application/json").body(List.of("admin", "head"))
                .put(ACCOUNTS + "/" + targetId + "/roles").then().statusCode(202).body("status", equalTo("PENDING"))
                .body("kind", equalTo("ROLES")).body("roles", equalTo(List.of("admin", "head")))
                .body("accountId", equalTo(targetId)).body("requestedBy", equalTo(DurableAuditTest.adminId()))
                .extract().path("id");
        assertEquals(Set.of("admin"), account(target).roles, "nothing changed yet");
        assertEquals(1, DurableAuditTest.rows("ADMIN_CHANGE_REQUESTED", targetId).size());
        as(second).get(CHANGES + "?status=pending&account=" + targetId).then().statusCode(200)
                .body("id", equalTo(List.of(change)));

        // the requester does not confirm their own request, nor the holder a change of their account
        confirm("dsj.admin", change).statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("another administrator"));
        confirm(target, change).statusCode(403).contentType("application/problem+json");
        reject(target, change).statusCode(403);
        audit.flush();
        assertEquals(1, failures("ADMIN_CHANGE_CONFIRMED", targetId).stream()
                .filter(e -> e.actor.equals(DurableAuditTest.adminId()) && e.detail.contains("own request")).count());
        assertEquals(1, failures("ADMIN_CHANGE_REJECTED", targetId).size());
        // someone who is no administrator: neither confirms nor reads; without a token, 401
        confirm("dsj.auditor", change).statusCode(403);
        confirm("rst.head", change).statusCode(403);
        given().post(CHANGES + "/" + change + "/confirm").then().statusCode(401);
        as("rst.head").get(CHANGES).then().statusCode(403);
        as("dsj.auditor").get(CHANGES + "/" + change).then().statusCode(200).body("status", equalTo("PENDING"));
        assertEquals(Set.of("admin"), account(target).roles, "still nothing changed");

        // a second administrator confirms: applied as asked, audited with both
        confirm(second, change).statusCode(200).body("status", equalTo("APPLIED"))
                .body("decidedBy", equalTo(id(second)));
        assertEquals(Set.of("admin", "head"), account(target).roles);
        AuditEvent applied = DurableAuditTest.rows("ROLES_CHANGED", targetId).get(0);
        assertEquals(List.of("SUCCESS", DurableAuditTest.adminId()), List.of(applied.outcome, applied.actor));
        AuditEvent confirmed = DurableAuditTest.rows("ADMIN_CHANGE_CONFIRMED", targetId).stream()
                .filter(e -> "SUCCESS".equals(e.outcome)).findFirst().orElseThrow();
        assertEquals(id(second), confirmed.actor);
        // once
        confirm(second, change).statusCode(409);
    }

    @Test
    void aCounterVerificationOfAnotherAdministratorIsRejectedOrConfirmed() {
        String targetId = id(target);
        Map<String, String> body = Map.of("phone", "13900000077", "reason", "受理单 HZ-2026-0099：本人到场核验");
        String first = as("dsj.admin").contentType("application/json").body(body)
                .post(ACCOUNTS + "/" + targetId + "/counter-verification").then().statusCode(202)
                .body("kind", equalTo("COUNTER_VERIFICATION")).body("phoneMasked", equalTo("139****0077"))
                .extract().path("id");
        // one waits per account
        as("dsj.admin").contentType("application/json").body(body)
                .post(ACCOUNTS + "/" + targetId + "/counter-verification").then().statusCode(409)
                .body("detail", containsString(first));
        reject(second, first).statusCode(200).body("status", equalTo("REJECTED")).body("phoneMasked",
                equalTo(null));
        assertEquals("13700000001", account(target).phone);
        assertTrue(OidcFlow.signsIn(target, OidcFlow.PASSWORD), "the password was not replaced");
        confirm(second, first).statusCode(409);
        // the contact typed is not kept once decided
        assertNull(QuarkusTransaction.requiringNew().call(() -> AdminChange.<AdminChange>findById(
                UUID.fromString(first))).phone);

        String again = as("dsj.admin").contentType("application/json").body(body)
                .post(ACCOUNTS + "/" + targetId + "/counter-verification").then().statusCode(202).extract().path("id");
        confirm(second, again).statusCode(200).body("status", equalTo("APPLIED"));
        assertEquals("13900000077", account(target).phone);
        assertFalse(OidcFlow.signsIn(target, OidcFlow.PASSWORD), "the password was replaced");
        AuditEvent verified = DurableAuditTest.rows("COUNTER_VERIFICATION", targetId).stream()
                .filter(e -> "SUCCESS".equals(e.outcome)).findFirst().orElseThrow();
        assertEquals(DurableAuditTest.adminId(), verified.actor);
    }

    @Test
    void aLevelChangeNobodyConfirmsExpiresAndTheRequesterMayWithdrawOne() {
        String targetId = id(target);
        Map<String, Object> l4 = Map.of("level", 4, "method", "certificate", "evidence", "CA-2026-0042");
        String change = as("dsj.admin").contentType("application/json").body(l4)
                .post(ACCOUNTS + "/" + targetId + "/level").then().statusCode(202).body("level", equalTo(4))
                .extract().path("id");
        // its time passes
        QuarkusTransaction.requiringNew().run(() -> AdminChange.update("expiresAt = ?1 where id = ?2",
                OffsetDateTime.now().minusSeconds(1), UUID.fromString(change)));
        as(second).get(CHANGES + "/" + change).then().body("status", equalTo("EXPIRED"));
        confirm(second, change).statusCode(409).body("detail", containsString("expired"));
        assertEquals(3, account(target).level);
        changes.expireDue();
        changes.expireDue();
        assertEquals(1, DurableAuditTest.rows("ADMIN_CHANGE_EXPIRED", targetId).size());
        assertTrue(DurableAuditTest.rows("LEVEL_CHANGED", targetId).isEmpty());

        // asked again; the requester withdraws it
        String withdrawn = as("dsj.admin").contentType("application/json").body(l4)
                .post(ACCOUNTS + "/" + targetId + "/level").then().statusCode(202).extract().path("id");
        reject("dsj.admin", withdrawn).statusCode(200).body("status", equalTo("REJECTED"));
        assertTrue(DurableAuditTest.rows("ADMIN_CHANGE_REJECTED", targetId).get(0).detail.contains("withdrawn"));
        assertEquals(3, account(target).level);
    }

    @Test
    void aRequestOfAnAdministratorDisabledSinceIsNotCarriedOut() {
        String targetId = id(target);
        String requester = admin();
        String change = as(requester).contentType("application/json").body(List.of("operator"))
                .put(ACCOUNTS + "/" + targetId + "/roles").then().statusCode(202).extract().path("id");
        TestAdministrators.disable(id(requester));
        confirm(second, change).statusCode(409).body("detail", containsString("no longer an administrator"));
        assertEquals(Set.of("admin"), account(target).roles);
        reject(second, change).statusCode(200).body("status", equalTo("REJECTED"));
    }

    @Test
    void refusedRequestsWaitForNobodyAndOtherAccountsChangeAtOnce() {
        String targetId = id(target);
        // checked as the single-step change is: nothing waits after a refusal
        as("dsj.admin").contentType("application/json").body(List.of("admin", "auditor"))
                .put(ACCOUNTS + "/" + targetId + "/roles").then().statusCode(400).body("field", equalTo("roles"));
        as("dsj.admin").contentType("application/json").body(Map.of("phone", "13900000077"))
                .post(ACCOUNTS + "/" + targetId + "/counter-verification").then().statusCode(400)
                .body("field", equalTo("reason"));
        as("dsj.admin").contentType("application/json").body(Map.of("level", 9, "method", "certificate"))
                .post(ACCOUNTS + "/" + targetId + "/level").then().statusCode(400).body("field", equalTo("level"));
        as("dsj.admin").get(CHANGES + "?account=" + targetId).then().statusCode(200).body("size()", equalTo(0));
        assertTrue(DurableAuditTest.rows("ADMIN_CHANGE_REQUESTED", targetId).isEmpty());
        // bad filters are named
        as("dsj.admin").get(CHANGES + "?status=waiting").then().statusCode(400).body("field", equalTo("status"));
        as("dsj.admin").get(CHANGES + "?account=nobody").then().statusCode(400).body("field", equalTo("account"));
        // one's own account stays refused outright
        as(target).contentType("application/json").body(List.of("admin", "head"))
                .put(ACCOUNTS + "/" + targetId + "/roles").then().statusCode(403);
        // an account without the role admin changes in one step
        String operator = staff(List.of("operator"));
        try {
            as("dsj.admin").contentType("application/json").body(List.of("operator", "head"))
                    .put(ACCOUNTS + "/" + id(operator) + "/roles").then().statusCode(200)
                    .body("roles", equalTo(List.of("head", "operator")));
        } finally {
            as("dsj.admin").post(ACCOUNTS + "/" + id(operator) + "/disable").then().statusCode(200);
        }
    }
}
