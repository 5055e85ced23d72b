package cn.onenet.identity.service;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Password rules: at least 10 characters, three of four character classes, not the login name, not a common password. */
public final class PasswordPolicy {

    private static final Set<String> COMMON = Set.of("password123", "qwerty12345", "1234567890", "a123456789",
            "password@123", "admin@12345", "p@ssw0rd123", "woaini1314!", "abc@1234567");

    private PasswordPolicy() {
    }

    public static Optional<String> problem(String password, String username) {
        if (password == null || password.length() < 10) {
            return Optional.of("密码至少10位 / password must have at least 10 characters");
        }
        if (password.length() > 128) {
            return Optional.of("密码最多128位 / password must have at most 128 characters");
        }
        int classes = 0;
        classes += password.chars().anyMatch(Character::isLowerCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isUpperCase) ? 1 : 0;
        classes += password.chars().anyMatch(Character::isDigit) ? 1 : 0;
        classes += password.chars().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0;
        if (classes < 3) {
            return Optional.of("密码须包含大写字母、小写字母、数字、符号中的至少三类 / "
                    + "password must mix at least three of: upper case, lower case, digits, symbols");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null && !username.isBlank() && lower.contains(username.toLowerCase(Locale.ROOT))) {
            return Optional.of("密码不得包含登录名 / password must not contain the login name");
        }
        if (COMMON.contains(lower)) {
            return Optional.of("密码过于常见 / password is too common");
        }
        return Optional.empty();
    }
}
