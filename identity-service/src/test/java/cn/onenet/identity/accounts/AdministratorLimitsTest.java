package cn.onenet.identity.accounts;

import static cn.onenet.identity.accounts.AccountListTest.RST;
import static cn.onenet.identity.accounts.AccountListTest.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * What an administrator may not do: hold the role auditor as well (三员分立: who administers does not audit), nor change
 * their own account's roles, real-name level, second factor or contacts (another administrator does that). Each
 * refused attempt leaves a failed audit row although its request rolls back. The administrators these tests add are
 * disabled at the end, so the demo's dsj.admin stays the only one who can act.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AdministratorLimitsTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts";

    @Inject
    TestClients clients;

    @Inject
    AuditService audit;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A new enabled civil servant of 人社厅 with {@code roles}; its login name. */
    /** 浙江省大数据发展管理局, the province's competent authority: its staff may hold auditor and reviewer. */
    private static final String DSJ = "113300000024810109";

    private static String staff(List<String> roles) {
        String username = "lim." + System.nanoTime() % 1_000_000;
        if (roles.contains("admin")) {
            // set up without a second administrator (双人复核 is AdminChangeTest's)
            TestAdministrators.create(username, RST, Set.copyOf(roles));
            return username;
        }
        as("dsj.admin").contentType("application/json").body(Map.of("type", "CIVIL_SERVANT", "username", username,
                "displayName", "权限测试员", "departmentCode", DSJ, "roles", roles, "password", OidcFlow.PASSWORD))
                .post(ACCOUNTS).then().statusCode(201);
        return username;
    }

    private static String id(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Account.byUsername(username).id.toString());
    }

    private static Set<String> roles(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Set.copyOf(Account.byUsername(username).roles));
    }

    private static void disable(String username) {
        TestAdministrators.disable(id(username));
    }

    /** {@code user}'s request carrying a new request id, returned in {@code id[0]}. */
    private static RequestSpecification tagged(String user, String[] id) {
        id[0] = UUID.randomUUID().toString();
        return AccountListTest.as(user).header("X-Request-Id", id[0]);
    }

    /** The audit rows of one request, the queued ones written first. */
    private List<AuditEvent> rowsOf(String requestId) {
        audit.flush();
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("requestId = ?1 order by id",
                requestId));
    }

    /** The one audit row of a refused request: {@code type}, outcome FAILURE, by {@code actor} on {@code subject}. */
    private AuditEvent refused(String requestId, String type, String actor, String subject) {
        List<AuditEvent> rows = rowsOf(requestId);
        assertEquals(1, rows.size(), "audit rows of the refused request");
        AuditEvent row = rows.get(0);
        assertEquals(List.of(type, "FAILURE", actor, String.valueOf(subject)), List.of(row.eventType, row.outcome,
                row.actor, String.valueOf(row.subject)));
        return row;
    }

    private static List<AuditEvent> succeeded(String type, String subject) {
        return DurableAuditTest.rows(type, subject).stream().filter(e -> "SUCCESS".equals(e.outcome)).toList();
    }

    /** A further administrator, added for it and disabled after, confirms the change. */
    private static void confirmedByAnother(String change) {
        String confirming = staff(List.of("admin"));
        try {
            as(confirming).post("/api/identity/v1/admin-changes/" + change + "/confirm").then().statusCode(200)
                    .body("status", equalTo("APPLIED"));
        } finally {
            disable(confirming);
        }
    }

    private static void ownAccount(ValidatableResponse response) {
        response.statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("another administrator"));
    }

    @Test
    void adminAndAuditorAreNeverOneAccount() {
        String adminId = DurableAuditTest.adminId();
        String[] request = new String[1];
        // created with both: refused, and the attempt audited with what was asked, though no account exists
        String username = "lim.both" + System.nanoTime() % 1_000_000;
        tagged("dsj.admin", request).contentType("application/json").body(Map.of("type", "CIVIL_SERVANT", "username",
                username, "displayName", "双角色", "departmentCode", RST, "roles", List.of("admin", "auditor"),
                "password", OidcFlow.PASSWORD)).post(ACCOUNTS).then().statusCode(400)
                .body("field", equalTo("roles")).body("detail", containsString("admin and auditor"));
        String detail = refused(request[0], "ACCOUNT_CREATED", adminId, null).detail;
        assertTrue(detail.contains("admin and auditor") && detail.contains("roles=[admin, auditor]")
                && detail.contains("department=" + RST) && !detail.contains(username), detail);
        // an auditor given admin as well, an administrator given auditor as well
        String auditor = staff(List.of("auditor"));
        String admin = staff(List.of("admin"));
        try {
            for (String who : List.of(auditor, admin)) {
                tagged("dsj.admin", request).contentType("application/json")
                        .body(List.of("admin", "auditor", "x-unknown")).put(ACCOUNTS + "/" + id(who) + "/roles").then()
                        .statusCode(400)
                        .body("field", equalTo("roles"));
                // only the known roles asked for are repeated
                assertTrue(refused(request[0], "ROLES_CHANGED", adminId, id(who)).detail
                        .endsWith("refused: admin and auditor exclude each other; roles=[admin, auditor]"));
            }
            assertEquals(Set.of("auditor"), roles(auditor));
            assertEquals(Set.of("admin"), roles(admin));
            assertTrue(succeeded("ROLES_CHANGED", id(auditor)).isEmpty());
            // either alone is fine, and audited as a change only
            tagged("dsj.admin", request).contentType("application/json").body(List.of("operator", "auditor"))
                    .put(ACCOUNTS + "/" + id(auditor) + "/roles").then().statusCode(200);
            assertEquals(List.of("SUCCESS"), rowsOf(request[0]).stream().map(e -> e.outcome).toList());
            // a refusal for another reason (editor and reviewer) is no separation-of-duties attempt on the audit log
            tagged("dsj.admin", request).contentType("application/json").body(List.of("catalog-editor", "reviewer"))
                    .put(ACCOUNTS + "/" + id(auditor) + "/roles").then().statusCode(400);
            assertTrue(rowsOf(request[0]).isEmpty());
        } finally {
            disable(admin);
        }
    }

    @Test
    void anAdministratorDoesNotGrantThemselvesRolesNorReadTheAuditLogThatWay() {
        String self = staff(List.of("admin"));
        try {
            String selfId = id(self);
            String[] request = new String[1];
            for (List<String> roles : List.of(List.of("admin", "auditor"), List.of("admin", "head"), List.of("admin",
                    "operator", "catalog-editor"))) {
                ValidatableResponse answer = tagged(self, request).contentType("application/json").body(roles)
                        .put(ACCOUNTS + "/" + selfId + "/roles").then();
                String detail = refused(request[0], "ROLES_CHANGED", selfId, selfId).detail;
                if (roles.contains("auditor")) {
                    answer.statusCode(400).body("field", equalTo("roles"));
                    assertTrue(detail.contains("admin and auditor exclude each other"), detail);
                } else {
                    ownAccount(answer);
                    assertEquals("refused: own account, done by another administrator; attempted roles="
                            + new java.util.TreeSet<>(roles), detail);
                }
            }
            assertEquals(Set.of("admin"), roles(self));
            assertTrue(succeeded("ROLES_CHANGED", selfId).isEmpty());
            // the auditors find the attempts among the refusals
            assertEquals(3, AccountListTest.as("dsj.auditor").queryParam("type", "ROLES_CHANGED")
                    .queryParam("outcome", "FAILURE").queryParam("subject", selfId).get("/api/identity/v1/audit")
                    .then().statusCode(200).extract().jsonPath().getList("$").size());
            // so the audit log stays closed to them
            as(self).get("/api/identity/v1/audit").then().statusCode(403);
            // another administrator changes them, confirmed by a third (双人复核, see AdminChangeTest)
            String change = as("dsj.admin").contentType("application/json").body(List.of("admin", "head"))
                    .put(ACCOUNTS + "/" + selfId + "/roles").then().statusCode(202).extract().path("id");
            confirmedByAnother(change);
            assertEquals(1, succeeded("ROLES_CHANGED", selfId).size());
        } finally {
            disable(self);
        }
    }

    @Test
    void anAdministratorDoesNotRaiseTheirOwnLevelResetTheirFactorOrReplaceTheirContacts() {
        String self = staff(List.of("admin"));
        try {
            String selfId = id(self);
            String[] request = new String[1];
            String own = "refused: own account, done by another administrator";
            ownAccount(tagged(self, request).contentType("application/json").body(Map.of("level", 4, "method",
                    "certificate", "evidence", "自签证书")).post(ACCOUNTS + "/" + selfId + "/level").then());
            // the level asked for, not the evidence typed
            assertEquals(own + "; attempted level=4", refused(request[0], "LEVEL_VERIFICATION", selfId, selfId)
                    .detail);
            ownAccount(tagged(self, request).delete(ACCOUNTS + "/" + selfId + "/totp").then());
            assertEquals(own, refused(request[0], "TOTP_RESET", selfId, selfId).detail);
            ownAccount(tagged(self, request).contentType("application/json").body(Map.of("phone", "13900000000",
                    "reason", "本人")).post(ACCOUNTS + "/" + selfId + "/counter-verification").then());
            // which contact was given, not its value nor the reason
            assertEquals(own + "; attempted contacts: phone", refused(request[0], "COUNTER_VERIFICATION", selfId,
                    selfId).detail);
            Account after = QuarkusTransaction.requiringNew().call(() -> Account.byUsername(self));
            assertEquals(3, after.level);
            assertEquals(null, after.phone);
            assertTrue(DurableAuditTest.rows("LEVEL_CHANGED", selfId).isEmpty());
            assertTrue(succeeded("COUNTER_VERIFICATION", selfId).isEmpty());
            // the password still signs in: nothing was replaced
            assertTrue(OidcFlow.signsIn(self, OidcFlow.PASSWORD));
            // another administrator may, confirmed by a third (双人复核, see AdminChangeTest)
            String change = tagged("dsj.admin", request).contentType("application/json").body(Map.of("level", 4,
                    "method", "certificate", "evidence", "CA-2026-0001")).post(ACCOUNTS + "/" + selfId + "/level")
                    .then().statusCode(202).body("level", equalTo(4)).extract().path("id");
            assertEquals(List.of("ADMIN_CHANGE_REQUESTED SUCCESS"), rowsOf(request[0]).stream()
                    .map(e -> e.eventType + " " + e.outcome).toList());
            confirmedByAnother(change);
            assertEquals(4, QuarkusTransaction.requiringNew().call(() -> Account.byUsername(self)).level);
            assertEquals(1, succeeded("LEVEL_CHANGED", selfId).size());
        } finally {
            disable(self);
        }
    }

    /**
     * The path left to an administrator who wants to audit: a second account with the role auditor. It is not hidden:
     * the creation's audit row names the roles and the department granted, as a later role change does.
     */
    @Test
    void theRolesGrantedAtCreationAreInItsAuditRow() {
        String auditor = staff(List.of("auditor"));
        String detail = DurableAuditTest.rows("ACCOUNT_CREATED", id(auditor)).get(0).detail;
        assertTrue(detail.contains("roles=[auditor]") && detail.contains("department=" + DSJ), detail);
    }
}
