package cn.onenet.identity.rest.oidc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The NUL character in form-encoded bodies of the protocol endpoints and pages. No client id, code, token, login name
 * or password contains one, and PostgreSQL refuses it in text: a form carrying one ({@code %00}, or the raw byte) is
 * refused before it is handled, as {@code NulCharacterRoutes} does for paths and query strings.
 */
final class FormBodies {

    /** The name reported when the field's own name is unusable (it holds the NUL, or is not a plain name). */
    static final String BODY = "body";
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,40}");

    private FormBodies() {
    }

    /** The name of the first field whose name or value holds a NUL character, else null. */
    static String nulField(String body) {
        if (body == null || (body.indexOf("%00") < 0 && body.indexOf('\0') < 0)) {
            return null;
        }
        for (String pair : body.split("&")) {
            if (pair.contains("%00") || pair.indexOf('\0') >= 0) {
                int equals = pair.indexOf('=');
                return name(equals < 0 ? pair : pair.substring(0, equals));
            }
        }
        return BODY;
    }

    /** The first of these decoded form fields (name to value) whose value holds a NUL character, else null. */
    static String nulField(Map<String, String> fields) {
        for (Map.Entry<String, String> field : fields.entrySet()) {
            if (field.getValue() != null && field.getValue().indexOf('\0') >= 0) {
                return field.getKey();
            }
        }
        return null;
    }

    /** Form fields as name, value, name, value…, in order (values may be null). */
    static Map<String, String> fields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** The OAuth {@code error_description} (printable ASCII only) for a NUL in {@code field}. */
    static String description(String field) {
        return field + " must not contain the NUL character (U+0000)";
    }

    /** {@code name} if it is a plain field name, else {@link #BODY}. */
    static String plainName(String name) {
        return name != null && PLAIN_NAME.matcher(name).matches() ? name : BODY;
    }

    private static String name(String raw) {
        String decoded;
        try {
            decoded = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return BODY;
        }
        return plainName(decoded);
    }
}
