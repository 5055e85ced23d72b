package cn.onenet.identity.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The account audit trail and the holder's copy of their level history read in words, beside the codes tools read:
 * account types, real-name levels, departments and roles by name, and the actor's and subject's names beside their
 * ids, a citizen's masked to the family name.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AuditWordsTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts/";
    private static final String RST = AccountListTest.RST;

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** The events of a subject as the auditor reads them, oldest first. */
    private static List<Map<String, Object>> trail(String subject) {
        Response r = AccountListTest.as("dsj.auditor").queryParam("subject", subject).get("/api/identity/v1/audit");
        r.then().statusCode(200);
        List<Map<String, Object>> events = new java.util.ArrayList<>(r.jsonPath().getList("$"));
        java.util.Collections.reverse(events);
        return events;
    }

    private static Map<String, Object> first(List<Map<String, Object>> events, String type) {
        return events.stream().filter(e -> type.equals(e.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " in " + events));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fields(Map<String, Object> event) {
        return (Map<String, Object>) event.get("fields");
    }

    @Test
    void aStaffAccountsTrailNamesTypeLevelDepartmentRolesAndPeople() {
        String username = "words.staff" + System.nanoTime() % 1_000_000;
        String id = AccountListTest.as("dsj.admin").contentType("application/json").body(Map.of("type",
                "CIVIL_SERVANT", "username", username, "displayName", "词语测试员",
                "departmentCode", RST, "roles", List.of("operator", "catalog-editor"), "password", OidcFlow.PASSWORD))
                .post(ACCOUNTS).then().statusCode(201).extract().path("id");
        AccountListTest.as("dsj.admin").contentType("application/json").body(List.of("operator"))
                .put(ACCOUNTS + id + "/roles").then().statusCode(200);
        String[] adminAndDepartment = QuarkusTransaction.requiringNew().call(() -> new String[] {
            Account.byUsername("dsj.admin").id.toString(), Account.byUsername("dsj.admin").displayName,
            Department.<Department>find("code", RST).firstResult().name });

        List<Map<String, Object>> trail = trail(id);
        Map<String, Object> created = first(trail, "ACCOUNT_CREATED");
        // as recorded, for tools
        assertEquals("type=CIVIL_SERVANT level=3 department=" + RST + " roles=[catalog-editor, operator]",
                created.get("detail"));
        assertEquals(Map.of("type", "CIVIL_SERVANT", "level", 3, "department", RST, "roles",
                List.of("catalog-editor", "operator")), fields(created));
        // in words
        String summary = (String) created.get("summary");
        assertNotNull(summary, created.toString());
        assertTrue(summary.contains("政务工作人员") && summary.contains("实名等级 3")
                && summary.contains(adminAndDepartment[2]) && summary.contains("共享专员")
                && summary.contains("目录编制"), summary);
        assertFalse(summary.contains("CIVIL_SERVANT") || summary.contains("type=") || summary.contains("level="),
                summary);
        // who did it, and to whom, by name beside the ids
        assertEquals(adminAndDepartment[0], created.get("actor"));
        assertEquals(adminAndDepartment[1], created.get("actorName"));
        assertEquals(id, created.get("subject"));
        assertEquals("词语测试员", created.get("subjectName"));

        Map<String, Object> roles = first(trail, "ROLES_CHANGED");
        assertEquals(List.of("operator"), fields(roles).get("roles"));
        assertEquals(List.of("catalog-editor"), fields(roles).get("removed"));
        assertEquals(0, fields(roles).get("grantsRevoked"));
        String rolesSummary = (String) roles.get("summary");
        assertTrue(rolesSummary.contains("角色：共享专员") && rolesSummary.contains("收回的角色：目录编制"), rolesSummary);
    }

    @Test
    void aCitizenIsNamedMaskedAndReadsTheirOwnLevelHistoryInWords() {
        long n = System.nanoTime();
        String first17 = "3301061988" + String.format("%02d%02d%03d", 1 + n % 12, 1 + n / 12 % 28, n / 336 % 1000);
        String idNumber = first17 + ResidentIdNumber.checkCharacter(first17);
        String id = AccountListTest.as("dsj.admin").contentType("application/json").body(Map.of("type",
                "NATURAL_PERSON", "displayName", "欧阳词语", "idNumber", idNumber,
                "password", OidcFlow.PASSWORD)).post(ACCOUNTS).then().statusCode(201).extract().path("id");

        Response page = AccountListTest.as("dsj.auditor").queryParam("subject", id).get("/api/identity/v1/audit");
        assertFalse(page.asString().contains("欧阳词语"), "a citizen's name in clear: " + page.asString());
        Map<String, Object> created = first(trail(id), "ACCOUNT_CREATED");
        assertEquals("欧***", created.get("subjectName"));
        assertEquals("type=NATURAL_PERSON level=2", created.get("detail"));
        assertEquals(Map.of("type", "NATURAL_PERSON", "level", 2), fields(created));
        assertEquals("账户类型：自然人；实名等级 2（身份号码格式校验）", created.get("summary"));

        // the holder's own copy of their data: the same words beside the recorded detail
        Response export = AccountListTest.as(idNumber).get("/api/identity/v1/me/export");
        export.then().statusCode(200);
        Map<String, Object> level = export.jsonPath().getMap("realNameLevelHistory[0]");
        assertEquals("ACCOUNT_CREATED", level.get("event"));
        assertEquals("type=NATURAL_PERSON level=2", level.get("detail"));
        assertEquals("账户类型：自然人；实名等级 2（身份号码格式校验）", level.get("summary"));
        assertEquals(Map.of("type", "NATURAL_PERSON", "level", 2), fields(level));
    }
}
