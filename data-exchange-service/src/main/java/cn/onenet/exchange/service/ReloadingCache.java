package cn.onenet.exchange.service;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A read-through cache for the delivery path whose entries are re-read once they are older than a time to live.
 * When an entry expires under load, one caller re-reads it while the others go on with the previous value for those
 * few hundred microseconds, instead of every request in flight hitting the database at once.
 */
final class ReloadingCache<K, V> {

    /** Compared by identity, so that exactly one caller wins the right to re-read an expired entry. */
    private static final class Entry<V> {
        final V value;
        final long loadedAt;
        final boolean reloading;

        Entry(V value, long loadedAt, boolean reloading) {
            this.value = value;
            this.loadedAt = loadedAt;
            this.reloading = reloading;
        }
    }

    /** A re-read that has not finished after this long (a lost thread) may be claimed by another caller. */
    private static final long RELOAD_TIMEOUT_NANOS = 10_000_000_000L;

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;

    ReloadingCache(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /** The value for {@code key}; {@code loader} runs on first use and after expiry; null (absent) is not kept. */
    V get(K key, Function<K, V> loader) {
        Entry<V> e = entries.get(key);
        long now = System.nanoTime();
        if (e == null) {
            V v = loader.apply(key);
            if (v != null) {
                entries.put(key, new Entry<>(v, now, false));
            }
            return v;
        }
        if (e.reloading ? now - e.loadedAt <= RELOAD_TIMEOUT_NANOS : now - e.loadedAt <= ttlNanos) {
            return e.value;
        }
        Entry<V> claim = new Entry<>(e.value, now, true);
        if (!entries.replace(key, e, claim)) {
            Entry<V> latest = entries.get(key); // another caller is re-reading it (or has), or it was removed
            return latest != null ? latest.value : e.value;
        }
        V v;
        try {
            v = loader.apply(key);
        } catch (RuntimeException ex) {
            entries.remove(key, claim);
            throw ex;
        }
        if (v == null) {
            entries.remove(key, claim);
        } else {
            // only if nobody removed it meanwhile (a state change must not be overwritten by an older read)
            entries.replace(key, claim, new Entry<>(v, System.nanoTime(), false));
        }
        return v;
    }

    void remove(K key) {
        entries.remove(key);
    }

    void clear() {
        entries.clear();
    }
}
