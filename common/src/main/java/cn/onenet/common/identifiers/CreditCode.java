package cn.onenet.common.identifiers;

import java.util.Optional;

/**
 * 统一社会信用代码 (GB 32100-2015): registration authority, organisation type, 6-digit region code, 9-character
 * organisation code and a MOD 31 check character over the 31-character alphabet (no I, O, S, V, Z).
 */
public final class CreditCode {

    static final String ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static final int[] WEIGHTS = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

    private CreditCode() {
    }

    public static Optional<String> problem(String value) {
        if (value == null || value.length() != 18) {
            return Optional.of("统一社会信用代码应为18位 / must be 18 characters");
        }
        String upper = value.toUpperCase();
        for (int i = 0; i < 18; i++) {
            if (ALPHABET.indexOf(upper.charAt(i)) < 0) {
                return Optional.of("统一社会信用代码含非法字符 / contains a character outside the code alphabet");
            }
        }
        for (int i = 2; i < 8; i++) {
            if (!Character.isDigit(upper.charAt(i))) {
                return Optional.of("统一社会信用代码第3-8位应为行政区划码 / characters 3-8 must be a region code");
            }
        }
        if (upper.charAt(17) != checkCharacter(upper.substring(0, 17))) {
            return Optional.of("统一社会信用代码校验码错误 / wrong check character");
        }
        return Optional.empty();
    }

    public static boolean isValid(String value) {
        return problem(value).isEmpty();
    }

    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += ALPHABET.indexOf(first17.charAt(i)) * WEIGHTS[i];
        }
        int check = (31 - sum % 31) % 31;
        return ALPHABET.charAt(check);
    }

    public static String normalise(String value) {
        return value == null ? null : value.strip().toUpperCase();
    }
}
