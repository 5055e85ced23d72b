package cn.onenet.common.problem;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The JSON type a body field needs, in words (zh-CN / English), for the message of a value of the wrong type. The
 * people reading it fill in forms: they are told "a date-time" or "an array", never the name of a Java class.
 */
final class JsonTypeWords {

    /** Chinese and English words for one expected type. */
    record Words(String zh, String en) {
    }

    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(int.class, long.class, short.class, byte.class,
            Integer.class, Long.class, Short.class, Byte.class, BigInteger.class);
    private static final Set<Class<?>> NUMBERS = Set.of(float.class, double.class, Float.class, Double.class,
            BigDecimal.class, Number.class);
    private static final Set<Class<?>> DATE_TIMES = Set.of(OffsetDateTime.class, ZonedDateTime.class, Instant.class,
            LocalDateTime.class, java.util.Date.class);

    private JsonTypeWords() {
    }

    /** "类型错误，应为…… / wrong type, expected …" for a value that does not read as {@code type}. */
    static String wrongType(Class<?> type) {
        Words w = of(type);
        // a space between Chinese and Latin text, as in 应为 JSON 对象
        String gap = w.zh().charAt(0) < 0x80 ? " " : "";
        return "类型错误，应为" + gap + w.zh() + " / wrong type, expected " + w.en();
    }

    static Words of(Class<?> type) {
        if (type == null || type == Object.class) {
            return new Words("JSON 值", "a JSON value");
        }
        if (type == boolean.class || type == Boolean.class) {
            return new Words("布尔值 true 或 false", "true or false");
        }
        if (WHOLE_NUMBERS.contains(type)) {
            return new Words("整数", "a whole number");
        }
        if (NUMBERS.contains(type)) {
            return new Words("数字", "a number");
        }
        if (type == String.class || type == char.class || type == Character.class
                || CharSequence.class.isAssignableFrom(type)) {
            return new Words("文本", "a string");
        }
        if (DATE_TIMES.contains(type)) {
            return new Words("日期时间（ISO 8601，如 2027-02-28T23:59:59+08:00）",
                    "a date-time (ISO 8601, such as 2027-02-28T23:59:59+08:00)");
        }
        if (type == LocalDate.class) {
            return new Words("日期（如 2027-02-28）", "a date such as 2027-02-28");
        }
        if (type == LocalTime.class || type == OffsetTime.class) {
            return new Words("时间（如 09:30:00）", "a time such as 09:30:00");
        }
        if (type == YearMonth.class) {
            return new Words("年月（如 2027-02）", "a year and month such as 2027-02");
        }
        if (type == Duration.class) {
            return new Words("时长（ISO 8601，如 PT24H）", "a duration (ISO 8601, such as PT24H)");
        }
        if (type == Period.class) {
            return new Words("期间（ISO 8601，如 P1Y）", "a period (ISO 8601, such as P1Y)");
        }
        if (type == UUID.class) {
            return new Words("标识（UUID 文本）", "an identifier (a UUID string)");
        }
        if (type == URI.class || type == URL.class) {
            return new Words("地址文本", "a URI string");
        }
        if (type.isEnum()) {
            String allowed = Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
            return new Words("文本，取值之一：" + allowed, "a string, one of: " + allowed);
        }
        if (type == byte[].class) {
            return new Words("Base64 文本", "a Base64 string");
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return new Words("数组", "an array");
        }
        // records, classes and maps are JSON objects
        if (Map.class.isAssignableFrom(type) || !type.isPrimitive()) {
            return new Words("JSON 对象", "a JSON object");
        }
        return new Words("JSON 值", "a JSON value");
    }
}
