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
 * A pending request restarted (resubmitted after a supplement, reopened after a dispute) after its extension was
 * approved counts 10 working days again, not 10 plus the extension's (V37 corrects V36's count); one extended after its
 * restart keeps both. Run against a schema of its own migrated to V36 first.
 */
@QuarkusTest
class RestartedRequestCountMigrationTest extends ExchangeTestBase {

    static final String SCHEMA = "restarted_request_count";

    static Flyway flyway(String target) {
        return Flyway.configure().configuration(AuthorityRegionBackfillTest.flyway(target).getConfiguration())
                .schemas(SCHEMA).defaultSchema(SCHEMA).load();
    }

    @Test
    void aRequestRestartedAfterItsExtensionCountsTenWorkingDays() throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            flyway("35").migrate();
            // purpose names the case; then its history, in order
            Map<String, List<String>> cases = Map.of(
                    "resubmitted-after-extension", List.of("FILE", "APPROVE_EXTENSION", "ASK_SUPPLEMENT", "RESUBMIT"),
                    "reopened-after-extension", List.of("FILE", "APPROVE_EXTENSION", "REFUSE", "REOPEN_AFTER_DISPUTE"),
                    "extended-after-resubmit", List.of("FILE", "ASK_SUPPLEMENT", "RESUBMIT", "APPROVE_EXTENSION"),
                    "extended-only", List.of("FILE", "APPROVE_EXTENSION"));
            try (Connection c = AuthorityRegionBackfillTest.connect()) {
                for (Map.Entry<String, List<String>> k : cases.entrySet()) {
                    long id;
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".share_request "
                            + "(resource_code, provider_department_code, consumer_department_code, filed_by, "
                            + "office_head_approver, items, legal_basis, scenario, purpose, scope, delivery_method, "
                            + "period_from, period_to, attested, share_attribute, status, received_on, due_on, "
                            + "extended, extension_days) VALUES ('330000-01-04/1', 'P-DEPT', 'C-DEPT', 'u', 'h', "
                            + "'[\"XM\"]', 'b', 's', ?, 'x', 'API', DATE '2026-11-01', DATE '2027-11-01', TRUE, "
                            + "'CONDITIONAL', 'PENDING', DATE '2026-11-02', DATE '2026-11-16', TRUE, 5) RETURNING id")) {
                        ps.setString(1, k.getKey());
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            id = rs.getLong(1);
                        }
                    }
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".state_change "
                            + "(object_type, object_id, share_request_id, action, to_status, actor_subject, actor_role, "
                            + "automatic, decision, changed_at) VALUES ('REQUEST', ?, ?, ?, 'PENDING', 'u', 'operator', "
                            + "FALSE, FALSE, now())")) {
                        for (String action : k.getValue()) {
                            ps.setLong(1, id);
                            ps.setLong(2, id);
                            ps.setString(3, action);
                            ps.executeUpdate();
                        }
                    }
                }
            }
            flyway("36").migrate();
            assertEquals(Map.of("resubmitted-after-extension", 15, "reopened-after-extension", 15,
                    "extended-after-resubmit", 15, "extended-only", 15), counts(), "V36's count");
            flyway("37").migrate();
            assertEquals(Map.of("resubmitted-after-extension", 10, "reopened-after-extension", 10,
                    "extended-after-resubmit", 15, "extended-only", 15), counts());
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private static Map<String, Integer> counts() throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT purpose, due_working_days FROM " + SCHEMA + ".share_request")) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }
}
