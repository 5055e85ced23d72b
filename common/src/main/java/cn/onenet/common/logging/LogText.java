package cn.onenet.common.logging;

/**
 * A value from a request as a log line may show it: one line, whatever was sent. Control characters (C0, DEL, C1),
 * the Unicode line and paragraph separators and the bidirectional controls are written as escapes ({@code \n},
 * {@code \r}, {@code \t}, otherwise {@code \}{@code uXXXX}), and a backslash as two, so a value cannot end the line
 * and start one of its own making (a forged log entry), nor reorder what a reader sees; every other character, Chinese
 * text included, is kept.
 */
public final class LogText {

    private LogText() {
    }

    /** The value escaped as above; null stays null. */
    public static String escaped(String value) {
        if (value == null) {
            return null;
        }
        int i = 0;
        while (i < value.length() && !escapes(value.charAt(i))) {
            i++;
        }
        if (i == value.length()) {
            return value; // the usual case: nothing to escape, no copy
        }
        StringBuilder out = new StringBuilder(value.length() + 16).append(value, 0, i);
        for (; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!escapes(c)) {
                out.append(c);
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean escapes(char c) {
        return c < 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
                || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u061c';
    }
}
