package cn.onenet.catalog;

import static cn.onenet.catalog.support.MigrationDatabase.connect;
import static cn.onenet.catalog.support.MigrationDatabase.entry;
import static cn.onenet.catalog.support.MigrationDatabase.event;
import static cn.onenet.catalog.support.MigrationDatabase.flyway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.EmbeddedPostgres;

/**
 * V9: the department head approves with the head's own account, so an approval an editor recorded (typing the head's
 * name) on a draft not yet submitted is withdrawn, with a history step giving the reason and keeping the withdrawn
 * record; entries in review or published keep their records and their history as they were.
 */
class HeadApprovalMigrationTest {

    private static final String TYPED = "{\"approver\":\"张厅长\",\"opinion\":\"同意报送\",\"approvedOn\":\"2026-11-02\","
            + "\"recordedBy\":\"editor-police\",\"recordedAt\":\"2026-11-02T02:00:00Z\"}";

    @Test
    void approvalsTypedByEditorsOnDraftsAreWithdrawnWithAHistoryStep() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("catalog_v9");
        flyway(url).target("8").load().migrate();
        try (Connection c = connect(url)) {
            long draft = approved(c, "负责人审核迁移-草稿", "DRAFT");
            long returned = approved(c, "负责人审核迁移-退回", "RETURNED");
            long changing = approved(c, "负责人审核迁移-变更中", "CHANGE_PENDING");
            long submitted = approved(c, "负责人审核迁移-待审", "SUBMITTED");
            long approvedEntry = approved(c, "负责人审核迁移-审核通过", "APPROVED");
            long unapproved = entry(c, "负责人审核迁移-未审核", "DRAFT");
            event(c, unapproved, "CREATE", "editor-police", "赵敏", "catalog-editor", "2026-11-01T02:00:00Z");

            flyway(url).load().migrate();

            for (long id : List.of(draft, returned, changing)) {
                assertNull(headApproval(c, id), "withdrawn on " + id);
                List<String[]> history = history(c, id);
                assertEquals(3, history.size(), "one step added to " + id);
                String[] step = history.get(2);
                assertEquals("WITHDRAW_APPROVAL", step[0]);
                assertEquals("system", step[1]);
                assertTrue(step[2].contains("head's own account"), step[2]);
                assertTrue(step[3].contains("\"withdrawn\": [\"headApproval\"]") && step[3].contains("张厅长"),
                        step[3]);
                assertEquals(state(c, id), step[4], "the step keeps the entry's state");
            }
            for (long id : List.of(submitted, approvedEntry)) {
                assertNotNull(headApproval(c, id), "kept on " + id);
                assertEquals(2, history(c, id).size(), "history of " + id + " untouched");
            }
            assertEquals(1, history(c, unapproved).size());
        }
    }

    /** An entry with the head approval an editor recorded, and its history as the service wrote it. */
    private static long approved(Connection c, String name, String state) throws SQLException {
        long id = entry(c, name, state);
        try (PreparedStatement s = c.prepareStatement("UPDATE catalog_entry SET head_approval = ?::jsonb WHERE id = ?")) {
            s.setString(1, TYPED);
            s.setLong(2, id);
            s.executeUpdate();
        }
        event(c, id, "CREATE", "editor-police", "赵敏", "catalog-editor", "2026-11-01T02:00:00Z");
        event(c, id, "HEAD_APPROVAL", "editor-police", "赵敏", "catalog-editor", "2026-11-02T02:00:00Z");
        return id;
    }

    private static String headApproval(Connection c, long id) throws SQLException {
        return single(c, "SELECT head_approval::text FROM catalog_entry WHERE id = " + id);
    }

    private static String state(Connection c, long id) throws SQLException {
        return single(c, "SELECT state FROM catalog_entry WHERE id = " + id);
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    /** The entry's steps in order: action, role, opinion, changes, state after. */
    private static List<String[]> history(Connection c, long id) throws SQLException {
        List<String[]> steps = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT action, actor_role, opinion, "
                + "changes::text, to_state FROM entry_event WHERE entry_id = " + id + " ORDER BY id")) {
            while (r.next()) {
                steps.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5)});
            }
        }
        return steps;
    }
}
