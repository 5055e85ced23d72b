package cn.onenet.catalog;

import static cn.onenet.catalog.support.MigrationDatabase.connect;
import static cn.onenet.catalog.support.MigrationDatabase.entry;
import static cn.onenet.catalog.support.MigrationDatabase.flyway;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.EmbeddedPostgres;

/**
 * V13 keeps the day an entry was registered (登记日期) in a column of its own; entries created before it were
 * registered on the day they were created, Beijing time (an entry created at 01:30 Beijing time on 6 January is
 * 17:30 UTC on the 5th).
 */
class RegisteredOnMigrationTest {

    @Test
    void entriesCreatedBeforeV13AreRegisteredOnTheirCreationDayInBeijing() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("catalog_v13");
        flyway(url).target("11").load().migrate();
        try (Connection c = connect(url)) {
            long lateUtc = entry(c, "登记日期-北京次日", "PUBLISHED");
            long morning = entry(c, "登记日期-北京当日", "DRAFT");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE catalog_entry SET created_at = '2026-01-05T17:30:00Z' WHERE id = " + lateUtc);
                s.executeUpdate("UPDATE catalog_entry SET created_at = '2026-01-05T01:30:00Z' WHERE id = " + morning);
            }

            flyway(url).load().migrate();

            assertEquals("2026-01-06", registeredOn(c, lateUtc));
            assertEquals("2026-01-05", registeredOn(c, morning));
        }
    }

    private static String registeredOn(Connection c, long entry) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT registered_on::text FROM catalog_entry WHERE id = " + entry)) {
            r.next();
            return r.getString(1);
        }
    }
}
