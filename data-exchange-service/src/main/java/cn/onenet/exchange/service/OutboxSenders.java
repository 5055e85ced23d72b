package cn.onenet.exchange.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;

/**
 * The sender threads of an outbox drained per destination, strictly in order (webhook subscriptions, the usage log's
 * witnesses). One destination is sent by one thread of one replica at a time: a lease on the destination's row
 * ({@code lease_until}, {@code lease_holder}, taken only while its {@code status} is ACTIVE) names its holder; only the
 * holder renews it (after each item) and gives it back, and a sender whose lease ran out and was taken over stops
 * after the item in hand.
 */
final class OutboxSenders<K> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxSenders.class);

    private final AgroalDataSource dataSource;
    /** The destinations' table and key column: constants of the callers, never input. */
    private final String table;
    private final String keyColumn;
    private final Set<K> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService senders;

    OutboxSenders(AgroalDataSource dataSource, String table, String keyColumn, String threadName, int threads) {
        this.dataSource = dataSource;
        this.table = table;
        this.keyColumn = keyColumn;
        this.senders = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Hands each due destination not already being sent here to a sender thread, which under the lease calls
     * {@code step} (send the oldest item; true when the next may follow at once) up to {@code batch} times.
     */
    void dispatch(List<K> due, int batch, long leaseMillis, Predicate<K> step) {
        for (K key : due) {
            if (inFlight.add(key)) {
                senders.execute(() -> {
                    try {
                        process(key, batch, leaseMillis, step);
                    } catch (RuntimeException e) {
                        LOG.errorf("%s %s: %s", table, key, e.toString());
                    } finally {
                        inFlight.remove(key);
                    }
                });
            }
        }
    }

    /** Whether this replica is sending to the destination now. */
    boolean sending(K key) {
        return inFlight.contains(key);
    }

    private void process(K key, int batch, long leaseMillis, Predicate<K> step) {
        String holder = UUID.randomUUID().toString();
        if (!lease(key, holder, leaseMillis, false)) {
            return;
        }
        try {
            for (int i = 0; i < batch; i++) {
                // the lease renewed after each item: once it was lost (it ran out while this sender stalled and
                // another took it), nothing more is sent from here
                if (!step.test(key) || !lease(key, holder, leaseMillis, true)) {
                    return;
                }
            }
        } finally {
            release(key, holder);
        }
    }

    /** Takes for {@code holder} (or, with {@code renew}, renews while it still holds it) the destination's lease. */
    private boolean lease(K key, String holder, long millis, boolean renew) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE " + table + " SET lease_until = now() + ? * interval '1 millisecond', lease_holder = ? "
                        + "WHERE " + keyColumn + " = ? AND status = 'ACTIVE'"
                        + (renew ? " AND lease_holder = ?" : " AND (lease_until IS NULL OR lease_until < now())"))) {
            ps.setLong(1, millis);
            ps.setString(2, holder);
            ps.setObject(3, key);
            if (renew) {
                ps.setString(4, holder);
            }
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Gives the lease back, if {@code holder} still holds it. */
    private void release(K key, String holder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE " + table + " SET lease_until = NULL, lease_holder = NULL WHERE " + keyColumn + " = ? "
                        + "AND lease_holder = ?")) {
            ps.setObject(1, key);
            ps.setString(2, holder);
            ps.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("%s %s: lease not released (it runs out): %s", table, key, e.getMessage());
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
    }
}
