package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.model.ContactChange;

/**
 * Citizen self-registration that does not tell whether a 公民身份号码 is already registered. A valid submission is
 * always accepted the same way (the password is Argon2id-hashed on both paths): for a new number the registration
 * waits for the confirmation token sent to the phone or e-mail given; for a registered number nothing is created and
 * the account's holder is told, at the contact on record, that someone tried to register with it &mdash; at most once a
 * day, so strangers' attempts cannot flood the holder.
 */
@ApplicationScoped
public class RegistrationService {

    static final String INVALID_TOKEN = "确认码无效或已过期 / the confirmation token is invalid or expired";

    private final IdentityConfig config;
    private final EntityManager em;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final NotificationOutbox outbox;
    private final AccountService accounts;
    private final AuditService audit;

    public RegistrationService(IdentityConfig config, EntityManager em, PasswordHasher hasher, LoginThrottle throttle,
            NotificationOutbox outbox, AccountService accounts, AuditService audit) {
        this.config = config;
        this.em = em;
        this.hasher = hasher;
        this.throttle = throttle;
        this.outbox = outbox;
        this.accounts = accounts;
        this.audit = audit;
    }

    @Transactional(dontRollbackOn = ApiException.class)
    public void register(String idNumber, String name, String password, String email, String phone, String ip) {
        List<FieldError> errors = new ArrayList<>();
        ResidentIdNumber.problem(idNumber).ifPresent(p -> errors.add(new FieldError("idNumber", p)));
        String id = errors.isEmpty() ? ResidentIdNumber.normalise(idNumber) : null;
        if (!PrintableText.hasVisibleText(name) || name.length() > 200) {
            errors.add(new FieldError("name", PrintableText.missingMessage(name, "姓名必填，最多200字 / name is required (max 200)")));
        } else if (!PrintableText.printableLine(name)) {
            errors.add(new FieldError("name", PrintableText.MESSAGE));
        }
        PasswordPolicy.problem(password, id).ifPresent(p -> errors.add(new FieldError("password", p)));
        if (email != null && !email.isBlank() && !Contacts.email(email)) {
            errors.add(new FieldError("email", Contacts.BAD_EMAIL));
        }
        if (phone != null && !phone.isBlank() && !Contacts.phone(phone)) {
            errors.add(new FieldError("phone", Contacts.BAD_PHONE));
        }
        if (!NotificationOutbox.hasContact(email, phone)) {
            errors.add(new FieldError("phone",
                    "请填写手机号或电子邮箱以接收确认码 / give a mobile number or e-mail address to receive the confirmation"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        throttle.admit("register:" + LoginThrottle.ipKey(ip), config.registration().ipMaxRequests(),
                config.recovery().lock(), config.recovery().window());
        throttle.admit("register:" + LoginThrottle.accountKey(id), config.registration().identifierMaxRequests(),
                config.recovery().lock(), config.recovery().window());
        // the same work on both paths: Argon2id of the password, a token and its hash
        String passwordHash = hasher.hash(password);
        String token = Secrets.random(32);
        String tokenHash = Secrets.sha256(token);
        Account existing = Account.byUsername(id);
        if (existing != null) {
            audit.record("REGISTRATION", false, "self", existing.id.toString(), null, ip,
                    "ID number already registered; " + notifyAttempt(existing));
            return;
        }
        OffsetDateTime expires = OffsetDateTime.now().plus(config.registration().confirmationLifetime());
        em.createNativeQuery("INSERT INTO pending_registration (token_hash, id_number, display_name, password_hash, email, "
                + "phone, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)").setParameter(1, tokenHash).setParameter(2, id)
                .setParameter(3, name.trim()).setParameter(4, passwordHash).setParameter(5, blankToNull(email))
                .setParameter(6, blankToNull(phone)).setParameter(7, expires).executeUpdate();
        long hours = config.registration().confirmationLifetime().toHours();
        String link = config.issuer() + "/register/confirm?token=" + token;
        outbox.send(NotificationOutbox.Kind.REGISTRATION_CONFIRM, null, email, phone,
                new NotificationOutbox.Text("统一身份认证注册确认 / Confirm your registration",
                        "您正在注册统一身份认证账户。确认码：" + token + "，" + hours + "小时内有效。确认页面：" + link
                                + " 。如非本人操作，请忽略本消息。\n"
                                + "Confirm your new account with this token: " + token + " (valid " + hours
                                + " hours). Page: " + link + "&lang=en . If this was not you, ignore this message."),
                expires);
        audit.record("REGISTRATION", true, "self", null, null, ip, "awaiting confirmation");
    }

    /** Completes a registration with the token sent to the contact given; the token works once. */
    @Transactional(dontRollbackOn = ApiException.class)
    @SuppressWarnings("unchecked")
    public Account confirm(String token, String ip) {
        String ipKey = "confirm:" + LoginThrottle.ipKey(ip);
        throttle.lockedUntil(ipKey).ifPresent(until -> {
            throw LoginThrottle.rateLimited(until);
        });
        String hash = Secrets.tokenHash(token);
        List<Object[]> rows = hash == null ? List.of()
                : em.createNativeQuery("SELECT id_number, display_name, password_hash, email, phone FROM "
                        + "pending_registration WHERE token_hash = ?1 AND expires_at > now() FOR UPDATE")
                        .setParameter(1, hash).getResultList();
        if (rows.isEmpty()) {
            throttle.count(ipKey, config.recovery().ipMaxRequests(), config.recovery().lock(),
                    config.recovery().window(), config.login().maxLock());
            audit.record("REGISTRATION_CONFIRMED", false, "self", null, null, ip, "invalid or expired token");
            throw ApiException.field("token", INVALID_TOKEN);
        }
        em.createNativeQuery("DELETE FROM pending_registration WHERE token_hash = ?1").setParameter(1, hash)
                .executeUpdate();
        Object[] r = rows.get(0);
        String idNumber = (String) r[0];
        Account existing = Account.byUsername(idNumber);
        if (existing != null) {
            // registered meanwhile (another pending registration confirmed first)
            audit.record("REGISTRATION_CONFIRMED", false, "self", existing.id.toString(), null, ip,
                    "ID number already registered; " + notifyAttempt(existing));
            throw ApiException.field("token", INVALID_TOKEN);
        }
        Account account = accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null,
                (String) r[1], idNumber, null, null, null, null, null, (String) r[3], (String) r[4]), (String) r[2],
                "self");
        // the token went to every contact given: it proves the contact only when there was one
        if (account.email == null ^ account.phone == null) {
            Contacts.verify(account, account.phone != null ? ContactChange.PHONE : ContactChange.EMAIL);
        }
        audit.record("REGISTRATION_CONFIRMED", true, account.id.toString(), account.id.toString(), null, ip, null);
        return account;
    }

    /** Tells the holder of someone's attempt, at most once a day; says what was done. */
    private String notifyAttempt(Account existing) {
        if (!outbox.withinDailyQuota(NotificationOutbox.Kind.REGISTRATION_ATTEMPT, existing.id, 1)) {
            return "holder already notified today";
        }
        outbox.send(NotificationOutbox.Kind.REGISTRATION_ATTEMPT, existing.id, existing.email, existing.phone,
                attemptNotice(), OffsetDateTime.now().plusDays(1));
        return "holder notified";
    }

    private static NotificationOutbox.Text attemptNotice() {
        return new NotificationOutbox.Text("统一身份认证注册提醒 / Registration attempt",
                "有人尝试使用您的公民身份号码注册统一身份认证账户。您的账户未受影响。如忘记密码，请在登录页点击“忘记密码”找回。\n"
                        + "Someone tried to register with your ID number. Your account is unchanged. If you forgot "
                        + "your password, use \"Forgot password\" on the sign-in page.");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
