package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 回流 grants issued without a region scope (the whole dataset, no review) are ended by migration V35, with their
 * history row and a notice to both departments; scoped 回流 grants, other grants and ended ones stay as they are. Run
 * against a schema of its own migrated to V34 first.
 */
@QuarkusTest
class UnscopedReturnFlowMigrationTest extends ExchangeTestBase {

    static final String SCHEMA = "unscoped_return_flow";

    static Flyway flyway(String target) {
        return Flyway.configure().configuration(AuthorityRegionBackfillTest.flyway(target).getConfiguration())
                .schemas(SCHEMA).defaultSchema(SCHEMA).load();
    }

    @Test
    void unscopedReturnFlowGrantsInForceAreEndedAndRecorded() throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            flyway("34").migrate();
            // purpose names the case: basis, region scope, status
            List<Object[]> cases = List.of(new Object[] { "unscoped-active", Regions.RETURN_FLOW_BASIS, null, "ACTIVE" },
                    new Object[] { "unscoped-suspended", Regions.RETURN_FLOW_BASIS, null, "SUSPENDED" },
                    new Object[] { "unscoped-expired", Regions.RETURN_FLOW_BASIS, null, "EXPIRED" },
                    new Object[] { "scoped-active", Regions.RETURN_FLOW_BASIS, "330106", "ACTIVE" },
                    new Object[] { "conditional-active", "有条件共享", null, "ACTIVE" },
                    new Object[] { "unconditional-active", "无条件共享", null, "ACTIVE" });
            try (Connection c = AuthorityRegionBackfillTest.connect(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + SCHEMA + ".share_grant (request_id, resource_code, provider_department_code, "
                            + "consumer_department_code, items, purpose, legal_basis, delivery_method, valid_from, "
                            + "valid_to, quota_per_second, quota_per_day, status, basis, region_scope) VALUES (7, "
                            + "'330000-01-04/1', 'P-DEPT', 'C-DEPT', '[\"GRZH\"]', ?, 'x', 'API', DATE '2026-01-01', "
                            + "DATE '2027-01-01', 1, 1, ?, ?, ?)")) {
                for (Object[] k : cases) {
                    ps.setString(1, (String) k[0]);
                    ps.setString(2, (String) k[3]);
                    ps.setString(3, (String) k[1]);
                    ps.setString(4, (String) k[2]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            flyway("35").migrate();

            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                Map<String, String> status = new TreeMap<>();
                try (ResultSet rs = s.executeQuery("SELECT purpose, status, version FROM " + SCHEMA + ".share_grant")) {
                    while (rs.next()) {
                        status.put(rs.getString(1), rs.getString(2) + "/" + rs.getInt(3));
                    }
                }
                assertEquals(Map.of("unscoped-active", "TERMINATED/1", "unscoped-suspended", "TERMINATED/1",
                        "unscoped-expired", "EXPIRED/0", "scoped-active", "ACTIVE/0", "conditional-active", "ACTIVE/0",
                        "unconditional-active", "ACTIVE/0"), status);
                Map<String, String> history = new TreeMap<>();
                try (ResultSet rs = s.executeQuery("SELECT g.purpose, h.action || ':' || h.from_status || '>' "
                        + "|| h.to_status || ':' || h.actor_role || ':' || h.automatic || ':' || h.share_request_id "
                        + "FROM " + SCHEMA + ".state_change h JOIN " + SCHEMA + ".share_grant g ON g.id = h.object_id "
                        + "WHERE h.object_type = 'GRANT'")) {
                    while (rs.next()) {
                        history.put(rs.getString(1), rs.getString(2));
                    }
                }
                assertEquals(Map.of("unscoped-active", "TERMINATE:ACTIVE>TERMINATED:scheduler:true:7",
                        "unscoped-suspended", "TERMINATE:SUSPENDED>TERMINATED:scheduler:true:7"), history);
                try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT department_code), "
                        + "count(DISTINCT subject_id) FROM " + SCHEMA + ".notice WHERE kind = 'GRANT_TERMINATED'")) {
                    rs.next();
                    assertEquals(List.of(4, 2, 2), List.of(rs.getInt(1), rs.getInt(2), rs.getInt(3)));
                }
            }
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }
}
