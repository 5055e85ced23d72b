package cn.onenet.identity.accounts;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.testsupport.PostgresTestResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@code reviewer} and {@code auditor} belong to the staff of a 主管部门 (a region's competent authority for data
 * sharing): it reviews the same-level catalogue (条例 Art. 16) and supervises and inspects sharing (Art. 29), and the
 * services give both roles province-wide reading. Staff of any other department are refused them, and V34 takes them
 * from accounts that held them before.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CompetentAuthorityRolesTest {

    private static final String ACCOUNTS = "/api/identity/v1/accounts";
    /** 浙江省大数据发展管理局 (province) and 杭州市数据资源管理局 (city): competent authorities. */
    private static final String DSJ = "113300000024810109";
    private static final String HZ = "113301000024910106";

    @Inject
    AgroalDataSource db;

    private static Response create(String username, String department, List<String> roles) {
        return AccountListTest.as("dsj.admin").contentType("application/json").body(Map.of("type", "CIVIL_SERVANT",
                "username", username, "displayName", "主管测试员", "departmentCode", department, "roles", roles,
                "password", OidcFlow.PASSWORD)).post(ACCOUNTS);
    }

    private static Account stored(String username) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = Account.byUsername(username);
            if (account != null) {
                account.roles.size();
            }
            return account;
        });
    }

    @Test
    void staffOfOtherDepartmentsAreNotGivenReviewerOrAuditor() {
        for (List<String> roles : List.of(List.of("reviewer"), List.of("auditor", "operator"),
                List.of("operator", "reviewer", "auditor"))) {
            String username = "ca.refused" + System.nanoTime() % 1_000_000;
            create(username, AccountListTest.GAT, roles).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("roles"))
                    .body("errors.field", hasItem("roles")).body("detail", containsString("主管部门"))
                    .body("detail", containsString(AccountListTest.GAT));
            assertNull(stored(username), "nothing created");
        }
        // nor by a change of roles
        String gat = stored("gat.operator").id.toString();
        Set<String> before = stored("gat.operator").roles;
        for (List<String> roles : List.of(List.of("operator", "auditor"), List.of("reviewer"))) {
            AccountListTest.as("dsj.admin").contentType("application/json").body(roles)
                    .put(ACCOUNTS + "/" + gat + "/roles").then().statusCode(400).body("field", equalTo("roles"));
        }
        assertEquals(before, stored("gat.operator").roles);
        // non-administrators are refused before anything is checked
        AccountListTest.as("gat.operator").contentType("application/json").body(List.of("reviewer"))
                .put(ACCOUNTS + "/" + gat + "/roles").then().statusCode(403);
    }

    @Test
    void staffOfACompetentAuthorityAreGivenThem() {
        String province = "ca.dsj" + System.nanoTime() % 1_000_000;
        create(province, DSJ, List.of("reviewer")).then().statusCode(201).body("roles", equalTo(List.of("reviewer")));
        String city = "ca.hz" + System.nanoTime() % 1_000_000;
        create(city, HZ, List.of("operator")).then().statusCode(201);
        AccountListTest.as("dsj.admin").contentType("application/json").body(List.of("auditor"))
                .put(ACCOUNTS + "/" + stored(city).id + "/roles").then().statusCode(200)
                .body("roles", equalTo(List.of("auditor")));
    }

    @Test
    void everyDemoReviewerAndAuditorWorksInACompetentAuthority() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT a.username, d.competent_authority FROM account_role r"
                        + " JOIN account a ON a.id = r.account_id JOIN department d ON d.id = a.department_id"
                        + " WHERE r.role IN ('reviewer', 'auditor') AND a.username IN ('dsj.reviewer',"
                        + " 'dsj.auditor', 'hz.reviewer')")) {
            int count = 0;
            while (rows.next()) {
                assertTrue(rows.getBoolean(2), rows.getString(1));
                count++;
            }
            assertEquals(3, count);
        }
    }

    @Test
    void theMigrationTakesThemFromStaffOfOtherDepartmentsWithAnAuditRow() throws Exception {
        String outside = "ca.before" + System.nanoTime() % 1_000_000;
        create(outside, AccountListTest.GAT, List.of("operator")).then().statusCode(201);
        String inside = "ca.kept" + System.nanoTime() % 1_000_000;
        create(inside, DSJ, List.of("auditor")).then().statusCode(201);
        UUID id = stored(outside).id;
        long version = stored(outside).version;
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            // as an account could hold them before the rule
            s.execute("INSERT INTO account_role (account_id, role) VALUES ('" + id + "', 'reviewer'), ('" + id
                    + "', 'auditor')");
        }
        assertEquals(Set.of("operator", "reviewer", "auditor"), stored(outside).roles);

        String migration;
        try (var in = getClass().getResourceAsStream("/db/migration/V34__competent_authority_roles.sql")) {
            migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(migration);
        }
        assertEquals(Set.of("operator"), stored(outside).roles);
        assertEquals(version + 1, stored(outside).version);
        assertEquals(Set.of("auditor"), stored(inside).roles);
        List<AuditEvent> rows = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "eventType = 'ROLES_CHANGED' and subject = ?1 and actor = 'migration V34'", id.toString()));
        assertEquals(1, rows.size());
        assertTrue(rows.get(0).detail.contains("removed \"auditor reviewer\"")
                && rows.get(0).detail.contains(AccountListTest.GAT), rows.get(0).detail);
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "eventType = 'ROLES_CHANGED' and subject = ?1 and actor = 'migration V34'",
                stored(inside).id.toString())));
        // run again, it changes nothing more
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(migration);
        }
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "eventType = 'ROLES_CHANGED' and subject = ?1 and actor = 'migration V34'", id.toString())));
    }
}
