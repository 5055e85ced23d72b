package cn.onenet.identity.departments;

import static cn.onenet.identity.departments.DepartmentRegistryTest.DEPARTMENTS;
import static cn.onenet.identity.departments.DepartmentRegistryTest.PROVINCIAL;
import static cn.onenet.identity.departments.DepartmentRegistryTest.admin;
import static cn.onenet.identity.departments.DepartmentRegistryTest.create;
import static io.restassured.RestAssured.given;
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
import cn.onenet.identity.accounts.TestAdministrators;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.DepartmentService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The suite keeps an administrator who can act, an enabled account with role admin in an active department: neither
 * deactivating a department, nor disabling an account, nor taking away its role admin may leave none ({@code 409},
 * nothing changed, nothing audited). An administrator's own roles are refused as their own account first
 * ({@code 403} with its {@code FAILURE} audit row), last administrator or not. In the demo data that is 大数据局's
 * dsj.admin alone; every admin these tests add is left disabled or in a deactivated department.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class LastAdministratorTest {

    /** 浙江省大数据发展管理局, where the demo's only administrator works. */
    private static final String DSJ = "113300000024810109";
    /** 浙江省人力资源和社会保障厅, a demo department without an administrator. */
    private static final String RST = "11330000002481060E";
    private static final String ACCOUNTS = "/api/identity/v1/accounts";

    @Inject
    TestClients clients;

    @Inject
    AuditService audit;

    @Inject
    DepartmentService departments;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static ValidatableResponse deactivate(String code) {
        int version = given().get(DEPARTMENTS + "/" + code).then().statusCode(200).extract().path("version");
        return admin().header("If-Match", "\"" + version + "\"").body(Map.of("reason", "机构改革，职责划转"))
                .post(DEPARTMENTS + "/" + code + "/deactivate").then();
    }

    /** A new enabled account with role admin in {@code departmentCode}; its id. */
    private static String newAdmin(String departmentCode) {
        return admin().body(Map.of("type", "CIVIL_SERVANT", "username", "last.admin" + System.nanoTime() % 1_000_000,
                "displayName", "管理员测试员", "departmentCode", departmentCode, "roles", List.of("admin"), "password",
                OidcFlow.PASSWORD)).post(ACCOUNTS).then().statusCode(201).extract().path("id");
    }

    private static String username(String accountId) {
        return QuarkusTransaction.requiringNew().call(() -> Account.<Account>findById(UUID.fromString(accountId))
                .username);
    }

    /** The administrator {@code accountId} confirms the change {@code change} (双人复核). */
    private static void confirm(String accountId, String change) {
        given().auth().oauth2(OidcFlow.accessToken("test-web", username(accountId)))
                .post("/api/identity/v1/admin-changes/" + change + "/confirm").then().statusCode(200);
    }

    private static void refused(ValidatableResponse response) {
        response.statusCode(409).contentType("application/problem+json").body("type", containsString("conflict"))
                .body("detail", containsString("enabled account with role admin in an active department"));
    }

    /** The demo's state: every enabled administrator is dsj.admin of 大数据局. */
    private static void onlyTheDemoAdministrator() {
        admin().queryParam("role", "admin").queryParam("status", "enabled").queryParam("department", DSJ)
                .get(ACCOUNTS).then().statusCode(200).body("username", equalTo(List.of("dsj.admin")));
    }

    @Test
    void theDepartmentOfEveryAdministratorIsNotDeactivatedAnotherIs() {
        onlyTheDemoAdministrator();
        int version = given().get(DEPARTMENTS + "/" + DSJ).then().extract().path("version");
        // 大数据局 holds the only administrator: deactivated, nobody could reactivate it
        refused(deactivate(DSJ));
        given().get(DEPARTMENTS + "/" + DSJ).then().statusCode(200).body("active", equalTo(true))
                .body("version", equalTo(version));
        assertTrue(DurableAuditTest.rows("DEPARTMENT_DEACTIVATED", DSJ).isEmpty());
        // its administrator still administers
        admin().get(ACCOUNTS).then().statusCode(200);

        // a department with an administrator of its own goes while dsj.admin stays (asked for by dsj.admin,
        // confirmed by a third administrator: 双人复核, as it takes the other administrator's power)
        String other = create("330100", "CITY", PROVINCIAL);
        newAdmin(other);
        String confirming = TestAdministrators.create("last.admin" + System.nanoTime() % 1_000_000, RST,
                Set.of("admin"));
        confirm(confirming, deactivate(other).statusCode(202).body("kind", equalTo("DEPARTMENT_DEACTIVATE"))
                .extract().path("id"));
        given().get(DEPARTMENTS + "/" + other).then().body("active", equalTo(false));
        assertEquals(1, DurableAuditTest.rows("DEPARTMENT_DEACTIVATED", other).size());
        TestAdministrators.disable(confirming);
        onlyTheDemoAdministrator();
    }

    @Test
    void theLastAdministratorIsNotDisabledNorLosesTheRoleOthersAre() {
        onlyTheDemoAdministrator();
        String self = DurableAuditTest.adminId();
        // dsj.admin disabling themselves would leave nobody to administer
        refused(admin().post(ACCOUNTS + "/" + self + "/disable").then());
        admin().get(ACCOUNTS + "/" + self).then().statusCode(200).body("status", equalTo("ACTIVE"))
                .body("roles", equalTo(List.of("admin")));
        assertTrue(DurableAuditTest.rows("ACCOUNT_DISABLED", self).isEmpty());

        // an administrator of a deactivated department cannot act (no roles in the token), so does not count (the
        // department deactivated through the service: through the API it would wait for a second administrator)
        String deactivated = create("330100", "CITY", PROVINCIAL);
        String idle = newAdmin(deactivated);
        QuarkusTransaction.requiringNew().run(() -> departments.deactivate(deactivated, 0, "机构改革，职责划转",
                "test"));
        refused(admin().post(ACCOUNTS + "/" + self + "/disable").then());
        // disabling them is no loss either
        admin().post(ACCOUNTS + "/" + idle + "/disable").then().statusCode(200).body("status", equalTo("DISABLED"));

        // another administrator in an active department loses the role and is disabled while dsj.admin stays (asked
        // for by dsj.admin, confirmed by a third administrator: 双人复核)
        String other = newAdmin(RST);
        String change = admin().body(List.of("operator")).put(ACCOUNTS + "/" + other + "/roles").then()
                .statusCode(202).extract().path("id");
        String confirming = TestAdministrators.create("last.admin" + System.nanoTime() % 1_000_000, RST,
                Set.of("admin"));
        confirm(confirming, change);
        admin().get(ACCOUNTS + "/" + other).then().body("roles", equalTo(List.of("operator")));
        // given the role again and disabled, each confirmed by the third as well
        confirm(confirming, admin().body(List.of("admin")).put(ACCOUNTS + "/" + other + "/roles").then()
                .statusCode(202).extract().path("id"));
        confirm(confirming, admin().post(ACCOUNTS + "/" + other + "/disable").then().statusCode(202)
                .body("kind", equalTo("DISABLE")).extract().path("id"));
        admin().get(ACCOUNTS + "/" + other).then().body("status", equalTo("DISABLED"))
                .body("roles", equalTo(List.of("admin")));
        TestAdministrators.disable(confirming);
        onlyTheDemoAdministrator();
    }

    @Test
    void theLastAdministratorGivingUpTheRoleIsRefusedAsTheirOwnAccountFirst() {
        onlyTheDemoAdministrator();
        String self = DurableAuditTest.adminId();
        String requestId = java.util.UUID.randomUUID().toString();
        // their own roles are changed by another administrator: that refusal, audited, comes before the last-admin one
        admin().header("X-Request-Id", requestId).body(List.of("auditor")).put(ACCOUNTS + "/" + self + "/roles")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("another administrator"));
        admin().get(ACCOUNTS + "/" + self).then().statusCode(200).body("roles", equalTo(List.of("admin")));
        audit.flush();
        List<AuditEvent> rows = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "requestId = ?1 order by id", requestId));
        assertEquals(1, rows.size(), "audit rows of the refused request");
        assertEquals(List.of("ROLES_CHANGED", "FAILURE", self, self), List.of(rows.get(0).eventType,
                rows.get(0).outcome, rows.get(0).actor, rows.get(0).subject));
        assertEquals("refused: own account, done by another administrator; attempted roles=[auditor]",
                rows.get(0).detail);
        assertTrue(DurableAuditTest.rows("ROLES_CHANGED", self).stream().noneMatch(e -> "SUCCESS".equals(e.outcome)));
        onlyTheDemoAdministrator();
    }
}
