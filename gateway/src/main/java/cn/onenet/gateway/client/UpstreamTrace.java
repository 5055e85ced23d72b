package cn.onenet.gateway.client;

import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.impl.VertxInternal;

/**
 * The trace-context fields ({@code traceparent}, {@code tracestate}, {@code baggage}: those of the configured
 * propagators) that the gateway's own client span writes on each upstream request while tracing is on.
 * <p>
 * OpenTelemetry's Vert.x instrumentation adds them to the upstream request after the proxy has copied the client's
 * headers into it, so the client's own fields are dropped from that copy first: the upstream then gets exactly one
 * {@code traceparent} (W3C Trace Context), the caller's trace id with the gateway's span as parent, and the caller's
 * {@code tracestate} and baggage once, carried over by the propagators. While tracing is off nothing is added, and the
 * client's fields pass through unchanged.
 */
final class UpstreamTrace {

    /** Nothing to replace: tracing off. */
    static final UpstreamTrace OFF = new UpstreamTrace(new CharSequence[0]);

    private final CharSequence[] fields;

    private UpstreamTrace(CharSequence[] fields) {
        this.fields = fields;
    }

    /**
     * {@code httpInstrumented}: {@code quarkus.otel.instrument.vertx-http}. Vert.x has a tracer only with the SDK
     * and tracing enabled; its HTTP client spans only with that instrumentation on.
     */
    static UpstreamTrace of(Vertx vertx, OpenTelemetry openTelemetry, boolean httpInstrumented) {
        if (!httpInstrumented || ((VertxInternal) vertx).tracer() == null) {
            return OFF;
        }
        return new UpstreamTrace(openTelemetry.getPropagators().getTextMapPropagator().fields().stream()
                .map(HttpHeaders::createOptimized).toArray(CharSequence[]::new));
    }

    /**
     * Removes the client's trace-context fields from the upstream request's headers, which the span sets anew. While
     * tracing is off the caller's pass on, unless its {@code traceparent} does not parse (W3C Trace Context §3.2:
     * then it and {@code tracestate} are ignored), so no service logs or joins whatever a caller wrote there.
     */
    void removeClients(MultiMap headers) {
        if (fields.length == 0) {
            String traceparent = headers.get(TRACEPARENT);
            // Several lines are no traceparent either; getAll only for a request that sends one.
            if (traceparent != null && (!validTraceparent(traceparent) || headers.getAll(TRACEPARENT).size() > 1)) {
                headers.remove(TRACEPARENT);
                headers.remove(TRACESTATE);
            }
            return;
        }
        for (CharSequence name : fields) {
            headers.remove(name);
        }
    }

    private static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
    private static final CharSequence TRACESTATE = HttpHeaders.createOptimized("tracestate");

    /**
     * {@code version-traceid-parentid-flags} in lower-case hex, the ids not all zeros, version {@code ff} invalid; a
     * later version than 00 may carry more after the 55 characters of version 00's fields, behind a dash.
     */
    static boolean validTraceparent(String value) {
        int length = value.length();
        if (length < 55 || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-'
                || !hex(value, 0, 2) || !hex(value, 3, 35) || !hex(value, 36, 52) || !hex(value, 53, 55)
                || value.startsWith("ff") || zeros(value, 3, 35) || zeros(value, 36, 52)) {
            return false;
        }
        return value.startsWith("00") ? length == 55 : length == 55 || value.charAt(55) == '-';
    }

    private static boolean hex(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zeros(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (value.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
