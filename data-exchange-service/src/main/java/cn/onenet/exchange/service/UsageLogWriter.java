package cn.onenet.exchange.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import io.agroal.api.AgroalDataSource;

/**
 * Writes usage-log entries in batches: callers block until the batch holding their entry is committed, so no data
 * leaves before its entry is durable, yet one commit serves many concurrent requests. Each batch locks the chain
 * head row, so the hash chain stays linear even with several replicas.
 */
@ApplicationScoped
public class UsageLogWriter {

    private static final Logger LOG = Logger.getLogger(UsageLogWriter.class);
    private static final int MAX_BATCH = 512;

    private record Pending(LogEntry.Draft draft, CompletableFuture<LogEntry> done) {
    }

    private final AgroalDataSource dataSource;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(20_000);
    private volatile Thread worker;
    private volatile boolean running = true;

    public UsageLogWriter(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Appends and waits for the commit; throws a 503 problem if the entry could not be made durable. */
    public LogEntry append(LogEntry.Draft draft) {
        ensureStarted();
        Pending p = new Pending(draft, new CompletableFuture<>());
        try {
            if (!queue.offer(p, 2, TimeUnit.SECONDS)) {
                throw unavailable();
            }
            return p.done().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable();
        } catch (ExecutionException | TimeoutException e) {
            throw unavailable();
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
        while (running) {
            try {
                Pending first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
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

    private void write(List<Pending> batch) {
        List<LogEntry> written = new ArrayList<>(batch.size());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long seq;
                String prev;
                try (PreparedStatement head = c.prepareStatement(
                        "SELECT last_seq, last_hash FROM usage_log_head WHERE id = 1 FOR UPDATE");
                        ResultSet rs = head.executeQuery()) {
                    rs.next();
                    seq = rs.getLong(1);
                    prev = rs.getString(2);
                }
                Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO usage_log (seq, logged_at, request_id, "
                        + "client_id, user_sub, consumer_department_code, grant_id, purpose, legal_basis, resource_code, "
                        + "provider_department_code, items, subject_hashes, operation, outcome, hidden_until, prev_hash, "
                        + "entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                        PreparedStatement hide = c.prepareStatement("INSERT INTO covert_hiding (log_seq, hidden_until, "
                                + "legal_basis, requested_by, department) VALUES (?, ?, ?, ?, ?)")) {
                    boolean anyHidden = false;
                    for (Pending p : batch) {
                        LogEntry e = LogEntry.of(++seq, at, p.draft(), prev);
                        String hash = e.hash();
                        int i = 1;
                        ins.setLong(i++, e.seq());
                        ins.setTimestamp(i++, Timestamp.from(e.loggedAt()));
                        ins.setString(i++, e.requestId());
                        ins.setString(i++, e.clientId());
                        ins.setString(i++, e.userSub());
                        ins.setString(i++, e.consumerDepartment());
                        ins.setObject(i++, e.grantId());
                        ins.setString(i++, e.purpose());
                        ins.setString(i++, e.legalBasis());
                        ins.setString(i++, e.resourceCode());
                        ins.setString(i++, e.providerDepartment());
                        ins.setString(i++, Json.write(e.items()));
                        ins.setArray(i++, c.createArrayOf("text", e.subjectHashes().toArray()));
                        ins.setString(i++, e.operation());
                        ins.setString(i++, e.outcome());
                        ins.setObject(i++, e.hiddenUntil());
                        ins.setString(i++, e.prevHash());
                        ins.setString(i++, hash);
                        ins.addBatch();
                        if (e.hiddenUntil() != null) {
                            anyHidden = true;
                            hide.setLong(1, e.seq());
                            hide.setObject(2, e.hiddenUntil());
                            hide.setString(3, p.draft().hiddenLegalBasis());
                            hide.setString(4, e.userSub());
                            hide.setString(5, e.consumerDepartment());
                            hide.addBatch();
                        }
                        written.add(e);
                        prev = hash;
                    }
                    ins.executeBatch();
                    if (anyHidden) {
                        hide.executeBatch();
                    }
                }
                try (PreparedStatement upd = c.prepareStatement(
                        "UPDATE usage_log_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
                    upd.setLong(1, seq);
                    upd.setString(2, prev);
                    upd.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is going away anyway
                }
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.errorf("usage-log batch of %d not written: %s", batch.size(), e.getMessage());
            for (Pending p : batch) {
                p.done().completeExceptionally(e);
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(written.get(i));
        }
    }
}
