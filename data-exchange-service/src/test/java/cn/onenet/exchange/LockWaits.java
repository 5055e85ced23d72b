package cn.onenet.exchange;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

/** Waits for a concurrent transaction to reach a point: done, or blocked on a lock another transaction holds. */
public final class LockWaits {

    private LockWaits() {
    }

    /** How many sessions of this database wait for a lock (a row, a transaction, a table or an advisory lock). */
    public static long waiting(DataSource dataSource) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean someoneWaits(DataSource dataSource) {
        return waiting(dataSource) > 0;
    }

    /** Returns once at least {@code n} sessions wait for a lock; fails after 20 s. */
    public static void untilWaiting(DataSource dataSource, int n) {
        poll(() -> waiting(dataSource) >= n, n + " sessions waiting for a lock");
    }

    /**
     * Returns once {@code done} holds or a session waits for a lock; fails after 20 s with neither. The polling only
     * paces the check: what a test asserts is the outcome afterwards.
     */
    public static void untilDoneOrBlocked(DataSource dataSource, BooleanSupplier done) {
        poll(() -> done.getAsBoolean() || someoneWaits(dataSource), "done or waiting for a lock");
    }

    private static void poll(BooleanSupplier reached, String what) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " after 20 s");
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public static void untilDoneOrBlocked(DataSource dataSource, Future<?> task) {
        untilDoneOrBlocked(dataSource, task::isDone);
    }
}
