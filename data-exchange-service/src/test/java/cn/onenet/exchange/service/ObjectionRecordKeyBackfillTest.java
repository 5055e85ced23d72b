package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.repository.V66__CorrectionSubjectIdentifierBackfill;
import cn.onenet.exchange.repository.V68__WebhookFollowUpBackfill;
import cn.onenet.exchange.repository.V71__ObjectionRecordKeyAndOutcome;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Objections filed before V71 kept only the keyed hash of their record key: V71 gives them the key where a hosted
 * record of their dataset has it, and leaves the others without one. Run against a schema of its own migrated to V68
 * first.
 */
@QuarkusTest
class ObjectionRecordKeyBackfillTest extends ExchangeTestBase {

    static final String SCHEMA = "objection_record_key_backfill";
    static final String HOSTED = "330000-01-02/906881";
    static final String PROXIED = "330000-01-02/906882";
    static final String ZHANG = "33010619850312001X";
    static final String GONE = "33010619920708002X";

    @Inject
    SubjectHasher hasher;

    static Flyway flyway(String target) {
        return flyway(SCHEMA, target);
    }

    /** Flyway with the Java migrations up to V71 on a schema of its own, migrated up to {@code target}. */
    static Flyway flyway(String schema, String target) {
        return Flyway.configure().configuration(AuthorityRegionBackfillTest.flyway(schema, target).getConfiguration())
                .javaMigrations(new V66__CorrectionSubjectIdentifierBackfill(), new V68__WebhookFollowUpBackfill(),
                        new V71__ObjectionRecordKeyAndOutcome())
                .load();
    }

    @Test
    void objectionsFiledBeforeGetTheirKeyFromTheHostedRecordsAndNothingIsGuessed() throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            flyway("68").migrate();
            long onRecord;
            long onDeleted;
            long noRecord;
            long elsewhere;
            try (Connection c = AuthorityRegionBackfillTest.connect()) {
                c.setSchema(SCHEMA);
                hostedRecord(c, ZHANG, false);
                hostedRecord(c, GONE, true);
                onRecord = objection(c, HOSTED, ZHANG);
                onDeleted = objection(c, HOSTED, GONE);
                noRecord = objection(c, HOSTED, "330106199901019999");
                // the same person's record in another dataset is not this objection's record
                elsewhere = objection(c, PROXIED, ZHANG);
            }
            flyway("71").migrate();
            try (Connection c = AuthorityRegionBackfillTest.connect()) {
                c.setSchema(SCHEMA);
                assertEquals(ZHANG, key(c, onRecord));
                assertEquals(GONE, key(c, onDeleted));
                assertNull(key(c, noRecord));
                assertNull(key(c, elsewhere));
            }
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private static void hostedRecord(Connection c, String key, boolean deleted) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dataset_record (resource_code, record_key, data, "
                + "record_version, change_seq, deleted) VALUES (?, ?, '{}', 1, 1, ?)")) {
            ps.setString(1, HOSTED);
            ps.setString(2, key);
            ps.setBoolean(3, deleted);
            ps.executeUpdate();
        }
    }

    private long objection(Connection c, String code, String key) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO objection (resource_code, record_key_hash, "
                + "consumer_department_code, provider_department_code, description, status, received_on, due_on) "
                + "VALUES (?, ?, '11330000002481060E', '11330000002481020A', '姓名有误', 'OPEN', DATE '2026-11-02', "
                + "DATE '2026-11-16') RETURNING id")) {
            ps.setString(1, code);
            ps.setString(2, hasher.hash(key));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String key(Connection c, long id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("SELECT record_key FROM objection WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
