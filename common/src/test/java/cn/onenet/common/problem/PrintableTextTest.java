package cn.onenet.common.problem;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTextTest {

    @Test
    void textWithLineBreaksTabsAndSupplementaryCharactersIsPrintable() {
        assertTrue(PrintableText.printable("经办人员\t王某\r\n第二行 𠀀 émoji 😀"));
        assertTrue(PrintableText.printable(""));
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesAreNot() {
        for (String bad : new String[] { "a\u0001b", "bell\u0007", "esc\u001b[31m", "del\u007f", "c1\u0085",
                "csi\u009b", "lone\ud800", "\udc00low", "\ud800\ud800\udc00", "pair then lone 😀\ud83d" }) {
            assertFalse(PrintableText.printable(bad), bad);
        }
    }
}
