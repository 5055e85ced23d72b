package cn.onenet.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import cn.onenet.common.problem.PrintableText.Lines;

class PrintableTextTest {

    /** Refused in every text: C0 (NUL included), DEL, C1, unpaired surrogates in any position. */
    private static final String[] NEVER = { "a\u0000b", "a\u0001b", "bell\u0007", "esc\u001b[31m", "del\u007f",
            "c1\u0085", "csi\u009b", "\u009f", "lone\ud800", "\udc00low", "\ud800\ud800\udc00",
            "pair then lone 😀\ud83d", "low after pair 😀\ude00" };

    @Test
    void textWithLineBreaksTabsAndSupplementaryCharactersIsPrintable() {
        assertTrue(PrintableText.printable("经办人员\t王某\r\n第二行 𠀀 émoji 😀"));
        assertTrue(PrintableText.printable("段落\u2028分行\u2029"));
        assertTrue(PrintableText.printable(""));
        assertTrue(PrintableText.printable(null));
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesAreNot() {
        for (String bad : NEVER) {
            assertFalse(PrintableText.printable(bad), bad);
        }
    }

    @Test
    void aLineHoldsPrintableCharactersOfEveryPlane() {
        assertTrue(PrintableText.printableLine("浙江省 大数据发展管理局 𠀀 Zhejiang\u3000émoji 😀"));
        assertTrue(PrintableText.printableLine(""));
        assertTrue(PrintableText.printableLine(null));
    }

    @Test
    void aLineHoldsNoTabNorLineBreakOfAnyKindNorWhatNoTextMayHold() {
        for (String bad : new String[] { "名称\t二", "名称\n二", "名称\r二", "名称\u2028二", "名称\u2029二" }) {
            assertFalse(PrintableText.printableLine(bad), bad);
            assertTrue(PrintableText.printable(bad), bad);
        }
        for (String bad : NEVER) {
            assertFalse(PrintableText.printableLine(bad), bad);
        }
    }

    /** A name that reads "exe.txt" but is "txt.exe", and the other embedding, override and isolate controls. */
    private static final String[] BIDI = { "invoice\u202Etxt.exe", "a\u202Ab", "a\u202Bb", "a\u202Cb", "a\u202Db",
            "\u2066浙江\u2069", "a\u2067b", "a\u2068b", "张三\u2069" };

    @Test
    void bidirectionalEmbeddingOverrideAndIsolateControlsAreRefusedInEveryText() {
        for (String bad : BIDI) {
            assertFalse(PrintableText.printable(bad), bad);
            assertFalse(PrintableText.printableLine(bad), bad);
        }
        assertEquals(0x202E, PrintableText.firstUnprintable("invoice\u202Etxt.exe", Lines.MULTI));
        assertEquals(0x2066, PrintableText.firstUnprintable("第一行\n\u2066第二行", Lines.MULTI));
        // the characters on either side of the ranges are ordinary text
        assertTrue(PrintableText.printableLine("a\u2065b"));
        assertTrue(PrintableText.printableLine("a\u202Fb\u206Ac"));
    }

    @Test
    void theLeftToRightAndRightToLeftMarksMayStay() {
        assertTrue(PrintableText.printableLine("مرحبا\u200E 123"));
        assertTrue(PrintableText.printable("שלום\u200F!"));
        assertTrue(PrintableText.printableLine("\u200E\u200F"));
    }

    @Test
    void theFirstUnprintableCodePointIsNamedAndASurrogateTellsItself() {
        assertEquals(-1, PrintableText.firstUnprintable("第一行\r\n第二行 😀", Lines.MULTI));
        assertEquals('\r', PrintableText.firstUnprintable("第一行\r\n第二行 😀", Lines.SINGLE));
        assertEquals(0x85, PrintableText.firstUnprintable("a\u0085b\u0001", Lines.MULTI));
        assertEquals(0x7f, PrintableText.firstUnprintable("😀\u007f", Lines.SINGLE));
        assertEquals(0x2028, PrintableText.firstUnprintable("a\u2028", Lines.SINGLE));
        assertEquals(0xd83d, PrintableText.firstUnprintable("😀\ud83d", Lines.MULTI));
        assertEquals(0xde00, PrintableText.firstUnprintable("x\ude00\ud83d", Lines.MULTI));
        assertTrue(Character.isSurrogate((char) PrintableText.firstUnprintable("\ud800a", Lines.SINGLE)));
        assertEquals(-1, PrintableText.firstUnprintable(null, Lines.SINGLE));
    }

    @Test
    void textOfOnlyInvisibleCharactersHasNoVisibleText() {
        for (String invisible : new String[] {null, "", " ", "\t\n", "\u00a0", "\u3000", "\u2007", "\u202f",
                "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u3164", "\u115f", "\u1160", "\uffa0",
                "\u2800", "\u034f", "\ufe0f", "\u200e\u200f", "\u00a0\u200b \u3000\ufeff", "\udb40\udc20"}) {
            assertFalse(PrintableText.hasVisibleText(invisible), () -> "visible: " + escaped(invisible));
        }
    }

    @Test
    void anyShownCharacterIsVisibleText() {
        for (String visible : new String[] {"a", "中", "\u00a0依据\u00a0", "\u200b.", "《数据安全法》", "\ud83d\ude00",
                "0", "-", "\u3000第十五条"}) {
            assertTrue(PrintableText.hasVisibleText(visible), () -> "invisible: " + escaped(visible));
        }
    }

    @Test
    void messageTellsNothingTypedFromInvisibleText() {
        assertEquals("required", PrintableText.missingMessage(null, "required"));
        assertEquals("required", PrintableText.missingMessage("  ", "required"));
        assertEquals(PrintableText.INVISIBLE_MESSAGE, PrintableText.missingMessage("\u200b", "required"));
        assertEquals("too long", PrintableText.missingMessage("长".repeat(300), "too long"));
        assertEquals("不能只含空白或不可见字符 / must contain visible text", PrintableText.INVISIBLE_MESSAGE);
    }

    private static String escaped(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> b.append(String.format("U+%04X ", cp)));
        return b.toString();
    }
}
