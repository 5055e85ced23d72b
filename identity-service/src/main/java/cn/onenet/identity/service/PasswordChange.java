package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.TokenGrant;

/**
 * The holder changes their own password (修改密码), proven with the current one. Wrong current passwords count
 * towards a growing lock of the login name from the signed-in holder ({@link LoginThrottle#pairKey}, as failed logins
 * from one source do): guessing here gains nothing over the login page, and while the lock holds it refuses (429);
 * failures of others at the login page never hold it. The new password meets the
 * {@link PasswordPolicy} and differs from the current one. A change ends every other sign-in of the account, as a
 * reset does ({@link RecoveryService}): other SSO sessions end (with back-channel logout) and every grant not issued
 * in the caller's session is revoked, so refresh tokens held elsewhere stop working; the caller's own session stays.
 * The holder is notified at their registered contacts, if any.
 */
@ApplicationScoped
public class PasswordChange {

    static final String CURRENT_REQUIRED = "请输入当前密码 / enter your current password";
    static final String WRONG_CURRENT = "当前密码错误 / the current password is wrong";
    static final String SAME = "新密码不能与当前密码相同 / the new password must differ from the current one";

    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final LogoutService logouts;
    private final NotificationOutbox outbox;
    private final AuditService audit;

    public PasswordChange(PasswordHasher hasher, LoginThrottle throttle, LogoutService logouts,
            NotificationOutbox outbox, AuditService audit) {
        this.hasher = hasher;
        this.throttle = throttle;
        this.logouts = logouts;
        this.outbox = outbox;
        this.audit = audit;
    }

    /**
     * Changes the password of the account; {@code kept} is the grant of the caller's token, whose sign-in stays
     * (null: none). 429 while the login name is locked; 400 on {@code currentPassword} or {@code newPassword}.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public void change(UUID accountId, String currentPassword, String newPassword, TokenGrant kept, String ip) {
        Account account = Account.findById(accountId);
        if (account == null) {
            throw ApiException.notFound("账户不存在 / no such account");
        }
        String actor = accountId.toString();
        // the holder's own key: signed in, they are their own source, and strangers' failures never hold them
        String key = LoginThrottle.pairKey(account.username, "signed-in");
        Optional<OffsetDateTime> locked = throttle.lockedUntil(key);
        if (locked.isPresent()) {
            audit.record("PASSWORD_CHANGED", false, actor, actor, null, ip, "locked until " + locked.get());
            throw LoginThrottle.rateLimited(locked.get());
        }
        // what can be told without the current password: nothing here tells whether it is right
        List<FieldError> errors = new ArrayList<>();
        if (currentPassword == null || currentPassword.isEmpty()) {
            errors.add(new FieldError("currentPassword", CURRENT_REQUIRED));
        }
        Optional<String> weak = PasswordPolicy.problem(newPassword, account.username);
        if (weak.isPresent()) {
            errors.add(new FieldError("newPassword", weak.get()));
        } else if (newPassword.equals(currentPassword)) {
            errors.add(new FieldError("newPassword", SAME));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        if (!hasher.verify(currentPassword, account.passwordHash)) {
            Optional<OffsetDateTime> lockedNow = throttle.fail(key, false);
            audit.record("PASSWORD_CHANGED", false, actor, actor, null, ip, "wrong current password"
                    + lockedNow.map(until -> "; locked until " + until).orElse(""));
            throw ApiException.field("currentPassword", WRONG_CURRENT);
        }
        int[] signedOut = apply(account, newPassword, kept, "password changed", ip,
                new NotificationOutbox.Text("统一身份认证密码已修改 / Password changed",
                        "您的统一身份认证账户密码已修改，其他登录会话已退出。如非本人操作，请立即找回密码或联系服务窗口。\n"
                                + "Your password was changed and your other sessions signed out. If this was not "
                                + "you, recover your account or contact the service counter at once."));
        audit.recordInTransaction("PASSWORD_CHANGED", actor, actor, kept == null ? null : kept.clientId, ip,
                "other sessions ended=" + signedOut[0] + ", other grants revoked=" + signedOut[1]);
    }

    /**
     * Sets a new password (already checked against the policy) and ends what the old one opened, for a change and a
     * reset ({@link RecoveryService}) alike: the lockout of the login name is cleared, every SSO session and grant of
     * the account ends but the sign-in of {@code kept} (null: none stays), and the holder is told at their registered
     * contacts. Returns the number of sessions ended and of other grants revoked; the caller audits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    int[] apply(Account account, String password, TokenGrant kept, String reason, String ip,
            NotificationOutbox.Text notice) {
        account.passwordHash = hasher.hash(password);
        account.failedLogins = 0;
        account.lockedUntil = null;
        account.updatedAt = OffsetDateTime.now();
        throttle.clearName(account.username);
        int[] signedOut = logouts.signOutEverywhereBut(kept, account.id, false, reason, ip);
        outbox.send(NotificationOutbox.Kind.PASSWORD_CHANGED, account.id, account.email, account.phone, notice,
                OffsetDateTime.now().plusDays(1));
        return signedOut;
    }
}
