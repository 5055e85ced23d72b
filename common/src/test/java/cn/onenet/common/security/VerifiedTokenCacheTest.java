package cn.onenet.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-11-22T04:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final VerifiedTokenCache cache = new VerifiedTokenCache(Duration.ofSeconds(60), 3, clock);

    @Test
    void anEntryLastsUntilTheTokenExpiresWhenThatComesFirst() {
        SecurityIdentity identity = identity(NOW.plusSeconds(20));
        cache.keep("t1", identity);
        assertSame(identity, cache.find("t1"));
        clock.now = NOW.plusSeconds(19);
        assertSame(identity, cache.find("t1"));
        clock.now = NOW.plusSeconds(20);
        assertNull(cache.find("t1"), "an expired token is never served from the cache");
        assertEquals(0, cache.size());
    }

    @Test
    void anEntryLastsAtMostTheTimeToLive() {
        cache.keep("t1", identity(NOW.plusSeconds(3600)));
        clock.now = NOW.plusSeconds(59);
        assertNotNull(cache.find("t1"));
        clock.now = NOW.plusSeconds(60);
        assertNull(cache.find("t1"), "after the time to live the token is verified again");
    }

    @Test
    void identitiesWithoutExpiryOrAlreadyExpiredAreNotKept() {
        cache.keep("no-exp", QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("a")).build());
        cache.keep("past", identity(NOW.minusSeconds(1)));
        assertNull(cache.find("no-exp"));
        assertNull(cache.find("past"));
        assertEquals(0, cache.size());
    }

    @Test
    void onlyTheExactTokenMatchesAndTheSizeStaysBounded() {
        cache.keep("abc", identity(NOW.plusSeconds(30)));
        assertNull(cache.find("abd"));
        assertNull(cache.find("abc "));
        cache.keep("t2", identity(NOW.plusSeconds(30)));
        cache.keep("t3", identity(NOW.plusSeconds(30)));
        cache.keep("t4", identity(NOW.plusSeconds(30)));
        assertEquals(1, cache.size(), "a full cache with nothing expired starts over");
        assertNotNull(cache.find("t4"));
        assertNull(cache.find("t2"));
        assertEquals(1, cache.hits(), "only answers from the cache count as hits");
    }

    private static SecurityIdentity identity(Instant exp) {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("dept-client"))
                .addRole("operator").addAttribute(VerifiedTokenCache.EXPIRE_TIME, exp.getEpochSecond()).build();
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
