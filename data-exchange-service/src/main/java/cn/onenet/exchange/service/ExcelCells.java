package cn.onenet.exchange.service;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Set;

import org.dhatim.fastexcel.reader.Cell;

/**
 * How a cell of an uploaded spreadsheet becomes a record value, as the provider sees it in Excel. Excel keeps a date
 * as a number of days (a serial number) and shows it as a date through the cell's number format: a number cell whose
 * format is a date format is read as that date ({@code yyyy-MM-dd}, or {@code yyyy-MM-ddTHH:mm:ss} when the format
 * also shows the time), so it meets the catalogue's 日期型 and 日期时间型 items as text would. Any other number is its
 * plain digits, which a date item refuses ({@link RecordItems}): a serial number without a date format is not taken for
 * a date. Text is read as text, a logical cell as {@code true}/{@code false}, a formula as its cached result.
 */
final class ExcelCells {

    /**
     * Built-in number formats that show a date (ECMA-376 Part 1, 18.8.30, with the ids the zh-CN edition of Excel
     * assigns to its own date formats: 27–31, 36, 50–58 less the time-only ones): these are not written out in the
     * file, only their id.
     */
    private static final Set<Integer> BUILT_IN_DATES = Set.of(14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52,
            53, 54, 57, 58);
    /** Of those, the ones that also show the time of day. */
    private static final Set<Integer> BUILT_IN_DATE_TIMES = Set.of(22);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private ExcelCells() {
    }

    /** The value of {@code cell} as record text, or null for an empty cell. */
    static String text(Cell cell) {
        if (cell == null) {
            return null;
        }
        return switch (cell.getType()) {
            case STRING -> cell.asString();
            case BOOLEAN -> String.valueOf(cell.asBoolean());
            case NUMBER -> number(cell);
            case FORMULA -> isNumber(cell.getRawValue()) ? number(cell) : cell.getRawValue();
            case EMPTY -> null;
            default -> cell.getRawValue();
        };
    }

    private static String number(Cell cell) {
        String format = cell.getDataFormatString();
        Integer id = cell.getDataFormatId();
        if (isDateFormat(id, format)) {
            LocalDateTime at = cell.asDate().truncatedTo(ChronoUnit.SECONDS);
            return showsTime(id, format) ? at.format(DATE_TIME) : at.toLocalDate().toString();
        }
        return new java.math.BigDecimal(cell.getRawValue()).toPlainString();
    }

    private static boolean isNumber(String raw) {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        try {
            new java.math.BigDecimal(raw.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * Whether a number format shows a date: a built-in date format by its id, else a format code with a year or a day
     * in it ({@code y}, {@code d}; {@code yyyy"年"m"月"d"日"} too), outside quoted text, escaped characters and
     * bracketed colours or locales. A month alone ({@code m}) is not enough: it is also the minutes of a time.
     */
    static boolean isDateFormat(Integer id, String format) {
        if (id != null && BUILT_IN_DATES.contains(id)) {
            return true;
        }
        String code = tokens(format);
        return code.indexOf('y') >= 0 || code.indexOf('d') >= 0;
    }

    /** Whether a date format also shows the time of day (hours or seconds). */
    static boolean showsTime(Integer id, String format) {
        if (id != null && BUILT_IN_DATE_TIMES.contains(id)) {
            return true;
        }
        String code = tokens(format);
        return code.indexOf('h') >= 0 || code.indexOf('s') >= 0;
    }

    /**
     * The letters of a format code that are format tokens, lower case: quoted text, characters escaped with a
     * backslash, padding ({@code _x}) and fill ({@code *x}) characters and bracketed parts ({@code [Red]},
     * {@code [$-804]}) removed; "General" is no token. Only the first section (before {@code ;}) counts: it formats
     * positive numbers, which dates are.
     */
    private static String tokens(String format) {
        if (format == null || format.equalsIgnoreCase("General")) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        boolean bracket = false;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (quoted) {
                quoted = c != '"';
            } else if (bracket) {
                bracket = c != ']';
            } else if (c == '"') {
                quoted = true;
            } else if (c == '[') {
                bracket = true;
            } else if (c == '\\' || c == '_' || c == '*') {
                i++;
            } else if (c == ';') {
                break;
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT).replace("general", "");
    }
}
