package cn.onenet.gateway.service;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
    /** route, then method, then status: lookups with constant strings and an index, nothing built per request. */
    private final ConcurrentMap<String, ConcurrentMap<String, AtomicReferenceArray<Timer>>> timers =
            new ConcurrentHashMap<>();

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String route, String method, int status, long nanos) {
        int slot = status >= 100 && status < 600 ? status - 100 : 500;
        AtomicReferenceArray<Timer> byStatus = timers.computeIfAbsent(route, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(method, m -> new AtomicReferenceArray<>(501));
        Timer timer = byStatus.get(slot);
        if (timer == null) {
            String statusClass = slot == 500 ? "other" : (status / 100) + "xx";
            // Micrometer returns the meter already registered under the same tags, so a race makes no duplicate.
            timer = Timer.builder("gateway.requests")
                    .description("Requests answered by the gateway, by route")
                    .tag("route", route).tag("method", method)
                    .tag("status", slot == 500 ? "other" : Integer.toString(status))
                    .tag("outcome", statusClass)
                    .publishPercentileHistogram()
                    .register(registry);
            byStatus.set(slot, timer);
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
    }
}
