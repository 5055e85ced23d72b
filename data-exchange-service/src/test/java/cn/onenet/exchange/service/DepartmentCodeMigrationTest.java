package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.repository.V66__CorrectionSubjectIdentifierBackfill;
import cn.onenet.exchange.repository.V68__WebhookFollowUpBackfill;
import io.quarkus.test.junit.QuarkusTest;

/**
 * V69 brings department codes the exchange stored in lower case (or full-width) — copied from catalogue entries the
 * feed sent before catalog-service's V14, and into what was filed on them — to the form identity-service's register
 * keeps and tokens carry (upper case), so the provider's staff find their entries, requests, grants and cases again.
 * The usage log and the append-only histories keep what was recorded (the log is hash-chained); the usage log is found
 * under the upper-case code all the same. A department that got a seal key under each spelling keeps one active key,
 * the newest; an incident naming a party under two spellings names it once. Run against a schema of its own migrated
 * to V68 first.
 */
@QuarkusTest
class DepartmentCodeMigrationTest extends ExchangeTestBase {

    static final String SCHEMA = "department_code_upper_case";
    static final String POLICE = "11330000002481020A";
    static final String LOWER = "11330000002481020a";
    /** Full-width digits and letter: the same code once folded. */
    static final String WIDE = "１１３３００００００２４８１０２０ａ";
    static final String CONSUMER = "11330000002481060E";
    static final String CONSUMER_LOWER = "11330000002481060e";
    static final String OTHER = "11330000002481030B";
    static final String HASH = "ab".repeat(32);

    static Flyway flyway(String target) {
        return Flyway.configure().configuration(AuthorityRegionBackfillTest.flyway(SCHEMA, target).getConfiguration())
                .javaMigrations(new V66__CorrectionSubjectIdentifierBackfill(), new V68__WebhookFollowUpBackfill())
                .load();
    }

    @Test
    void departmentCodesStoredInLowerCaseAreUpperCaseAfterV69AndTheUsageLogIsFoundAsRecorded() throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        try {
            flyway("68").migrate();
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + SCHEMA);
                // the entry copies, as the feed sent them
                s.execute("INSERT INTO catalog_entry (resource_code, entry_version, name, provider_department_code, "
                        + "share_attribute) VALUES ('330000-01-02/969001', 1, '小写', '" + LOWER + "', 'CONDITIONAL'), "
                        + "('330000-01-02/969002', 1, '全角', '" + WIDE + "', 'UNCONDITIONAL'), "
                        + "('330000-01-02/969003', 1, '大写', '" + POLICE + "', 'UNCONDITIONAL')");
                long request = id(s, "INSERT INTO share_request (resource_code, provider_department_code, "
                        + "consumer_department_code, filed_by, office_head_approver, items, legal_basis, scenario, "
                        + "purpose, scope, delivery_method, period_from, period_to, attested, share_attribute, status, "
                        + "received_on) VALUES ('330000-01-02/969001', '" + LOWER + "', '" + CONSUMER_LOWER + "', 'op', "
                        + "'head', '[\"XM\"]', 'basis', 'scenario', 'purpose', 'scope', 'API', current_date, "
                        + "current_date + 30, TRUE, 'CONDITIONAL', 'PENDING', current_date) RETURNING id");
                long grant = id(s, "INSERT INTO share_grant (request_id, resource_code, provider_department_code, "
                        + "consumer_department_code, items, purpose, legal_basis, delivery_method, valid_from, valid_to, "
                        + "quota_per_second, quota_per_day, status) VALUES (" + request + ", '330000-01-02/969001', '"
                        + LOWER + "', '" + CONSUMER_LOWER + "', '[\"XM\"]', 'purpose', 'basis', 'API', current_date, "
                        + "current_date + 30, 1, 1, 'ACTIVE') RETURNING id");
                s.execute("INSERT INTO notice (department_code, kind, subject_type, subject_id, message) VALUES ('"
                        + LOWER + "', 'REQUEST_FILED', 'REQUEST', " + request + ", 'filed')");
                s.execute("INSERT INTO dispute (request_id, opened_by, consumer_department_code, "
                        + "provider_department_code, reason, level, handler_department_code, status) VALUES ("
                        + request + ", 'op', '" + CONSUMER_LOWER + "', '" + LOWER + "', 'reason', 'AUTHORITY', '"
                        + OTHER.toLowerCase() + "', 'OPEN')");
                s.execute("INSERT INTO objection (resource_code, record_key_hash, consumer_department_code, "
                        + "provider_department_code, description, status, received_on, due_on) VALUES "
                        + "('330000-01-02/969001', '" + HASH + "', '" + CONSUMER_LOWER + "', '" + WIDE + "', 'wrong', "
                        + "'OPEN', current_date, current_date + 14)");
                s.execute("INSERT INTO complaint (complainant_type, complainant_sub, subject_hash, usage_log_seq, "
                        + "accessed_at, resource_code, consumer_department_code, provider_department_code, description, "
                        + "status, received_on, due_on, created_at) VALUES ('CITIZEN', 'citizen', '" + HASH + "', 1, "
                        + "now(), '330000-01-02/969001', '" + CONSUMER_LOWER + "', '" + LOWER + "', 'why', 'OPEN', "
                        + "current_date, current_date + 14, now())");
                s.execute("INSERT INTO correction (requester_type, requester_sub, subject_hash, resource_code, item, "
                        + "correct_value, provider_department_code, region_code, status, received_on, due_on, "
                        + "created_at) VALUES ('CITIZEN', 'citizen', '" + HASH + "', '330000-01-02/969001', 'XM', '刘洋', '"
                        + LOWER + "', '330000', 'OPEN', current_date, current_date + 14, now())");
                s.execute("INSERT INTO dataset_stale_notice (resource_code, last_upload_id, provider_department_code, "
                        + "update_cycle, last_upload_at, stale_since) VALUES ('330000-01-02/969001', 969001, '" + LOWER
                        + "', 'MONTHLY', now(), now())");
                s.execute("INSERT INTO webhook_subscription (grant_id, resource_code, consumer_department_code, url, "
                        + "status, registered_by) VALUES (" + grant + ", '330000-01-02/969001', '" + CONSUMER_LOWER
                        + "', 'https://hook.example.gov.cn/', 'ACTIVE', 'op')");
                s.execute("INSERT INTO export_job (grant_id, consumer_department_code, requested_by, format, status) "
                        + "VALUES (" + grant + ", '" + CONSUMER_LOWER + "', 'op', 'CSV', 'READY')");
                s.execute("INSERT INTO covert_hiding (log_seq, hidden_until, legal_basis, requested_by, department) "
                        + "VALUES (1, current_date + 30, 'basis', 'op', '" + CONSUMER_LOWER + "')");
                // a party named under two spellings, and the reporter among them
                s.execute("INSERT INTO security_incident (incident_type, resource_code, provider_department_code, "
                        + "severity, party_departments, reporter_department_code, reporter_sub, reporter_role, "
                        + "discovered_at, description, measures_taken, status, reported_at, "
                        + "responsible_department_code) VALUES ('LEAK', '330000-01-02/969001', '" + LOWER + "', "
                        + "'GENERAL', ARRAY['" + LOWER + "', '" + CONSUMER_LOWER + "', '" + POLICE + "'], '"
                        + CONSUMER_LOWER + "', 'op', 'operator', now(), 'leak', 'measures', 'RECTIFYING', now(), '"
                        + CONSUMER_LOWER + "')");
                // seal keys: the police got one under each spelling (the upper-case one newer), another department
                // too (the lower-case one newer)
                s.execute("INSERT INTO seal_key (kid, department_code, algorithm, private_jwk, public_jwk, active, "
                        + "created_at) VALUES ('police-lower', '" + LOWER + "', 'EdDSA', '{}', '{}', TRUE, "
                        + "now() - interval '2 days'), ('police-upper', '" + POLICE + "', 'EdDSA', '{}', '{}', TRUE, "
                        + "now() - interval '1 day'), ('police-retired', '" + LOWER + "', 'EdDSA', '{}', '{}', FALSE, "
                        + "now() - interval '3 days'), ('other-upper', '" + OTHER + "', 'EdDSA', '{}', '{}', TRUE, "
                        + "now() - interval '2 days'), ('other-lower', '" + OTHER.toLowerCase() + "', 'EdDSA', '{}', "
                        + "'{}', TRUE, now() - interval '1 day')");
                // the usage log and the history, as recorded
                s.execute("INSERT INTO usage_log (seq, logged_at, consumer_department_code, resource_code, "
                        + "provider_department_code, items, subject_hashes, operation, outcome, prev_hash, entry_hash) "
                        + "VALUES (1, now(), '" + CONSUMER + "', '330000-01-02/969001', '" + LOWER + "', '[\"XM\"]', "
                        + "'{}', 'LOOKUP', 'DELIVERED', '" + "0".repeat(64) + "', '" + HASH + "')");
                s.execute("INSERT INTO state_change (object_type, object_id, action, to_status, actor_subject, "
                        + "actor_department, actor_role, automatic, decision, changed_at) VALUES ('REQUEST', " + request
                        + ", 'FILE', 'PENDING', 'op', '" + CONSUMER_LOWER + "', 'operator', FALSE, FALSE, now())");
            }

            flyway("69").migrate();

            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("SET search_path TO " + SCHEMA);
                assertEquals(List.of(POLICE), distinct(s, "SELECT provider_department_code FROM catalog_entry"));
                for (String table : List.of("share_request", "share_grant", "objection", "complaint")) {
                    assertEquals(List.of(POLICE), distinct(s, "SELECT provider_department_code FROM " + table), table);
                    assertEquals(List.of(CONSUMER), distinct(s, "SELECT consumer_department_code FROM " + table),
                            table);
                }
                assertEquals(List.of(POLICE), distinct(s, "SELECT department_code FROM notice"));
                assertEquals(List.of(POLICE + " " + CONSUMER + " " + OTHER), distinct(s, "SELECT "
                        + "provider_department_code || ' ' || consumer_department_code || ' ' || handler_department_code "
                        + "FROM dispute"));
                assertEquals(List.of(POLICE), distinct(s, "SELECT provider_department_code FROM correction"));
                assertEquals(List.of(POLICE), distinct(s, "SELECT provider_department_code FROM dataset_stale_notice"));
                assertEquals(List.of(CONSUMER), distinct(s, "SELECT consumer_department_code FROM webhook_subscription"));
                assertEquals(List.of(CONSUMER), distinct(s, "SELECT consumer_department_code FROM export_job"));
                assertEquals(List.of(CONSUMER), distinct(s, "SELECT department FROM covert_hiding"));
                // one party, named once, in the order first named
                assertEquals(List.of("{" + POLICE + "," + CONSUMER + "}|" + POLICE + "|" + CONSUMER + "|" + CONSUMER),
                        distinct(s, "SELECT party_departments::text || '|' || provider_department_code || '|' || "
                                + "reporter_department_code || '|' || responsible_department_code FROM security_incident"));
                // one active key per department, the newest; the others stay published, retired
                assertEquals(List.of("other-lower " + OTHER + " true", "other-upper " + OTHER + " false",
                        "police-lower " + POLICE + " false", "police-retired " + POLICE + " false",
                        "police-upper " + POLICE + " true"), distinct(s, "SELECT kid || ' ' || department_code || ' ' "
                                + "|| active FROM seal_key"));

                // the provider finds its entries, requests and grants under its code
                assertEquals(3, count(s, "SELECT count(*) FROM catalog_entry WHERE provider_department_code = '"
                        + POLICE + "'"));
                assertEquals(1, count(s, "SELECT count(*) FROM share_request WHERE provider_department_code = '"
                        + POLICE + "' AND status = 'PENDING'"));
                // the usage log keeps what was recorded, and is found under the upper-case code
                assertEquals(List.of(LOWER + " " + HASH), distinct(s, "SELECT provider_department_code || ' ' || "
                        + "entry_hash FROM usage_log"));
                assertEquals(1, count(s, "SELECT count(*) FROM usage_log WHERE upper(provider_department_code) = '"
                        + POLICE + "'"));
                assertTrue(indexes(s).contains("usage_log_provider_upper"));
                assertFalse(indexes(s).contains("usage_log_provider"));
                assertEquals(List.of(CONSUMER_LOWER), distinct(s, "SELECT actor_department FROM state_change"));
            }
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    private static long id(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        return id(s, sql);
    }

    /** The distinct values of the query's first column, sorted. */
    private static List<String> distinct(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT DISTINCT v FROM (" + sql + ") q(v) ORDER BY v")) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static List<String> indexes(Statement s) throws SQLException {
        List<String> names = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = '" + SCHEMA
                + "' AND tablename = 'usage_log'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
