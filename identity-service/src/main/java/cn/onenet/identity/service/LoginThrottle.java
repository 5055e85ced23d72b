package cn.onenet.identity.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.identity.config.IdentityConfig;

/**
 * Brute-force protection kept in PostgreSQL (shared by every replica): failed logins are counted per login name and
 * per IP address; past the threshold the key is locked, and each further failure doubles the lock (back-off). Counting
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

    /** Counts a failure; returns the lock end if the key is now locked. */
    @Transactional
    public Optional<OffsetDateTime> fail(String key, boolean ip) {
        int threshold = ip ? config.login().ipMaxFailures() : config.login().accountMaxFailures();
        Duration base = ip ? config.login().ipBaseLock() : config.login().accountBaseLock();
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
                .setParameter(2, (double) config.login().failureWindow().toSeconds()).getSingleResult();
        int count = ((Number) failures).intValue();
        if (count < threshold) {
            return Optional.empty();
        }
        long factor = 1L << Math.min(20, count - threshold);
        Duration lock = base.multipliedBy(factor);
        if (lock.compareTo(config.login().maxLock()) > 0) {
            lock = config.login().maxLock();
        }
        OffsetDateTime until = OffsetDateTime.now().plus(lock);
        em.createNativeQuery("UPDATE login_throttle SET locked_until = ?2 WHERE throttle_key = ?1")
                .setParameter(1, cut(key)).setParameter(2, until).executeUpdate();
        LOG.warnf("Login locked for %s after %d failures, until %s", key, count, until);
        return Optional.of(until);
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
