package cn.onenet.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A logged request value stays on its line and shows what was sent. */
class LogTextTest {

    @Test
    void lineBreaksAndOtherControlsAreEscaped() {
        assertEquals("evil\\n2026-12-07 19:52:00.000 INFO  audit LOGIN SUCCESS",
                LogText.escaped("evil\n2026-12-07 19:52:00.000 INFO  audit LOGIN SUCCESS"));
        assertEquals("a\\r\\nb\\tc\\u0000d\\u001be\\u007ff\\u0085g", LogText.escaped("a\r\nb\tc\0d\u001be\u007ff\u0085g"));
        assertEquals("x\\u2028y\\u2029z", LogText.escaped("x\u2028y\u2029z"));
        assertEquals("\\u202euser\\u2066\\u200f", LogText.escaped("\u202euser\u2066\u200f"));
        assertEquals("C:\\\\n", LogText.escaped("C:\\n"), "a sent backslash cannot pass for an escape");
    }

    @Test
    void ordinaryTextIsKeptAsItIs() {
        String text = "gateway 浙江省公安厅 <script>alert(1)</script> 330106********001X";
        assertSame(text, LogText.escaped(text));
        assertNull(LogText.escaped(null));
    }
}
