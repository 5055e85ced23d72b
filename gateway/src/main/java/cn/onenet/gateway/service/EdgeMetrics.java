package cn.onenet.gateway.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Per-route request metrics: {@code gateway_requests_seconds} (count = rate, histogram = latency) tagged with route,
 * method and status class. Timers are cached so the hot path does one map lookup.
 */
@ApplicationScoped
public class EdgeMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String route, String method, int status, long nanos) {
        String statusClass = status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
        String key = route + ' ' + method + ' ' + status;
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder("gateway.requests")
                    .description("Requests answered by the gateway, by route")
                    .tag("route", route).tag("method", method).tag("status", Integer.toString(status))
                    .tag("outcome", statusClass)
                    .publishPercentileHistogram()
                    .register(registry));
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
