package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * V74 folds the keys of hosted records whose key item is 公民身份号码 or 统一社会信用代码 to upper case: a record stored
 * only under another spelling moves to the upper-case key; where both spellings were stored, the upper-case key keeps
 * the one written last; the other spellings remain as deleted records with their data. Keys of other entries, and
 * deleted records, are left alone. Run against a schema of its own migrated to V71 first.
 */
@QuarkusTest
class RecordKeyCaseMigrationTest extends ExchangeTestBase {

    static final String SCHEMA = "record_key_upper_case";
    static final String PERSONS = "330000-01-02/907401";
    static final String ENTERPRISES = "330000-01-02/907402";
    static final String PARCELS = "330000-01-02/907403";
    static final String ZHANG = "33010619850312001X";
    static final String LI = "33010619920708002X";
    static final String ENTERPRISE = "91330106MA2H00001E";

    @Test
    void keysStoredInLowerCaseAreFoldedAndOfTwoSpellingsTheNewerIsKept() throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            ObjectionRecordKeyBackfillTest.flyway(SCHEMA, "71").migrate();
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                c.setSchema(SCHEMA);
                entry(s, PERSONS, "GMSFHM", "公民身份号码");
                entry(s, ENTERPRISES, "TYSHXYDM", " 统一社会信用代码 ");
                entry(s, PARCELS, "TBBH", "图斑编号");
                // 张三 only in lower case; 李四 twice, the lower-case spelling written last; the enterprise twice,
                // the upper-case spelling written last
                record(s, PERSONS, ZHANG.toLowerCase(), "{\"GMSFHM\":\"" + ZHANG.toLowerCase() + "\",\"XM\":\"张三\"}");
                record(s, PERSONS, LI, "{\"GMSFHM\":\"" + LI + "\",\"XM\":\"李四（旧）\"}");
                record(s, PERSONS, LI.toLowerCase(), "{\"GMSFHM\":\"" + LI.toLowerCase() + "\",\"XM\":\"李四（新）\"}");
                record(s, ENTERPRISES, ENTERPRISE.toLowerCase(), "{\"TYSHXYDM\":\"" + ENTERPRISE.toLowerCase()
                        + "\",\"QYMC\":\"旧名称\"}");
                record(s, ENTERPRISES, ENTERPRISE, "{\"TYSHXYDM\":\"" + ENTERPRISE + "\",\"QYMC\":\"新名称\"}");
                record(s, PARCELS, "tb9", "{\"TBBH\":\"tb9\"}");
            }
            ObjectionRecordKeyBackfillTest.flyway(SCHEMA, "74").migrate();
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                c.setSchema(SCHEMA);
                assertEquals(List.of(
                        PERSONS + " " + ZHANG + " live {\"XM\": \"张三\", \"GMSFHM\": \"" + ZHANG + "\"}",
                        PERSONS + " " + LI + " live {\"XM\": \"李四（新）\", \"GMSFHM\": \"" + LI + "\"}",
                        PERSONS + " " + ZHANG.toLowerCase() + " deleted {\"XM\": \"张三\", \"GMSFHM\": \""
                                + ZHANG.toLowerCase() + "\"}",
                        PERSONS + " " + LI.toLowerCase() + " deleted {\"XM\": \"李四（新）\", \"GMSFHM\": \""
                                + LI.toLowerCase() + "\"}",
                        ENTERPRISES + " " + ENTERPRISE + " live {\"QYMC\": \"新名称\", \"TYSHXYDM\": \"" + ENTERPRISE
                                + "\"}",
                        ENTERPRISES + " " + ENTERPRISE.toLowerCase() + " deleted {\"QYMC\": \"旧名称\", \"TYSHXYDM\": \""
                                + ENTERPRISE.toLowerCase() + "\"}",
                        PARCELS + " tb9 live {\"TBBH\": \"tb9\"}"), rows(s));
            }
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    static void entry(Statement s, String code, String keyItem, String keyName) throws Exception {
        s.execute("INSERT INTO catalog_entry (resource_code, entry_version, name, provider_department_code, "
                + "share_attribute, key_item, items) VALUES ('" + code + "', 1, '测试', '11330000002481080G', "
                + "'UNCONDITIONAL', '" + keyItem + "', '[{\"code\":\"" + keyItem + "\",\"name\":\"" + keyName
                + "\",\"dataType\":\"C\"}]')");
    }

    static void record(Statement s, String code, String key, String data) throws Exception {
        s.execute("INSERT INTO dataset_record (resource_code, record_key, data, record_version, change_seq) VALUES ('"
                + code + "', '" + key + "', '" + data + "', 1, nextval('record_change_seq'))");
    }

    /** Every record, newest change last within its resource's live and deleted ones, its data as jsonb text. */
    static List<String> rows(Statement s) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT resource_code, record_key, deleted, data::jsonb::text "
                + "FROM dataset_record ORDER BY resource_code, deleted, change_seq")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + (rs.getBoolean(3) ? " deleted " : " live ")
                        + rs.getString(4));
            }
        }
        return out;
    }
}
