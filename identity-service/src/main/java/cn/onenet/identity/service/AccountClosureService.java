package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountClosure;
import cn.onenet.identity.model.AccountType;
import io.quarkus.scheduler.Scheduled;

/**
 * 注销账户 (PIPL Art. 47): the holder closes their own personal account.
 * <p>
 * The request needs the holder's own login (not an agent's), the current password (wrong ones lock like failed
 * logins) and a sign-in at the account's real-name level, at most L3 ({@link #MIN_LEVEL}): an L3 account is not closed
 * from an L2 sign-in. A legal representative of an enterprise must have the enterprise's representative changed first.
 * The request then cools off ({@code identity.closure.cooling-off}, 15 days by default): every sign-in of the account
 * ends at once, and signing in again, or the cancel token sent to the contact on file, cancels it. When it has passed
 * the scheduled step ({@link #closeDue}) closes the account, see {@link #close}.
 */
@ApplicationScoped
public class AccountClosureService {

    /** The highest sign-in level a closure asks for: the account's level, capped here. */
    static final int MIN_LEVEL = 3;
    /** Purpose of the keyed digest of a closed account's ID number ({@link Pseudonyms}). */
    static final String DIGEST_PURPOSE = "closed-account-id";
    /** What a closed account shows as its name. */
    public static final String CLOSED_NAME = "已注销用户";
    static final String INVALID_CANCEL = "撤销码无效或注销已完成 / the cancel token is invalid or the account is "
            + "already closed";
    /** Times in notices and pages: Beijing time, to the minute. */
    public static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneId.of("Asia/Shanghai"));

    private final IdentityConfig config;
    private final EntityManager em;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final LogoutService logouts;
    private final DelegationService delegations;
    private final RecoveryService recovery;
    private final NotificationOutbox outbox;
    private final AuditService audit;
    private final Pseudonyms pseudonyms;

    public AccountClosureService(IdentityConfig config, EntityManager em, PasswordHasher hasher,
            LoginThrottle throttle, LogoutService logouts, DelegationService delegations, RecoveryService recovery,
            NotificationOutbox outbox, AuditService audit, Pseudonyms pseudonyms) {
        this.config = config;
        this.em = em;
        this.hasher = hasher;
        this.throttle = throttle;
        this.logouts = logouts;
        this.delegations = delegations;
        this.recovery = recovery;
        this.outbox = outbox;
        this.audit = audit;
        this.pseudonyms = pseudonyms;
    }

    /** The account's closure cooling off, or null. */
    @Transactional
    public AccountClosure pending(UUID accountId) {
        return AccountClosure.open(accountId);
    }

    /**
     * The holder asks for closure from a sign-in at {@code sessionLevel}: checked, recorded with its cancel token sent
     * to the contact, and every sign-in of the account ended.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public AccountClosure request(UUID accountId, String password, int sessionLevel, String ip) {
        Account account = Account.findById(accountId);
        if (account == null || !account.active()) {
            throw ApiException.notFound("账户不存在 / no such account");
        }
        String actor = accountId.toString();
        if (account.type != AccountType.NATURAL_PERSON) {
            throw ApiException.forbidden("企业和工作人员账户由管理员注销，此处只能注销个人账户 / only a personal account is "
                    + "closed here; enterprise and staff accounts are closed by an administrator");
        }
        Acr.require(sessionLevel, Math.min(account.level, MIN_LEVEL), "注销账户", "closing the account");
        if (Account.count("legalRepresentativeId", accountId) > 0) {
            throw ApiException.conflict("您是企业的法定代表人，请先办理法定代表人变更再注销 / you are recorded as an "
                    + "enterprise's legal representative: have the representative changed first");
        }
        if (AccountClosure.open(accountId) != null) {
            throw ApiException.conflict("已申请注销，冷静期内再次登录即可撤销 / closure already requested; signing in "
                    + "again during the cooling-off cancels it");
        }
        String key = LoginThrottle.accountKey(account.username);
        Optional<OffsetDateTime> locked = throttle.lockedUntil(key);
        if (locked.isPresent()) {
            audit.record("ACCOUNT_CLOSURE_REQUESTED", false, actor, actor, null, ip, "locked until " + locked.get());
            throw LoginThrottle.rateLimited(locked.get());
        }
        if (password == null || password.isEmpty()) {
            throw ApiException.field("password", PasswordChange.CURRENT_REQUIRED);
        }
        if (!hasher.verify(password, account.passwordHash)) {
            Optional<OffsetDateTime> lockedNow = throttle.fail(key, false);
            audit.record("ACCOUNT_CLOSURE_REQUESTED", false, actor, actor, null, ip, "wrong password"
                    + lockedNow.map(until -> "; locked until " + until).orElse(""));
            throw ApiException.field("password", PasswordChange.WRONG_CURRENT);
        }
        AccountClosure closure = new AccountClosure();
        closure.id = UUID.randomUUID();
        closure.accountId = accountId;
        closure.effectiveAt = closure.requestedAt.plus(config.closure().coolingOff());
        String cancel = Secrets.random(32);
        closure.cancelHash = Secrets.sha256(cancel);
        closure.persist();
        String when = DAY.format(closure.effectiveAt);
        String link = config.issuer() + "/account-closure/cancel?token=" + cancel;
        outbox.send(NotificationOutbox.Kind.CLOSURE_REQUESTED, accountId, account.email, account.phone,
                new NotificationOutbox.Text("统一身份认证账户注销申请 / Account closure requested",
                        "您已申请注销统一身份认证账户，账户将于" + when + "（北京时间）注销，届时个人信息将被删除，"
                                + "已授权的应用和经办授权将终止。此前再次登录即可撤销，或打开撤销页面 " + link + " （撤销码：" + cancel + "）撤销。"
                                + "如非本人操作，请立即登录撤销并修改密码。\n"
                                + "You asked to close your identity account. It will be closed on " + when
                                + " (China Standard Time): your personal data will be deleted and the applications "
                                + "and agent authorisations you gave will end. Sign in again before then to cancel, "
                                + "or open the page " + link + " (cancel token: " + cancel + "). If this was not you, sign in at once to "
                                + "cancel and change your password."), closure.effectiveAt);
        // signing in again is how the holder cancels: no sign-in may carry on without one
        int[] signedOut = logouts.signOutEverywhere(accountId, false, "closure requested", ip);
        audit.recordInTransaction("ACCOUNT_CLOSURE_REQUESTED", actor, actor, null, ip, "effective at "
                + closure.effectiveAt + "; sessions ended=" + signedOut[0] + ", other grants revoked=" + signedOut[1]);
        return closure;
    }

    /** A successful sign-in of the account during the cooling-off cancels its closure (in the login's transaction). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean cancelBySignIn(Account account, String ip) {
        AccountClosure closure = AccountClosure.open(account.id);
        if (closure == null) {
            return false;
        }
        closure.end(AccountClosure.CANCELLED_BY_SIGN_IN);
        cancelled(account, ip, "by signing in");
        return true;
    }

    /**
     * The closure a cancel token would cancel, for the page that asks before cancelling; a wrong token counts by IP as
     * at {@link #cancelWithToken}, so the page is no way round the limit.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public AccountClosure cancellable(String token, String ip) {
        return byCancelToken(token, ip);
    }

    /** The contact cancels with the token the notice carried, without signing in; wrong tokens count by IP. */
    @Transactional(dontRollbackOn = ApiException.class)
    public void cancelWithToken(String token, String ip) {
        AccountClosure closure = byCancelToken(token, ip);
        closure.end(AccountClosure.CANCELLED_BY_TOKEN);
        cancelled(Account.findById(closure.accountId), ip, "with the token sent to the contact");
    }

    private AccountClosure byCancelToken(String token, String ip) {
        String ipKey = throttle.tokenSource("closure-cancel", ip);
        String hash = Secrets.tokenHash(token);
        AccountClosure closure = hash == null ? null
                : AccountClosure.find("cancelHash = ?1 and endedAt is null", hash).firstResult();
        if (closure == null) {
            throttle.wrongToken(ipKey, config.closure().cancelIpMaxFailures());
            audit.record("ACCOUNT_CLOSURE_CANCELLED", false, null, null, null, ip, "invalid or spent cancel token");
            throw ApiException.field("token", INVALID_CANCEL);
        }
        return closure;
    }

    private void cancelled(Account account, String ip, String how) {
        outbox.send(NotificationOutbox.Kind.CLOSURE_CANCELLED, account.id, account.email, account.phone,
                new NotificationOutbox.Text("统一身份认证账户注销已撤销 / Account closure cancelled",
                        "您的统一身份认证账户注销申请已撤销，账户继续有效。如非本人操作，请立即修改密码。\n"
                                + "The closure of your identity account was cancelled; the account stays open. If "
                                + "this was not you, change your password at once."), OffsetDateTime.now().plusDays(1));
        audit.recordInTransaction("ACCOUNT_CLOSURE_CANCELLED", account.id.toString(), account.id.toString(), null, ip,
                how);
    }

    @Scheduled(every = "${identity.closure.close-interval:10m}", delayed = "1m")
    void scheduled() {
        closeDue();
    }

    /** Closes the accounts whose closure has cooled off; returns how many. */
    @Transactional
    public int closeDue() {
        List<AccountClosure> due = AccountClosure.list("endedAt is null and effectiveAt <= ?1", OffsetDateTime.now());
        for (AccountClosure closure : due) {
            close(closure);
        }
        return due.size();
    }

    /**
     * Closes the account. Ended: every session (with back-channel logout) and grant, so refresh tokens stop working;
     * consents and first-party data-sharing records; delegations given or received and invitations naming its ID
     * number; reset tokens, contact changes, login locks. Removed: name, ID number, phone, e-mail, password, second
     * factor, and the address and browser of its past sessions. The login name and the ID number are freed, so the
     * person can register again; a keyed digest of the number stays with the closure record. Kept: the account row
     * (status CLOSED, its id and level) and the audit trail, which names it by id (its clear login name, where a failed
     * login recorded one, is replaced by the id): see the module README on retention.
     */
    private void close(AccountClosure closure) {
        Account account = Account.findById(closure.accountId);
        if (account == null || "CLOSED".equals(account.status)) {
            closure.end(AccountClosure.CLOSED);
            return;
        }
        UUID id = account.id;
        outbox.send(NotificationOutbox.Kind.ACCOUNT_CLOSED, id, account.email, account.phone,
                new NotificationOutbox.Text("统一身份认证账户已注销 / Account closed",
                        "您的统一身份认证账户已注销，个人信息已删除，此联系方式不再接收该账户的消息。您可随时以本人身份证件重新注册。\n"
                                + "Your identity account is closed and your personal data deleted; this contact "
                                + "receives no more messages about it. You may register again with your ID at any "
                                + "time."), OffsetDateTime.now().plusDays(1));
        int[] signedOut = logouts.signOutEverywhere(id, true, "account closed", null);
        int revoked = delegations.revokeAllOf(account, id.toString(), "closure of " + id,
                SecurityNotices.Change.DELEGATION_ENDED_BY_CLOSURE);
        recovery.withdrawOutstanding(id);
        for (String table : List.of("consent", "data_sharing", "contact_change", "notice_quota")) {
            em.createNativeQuery("DELETE FROM " + table + " WHERE account_id = ?1").setParameter(1, id)
                    .executeUpdate();
        }
        em.createNativeQuery("UPDATE sso_session SET ip = NULL, user_agent = NULL WHERE account_id = ?1")
                .setParameter(1, id).executeUpdate();
        throttle.clearName(account.username);
        audit.flush();
        int renamed = em.createNativeQuery("UPDATE audit_event SET actor = ?1 WHERE actor = ?2")
                .setParameter(1, id.toString()).setParameter(2, account.username).executeUpdate();
        closure.idDigest = account.idNumber == null ? null
                : pseudonyms.of(DIGEST_PURPOSE, account.idNumber.toUpperCase());
        account.username = "closed-" + id;
        account.displayName = CLOSED_NAME;
        account.idNumber = null;
        account.email = null;
        account.phone = null;
        account.emailVerifiedAt = null;
        account.phoneVerifiedAt = null;
        account.passwordHash = null;
        account.totpSecret = null;
        account.totpPending = null;
        account.totpPendingIssuedAt = null;
        account.failedLogins = 0;
        account.lockedUntil = null;
        account.status = "CLOSED";
        account.updatedAt = OffsetDateTime.now();
        closure.end(AccountClosure.CLOSED);
        audit.recordInTransaction("ACCOUNT_CLOSED", id.toString(), id.toString(), null, null, "requested at "
                + closure.requestedAt + "; sessions ended=" + signedOut[0] + ", other grants revoked=" + signedOut[1]
                + "; delegations revoked=" + revoked + "; audit rows naming the login name renamed=" + renamed);
    }
}
