package cn.onenet.catalog;

import static cn.onenet.catalog.support.MigrationDatabase.connect;
import static cn.onenet.catalog.support.MigrationDatabase.entry;
import static cn.onenet.catalog.support.MigrationDatabase.flyway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.EmbeddedPostgres;

/**
 * V12 gives every entry the name it is compared by (NFKC-folded, stripped, U+3000 included) and one current entry per
 * department, classification and name: entries registered twice before it are kept, each later one naming the first
 * (and staying outside the rule until renamed); a deregistered entry holds no name; a new duplicate is refused.
 */
class NameKeyMigrationTest {

    @Test
    void entriesRegisteredTwiceAreKeptAndNamedAsDuplicatesAndNoNewOneCanBeAdded() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("catalog_v12");
        flyway(url).target("11").load().migrate();
        try (Connection c = connect(url)) {
            long gone = entry(c, "户籍信息ＡＢ", "DEREGISTERED");
            long first = entry(c, "户籍信息AB", "PUBLISHED");
            long second = entry(c, "\u3000户籍信息ＡＢ\u3000", "DRAFT");
            long third = entry(c, "户籍信息AB", "RETURNED");
            long other = entry(c, "户籍信息CD", "DRAFT");

            flyway(url).load().migrate();

            assertEquals("户籍信息AB", text(c, "SELECT name_key FROM catalog_entry WHERE id = " + second));
            assertEquals("\u3000户籍信息ＡＢ\u3000", text(c, "SELECT name FROM catalog_entry WHERE id = " + second),
                    "the name itself is kept as it was typed");
            assertNull(text(c, "SELECT duplicate_of::text FROM catalog_entry WHERE id = " + gone));
            assertNull(text(c, "SELECT duplicate_of::text FROM catalog_entry WHERE id = " + first));
            assertEquals(String.valueOf(first), text(c, "SELECT duplicate_of::text FROM catalog_entry WHERE id = "
                    + second));
            assertEquals(String.valueOf(first), text(c, "SELECT duplicate_of::text FROM catalog_entry WHERE id = "
                    + third));
            assertNull(text(c, "SELECT duplicate_of::text FROM catalog_entry WHERE id = " + other));

            SQLException refused = assertThrows(SQLException.class, () -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("INSERT INTO catalog_entry (metadata_id, classification_code, provider_code, "
                            + "region_code, name, name_key, state, draft, created_by, created_at, registered_on, "
                            + "updated_by, updated_at) VALUES (gen_random_uuid()::text, '101001', '11330000002481020A', "
                            + "'330000', '户籍信息AB', '户籍信息AB', 'DRAFT', '{}'::jsonb, 'editor-police', now(), "
                            + "current_date, 'editor-police', now())");
                }
            });
            assertTrue(refused.getMessage().contains("catalog_entry_department_name"), refused.getMessage());
        }
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
