package cn.onenet.gateway.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

import org.junit.jupiter.api.Test;

/** Deleting expired rate-limit buckets from the shared store, against a store of many expired rows. */
class RateLimiterPurgeTest {

    /** A bucket table with {@code expired} expired rows, deleting up to the batch size per call as Bucket4j does. */
    private static final class ExpiredRows implements IntUnaryOperator {
        final AtomicLong expired;
        final AtomicInteger calls = new AtomicInteger();

        ExpiredRows(long expired) {
            this.expired = new AtomicLong(expired);
        }

        @Override
        public int applyAsInt(int batch) {
            calls.incrementAndGet();
            int removed = (int) Math.min(batch, expired.get());
            expired.addAndGet(-removed);
            return removed;
        }
    }

    @Test
    void oneRunDeletesEveryExpiredRowNotJustOneBatch() {
        ExpiredRows table = new ExpiredRows(250_500);
        long deleted = RateLimiter.purgeExpired(table, RateLimiter.PURGE_BATCH, RateLimiter.PURGE_MAX_BATCHES,
                RateLimiter.PURGE_BUDGET);
        assertEquals(250_500, deleted);
        assertEquals(0, table.expired.get());
        assertEquals(251, table.calls.get(), "250 full batches, then the short one that ends the run");
    }

    @Test
    void aRunStopsAtItsBatchCapAndTheNextGoesOn() {
        ExpiredRows table = new ExpiredRows(10_000);
        assertEquals(3_000, RateLimiter.purgeExpired(table, 1000, 3, Duration.ofMinutes(1)));
        assertEquals(7_000, table.expired.get());
        assertEquals(3_000, RateLimiter.purgeExpired(table, 1000, 3, Duration.ofMinutes(1)));
        assertEquals(4_000, table.expired.get());
    }

    @Test
    void aRunStopsWhenItsTimeIsUp() {
        ExpiredRows table = new ExpiredRows(10_000);
        assertEquals(1_000, RateLimiter.purgeExpired(table, 1000, 100, Duration.ZERO));
    }

    @Test
    void aFailingStoreEndsTheRunQuietly() {
        AtomicInteger calls = new AtomicInteger();
        long deleted = RateLimiter.purgeExpired(batch -> {
            if (calls.incrementAndGet() > 2) {
                throw new IllegalStateException("connection refused");
            }
            return batch;
        }, 1000, 100, Duration.ofMinutes(1));
        assertEquals(2_000, deleted);
    }
}
