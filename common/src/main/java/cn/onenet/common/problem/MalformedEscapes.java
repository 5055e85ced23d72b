package cn.onenet.common.problem;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-escapes that do not decode: a {@code %} not followed by two hexadecimal digits ({@code %}, {@code %4},
 * {@code %ZZ}), or escaped bytes that are not UTF-8 ({@code %E4%B8}, a truncated 户; {@code %C0%AF}, an overlong
 * {@code /}). The HTTP layer answers a query or path holding one with an empty 400 or a failure, and a form body
 * with a 500; {@link MalformedEscapeRoutes} and the form readers name the parameter instead.
 */
public final class MalformedEscapes {

    /** The field named for a malformed escape in the path. */
    public static final String PATH = "path";
    /** The field named for a malformed escape in a query parameter's name. */
    public static final String QUERY = "query";
    /** The field named for a malformed escape in a form field's name. */
    public static final String BODY = "body";
    /** The message of the field error, in both languages. */
    public static final String MESSAGE = "百分号编码无效，应为 % 加两位十六进制数字、UTF-8 编码 / malformed percent-escape: "
            + "expected % and two hexadecimal digits, encoding UTF-8";

    private MalformedEscapes() {
    }

    /** The problem's detail for a malformed escape in {@code field}. */
    public static String detail(String field) {
        return "参数 " + field + " 的百分号编码无效 / " + field
                + " holds a malformed percent-escape (% and two hexadecimal digits, encoding UTF-8)";
    }

    /** Whether this part of a URL or form (no {@code &} or {@code =} in it) decodes: escapes well formed, UTF-8. */
    public static boolean decodes(String part) {
        return decodes(part, true);
    }

    /** Whether the escapes of this part are well formed and, if {@code utf8}, their bytes UTF-8. */
    static boolean decodes(String part, boolean utf8) {
        if (part.indexOf('%') < 0) {
            return true;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(part.length());
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '%') {
                if (i + 2 >= part.length()) {
                    return false;
                }
                int high = hex(part.charAt(i + 1));
                int low = hex(part.charAt(i + 2));
                if (high < 0 || low < 0) {
                    return false;
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (utf8) {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(raw, 0, raw.length);
            }
        }
        if (!utf8) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The value of an ASCII hexadecimal digit, else -1 (not {@code Character.digit}: it takes full-width digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /**
     * The field holding the first malformed escape of a request target (path and query), else null: {@link #PATH},
     * the query parameter's decoded name, or {@link #QUERY} when the name itself does not decode.
     */
    public static String inTarget(String target) {
        if (target == null || target.indexOf('%') < 0) {
            return null;
        }
        int query = target.indexOf('?');
        String path = query < 0 ? target : target.substring(0, query);
        if (!decodes(path)) {
            return PATH;
        }
        return query < 0 ? null : inForm(target.substring(query + 1), QUERY);
    }

    /**
     * The field holding the first malformed escape of form-encoded pairs ({@code a=1&b=2}), else null: the field's
     * decoded name, or {@code unnamed} when the name itself does not decode.
     */
    public static String inForm(String pairs, String unnamed) {
        return inForm(pairs, unnamed, true);
    }

    /**
     * As {@link #inForm(String, String)}; {@code utf8} false for a form that declares another charset (GBK, say):
     * then only the escapes' form is checked, their bytes are the other charset's to read.
     */
    public static String inForm(String pairs, String unnamed, boolean utf8) {
        if (pairs == null || pairs.indexOf('%') < 0) {
            return null;
        }
        for (String pair : pairs.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (!decodes(name, utf8)) {
                return unnamed;
            }
            if (equals >= 0 && !decodes(pair.substring(equals + 1), utf8)) {
                return utf8 ? URLDecoder.decode(name, StandardCharsets.UTF_8) : name;
            }
        }
        return null;
    }
}
