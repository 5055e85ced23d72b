package cn.onenet.catalog;

import static cn.onenet.catalog.support.MigrationDatabase.connect;
import static cn.onenet.catalog.support.MigrationDatabase.entry;
import static cn.onenet.catalog.support.MigrationDatabase.flyway;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.MigrationDatabase;
import cn.onenet.testsupport.EmbeddedPostgres;

/**
 * V7 keeps the publisher's display name beside each published version. Versions published before it get the name the
 * history recorded for the step that published them (V6 {@code actor_name}): the publication or reclassification by
 * the same account nearest in time; versions without such a named step keep none.
 */
class PublisherNameMigrationTest {

    @Test
    void olderVersionsTakeTheNameOfTheStepThatPublishedThem() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("catalog_v7");
        flyway(url).target("6").load().migrate();
        try (Connection c = connect(url)) {
            long first = entry(c, "回填-一", "PUBLISHED");
            version(c, first, 1, "reviewer-1", "2026-01-05T02:00:00Z");
            version(c, first, 2, "admin-1", "2026-02-05T02:00:00Z");
            version(c, first, 3, "reviewer-1", "2026-03-05T02:00:00Z");
            // the reviewer's approval the day before, under another name, is not a publication
            event(c, first, "APPROVE", "reviewer-1", "审核员甲", "2026-01-04T02:00:00Z");
            event(c, first, "PUBLISH", "reviewer-1", "王芳", "2026-01-05T02:00:00.004Z");
            event(c, first, "RECLASSIFY", "admin-1", "李明", "2026-02-05T02:00:00.003Z");
            // the same reviewer's later publication, after a change of name, names the later version only
            event(c, first, "PUBLISH", "reviewer-1", "王芳芳", "2026-03-05T02:00:00.002Z");

            long beforeNames = entry(c, "回填-二", "PUBLISHED");
            version(c, beforeNames, 1, "reviewer-2", "2026-01-06T02:00:00Z");
            event(c, beforeNames, "PUBLISH", "reviewer-2", null, "2026-01-06T02:00:00.005Z");

            long noStep = entry(c, "回填-三", "PUBLISHED");
            version(c, noStep, 1, "demo-reviewer", "2026-01-07T02:00:00Z");
            // someone else's publication step does not name this version
            event(c, noStep, "PUBLISH", "reviewer-1", "王芳", "2026-01-07T02:00:00.001Z");

            flyway(url).load().migrate();

            assertEquals(Map.of(1, "王芳", 2, "李明", 3, "王芳芳"), names(c, first));
            Map<Integer, String> none = new LinkedHashMap<>();
            none.put(1, null);
            assertEquals(none, names(c, beforeNames));
            assertEquals(none, names(c, noStep));
        }
    }

    private static void version(Connection c, long entry, int version, String by, String at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO entry_version (entry_id, version, label, major, "
                + "content, published_by, published_at) VALUES (?, ?, ?, false, '{}'::jsonb, ?, ?::timestamptz)")) {
            s.setLong(1, entry);
            s.setInt(2, version);
            s.setString(3, "1." + (version - 1));
            s.setString(4, by);
            s.setString(5, at);
            s.executeUpdate();
        }
    }

    private static void event(Connection c, long entry, String action, String actor, String name, String at)
            throws SQLException {
        MigrationDatabase.event(c, entry, action, actor, name, "reviewer", at);
    }

    private static Map<Integer, String> names(Connection c, long entry) throws SQLException {
        Map<Integer, String> out = new LinkedHashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT version, published_by_name FROM entry_version WHERE entry_id = " + entry + " ORDER BY version")) {
            while (r.next()) {
                out.put(r.getInt(1), r.getString(2));
            }
        }
        return out;
    }
}
