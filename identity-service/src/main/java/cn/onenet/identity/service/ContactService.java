package cn.onenet.identity.service;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.ContactChange;
import io.quarkus.scheduler.Scheduled;

/**
 * The holder changes their phone or e-mail (更换手机或邮箱). A recycled number must not take an account over, and
 * neither must someone who learnt the password, so a change takes three things: the current password (wrong ones
 * lock like failed logins), a one-time code sent to the new contact, and a cooling-off period
 * ({@code identity.contact.cooling-off}) after the code, announced at the contacts on file with a cancel token.
 * Until it has passed the account keeps its old contact, so recovery ({@link RecoveryService}) still goes there; the
 * holder (signed in) or the old contact (with the token) can cancel meanwhile.
 */
@ApplicationScoped
public class ContactService {

    static final String WRONG_CODE = "验证码错误 / the code is wrong";
    static final String CODE_GONE = "验证码已过期或错误次数过多，请重新发起更换 / the code expired or was mistyped too often: "
            + "start the change again";
    static final String INVALID_CANCEL = "撤销码无效或该更换已生效 / the cancel token is invalid or the change already "
            + "took effect";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IdentityConfig config;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final NotificationOutbox outbox;
    private final AuditService audit;
    private final RecoveryService recovery;

    public ContactService(IdentityConfig config, PasswordHasher hasher, LoginThrottle throttle,
            NotificationOutbox outbox, AuditService audit, RecoveryService recovery) {
        this.config = config;
        this.hasher = hasher;
        this.throttle = throttle;
        this.outbox = outbox;
        this.audit = audit;
        this.recovery = recovery;
    }

    /** Asks for a change of one contact: checks the password and sends a code to the new contact. */
    @Transactional(dontRollbackOn = ApiException.class)
    public ContactChange start(UUID accountId, String currentPassword, String phone, String email, String ip) {
        Account account = account(accountId);
        String actor = accountId.toString();
        String key = LoginThrottle.accountKey(account.username);
        Optional<OffsetDateTime> locked = throttle.lockedUntil(key);
        if (locked.isPresent()) {
            audit.record("CONTACT_CHANGE_REQUESTED", false, actor, actor, null, ip, "locked until " + locked.get());
            throw LoginThrottle.rateLimited(locked.get());
        }
        boolean hasPhone = phone != null && !phone.isBlank();
        boolean hasEmail = email != null && !email.isBlank();
        List<FieldError> errors = new ArrayList<>();
        if (currentPassword == null || currentPassword.isEmpty()) {
            errors.add(new FieldError("currentPassword", PasswordChange.CURRENT_REQUIRED));
        }
        if (hasPhone == hasEmail) {
            errors.add(new FieldError("phone", "请填写新手机号或新电子邮箱（每次更换一项） / give either a new phone number or a "
                    + "new e-mail address (one at a time)"));
        } else if (hasPhone && !Contacts.phone(phone)) {
            errors.add(new FieldError("phone", Contacts.BAD_PHONE));
        } else if (hasEmail && !Contacts.email(email)) {
            errors.add(new FieldError("email", Contacts.BAD_EMAIL));
        } else if (hasPhone && phone.trim().equals(account.phone) || hasEmail && email.trim().equalsIgnoreCase(
                account.email == null ? "" : account.email)) {
            errors.add(new FieldError(hasPhone ? "phone" : "email",
                    "与当前登记的联系方式相同 / the same as the contact on file"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        if (!hasher.verify(currentPassword, account.passwordHash)) {
            Optional<OffsetDateTime> lockedNow = throttle.fail(key, false);
            audit.record("CONTACT_CHANGE_REQUESTED", false, actor, actor, null, ip, "wrong current password"
                    + lockedNow.map(until -> "; locked until " + until).orElse(""));
            throw ApiException.field("currentPassword", PasswordChange.WRONG_CURRENT);
        }
        ContactChange previous = ContactChange.open(accountId);
        if (previous != null) {
            previous.end("SUPERSEDED");
            previous.flush();
        }
        ContactChange change = new ContactChange();
        change.id = UUID.randomUUID();
        change.accountId = accountId;
        change.channel = hasPhone ? ContactChange.PHONE : ContactChange.EMAIL;
        change.newValue = (hasPhone ? phone : email).trim();
        String code = String.format("%06d", RANDOM.nextInt(1_000_000));
        change.codeHash = codeHash(change.id, code);
        change.codeExpiresAt = OffsetDateTime.now().plus(config.contact().codeLifetime());
        change.persist();
        long minutes = config.contact().codeLifetime().toMinutes();
        outbox.send(NotificationOutbox.Kind.CONTACT_CHANGE_CODE, accountId, hasPhone ? null : change.newValue,
                hasPhone ? change.newValue : null, new NotificationOutbox.Text(
                        "统一身份认证更换联系方式验证码 / Verification code",
                        "您正在将此" + (hasPhone ? "手机号" : "邮箱") + "登记为统一身份认证账户的联系方式。验证码：" + code + "，"
                                + minutes + "分钟内有效。如非本人操作，请忽略本消息。\n"
                                + "You are registering this " + (hasPhone ? "phone number" : "address") + " with "
                                + "your identity account. Code: " + code + " (valid " + minutes + " minutes). If "
                                + "this was not you, ignore this message."), change.codeExpiresAt);
        audit.recordInTransaction("CONTACT_CHANGE_REQUESTED", actor, actor, null, ip, "channel=" + change.channel
                + (previous != null ? "; earlier request superseded" : ""));
        return change;
    }

    /**
     * The code sent to the new contact: right, and the cooling-off starts, announced at the contacts on file with a
     * cancel token; wrong, and it counts (towards the account's login lock, and after
     * {@code identity.contact.code-max-failures} the change is given up).
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public ContactChange confirm(UUID accountId, String code, String ip) {
        Account account = account(accountId);
        String actor = accountId.toString();
        if (code == null || code.isBlank()) {
            throw ApiException.field("code", "请输入验证码 / enter the code");
        }
        ContactChange change = ContactChange.open(accountId);
        if (change == null || change.confirmedAt != null) {
            throw ApiException.illegalTransition("没有等待验证码的更换 / no change is waiting for a code");
        }
        String key = LoginThrottle.accountKey(account.username);
        Optional<OffsetDateTime> locked = throttle.lockedUntil(key);
        if (locked.isPresent()) {
            throw LoginThrottle.rateLimited(locked.get());
        }
        if (change.codeExpiresAt.isBefore(OffsetDateTime.now())) {
            change.end("DISCARDED");
            audit.record("CONTACT_CHANGE_CONFIRMED", false, actor, actor, null, ip, "code expired");
            throw ApiException.field("code", CODE_GONE);
        }
        if (!codeHash(change.id, code.trim()).equals(change.codeHash)) {
            change.codeFailures++;
            boolean given = change.codeFailures >= config.contact().codeMaxFailures();
            if (given) {
                change.end("DISCARDED");
            }
            throttle.fail(key, false);
            audit.record("CONTACT_CHANGE_CONFIRMED", false, actor, actor, null, ip,
                    "wrong code" + (given ? "; change given up" : ""));
            throw ApiException.field("code", given ? CODE_GONE : WRONG_CODE);
        }
        throttle.succeed(key);
        String cancel = Secrets.random(32);
        change.cancelHash = Secrets.sha256(cancel);
        change.confirmedAt = OffsetDateTime.now();
        change.effectiveAt = change.confirmedAt.plus(config.contact().coolingOff());
        long hours = config.contact().coolingOff().toHours();
        boolean phone = ContactChange.PHONE.equals(change.channel);
        String masked = phone ? Contacts.maskPhone(change.newValue) : Contacts.maskEmail(change.newValue);
        String link = config.issuer() + "/contact-change/cancel?token=" + cancel;
        outbox.send(NotificationOutbox.Kind.CONTACT_CHANGE_NOTICE, accountId, account.email, account.phone,
                new NotificationOutbox.Text("统一身份认证联系方式即将更换 / Your contact is about to change",
                        "您的统一身份认证账户申请将" + (phone ? "手机号" : "电子邮箱") + "更换为 " + masked + "，将于" + hours
                                + "小时后生效，此前找回密码仍发往本联系方式。如非本人操作，请登录后在“我的账户”撤销，或打开撤销页面 "
                                + link + " （撤销码：" + cancel + "）撤销，并立即修改密码。\n"
                                + "Your identity account asked to change its " + (phone ? "phone number" : "e-mail")
                                + " to " + masked + ". It takes effect in " + hours + " hours; until then password "
                                + "recovery still comes here. If this was not you, cancel it under My account or "
                                + "on the page " + link + " (cancel token: " + cancel + ") and change your password "
                                + "at once."),
                change.effectiveAt);
        audit.recordInTransaction("CONTACT_CHANGE_CONFIRMED", actor, actor, null, ip,
                "channel=" + change.channel + "; effective at " + change.effectiveAt);
        return change;
    }

    /** The holder, signed in, cancels their open change (waiting for the code or cooling off). */
    @Transactional
    public void cancel(UUID accountId, String ip) {
        ContactChange change = ContactChange.open(accountId);
        if (change == null) {
            throw ApiException.notFound("没有进行中的联系方式更换 / no contact change in progress");
        }
        change.end("CANCELLED");
        audit.recordInTransaction("CONTACT_CHANGE_CANCELLED", accountId.toString(), accountId.toString(), null, ip,
                "by the holder; channel=" + change.channel);
    }

    /**
     * The change a cancel token would cancel, for the page that asks before cancelling; a wrong token counts by IP as
     * at {@link #cancelWithToken}, so the page is no way round the limit.
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public ContactChange cancellable(String token, String ip) {
        return byCancelToken(token, ip);
    }

    /** The old contact cancels a change cooling off, with the token the notice carried; wrong tokens count by IP. */
    @Transactional(dontRollbackOn = ApiException.class)
    public void cancelWithToken(String token, String ip) {
        ContactChange change = byCancelToken(token, ip);
        change.end("CANCELLED");
        audit.recordInTransaction("CONTACT_CHANGE_CANCELLED", "old-contact", change.accountId.toString(), null, ip,
                "with the token sent to the old contact; channel=" + change.channel);
    }

    private ContactChange byCancelToken(String token, String ip) {
        String ipKey = throttle.tokenSource("contact-cancel", ip);
        String hash = Secrets.tokenHash(token);
        ContactChange change = hash == null ? null
                : ContactChange.find("cancelHash = ?1 and endedAt is null", hash).firstResult();
        if (change == null) {
            throttle.wrongToken(ipKey, config.contact().cancelIpMaxFailures());
            audit.record("CONTACT_CHANGE_CANCELLED", false, null, null, null, ip, "invalid or spent cancel token");
            throw ApiException.field("token", INVALID_CANCEL);
        }
        return change;
    }

    @Scheduled(every = "${identity.contact.apply-interval:1m}", delayed = "30s")
    void scheduled() {
        applyDue();
    }

    /** Gives the accounts whose changes have cooled off their new contact; returns how many. */
    @Transactional
    public int applyDue() {
        List<ContactChange> due = ContactChange.list("endedAt is null and confirmedAt is not null and effectiveAt <= ?1",
                OffsetDateTime.now());
        for (ContactChange change : due) {
            Account account = Account.findById(change.accountId);
            String old;
            if (ContactChange.PHONE.equals(change.channel)) {
                old = account.phone;
                account.phone = change.newValue;
            } else {
                old = account.email;
                account.email = change.newValue;
            }
            // the code sent to the new contact was entered: it reaches the holder
            Contacts.verify(account, change.channel);
            account.updatedAt = OffsetDateTime.now();
            change.end("APPLIED");
            // a reset token sent during the cooling-off went to the contact just replaced
            recovery.withdrawOutstanding(account.id);
            boolean phone = ContactChange.PHONE.equals(change.channel);
            outbox.send(NotificationOutbox.Kind.CONTACT_CHANGED, account.id, phone ? null : change.newValue,
                    phone ? change.newValue : null, new NotificationOutbox.Text(
                            "统一身份认证联系方式已更换 / Contact changed",
                            "此" + (phone ? "手机号" : "邮箱") + "现已登记为您的统一身份认证账户联系方式，找回密码将发往此处。\n"
                                    + "This " + (phone ? "number" : "address") + " is now your identity account's "
                                    + "contact; password recovery comes here."), OffsetDateTime.now().plusDays(1));
            audit.recordInTransaction("CONTACT_CHANGED", account.id.toString(), account.id.toString(), null, null,
                    "channel=" + change.channel + (old == null ? "; none before" : "; replaced"));
        }
        return due.size();
    }

    private static Account account(UUID id) {
        Account account = Account.findById(id);
        if (account == null) {
            throw ApiException.notFound("账户不存在 / no such account");
        }
        return account;
    }

    private static String codeHash(UUID changeId, String code) {
        return Secrets.sha256(changeId + ":" + code);
    }
}
