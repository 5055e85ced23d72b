package cn.onenet.catalog;

import static cn.onenet.catalog.support.MigrationDatabase.connect;
import static cn.onenet.catalog.support.MigrationDatabase.flyway;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.EmbeddedPostgres;

/**
 * V15 adds the staff's words for the items (身份证号 …) to the synonyms, V16 the documents people name (户口本 …), each
 * keeping a term an admin entered before.
 */
class StaffSynonymMigrationTest {

    @Test
    void addsTheStaffWordsAndKeepsAnAdminsOwnTerm() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("catalog_v15");
        flyway(url).target("14").load().migrate();
        try (Connection c = connect(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO search_synonym (term, expansion) VALUES ('社保卡', '社会保障卡号'), "
                        + "('医保卡', '医疗保障卡')");
            }

            flyway(url).load().migrate();

            Map<String, String> synonyms = synonyms(c);
            assertEquals("公民身份号码", synonyms.get("身份证号"));
            assertEquals("公民身份号码", synonyms.get("身份证号码"));
            assertEquals("统一社会信用代码", synonyms.get("营业执照号"));
            // the admin's own entries stay as they were
            assertEquals("社会保障卡号", synonyms.get("社保卡"));
            assertEquals("医疗保障卡", synonyms.get("医保卡"));
            assertEquals("社会保险", synonyms.get("社保"));
        }
    }

    @Test
    void addsTheDocumentsPeopleNameAndKeepsAnAdminsOwnTerm() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("catalog_v16");
        flyway(url).target("15").load().migrate();
        try (Connection c = connect(url)) {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO search_synonym (term, expansion) VALUES ('身份证', '居民身份证')");
            }

            flyway(url).load().migrate();

            Map<String, String> synonyms = synonyms(c);
            assertEquals("户籍", synonyms.get("户口本"));
            assertEquals("户籍", synonyms.get("户口簿"));
            assertEquals("婚姻登记", synonyms.get("结婚证"));
            assertEquals("婚姻登记", synonyms.get("结婚证明"));
            assertEquals("居民身份证", synonyms.get("身份证"));
            assertEquals("户籍", synonyms.get("户口"));
        }
    }

    private static Map<String, String> synonyms(Connection c) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT term, expansion FROM search_synonym")) {
            while (r.next()) {
                out.put(r.getString(1), r.getString(2));
            }
        }
        return out;
    }
}
