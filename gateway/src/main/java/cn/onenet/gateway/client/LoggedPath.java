package cn.onenet.gateway.client;

import java.util.regex.Pattern;

/** A request path as the gateway logs it: no query string nor matrix parameters, identifier-like segments masked. */
public final class LoggedPath {

    /** Path segments that may identify a person or an enterprise (ID numbers, credit codes) are not logged. */
    private static final Pattern IDENTIFIER = Pattern.compile("/[0-9A-Za-z]*[0-9][0-9A-Za-z]{13,}");

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
        return IDENTIFIER.matcher(path).replaceAll("/{id}");
    }

    private static final Pattern MATRIX = Pattern.compile(";[^/]*");
}
