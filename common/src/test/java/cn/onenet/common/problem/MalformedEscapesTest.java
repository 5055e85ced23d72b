package cn.onenet.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MalformedEscapesTest {

    @Test
    void wellFormedEscapesDecode() {
        for (String part : new String[] { "", "abc", "%E6%88%B7", "100%25", "a+b", "%2F", "%2e%2E", "%F0%9F%98%80",
                "户籍", "%00" }) {
            assertTrue(MalformedEscapes.decodes(part), part);
        }
    }

    @Test
    void aPercentWithoutTwoHexDigitsOrBytesThatAreNotUtf8DoNot() {
        for (String part : new String[] { "%", "%4", "abc%", "%ZZ", "%G1", "%E4%B8", "%E6%88%B7%", "%C0%AF", "%FF",
                "%ED%A0%80", "%E4a", "%\uFF11\uFF12" }) {
            assertFalse(MalformedEscapes.decodes(part), part);
        }
    }

    @Test
    void theTargetNamesThePathTheParameterOrTheQuery() {
        assertNull(MalformedEscapes.inTarget("/api/x/entries?q=%E6%88%B7&size=5"));
        assertNull(MalformedEscapes.inTarget("/api/x/330000-01-02%2F000123"));
        assertEquals("path", MalformedEscapes.inTarget("/api/x/%ZZ?q=%"));
        assertEquals("q", MalformedEscapes.inTarget("/api/x?size=5&q=%E4%B8"));
        assertEquals("名称", MalformedEscapes.inTarget("/api/x?%E5%90%8D%E7%A7%B0=%"));
        assertEquals("query", MalformedEscapes.inTarget("/api/x?q%ZZ=1"));
        assertEquals("query", MalformedEscapes.inTarget("/api/x?%"));
    }

    @Test
    void aFormNamesTheField() {
        assertNull(MalformedEscapes.inForm("grant_type=client_credentials&scope=openid+profile", "body"));
        assertEquals("grant_type", MalformedEscapes.inForm("grant_type=%", "body"));
        assertEquals("scope", MalformedEscapes.inForm("grant_type=x&scope=%E4%B8", "body"));
        assertEquals("body", MalformedEscapes.inForm("a=1&%ZZ=2", "body"));
        // a form in another declared charset: its escapes are checked for form, their bytes are GBK's
        assertNull(MalformedEscapes.inForm("name=%D6%D0", "body", false));
        assertEquals("name", MalformedEscapes.inForm("name=%D6%D", "body", false));
        assertTrue(MalformedEscapeRoutes.declaresUtf8OrNothing("application/x-www-form-urlencoded"));
        assertTrue(MalformedEscapeRoutes.declaresUtf8OrNothing("application/x-www-form-urlencoded; charset=\"UTF-8\""));
        assertFalse(MalformedEscapeRoutes.declaresUtf8OrNothing("application/x-www-form-urlencoded;charset=GBK"));
    }
}
