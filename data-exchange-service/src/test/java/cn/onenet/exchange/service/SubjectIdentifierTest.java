package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The pre-checks that keep {@link SubjectHasher#identifier} off the normalisation for most values of a delivered
 * record pass on every spelling of an identifier the full normalisation recognises, and nothing else.
 */
class SubjectIdentifierTest {

    static final String PERSON = "33010619850312001X";
    static final String ENTERPRISE = "91330106MA2H00001E";

    private static String fullWidth(String ascii) {
        StringBuilder b = new StringBuilder();
        for (char c : ascii.toCharArray()) {
            b.append((char) (c - '!' + '\uff01'));
        }
        return b.toString();
    }

    @Test
    void everySpellingOfAnIdentifierIsFound() {
        for (String id : List.of(PERSON, ENTERPRISE)) {
            for (String spelling : List.of(id, id.toLowerCase(), " " + id + "\t", fullWidth(id),
                    fullWidth(id.toLowerCase()), "\u3000" + id, "\u200b" + id.substring(0, 6) + "\u200b"
                            + id.substring(6) + "\ufeff",
                    id.substring(0, 9) + fullWidth(id.substring(9)))) {
                assertEquals(id, SubjectHasher.identifier(spelling), spelling);
                assertEquals(id, IdentifierKeys.normalise(spelling), spelling);
            }
        }
    }

    @Test
    void otherTextsAreNoIdentifier() {
        for (String text : List.of("", "张三", "330106198503120", PERSON.substring(0, 17),
                PERSON.substring(0, 17) + "1", "浙江省杭州市西湖区" + PERSON, PERSON + "号", " " + PERSON + "0",
                fullWidth(PERSON.substring(0, 17)) + "－", "x".repeat(101), " ".repeat(90) + PERSON)) {
            assertNull(SubjectHasher.identifier(text), text);
        }
    }
}
