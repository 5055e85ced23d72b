package cn.onenet.identity.departments;

import static cn.onenet.identity.departments.DepartmentRegistryTest.DEPARTMENTS;
import static cn.onenet.identity.departments.DepartmentRegistryTest.PROVINCIAL;
import static cn.onenet.identity.departments.DepartmentRegistryTest.admin;
import static cn.onenet.identity.departments.DepartmentRegistryTest.create;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.token.RefreshToken;

import cn.onenet.identity.accounts.TestAdministrators;
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
 * 双人复核 for departments: deactivating a department another enabled administrator works in takes their roles from
 * their tokens, reactivating it gives them back, so either waits for a second administrator — neither the requester
 * nor an administrator of that department — and changes nothing until confirmed; rejected, withdrawn or expired it
 * changes nothing; the confirmation checks the rules again. A department without administrators, and the only
 * administrator who can act, keep the single step. Every administrator these tests add is disabled at the end, so the
 * demo's dsj.admin stays the only one who can act.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DepartmentFourEyesTest {

    private static final String CHANGES = "/api/identity/v1/admin-changes";
    /** 浙江省人力资源和社会保障厅, a demo department without an administrator: the second administrator's. */
    private static final String RST = "11330000002481060E";

    @Inject
    TestClients clients;
    @Inject
    AdminChanges changes;
    @Inject
    AuditService audit;

    /** The administrators a test added, disabled after it. */
    private final List<String> added = new ArrayList<>();

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @AfterEach
    void disableThem() {
        added.forEach(TestAdministrators::disable);
        added.clear();
    }

    /** A new enabled administrator of {@code departmentCode} (set up without a second administrator); login name. */
    private String administrator(String departmentCode) {
        String username = "dept.eyes" + System.nanoTime() % 1_000_000;
        added.add(TestAdministrators.create(username, departmentCode, Set.of("admin")));
        return username;
    }

    private static String id(String username) {
        return QuarkusTransaction.requiringNew().call(() -> Account.byUsername(username).id.toString());
    }

    private static int version(String code) {
        return given().get(DEPARTMENTS + "/" + code).then().statusCode(200).extract().path("version");
    }

    private static ValidatableResponse deactivate(String user, String code, Object version) {
        return as(user).header("If-Match", "\"" + version + "\"").body(Map.of("reason", "机构改革：职责并入大数据局"))
                .post(DEPARTMENTS + "/" + code + "/deactivate").then();
    }

    private static ValidatableResponse reactivate(String user, String code, Object version) {
        return as(user).header("If-Match", "\"" + version + "\"").body(Map.of("reason", "撤销决定已撤回"))
                .post(DEPARTMENTS + "/" + code + "/reactivate").then();
    }

    private static io.restassured.specification.RequestSpecification as(String user) {
        return "dsj.admin".equals(user) ? admin()
                : given().auth().oauth2(OidcFlow.accessToken("test-web", user)).contentType("application/json");
    }

    private static ValidatableResponse confirm(String user, String change) {
        return as(user).post(CHANGES + "/" + change + "/confirm").then();
    }

    private static ValidatableResponse reject(String user, String change) {
        return as(user).post(CHANGES + "/" + change + "/reject").then();
    }

    /** What a new access token of {@code user} says (introspected by its own client). */
    private static ValidatableResponse token(String user) {
        return introspect(OidcFlow.accessToken("test-web", user));
    }

    private static ValidatableResponse introspect(String token) {
        return given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("token", token).post("/oidc/introspect")
                .then().statusCode(200).body("active", equalTo(true));
    }

    private static TokenResponse refresh(RefreshToken refreshToken) {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        return OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(refreshToken)));
    }

    private List<AuditEvent> failures(String type, String subject) {
        audit.flush();
        return DurableAuditTest.rows(type, subject).stream().filter(e -> "FAILURE".equals(e.outcome)).toList();
    }

    private static List<String> waiting(String code) {
        return admin().get(CHANGES + "?status=PENDING&department=" + code).then().statusCode(200).extract().path("id");
    }

    @Test
    void aDeactivationTakingAnotherAdministratorsPowerWaitsUntilASecondAdministratorConfirmsIt() {
        String code = create("330100", "CITY", PROVINCIAL);
        String holder = administrator(code);
        String second = administrator(RST);
        var before = new OidcFlow("test-web", TestClients.SECRET).tokens(holder, "openid");
        token(holder).body("roles", hasItem("admin")).body("dept", equalTo(code));

        String change = deactivate("dsj.admin", code, 0).statusCode(202).contentType("application/json")
                .body("kind", equalTo("DEPARTMENT_DEACTIVATE")).body("status", equalTo("PENDING"))
                .body("departmentCode", equalTo(code)).body("departmentName", equalTo("测试部门" + code.substring(10)))
                .body("reason", equalTo("机构改革：职责并入大数据局")).body("accountId", nullValue())
                .body("requestedBy", equalTo(DurableAuditTest.adminId())).extract().path("id");
        // nothing changed yet: the department stands, its administrator keeps the role in new tokens
        given().get(DEPARTMENTS + "/" + code).then().body("active", equalTo(true)).body("version", equalTo(0));
        token(holder).body("roles", hasItem("admin")).body("dept", equalTo(code));
        assertEquals(List.of(), DurableAuditTest.rows("DEPARTMENT_DEACTIVATED", code));
        assertEquals(1, DurableAuditTest.rows("ADMIN_CHANGE_REQUESTED", code).size());
        // listed by department, not by account
        assertEquals(List.of(change), waiting(code));
        as(second).get(CHANGES + "/" + change).then().statusCode(200).body("departmentCode", equalTo(code));
        admin().get(CHANGES + "?department=" + code.substring(0, 17)).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("department"));
        // one waits per department
        deactivate("dsj.admin", code, 0).statusCode(409).body("detail", containsString(change));

        // the requester does not confirm; nor does an administrator of the department, whose power it takes
        confirm("dsj.admin", change).statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("another administrator"));
        confirm(holder, change).statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("other departments"));
        reject(holder, change).statusCode(403);
        assertEquals(1, failures("ADMIN_CHANGE_CONFIRMED", code).stream()
                .filter(e -> e.actor.equals(DurableAuditTest.adminId()) && e.detail.contains("own request")).count());
        assertEquals(1, failures("ADMIN_CHANGE_CONFIRMED", code).stream()
                .filter(e -> e.actor.equals(id(holder)) && e.detail.contains("own department")).count());
        assertEquals(1, failures("ADMIN_CHANGE_REJECTED", code).size());
        // neither an auditor nor anyone without a token
        confirm("dsj.auditor", change).statusCode(403);
        given().post(CHANGES + "/" + change + "/confirm").then().statusCode(401);
        given().get(DEPARTMENTS + "/" + code).then().body("active", equalTo(true));
        token(holder).body("roles", hasItem("admin"));

        // a second administrator of another department confirms: applied as asked, by the requester
        confirm(second, change).statusCode(200).body("status", equalTo("APPLIED"))
                .body("decidedBy", equalTo(id(second))).body("departmentCode", equalTo(code));
        given().get(DEPARTMENTS + "/" + code).then().body("active", equalTo(false)).body("version", equalTo(1));
        List<AuditEvent> deactivated = DurableAuditTest.rows("DEPARTMENT_DEACTIVATED", code);
        assertEquals(1, deactivated.size());
        assertEquals(DurableAuditTest.adminId(), deactivated.get(0).actor);
        assertTrue(deactivated.get(0).detail.contains("reason: 机构改革：职责并入大数据局"), deactivated.get(0).detail);
        assertEquals(id(second), DurableAuditTest.rows("ADMIN_CHANGE_CONFIRMED", code).stream()
                .filter(e -> "SUCCESS".equals(e.outcome)).findFirst().orElseThrow().actor);
        // the administrator's new tokens carry no roles now, and those issued before were revoked when the
        // confirmation applied the deactivation
        token(holder).body("roles", empty()).body("dept", nullValue());
        assertEquals("invalid_grant", refresh(before.getTokens().getRefreshToken()).toErrorResponse()
                .getErrorObject().getCode());
        given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .contentType("application/x-www-form-urlencoded")
                .formParam("token", before.getTokens().getAccessToken().getValue()).post("/oidc/introspect")
                .then().statusCode(200).body("active", equalTo(false));
        assertEquals(1, DurableAuditTest.rows("TOKEN_REVOKED", id(holder)).size());
        // once
        confirm(second, change).statusCode(409);
    }

    @Test
    void aReactivationGivingTheirPowerBackWaitsTooAndTheOnlyAdministratorWhoCanActAppliesItAlone() {
        // a department whose administrator was disabled is deactivated in one step, then the administrator is
        // enabled again: by dsj.admin alone, who is the only administrator who can act
        String code = create("330100", "CITY", PROVINCIAL);
        String holder = administrator(code);
        TestAdministrators.disable(id(holder));
        deactivate("dsj.admin", code, 0).statusCode(200).body("active", equalTo(false));
        admin().post("/api/identity/v1/accounts/" + id(holder) + "/enable").then().statusCode(200);
        token(holder).body("roles", empty());

        // with a second administrator, the reactivation waits
        String second = administrator(RST);
        String change = reactivate("dsj.admin", code, 1).statusCode(202)
                .body("kind", equalTo("DEPARTMENT_REACTIVATE")).body("departmentCode", equalTo(code))
                .body("reason", equalTo("撤销决定已撤回")).extract().path("id");
        given().get(DEPARTMENTS + "/" + code).then().body("active", equalTo(false));
        token(holder).body("roles", empty());
        reactivate("dsj.admin", code, 1).statusCode(409).body("detail", containsString(change));
        confirm("dsj.admin", change).statusCode(403);
        confirm(second, change).statusCode(200).body("status", equalTo("APPLIED"));
        given().get(DEPARTMENTS + "/" + code).then().body("active", equalTo(true)).body("version", equalTo(2));
        token(holder).body("roles", hasItem("admin")).body("dept", equalTo(code));
        assertEquals(DurableAuditTest.adminId(), DurableAuditTest.rows("DEPARTMENT_REACTIVATED", code).get(0).actor);

        // now deactivated again (asked by dsj.admin, confirmed by the second), the second disabled: dsj.admin is the
        // only administrator who can act, so the reactivation applies at once, on record as such
        confirm(second, deactivate("dsj.admin", code, 2).statusCode(202).extract().path("id")).statusCode(200);
        TestAdministrators.disable(id(second));
        assertEquals(List.of(), DurableAuditTest.rows("ADMIN_CHANGE_APPLIED_ALONE", code));
        reactivate("dsj.admin", code, 3).statusCode(200).body("active", equalTo(true));
        List<AuditEvent> alone = DurableAuditTest.rows("ADMIN_CHANGE_APPLIED_ALONE", code);
        assertEquals(1, alone.size());
        assertEquals(DurableAuditTest.adminId(), alone.get(0).actor);
        assertTrue(alone.get(0).detail.contains("kind=DEPARTMENT_REACTIVATE"), alone.get(0).detail);
        token(holder).body("roles", hasItem("admin"));
    }

    @Test
    void rejectedWithdrawnOrExpiredItChangesNothing() {
        String code = create("330100", "CITY", PROVINCIAL);
        String holder = administrator(code);
        String second = administrator(RST);

        String rejected = deactivate("dsj.admin", code, 0).statusCode(202).extract().path("id");
        reject(second, rejected).statusCode(200).body("status", equalTo("REJECTED"))
                .body("decidedBy", equalTo(id(second)));
        confirm(second, rejected).statusCode(409);

        String withdrawn = deactivate("dsj.admin", code, 0).statusCode(202).extract().path("id");
        reject("dsj.admin", withdrawn).statusCode(200).body("status", equalTo("REJECTED"));
        assertTrue(DurableAuditTest.rows("ADMIN_CHANGE_REJECTED", code).stream()
                .anyMatch(e -> e.detail.contains("withdrawn")));

        String expired = deactivate("dsj.admin", code, 0).statusCode(202).extract().path("id");
        QuarkusTransaction.requiringNew().run(() -> AdminChange.update("expiresAt = ?1 where id = ?2",
                OffsetDateTime.now().minusSeconds(1), UUID.fromString(expired)));
        admin().get(CHANGES + "/" + expired).then().body("status", equalTo("EXPIRED"));
        confirm(second, expired).statusCode(409).body("detail", containsString("expired"));
        changes.expireDue();
        assertEquals(1, DurableAuditTest.rows("ADMIN_CHANGE_EXPIRED", code).size());

        given().get(DEPARTMENTS + "/" + code).then().body("active", equalTo(true)).body("version", equalTo(0));
        assertEquals(List.of(), DurableAuditTest.rows("DEPARTMENT_DEACTIVATED", code));
        token(holder).body("roles", hasItem("admin"));
        assertEquals(List.of(), waiting(code));
    }

    @Test
    void theConfirmationChecksTheRulesAgainAndChangesNothingWhenTheyNoLongerHold() {
        String code = create("330100", "CITY", PROVINCIAL);
        String holder = administrator(code);
        String second = administrator(RST);

        // changed since it was asked for: the version read is stale
        String stale = deactivate("dsj.admin", code, 0).statusCode(202).extract().path("id");
        Map<String, Object> rename = new HashMap<>();
        rename.put("name", "改名后的测试部门");
        rename.put("parentCode", PROVINCIAL);
        rename.put("kind", "GOVERNMENT_DEPARTMENT");
        rename.put("reason", "更名");
        admin().header("If-Match", "\"0\"").body(rename).put(DEPARTMENTS + "/" + code).then().statusCode(200);
        confirm(second, stale).statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:stale-version"));
        admin().get(CHANGES + "/" + stale).then().body("status", equalTo("PENDING"));
        reject(second, stale).statusCode(200);

        // a sub-department registered since
        String subDepartment = deactivate("dsj.admin", code, 1).statusCode(202).extract().path("id");
        create("330100", "CITY", code);
        confirm(second, subDepartment).statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("sub-department"));
        given().get(DEPARTMENTS + "/" + code).then().body("active", equalTo(true)).body("version", equalTo(1));
        assertEquals(List.of(), DurableAuditTest.rows("DEPARTMENT_DEACTIVATED", code));
        token(holder).body("roles", hasItem("admin"));
        assertTrue(DurableAuditTest.rows("ADMIN_CHANGE_CONFIRMED", code).stream()
                .noneMatch(e -> "SUCCESS".equals(e.outcome)));
        reject("dsj.admin", subDepartment).statusCode(200);
    }

    @Test
    void refusedRequestsWaitForNothingAndDepartmentsWithoutAnotherAdministratorChangeAtOnce() {
        // the department of every other administrator who can act is not deactivated: the last-administrator rule,
        // checked before anything waits
        String dsj = "113300000024810109";
        administrator(dsj);
        deactivate("dsj.admin", dsj, version(dsj)).statusCode(409)
                .body("detail", containsString("enabled account with role admin in an active department"));
        assertEquals(List.of(), waiting(dsj));

        String code = create("330100", "CITY", PROVINCIAL);
        administrator(code);
        // checked exactly as the single-step deactivation: nothing waits after a refusal
        as("dsj.admin").header("If-Match", "\"0\"").body(Map.of("reason", " "))
                .post(DEPARTMENTS + "/" + code + "/deactivate").then().statusCode(400)
                .body("errors.field", hasItem("reason"));
        deactivate("dsj.admin", code, 7).statusCode(409).body("type", equalTo("urn:onenet:problem:stale-version"));
        reactivate("dsj.admin", code, 0).statusCode(409)
                .body("type", equalTo("urn:onenet:problem:illegal-transition"));
        String child = create("330100", "CITY", code);
        deactivate("dsj.admin", code, 0).statusCode(409).body("detail", containsString("sub-department"));
        assertEquals(List.of(), waiting(code));
        assertEquals(List.of(), DurableAuditTest.rows("ADMIN_CHANGE_REQUESTED", code));

        // without an administrator (its staff hold other roles): one step, 200
        deactivate("dsj.admin", child, 0).statusCode(200).body("active", equalTo(false));
        assertEquals(List.of(), waiting(child));
        // an administrator deactivating the department only they administer loses only their own power: one step
        String own = create("330100", "CITY", PROVINCIAL);
        String alone = administrator(own);
        administrator(RST);
        deactivate(alone, own, 0).statusCode(200).body("active", equalTo(false));
        assertEquals(List.of(), DurableAuditTest.rows("ADMIN_CHANGE_APPLIED_ALONE", own));
    }
}
