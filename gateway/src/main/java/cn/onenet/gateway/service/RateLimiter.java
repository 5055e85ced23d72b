package cn.onenet.gateway.service;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import cn.onenet.gateway.config.GatewayConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/**
 * Per-client token buckets (Bucket4j), one per client and route: a department system, a user or an anonymous IP
 * each get their plan's budget on every API. Buckets live in memory, bounded in number; with several gateway
 * replicas each holds its own budget (see README for a shared back end).
 */
@ApplicationScoped
public class RateLimiter {

    /** The outcome of one request against its bucket, with what the RateLimit-* headers report. */
    public record Decision(boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds,
            String policy) {
    }

    private record Resolved(long requests, Duration period, String policy) {
    }

    private final GatewayConfig.RateLimit config;
    private final Cache<String, Bucket> buckets;
    private final Resolved defaultPlan;
    private final Resolved anonymousPlan;

    public RateLimiter(GatewayConfig config) {
        this.config = config.rateLimit();
        this.buckets = Caffeine.newBuilder().maximumSize(this.config.maxBuckets())
                .expireAfterAccess(Duration.ofMinutes(10)).build();
        this.defaultPlan = resolve(this.config.defaultPlan());
        this.anonymousPlan = resolve(this.config.anonymous());
    }

    public boolean enabled() {
        return config.enabled();
    }

    /**
     * Takes one token for the caller on the route. {@code clientId} is the token's client (or subject), null for
     * anonymous callers, who are keyed by {@code address}.
     */
    public Decision consume(String route, String clientId, String department, String address) {
        Resolved plan;
        String key;
        if (clientId == null) {
            plan = anonymousPlan;
            key = route + "|ip|" + address;
        } else {
            plan = planFor(clientId, department);
            key = route + "|c|" + clientId;
        }
        Resolved chosen = plan;
        Bucket bucket = buckets.get(key, k -> newBucket(chosen));
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long reset = seconds(probe.getNanosToWaitForReset());
        if (probe.isConsumed()) {
            return new Decision(true, plan.requests(), probe.getRemainingTokens(), reset, 0, plan.policy());
        }
        long retryAfter = Math.max(1, seconds(probe.getNanosToWaitForRefill()));
        return new Decision(false, plan.requests(), 0, Math.max(reset, retryAfter), retryAfter, plan.policy());
    }

    private Resolved planFor(String clientId, String department) {
        GatewayConfig.Plan plan = config.clients().get(clientId);
        if (plan == null && department != null) {
            plan = config.departments().get(department);
        }
        return plan == null ? defaultPlan : resolve(plan);
    }

    private static Resolved resolve(GatewayConfig.Plan plan) {
        // RateLimit-Policy (draft-ietf-httpapi-ratelimit-headers): "<quota>;w=<window seconds>"
        long window = Math.max(1, plan.period().toSeconds());
        return new Resolved(plan.requests(), plan.period(), plan.requests() + ";w=" + window);
    }

    private static Bucket newBucket(Resolved plan) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(plan.requests()).refillGreedy(plan.requests(), plan.period())
                        .build())
                .build();
    }

    private static long seconds(long nanos) {
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }
}
