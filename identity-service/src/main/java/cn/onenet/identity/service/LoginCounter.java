package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The counting behind {@link LoginService}, safe when many logins for one name run at once (on one replica or
 * several). A failure is counted in a transaction of its own, committed before the login goes on, so nothing that
 * fails later can roll a counted guess back. The account's mirror of the count ({@code failed_logins},
 * {@code locked_until}, shown to administrators) is written by SQL, never through the entity: the login path leaves
 * the versioned account row alone, so concurrent logins do not fail on its version. {@code login_throttle} stays the
 * source that locks.
 */
@ApplicationScoped
public class LoginCounter {

    private final LoginThrottle throttle;
    private final EntityManager em;

    public LoginCounter(LoginThrottle throttle, EntityManager em) {
        this.throttle = throttle;
        this.em = em;
    }

    /**
     * The lock ends a failure started: of the login name from this source, of the source alone, and the short delay
     * on the name from anywhere.
     */
    public record Locks(Optional<OffsetDateTime> pair, Optional<OffsetDateTime> ip, Optional<OffsetDateTime> name) {
    }

    /**
     * Counts a failed login for the name from this source, the source and the name (a trusted device counts only for
     * itself), and in the account's mirror when the name has one, and commits at once. The mirror is updated only if
     * no other transaction holds the account row: this transaction never waits for the account (an administrator's
     * edit, a successful login spending a one-time code), so it cannot deadlock against one that holds the account
     * and waits for the name's throttle row.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Locks failed(String user, String pairKey, String ipKey, boolean trustedDevice, UUID accountId) {
        Optional<OffsetDateTime> pair = throttle.fail(pairKey, false);
        Optional<OffsetDateTime> ip = trustedDevice ? Optional.empty() : throttle.fail(ipKey, true);
        Optional<OffsetDateTime> name = trustedDevice ? Optional.empty() : throttle.failName(user);
        Optional<OffsetDateTime> accountLock = pair.or(() -> name);
        if (accountId != null) {
            var update = em.createNativeQuery("UPDATE account SET failed_logins = failed_logins + 1"
                    + (accountLock.isPresent() ? ", locked_until = ?2" : "")
                    + " WHERE id = (SELECT id FROM account WHERE id = ?1 FOR NO KEY UPDATE SKIP LOCKED)")
                    .setParameter(1, accountId);
            accountLock.ifPresent(until -> update.setParameter(2, until));
            update.executeUpdate();
        }
        return new Locks(pair, ip, name);
    }

    /** A successful login clears the failures of the name from this source and the account's mirror of them, in the login's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void succeeded(String pairKey, UUID accountId) {
        throttle.succeed(pairKey);
        em.createNativeQuery("UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = ?1 "
                + "AND (failed_logins <> 0 OR locked_until IS NOT NULL)").setParameter(1, accountId).executeUpdate();
    }
}
