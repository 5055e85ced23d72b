package cn.onenet.common.identifiers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void residentIdCheckCharacterFollowsGb11643() {
        // The worked example published with GB 11643-1999.
        assertTrue(ResidentIdNumber.isValid("11010519491231002X"));
        assertTrue(ResidentIdNumber.isValid("11010519491231002x"));
        assertEquals('X', ResidentIdNumber.checkCharacter("11010519491231002"));
        assertFalse(ResidentIdNumber.isValid("110105194912310021"));
    }

    @Test
    void residentIdRejectsBadShapeAndDates() {
        assertTrue(ResidentIdNumber.problem("1101051949123100").get().contains("18"));
        assertTrue(ResidentIdNumber.problem("11010519491331002X").get().contains("出生日期"));
        assertTrue(ResidentIdNumber.problem("1101051949A231002X").get().contains("数字"));
        assertFalse(ResidentIdNumber.isValid(null));
    }

    @Test
    void creditCodeCheckCharacterFollowsGb32100() {
        // A published 统一社会信用代码 (Tencent, Shenzhen) and the same code with a wrong check character.
        assertTrue(CreditCode.isValid("91440300708461136T"));
        assertFalse(CreditCode.isValid("91440300708461136U"));
        assertEquals('T', CreditCode.checkCharacter("91440300708461136"));
    }

    @Test
    void creditCodeRejectsForbiddenLettersAndShape() {
        assertTrue(CreditCode.problem("91440300708461136I").get().contains("非法字符"));
        assertTrue(CreditCode.problem("9144030070846113").get().contains("18"));
        assertTrue(CreditCode.problem("91AB0300708461136T").get().contains("行政区划"));
    }

    @Test
    void normalisingRemovesEveryKindOfWhiteSpaceAPersonMayType() {
        // U+3000 is the space of Chinese input methods; trim() keeps it, and 19 characters fit no code column.
        assertEquals("91440300708461136T", CreditCode.normalise("\u300091440300708461136t\u3000 "));
        assertEquals("11010519491231002X", ResidentIdNumber.normalise("11010519491231002x\u3000"));
        assertTrue(CreditCode.isValid(CreditCode.normalise("91440300708461136T\u3000")));
    }
}
