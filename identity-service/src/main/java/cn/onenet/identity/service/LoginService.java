package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.identity.model.Account;

/**
 * Password (+ TOTP) login with brute-force protection per login name and per IP address. Every failure answers
 * the same way whether or not the account exists.
 */
@ApplicationScoped
public class LoginService {

    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final AuditService audit;
    private final TotpFactor totp;
    private final LoginCounter counter;

    public LoginService(PasswordHasher hasher, LoginThrottle throttle, AuditService audit, TotpFactor totp,
            LoginCounter counter) {
        this.hasher = hasher;
        this.throttle = throttle;
        this.audit = audit;
        this.totp = totp;
        this.counter = counter;
    }

    public enum Failure {
        BAD_CREDENTIALS, // 用户名或密码错误
        BAD_OTP,         // 动态口令错误
        OTP_REQUIRED,    // 需要动态口令
        LOCKED,          // 暂时锁定
        BLOCKED          // 密码登录已停用：须找回密码或由管理员解除
    }

    /** The outcome: an account with the methods used, or a failure (with the lock end when locked). */
    public record Result(Account account, String amr, Failure failure, OffsetDateTime lockedUntil) {
        public boolean ok() {
            return failure == null;
        }

        /** The session's level: the account's level, but L4 only with the second factor. */
        public int acrLevel() {
            return account.level == 4 && !amr.contains("otp") ? 3 : account.level;
        }
    }

    @Transactional
    public Result login(String username, String password, String otp, String ip, String clientId) {
        String user = username == null ? "" : username.trim();
        String userKey = LoginThrottle.accountKey(user);
        String ipKey = LoginThrottle.ipKey(ip);
        if (throttle.blocked(userKey)) {
            // the same for a name without an account: blocking tells nothing about which names exist
            audit.record("LOGIN", false, user, null, clientId, ip, "password login blocked");
            return new Result(null, null, Failure.BLOCKED, null);
        }
        Optional<OffsetDateTime> locked = throttle.lockedUntil(ipKey).or(() -> throttle.lockedUntil(userKey));
        if (locked.isPresent()) {
            audit.record("LOGIN", false, user, null, clientId, ip, "locked until " + locked.get());
            return new Result(null, null, Failure.LOCKED, locked.get());
        }
        Account account = user.isEmpty() || user.length() > 64 ? null : Account.byUsername(user);
        boolean passwordOk = hasher.verify(password == null ? "" : password,
                account == null ? null : account.passwordHash) && account.active();
        if (!passwordOk) {
            return fail(user, account, ip, clientId, Failure.BAD_CREDENTIALS, userKey, ipKey);
        }
        String amr = "pwd";
        if (account.totpSecret != null) {
            if (otp == null || otp.isBlank()) {
                return new Result(null, null, Failure.OTP_REQUIRED, null);
            }
            if (!totp.accept(account, otp)) { // a wrong code, or one already used
                return fail(user, account, ip, clientId, Failure.BAD_OTP, userKey, ipKey);
            }
            amr = "pwd otp";
        }
        counter.succeeded(userKey, account.id);
        audit.record("LOGIN", true, account.id.toString(), account.id.toString(), clientId, ip, "amr=" + amr);
        return new Result(account, amr, null, null);
    }

    private Result fail(String user, Account account, String ip, String clientId, Failure failure, String userKey,
            String ipKey) {
        LoginCounter.Locks locks = counter.failed(userKey, ipKey, account == null ? null : account.id);
        Optional<OffsetDateTime> lockedAccount = locks.account();
        Optional<OffsetDateTime> lockedIp = locks.ip();
        audit.record("LOGIN", false, user, account == null ? null : account.id.toString(), clientId, ip,
                failure.name().toLowerCase());
        if (throttle.blocked(userKey)) {
            audit.record("LOGIN_LOCKOUT", false, user, account == null ? null : account.id.toString(), clientId, ip,
                    "password login blocked after consecutive failures");
            return new Result(null, null, Failure.BLOCKED, null);
        }
        Optional<OffsetDateTime> locked = lockedAccount.or(() -> lockedIp);
        if (locked.isPresent()) {
            audit.record("LOGIN_LOCKOUT", false, user, account == null ? null : account.id.toString(), clientId, ip,
                    "locked until " + locked.get());
            return new Result(null, null, Failure.LOCKED, locked.get());
        }
        return new Result(null, null, failure, null);
    }
}
