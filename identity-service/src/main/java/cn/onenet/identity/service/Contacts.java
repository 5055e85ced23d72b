package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.regex.Pattern;

import cn.onenet.common.problem.PrintableText;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.ContactChange;

/** Phone numbers and e-mail addresses of account holders: their format, and how the API shows them (masked). */
public final class Contacts {

    static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");
    static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,20}");
    static final String BAD_EMAIL = "电子邮箱格式错误 / not an e-mail address";
    static final String BAD_PHONE = "手机号格式错误 / not a phone number";

    private Contacts() {
    }

    /** Whether a given (non-blank) e-mail address is well formed. */
    static boolean email(String value) {
        return value.length() <= 200 && PrintableText.printableLine(value) && EMAIL.matcher(value.trim()).matches();
    }

    static boolean phone(String value) {
        return PHONE.matcher(value.trim()).matches();
    }

    /**
     * The phone number in E.164, as the {@code phone_number} claim gives it (OIDC Core §5.1): {@code +86} before a
     * Chinese number ({@code 13800000000} → {@code +8613800000000}; a landline's trunk prefix 0 dropped, {@code
     * 057188880000} → {@code +8657188880000}); a number already international ({@code +…}, {@code 00…}, or
     * {@code 86} before a mobile number) keeps its country code. Null stays null.
     */
    public static String e164(String phone) {
        if (phone == null || phone.isBlank()) {
            return null;
        }
        String p = phone.trim();
        if (p.startsWith("+")) {
            return p;
        }
        if (p.startsWith("00")) {
            return "+" + p.substring(2);
        }
        if (p.startsWith("0")) {
            return "+86" + p.substring(1);
        }
        if (p.length() == 13 && p.startsWith("861")) {
            return "+" + p;
        }
        return "+86" + p;
    }

    /**
     * Whether the account's current contact of the channel ({@link ContactChange#PHONE} or {@link ContactChange#EMAIL})
     * was shown to reach its holder, which the {@code email_verified} and {@code phone_number_verified} claims tell:
     * the account records when ({@link Account#emailVerifiedAt}, {@link Account#phoneVerifiedAt}; see
     * {@link #verify}). False for an account without that contact.
     */
    public static boolean verified(Account account, String channel) {
        return ContactChange.PHONE.equals(channel) ? account.phone != null && account.phoneVerifiedAt != null
                : account.email != null && account.emailVerifiedAt != null;
    }

    /**
     * Records that the account's current contact of the channel was shown to reach its holder now:
     * <ul>
     * <li>the holder changed to it with the code sent to it (更换手机或邮箱, {@link ContactService} applying a
     * confirmed change),</li>
     * <li>an administrator set it after checking the holder in person (柜台核验, {@link CounterVerification}),</li>
     * <li>a registration that gave only this contact was confirmed with the token sent to it
     * ({@link RegistrationService}; with both given, the token went to both and does not show which one the
     * registrant holds).</li>
     * </ul>
     * A contact entered by an administrator creating the account is not verified, and any other change of a contact
     * clears its verified moment (the database does so for an update that changes the contact without setting it).
     */
    public static void verify(Account account, String channel) {
        OffsetDateTime now = OffsetDateTime.now();
        if (ContactChange.PHONE.equals(channel)) {
            account.phoneVerifiedAt = account.phone == null ? null : now;
        } else {
            account.emailVerifiedAt = account.email == null ? null : now;
        }
    }

    /** 13800000000 → 138****0000: enough for the holder to recognise, too little to call. Null stays null. */
    public static String maskPhone(String phone) {
        if (phone == null || phone.isBlank()) {
            return null;
        }
        String p = phone.trim();
        if (p.length() < 8) {
            return "*".repeat(Math.max(0, p.length() - 2)) + p.substring(Math.max(0, p.length() - 2));
        }
        return p.substring(0, 3) + "****" + p.substring(p.length() - 4);
    }

    /** zhangsan@example.cn → z***@example.cn. Null stays null. */
    public static String maskEmail(String email) {
        if (email == null || email.isBlank()) {
            return null;
        }
        String e = email.trim();
        int at = e.lastIndexOf('@');
        if (at <= 0) {
            return "***";
        }
        return e.charAt(0) + "***" + e.substring(at);
    }
}
