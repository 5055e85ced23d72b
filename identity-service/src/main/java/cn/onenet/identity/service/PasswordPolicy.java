package cn.onenet.identity.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.onenet.common.problem.PrintableText;

/**
 * Password rules: at least 10 characters, three of four character classes, not containing the login name (for a
 * natural person the 公民身份号码) nor, for a login name that is an ID number, its birth date (yyyymmdd or yymmdd), and
 * not a common password ({@code passwords/common.txt}).
 */
public final class PasswordPolicy {

    private static final Set<String> COMMON = load("/passwords/common.txt");
    /** An 18-character 公民身份号码: region (6), birth date yyyymmdd (8), sequence (3), check character. */
    private static final Pattern ID_NUMBER = Pattern.compile("\\d{6}((\\d{2})(\\d{6}))\\d{3}[0-9Xx]");

    private PasswordPolicy() {
    }

    public static Optional<String> problem(String password, String username) {
        if (password == null || password.length() < 10) {
            return Optional.of("密码至少10位 / password must have at least 10 characters");
        }
        if (password.length() > 128) {
            return Optional.of("密码最多128位 / password must have at most 128 characters");
        }
        if (!PrintableText.printableLine(password)) {
            // the hash is of the UTF-8 bytes, where an unpaired surrogate becomes "?": two passwords would be one
            return Optional.of("密码" + PrintableText.MESSAGE);
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
        Matcher id = username == null ? null : ID_NUMBER.matcher(username.trim());
        if (id != null && id.matches() && (password.contains(id.group(1)) || password.contains(id.group(3)))) {
            return Optional.of("密码不得包含出生日期 / password must not contain the birth date");
        }
        if (COMMON.contains(lower)) {
            return Optional.of("密码过于常见 / password is too common");
        }
        return Optional.empty();
    }

    private static Set<String> load(String resource) {
        Set<String> words = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String word = line.strip();
                if (!word.isEmpty() && !word.startsWith("#")) {
                    words.add(word.toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(words);
    }
}
