package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Grants issued before the exchange stored what it masks (V32) and who suspended them (V33) get both from the
 * migrations: the items their entry masks for them, and the 主管部门 as the author of a suspension a reviewer or admin
 * recorded, that a complaint upheld after it took over, or that nobody recorded. Run against a schema of its own.
 */
@QuarkusTest
class GrantMaskAndSuspensionBackfillTest extends ExchangeTestBase {

    static final String SCHEMA = "grant_mask_suspension_backfill";

    static Flyway flyway(String target) {
        return AuthorityRegionBackfillTest.flyway(SCHEMA, target);
    }

    @Test
    void theMigrationsRecordWhatEachGrantMasksAndWhoSuspendedIt() throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            flyway("31").migrate();
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + SCHEMA);
                s.execute("INSERT INTO catalog_entry (resource_code, entry_version, name, provider_department_code, "
                        + "share_attribute, grade, items) VALUES "
                        + "('E3', 1, 'e', 'P', 'CONDITIONAL', 'LEVEL_3', '[{\"code\":\"GMSFHM\",\"sensitive\":true},"
                        + "{\"code\":\"XM\",\"sensitive\":true},{\"code\":\"ZY\",\"sensitive\":false}]'), "
                        + "('E1', 1, 'e', 'P', 'CONDITIONAL', 'LEVEL_1', '[{\"code\":\"GMSFHM\",\"sensitive\":true}]')");
                long masked = grant(c, "E3", "[\"GMSFHM\",\"XM\",\"ZY\"]", "[\"XM\"]", "ACTIVE");
                long grade1 = grant(c, "E1", "[\"GMSFHM\"]", "[]", "ACTIVE");
                long byReviewer = grant(c, "E3", "[\"ZY\"]", "[]", "SUSPENDED");
                suspend(c, byReviewer, "SUSPEND", "reviewer", 1);
                long byProvider = grant(c, "E3", "[\"ZY\"]", "[]", "SUSPENDED");
                suspend(c, byProvider, "SUSPEND", "operator", 1);
                long unrecorded = grant(c, "E3", "[\"ZY\"]", "[]", "SUSPENDED");
                long takenOver = grant(c, "E3", "[\"ZY\"]", "[]", "SUSPENDED");
                suspend(c, takenOver, "SUSPEND", "operator", 3);
                s.execute("INSERT INTO complaint (complainant_type, complainant_sub, subject_hash, usage_log_seq, "
                        + "accessed_at, resource_code, consumer_department_code, grant_id, description, status, "
                        + "received_on, due_on, grant_suspended, decided_at, created_at) VALUES ('CITIZEN', 'c', 'h', "
                        + "1, now(), 'E3', 'C', " + takenOver + ", 'd', 'UPHELD', current_date, current_date, TRUE, "
                        + "now() - interval '1 day', now())");
                long providerLast = grant(c, "E3", "[\"ZY\"]", "[]", "SUSPENDED");
                suspend(c, providerLast, "SUSPEND", "reviewer", 5);
                suspend(c, providerLast, "RESUME", "reviewer", 4);
                suspend(c, providerLast, "SUSPEND", "operator", 3);
                long resumed = grant(c, "E3", "[\"ZY\"]", "[]", "ACTIVE");
                suspend(c, resumed, "SUSPEND", "reviewer", 2);

                flyway("33").migrate();

                Map<Long, String[]> after = new HashMap<>();
                try (ResultSet rs = s.executeQuery("SELECT id, masked_items, suspended_by FROM share_grant")) {
                    while (rs.next()) {
                        after.put(rs.getLong(1), new String[] { rs.getString(2), rs.getString(3) });
                    }
                }
                assertEquals("[\"GMSFHM\"]", after.get(masked)[0]);
                assertEquals("[]", after.get(grade1)[0]);
                assertEquals("[]", after.get(byReviewer)[0]);
                assertEquals(null, after.get(masked)[1]);
                assertEquals("AUTHORITY", after.get(byReviewer)[1]);
                assertEquals("PROVIDER", after.get(byProvider)[1]);
                assertEquals("AUTHORITY", after.get(unrecorded)[1]);
                assertEquals("AUTHORITY", after.get(takenOver)[1]);
                assertEquals("PROVIDER", after.get(providerLast)[1]);
                assertEquals(null, after.get(resumed)[1]);
            }
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    static long grant(Connection c, String code, String items, String clear, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO share_grant (resource_code, "
                + "provider_department_code, consumer_department_code, items, clear_items, purpose, legal_basis, "
                + "delivery_method, valid_from, valid_to, quota_per_second, quota_per_day, status) "
                + "VALUES (?, 'P', 'C', ?, ?, 'p', 'b', 'API', current_date, current_date, 1, 1, ?) RETURNING id")) {
            ps.setString(1, code);
            ps.setString(2, items);
            ps.setString(3, clear);
            ps.setString(4, status);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A step of the grant's history, {@code daysAgo} days ago. */
    static void suspend(Connection c, long grant, String action, String role, int daysAgo) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO state_change (object_type, object_id, action, "
                + "from_status, to_status, actor_subject, actor_role, automatic, decision, changed_at) VALUES "
                + "('GRANT', ?, ?, 'ACTIVE', 'SUSPENDED', 's', ?, FALSE, TRUE, now() - make_interval(days => ?))")) {
            ps.setLong(1, grant);
            ps.setString(2, action);
            ps.setString(3, role);
            ps.setInt(4, daysAgo);
            ps.executeUpdate();
        }
    }
}
