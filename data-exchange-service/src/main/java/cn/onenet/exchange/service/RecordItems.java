package cn.onenet.exchange.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.model.CatalogEntry;

/**
 * The catalogue's information items (信息项) a provider's records are checked against before they are stored: each
 * value has the item's data type (数据类型) and fits its length (数据长度), a record names only items the entry lists,
 * and the key item, the one value the catalogue makes every record carry, is a valid 公民身份号码 or 统一社会信用代码
 * where the catalogue names it so. The items come from the replica of the entry ({@link CatalogEntry#items}); when the
 * replica does not know them (no items, or an item without a data type the exchange knows) nothing is accepted blindly.
 */
final class RecordItems {

    /** One 信息项 as the catalogue states it: code, name, data type (one letter), length (null: none stated). */
    record Item(String code, String name, String dataType, Integer length) {
    }

    /** The catalogue's data types (catalog-service {@code DataType}), with their Chinese names. */
    static final Map<String, String> TYPES = Map.ofEntries(Map.entry("C", "字符型"), Map.entry("N", "数值型"),
            Map.entry("Y", "货币型"), Map.entry("D", "日期型"), Map.entry("T", "日期时间型"), Map.entry("L", "逻辑型"),
            Map.entry("M", "备注型"), Map.entry("G", "通用型"), Map.entry("B", "双精度型"), Map.entry("I", "整型"),
            Map.entry("F", "浮点型"));

    /** Text items: any single value (a number pushed as a JSON number is its text); objects and arrays only in G. */
    private static final Set<String> TEXT = Set.of("C", "M");
    private static final Set<String> DECIMAL = Set.of("N", "Y");
    private static final Set<String> FLOATING = Set.of("B", "F");
    private static final Pattern DECIMAL_TEXT = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    private static final Pattern FLOATING_TEXT = Pattern.compile("[+-]?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");
    private static final Pattern INTEGER_TEXT = Pattern.compile("[+-]?\\d+");
    private static final Pattern DATE_TEXT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATE_TIME_TEXT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}.*");

    /** Item names of key items whose values are checked as identifiers (GB 11643, GB 32100). */
    static final String RESIDENT_ID = "公民身份号码";
    static final String CREDIT_CODE = "统一社会信用代码";

    private final Map<String, Item> items;
    private final String keyItem;

    private RecordItems(Map<String, Item> items, String keyItem) {
        this.items = items;
        this.keyItem = keyItem;
    }

    /**
     * The items of the entry as the replica holds them; 409 problem+json naming {@code items} when it holds none (the
     * catalogue requires at least one, so the replica does not know them yet) — the provider pushes again once the
     * replica has read the entry.
     */
    static RecordItems of(CatalogEntry entry) {
        Map<String, Item> items = new LinkedHashMap<>();
        for (Map<String, Object> item : Json.objects(entry.items)) {
            Object code = item.get("code");
            if (code == null) {
                continue;
            }
            Object type = item.get("dataType");
            Integer length = item.get("length") instanceof Number n ? n.intValue() : null;
            items.put(code.toString(), new Item(code.toString(), item.get("name") == null ? null
                    : item.get("name").toString().strip(), type == null ? null : type.toString().trim(), length));
        }
        if (items.isEmpty()) {
            throw unknown("items", "交换平台尚未获知目录 " + entry.resourceCode + " 的信息项，暂不能接收数据，请稍后再试 / the "
                    + "exchange does not know the information items of catalogue entry " + entry.resourceCode
                    + " yet: no record can be checked against them, nothing was stored; push again later");
        }
        return new RecordItems(items, entry.keyItem);
    }

    private static ApiException unknown(String field, String detail) {
        return new ApiException(ProblemType.CONFLICT, detail, List.of(new FieldError(field, detail)), Map.of(),
                Map.of());
    }

    /** The key item's name when it is {@value #RESIDENT_ID} or {@value #CREDIT_CODE}, else null. */
    static String keyIdentifier(CatalogEntry entry) {
        return IdentifierKeys.kindOf(entry.keyItem, entry.items);
    }

    /** A key of such an entry as it is stored ({@link IdentifierKeys#normalise}). */
    static String foldKey(String key) {
        return IdentifierKeys.normalise(key);
    }

    /**
     * Whether the key item is a 公民身份号码 or 统一社会信用代码 by its name in the catalogue: such keys are kept, looked
     * up and filtered in one spelling ({@link #foldKey}), so that a check character typed {@code x}, a code typed in
     * lower case or in full-width characters names the same person or organisation as the standard spelling
     * (GB 11643, GB 32100).
     */
    boolean foldsKey() {
        Item key = keyItem == null ? null : items.get(keyItem);
        return key != null && (RESIDENT_ID.equals(key.name()) || CREDIT_CODE.equals(key.name()));
    }

    boolean has(String code) {
        return items.containsKey(code);
    }

    /**
     * Adds to {@code errors} what is wrong with the value of item {@code code} in the record at {@code at}
     * ({@code records[i]}): its type, its length, and for the key item the identifier check. A null value is no value
     * (items other than the key are optional: the catalogue marks none required). 409 when the item's data type is
     * not one the exchange knows: the value cannot be checked.
     */
    void check(String at, String code, Object value, List<FieldError> errors) {
        Item item = items.get(code);
        if (item == null || value == null) {
            return;
        }
        String field = at + "." + code;
        if (item.dataType() == null || !TYPES.containsKey(item.dataType())) {
            throw unknown(field, "目录信息项 " + code + " 的数据类型" + (item.dataType() == null ? "未知" : " "
                    + item.dataType() + " 交换平台不识别") + "，暂不能接收该项数据 / the data type of information item "
                    + code + " is " + (item.dataType() == null ? "not known" : item.dataType() + ", which the exchange "
                    + "does not know") + ": its values cannot be checked, nothing was stored");
        }
        String problem = problem(item, value);
        if (problem == null && code.equals(keyItem)) {
            problem = IdentifierKeys.problem(item.name(), value.toString().strip()).orElse(null);
        }
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }

    /** Why the value does not fit the item's type or length, or null. Messages in Chinese and English. */
    static String problem(Item item, Object value) {
        String type = item.dataType();
        String label = TYPES.get(type) + "（" + type + "）";
        boolean structured = value instanceof Map<?, ?> || value instanceof List<?>;
        if (infinite(value)) {
            // a JSON number beyond a double (1e400) is read as infinity: no item holds it, and JSON cannot store it
            return label + "数据项的数值超出可表示的范围 / the number is too large for a " + type + " item";
        }
        if ("G".equals(type)) {
            // 通用型: any value, an object or array too (household members, co-owners); text is held to its length
            return value instanceof String s ? longer(s, item.length()) : null;
        }
        if (structured) {
            return label + "数据项应为单个值，不能是对象或数组 / a " + type + " item holds one value, not an object or array";
        }
        String text = value instanceof BigDecimal b ? b.toPlainString() : value.toString();
        if (TEXT.contains(type)) {
            return longer(text, item.length());
        }
        boolean number = value instanceof Number;
        if (value instanceof Boolean || (!number && !(value instanceof String))) {
            if (!"L".equals(type)) {
                return label + "数据项的值类型不符 / the value does not fit a " + type + " item";
            }
        }
        return switch (type) {
            case "N", "Y" -> decimal(label, number ? new BigDecimal(text).toPlainString() : text, item.length());
            case "B", "F" -> (number || FLOATING_TEXT.matcher(text).matches()) ? null
                    : label + "数据项应为数值 / a " + type + " item holds a number";
            case "I" -> integer(label, number ? new BigDecimal(text).toPlainString() : text, item.length());
            case "D" -> date(label, value);
            case "T" -> dateTime(label, value);
            case "L" -> value instanceof Boolean || "true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)
                    ? null : label + "数据项应为 true 或 false / an L item is true or false";
            default -> null;
        };
    }

    /** Whether the value, or a value inside it (通用型 structures), is a number read as infinity or NaN. */
    private static boolean infinite(Object value) {
        if (value instanceof Double d) {
            return !Double.isFinite(d);
        }
        if (value instanceof Float f) {
            return !Float.isFinite(f);
        }
        if (value instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(RecordItems::infinite);
        }
        return value instanceof List<?> l && l.stream().anyMatch(RecordItems::infinite);
    }

    private static String longer(String text, Integer length) {
        if (length == null || text.length() <= length || text.codePointCount(0, text.length()) <= length) {
            return null;
        }
        return "最多 " + length + " 字（目录所列数据长度） / at most " + length + " characters (the item's length in the "
                + "catalogue)";
    }

    private static String decimal(String label, String text, Integer length) {
        if (!DECIMAL_TEXT.matcher(text).matches()) {
            return label + "数据项应为十进制数，如 89.5 / a decimal number such as 89.5";
        }
        return digits(text, length);
    }

    private static String integer(String label, String text, Integer length) {
        String whole = text.matches("[+-]?\\d+\\.0+") ? text.substring(0, text.indexOf('.')) : text;
        if (!INTEGER_TEXT.matcher(whole).matches()) {
            return label + "数据项应为整数 / a whole number";
        }
        return digits(whole, length);
    }

    /** A number of more digits than the item's length (数据长度 of a number: its digits, sign and point not counted). */
    private static String digits(String text, Integer length) {
        long digits = text.chars().filter(Character::isDigit).count();
        return length == null || digits <= length ? null
                : "最多 " + length + " 位数字（目录所列数据长度） / at most " + length + " digits (the item's length)";
    }

    private static String date(String label, Object value) {
        if (value instanceof String s && DATE_TEXT.matcher(s).matches()) {
            try {
                LocalDate.parse(s);
                return null;
            } catch (DateTimeParseException e) {
                // not a day of the calendar, e.g. 2026-02-30
            }
        }
        return label + "数据项应为日期 yyyy-MM-dd，如 1985-03-12 / a date as yyyy-MM-dd";
    }

    private static String dateTime(String label, Object value) {
        if (value instanceof String s && DATE_TIME_TEXT.matcher(s).matches()) {
            String iso = s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
            try {
                LocalDateTime.parse(iso);
                return null;
            } catch (DateTimeParseException e) {
                try {
                    OffsetDateTime.parse(iso);
                    return null;
                } catch (DateTimeParseException again) {
                    // neither form
                }
            }
        }
        return label + "数据项应为日期时间 yyyy-MM-ddTHH:mm:ss（可带时区，日期与时间之间也可为空格） / a date and time as "
                + "yyyy-MM-ddTHH:mm:ss, with an optional offset (a space instead of T is accepted)";
    }

}
