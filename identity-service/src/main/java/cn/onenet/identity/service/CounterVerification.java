package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.ContactChange;

/**
 * 柜台核验: after checking the holder in person, an administrator gives the account the contacts the holder brought
 * and takes it back from whoever held it. Someone who registered another person's ID number, or a recycled phone
 * number, can otherwise keep the account for good. The contacts on file are replaced by those given. Every session
 * of the account and of agents acting for it ends (with back-channel logout), and every grant and refresh token is
 * revoked. The second factor is reset, the delegations the account gave or received and the invitations naming its
 * ID number are revoked (the other side of each is told), and reset tokens sent to the old contacts are withdrawn. The password
 * is replaced by a random one, so the holder sets their own through recovery, which now reaches them. Lock-outs are
 * lifted. The old and the new contacts are told, and the administrator and the reason are audited.
 */
@ApplicationScoped
public class CounterVerification {

    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final LogoutService logouts;
    private final TotpFactor totp;
    private final NotificationOutbox outbox;
    private final AuditService audit;
    private final RecoveryService recovery;
    private final DelegationService delegations;

    public CounterVerification(PasswordHasher hasher, LoginThrottle throttle, LogoutService logouts, TotpFactor totp,
            NotificationOutbox outbox, AuditService audit, RecoveryService recovery,
            DelegationService delegations) {
        this.hasher = hasher;
        this.throttle = throttle;
        this.logouts = logouts;
        this.totp = totp;
        this.outbox = outbox;
        this.audit = audit;
        this.recovery = recovery;
        this.delegations = delegations;
    }

    /** Sets the account's contacts after an in-person check by {@code admin} (an account id), for {@code reason}. */
    @Transactional
    public Account apply(UUID accountId, String phone, String email, String reason, String admin) {
        Account account = check(accountId, phone, email, reason, admin);
        boolean hasPhone = phone != null && !phone.isBlank();
        boolean hasEmail = email != null && !email.isBlank();
        String oldPhone = account.phone;
        String oldEmail = account.email;
        account.phone = hasPhone ? phone.trim() : null;
        account.email = hasEmail ? email.trim() : null;
        // checked in person: the contacts set are verified, one not given is gone (and with it its verified moment)
        Contacts.verify(account, ContactChange.PHONE);
        Contacts.verify(account, ContactChange.EMAIL);
        ContactChange open = ContactChange.open(accountId);
        if (open != null) {
            open.end("COUNTER");
        }
        // whoever knew the password no longer does; the holder sets one through recovery, which now reaches them
        account.passwordHash = hasher.hash(Secrets.random(32));
        account.failedLogins = 0;
        account.lockedUntil = null;
        account.updatedAt = OffsetDateTime.now();
        throttle.clearName(account.username);
        // a reset token already sent went to the contact just replaced
        recovery.withdrawOutstanding(accountId);
        int[] signedOut = logouts.signOutEverywhere(accountId, true, "counter verification", null);
        boolean factor = account.totpSecret != null || account.totpPending != null;
        if (factor) {
            totp.reset(accountId, admin);
        }
        int revoked = delegations.revokeAllOf(account, admin, "counter verification of " + accountId,
                SecurityNotices.Change.DELEGATION_ENDED_BY_COUNTER);
        notifyContacts(account, oldPhone, oldEmail);
        audit.recordInTransaction("COUNTER_VERIFICATION", admin, accountId.toString(), null, null,
                "reason=" + reason.trim() + "; contacts set:" + (hasPhone ? " phone" : "") + (hasEmail ? " email" : "")
                        + "; sessions ended=" + signedOut[0] + ", other grants revoked=" + signedOut[1]
                        + "; second factor reset=" + factor + "; delegations revoked=" + revoked);
        return account;
    }

    /**
     * Refuses what {@link #apply} refuses, changing nothing: one's own account ({@code 403}), no contact, a malformed
     * one or no reason ({@code 400} naming it), an account that does not exist or is closed ({@code 404}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Account check(UUID accountId, String phone, String email, String reason, String admin) {
        boolean hasPhone = phone != null && !phone.isBlank();
        boolean hasEmail = email != null && !email.isBlank();
        // which contacts were given, never their values nor the reason (neither is checked yet)
        Administrators.notOwn(audit, "COUNTER_VERIFICATION", accountId, admin, "contacts:" + (hasPhone ? " phone" : "")
                + (hasEmail ? " email" : ""), "柜台核验", "counter verification");
        List<FieldError> errors = new ArrayList<>();
        if (!hasPhone && !hasEmail) {
            errors.add(new FieldError("phone", "请填写核验后的手机号或电子邮箱 / give the verified phone number or e-mail"));
        }
        if (hasPhone && !Contacts.phone(phone)) {
            errors.add(new FieldError("phone", Contacts.BAD_PHONE));
        }
        if (hasEmail && !Contacts.email(email)) {
            errors.add(new FieldError("email", Contacts.BAD_EMAIL));
        }
        if (!PrintableText.hasVisibleText(reason) || reason.length() > 500 || !PrintableText.printableLine(reason)) {
            errors.add(new FieldError("reason", PrintableText.missingMessage(reason, "请填写核验事由（最多500字），如受理单号和"
                    + "所查验证件 / give the reason (at most 500 characters), e.g. the case number and the documents checked")));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        Account account = Account.findById(accountId);
        if (account == null || "CLOSED".equals(account.status)) {
            throw ApiException.notFound("账户不存在或已注销 / no such account, or it is closed");
        }
        return account;
    }

    private void notifyContacts(Account account, String oldPhone, String oldEmail) {
        OffsetDateTime expires = OffsetDateTime.now().plusDays(1);
        String oldToTell = oldPhone != null && !oldPhone.equals(account.phone) ? oldPhone : null;
        String oldMailToTell = oldEmail != null && !oldEmail.equalsIgnoreCase(String.valueOf(account.email))
                ? oldEmail : null;
        outbox.send(NotificationOutbox.Kind.CONTACT_CHANGED, account.id, oldMailToTell, oldToTell,
                new NotificationOutbox.Text("统一身份认证联系方式已更换 / Contact changed",
                        "经服务窗口现场核验，统一身份认证账户的联系方式已更换，此联系方式不再接收该账户的消息。如有疑问，请携身份证件到服务窗口咨询。\n"
                                + "After an in-person check at a service counter, the identity account's contact was "
                                + "changed; this contact no longer receives its messages. Questions: visit a service "
                                + "counter with your ID."), expires);
        outbox.send(NotificationOutbox.Kind.CONTACT_CHANGED, account.id, account.email, account.phone,
                new NotificationOutbox.Text("统一身份认证联系方式已登记 / Contact registered",
                        "经服务窗口现场核验，此联系方式已登记为您的统一身份认证账户联系方式，原有登录已全部退出。请在登录页点击“忘记密码”设置新密码。\n"
                                + "After an in-person check at a service counter, this contact is registered with "
                                + "your identity account and every sign-in has ended. Set a new password with "
                                + "\"Forgot password\" on the sign-in page."), expires);
    }
}
