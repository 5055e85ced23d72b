package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ReloadingCacheTest {

    @Test
    void freshEntriesAreServedWithoutLoading() {
        ReloadingCache<String, String> cache = new ReloadingCache<>(Duration.ofHours(1));
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            assertEquals("v", cache.get("k", k -> "v" + (loads.incrementAndGet() > 1 ? loads.get() : "")));
        }
        assertEquals(1, loads.get());
    }

    @Test
    void anExpiredEntryIsReReadByOneCallerWhileTheOthersKeepThePreviousValue() throws Exception {
        ReloadingCache<String, String> cache = new ReloadingCache<>(Duration.ZERO);
        cache.get("grant", k -> "ACTIVE");
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> reader = blockedReRead(cache, "grant", "SUSPENDED", loads, release);
        for (int i = 0; i < 10; i++) {
            assertEquals("ACTIVE", cache.get("grant", k -> {
                loads.incrementAndGet();
                return "other";
            }), "while one caller re-reads, the others are not sent to the database");
        }
        release.countDown();
        assertEquals("SUSPENDED", reader.get(5, TimeUnit.SECONDS));
        assertEquals(1, loads.get());
        assertEquals("REVOKED", cache.get("grant", k -> "REVOKED"), "expired again (ttl 0): re-read");
    }

    @Test
    void absentValuesAndFailedReadsAreNotKept() {
        ReloadingCache<String, String> cache = new ReloadingCache<>(Duration.ZERO);
        assertNull(cache.get("k", k -> null));
        assertEquals("v1", cache.get("k", k -> "v1"));
        assertThrows(IllegalStateException.class, () -> cache.get("k", k -> {
            throw new IllegalStateException("database down");
        }));
        assertEquals("v2", cache.get("k", k -> "v2"), "after a failed re-read the next caller tries again");
        assertNull(cache.get("k", k -> null), "gone from the database: gone from the cache");
        assertEquals("v3", cache.get("k", k -> "v3"));
    }

    @Test
    void aRemovalDuringAReReadIsNotUndoneByIt() throws Exception {
        ReloadingCache<String, String> cache = new ReloadingCache<>(Duration.ZERO);
        cache.get("g", k -> "old");
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> reader = blockedReRead(cache, "g", "read before the change", new AtomicInteger(),
                release);
        cache.remove("g"); // a state change on this replica
        release.countDown();
        reader.get(5, TimeUnit.SECONDS);
        assertEquals("after the change", cache.get("g", k -> "after the change"));
    }

    /** Starts a re-read of {@code key} that has begun loading and finishes with {@code value} once released. */
    private static CompletableFuture<String> blockedReRead(ReloadingCache<String, String> cache, String key,
            String value, AtomicInteger loads, CountDownLatch release) throws InterruptedException {
        CountDownLatch loading = new CountDownLatch(1);
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> cache.get(key, k -> {
            loads.incrementAndGet();
            loading.countDown();
            await(release);
            return value;
        }));
        assertTrue(loading.await(5, TimeUnit.SECONDS), "the re-read has started");
        return reader;
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(5, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
