package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.repository.V66__CorrectionSubjectIdentifierBackfill;
import cn.onenet.exchange.repository.V68__WebhookFollowUpBackfill;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Webhook attempts made before V67 kept one DELIVERED usage-log entry each: V68 appends the follow-ups the dispatcher
 * writes since (NOT_ACCEPTED, NOT_SENT, REPEATED), so the citizens' view shows each event once; the old entries are
 * left as they are and the chain stays whole. Run against a schema of its own migrated to V67 first, holding attempts
 * of the old shape, and checked on the service's own schema (the Java migration ran there).
 */
@QuarkusTest
class WebhookFollowUpBackfillTest extends ExchangeTestBase {

    static final String SCHEMA = "webhook_follow_up_backfill";
    static final String CODE = "330000-01-02/906861";
    static final String CONSUMER = "11330000MB00000683";
    static final String PROVIDER = "11330000MB00000684";
    static final long GRANT = 906861L;

    /** The citizens' view of one subject (UsageLogService), counted. */
    static final String SEEN = "SELECT count(*) FROM " + SCHEMA + ".usage_log u WHERE subject_hashes @> ARRAY['%s']::text[] "
            + "AND outcome = 'DELIVERED' AND NOT (operation = 'WEBHOOK' AND EXISTS (SELECT 1 FROM " + SCHEMA
            + ".usage_log later WHERE later.outcome IN ('NOT_SENT', 'NOT_ACCEPTED', 'REPEATED') "
            + "AND later.operation = 'WEBHOOK' AND later.request_id = u.request_id))";

    @Inject
    SubjectHasher hasher;

    private long seq;
    private String prev;
    private final Instant at = Instant.parse("2026-11-20T02:00:00Z");

    static Flyway flyway(String target) {
        return Flyway.configure().configuration(AuthorityRegionBackfillTest.flyway(SCHEMA, target).getConfiguration())
                .javaMigrations(new V66__CorrectionSubjectIdentifierBackfill(), new V68__WebhookFollowUpBackfill())
                .load();
    }

    /**
     * One attempt as the old dispatcher recorded it: answer (or error), whether it had a usage-log entry, the follow-up
     * it already had, and its number (numbers start again when a given-up event is resumed).
     */
    record Attempt(Integer status, String error, boolean logged, String followUpBefore, int number) {
        Attempt(Integer status, String error, boolean logged, String followUpBefore) {
            this(status, error, logged, followUpBefore, 0);
        }
    }

    @Test
    void attemptsMadeBeforeV67GetTheFollowUpsTheDispatcherWritesNow() throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
        String person = hasher.hash("330106198807070023");
        // delivery id → the follow-up V68 must append (null: the attempt stands, or was taken back already)
        Map<String, String> expected = new HashMap<>();
        try {
            flyway("67").migrate();
            try (Connection c = AuthorityRegionBackfillTest.connect()) {
                c.setSchema(SCHEMA);
                seq = 0;
                prev = "0".repeat(64);
                long subscription = subscription(c);
                // refused with 503, then timed out (sent: it stands), then accepted: the accepted one repeats it
                event(c, subscription, person, expected, new Attempt(503, "HTTP_503", true, null), "NOT_ACCEPTED",
                        new Attempt(null, "TIMEOUT", true, null), null,
                        new Attempt(200, null, true, null), "REPEATED");
                // the TLS handshake failed (nothing left), then accepted
                event(c, subscription, person, expected, new Attempt(null, "TLS_FAILED", true, null), "NOT_SENT",
                        new Attempt(200, null, true, null), null);
                // not connected and already marked NOT_SENT (V45), then accepted
                event(c, subscription, person, expected, new Attempt(null, "CONNECT_FAILED", true, "NOT_SENT"), null,
                        new Attempt(200, null, true, null), null);
                // the old stored forms: "HTTP 429" refused; a connection's own message may have been sent, so it
                // stands and the accepted one after it repeats it
                event(c, subscription, person, expected, new Attempt(429, "HTTP 429", true, null), "NOT_ACCEPTED",
                        new Attempt(null, "Connection reset by peer", true, null), null,
                        new Attempt(200, null, true, null), "REPEATED");
                // a name that did not resolve: no entry at all
                event(c, subscription, person, expected, new Attempt(null, "CONNECT_FAILED", false, null), null,
                        new Attempt(204, null, true, null), null);
                // timed out twice: the first stands
                event(c, subscription, person, expected, new Attempt(null, "timeout", true, null), null,
                        new Attempt(null, "TIMEOUT", true, null), "REPEATED");
                // refused, timed out, given up, resumed and accepted: taken in the order made, not by number
                event(c, subscription, person, expected, new Attempt(503, "HTTP_503", true, null, 1), "NOT_ACCEPTED",
                        new Attempt(null, "TIMEOUT", true, null, 2), null,
                        new Attempt(200, null, true, null, 1), "REPEATED");
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE usage_log_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
                    ps.setLong(1, seq);
                    ps.setString(2, prev);
                    ps.executeUpdate();
                }
            }
            // the old shape: every attempt but the one marked NOT_SENT is an access of its own
            assertEquals(15L, seen(person));
            List<String> before = hashes();

            flyway("68").migrate();

            // one access per event
            assertEquals(7L, seen(person));
            Map<String, String> appended = new HashMap<>();
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT request_id, outcome, client_id, grant_id, resource_code, "
                            + "consumer_department_code, provider_department_code, cardinality(subject_hashes) FROM "
                            + SCHEMA + ".usage_log WHERE seq > " + before.size() + " ORDER BY seq")) {
                while (rs.next()) {
                    appended.put(rs.getString(1), rs.getString(2));
                    assertEquals("webhook", rs.getString(3));
                    assertEquals(GRANT, rs.getLong(4));
                    assertEquals(CODE, rs.getString(5));
                    assertEquals(CONSUMER, rs.getString(6));
                    assertEquals(PROVIDER, rs.getString(7));
                    assertEquals(0, rs.getInt(8));
                }
            }
            expected.values().removeIf(v -> v == null);
            assertEquals(expected, appended);
            // the old entries are as they were, and the chain runs on through the new ones to the head
            List<String> after = hashes();
            assertEquals(before, after.subList(0, before.size()));
            assertChainWhole(after.size());
            // logged when the migration ran, not back-dated among the attempts
            assertEquals(0L, CorrectionIdentifierBackfillTest.count("SELECT count(*) FROM " + SCHEMA + ".usage_log "
                    + "WHERE seq > " + before.size() + " AND logged_at <= TIMESTAMPTZ '" + at.plusSeconds(before.size())
                    + "'"));
        } finally {
            try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
        // the service's own schema ran it too (a Java migration Quarkus found)
        assertEquals(1L, CorrectionIdentifierBackfillTest.count(
                "SELECT count(*) FROM flyway_schema_history WHERE version = '68' AND success"));
    }

    private static long subscription(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("INSERT INTO webhook_subscription "
                + "(grant_id, resource_code, consumer_department_code, url, status, registered_by) VALUES (" + GRANT
                + ", '" + CODE + "', '" + CONSUMER + "', 'https://receiver.example/hook', 'ACTIVE', 'op-1') "
                + "RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** One outbox event and its attempts, each followed by the follow-up V68 is expected to append for it. */
    private void event(Connection c, long subscription, String person, Map<String, String> expected, Object... attempts)
            throws Exception {
        long outbox;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("INSERT INTO webhook_outbox "
                + "(subscription_id, event_id, change_seq, record_key, deleted, data, status) VALUES (" + subscription
                + ", gen_random_uuid(), 1, '330106198807070023', false, NULL, 'DELIVERED') RETURNING id")) {
            rs.next();
            outbox = rs.getLong(1);
        }
        for (int i = 0; i < attempts.length; i += 2) {
            Attempt a = (Attempt) attempts[i];
            String delivery = UUID.randomUUID().toString();
            Long logSeq = null;
            if (a.logged()) {
                logSeq = log(c, delivery, List.of(person), "DELIVERED");
                if (a.followUpBefore() != null) {
                    log(c, delivery, List.of(), a.followUpBefore());
                }
                expected.put(delivery, (String) attempts[i + 1]);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO webhook_attempt (outbox_id, attempt, "
                    + "delivery_id, usage_log_seq, http_status, error) VALUES (?, ?, ?::uuid, ?, ?, ?)")) {
                ps.setLong(1, outbox);
                ps.setInt(2, a.number() > 0 ? a.number() : i / 2 + 1);
                ps.setString(3, delivery);
                ps.setObject(4, logSeq);
                ps.setObject(5, a.status());
                ps.setString(6, a.error());
                ps.executeUpdate();
            }
        }
    }

    /** An entry as the dispatcher logged it, chained after the previous one. */
    private long log(Connection c, String delivery, List<String> subjects, String outcome) throws Exception {
        LogEntry e = LogEntry.of(++seq, at.plusSeconds(seq), new LogEntry.Draft(delivery, "webhook", null, CONSUMER,
                GRANT, "社会保障待遇资格认证", "《社会保险法》第七十五条", CODE, PROVIDER, List.of("XM", "GMSFHM"), subjects,
                "WEBHOOK", outcome, null, null), prev);
        V68__WebhookFollowUpBackfill.append(c, e);
        prev = e.hash();
        return e.seq();
    }

    /** How many accesses the citizens' view shows the person (the hash is hex: safe in the statement). */
    private static long seen(String person) throws Exception {
        return CorrectionIdentifierBackfillTest.count(SEEN.formatted(person));
    }

    private static List<String> hashes() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq || ':' || entry_hash FROM " + SCHEMA
                        + ".usage_log ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Every entry's hash is its own, linked to the one before; the head names the last. */
    private static void assertChainWhole(int entries) throws Exception {
        try (Connection c = AuthorityRegionBackfillTest.connect(); Statement s = c.createStatement()) {
            String expectedPrev = "0".repeat(64);
            long expectedSeq = 1;
            // the schema stands at V68: grant_terms (V77) is not there yet
            try (ResultSet rs = s.executeQuery("SELECT " + UsageLogService.COLUMNS.replace("grant_terms",
                    "NULL AS grant_terms") + " FROM " + SCHEMA + ".usage_log ORDER BY seq")) {
                while (rs.next()) {
                    LogEntry e = UsageLogService.read(rs);
                    assertEquals(expectedSeq++, e.seq());
                    assertEquals(expectedPrev, e.prevHash(), "entry " + e.seq());
                    assertEquals(e.hash(), rs.getString("entry_hash"), "entry " + e.seq());
                    expectedPrev = e.hash();
                }
            }
            assertEquals(entries + 1, expectedSeq);
            try (ResultSet rs = s.executeQuery("SELECT last_seq, last_hash FROM " + SCHEMA + ".usage_log_head")) {
                rs.next();
                assertEquals(entries, rs.getLong(1));
                assertEquals(expectedPrev, rs.getString(2));
            }
        }
    }
}
