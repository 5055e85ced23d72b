package cn.onenet.gateway.client;

import java.time.Instant;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.impl.ContextInternal;
import io.vertx.httpproxy.impl.ParseUtils;

/**
 * The upstream's {@code Date} on a proxied answer, without vertx-http-proxy parsing it on every response.
 * <p>
 * The proxy parses the upstream's {@code Date} with a {@code DateTimeFormatter} and formats it again for each
 * answer (the single most expensive step of forwarding an answer). The value changes once a second, so the result is
 * remembered per event loop (one instance per loop and route): the upstream's field is taken out of the proxy's copy,
 * which then stamps the answer with its own clock, and the remembered result replaces that stamp when the answer's
 * head is written ({@link #restore}, from the gateway's headers-end handler). The client gets exactly what the proxy
 * would have sent. With a {@code Warning} field (whose dates the proxy checks against {@code Date}) or an unparseable
 * {@code Date}, the proxy is left to do as before.
 */
public final class UpstreamDate {

    /** Context-local key of the request's pending {@code Date}. */
    private static final Object KEY = new Object();
    private static final CharSequence WARNING = HttpHeaders.createOptimized("Warning");

    private String lastValue;
    private String lastFormatted;

    /** Takes the {@code Date} out of an upstream answer's headers, to be set on the client's answer by restore. */
    void takeOver(HttpServerRequest incoming, MultiMap upstreamHeaders) {
        String value = upstreamHeaders.get(HttpHeaders.DATE);
        if (value == null || upstreamHeaders.contains(WARNING)) {
            return;
        }
        String formatted = format(value);
        if (formatted == null) {
            return;
        }
        upstreamHeaders.remove(HttpHeaders.DATE);
        ((ContextInternal) ((HttpServerRequestInternal) incoming).context()).localContextData().put(KEY, formatted);
    }

    /** As vertx-http-proxy formats an upstream's {@code Date}, once per distinct value; null if unparseable. */
    String format(String value) {
        if (value.equals(lastValue)) {
            return lastFormatted;
        }
        Instant instant = ParseUtils.parseHeaderDate(value);
        String formatted = instant == null ? null : ParseUtils.formatHttpDate(instant);
        lastValue = value;
        lastFormatted = formatted;
        return formatted;
    }

    /** Puts the upstream's {@code Date} taken over for this request on its answer, in place of the proxy's stamp. */
    public static void restore(HttpServerRequest request, MultiMap responseHeaders) {
        if (!(request instanceof HttpServerRequestInternal internal)) {
            return;
        }
        Object date = ((ContextInternal) internal.context()).localContextData().remove(KEY);
        if (date != null) {
            responseHeaders.set(HttpHeaders.DATE, (String) date);
        }
    }
}
