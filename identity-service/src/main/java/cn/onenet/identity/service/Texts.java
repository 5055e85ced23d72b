package cn.onenet.identity.service;

/**
 * Free text typed into the API that other people read later (names, reasons, contacts): no control characters, which
 * break notices, logs and CSV exports, and no unpaired UTF-16 surrogates, which the database driver would store as
 * {@code ?} without a word.
 */
final class Texts {

    static final String UNPRINTABLE = "不得含控制字符或无效字符 / must not contain control characters or invalid "
            + "(unpaired surrogate) characters";

    private Texts() {
    }

    /** Whether {@code value} has no control character (C0, DEL, C1) and no unpaired surrogate; null is clean. */
    static boolean clean(String value) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
