package cn.onenet.common.problem;

/**
 * Whether free text typed into an API is printable: no control character (C0 other than tab, line feed and carriage
 * return; DEL; C1), which breaks notices, logs and CSV exports, and no unpaired UTF-16 surrogate, which the database
 * driver would store as "?" without a word. U+0000 is refused earlier, as bodies are read ({@link NulCharacterModule}).
 */
public final class PrintableText {

    public static final String MESSAGE = "不得含控制字符或无效字符 / must not contain control characters or invalid "
            + "(unpaired surrogate) characters";

    private PrintableText() {
    }

    /** Whether {@code text} holds no control character but tab and line breaks, and no unpaired surrogate. */
    public static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' || Character.isLowSurrogate(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }
}
