package cn.onenet.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * A body value of the wrong JSON type is named by the type it needs, in words in both languages, never by a Java
 * class: "应为日期时间 / expected a date-time", not "应为 / expected OffsetDateTime".
 */
class WrongTypeMessageTest {

    enum Colour {
        RED, GREEN
    }

    record Item(String name) {
    }

    record Body(OffsetDateTime at, LocalDate day, List<String> names, Item item, int count, double share,
            boolean flag, String text, UUID id, Colour colour, Map<String, Object> extra) {
    }

    private static String message(String json) {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        new StrictJsonReading().customize(mapper);
        MismatchedInputException e = assertThrows(MismatchedInputException.class,
                () -> mapper.readValue(json, Body.class));
        return JsonTypeWords.wrongType(e.getTargetType());
    }

    private static void saysInWords(String json, String zh, String en, String javaName) {
        String message = message(json);
        assertTrue(message.startsWith("类型错误，应为" + zh) || message.startsWith("类型错误，应为 " + zh), message);
        assertTrue(message.contains("/ wrong type, expected " + en), message);
        assertFalse(message.contains(javaName), message);
    }

    @Test
    void eachJsonTypeIsNamedInWords() {
        saysInWords("{\"at\":\"2027-02-30\"}", "日期时间", "a date-time", "OffsetDateTime");
        saysInWords("{\"day\":\"2027-02-30\"}", "日期", "a date", "LocalDate");
        saysInWords("{\"names\":\"gateway\"}", "数组", "an array", "List");
        saysInWords("{\"item\":[]}", "JSON 对象", "a JSON object", "Item");
        saysInWords("{\"count\":\"many\"}", "整数", "a whole number", "int");
        saysInWords("{\"count\":1.5}", "整数", "a whole number", "int");
        saysInWords("{\"share\":\"half\"}", "数字", "a number", "double");
        saysInWords("{\"flag\":\"maybe\"}", "布尔值", "true or false", "boolean");
        saysInWords("{\"text\":{}}", "文本", "a string", "String");
        saysInWords("{\"id\":\"not-a-uuid\"}", "标识", "an identifier", "java.util");
        saysInWords("{\"extra\":[1]}", "JSON 对象", "a JSON object", "Map");
        assertTrue(message("{\"colour\":{}}").contains("RED, GREEN"));
        saysInWords("[]", "JSON 对象", "a JSON object", "Body");
    }

    @Test
    void arraysOfAnyKindAreArrays() {
        assertEquals(new JsonTypeWords.Words("数组", "an array"), JsonTypeWords.of(String[].class));
        assertEquals(new JsonTypeWords.Words("数组", "an array"), JsonTypeWords.of(java.util.Set.class));
    }
}
