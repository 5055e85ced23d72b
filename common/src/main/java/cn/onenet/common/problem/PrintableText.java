package cn.onenet.common.problem;

/**
 * Whether free text typed into an API is printable. Refused everywhere: a control character (C0, DEL, C1), which
 * breaks notices, logs, spreadsheets and CSV exports, and an unpaired UTF-16 surrogate, which the database driver would
 * store as "?" without a word. Text of several lines (descriptions, reasons, notes) may hold tab, line feed and
 * carriage return; a single line (names, contacts, passwords) may not, nor the Unicode line and paragraph separators
 * U+2028 and U+2029, which viewers and JavaScript break lines at just the same. U+0000 is also refused earlier, as
 * bodies are read ({@link NulCharacterModule}).
 * <p>
 * Nor may any text hold the Unicode bidirectional embedding, override and isolate controls (U+202A–U+202E,
 * U+2066–U+2069): they make a name display as something else than it is (a department's or an applicant's name shown
 * to reviewers and citizens reversed in part, "Trojan source"). The marks LRM and RLM (U+200E, U+200F), which change
 * the direction of no other character, may stay.
 */
public final class PrintableText {

    public static final String MESSAGE = "不得含控制字符（含双向文本控制符）或无效字符 / must not contain control "
            + "characters (bidirectional embedding, override and isolate controls included) or invalid (unpaired "
            + "surrogate) characters";

    /** Whether a text is one line or may have several. */
    public enum Lines {
        /** Several lines: tab, line feed and carriage return are allowed. */
        MULTI,
        /** One line: no tab, line feed, carriage return, U+2028 or U+2029. */
        SINGLE
    }

    private PrintableText() {
    }

    /** Whether {@code text} (of several lines) is printable; null, nothing typed, is. */
    public static boolean printable(String text) {
        return firstUnprintable(text, Lines.MULTI) < 0;
    }

    /** Whether {@code text} is one printable line; null, nothing typed, is. */
    public static boolean printableLine(String text) {
        return firstUnprintable(text, Lines.SINGLE) < 0;
    }

    /**
     * The first code point that makes {@code text} unprintable as {@code lines}, -1 when there is none (or the text is
     * null). An unpaired surrogate is returned as itself, so {@link Character#isSurrogate} tells it from a control
     * character.
     */
    public static int firstUnprintable(String text, Lines lines) {
        if (text == null) {
            return -1;
        }
        for (int i = 0; i < text.length(); ) {
            // codePointAt gives a surrogate that has no partner as itself
            int cp = text.codePointAt(i);
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE || unprintable(cp, lines)) {
                return cp;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    private static boolean unprintable(int cp, Lines lines) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return lines == Lines.SINGLE;
        }
        return Character.isISOControl(cp) || bidiControl(cp)
                || lines == Lines.SINGLE && (cp == '\u2028' || cp == '\u2029');
    }

    /**
     * Whether {@code cp} is a bidirectional embedding, override or isolate control: LRE, RLE, PDF, LRO, RLO
     * (U+202A–U+202E) and LRI, RLI, FSI, PDI (U+2066–U+2069); not LRM, RLM.
     */
    public static boolean bidiControl(int cp) {
        return cp >= 0x202A && cp <= 0x202E || cp >= 0x2066 && cp <= 0x2069;
    }
}
