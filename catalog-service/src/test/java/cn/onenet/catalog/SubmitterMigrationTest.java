package cn.onenet.catalog;

import static cn.onenet.catalog.support.MigrationDatabase.connect;
import static cn.onenet.catalog.support.MigrationDatabase.entry;
import static cn.onenet.catalog.support.MigrationDatabase.event;
import static cn.onenet.catalog.support.MigrationDatabase.flyway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.EmbeddedPostgres;

/**
 * V8 keeps the account that last put an entry into review, so that it does not review the entry itself. Entries
 * submitted before it take that account from their history: the actor of the latest submission or deregistration
 * request; entries never submitted have none.
 */
class SubmitterMigrationTest {

    @Test
    void entriesInReviewTakeTheirSubmitterFromTheirHistory() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("catalog_v8");
        flyway(url).target("7").load().migrate();
        try (Connection c = connect(url)) {
            long resubmitted = entry(c, "报送人-再次报送", "SUBMITTED");
            event(c, resubmitted, "SUBMIT", "editor-1", "甲", "catalog-editor", "2026-01-05T02:00:00Z");
            event(c, resubmitted, "RETURN", "reviewer-1", "王芳", "reviewer", "2026-01-06T02:00:00Z");
            event(c, resubmitted, "SUBMIT", "editor-2", "乙", "catalog-editor", "2026-01-07T02:00:00Z");
            event(c, resubmitted, "EDIT", "editor-3", "丙", "catalog-editor", "2026-01-07T03:00:00Z");

            long deregistering = entry(c, "报送人-注销申请", "DEREGISTER_PENDING");
            event(c, deregistering, "SUBMIT", "editor-1", "甲", "catalog-editor", "2026-01-05T02:00:00Z");
            event(c, deregistering, "PUBLISH", "reviewer-1", "王芳", "reviewer", "2026-01-06T02:00:00Z");
            event(c, deregistering, "REQUEST_DEREGISTRATION", "editor-4", "丁", "catalog-editor",
                    "2026-02-05T02:00:00Z");

            long draft = entry(c, "报送人-草稿", "DRAFT");
            event(c, draft, "CREATE", "editor-1", "甲", "catalog-editor", "2026-01-05T02:00:00Z");

            flyway(url).load().migrate();

            assertEquals("editor-2", submitter(c, resubmitted));
            assertEquals("editor-4", submitter(c, deregistering));
            assertNull(submitter(c, draft));
        }
    }

    private static String submitter(Connection c, long entry) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT submitted_by FROM catalog_entry WHERE id = " + entry)) {
            r.next();
            return r.getString(1);
        }
    }
}
