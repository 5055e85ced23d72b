package cn.onenet.catalog;

import static cn.onenet.catalog.support.MigrationDatabase.connect;
import static cn.onenet.catalog.support.MigrationDatabase.flyway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.EmbeddedPostgres;

/**
 * V14 brings department codes stored in lower case (or full-width) to the form identity-service's register keeps and
 * tokens carry (upper case), in the entry's column and in every JSON copy of its content, so the department's own
 * editors and heads match their entries again.
 */
class DepartmentCodeMigrationTest {

    private static final String POLICE = "11330000002481020A";
    private static final String LOWER = "11330000002481020a";

    @Test
    void departmentCodesStoredInLowerCaseAreUpperCaseEverywhereAfterV14() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("catalog_v14");
        flyway(url).target("13").load().migrate();
        try (Connection c = connect(url)) {
            long lower = entry(c, "部门代码-小写", LOWER, "PUBLISHED");
            // full-width digits and letter: the same code once folded
            long wide = entry(c, "部门代码-全角", "１１３３００００００２４８１０２０ａ", "DRAFT");
            long upper = entry(c, "部门代码-大写", POLICE, "DRAFT");
            // one department's entries of one name and classification, stored under two spellings of its code
            long first = entry(c, "部门代码-重名", POLICE, "DRAFT");
            long second = entry(c, "部门代码-重名", LOWER, "DRAFT");
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO entry_version (entry_id, version, label, major, content, published_by, "
                        + "published_at) VALUES (" + lower + ", 1, '1.0', true, " + document(LOWER)
                        + ", 'reviewer-1', now())");
                s.executeUpdate("INSERT INTO feed_event (type, entry_id, occurred_at, entry) VALUES ('PUBLISHED', "
                        + lower + ", now(), " + document(LOWER) + ")");
            }

            flyway(url).load().migrate();

            for (long id : new long[] {lower, wide, upper, first, second}) {
                assertEquals(POLICE, text(c, "SELECT provider_code FROM catalog_entry WHERE id = " + id));
                assertEquals(POLICE, text(c, "SELECT draft ->> 'providerDepartmentCode' FROM catalog_entry WHERE id = "
                        + id));
                assertEquals(POLICE, text(c, "SELECT published ->> 'providerDepartmentCode' FROM catalog_entry "
                        + "WHERE id = " + id));
            }
            assertEquals(POLICE, text(c, "SELECT content ->> 'providerDepartmentCode' FROM entry_version "
                    + "WHERE entry_id = " + lower));
            assertEquals(POLICE, text(c, "SELECT entry ->> 'providerDepartmentCode' FROM feed_event "
                    + "WHERE entry_id = " + lower));
            // the rest of a document is kept as it was
            assertEquals("部门代码", text(c, "SELECT entry ->> 'name' FROM feed_event WHERE entry_id = " + lower));
            // the later of the two now names the first, as V12 keeps entries registered twice
            assertNull(text(c, "SELECT duplicate_of::text FROM catalog_entry WHERE id = " + first));
            assertEquals(String.valueOf(first), text(c, "SELECT duplicate_of::text FROM catalog_entry WHERE id = "
                    + second));
            assertNull(text(c, "SELECT duplicate_of::text FROM catalog_entry WHERE id = " + lower));
        }
    }

    /** A JSON document of an entry with the provider code, as a SQL literal. */
    private static String document(String code) {
        return "'{\"name\": \"部门代码\", \"providerDepartmentCode\": \"" + code + "\", \"regionCode\": \"330000\"}'::jsonb";
    }

    /** An entry as schema V13 holds it, its code in the column and in both copies as an older version stored it. */
    private static long entry(Connection c, String name, String code, String state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO catalog_entry (metadata_id, classification_code, "
                + "provider_code, region_code, name, name_key, state, draft, published, published_version, "
                + "created_by, created_at, updated_by, updated_at, registered_on) VALUES (gen_random_uuid()::text, "
                + "'101001', ?, '330000', ?, ?, ?, jsonb_build_object('name', ?::text, 'providerDepartmentCode', "
                + "?::text), jsonb_build_object('name', ?::text, 'providerDepartmentCode', ?::text), 1, "
                + "'editor-police', now(), 'editor-police', now(), current_date) RETURNING id")) {
            s.setString(1, code);
            s.setString(2, name);
            s.setString(3, name);
            s.setString(4, state);
            s.setString(5, name);
            s.setString(6, code);
            s.setString(7, name);
            s.setString(8, code);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
