package cn.onenet.exchange.service;

import static cn.onenet.exchange.service.RecordKeyCaseMigrationTest.entry;
import static cn.onenet.exchange.service.RecordKeyCaseMigrationTest.record;
import static cn.onenet.exchange.service.RecordKeyCaseMigrationTest.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.repository.V66__CorrectionSubjectIdentifierBackfill;
import cn.onenet.exchange.repository.V68__WebhookFollowUpBackfill;
import cn.onenet.exchange.repository.V71__ObjectionRecordKeyAndOutcome;
import cn.onenet.exchange.repository.V76__IdentifierKeysFoldedAndCaseNames;
import io.quarkus.test.junit.QuarkusTest;

/**
 * V76 folds the keys of hosted records whose key item is 公民身份号码 or 统一社会信用代码 stored in full-width characters
 * or with format characters (zero-width space, word joiner, byte-order mark) to the spelling uploads and lookups use,
 * deciding between two spellings of one key as V74 did (the one written last is kept, the others remain as deleted
 * records); objections get the standard key and its hash, export files the hashes of the standard keys. Keys of other
 * entries and deleted records are left alone. Run against a schema of its own migrated to V75 first
 * ({@code FullWidthKeyTest} looks a folded record up).
 */
@QuarkusTest
class IdentifierKeyMigrationTest extends ExchangeTestBase {

    static final String SCHEMA = "identifier_keys_folded";
    static final String PERSONS = "330000-01-02/907601";
    static final String ENTERPRISES = "330000-01-02/907602";
    static final String PARCELS = "330000-01-02/907603";
    static final String ZHANG = "33010619850312001X";
    static final String LI = "33010619920708002X";
    static final String WANG = "330282196509230044";
    static final String ENTERPRISE = "91330106MA2H00001E";

    /** {@code text} in full-width digits and letters (U+FF10…, U+FF21…, U+FF41…), as a Chinese input method types it. */
    static String fullWidth(String text) {
        StringBuilder b = new StringBuilder();
        text.chars().forEach(ch -> b.append(ch >= '!' && ch <= '~' ? (char) (ch - '!' + 0xFF01) : (char) ch));
        return b.toString();
    }

    static Flyway flyway(String target) {
        return Flyway.configure().configuration(AuthorityRegionBackfillTest.flyway(SCHEMA, target).getConfiguration())
                .javaMigrations(new V66__CorrectionSubjectIdentifierBackfill(), new V68__WebhookFollowUpBackfill(),
                        new V71__ObjectionRecordKeyAndOutcome(), new V76__IdentifierKeysFoldedAndCaseNames())
                .load();
    }

    @Test
    void keysStoredInAnotherSpellingAreFoldedAndOfTwoSpellingsTheNewerIsKept() throws Exception {
        SubjectHasher hasher = new SubjectHasher(
                ConfigProvider.getConfig().getValue("exchange.subject-hash-key", String.class));
        String zhangWide = fullWidth(ZHANG);
        String liZeroWidth = LI.substring(0, 6) + "\u200B" + LI.substring(6);
        String wangJoined = "\uFEFF" + WANG.substring(0, 9) + "\u2060" + WANG.substring(9);
        String enterpriseWide = fullWidth(ENTERPRISE.toLowerCase());
        String goneWide = fullWidth("33010619900101003X");
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            flyway("75").migrate();
            long objectionWithKey;
            long objectionWithHashOnly;
            long export;
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                c.setSchema(SCHEMA);
                entry(s, PERSONS, "GMSFHM", "公民身份号码");
                entry(s, ENTERPRISES, "TYSHXYDM", "统一社会信用代码");
                entry(s, PARCELS, "TBBH", "图斑编号");
                // 张三 only in full-width characters; 李四 twice, the zero-width spelling written last; 王五 twice, the
                // standard spelling written last; the enterprise in full-width lower case; a deleted record
                record(s, PERSONS, zhangWide, "{\"GMSFHM\":\"" + zhangWide + "\",\"XM\":\"张三\"}");
                record(s, PERSONS, LI, "{\"GMSFHM\":\"" + LI + "\",\"XM\":\"李四（旧）\"}");
                record(s, PERSONS, liZeroWidth, "{\"GMSFHM\":\"" + liZeroWidth + "\",\"XM\":\"李四（新）\"}");
                record(s, PERSONS, wangJoined, "{\"GMSFHM\":\"" + wangJoined + "\",\"XM\":\"王五（旧）\"}");
                record(s, PERSONS, WANG, "{\"GMSFHM\":\"" + WANG + "\",\"XM\":\"王五（新）\"}");
                record(s, PERSONS, goneWide, "{\"GMSFHM\":\"" + goneWide + "\",\"XM\":\"赵六\"}");
                s.execute("UPDATE dataset_record SET deleted = TRUE WHERE record_key = '" + goneWide + "'");
                record(s, ENTERPRISES, enterpriseWide, "{\"TYSHXYDM\":\"" + enterpriseWide + "\",\"QYMC\":\"某公司\"}");
                record(s, PARCELS, "ＴＢ９", "{\"TBBH\":\"ＴＢ９\"}");
                // an objection naming the full-width key with the hash it was given then; one that kept only the
                // hash of the zero-width spelling (filed before V71, on a record V71 could not find then)
                objectionWithKey = objection(c, PERSONS, zhangWide, hasher.hashAsGiven(zhangWide));
                objectionWithHashOnly = objection(c, PERSONS, null, hasher.hashAsGiven(liZeroWidth));
                // an export file written from the full-width record, its part holding the hash the key was given
                try (ResultSet rs = s.executeQuery("INSERT INTO export_job (grant_id, consumer_department_code, "
                        + "requested_by, format, status) VALUES (1, '11330000002481060E', 'op', 'CSV', 'READY') "
                        + "RETURNING id")) {
                    rs.next();
                    export = rs.getLong(1);
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO export_part (export_id, part, "
                        + "record_count, content, subject_hashes) VALUES (?, 0, 2, '\\x00', ?)")) {
                    ps.setLong(1, export);
                    ps.setArray(2, c.createArrayOf("text", new String[] { hasher.hashAsGiven(zhangWide),
                            hasher.hash(ZHANG), hasher.hash(WANG) }));
                    ps.executeUpdate();
                }
            }
            flyway("76").migrate();
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                c.setSchema(SCHEMA);
                assertEquals(List.of(
                        PERSONS + " " + WANG + " live {\"XM\": \"王五（新）\", \"GMSFHM\": \"" + WANG + "\"}",
                        PERSONS + " " + ZHANG + " live {\"XM\": \"张三\", \"GMSFHM\": \"" + ZHANG + "\"}",
                        PERSONS + " " + LI + " live {\"XM\": \"李四（新）\", \"GMSFHM\": \"" + LI + "\"}",
                        PERSONS + " " + goneWide + " deleted {\"XM\": \"赵六\", \"GMSFHM\": \"" + goneWide + "\"}",
                        PERSONS + " " + zhangWide + " deleted {\"XM\": \"张三\", \"GMSFHM\": \"" + zhangWide + "\"}",
                        PERSONS + " " + liZeroWidth + " deleted {\"XM\": \"李四（新）\", \"GMSFHM\": \"" + liZeroWidth
                                + "\"}",
                        PERSONS + " " + wangJoined + " deleted {\"XM\": \"王五（旧）\", \"GMSFHM\": \"" + wangJoined
                                + "\"}",
                        ENTERPRISES + " " + ENTERPRISE + " live {\"QYMC\": \"某公司\", \"TYSHXYDM\": \"" + ENTERPRISE
                                + "\"}",
                        ENTERPRISES + " " + enterpriseWide + " deleted {\"QYMC\": \"某公司\", \"TYSHXYDM\": \""
                                + enterpriseWide + "\"}",
                        PARCELS + " ＴＢ９ live {\"TBBH\": \"ＴＢ９\"}"), rows(s));
                assertEquals(List.of(ZHANG, hasher.hash(ZHANG)), objection(c, objectionWithKey));
                assertEquals(List.of(LI, hasher.hash(LI)), objection(c, objectionWithHashOnly));
                try (ResultSet rs = s.executeQuery("SELECT subject_hashes FROM export_part WHERE export_id = "
                        + export)) {
                    rs.next();
                    assertEquals(List.of(hasher.hash(ZHANG), hasher.hash(WANG)),
                            Arrays.asList((Object[]) rs.getArray(1).getArray()));
                }
                // complaints, incidents and corrections filed before keep no names
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.columns WHERE "
                        + "table_schema = '" + SCHEMA + "' AND column_name IN ('resource_name', 'item_name') AND "
                        + "table_name IN ('complaint', 'security_incident', 'correction')")) {
                    rs.next();
                    assertEquals(4, rs.getInt(1));
                }
            }
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private static long objection(Connection c, String code, String key, String hash) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO objection (resource_code, record_key, "
                + "record_key_hash, consumer_department_code, provider_department_code, description, status, "
                + "received_on, due_on) VALUES (?, ?, ?, '11330000002481060E', '11330000002481020A', '姓名有误', "
                + "'OPEN', DATE '2026-11-02', DATE '2026-11-16') RETURNING id")) {
            ps.setString(1, code);
            ps.setString(2, key);
            ps.setString(3, hash);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The objection's record key and its hash. */
    private static List<String> objection(Connection c, long id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT record_key, record_key_hash FROM objection WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Arrays.asList(rs.getString(1), rs.getString(2));
            }
        }
    }
}
