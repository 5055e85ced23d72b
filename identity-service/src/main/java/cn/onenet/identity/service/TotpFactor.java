package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.TokenGrant;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The TOTP second factor of an account (动态口令; L4 sessions need it). The secret is stored sealed with
 * {@link KeyEncryption}, bound to the account (a value copied into another row does not open); secrets still in
 * clear, or sealed under an earlier key-encryption key, are sealed at start. A code is accepted once: the time step
 * of the last accepted code is kept with the account and no code of that step or an earlier one is accepted again.
 * An active factor is replaced only with a current code from it, or after an administrator reset it.
 * <p>
 * Enrolment takes two steps: a new secret (the first one, or one replacing the active factor) is kept pending and
 * login does not ask for it; it becomes the account's factor only once the holder confirms it with a current code
 * from it ({@link #confirm}), so leaving the page half-way changes nothing. A new secret replaces an unconfirmed one.
 * A pending secret can be confirmed only within {@code identity.totp.pending-lifetime} of being issued, and is
 * discarded after {@code identity.totp.pending-max-failures} wrong codes; either way the holder starts again. One
 * left past its lifetime is cleared by {@link #purgeExpiredPending}, so no sealed secret outlives its use.
 * <p>
 * Wrong codes, to confirm a pending secret or to prove the active factor (replacing or removing it), count towards one
 * lock per account in {@link LoginThrottle}, like failed logins; while it holds, these requests answer 429.
 */
@ApplicationScoped
public class TotpFactor {

    @jakarta.inject.Inject
    SecurityNotices notices;

    @jakarta.inject.Inject
    LogoutService logouts;

    private static final Logger LOG = Logger.getLogger(TotpFactor.class);
    static final String CODE_REQUIRED = "请输入当前动态口令 / enter a current code of the active second factor";
    static final String WRONG_CODE = "动态口令错误或已使用 / wrong or already used code";
    static final String CONFIRMATION_REQUIRED = "请输入验证器显示的动态口令 / enter the code your authenticator app shows";
    static final String WRONG_CONFIRMATION = "动态口令与新密钥不符，请核对验证器中的密钥和手机时间 / the code does not match "
            + "the new secret: check the secret in your app and the phone's clock";
    static final String EXPIRED = "新密钥已过期，请重新开始开通或更换 / the new secret has expired: start the enrolment "
            + "again";
    static final String DISCARDED = "动态口令错误次数过多，新密钥已作废，请重新开始开通或更换 / too many wrong codes: the "
            + "new secret is discarded, start the enrolment again";
    static final String NOT_ACTIVE = "未启用动态口令，请先开通 (POST) / no second factor is active: enrol one (POST)";

    /** A secret just issued, pending: shown once, and until when it can be confirmed. */
    public record Issued(String secret, OffsetDateTime expiresAt) {
    }

    private final KeyEncryption encryption;
    private final EntityManager em;
    private final LoginThrottle throttle;
    private final AuditService audit;
    private final IdentityConfig.SecondFactor config;

    public TotpFactor(KeyEncryption encryption, EntityManager em, LoginThrottle throttle, AuditService audit,
            IdentityConfig config) {
        this.encryption = encryption;
        this.em = em;
        this.throttle = throttle;
        this.audit = audit;
        this.config = config.totp();
    }

    /** At start a secret that cannot be opened (wrong key-encryption key) stops the service, naming the account. */
    void onStart(@Observes StartupEvent event) {
        sealStoredSecrets();
    }

    /**
     * Seals secrets still stored in clear and re-seals those sealed under an earlier key-encryption key; returns how
     * many rows changed. Every sealed value is opened, so a wrong key-encryption key fails (and the transaction
     * changes nothing).
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public int sealStoredSecrets() {
        int changed = 0;
        // active factors and secrets waiting for confirmation alike (the column names are constants)
        for (String column : List.of("totp_secret", "totp_pending")) {
            List<Object[]> rows = em.createNativeQuery("SELECT CAST(id AS VARCHAR), " + column + " FROM account WHERE "
                    + column + " IS NOT NULL").getResultList();
            for (Object[] row : rows) {
                UUID id = UUID.fromString((String) row[0]);
                String stored = (String) row[1];
                String secret = secret(id, stored); // opens it: a wrong key-encryption key fails here
                if (!encryption.needsSealing(stored)) {
                    continue;
                }
                String sealed = encryption.seal(secret, context(id));
                changed += em.createNativeQuery("UPDATE account SET " + column + " = ?2 WHERE id = ?1 AND " + column
                        + " = ?3").setParameter(1, id).setParameter(2, sealed).setParameter(3, stored).executeUpdate();
            }
        }
        if (changed > 0) {
            LOG.infof("Sealed %d TOTP secret(s) under key-encryption key id %s", changed, encryption.currentKeyId());
        }
        return changed;
    }

    /**
     * Whether the code is a current code of the account's factor that was not accepted before; if so its time step
     * is spent (atomically: of two requests with the same code, one wins).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean accept(Account account, String code) {
        if (account.totpSecret == null || code == null) {
            return false;
        }
        String secret;
        try {
            secret = secret(account.id, account.totpSecret);
        } catch (KeyEncryption.KeyEncryptionException e) {
            LOG.error(e.getMessage());
            return false;
        }
        OptionalLong step = Totp.matchingStep(secret, code.trim(), Totp.currentStep());
        if (step.isEmpty()) {
            return false;
        }
        int spent = em.createNativeQuery("UPDATE account SET totp_last_step = ?1 WHERE id = ?2 "
                + "AND (totp_last_step IS NULL OR totp_last_step < ?1)").setParameter(1, step.getAsLong())
                .setParameter(2, account.id).executeUpdate();
        // the entity is left alone (totp_last_step is not written through it), so a login that loses the race for a
        // code is a wrong code, not a conflict on the account row
        return spent == 1;
    }

    /**
     * Issues a first secret for an account without an active factor, pending until {@link #confirm confirmed};
     * returns it (base32), shown once, with its expiry. An unconfirmed secret issued before is replaced.
     */
    @Transactional
    public Issued enrol(UUID accountId, String actor) {
        Account account = account(accountId);
        if (account.totpSecret != null) {
            audit.record("TOTP_ENROLLED", false, actor, accountId.toString(), null, null, "a factor is active");
            throw ApiException.conflict("已启用动态口令：更换须提供当前动态口令（PUT），或由管理员重置 / a second factor is "
                    + "active: replace it with a current code from it (PUT), or have an administrator reset it");
        }
        return issue(account);
    }

    /**
     * Issues a secret to replace the active factor, proven with a current code from it; returns the new secret. The
     * active factor stays until the new one is {@link #confirm confirmed}. Wrong codes count towards a lock like
     * failed logins do.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public Issued replace(UUID accountId, String currentCode, String actor) {
        Account account = account(accountId);
        proveActiveFactor(account, currentCode, actor, "TOTP_ENROLLED", "replacement refused: wrong or used code");
        return issue(account);
    }

    /**
     * The holder turns the second factor off (关闭两步验证), proven with a current code from it: the active secret and
     * any pending one are removed, and login asks for no code until a new factor is confirmed. Wrong codes count
     * towards the same lock as above. No account type or role is required to keep a factor (an L4 account without
     * one signs in at L3, see {@link LoginService}).
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public void remove(UUID accountId, String currentCode, String actor) {
        removeFactor(accountId, currentCode, actor);
    }

    /**
     * The holder's {@link #remove}, from their own sign-in {@code kept}: the account's other sign-ins end as after a
     * password change (sessions with back-channel logout, grants revoked), so a session opened by whoever else held the
     * password does not carry on with the factor gone.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public void remove(UUID accountId, String currentCode, String actor, TokenGrant kept, String ip) {
        removeFactor(accountId, currentCode, actor);
        endOtherSignIns(accountId, kept, actor, ip, "second factor removed");
    }

    private void removeFactor(UUID accountId, String currentCode, String actor) {
        Account account = account(accountId);
        proveActiveFactor(account, currentCode, actor, "TOTP_REMOVED", "removal refused: wrong or used code");
        String detail = account.totpPending == null ? null : "a pending secret removed too";
        clear(account);
        audit.recordInTransaction("TOTP_REMOVED", actor, accountId.toString(), null, null, detail);
        notices.factorChanged(account, SecurityNotices.Change.FACTOR_REMOVED);
    }

    /**
     * Refuses (and counts) anything but a current, unused code of the active factor: 409 without one, 429 while the
     * account's lock holds, 400 on {@code code} otherwise. A wrong code is audited as a failed {@code event}.
     */
    private void proveActiveFactor(Account account, String currentCode, String actor, String event, String refusal) {
        if (account.totpSecret == null) {
            throw ApiException.conflict(NOT_ACTIVE);
        }
        String key = throttleKey(account.id);
        refuseWhileLocked(key);
        if (currentCode == null || currentCode.isBlank()) {
            throw ApiException.field("code", CODE_REQUIRED);
        }
        if (!accept(account, currentCode)) {
            throttle.fail(key, false);
            audit.record(event, false, actor, account.id.toString(), null, null, refusal);
            throw ApiException.field("code", WRONG_CODE);
        }
        throttle.succeed(key);
    }

    /**
     * Confirms the pending secret with a current code from it: it becomes the account's factor (replacing the active
     * one, if any), and the code's time step is spent. A wrong code changes nothing but counts: towards the account's
     * lock (then 429), and towards discarding the pending secret. One past its lifetime is discarded when it is
     * confirmed. Only the holder has the pending secret; a replacement was issued only against a current code of the
     * active factor.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public void confirm(UUID accountId, String code, String actor) {
        confirmPending(accountId, code, actor);
    }

    /**
     * The holder's {@link #confirm}, from their own sign-in {@code kept}: once the new factor is in place the
     * account's other sign-ins end as after a password change, so a session opened with a stolen password does not
     * outlive the factor the holder set up against it. A refused confirmation ends nothing.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public void confirm(UUID accountId, String code, String actor, TokenGrant kept, String ip) {
        confirmPending(accountId, code, actor);
        endOtherSignIns(accountId, kept, actor, ip, "second factor changed");
    }

    /** Ends every sign-in of the account but {@code kept}'s, audited as {@code SIGNED_OUT_ELSEWHERE}. */
    private void endOtherSignIns(UUID accountId, TokenGrant kept, String actor, String ip, String reason) {
        int[] ended = logouts.signOutEverywhereBut(kept, accountId, false, reason, ip);
        audit.recordInTransaction("SIGNED_OUT_ELSEWHERE", actor, accountId.toString(),
                kept == null ? null : kept.clientId, ip, reason + ": other sessions ended=" + ended[0]
                        + ", other grants revoked=" + ended[1]);
    }

    private void confirmPending(UUID accountId, String code, String actor) {
        Account account = account(accountId);
        String key = throttleKey(accountId);
        refuseWhileLocked(key);
        if (account.totpPending == null) {
            throw ApiException.conflict("没有待确认的动态口令密钥，请先开通（POST）或更换（PUT） / no secret is waiting "
                    + "for confirmation: enrol (POST) or replace (PUT) first");
        }
        if (expired(account)) {
            discardPending(account);
            audit.record("TOTP_ENROLLED", false, actor, accountId.toString(), null, null,
                    "confirmation refused: the new secret expired; discarded");
            throw startAgain(EXPIRED, "EXPIRED");
        }
        if (code == null || code.isBlank()) {
            throw ApiException.field("code", CONFIRMATION_REQUIRED);
        }
        OptionalLong step = Totp.matchingStep(secret(account.id, account.totpPending), code.trim(),
                Totp.currentStep());
        if (step.isEmpty()) {
            throttle.fail(key, false);
            int failures = wrongConfirmation(account);
            if (failures >= config.pendingMaxFailures()) {
                discardPending(account);
                audit.record("TOTP_ENROLLED", false, actor, accountId.toString(), null, null,
                        "confirmation refused: the code does not match the new secret; discarded after " + failures
                                + " wrong codes");
                throw startAgain(DISCARDED, "DISCARDED");
            }
            audit.record("TOTP_ENROLLED", false, actor, accountId.toString(), null, null,
                    "confirmation refused: the code does not match the new secret");
            throw ApiException.field("code", WRONG_CONFIRMATION);
        }
        String detail = account.totpSecret == null ? "first factor" : "replaced the active factor";
        account.totpSecret = account.totpPending;
        account.totpPending = null;
        account.totpPendingIssuedAt = null;
        account.updatedAt = OffsetDateTime.now();
        em.flush();
        // a new factor: its codes up to the one just confirmed with are spent
        em.createNativeQuery("UPDATE account SET totp_last_step = ?1, totp_pending_failures = 0 WHERE id = ?2")
                .setParameter(1, step.getAsLong()).setParameter(2, accountId).executeUpdate();
        throttle.succeed(key);
        audit.recordInTransaction("TOTP_ENROLLED", actor, accountId.toString(), null, null, detail);
        notices.factorChanged(account, detail.startsWith("first") ? SecurityNotices.Change.FACTOR_ENABLED
                : SecurityNotices.Change.FACTOR_REPLACED);
    }

    /**
     * Refuses what {@link #reset} refuses, changing nothing: one's own account ({@code 403}, audited), an account
     * without a factor ({@code 404}); returns the account.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Account checkReset(UUID accountId, String actor) {
        Administrators.notOwn(audit, "TOTP_RESET", accountId, actor, null, "动态口令重置", "resetting the second factor");
        Account account = account(accountId);
        if (account.totpSecret == null && account.totpPending == null) {
            throw ApiException.notFound("该账户未启用动态口令 / the account has no second factor");
        }
        return account;
    }

    /** An administrator removes the factor (lost device, after checking the holder); the holder may enrol anew. */
    @Transactional
    public void reset(UUID accountId, String actor) {
        Account account = checkReset(accountId, actor);
        clear(account);
        throttle.succeed(throttleKey(accountId));
        audit.recordInTransaction("TOTP_RESET", actor, accountId.toString(), null, null, null);
        notices.factorChanged(account, SecurityNotices.Change.FACTOR_RESET);
    }

    /** A new secret, pending: the active factor (if any) and its spent codes stay as they are. */
    private Issued issue(Account account) {
        String secret = Totp.newSecret();
        OffsetDateTime now = OffsetDateTime.now();
        account.totpPending = encryption.seal(secret, context(account.id));
        account.totpPendingIssuedAt = now;
        account.updatedAt = now;
        em.createNativeQuery("UPDATE account SET totp_pending_failures = 0 WHERE id = ?1").setParameter(1, account.id)
                .executeUpdate();
        return new Issued(secret, now.plus(config.pendingLifetime()));
    }

    /** No factor, nothing pending, no spent codes: as before the first enrolment. */
    private void clear(Account account) {
        account.totpSecret = null;
        account.totpPending = null;
        account.totpPendingIssuedAt = null;
        account.updatedAt = OffsetDateTime.now();
        em.flush();
        em.createNativeQuery("UPDATE account SET totp_last_step = NULL, totp_pending_failures = 0 WHERE id = ?1")
                .setParameter(1, account.id).executeUpdate();
    }

    /**
     * Until when the account's pending secret can be confirmed; empty when none is waiting or it has expired. Never
     * the secret itself.
     */
    public Optional<OffsetDateTime> pendingExpiresAt(Account account) {
        return account.totpPending == null || expired(account) ? Optional.empty()
                : Optional.of(account.totpPendingIssuedAt.plus(config.pendingLifetime()));
    }

    /**
     * Clears the pending secrets past their lifetime (with their issue time and wrong-code count) in one statement,
     * loading no account: a holder who never came back to confirm leaves no sealed secret behind. Like the other
     * purges it is not audited (confirming one after its lifetime is, when the holder tries: see {@link #confirm}).
     * The account's version is left alone, as when a secret is discarded. A secret issued again meanwhile is newer
     * than the cutoff and stays.
     */
    @Scheduled(every = "${identity.totp.pending-purge-interval:10m}", delayed = "1m")
    @Transactional
    public void purgeExpiredPending() {
        em.createNativeQuery("UPDATE account SET totp_pending = NULL, totp_pending_issued_at = NULL, "
                + "totp_pending_failures = 0 WHERE totp_pending IS NOT NULL AND (totp_pending_issued_at IS NULL "
                + "OR totp_pending_issued_at <= ?1)").setParameter(1, OffsetDateTime.now()
                .minus(config.pendingLifetime())).executeUpdate();
    }

    /** Issued before the configured lifetime (or, written by an earlier release, at an unknown time). */
    private boolean expired(Account account) {
        return account.totpPendingIssuedAt == null
                || !OffsetDateTime.now().isBefore(account.totpPendingIssuedAt.plus(config.pendingLifetime()));
    }

    /**
     * Counts a wrong code against the pending secret as loaded; returns the count (0 when another request replaced,
     * confirmed or discarded it meanwhile). Written by SQL alone, so concurrent wrong codes each count.
     */
    private int wrongConfirmation(Account account) {
        List<?> rows = em.createNativeQuery("UPDATE account SET totp_pending_failures = totp_pending_failures + 1 "
                + "WHERE id = ?1 AND totp_pending = ?2 RETURNING totp_pending_failures")
                .setParameter(1, account.id).setParameter(2, account.totpPending).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).intValue();
    }

    /**
     * Discards the pending secret as loaded (by SQL, leaving the account's version alone: a login at the same time
     * must not fail on it); the transaction commits though the request is refused.
     */
    private void discardPending(Account account) {
        em.createNativeQuery("UPDATE account SET totp_pending = NULL, totp_pending_issued_at = NULL, "
                + "totp_pending_failures = 0 WHERE id = ?1 AND totp_pending = ?2").setParameter(1, account.id)
                .setParameter(2, account.totpPending).executeUpdate();
    }

    private void refuseWhileLocked(String key) {
        Optional<OffsetDateTime> locked = throttle.lockedUntil(key);
        if (locked.isPresent()) {
            throw LoginThrottle.rateLimited(locked.get());
        }
    }

    /** 400 on {@code code}; {@code enrolment} says why the holder has to start again (EXPIRED, DISCARDED). */
    private static ApiException startAgain(String message, String reason) {
        return new ApiException(ProblemType.VALIDATION, message, List.of(new FieldError("code", message)),
                Map.of("enrolment", reason), Map.of());
    }

    private static String throttleKey(UUID accountId) {
        return "totp:" + accountId;
    }

    private static Account account(UUID id) {
        Account account = Account.findById(id);
        if (account == null) {
            throw ApiException.notFound("账户不存在 / no such account");
        }
        return account;
    }

    /** The secret in clear; one still stored in clear (sealed at the next start) is taken as it is. */
    private String secret(UUID accountId, String stored) {
        if (!KeyEncryption.isSealed(stored)) {
            return stored;
        }
        try {
            return encryption.open(stored, context(accountId));
        } catch (KeyEncryption.KeyEncryptionException e) {
            throw new KeyEncryption.KeyEncryptionException("TOTP secret of account " + accountId + " " + e.getMessage());
        }
    }

    private static String context(UUID accountId) {
        return "totp:" + accountId;
    }
}
