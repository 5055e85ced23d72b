package cn.onenet.identity.service;

import java.util.regex.Pattern;

import cn.onenet.common.problem.PrintableText;

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
