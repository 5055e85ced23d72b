package cn.onenet.gateway.client;

import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.vertx.circuitbreaker.CircuitBreakerState;

/**
 * An upstream's circuit breaker, with the rules of Vert.x's {@code CircuitBreaker} as the gateway configured it:
 * {@code maxFailures} failures within a rolling window of 10 s, none of them followed by a success, open the circuit;
 * while open every call is refused; {@code resetTimeout} after opening the next call is let through alone as a trial
 * (half-open), whose success closes the circuit and whose failure opens it again.
 * <p>
 * Unlike Vert.x's, it takes no lock and schedules no task on the common path: a call on a closed circuit with no
 * failure counted costs two volatile reads, and its outcome is recorded on the caller's thread (Vert.x's hands both
 * the operation's completion and the outcome to the event loop as two more tasks per request). Shared by the event
 * loops; the transitions are synchronized.
 */
public final class Breaker {

    private static final Logger LOG = Logger.getLogger(Breaker.class);

    /** Vert.x's default failures window, which the gateway kept. */
    static final long WINDOW_MILLIS = 10_000;

    private final String name;
    private final int maxFailures;
    private final long resetTimeoutMillis;
    private final LongSupplier clock;
    /** When the last failures happened (ring of maxFailures), 0 = none; cleared by a success. */
    private final long[] failedAt;
    private int next;

    private volatile CircuitBreakerState state = CircuitBreakerState.CLOSED;
    /** Failures recorded since the last success (closed circuit); lets a success skip the lock when 0. */
    private volatile int failures;
    private long openedAt;
    private boolean trialRunning;

    public Breaker(String name, int maxFailures, long resetTimeoutMillis) {
        this(name, maxFailures, resetTimeoutMillis, System::currentTimeMillis);
    }

    Breaker(String name, int maxFailures, long resetTimeoutMillis, LongSupplier clock) {
        this.name = name;
        this.maxFailures = Math.max(1, maxFailures);
        this.resetTimeoutMillis = resetTimeoutMillis;
        this.clock = clock;
        this.failedAt = new long[this.maxFailures];
    }

    /** The state as it is now (an open circuit past its reset timeout reads as half-open). */
    public CircuitBreakerState state() {
        CircuitBreakerState current = state;
        if (current == CircuitBreakerState.OPEN) {
            synchronized (this) {
                if (state == CircuitBreakerState.OPEN && clock.getAsLong() - openedAt >= resetTimeoutMillis) {
                    return CircuitBreakerState.HALF_OPEN;
                }
                return state;
            }
        }
        return current;
    }

    /**
     * Whether a call may go to the upstream now. A caller let through must report its outcome with
     * {@link #succeeded()} or {@link #failed()} (a refused caller must not).
     */
    public boolean allow() {
        if (state == CircuitBreakerState.CLOSED) {
            return true;
        }
        synchronized (this) {
            if (state == CircuitBreakerState.CLOSED) {
                return true;
            }
            if (state == CircuitBreakerState.OPEN) {
                if (clock.getAsLong() - openedAt < resetTimeoutMillis) {
                    return false;
                }
                state = CircuitBreakerState.HALF_OPEN;
                trialRunning = false;
            }
            // Half-open: one trial at a time.
            if (trialRunning) {
                return false;
            }
            trialRunning = true;
            return true;
        }
    }

    /** Whole seconds until an open circuit lets its trial through (at least 1: a trial may be running). */
    public synchronized long retryAfterSeconds() {
        long left = state == CircuitBreakerState.OPEN ? openedAt + resetTimeoutMillis - clock.getAsLong() : 0;
        return Math.max(1, (left + 999) / 1000);
    }

    /** A call let through ended in something other than a failure. */
    public void succeeded() {
        if (state == CircuitBreakerState.CLOSED && failures == 0) {
            return;
        }
        synchronized (this) {
            clearFailures();
            if (state == CircuitBreakerState.HALF_OPEN) {
                state = CircuitBreakerState.CLOSED;
                trialRunning = false;
                LOG.infof("circuit of upstream %s closed", name);
            }
        }
    }

    /** A call let through failed. */
    public synchronized void failed() {
        long now = clock.getAsLong();
        if (state == CircuitBreakerState.HALF_OPEN) {
            open(now);
            return;
        }
        if (state == CircuitBreakerState.OPEN) {
            // A call let through before the circuit opened: its circuit is already open.
            return;
        }
        failedAt[next] = now;
        next = (next + 1) % maxFailures;
        failures++;
        int recent = 0;
        for (long at : failedAt) {
            if (at != 0 && now - at < WINDOW_MILLIS) {
                recent++;
            }
        }
        if (recent >= maxFailures) {
            open(now);
        }
    }

    private void open(long now) {
        clearFailures();
        state = CircuitBreakerState.OPEN;
        openedAt = now;
        trialRunning = false;
        LOG.warnf("circuit of upstream %s opened", name);
    }

    private void clearFailures() {
        java.util.Arrays.fill(failedAt, 0);
        next = 0;
        failures = 0;
    }
}
