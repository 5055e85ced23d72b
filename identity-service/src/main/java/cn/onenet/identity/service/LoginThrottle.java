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
 * Brute-force protection kept in PostgreSQL (shared by every replica). A failed login is counted under three keys:
 * <ul>
 * <li>the login name together with the source ({@link #pairKey}: the IPv4 address, or the /64 of an IPv6 one; for a
 * browser carrying the name's trusted-device cookie, that device instead) &mdash; past {@code login.account-max-failures}
 * this pair is locked, each further failure doubling the lock up to {@code login.max-lock};
 * <li>the source alone ({@link #ipKey}), likewise with its own threshold;
 * <li>the login name alone ({@link #accountKey}) &mdash; only a soft, short delay ({@code login.name-delay}, not
 * growing) once {@code login.name-max-failures} failures came within the window from anywhere; a device the holder
 * has signed in from before is never held by it.
 * </ul>
 * Nothing blocks for good: whoever knows a login name can hold only their own source, and the name for at most the
 * short delay, never the holder's trusted device. Counting by the submitted name, whether or not such an account
 * exists, keeps locks from revealing which accounts exist. Recovery, registration and token checks use their own keys
 * ({@link #admit}, {@link #count}).
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

    /** The login name's own key (the soft delay). */
    public static String accountKey(String username) {
        return "user:" + (username == null ? "" : username.trim().toLowerCase());
    }

    /** The login name from one source (an address or a trusted device): the growing lock. */
    public static String pairKey(String username, String source) {
        return accountKey(username) + "@" + source;
    }

    /** The source alone. */
    public static String ipKey(String ip) {
        return "ip:" + source(ip);
    }

    /**
     * Where a request comes from, as the throttle groups it: an IPv4 address as it is, an IPv6 address by its /64
     * (one subscriber usually holds a whole /64).
     */
    public static String source(String ip) {
        if (ip == null || ip.isBlank()) {
            return "-";
        }
        String address = ip.trim();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        int zone = address.indexOf('%');
        if (zone >= 0) {
            address = address.substring(0, zone);
        }
        // only an IPv6 literal is parsed (never a name: no lookup)
        if (address.indexOf(':') < 0 || !address.matches("[0-9A-Fa-f:.]{2,45}")) {
            return address;
        }
        try {
            byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString((bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff)).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (java.net.UnknownHostException e) {
            return address;
        }
    }

    /** When the key is locked, until when. */
    @Transactional
    public Optional<OffsetDateTime> lockedUntil(String key) {
        List<?> rows = em.createNativeQuery("SELECT locked_until FROM login_throttle WHERE throttle_key = ?1 AND "
                + "locked_until > now()").setParameter(1, cut(key)).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(toOffset(rows.get(0)));
    }

    /**
     * Counts a failure under a growing key (a login name from one source, a source, a signed-in holder's own key);
     * returns the lock end if the key is now locked.
     */
    @Transactional
    public Optional<OffsetDateTime> fail(String key, boolean ip) {
        return count(key, ip ? config.login().ipMaxFailures() : config.login().accountMaxFailures(),
                ip ? config.login().ipBaseLock() : config.login().accountBaseLock(), config.login().failureWindow(),
                config.login().maxLock());
    }

    /**
     * Counts a failure of the login name from anywhere: past {@code login.name-max-failures} within the window the
     * name is held for the short {@code login.name-delay}, which does not grow; returns its end if now held. A delay
     * of zero turns this off.
     */
    @Transactional
    public Optional<OffsetDateTime> failName(String username) {
        Duration delay = config.login().nameDelay();
        if (delay.isZero() || delay.isNegative()) {
            return Optional.empty();
        }
        return count(accountKey(username), config.login().nameMaxFailures(), delay, config.login().failureWindow(),
                delay);
    }

    /** Clears every key of the login name: its own and those of each source (a new password, an administrator). */
    @Transactional
    public boolean clearName(String username) {
        String own = cut(accountKey(username));
        return em.createNativeQuery("DELETE FROM login_throttle WHERE throttle_key = ?1 OR left(throttle_key, "
                + "length(?1) + 1) = ?1 || '@'").setParameter(1, own).executeUpdate() > 0;
    }

    /** Whether any key of the login name is locked now. */
    @Transactional
    public boolean nameHeld(String username) {
        String own = cut(accountKey(username));
        return !em.createNativeQuery("SELECT 1 FROM login_throttle WHERE (throttle_key = ?1 OR left(throttle_key, "
                + "length(?1) + 1) = ?1 || '@') AND locked_until > now()").setParameter(1, own).getResultList()
                .isEmpty();
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
                INSERT INTO login_throttle (throttle_key, failures, window_start)
                VALUES (?1, 1, now())
                ON CONFLICT (throttle_key) DO UPDATE SET
                  failures = CASE WHEN %1$s THEN 1 ELSE login_throttle.failures + 1 END,
                  window_start = CASE WHEN %1$s THEN now() ELSE login_throttle.window_start END,
                  locked_until = CASE WHEN %1$s THEN NULL ELSE login_throttle.locked_until END
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

    /**
     * Before a public one-time token (a cancel token from a notice) is looked up: 429 while the address is locked for
     * wrong tokens of this kind ({@code kind}, e.g. {@code contact-cancel}). Returns the key to count a wrong one with
     * ({@link #wrongToken}).
     */
    public String tokenSource(String kind, String ip) {
        String key = kind + ":" + ipKey(ip);
        lockedUntil(key).ifPresent(until -> {
            throw rateLimited(until);
        });
        return key;
    }

    /** Counts a wrong token from the address: {@code max} within the recovery window lock it, as recovery's do. */
    public void wrongToken(String key, int max) {
        count(key, max, config.recovery().lock(), config.recovery().window(), config.login().maxLock());
    }

    public static ApiException rateLimited(OffsetDateTime until) {
        long seconds = Math.max(1, OffsetDateTime.now().until(until, ChronoUnit.SECONDS));
        return new ApiException(ProblemType.RATE_LIMITED, "请求过于频繁，请稍后再试 / too many requests, try again later",
                List.of(), Map.of("retryAfterSeconds", seconds), Map.of("Retry-After", Long.toString(seconds)));
    }

    /** Clears the key: a successful login from its source, a correct code. */
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
