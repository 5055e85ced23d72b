package cn.onenet.common.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Bearer tokens that quarkus-oidc has already verified (signature, issuer, audience, expiry), kept for a short while so
 * that a client calling many times with the same token is not verified again on every request: signature checking
 * and claim parsing were a third of a keyed exchange lookup's CPU. An entry lives until the token expires or for
 * {@code onenet.security.verified-token-cache.time-to-live} (default 60 s), whichever comes first, so a key withdrawn
 * at the provider stops being honoured within that time. Keys are the exact token strings: a changed token is a
 * different key and goes through full verification. Enabled per service at build time.
 */
@ApplicationScoped
@IfBuildProperty(name = VerifiedTokenCache.ENABLED, stringValue = "true")
public class VerifiedTokenCache {

    public static final String ENABLED = "onenet.security.verified-token-cache.enabled";
    /** Set by OIDC on the identities it builds: the token's {@code exp} in epoch seconds. */
    static final String EXPIRE_TIME = "quarkus.identity.expire-time";

    private record Entry(SecurityIdentity identity, long validUntilMillis) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final Duration timeToLive;
    private final int maxEntries;
    private final Clock clock;

    @Inject
    public VerifiedTokenCache(
            @ConfigProperty(name = "onenet.security.verified-token-cache.time-to-live", defaultValue = "PT60S") Duration timeToLive,
            @ConfigProperty(name = "onenet.security.verified-token-cache.max-entries", defaultValue = "10000") int maxEntries) {
        this(timeToLive, maxEntries, Clock.systemUTC());
    }

    VerifiedTokenCache(Duration timeToLive, int maxEntries, Clock clock) {
        this.timeToLive = timeToLive;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The identity verified earlier for exactly this token, or null when there is none that is still valid. */
    public SecurityIdentity find(String token) {
        Entry entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (clock.millis() >= entry.validUntilMillis()) {
            entries.remove(token, entry);
            return null;
        }
        hits.increment();
        return entry.identity();
    }

    /** Keeps a verified identity; identities without a known expiry are not kept. */
    public void keep(String token, SecurityIdentity identity) {
        Object exp = identity.getAttribute(EXPIRE_TIME);
        if (!(exp instanceof Long expSeconds)) {
            return;
        }
        long now = clock.millis();
        long validUntil = Math.min(expSeconds * 1000, now + timeToLive.toMillis());
        if (validUntil <= now) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.values().removeIf(e -> e.validUntilMillis() <= now);
            if (entries.size() >= maxEntries) {
                entries.clear(); // a flood of distinct tokens: start over rather than grow
            }
        }
        entries.put(token, new Entry(identity, validUntil));
    }

    /** Requests answered from the cache since start. */
    public long hits() {
        return hits.sum();
    }

    public int size() {
        return entries.size();
    }
}
