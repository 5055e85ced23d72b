package cn.onenet.common.problem;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Recognises a failure caused by the database being out of reach (stopped, restarting, unreachable, or the
 * connection pool unable to hand out a connection in time), whatever wraps it: Hibernate, the transaction manager
 * and Arc each add a layer. Such a failure is an outage, not a bug: the caller is told to retry (503) rather than to
 * quote a request id (500). Matched by class name and SQLState, so that common needs neither Hibernate nor Agroal.
 */
public final class DatabaseUnavailable {

    /** Seconds a client is asked to wait: readiness notices a restarted database within about as long. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /**
     * admin_shutdown, crash_shutdown, cannot_connect_now (class 57, operator intervention): what a connection in the
     * pool meets when PostgreSQL is stopped or is still starting.
     */
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

    private static final Set<String> CONNECTION_FAILURE_CLASSES = Set.of(
            "org.hibernate.exception.JDBCConnectionException",
            "io.agroal.pool.util.AgroalException");

    /** Methods that may change something: safe to repeat only once the caller has looked at the outcome. */
    private static final Set<String> UNSAFE_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    private DatabaseUnavailable() {
    }

    /**
     * Whether a request cut off by the outage may have changed something after all: the connection can drop during
     * COMMIT, after PostgreSQL committed. Such a caller is told to check before repeating, and gets no Retry-After
     * (a client repeating a POST on its own could create a duplicate).
     */
    public static boolean outcomeUnknown(String method) {
        return method != null && UNSAFE_METHODS.contains(method.toUpperCase(java.util.Locale.ROOT));
    }

    public static boolean causedBy(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 30; depth++, t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException
                    || CONNECTION_FAILURE_CLASSES.contains(t.getClass().getName())) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                // class 08: connection exception (refused, broken, lost) in every JDBC driver
                if (state != null && (state.startsWith("08") || SHUTDOWN_STATES.contains(state))) {
                    return true;
                }
                // Agroal's pool gives up waiting for a connection with a plain SQLException and no SQLState
                if (state == null && sql.getMessage() != null && sql.getMessage().startsWith("Acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }
}
