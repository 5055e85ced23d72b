package cn.onenet.exchange.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.service.GrantService.GrantView;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

/** Per-grant quotas (calls per second and per day), token buckets held by this replica. */
@ApplicationScoped
public class QuotaService {

    private record Limits(int perSecond, int perDay, Bucket bucket) {
    }

    private final Map<Long, Limits> buckets = new ConcurrentHashMap<>();

    /** Takes one call from the grant's quota or answers 429 with Retry-After. */
    public void consume(GrantView grant) {
        Limits l = buckets.get(grant.id());
        if (l == null || l.perSecond() != grant.quotaPerSecond() || l.perDay() != grant.quotaPerDay()) {
            l = new Limits(grant.quotaPerSecond(), grant.quotaPerDay(), Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(grant.quotaPerSecond())
                            .refillGreedy(grant.quotaPerSecond(), Duration.ofSeconds(1)).build())
                    .addLimit(Bandwidth.builder().capacity(grant.quotaPerDay())
                            .refillIntervally(grant.quotaPerDay(), Duration.ofDays(1)).build())
                    .build());
            buckets.put(grant.id(), l);
        }
        ConsumptionProbe probe = l.bucket().tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
            throw new ApiException(ProblemType.RATE_LIMITED,
                    "超出授权配额 / the grant's quota is exhausted, retry after " + seconds + " s", List.of(),
                    Map.of("grantId", grant.id(), "quotaPerSecond", grant.quotaPerSecond(),
                            "quotaPerDay", grant.quotaPerDay()),
                    Map.of("Retry-After", Long.toString(seconds)));
        }
    }
}
