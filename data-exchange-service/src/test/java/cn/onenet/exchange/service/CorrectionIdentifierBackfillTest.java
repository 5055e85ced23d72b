package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.repository.V66__CorrectionSubjectIdentifierBackfill;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Correction requests filed before V61 kept only the keyed hash of the requester's number: V66 finds the number in
 * the provider's records (the request's dataset first, then the others) and stores it as a new request stores the
 * token's, 18 characters in upper case; one whose number no record holds keeps none. Run against a schema of its own
 * migrated to V60 first (the old shape), and checked on the service's own schema (the Java migration ran there).
 */
@QuarkusTest
class CorrectionIdentifierBackfillTest extends ExchangeTestBase {

    static final String SCHEMA = "correction_identifier_backfill";
    static final String DATASET = "330000-01-02/900233";
    static final String OTHER_DATASET = "330000-01-02/900234";

    @Inject
    SubjectHasher hasher;
    @Inject
    AgroalDataSource dataSource;

    static Flyway flyway(String target) {
        return Flyway.configure().configuration(AuthorityRegionBackfillTest.flyway(SCHEMA, target).getConfiguration())
                .javaMigrations(new V66__CorrectionSubjectIdentifierBackfill()).load();
    }

    @Test
    void requestsFiledBeforeV61GetTheNumberTheirRecordsHold() throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            flyway("60").migrate();
            Map<String, Long> ids = new HashMap<>();
            try (Connection c = AuthorityRegionBackfillTest.connect()) {
                // the provider's records: keyed on the ID number (one written with a lower-case x), an enterprise
                // named in a value, and another dataset holding a person whose record this one lacks
                record(c, DATASET, "330106198807070023", "{\"GMSFHM\":\"330106198807070023\",\"XM\":\"赵敏\"}");
                record(c, DATASET, "33010619880707207x", "{\"GMSFHM\":\"33010619880707207x\",\"XM\":\"钱多\"}");
                record(c, DATASET, "330106198807070031", "{\"GMSFHM\":\"330106198807070031\",\"XM\":\"孙丽\","
                        + "\"GZDW\":{\"TYSHXYDM\":\"91330106MA2B3C4D5D\"}}");
                record(c, OTHER_DATASET, "330106198807070058", "{\"XM\":\"周正\"}");
                ids.put("citizen", file(c, "CITIZEN", "330106198807070023", DATASET));
                ids.put("lowerCaseX", file(c, "CITIZEN", "33010619880707207X", DATASET));
                ids.put("enterprise", file(c, "ENTERPRISE", "91330106MA2B3C4D5D", DATASET));
                ids.put("otherDataset", file(c, "CITIZEN", "330106198807070058", DATASET));
                ids.put("twice", file(c, "CITIZEN", "330106198807070023", DATASET));
                ids.put("noRecord", file(c, "CITIZEN", "330106198807070074", DATASET));
            }
            flyway("65").migrate();
            // the old shape after V61: no request has a number
            assertEquals(6L, count("SELECT count(*) FROM " + SCHEMA + ".correction WHERE subject_identifier IS NULL"));

            flyway("66").migrate();
            Map<String, String> expected = new HashMap<>();
            expected.put("citizen", "330106198807070023");
            expected.put("lowerCaseX", "33010619880707207X");
            expected.put("enterprise", "91330106MA2B3C4D5D");
            expected.put("otherDataset", "330106198807070058");
            expected.put("twice", "330106198807070023");
            expected.put("noRecord", null);
            Map<String, String> stored = new HashMap<>();
            try (Connection c = AuthorityRegionBackfillTest.connect(); PreparedStatement ps = c.prepareStatement(
                    "SELECT subject_identifier FROM " + SCHEMA + ".correction WHERE id = ?")) {
                for (Map.Entry<String, Long> e : ids.entrySet()) {
                    ps.setLong(1, e.getValue());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        stored.put(e.getKey(), rs.getString(1));
                    }
                }
            }
            assertEquals(expected, stored);
            // as a new request keeps it: its hash is the request's
            for (Map.Entry<String, String> e : stored.entrySet()) {
                if (e.getValue() != null) {
                    assertEquals(1L, count("SELECT count(*) FROM " + SCHEMA + ".correction WHERE id = "
                            + ids.get(e.getKey()) + " AND subject_hash = '" + hasher.hash(e.getValue()) + "'"));
                }
            }
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
        // the service's own schema ran it too (a Java migration Quarkus found), and V67 after it
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank) "
                        + "FROM flyway_schema_history WHERE version IN ('66', '67')")) {
            rs.next();
            assertEquals("66:true,67:true", rs.getString(1));
        }
    }

    private static void record(Connection c, String code, String key, String data) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".dataset_record (resource_code, "
                + "record_key, data, record_version, change_seq) VALUES (?, ?, ?, 1, nextval('" + SCHEMA
                + ".record_change_seq'))")) {
            ps.setString(1, code);
            ps.setString(2, key);
            ps.setString(3, data);
            ps.executeUpdate();
        }
    }

    /** A correction request as V60 stored it: the hash of the number, never the number. */
    private long file(Connection c, String type, String number, String code) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SCHEMA + ".correction (requester_type, "
                + "requester_sub, subject_hash, resource_code, item, correct_value, provider_department_code, "
                + "region_code, status, received_on, due_on, created_at) VALUES (?, 'account-1', ?, ?, 'XM', '赵敏', "
                + "'11330000002481080G', '330000', 'OPEN', DATE '2026-12-01', DATE '2026-12-15', now()) "
                + "RETURNING id")) {
            ps.setString(1, type);
            ps.setString(2, hasher.hash(number));
            ps.setString(3, code);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
