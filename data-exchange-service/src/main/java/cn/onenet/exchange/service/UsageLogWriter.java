package cn.onenet.exchange.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.config.ExchangeConfig;
import io.agroal.api.AgroalDataSource;

/**
 * Group commit of usage-log entries: one writer thread takes every entry waiting, chains them (seq, previous hash)
 * in arrival order and commits them as one transaction; callers block until the batch holding their entry is
 * committed, so no data leaves before its entry is durable, yet one commit serves many concurrent requests. A
 * failed batch fails every caller in it (they answer 503, no data). The batch moves the chain head row only if it
 * is still where this writer left it, so the chain stays linear even with several replicas.
 */
@ApplicationScoped
public class UsageLogWriter {

    private static final Logger LOG = Logger.getLogger(UsageLogWriter.class);
    private static final int MAX_BATCH = 512;
    private static final int MAX_ATTEMPTS = 3;

    private record Pending(LogEntry.Draft draft, CompletableFuture<LogEntry> done) {
    }

    private final AgroalDataSource dataSource;
    private final DeliveryDeadlines deliveries;
    private final long gatherNanos;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(20_000);
    private volatile Thread worker;
    private volatile boolean running = true;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicInteger waiting = new AtomicInteger();
    // The chain head as this writer last committed it (writer thread only); -1 = read it from the database.
    private long headSeq = -1;
    private String headHash;

    public UsageLogWriter(AgroalDataSource dataSource, ExchangeConfig config, DeliveryDeadlines deliveries) {
        this.dataSource = dataSource;
        this.deliveries = deliveries;
        this.gatherNanos = config.usageLogGatherWindow().toNanos();
    }

    /** Appends and waits for the commit; throws a 503 problem if the entry could not be made durable. */
    public LogEntry append(LogEntry.Draft draft) {
        ensureStarted();
        Pending p = new Pending(draft, new CompletableFuture<>());
        waiting.incrementAndGet();
        try {
            if (!queue.offer(p, 2, TimeUnit.SECONDS)) {
                throw unavailable();
            }
            LogEntry entry = p.done().get(10, TimeUnit.SECONDS);
            firstDelivery(draft, entry);
            return entry;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable();
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * The grant's first delivery (R10) is recorded once the entry is durable; a failure only leaves it for later. Not
     * for a webhook delivery: its entry is written before connecting, and it is a delivery only once its request left
     * ({@link WebhookDispatcher} records it then).
     */
    private void firstDelivery(LogEntry.Draft draft, LogEntry entry) {
        if (WebhookDispatcher.OPERATION.equals(draft.operation())) {
            return;
        }
        try {
            deliveries.delivered(draft.grantId(), draft.outcome(), entry.loggedAt());
        } catch (RuntimeException e) {
            LOG.warnf(e, "First delivery of grant %s not recorded, left for its next delivery", draft.grantId());
        }
    }

    private static ApiException unavailable() {
        return new ApiException(ProblemType.UNAVAILABLE,
                "使用记录无法写入，数据未发送 / the usage log could not be written, no data was sent",
                List.of(), java.util.Map.of(), java.util.Map.of("Retry-After", "1"));
    }

    private synchronized void ensureStarted() {
        if (worker == null) {
            Thread t = new Thread(this::run, "usage-log-writer");
            t.setDaemon(true);
            t.start();
            worker = t;
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        int previous = 0;
        while (running) {
            try {
                Pending first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    previous = 0;
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (previous > 1) {
                    gather(batch);
                }
                previous = batch.size();
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // entries already taken from the queue (stopped while gathering) are answered at once, not left to
                // their callers' timeout
                for (Pending p : batch) {
                    p.done().completeExceptionally(new IllegalStateException("shutting down"));
                }
                break;
            } catch (RuntimeException e) {
                LOG.error("usage-log writer failure", e);
            } finally {
                batch.clear();
            }
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new IllegalStateException("shutting down"));
        }
    }

    /**
     * Commit-delay in the spirit of PostgreSQL's commit_delay: while requests keep arriving, a commit (its WAL flush,
     * round trip and head update cost far more than one more row) waits a moment to carry more entries. A lone
     * caller never waits: the window opens only when the previous batch was shared. The writer sleeps through the
     * window and then takes what arrived, instead of waiting on the queue, which would wake it for every entry.
     */
    private void gather(List<Pending> batch) throws InterruptedException {
        long deadline = System.nanoTime() + gatherNanos;
        for (long left = gatherNanos; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        queue.drainTo(batch, MAX_BATCH - batch.size());
    }

    /**
     * One batch, one statement, one transaction (autocommit): the conditional update of the chain head (it must
     * still be where this writer left it, so a concurrent writer elsewhere is never overwritten), the entries and
     * any covert-hiding records. One round trip and one WAL flush per batch. If another replica moved the head,
     * nothing is written and the batch is chained again from the head read back.
     */
    private void write(List<Pending> batch) {
        List<LogEntry> written = null;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            for (int attempt = 0; written == null; attempt++) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new IllegalStateException("the usage-log head kept moving");
                }
                if (headSeq < 0) {
                    readHead(c);
                }
                Chained chained = chain(batch, headSeq, headHash);
                if (append(c, batch, chained)) {
                    written = chained.entries();
                    headSeq = written.get(written.size() - 1).seq();
                    headHash = chained.hashes().get(written.size() - 1);
                } else {
                    headSeq = -1;
                }
            }
        } catch (SQLException | RuntimeException e) {
            headSeq = -1;
            LOG.errorf("usage-log batch of %d not written: %s", batch.size(), e.getMessage());
            for (Pending p : batch) {
                p.done().completeExceptionally(e);
            }
            return;
        }
        batches.incrementAndGet();
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(written.get(i));
        }
    }

    private void readHead(Connection c) throws SQLException {
        try (PreparedStatement head = c.prepareStatement("SELECT last_seq, last_hash FROM usage_log_head WHERE id = 1");
                ResultSet rs = head.executeQuery()) {
            rs.next();
            headSeq = rs.getLong(1);
            headHash = rs.getString(2);
        }
    }

    /** The batch's entries, each linked to the previous one's hash; the hashes are kept for the insert. */
    private record Chained(List<LogEntry> entries, List<String> hashes) {
    }

    private static Chained chain(List<Pending> batch, long seq, String prev) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<LogEntry> out = new ArrayList<>(batch.size());
        List<String> hashes = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            LogEntry e = LogEntry.of(++seq, at, p.draft(), prev);
            prev = e.hash();
            out.add(e);
            hashes.add(prev);
        }
        return new Chained(out, hashes);
    }

    private static final String APPEND = "WITH h AS (UPDATE usage_log_head SET last_seq = ?, last_hash = ? "
            + "WHERE id = 1 AND last_seq = ? AND last_hash = ? RETURNING 1), "
            + "r AS (SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
            + "?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
            + "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[]) AS r(seq, "
            + "logged_at, request_id, client_id, user_sub, consumer, grant_id, purpose, legal_basis, resource_code, "
            + "provider, items, subjects, operation, outcome, hidden_until, hidden_basis, prev_hash, entry_hash, salt, "
            + "commitment, entry_format, reason, grant_terms)), "
            + "ins AS (INSERT INTO usage_log (seq, logged_at, request_id, client_id, user_sub, "
            + "consumer_department_code, grant_id, purpose, legal_basis, resource_code, provider_department_code, "
            + "items, subject_hashes, operation, outcome, hidden_until, prev_hash, entry_hash, hidden_until_salt, "
            + "hidden_until_commitment, entry_format, reason, grant_terms) "
            + "SELECT r.seq, r.logged_at::timestamptz, r.request_id, r.client_id, r.user_sub, r.consumer, r.grant_id, "
            + "r.purpose, r.legal_basis, r.resource_code, r.provider, r.items, "
            + "string_to_array(r.subjects, ','), r.operation, r.outcome, "
            + "r.hidden_until::date, r.prev_hash, r.entry_hash, decode(r.salt, 'hex'), r.commitment, "
            + "r.entry_format::smallint, r.reason, r.grant_terms FROM r, h RETURNING 1), "
            + "hid AS (INSERT INTO covert_hiding (log_seq, hidden_until, legal_basis, requested_by, department) "
            + "SELECT r.seq, r.hidden_until::date, r.hidden_basis, r.user_sub, r.consumer FROM r, h "
            + "WHERE r.hidden_until IS NOT NULL) "
            + "SELECT count(*) FROM ins";

    /** Writes the chained entries if the head is still where they start; false if it moved. */
    private static boolean append(Connection c, List<Pending> batch, Chained chained) throws SQLException {
        List<LogEntry> entries = chained.entries();
        int n = entries.size();
        Object[][] cols = new Object[24][n];
        for (int k = 0; k < n; k++) {
            LogEntry e = entries.get(k);
            // subject hashes are hex, so a comma separates them safely (string_to_array in the statement)
            Object[] row = { e.seq(), e.loggedAt().toString(), e.requestId(), e.clientId(), e.userSub(),
                    e.consumerDepartment(), e.grantId(), e.purpose(), e.legalBasis(), e.resourceCode(),
                    e.providerDepartment(), Json.write(e.items()), String.join(",", e.subjectHashes()), e.operation(),
                    e.outcome(), e.hiddenUntil() == null ? null : e.hiddenUntil().toString(),
                    batch.get(k).draft().hiddenLegalBasis(), e.prevHash(), chained.hashes().get(k),
                    e.hiddenUntilSalt(), e.hiddenUntilCommitment(), (long) e.format(), e.reason(), e.terms() };
            for (int col = 0; col < row.length; col++) {
                cols[col][k] = row[col];
            }
        }
        LogEntry first = entries.get(0);
        LogEntry last = entries.get(n - 1);
        try (PreparedStatement ps = c.prepareStatement(APPEND)) {
            int i = 1;
            ps.setLong(i++, last.seq());
            ps.setString(i++, chained.hashes().get(n - 1));
            ps.setLong(i++, first.seq() - 1);
            ps.setString(i++, first.prevHash());
            for (int col = 0; col < cols.length; col++) {
                boolean bigint = col == 0 || col == 6 || col == 21;
                Object[] values = bigint ? java.util.Arrays.copyOf(cols[col], n, Long[].class)
                        : java.util.Arrays.copyOf(cols[col], n, String[].class);
                ps.setArray(i++, c.createArrayOf(bigint ? "bigint" : "text", values));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long inserted = rs.getLong(1);
                if (inserted != 0 && inserted != n) {
                    throw new IllegalStateException("usage-log batch partly written: " + inserted + " of " + n);
                }
                return inserted == n;
            }
        }
    }

    /** Callers waiting for their entry to be committed (tests use it to line up concurrent requests). */
    public int waiting() {
        return waiting.get();
    }

    /** Batches committed since start. */
    public long batches() {
        return batches.get();
    }
}
