package cn.onenet.gateway.client;

import java.util.stream.Stream;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * Hop-by-hop header fields (RFC 9110 §7.6.1): the fixed ones and those a message's {@code Connection} field names.
 * <p>
 * On a request, the fields the client names are removed from the client's own headers before the gateway adds its
 * forwarding headers, request id and relayed token (see {@link #removeClientNamed}), so no {@code Connection} token
 * can remove a header the gateway sets. The fixed fields, {@code Connection} included, are removed from the upstream
 * request's copy only ({@link #removeFixed}), since the server still reads the client's {@code Connection} for
 * keep-alive.
 */
public final class HopByHop {

    /** RFC 9110 §7.6.1 hop-by-hop fields. */
    private static final CharSequence[] FIXED = Stream.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade")
            .map(HttpHeaders::createOptimized).toArray(CharSequence[]::new);

    /** Connection options, not fields: nothing to remove (the fixed list covers Keep-Alive). */
    private static final String[] OPTIONS = { "close", "keep-alive" };

    /**
     * Never removed from a request on the client's word: the caller's credentials, which the upstream must see as the
     * edge verified them, and the framing the gateway reads to stream the body (Transfer-Encoding itself is dropped
     * from the upstream copy with the fixed fields).
     */
    private static final String[] KEPT_ON_REQUEST = { "close", "keep-alive", "authorization", "content-length",
            "transfer-encoding", "host" };

    private HopByHop() {
    }

    /**
     * Removes from a client's request headers the fields its {@code Connection} names, except the credentials and
     * the body's framing. Must run before the gateway sets its own headers on the request.
     */
    public static void removeClientNamed(MultiMap headers) {
        removeNamed(headers, KEPT_ON_REQUEST);
    }

    /** Removes the fixed hop-by-hop fields. */
    static void removeFixed(MultiMap headers) {
        for (CharSequence name : FIXED) {
            headers.remove(name);
        }
    }

    /** An upstream's response: the fields its {@code Connection} names, then the fixed ones. */
    static void removeFromResponse(MultiMap headers) {
        removeNamed(headers, OPTIONS);
        removeFixed(headers);
    }

    /** Parses the comma-separated tokens in place; allocates only for a field actually removed. */
    private static void removeNamed(MultiMap headers, String[] kept) {
        String connection = headers.get(HttpHeaders.CONNECTION);
        if (connection == null) {
            return;
        }
        // Each Connection field line counts (RFC 9110 §5.3: several lines are one comma-separated list).
        java.util.List<String> lines = headers.getAll(HttpHeaders.CONNECTION);
        if (lines.size() > 1) {
            for (String line : lines) {
                removeTokens(headers, line, kept);
            }
            return;
        }
        removeTokens(headers, connection, kept);
    }

    private static void removeTokens(MultiMap headers, String connection, String[] kept) {
        int length = connection.length();
        int start = 0;
        while (start < length) {
            int end = connection.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int from = start;
            int to = end;
            while (from < to && isSpace(connection.charAt(from))) {
                from++;
            }
            while (to > from && isSpace(connection.charAt(to - 1))) {
                to--;
            }
            if (from < to && !isAny(connection, from, to, kept)) {
                headers.remove(connection.substring(from, to));
            }
            start = end + 1;
        }
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isAny(String value, int from, int to, String[] names) {
        for (String name : names) {
            if (name.length() == to - from && name.regionMatches(true, 0, value, from, to - from)) {
                return true;
            }
        }
        return false;
    }
}
