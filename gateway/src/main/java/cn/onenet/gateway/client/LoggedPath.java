package cn.onenet.gateway.client;

import java.util.regex.Pattern;

/**
 * A request path as the gateway logs it: no query string nor matrix parameters, segments that may carry personal
 * data masked as {@code {id}}.
 */
public final class LoggedPath {

    /** Path segments that may identify a person or an enterprise (ID numbers, credit codes) are not logged. */
    private static final Pattern IDENTIFIER = Pattern.compile("/[0-9A-Za-z]*[0-9][0-9A-Za-z]{13,}");

    /**
     * Digits in a row from which a segment counts as a number of a person's: phone numbers (11, or 7–8 without the
     * area code), bank cards, passports. Shorter runs stay (ids of entries and grants, dates, resource codes such as
     * {@code 330000-01-02/000123}).
     */
    static final int PERSONAL_DIGITS = 7;

    private LoggedPath() {
    }

    /** {@code path}: the request's path (never its URI, which has the query string). */
    public static String of(String path) {
        if (path == null) {
            return "";
        }
        if (path.indexOf(';') >= 0) {
            // Matrix parameters are as free as a query string (a token, a jsessionid): not logged either.
            path = MATRIX.matcher(path).replaceAll("");
        }
        return IDENTIFIER.matcher(maskPersonalSegments(path)).replaceAll("/{id}");
    }

    /**
     * Masks whole segments that look like a person's data: a long run of digits (a phone number), percent-encoded
     * non-ASCII text (a name, an address), an e-mail address. A keyed lookup ({@code /records/{key}}) may carry any
     * of these. Allocates only for a path with such a segment.
     */
    static String maskPersonalSegments(String path) {
        StringBuilder masked = null;
        int start = 0;
        int length = path.length();
        while (start <= length) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            boolean personal = end > start && personal(path, start, end);
            if (personal && masked == null) {
                masked = new StringBuilder(length).append(path, 0, start);
            }
            if (masked != null) {
                if (personal) {
                    masked.append("{id}");
                } else {
                    masked.append(path, start, end);
                }
                if (end < length) {
                    masked.append('/');
                }
            }
            start = end + 1;
        }
        return masked == null ? path : masked.toString();
    }

    private static boolean personal(String path, int from, int to) {
        int digits = 0;
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits >= PERSONAL_DIGITS) {
                    return true;
                }
                continue;
            }
            digits = 0;
            if (c == '@' || c > 0x7f) {
                return true;
            }
            if (c == '%' && i + 2 < to) {
                char high = Character.toUpperCase(path.charAt(i + 1));
                char low = Character.toUpperCase(path.charAt(i + 2));
                // a UTF-8 byte of non-ASCII text (%80-%FF), or an encoded '@'
                if ((high >= '8' && high <= '9') || (high >= 'A' && high <= 'F') || (high == '4' && low == '0')) {
                    return true;
                }
                i += 2;
            }
        }
        return false;
    }

    private static final Pattern MATRIX = Pattern.compile(";[^/]*");
}
