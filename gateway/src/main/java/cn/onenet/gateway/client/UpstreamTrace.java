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

    /** Removes the client's trace-context fields from the upstream request's headers, which the span sets anew. */
    void removeClients(MultiMap headers) {
        for (CharSequence name : fields) {
            headers.remove(name);
        }
    }
}
