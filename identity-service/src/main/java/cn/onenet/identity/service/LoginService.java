package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.identity.model.Account;

/**
 * Password (+ TOTP) login with brute-force protection ({@link LoginThrottle}): a growing lock per login name and source
 * and per source, and only a short soft delay on the login name alone, which never holds a device the holder signed in
 * from before (its trusted-device cookie, {@link DeviceCookie}). Nothing blocks a password login for good. The holder
 * is told, at most once a day, when their name is first held. Every failure answers the same way whether or not the
 * account exists.
 */
@ApplicationScoped
public class LoginService {

    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final AuditService audit;
    private final TotpFactor totp;
    private final DeviceCookie devices;
    private final NotificationOutbox outbox;
    private final LoginCounter counter;
    private final AccountClosureService closures;

    public LoginService(PasswordHasher hasher, LoginThrottle throttle, AuditService audit, TotpFactor totp,
            DeviceCookie devices, NotificationOutbox outbox, LoginCounter counter, AccountClosureService closures) {
        this.hasher = hasher;
        this.throttle = throttle;
        this.audit = audit;
        this.totp = totp;
        this.devices = devices;
        this.outbox = outbox;
        this.counter = counter;
        this.closures = closures;
    }

    public enum Failure {
        BAD_CREDENTIALS, // 用户名或密码错误
        BAD_OTP,         // 动态口令错误
        OTP_REQUIRED,    // 需要动态口令
        LOCKED           // 暂时锁定
    }

    /**
     * The outcome: an account with the methods used and a new trusted-device cookie for the browser, or a failure
     * (with the lock end when locked).
     */
    public record Result(Account account, String amr, Failure failure, OffsetDateTime lockedUntil,
            String deviceCookie) {
        public Result(Account account, String amr, Failure failure, OffsetDateTime lockedUntil) {
            this(account, amr, failure, lockedUntil, null);
        }

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
        return login(username, password, otp, ip, clientId, null);
    }

    /** {@code deviceCookie}: the browser's trusted-device cookie, if any (null: none). */
    @Transactional
    public Result login(String username, String password, String otp, String ip, String clientId,
            String deviceCookie) {
        String user = username == null ? "" : username.trim();
        Optional<String> device = devices.device(deviceCookie, user);
        // a trusted device is its own source: only its own failures hold it
        String pairKey = LoginThrottle.pairKey(user, device.map(d -> "device:" + d)
                .orElseGet(() -> LoginThrottle.source(ip)));
        String ipKey = LoginThrottle.ipKey(ip);
        Optional<OffsetDateTime> locked = device.isPresent() ? throttle.lockedUntil(pairKey)
                : throttle.lockedUntil(ipKey).or(() -> throttle.lockedUntil(pairKey))
                        .or(() -> throttle.lockedUntil(LoginThrottle.accountKey(user)));
        Account account = user.isEmpty() || user.length() > 64 ? null : Account.byUsername(user);
        if (locked.isPresent()) {
            audit.record("LOGIN", false, audit.submittedName(user, account),
                    account == null ? null : account.id.toString(), clientId, ip, "locked until " + locked.get());
            return new Result(null, null, Failure.LOCKED, locked.get());
        }
        boolean passwordOk = hasher.verify(password == null ? "" : password,
                account == null ? null : account.passwordHash) && account.active();
        if (!passwordOk) {
            return fail(user, account, ip, clientId, Failure.BAD_CREDENTIALS, pairKey, device.isPresent());
        }
        String amr = "pwd";
        if (account.totpSecret != null) {
            if (otp == null || otp.isBlank()) {
                return new Result(null, null, Failure.OTP_REQUIRED, null);
            }
            if (!totp.accept(account, otp)) { // a wrong code, or one already used
                return fail(user, account, ip, clientId, Failure.BAD_OTP, pairKey, device.isPresent());
            }
            amr = "pwd otp";
        }
        counter.succeeded(pairKey, account.id);
        audit.record("LOGIN", true, account.id.toString(), account.id.toString(), clientId, ip, "amr=" + amr
                + (device.isPresent() ? " device=trusted" : ""));
        // signing in again during the cooling-off is how the holder keeps their account (注销冷静期)
        closures.cancelBySignIn(account, ip);
        return new Result(account, amr, null, null, devices.issue(account.username));
    }

    private Result fail(String user, Account account, String ip, String clientId, Failure failure, String pairKey,
            boolean trusted) {
        LoginCounter.Locks locks = counter.failed(user, pairKey, LoginThrottle.ipKey(ip), trusted,
                account == null ? null : account.id);
        Optional<OffsetDateTime> lockedPair = locks.pair();
        Optional<OffsetDateTime> lockedIp = locks.ip();
        Optional<OffsetDateTime> heldName = locks.name();
        String actor = audit.submittedName(user, account);
        audit.record("LOGIN", false, actor, account == null ? null : account.id.toString(), clientId, ip,
                failure.name().toLowerCase());
        Optional<OffsetDateTime> locked = lockedPair.or(() -> lockedIp).or(() -> heldName);
        if (locked.isPresent()) {
            audit.record("LOGIN_LOCKOUT", false, actor, account == null ? null : account.id.toString(), clientId, ip,
                    (lockedPair.isPresent() ? "name from this source" : lockedIp.isPresent() ? "source"
                            : "name (soft delay)") + " locked until " + locked.get());
            if (account != null && (lockedPair.isPresent() || heldName.isPresent())) {
                notifyLocked(account);
            }
            return new Result(null, null, Failure.LOCKED, locked.get());
        }
        return new Result(null, null, failure, null);
    }

    /** Tells the holder, at the first lock of their login name in a day, what happened and what to do. */
    private void notifyLocked(Account account) {
        if (!NotificationOutbox.hasContact(account.email, account.phone)
                || !outbox.withinDailyQuota(NotificationOutbox.Kind.LOGIN_LOCKED, account.id, 1)) {
            return;
        }
        outbox.send(NotificationOutbox.Kind.LOGIN_LOCKED, account.id, account.email, account.phone,
                new NotificationOutbox.Text("统一身份认证登录提醒 / Failed sign-ins",
                        "您的统一身份认证账户今天出现多次密码错误的登录尝试，来源已被暂时限制。您在曾登录过的设备上仍可正常登录。"
                                + "如非本人操作：您的密码未泄露则无需处理；如担心密码泄露，请登录后修改密码、开通动态口令，"
                                + "或通过“忘记密码”重置。\n"
                                + "Someone made several sign-in attempts with a wrong password on your account today; "
                                + "their source is held for a while. You can still sign in from a device you used "
                                + "before. If this was not you and you fear your password is known, change it, turn on "
                                + "the one-time code, or reset it with \"Forgot password\"."),
                OffsetDateTime.now().plusDays(1));
    }
}
