package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import io.quarkus.scheduler.Scheduled;

/**
 * Account recovery (忘记密码) that does not tell whether an account exists. A request only checks the rate limit per
 * IP address and queues the identifier: the answer is the same work, the same status and the same body either way,
 * and nothing about the identifier (its account, or requests others made for it) can refuse it. The queue is then
 * worked off: for a live account with a registered contact a one-time reset token is made, its SHA-256 stored and the
 * token itself written only into the outbox message for that contact; for anything else the same token work is done
 * and only an audit line is written. Delivery, not the request, is throttled per account: while the last token sent
 * is still valid and younger than {@code recovery.resend-interval} nothing new is sent (that message serves), and at
 * most {@code recovery.max-messages-per-day} go out a day, so others' requests cost the holder at most a few
 * messages and never lock the holder's own recovery.
 * Using the token (once, within its lifetime) sets a password that meets the policy, revokes every grant and SSO
 * session of the account, clears its lockout and notifies the holder.
 */
@ApplicationScoped
public class RecoveryService {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String INVALID_TOKEN = "重置码无效、已过期或已使用 / the reset token is invalid, expired or already used";

    private final IdentityConfig config;
    private final EntityManager em;
    private final LoginThrottle throttle;
    private final NotificationOutbox outbox;
    private final PasswordChange passwords;
    private final AuditService audit;

    public RecoveryService(IdentityConfig config, EntityManager em, LoginThrottle throttle, NotificationOutbox outbox,
            PasswordChange passwords, AuditService audit) {
        this.config = config;
        this.em = em;
        this.throttle = throttle;
        this.outbox = outbox;
        this.passwords = passwords;
        this.audit = audit;
    }

    /** Starts recovery for a login name (公民身份号码, 统一社会信用代码 or staff login). Same outcome for every identifier. */
    @Transactional(dontRollbackOn = ApiException.class)
    public void request(String identifier, String ip, boolean english) {
        String id = identifier == null ? "" : identifier.trim();
        if (!IDENTIFIER.matcher(id).matches()) {
            throw ApiException.field("identifier",
                    "请填写公民身份号码、统一社会信用代码或工作人员账号 / enter an ID number, credit code or staff login");
        }
        String ipKey = "recover:" + LoginThrottle.ipKey(ip);
        throttle.admit(ipKey, config.recovery().ipMaxRequests(), config.recovery().lock(), config.recovery().window());
        em.createNativeQuery("INSERT INTO recovery_request (identifier, ip, english, request_id) VALUES (?1, ?2, ?3, ?4)")
                .setParameter(1, id).setParameter(2, ip).setParameter(3, english)
                .setParameter(4, RequestContext.requestId()).executeUpdate();
    }

    @Scheduled(every = "${identity.recovery.queue-interval:2s}", delayed = "5s")
    void scheduled() {
        processQueue();
    }

    /** Works off queued requests (every replica may run this: rows are claimed with SKIP LOCKED). */
    @Transactional
    @SuppressWarnings("unchecked")
    public int processQueue() {
        List<Object[]> rows = em.createNativeQuery("SELECT id, identifier, ip, english, request_id FROM recovery_request "
                + "ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED").getResultList();
        for (Object[] row : rows) {
            issue((String) row[1], (String) row[2], Boolean.TRUE.equals(row[3]), (String) row[4]);
            em.createNativeQuery("DELETE FROM recovery_request WHERE id = ?1").setParameter(1, row[0]).executeUpdate();
        }
        return rows.size();
    }

    private void issue(String identifier, String ip, boolean english, String requestId) {
        Account account = Account.byUsername(identifier);
        // the token is made and hashed whether or not it is going to be used
        String token = Secrets.random(32);
        String hash = Secrets.sha256(token);
        String outcome;
        if (account == null) {
            outcome = "no such account";
        } else if (!account.active()) {
            outcome = "account disabled";
        } else if (!NotificationOutbox.hasContact(account.email, account.phone)) {
            outcome = "no registered contact";
        } else if (recentTokenValid(account)) {
            outcome = "a valid reset token was sent less than " + config.recovery().resendInterval().toMinutes()
                    + " min ago; nothing sent";
        } else if (!outbox.withinDailyQuota(NotificationOutbox.Kind.PASSWORD_RESET, account.id,
                config.recovery().maxMessagesPerDay())) {
            outcome = "daily limit of reset messages reached; nothing sent";
        } else {
            OffsetDateTime expires = OffsetDateTime.now().plus(config.recovery().tokenLifetime());
            em.createNativeQuery("UPDATE password_reset SET used_at = now(), outcome = 'SUPERSEDED' "
                    + "WHERE account_id = ?1 AND used_at IS NULL").setParameter(1, account.id).executeUpdate();
            em.createNativeQuery("INSERT INTO password_reset (token_hash, account_id, expires_at) VALUES (?1, ?2, ?3)")
                    .setParameter(1, hash).setParameter(2, account.id).setParameter(3, expires).executeUpdate();
            long minutes = config.recovery().tokenLifetime().toMinutes();
            String link = config.issuer() + "/recover/reset?token=" + token + (english ? "&lang=en" : "");
            int sent = outbox.send(NotificationOutbox.Kind.PASSWORD_RESET, account.id, account.email, account.phone,
                    new NotificationOutbox.Text("统一身份认证密码重置 / Password reset",
                            "您正在找回统一身份认证账户密码。重置码：" + token + "，" + minutes + "分钟内有效，仅可使用一次。"
                                    + "重置页面：" + link + " 。如非本人操作，请忽略本消息。\n"
                                    + "You asked to reset your password. Reset token: " + token + " (valid " + minutes
                                    + " minutes, once). Page: " + link + " . If this was not you, ignore this message."),
                    expires);
            outcome = "reset token sent to " + sent + " contact(s)";
        }
        audit.record("RECOVERY_REQUESTED", outcome.startsWith("reset"), audit.submittedName(identifier, account),
                account == null ? null : account.id.toString(), null, ip, outcome, requestId);
    }

    /** Withdraws the account's reset tokens not yet used: they went to a contact the account no longer has. */
    public void withdrawOutstanding(UUID accountId) {
        em.createNativeQuery("UPDATE password_reset SET used_at = now(), outcome = 'SUPERSEDED' "
                + "WHERE account_id = ?1 AND used_at IS NULL").setParameter(1, accountId).executeUpdate();
    }

    private boolean recentTokenValid(Account account) {
        return !em.createNativeQuery("SELECT 1 FROM password_reset WHERE account_id = ?1 AND used_at IS NULL AND "
                + "expires_at > now() AND created_at > now() - make_interval(secs => ?2)").setParameter(1, account.id)
                .setParameter(2, (double) config.recovery().resendInterval().toSeconds()).getResultList().isEmpty();
    }

    /** Sets a new password with a reset token; the token is spent only when the password is accepted. */
    @Transactional(dontRollbackOn = ApiException.class)
    public void reset(String token, String password, String ip) {
        String ipKey = "reset:" + LoginThrottle.ipKey(ip);
        Optional<OffsetDateTime> locked = throttle.lockedUntil(ipKey);
        if (locked.isPresent()) {
            throw LoginThrottle.rateLimited(locked.get());
        }
        String hash = Secrets.tokenHash(token);
        List<?> found = hash == null ? List.of()
                : em.createNativeQuery("SELECT CAST(account_id AS VARCHAR) FROM password_reset WHERE token_hash = ?1 "
                        + "AND used_at IS NULL AND expires_at > now()").setParameter(1, hash).getResultList();
        Account account = found.isEmpty() ? null : Account.findById(UUID.fromString((String) found.get(0)));
        if (account == null || !account.active()) {
            throttle.count(ipKey, config.recovery().ipMaxRequests(), config.recovery().lock(),
                    config.recovery().window(), config.login().maxLock());
            audit.record("PASSWORD_RESET", false, null, account == null ? null : account.id.toString(), null, ip,
                    "invalid, expired or used reset token");
            throw ApiException.field("token", INVALID_TOKEN);
        }
        PasswordPolicy.problem(password, account.username).ifPresent(p -> {
            throw ApiException.field("password", p);
        });
        int claimed = em.createNativeQuery("UPDATE password_reset SET used_at = now(), outcome = 'USED' "
                + "WHERE token_hash = ?1 AND used_at IS NULL").setParameter(1, hash).executeUpdate();
        if (claimed == 0) {
            throw ApiException.field("token", INVALID_TOKEN);
        }
        int[] signedOut = passwords.apply(account, password, null, "password reset", ip,
                new NotificationOutbox.Text("统一身份认证密码已重置 / Password changed",
                        "您的统一身份认证账户密码已重置，所有登录会话已退出。如非本人操作，请立即联系服务窗口。\n"
                                + "Your password was reset and every session signed out. If this was not you, "
                                + "contact the service counter at once."));
        audit.recordInTransaction("PASSWORD_RESET", account.id.toString(), account.id.toString(), null, ip,
                "sessions ended=" + signedOut[0] + ", other grants revoked=" + signedOut[1]);
    }
}
