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
 * <p>
 * A required text (a reason, a legal basis, a purpose, a name, a title) must also show something: {@link
 * #hasVisibleText} refuses a value made only of white space of any kind (the no-break spaces U+00A0, U+2007, U+202F,
 * the ideographic space U+3000, …), of format characters (zero-width space, joiners, word joiner, byte order mark,
 * soft hyphen, …) and of the blank fillers (Hangul fillers, braille blank), which {@link String#isBlank} takes for
 * content: a value pasted from a word processor or a web page may be made of nothing else.
 */
public final class PrintableText {

    public static final String MESSAGE = "不得含控制字符（含双向文本控制符）或无效字符 / must not contain control "
            + "characters (bidirectional embedding, override and isolate controls included) or invalid (unpaired "
            + "surrogate) characters";

    /** Message for a required text that holds no visible character. */
    public static final String INVISIBLE_MESSAGE = "不能只含空白或不可见字符 / must contain visible text";

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

    /**
     * Whether {@code text} shows at least one character: one that is not white space (neither {@link
     * Character#isWhitespace} nor {@link Character#isSpaceChar}), not a format character (Unicode category Cf: zero-width
     * space, joiners, word joiner, byte order mark, soft hyphen, bidi controls and marks, …), not a control character,
     * not another default-ignorable code point (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, combining grapheme
     * joiner, variation selectors, …) and not the braille blank U+2800. False for null.
     */
    public static boolean hasVisibleText(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (visible(cp)) {
                return true;
            }
            i += Character.charCount(cp);
        }
        return false;
    }

    /**
     * The message for a required {@code text} that was refused: {@link #INVISIBLE_MESSAGE} when it holds characters but
     * none {@link #hasVisibleText visible} (beyond ordinary white space), else {@code otherwise} (nothing typed, or a
     * visible value refused for another reason, e.g. its length), so one check can serve both.
     */
    public static String missingMessage(String text, String otherwise) {
        return text != null && !text.isBlank() && !hasVisibleText(text) ? INVISIBLE_MESSAGE : otherwise;
    }

    private static boolean visible(int cp) {
        if (Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                || Character.getType(cp) == Character.FORMAT) {
            return false;
        }
        return !defaultIgnorable(cp) && cp != 0x2800;
    }

    /**
     * Unicode's Default_Ignorable_Code_Point beyond the format characters: combining grapheme joiner, Hangul fillers,
     * Khmer inherent vowels, Mongolian and other variation selectors, reserved ones; shown as nothing at all.
     */
    private static boolean defaultIgnorable(int cp) {
        return cp == 0x034F || cp == 0x115F || cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5
                || cp >= 0x180B && cp <= 0x180F || cp >= 0x2060 && cp <= 0x206F || cp == 0x3164
                || cp >= 0xFE00 && cp <= 0xFE0F || cp == 0xFFA0 || cp >= 0xFFF0 && cp <= 0xFFF8
                || cp >= 0xE0000 && cp <= 0xE0FFF;
    }
}
