package cn.onenet.identity.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.identity.config.IdentityConfig;

/**
 * Brute-force protection kept in PostgreSQL (shared by every replica): failed logins (and account-recovery requests,
 * under their own keys) are counted per login name and per IP address; past the threshold the key is locked, and each further failure doubles the lock (back-off). Counting
 * by the submitted name, whether or not such an account exists, keeps lockouts from revealing which accounts exist.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class);

    private final EntityManager em;
    private final IdentityConfig config;

    public LoginThrottle(EntityManager em, IdentityConfig config) {
        this.em = em;
        this.config = config;
    }

    public static String accountKey(String username) {
        return "user:" + (username == null ? "" : username.trim().toLowerCase());
    }

    public static String ipKey(String ip) {
        return "ip:" + ip;
    }

    /** When the key is locked, until when. */
    @Transactional
    public Optional<OffsetDateTime> lockedUntil(String key) {
        List<?> rows = em.createNativeQuery(
                "SELECT locked_until FROM login_throttle WHERE throttle_key = ?1 AND locked_until > now()")
                .setParameter(1, cut(key)).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(toOffset(rows.get(0)));
    }

    /** Counts a failed login; returns the lock end if the key is now locked. */
    @Transactional
    public Optional<OffsetDateTime> fail(String key, boolean ip) {
        return count(key, ip ? config.login().ipMaxFailures() : config.login().accountMaxFailures(),
                ip ? config.login().ipBaseLock() : config.login().accountBaseLock(), config.login().failureWindow(),
                config.login().maxLock());
    }

    /**
     * Counts one event for the key within {@code window}; at {@code threshold} events the key is locked for
     * {@code base}, each further event doubling the lock up to {@code max}. Returns the lock end if now locked.
     */
    @Transactional
    public Optional<OffsetDateTime> count(String key, int threshold, Duration base, Duration window, Duration max) {
        Object failures = em.createNativeQuery("""
                INSERT INTO login_throttle (throttle_key, failures, window_start) VALUES (?1, 1, now())
                ON CONFLICT (throttle_key) DO UPDATE SET
                  failures = CASE WHEN login_throttle.window_start < now() - make_interval(secs => ?2)
                                  AND (login_throttle.locked_until IS NULL OR login_throttle.locked_until < now())
                             THEN 1 ELSE login_throttle.failures + 1 END,
                  window_start = CASE WHEN login_throttle.window_start < now() - make_interval(secs => ?2)
                                  AND (login_throttle.locked_until IS NULL OR login_throttle.locked_until < now())
                             THEN now() ELSE login_throttle.window_start END
                RETURNING failures""").setParameter(1, cut(key))
                .setParameter(2, (double) window.toSeconds()).getSingleResult();
        int count = ((Number) failures).intValue();
        if (count < threshold) {
            return Optional.empty();
        }
        long factor = 1L << Math.min(20, count - threshold);
        Duration lock = base.multipliedBy(factor);
        if (lock.compareTo(max) > 0) {
            lock = max;
        }
        OffsetDateTime until = OffsetDateTime.now().plus(lock);
        em.createNativeQuery("UPDATE login_throttle SET locked_until = ?2 WHERE throttle_key = ?1")
                .setParameter(1, cut(key)).setParameter(2, until).executeUpdate();
        LOG.warnf("Locked %s after %d attempts, until %s", key, count, until);
        return Optional.of(until);
    }

    /**
     * A rate limit: refuses (429 problem) while the key is locked, otherwise counts this request; the request that
     * reaches {@code max} within {@code window} still goes through and starts the lock.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public void admit(String key, int max, Duration lock, Duration window) {
        Optional<OffsetDateTime> locked = lockedUntil(key);
        if (locked.isPresent()) {
            throw rateLimited(locked.get());
        }
        count(key, max, lock, window, config.login().maxLock());
    }

    public static ApiException rateLimited(OffsetDateTime until) {
        long seconds = Math.max(1, OffsetDateTime.now().until(until, ChronoUnit.SECONDS));
        return new ApiException(ProblemType.RATE_LIMITED, "请求过于频繁，请稍后再试 / too many requests, try again later",
                List.of(), Map.of("retryAfterSeconds", seconds), Map.of("Retry-After", Long.toString(seconds)));
    }

    @Transactional
    public void succeed(String key) {
        em.createNativeQuery("DELETE FROM login_throttle WHERE throttle_key = ?1").setParameter(1, cut(key))
                .executeUpdate();
    }

    private static String cut(String key) {
        return key.length() > 120 ? key.substring(0, 120) : key;
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(value.toString());
    }
}
