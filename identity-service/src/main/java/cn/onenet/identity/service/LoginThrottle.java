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
 * under their own keys) are counted per login name and per IP address; past the threshold the key is locked, and each
 * further failure doubles the lock (back-off) up to {@code login.max-lock}; a login name that keeps failing is blocked
 * until a password reset or an administrator lifts it ({@link #fail}). Counting
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

    /**
     * When the key is locked, until when. A blocked login name ({@link #blocked}) reads as locked for the longest
     * lock from now on, so every caller refuses it (429 with a Retry-After) until the block is lifted.
     */
    @Transactional
    public Optional<OffsetDateTime> lockedUntil(String key) {
        List<?> rows = em.createNativeQuery("SELECT CASE WHEN blocked_at IS NOT NULL THEN now() + make_interval(secs"
                + " => ?2) ELSE locked_until END FROM login_throttle WHERE throttle_key = ?1 AND (locked_until > now()"
                + " OR blocked_at IS NOT NULL)").setParameter(1, cut(key))
                .setParameter(2, (double) config.login().maxLock().toSeconds()).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(toOffset(rows.get(0)));
    }

    /** Whether the key's password login is blocked until a password reset or an administrator lifts it. */
    @Transactional
    public boolean blocked(String key) {
        return !em.createNativeQuery("SELECT 1 FROM login_throttle WHERE throttle_key = ?1 AND blocked_at IS NOT NULL")
                .setParameter(1, cut(key)).getResultList().isEmpty();
    }

    /**
     * Counts a failed login; returns the lock end if the key is now locked. A login name that reaches
     * {@code login.account-block-after} failures without a successful login in between is blocked for good
     * ({@link #blocked}): the doubling lock slows guessing, this ends it.
     */
    @Transactional
    public Optional<OffsetDateTime> fail(String key, boolean ip) {
        Optional<OffsetDateTime> locked = count(key, ip ? config.login().ipMaxFailures()
                : config.login().accountMaxFailures(), ip ? config.login().ipBaseLock()
                : config.login().accountBaseLock(), config.login().failureWindow(), config.login().maxLock());
        if (!ip && config.login().accountBlockAfter() > 0) {
            int blocked = em.createNativeQuery("UPDATE login_throttle SET blocked_at = now() WHERE throttle_key = ?1"
                    + " AND blocked_at IS NULL AND consecutive_failures >= ?2").setParameter(1, cut(key))
                    .setParameter(2, config.login().accountBlockAfter()).executeUpdate();
            if (blocked > 0) {
                LOG.warnf("Blocked password login of %s after %d consecutive failures", LogMask.masked(key),
                        config.login().accountBlockAfter());
            }
        }
        return locked;
    }

    /**
     * Counts one event for the key; at {@code threshold} events the key is locked for {@code base}, each further
     * event doubling the lock up to {@code max}. The count starts again only once the key has been quiet for
     * {@code window}: since the first event when it was never locked, since the last lock ended otherwise (a lock
     * that outlasts the window does not reset the back-off). Returns the lock end if now locked.
     */
    @Transactional
    public Optional<OffsetDateTime> count(String key, int threshold, Duration base, Duration window, Duration max) {
        Object failures = em.createNativeQuery("""
                INSERT INTO login_throttle (throttle_key, failures, window_start, consecutive_failures)
                VALUES (?1, 1, now(), 1)
                ON CONFLICT (throttle_key) DO UPDATE SET
                  failures = CASE WHEN %1$s THEN 1 ELSE login_throttle.failures + 1 END,
                  window_start = CASE WHEN %1$s THEN now() ELSE login_throttle.window_start END,
                  locked_until = CASE WHEN %1$s THEN NULL ELSE login_throttle.locked_until END,
                  consecutive_failures = login_throttle.consecutive_failures + 1
                RETURNING failures""".formatted(QUIET)).setParameter(1, cut(key))
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
        LOG.warnf("Locked %s after %d attempts, until %s", LogMask.masked(key), count, until);
        return Optional.of(until);
    }

    /** The key has been quiet for the window ({@code ?2} seconds): never locked and counting since before, or its last lock ended before. */
    private static final String QUIET = "(login_throttle.locked_until IS NULL AND login_throttle.window_start < "
            + "now() - make_interval(secs => ?2) OR login_throttle.locked_until < now() - make_interval(secs => ?2))";

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

    /** Clears the key: a successful login, a new password, or an administrator lifting a lock or block. */
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
