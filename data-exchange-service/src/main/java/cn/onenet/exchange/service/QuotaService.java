package cn.onenet.exchange.service;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.GrantService.GrantView;
import io.agroal.api.AgroalDataSource;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import io.github.bucket4j.util.concurrent.batch.BatchHelper;

/**
 * Per-grant quotas (共享授权的调用配额): calls per second and calls per calendar day in Beijing time, held for the
 * grant as a whole whichever replica a call reaches and kept across restarts ({@code exchange.quota.store=postgresql},
 * the default), or by this replica alone ({@code memory}: a single replica, e.g. a laptop; a restart starts afresh).
 * <p>
 * Per second: a Bucket4j token bucket (capacity the quota, refilled greedily over one second); shared, the grant's
 * row of {@code quota_bucket}, written by Bucket4j's select-for-update proxy manager: SELECT … FOR UPDATE, UPDATE,
 * COMMIT, three round trips. The advisory-lock manager takes four (the lock is a statement of its own), and its lock
 * ids would share one key space with this service's own advisory locks. A quota change reaches the stored bucket by
 * Bucket4j's implicit configuration replacement keyed by the grant's version: the first call that brings the newer
 * grant replaces the configuration and keeps the tokens left (AS_IS, at most the new capacity), so no change hands
 * out a fresh second, and a view of the grant older than the stored configuration changes nothing.
 * <p>
 * Per day: the count of the grant's calls on its current Beijing day (row of {@code quota_day}), raised by one
 * statement only as far as the quota allows. A count keyed by the date rather than a second bandwidth refilled at
 * Beijing midnight: the day ends at 00:00 Beijing time by construction, and a quota change compares the same count
 * with the new quota, so the calls made today stay counted exactly, also when the quota is lowered (a bucket keeps
 * or scales the tokens left when its configuration changes; none of Bucket4j's strategies takes the calls already
 * made from a lowered quota). A call refused for the day has used a token of its second; one refused for the second
 * is not counted for the day.
 * <p>
 * On the data-call path a busy grant's rows would be locked by one call after another, each for its round trips and
 * its commit. So the calls of a grant arriving on this replica while its quota is being taken wait and are then
 * taken together (Bucket4j's batching helper): one bucket transaction and one count statement for all of them. The
 * store's connections commit without waiting for the WAL flush, and time out a statement after 2 s on the server
 * (the {@code quota} pool, application.properties).
 */
@ApplicationScoped
public class QuotaService {

    private static final Logger LOG = Logger.getLogger(QuotaService.class);
    /**
     * Counts n calls of a grant's day, as many as its quota leaves ({@code granted}; none once the count has reached
     * it); a later day starts again from 0. A day before the stored one (a replica whose clock is a moment behind at
     * midnight) counts towards the stored day.
     */
    private static final String COUNT = """
            UPDATE quota_day AS q
               SET granted = CASE WHEN q.day < a.day THEN LEAST(a.n, a.quota)
                                  ELSE GREATEST(0, LEAST(a.n, a.quota - q.calls)) END,
                   calls = CASE WHEN q.day < a.day THEN LEAST(a.n, a.quota)
                                ELSE q.calls + GREATEST(0, LEAST(a.n, a.quota - q.calls)) END,
                   day = GREATEST(q.day, a.day)
              FROM (VALUES (?::bigint, ?::date, ?::integer, ?::integer)) AS a (grant_id, day, n, quota)
             WHERE q.grant_id = a.grant_id
            RETURNING q.granted""";
    /** A grant's row, nothing counted yet, before its first count. */
    private static final String FIRST_COUNT =
            "INSERT INTO quota_day (grant_id, day, calls, granted) VALUES (?, ?, 0, 0) ON CONFLICT (grant_id) DO NOTHING";

    /** What the quota says to a call. */
    private enum Outcome {
        TAKEN, SECOND_USED_UP, DAY_USED_UP
    }

    /** A call to be taken from the quota of the grant as it came with it, on its Beijing day. */
    private record Call(GrantView grant, LocalDate day) {
        /** Calls that can be taken by one bucket command and one count. */
        boolean sameTerms(Call other) {
            return grant.version() == other.grant.version() && grant.quotaPerSecond() == other.grant.quotaPerSecond()
                    && grant.quotaPerDay() == other.grant.quotaPerDay() && day.equals(other.day);
        }
    }

    /** The per-second bucket of a grant as of the grant's version it was built for. */
    private record Held(int version, Bucket bucket) {
    }

    /** A grant's calls on one day (memory store). */
    private record DayCount(LocalDate day, int calls) {
    }

    private final DataSource dataSource;
    private final TimeSource time;
    private final TimeMeter clock;
    private final PostgreSQLSelectForUpdateBasedProxyManager<Long> shared;
    private final Map<Long, Held> seconds = new ConcurrentHashMap<>();
    private final Map<Long, BatchHelper<Call, Outcome, List<Call>, List<Outcome>>> batches = new ConcurrentHashMap<>();
    private final Map<Long, DayCount> days = new ConcurrentHashMap<>();
    private final AtomicLong storeFailures = new AtomicLong();

    @Inject
    public QuotaService(ExchangeConfig config, @io.quarkus.agroal.DataSource("quota") AgroalDataSource quotaStore,
            TimeSource time) {
        this(config.quota().store(), quotaStore, time);
    }

    /** A quota service over the given store; two over one database stand for two replicas. */
    QuotaService(ExchangeConfig.Quota.Store store, DataSource dataSource, TimeSource time) {
        this.time = time;
        this.clock = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = time.now();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        if (store == ExchangeConfig.Quota.Store.POSTGRESQL) {
            this.dataSource = dataSource;
            this.shared = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource).table("quota_bucket")
                    .idColumn("id").stateColumn("state").clientClock(clock).build();
        } else {
            this.dataSource = null;
            this.shared = null;
        }
    }

    /** Takes one call from the grant's quota or answers 429 with Retry-After. */
    public void consume(GrantView grant) {
        Instant now = time.now();
        Call call = new Call(grant, LocalDate.ofInstant(now, TimeSource.ZONE));
        Outcome outcome;
        try {
            outcome = shared == null ? takeInMemory(call) : batch(grant.id()).execute(call);
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        if (outcome == Outcome.SECOND_USED_UP) {
            // greedy refill: the next token is back within 1/quotaPerSecond of a second
            throw exhausted(grant, 1);
        }
        if (outcome == Outcome.DAY_USED_UP) {
            Instant midnight = call.day().plusDays(1).atStartOfDay(TimeSource.ZONE).toInstant();
            long nanos = Duration.between(now, midnight).toNanos();
            throw exhausted(grant, Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
        }
    }

    private BatchHelper<Call, Outcome, List<Call>, List<Outcome>> batch(long grantId) {
        return batches.computeIfAbsent(grantId,
                id -> BatchHelper.create((List<Call> calls) -> calls, this::takeShared, (calls, taken) -> taken));
    }

    /** The calls of one grant, in their order: per run of calls on the same terms one bucket command and one count. */
    private List<Outcome> takeShared(List<Call> calls) {
        List<Outcome> outcomes = new ArrayList<>(calls.size());
        int i = 0;
        while (i < calls.size()) {
            Call first = calls.get(i);
            int n = 1;
            while (i + n < calls.size() && calls.get(i + n).sameTerms(first)) {
                n++;
            }
            int second = (int) perSecond(first.grant()).tryConsumeAsMuchAsPossible(n);
            int day = second == 0 ? 0 : countShared(first, second);
            outcomes.addAll(Collections.nCopies(day, Outcome.TAKEN));
            outcomes.addAll(Collections.nCopies(second - day, Outcome.DAY_USED_UP));
            outcomes.addAll(Collections.nCopies(n - second, Outcome.SECOND_USED_UP));
            i += n;
        }
        return outcomes;
    }

    /** Counts n calls in the grant's day; how many its quota let through. */
    private int countShared(Call call, int n) {
        try (Connection c = dataSource.getConnection(); PreparedStatement count = c.prepareStatement(COUNT)) {
            count.setLong(1, call.grant().id());
            count.setDate(2, Date.valueOf(call.day()));
            count.setInt(3, n);
            count.setInt(4, call.grant().quotaPerDay());
            try (ResultSet rs = count.executeQuery()) {
                if (rs.next()) {
                    return rs.getInt(1);
                }
            }
            try (PreparedStatement first = c.prepareStatement(FIRST_COUNT)) {
                first.setLong(1, call.grant().id());
                first.setDate(2, Date.valueOf(call.day()));
                first.executeUpdate();
            }
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Outcome takeInMemory(Call call) {
        if (!perSecond(call.grant()).tryConsume(1)) {
            return Outcome.SECOND_USED_UP;
        }
        boolean[] counted = new boolean[1];
        days.compute(call.grant().id(), (id, c) -> {
            if (c == null || c.day().isBefore(call.day())) {
                counted[0] = true;
                return new DayCount(call.day(), 1);
            }
            if (c.calls() < call.grant().quotaPerDay()) {
                counted[0] = true;
                return new DayCount(c.day(), c.calls() + 1);
            }
            return c;
        });
        return counted[0] ? Outcome.TAKEN : Outcome.DAY_USED_UP;
    }

    private Bucket perSecond(GrantView grant) {
        Held held = seconds.get(grant.id());
        if (held != null && held.version() >= grant.version()) {
            return held.bucket(); // built for this version of the grant or a later one (a view may be a second old)
        }
        Held built = build(grant, held);
        return seconds.merge(grant.id(), built, (old, now) -> old.version() >= now.version() ? old : now).bucket();
    }

    /** The grant's per-second bucket for this version of the grant. */
    private Held build(GrantView grant, Held before) {
        BucketConfiguration limit = BucketConfiguration.builder()
                .addLimit(b -> b.capacity(grant.quotaPerSecond())
                        .refillGreedy(grant.quotaPerSecond(), Duration.ofSeconds(1)).id("per-second"))
                .build();
        if (shared != null) {
            return new Held(grant.version(), shared.builder()
                    .withImplicitConfigurationReplacement(grant.version(), TokensInheritanceStrategy.AS_IS)
                    .build(grant.id(), () -> limit));
        }
        if (before != null) {
            before.bucket().replaceConfiguration(limit, TokensInheritanceStrategy.AS_IS);
            return new Held(grant.version(), before.bucket());
        }
        return new Held(grant.version(), Bucket.builder().addLimit(limit.getBandwidths()[0])
                .withCustomTimePrecision(clock).build());
    }

    private static ApiException exhausted(GrantView grant, long retryAfterSeconds) {
        return new ApiException(ProblemType.RATE_LIMITED,
                "超出授权配额 / the grant's quota is exhausted, retry after " + retryAfterSeconds + " s", List.of(),
                Map.of("grantId", grant.id(), "quotaPerSecond", grant.quotaPerSecond(),
                        "quotaPerDay", grant.quotaPerDay()),
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** The quota could not be checked: no data leaves (a quota is a term of the grant, not a best effort). */
    private ApiException unavailable(RuntimeException e) {
        long failures = storeFailures.incrementAndGet();
        if (failures == 1 || failures % 1000 == 0) {
            LOG.warnf("quota store unavailable (%d failures so far): %s", failures, e.toString());
        }
        return new ApiException(ProblemType.UNAVAILABLE,
                "授权配额无法核对，数据未发送 / the grant's quota could not be checked, no data was sent", List.of(),
                Map.of(), Map.of("Retry-After", "1"));
    }
}
