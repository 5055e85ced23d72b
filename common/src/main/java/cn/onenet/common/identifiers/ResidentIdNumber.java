package cn.onenet.common.identifiers;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;

/**
 * 公民身份号码 (GB 11643-1999): 6-digit region code, 8-digit birth date, 3-digit sequence (odd for men),
 * and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */
public final class ResidentIdNumber {

    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    private ResidentIdNumber() {
    }

    /** Why the value is not a valid number, or empty if it is. Messages are bilingual and safe to show. */
    public static Optional<String> problem(String value) {
        if (value == null || value.length() != 18) {
            return Optional.of("公民身份号码应为18位 / must be 18 characters");
        }
        for (int i = 0; i < 17; i++) {
            if (!Character.isDigit(value.charAt(i)) || value.charAt(i) > '9') {
                return Optional.of("公民身份号码前17位应为数字 / the first 17 characters must be digits");
            }
        }
        try {
            LocalDate birth = LocalDate.of(Integer.parseInt(value.substring(6, 10)),
                    Integer.parseInt(value.substring(10, 12)), Integer.parseInt(value.substring(12, 14)));
            if (birth.getYear() < 1900 || birth.isAfter(LocalDate.now())) {
                return Optional.of("公民身份号码中的出生日期不合理 / implausible birth date");
            }
        } catch (DateTimeException e) {
            return Optional.of("公民身份号码中的出生日期无效 / invalid birth date");
        }
        char expected = checkCharacter(value.substring(0, 17));
        if (Character.toUpperCase(value.charAt(17)) != expected) {
            return Optional.of("公民身份号码校验码错误 / wrong check character");
        }
        return Optional.empty();
    }

    public static boolean isValid(String value) {
        return problem(value).isEmpty();
    }

    /** The check character for the first 17 digits. */
    public static char checkCharacter(String first17) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (first17.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    /** Upper-cases a trailing x so equal numbers compare equal. */
    public static String normalise(String value) {
        return value == null ? null : value.strip().toUpperCase();
    }
}
