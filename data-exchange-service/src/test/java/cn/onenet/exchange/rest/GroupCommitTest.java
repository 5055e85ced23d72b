package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.LogEntry;
import cn.onenet.exchange.service.UsageLogWriter;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Group commit of the usage log: concurrent lookups share one commit, keep one linear hash chain and each answer
 * names its own committed entry; a failed batch fails every request in it with no data; a head moved by another
 * writer (another replica) is picked up, never overwritten.
 */
@QuarkusTest
class GroupCommitTest extends ExchangeTestBase {

    static final int CONCURRENT = 16;
    static final String KEY = "33010619850312001X";

    @Inject
    AgroalDataSource dataSource;
    @Inject
    UsageLogWriter writer;
    long batchesBeforeLocking;

    @Test
    void concurrentLookupsShareOneCommitInChainOrder() throws Exception {
        List<String> ids = new ArrayList<>();
        List<Response> answers = whileHeadIsLocked(ids);
        long batches = writer.batches() - batchesBeforeLocking;
        assertTrue(batches >= 1 && batches <= 2, "16 entries queued behind one commit take at most 2 batches, took "
                + batches);

        Map<String, Long> answered = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            Response r = answers.get(i);
            r.then().statusCode(200);
            answered.put(ids.get(i), r.jsonPath().getLong("usageLogSeq"));
            assertEquals(r.jsonPath().getLong("usageLogSeq"), Long.parseLong(r.header("X-Usage-Log-Seq")));
        }
        assertEquals(CONCURRENT, new HashSet<>(answered.values()).size(), "one entry per answer");
        Map<String, Long> logged = new HashMap<>();
        List<Long> seqs = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT request_id, seq FROM usage_log "
                        + "WHERE request_id = ANY (?) ORDER BY seq")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    logged.put(rs.getString(1), rs.getLong(2));
                    seqs.add(rs.getLong(2));
                }
            }
        }
        assertEquals(answered, logged, "every answer names its committed entry");
        assertEquals(CONCURRENT - 1, seqs.get(seqs.size() - 1) - seqs.get(0), "consecutive entries");
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }

    @Test
    void aFailedBatchFailsEveryRequestInItWithNoData() throws Exception {
        List<String> ids = new ArrayList<>();
        List<Response> answers;
        try {
            // the transaction is killed at the log write
            answers = whileHeadIsLocked(ids, "CREATE FUNCTION fail_group() RETURNS trigger AS $$ BEGIN "
                    + "RAISE EXCEPTION 'log write killed'; END $$ LANGUAGE plpgsql",
                    "CREATE TRIGGER kill_group BEFORE INSERT ON usage_log FOR EACH ROW EXECUTE FUNCTION fail_group()");
        } finally {
            sql("DROP TRIGGER kill_group ON usage_log", "DROP FUNCTION fail_group()");
        }
        for (Response r : answers) {
            r.then().statusCode(503).contentType("application/problem+json");
            assertFalse(r.asString().contains("张"), "no record data");
            assertFalse(r.asString().contains("HJDZ"), "no record data");
            assertNull(r.header(DataResource.SEAL_HEADER));
        }
        long headBefore = head();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM usage_log WHERE request_id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getLong(1), "nothing of the failed batches was logged");
            }
        }
        DeliveryTest.lookup(operator(DeliveryTest.HR), FakeCatalog.POPULATION, KEY).then().statusCode(200)
                .body("usageLogSeq", equalTo((int) headBefore + 1));
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }

    @Test
    void aRequestIdOfTheLongestAcceptedLengthIsLoggedAndServed() throws Exception {
        // X-Request-Id is accepted up to 128 characters: its entry is logged with it, and fails no batch
        String id = "long-" + "a".repeat(123);
        assertEquals(128, id.length());
        given().urlEncodingEnabled(false).auth().oauth2(operator(DeliveryTest.HR)).header("X-Request-Id", id)
                .get(DeliveryTest.path(FakeCatalog.POPULATION, KEY)).then().statusCode(200)
                .header("X-Request-Id", id);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM usage_log WHERE request_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1, rs.getLong(1), "the entry keeps the request id as accepted");
            }
        }
        // one longer is not accepted: a new UUID takes its place, and the call is served as well
        given().urlEncodingEnabled(false).auth().oauth2(operator(DeliveryTest.HR)).header("X-Request-Id", id + "b")
                .get(DeliveryTest.path(FakeCatalog.POPULATION, KEY)).then().statusCode(200);
    }

    @Test
    void aHeadMovedByAnotherWriterIsChainedOnNotOverwritten() throws Exception {
        DeliveryTest.lookup(operator(DeliveryTest.HR), FakeCatalog.POPULATION, KEY).then().statusCode(200);
        // another replica appends one entry behind this one's back
        long seq = appendAsAnotherReplica(dataSource, (c, next, prev) -> {
            LogEntry e = LogEntry.of(next, Instant.now().truncatedTo(ChronoUnit.MICROS),
                    new LogEntry.Draft("other-replica-" + UUID.randomUUID(), "other", null, DeliveryTest.HR, null,
                            "其他副本", null, FakeCatalog.POPULATION, null, List.of(), List.of(), "LOOKUP",
                            "NOT_FOUND", null, null),
                    prev);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log (seq, logged_at, request_id, "
                    + "client_id, consumer_department_code, purpose, resource_code, items, subject_hashes, operation, "
                    + "outcome, prev_hash, entry_hash, entry_format) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, '[]', '{}', ?, ?, ?, ?, ?)")) {
                int i = 1;
                ps.setLong(i++, e.seq());
                ps.setTimestamp(i++, Timestamp.from(e.loggedAt()));
                ps.setString(i++, e.requestId());
                ps.setString(i++, e.clientId());
                ps.setString(i++, e.consumerDepartment());
                ps.setString(i++, e.purpose());
                ps.setString(i++, e.resourceCode());
                ps.setString(i++, e.operation());
                ps.setString(i++, e.outcome());
                ps.setString(i++, e.prevHash());
                ps.setString(i++, e.hash());
                ps.setInt(i++, e.format());
                ps.executeUpdate();
            }
            return e.hash();
        });
        DeliveryTest.lookup(operator(DeliveryTest.HR), FakeCatalog.POPULATION, KEY).then().statusCode(200)
                .body("usageLogSeq", equalTo((int) seq + 1));
        given().auth().oauth2(auditor()).get("/api/exchange/v1/usage-log/verify").then().statusCode(200)
                .body("valid", equalTo(true));
    }

    /** Inserts one usage-log row chained on {@code prev} as entry {@code seq}; its entry hash. */
    interface ForeignEntry {
        String insert(Connection c, long seq, String prev) throws Exception;
    }

    /**
     * Appends one entry as another writer (another replica, or this service's earlier version) would: the chain head
     * locked, the row inserted, the head moved to it, in one transaction. Its seq.
     */
    static long appendAsAnotherReplica(AgroalDataSource dataSource, ForeignEntry entry) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long seq;
            String prev;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT last_seq, last_hash FROM usage_log_head FOR UPDATE")) {
                rs.next();
                seq = rs.getLong(1) + 1;
                prev = rs.getString(2);
            }
            String hash = entry.insert(c, seq, prev);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE usage_log_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
                ps.setLong(1, seq);
                ps.setString(2, hash);
                ps.executeUpdate();
            }
            c.commit();
            return seq;
        }
    }

    /**
     * Warms up, runs the given SQL, then holds the chain head's row lock (as a slow commit would) while CONCURRENT
     * lookups arrive, waits until all of them wait for the log, then lets go: they are written in at most two batches.
     */
    private List<Response> whileHeadIsLocked(List<String> ids, String... beforeLocking) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT);
        String warmToken = operator(DeliveryTest.HR);
        List<Future<Response>> warm = new ArrayList<>();
        for (int i = 0; i < CONCURRENT; i++) { // threads, connections and code paths ready before the clock runs
            warm.add(pool.submit(() -> DeliveryTest.lookup(warmToken, FakeCatalog.POPULATION, KEY)));
        }
        for (Future<Response> f : warm) {
            f.get(30, TimeUnit.SECONDS).then().statusCode(200);
        }
        Thread.sleep(1000); // a fresh second of the grant's quota
        sql(beforeLocking);
        batchesBeforeLocking = writer.batches();
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.executeQuery("SELECT 1 FROM usage_log_head WHERE id = 1 FOR UPDATE").close();
            }
            List<Future<Response>> futures = new ArrayList<>();
            String token = operator(DeliveryTest.HR);
            for (int i = 0; i < CONCURRENT; i++) {
                String id = "group-" + UUID.randomUUID();
                ids.add(id);
                futures.add(pool.submit(() -> given().urlEncodingEnabled(false).auth().oauth2(token)
                        .header("X-Request-Id", id).get(DeliveryTest.path(FakeCatalog.POPULATION, KEY))));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
            while (writer.waiting() < CONCURRENT && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (writer.waiting() != CONCURRENT) {
                List<String> done = new ArrayList<>();
                for (Future<Response> f : futures) {
                    done.add(f.isDone() ? f.get().statusLine() + " " + f.get().asString() : "running");
                }
                assertEquals(CONCURRENT, writer.waiting(), "every lookup waits for its entry's commit: " + done);
            }
            lock.rollback();
            List<Response> out = new ArrayList<>();
            for (Future<Response> f : futures) {
                out.add(f.get(20, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private long head() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT last_seq FROM usage_log_head")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }
}
