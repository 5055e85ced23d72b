package cn.onenet.identity.departments;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.model.AdminLevel;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.model.DepartmentKind;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.DepartmentService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The department registry (政务部门目录) under administration: create, change, deactivate; validation, optimistic
 * locking, who may, and what a deactivated department still allows.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class DepartmentRegistryTest {

    static final String DEPARTMENTS = "/api/identity/v1/departments";
    /** 浙江省公安厅 (province) and 杭州市公安局 (city, under it) of the demo data. */
    static final String PROVINCIAL = "11330000002481020A";
    static final String CITY = "113301000024910207";

    @Inject
    TestClients clients;
    @Inject
    EntityManager em;
    @Inject
    DepartmentService departments;
    @Inject
    AuditService audit;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** A valid, unregistered 统一社会信用代码 of a body in {@code region}. */
    static String newCode(String region) {
        String alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        StringBuilder first17 = new StringBuilder("11").append(region);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (first17.length() < 17) {
            first17.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return first17 + String.valueOf(CreditCode.checkCharacter(first17.toString()));
    }

    static Map<String, Object> department(String code, String region, String level, String parent) {
        Map<String, Object> body = new HashMap<>();
        body.put("code", code);
        body.put("name", "测试部门" + code.substring(10));
        body.put("nameEn", "Test department " + code.substring(10));
        body.put("regionCode", region);
        body.put("level", level);
        body.put("kind", "GOVERNMENT_DEPARTMENT");
        body.put("parentCode", parent);
        body.put("reason", "测试：机构设立");
        return body;
    }

    static RequestSpecification admin() {
        return given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin")).contentType("application/json");
    }

    static String create(String region, String level, String parent) {
        String code = newCode(region);
        admin().body(department(code, region, level, parent)).post(DEPARTMENTS).then().statusCode(201)
                .contentType("application/json").body("code", equalTo(code)).body("active", equalTo(true))
                .body("version", equalTo(0));
        return code;
    }

    private static Map<String, Object> change(String name, String parent, String kind, String reason) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("nameEn", "Renamed");
        body.put("parentCode", parent);
        body.put("kind", kind);
        body.put("reason", reason);
        return body;
    }

    @Test
    void anAdministratorRegistersChangesAndDeactivatesADepartment() {
        String code = create("330100", "CITY", PROVINCIAL);
        given().get(DEPARTMENTS + "/" + code).then().statusCode(200).body("parentCode", equalTo(PROVINCIAL))
                .body("level", equalTo("CITY")).body("regionCode", equalTo("330100"));

        // change name, parent and kind, with the version read
        admin().header("If-Match", "\"0\"").body(change("杭州市测试中心", CITY, "AUTHORISED_ORGANISATION", "更名"))
                .put(DEPARTMENTS + "/" + code).then().statusCode(200).body("name", equalTo("杭州市测试中心"))
                .body("parentCode", equalTo(CITY)).body("kind", equalTo("AUTHORISED_ORGANISATION"))
                .body("version", equalTo(1));
        // a second writer with the old version loses
        admin().header("If-Match", "\"0\"").body(change("另一个名称", null, "GOVERNMENT_DEPARTMENT", "并发修改"))
                .put(DEPARTMENTS + "/" + code).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:stale-version"));
        given().get(DEPARTMENTS + "/" + code).then().body("name", equalTo("杭州市测试中心"));
        // ?version= works as well; no version at all is refused
        admin().body(change("杭州市测试中心", null, "AUTHORISED_ORGANISATION", "脱离上级")).queryParam("version", 1)
                .put(DEPARTMENTS + "/" + code).then().statusCode(200).body("parentCode", equalTo(null));
        admin().body(change("无版本", null, "AUTHORISED_ORGANISATION", "无版本")).put(DEPARTMENTS + "/" + code)
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("If-Match"));

        // a staff account can be assigned while it is active
        staff(code).then().statusCode(201);
        admin().header("If-Match", "2").body(Map.of("reason", "机构改革，职责划转")).post(DEPARTMENTS + "/" + code + "/deactivate")
                .then().statusCode(200).body("active", equalTo(false)).body("version", equalTo(3));

        // kept and readable, hidden from the listing unless asked for, marked inactive
        given().get(DEPARTMENTS + "/" + code).then().statusCode(200).body("active", equalTo(false));
        given().get(DEPARTMENTS).then().statusCode(200).body("code", not(hasItem(code)))
                .body("code", hasItem(PROVINCIAL));
        given().queryParam("includeInactive", "true").get(DEPARTMENTS).then().statusCode(200)
                .body("find { it.code == '" + code + "' }.active", equalTo(false));
        given().queryParam("includeInactive", "maybe").get(DEPARTMENTS).then().statusCode(400)
                .contentType("application/problem+json");
        // no new staff, no changes, no second deactivation, no sub-departments
        staff(code).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("departmentCode"));
        admin().header("If-Match", "3").body(change("复活", null, "GOVERNMENT_DEPARTMENT", "试图修改"))
                .put(DEPARTMENTS + "/" + code).then().statusCode(409).contentType("application/problem+json");
        admin().header("If-Match", "3").body(Map.of("reason", "再次撤销")).post(DEPARTMENTS + "/" + code + "/deactivate")
                .then().statusCode(409);
        admin().body(department(newCode("330106"), "330106", "COUNTY", code)).post(DEPARTMENTS).then().statusCode(400)
                .body("errors.field", hasItem("parentCode"));
        // the row is still there for what refers to it
        assertEquals(1L, ((Number) em.createNativeQuery("SELECT count(*) FROM department WHERE code = ?1")
                .setParameter(1, code).getSingleResult()).longValue());
    }

    private static io.restassured.response.Response staff(String departmentCode) {
        return admin().body(Map.of("type", "CIVIL_SERVANT", "username", "dept.test" + System.nanoTime() % 1_000_000,
                "displayName", "部门测试员", "departmentCode", departmentCode, "roles", List.of("operator"),
                "password", OidcFlow.PASSWORD)).post("/api/identity/v1/accounts");
    }

    @Test
    void badCodesUnknownRegionsLowerParentsCyclesAndLongNamesAreRefused() {
        String valid = newCode("330100");
        String wrongCheck = valid.substring(0, 17) + (valid.charAt(17) == '0' ? '1' : '0');
        field(department(wrongCheck, "330100", "CITY", null), "code");
        field(department(newCode("330100"), "339999", "CITY", null), "regionCode");
        field(department(newCode("330100"), "330100", "CITY", "113301000000000000"), "parentCode");
        // a parent below the department: a county department cannot be the parent of a city one
        String county = create("330106", "COUNTY", CITY);
        field(department(newCode("330100"), "330100", "CITY", county), "parentCode");
        Map<String, Object> noName = department(newCode("330100"), "330100", "CITY", null);
        noName.put("name", " ");
        field(noName, "name");
        Map<String, Object> longName = department(newCode("330100"), "330100", "CITY", null);
        longName.put("name", "长".repeat(201));
        field(longName, "name");
        Map<String, Object> noReason = department(newCode("330100"), "330100", "CITY", null);
        noReason.remove("reason");
        field(noReason, "reason");
        // a level that is not the region's: 330100 (杭州市) is a city, 330106 a county, 330000 the province
        field(department(newCode("330100"), "330100", "PROVINCE", null), "level");
        field(department(newCode("330106"), "330106", "CITY", null), "level");
        field(department(newCode("330000"), "330000", "CITY", null), "level");
        String detail = admin().body(department(newCode("330100"), "330100", "PROVINCE", null)).post(DEPARTMENTS)
                .then().statusCode(400).body("field", equalTo("level")).extract().path("detail");
        assertTrue(detail.contains("330100") && detail.contains("CITY") && detail.contains(" / "), detail);
        // a registered code, and a second competent authority for a region, each naming its field
        admin().body(department(PROVINCIAL, "330000", "PROVINCE", null)).post(DEPARTMENTS).then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("code"))
                .body("errors.field", equalTo(List.of("code")));
        Map<String, Object> authority = department(newCode("330100"), "330100", "CITY", null);
        authority.put("competentAuthority", true);
        admin().body(authority).post(DEPARTMENTS).then().statusCode(409).contentType("application/problem+json")
                .body("field", equalTo("competentAuthority"))
                .body("errors.field", equalTo(List.of("competentAuthority")));
        given().get(DEPARTMENTS + "/" + authority.get("code")).then().statusCode(404);
        // the level is not changed by an update: it follows the region
        Map<String, Object> relevel = change("杭州市测试中心", null, "GOVERNMENT_DEPARTMENT", "改层级");
        relevel.put("level", "PROVINCE");
        admin().header("If-Match", "\"0\"").body(relevel).put(DEPARTMENTS + "/" + county).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("level"));
        given().get(DEPARTMENTS + "/" + county).then().body("level", equalTo("COUNTY"));

        // cycles: a department cannot move under itself or under its own sub-department
        String top = create("330000", "PROVINCE", null);
        String middle = create("330000", "PROVINCE", top);
        String bottom = create("330100", "CITY", middle);
        admin().header("If-Match", "0").body(change("顶层", middle, "GOVERNMENT_DEPARTMENT", "成环"))
                .put(DEPARTMENTS + "/" + top).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("parentCode"));
        admin().header("If-Match", "0").body(change("顶层", top, "GOVERNMENT_DEPARTMENT", "自己"))
                .put(DEPARTMENTS + "/" + top).then().statusCode(400).body("errors.field", hasItem("parentCode"));
        // …but may move under a department of the same level that is not below it
        admin().header("If-Match", "0").body(change("中层", PROVINCIAL, "GOVERNMENT_DEPARTMENT", "划转"))
                .put(DEPARTMENTS + "/" + middle).then().statusCode(200).body("parentCode", equalTo(PROVINCIAL));
        // one with an active sub-department cannot be deactivated
        admin().header("If-Match", "1").body(Map.of("reason", "撤销")).post(DEPARTMENTS + "/" + middle + "/deactivate")
                .then().statusCode(409).contentType("application/problem+json");
        admin().header("If-Match", "x").body(Map.of("reason", "撤销")).post(DEPARTMENTS + "/" + bottom + "/deactivate")
                .then().statusCode(400).body("errors.field", hasItem("If-Match"));
        admin().header("If-Match", "0").body(Map.of("reason", "撤销")).post(DEPARTMENTS + "/" + bottom + "/deactivate")
                .then().statusCode(200);
        admin().header("If-Match", "1").body(Map.of("reason", "撤销")).post(DEPARTMENTS + "/" + middle + "/deactivate")
                .then().statusCode(200);
    }

    private static void field(Map<String, Object> body, String field) {
        admin().body(body).post(DEPARTMENTS).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
        assertTrue(body.get("code") == null || given().get(DEPARTMENTS + "/" + body.get("code")).statusCode() != 200,
                "nothing registered");
    }

    @Test
    void onlyAdministratorsChangeTheRegistry() {
        String code = create("330100", "CITY", null);
        Map<String, Object> body = department(newCode("330100"), "330100", "CITY", null);
        Map<String, Object> edit = change("改名", null, "GOVERNMENT_DEPARTMENT", "无权修改");
        // anonymous: 401
        given().contentType("application/json").body(body).post(DEPARTMENTS).then().statusCode(401)
                .contentType("application/problem+json");
        given().contentType("application/json").header("If-Match", "0").body(edit).put(DEPARTMENTS + "/" + code)
                .then().statusCode(401).contentType("application/problem+json");
        given().contentType("application/json").header("If-Match", "0").body(Map.of("reason", "x"))
                .post(DEPARTMENTS + "/" + code + "/deactivate").then().statusCode(401);
        // staff without the admin role, the auditor included: 403
        for (String user : List.of("gat.operator", "dsj.auditor")) {
            RequestSpecification other = given().auth().oauth2(OidcFlow.accessToken("test-web", user))
                    .contentType("application/json");
            other.body(body).post(DEPARTMENTS).then().statusCode(403).contentType("application/problem+json");
            given().auth().oauth2(OidcFlow.accessToken("test-web", user)).contentType("application/json")
                    .header("If-Match", "0").body(edit).put(DEPARTMENTS + "/" + code).then().statusCode(403);
            given().auth().oauth2(OidcFlow.accessToken("test-web", user)).contentType("application/json")
                    .header("If-Match", "0").body(Map.of("reason", "x")).post(DEPARTMENTS + "/" + code + "/deactivate")
                    .then().statusCode(403);
        }
        given().get(DEPARTMENTS + "/" + body.get("code")).then().statusCode(404);
        given().get(DEPARTMENTS + "/" + code).then().statusCode(200).body("version", equalTo(0))
                .body("active", equalTo(true));
    }
    @Test
    void everyChangeIsAuditedWithWhoWhatAndWhyWhenTheCallReturns() {
        String code = create("330100", "CITY", PROVINCIAL);
        List<AuditEvent> created = DurableAuditTest.rows("DEPARTMENT_CREATED", code);
        assertEquals(1, created.size(), "written with the department, not queued");
        assertEquals(DurableAuditTest.adminId(), created.get(0).actor);
        assertTrue(created.get(0).detail.contains("region=330100") && created.get(0).detail.contains("reason: 测试：机构设立"),
                created.get(0).detail);
        admin().header("If-Match", "0").body(change("改名后的部门", null, "GOVERNMENT_DEPARTMENT", "机构更名"))
                .put(DEPARTMENTS + "/" + code).then().statusCode(200);
        String updated = DurableAuditTest.rows("DEPARTMENT_UPDATED", code).get(0).detail;
        assertTrue(updated.contains("-> 改名后的部门") && updated.contains("parent: " + PROVINCIAL + " -> null")
                && updated.contains("reason: 机构更名") && !updated.contains("kind:"), updated);
        admin().header("If-Match", "1").body(Map.of("reason", "撤并")).post(DEPARTMENTS + "/" + code + "/deactivate")
                .then().statusCode(200);
        assertTrue(DurableAuditTest.rows("DEPARTMENT_DEACTIVATED", code).get(0).detail.contains("reason: 撤并"));

        // refused changes write nothing, queued or not
        String refused = newCode("330100");
        admin().body(department(refused, "330100", "CITY", "11330106002511010H")).post(DEPARTMENTS).then()
                .statusCode(400);
        admin().header("If-Match", "7").body(change("过期修改", null, "GOVERNMENT_DEPARTMENT", "过期"))
                .put(DEPARTMENTS + "/" + CITY).then().statusCode(409);
        audit.flush();
        assertEquals(List.of(), DurableAuditTest.rows("DEPARTMENT_CREATED", refused));
        assertEquals(List.of(), DurableAuditTest.rows("DEPARTMENT_UPDATED", CITY));

        // a rolled-back registration leaves neither the department nor its record
        String rolledBack = newCode("330100");
        QuarkusTransaction.begin();
        departments.create(new DepartmentService.NewDepartment(rolledBack, "回滚部门", null, "330100", null,
                AdminLevel.CITY, DepartmentKind.GOVERNMENT_DEPARTMENT, false, "回滚测试"), "test");
        QuarkusTransaction.rollback();
        audit.flush();
        given().get(DEPARTMENTS + "/" + rolledBack).then().statusCode(404);
        assertEquals(List.of(), DurableAuditTest.rows("DEPARTMENT_CREATED", rolledBack));
    }
}
