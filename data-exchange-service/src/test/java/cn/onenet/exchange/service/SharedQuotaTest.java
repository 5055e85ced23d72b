package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.config.ExchangeConfig.Quota.Store;
import cn.onenet.exchange.service.GrantService.GrantView;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A grant's quota holds for the grant, not per replica: two quota services over one database stand for two
 * replicas, a third started later for a replica after a restart. Each test has its own grant ids and its own clock
 * (a fixed clock refills nothing, so every figure is exact).
 */
@QuarkusTest
class SharedQuotaTest extends ExchangeTestBase {

    /** 10:00 Beijing time on an ordinary day. */
    static final Instant MORNING = ZonedDateTime.of(2026, 3, 10, 10, 0, 0, 0, TimeSource.ZONE).toInstant();

    @Inject
    AgroalDataSource dataSource;
    @Inject
    @io.quarkus.agroal.DataSource("quota")
    AgroalDataSource quotaStore;
    @Inject
    QuotaService quota;

    final TimeSource clock = new TimeSource();
    /** Two replicas over the one database. */
    QuotaService a;
    QuotaService b;

    @BeforeEach
    void twoReplicasAtTenInTheMorning() {
        at(MORNING);
        a = replica();
        b = replica();
    }

    QuotaService replica() {
        return new QuotaService(Store.POSTGRESQL, quotaStore, clock);
    }

    void at(Instant instant) {
        clock.set(Clock.fixed(instant, TimeSource.ZONE));
    }

    static GrantView grant(long id, int perSecond, int perDay, int version) {
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        return new GrantView(id, "330000-01-02/900001", "11330000002481080G", "11330000002481090H",
                Set.of("GMSFHM"), Set.of(), "社会保障待遇资格认证", "《社会救助暂行办法》第十一条", today.minusDays(1),
                today.plusYears(1), perSecond, perDay, "ACTIVE", version, "CONDITIONAL", null, "API");
    }

    /** One call: null when the quota allowed it, else the Retry-After (seconds) of its 429. */
    static Long call(QuotaService quota, GrantView grant) {
        try {
            quota.consume(grant);
            return null;
        } catch (ApiException e) {
            assertEquals(ProblemType.RATE_LIMITED, e.type());
            assertEquals(grant.id(), e.extensions().get("grantId"));
            assertEquals(grant.quotaPerSecond(), e.extensions().get("quotaPerSecond"));
            assertEquals(grant.quotaPerDay(), e.extensions().get("quotaPerDay"));
            return Long.parseLong(e.headers().get("Retry-After"));
        }
    }

    /** Calls alternately through the replicas; how many the quota allowed. */
    static int allowed(GrantView grant, int calls, QuotaService... replicas) {
        int allowed = 0;
        for (int i = 0; i < calls; i++) {
            if (call(replicas[i % replicas.length], grant) == null) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void twoReplicasTogetherKeepThePerSecondQuota() {
        GrantView g = grant(910_001, 3, 1000, 0);
        assertEquals(3, allowed(g, 8, a, b), "3 calls per second for the grant, not 3 per replica");
        assertEquals(1L, call(b, g));
        // the second after, three more in all
        at(MORNING.plusSeconds(1));
        assertEquals(3, allowed(g, 8, b, a));
    }

    @Test
    void twoReplicasTogetherKeepThePerDayQuota() {
        GrantView g = grant(910_002, 1000, 5, 0);
        assertEquals(5, allowed(g, 12, a, b), "5 calls per day for the grant, not 5 per replica");
        // refused until 00:00 Beijing time: 14 hours from 10:00
        assertEquals(14 * 3600L, call(a, g));
        assertEquals(14 * 3600L, call(b, g));
        assertEquals(5, countedToday(g.id()));
    }

    @Test
    void concurrentCallsOnTwoReplicasNeverExceedTheQuotas() throws Exception {
        GrantView perSecond = grant(910_011, 20, 100_000, 0);
        GrantView perDay = grant(910_012, 100_000, 30, 0);
        assertEquals(20, concurrently(perSecond, a, b), "20 per second in all, however the calls arrive");
        assertEquals(30, concurrently(perDay, a, b), "30 per day in all, however the calls arrive");
        assertEquals(30, countedToday(perDay.id()));
    }

    /** 8 threads per replica, 10 calls each, all at once; how many the quota allowed. */
    static int concurrently(GrantView grant, QuotaService... replicas) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> threads = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                QuotaService replica = replicas[t % replicas.length];
                threads.add(pool.submit(() -> {
                    start.await();
                    int allowed = 0;
                    for (int i = 0; i < 10; i++) {
                        if (call(replica, grant) == null) {
                            allowed++;
                        }
                    }
                    return allowed;
                }));
            }
            start.countDown();
            int allowed = 0;
            for (Future<Integer> f : threads) {
                allowed += f.get(30, TimeUnit.SECONDS);
            }
            return allowed;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewReplicaFindsTheStateAfterARestart() {
        GrantView daily = grant(910_003, 1000, 3, 0);
        GrantView burst = grant(910_004, 2, 1000, 0);
        assertEquals(3, allowed(daily, 3, a));
        assertEquals(2, allowed(burst, 2, a));
        QuotaService restarted = replica();
        assertEquals(14 * 3600L, call(restarted, daily), "the day's calls are still counted");
        assertEquals(1L, call(restarted, burst), "the second's calls are still counted");
    }

    @Test
    void aQuotaChangeKeepsTheCallsAlreadyMadeCounted() {
        GrantView five = grant(910_005, 1000, 5, 0);
        assertEquals(3, allowed(five, 3, a));
        // lowered to 4 a day (the grant's next version, seen first by the other replica): one call left today
        GrantView four = grant(910_005, 1000, 4, 1);
        assertEquals(1, allowed(four, 3, b, a));
        // lowered below what was used: nothing left today
        GrantView two = grant(910_005, 1000, 2, 2);
        assertEquals(0, allowed(two, 2, a, b));
        // raised to 10: the 4 calls made stay counted, 6 left
        GrantView ten = grant(910_005, 1000, 10, 3);
        assertEquals(6, allowed(ten, 9, a, b));
        assertEquals(10, countedToday(five.id()));

        // per second: 3 used, raised to 5 within the same second: the tokens left are kept (none), no fresh second
        GrantView three = grant(910_006, 3, 1000, 0);
        assertEquals(3, allowed(three, 3, a));
        GrantView fiveASecond = grant(910_006, 5, 1000, 1);
        assertEquals(0, allowed(fiveASecond, 3, b, a));
        // a view of the grant older than the change (another replica's cache) does not undo it
        assertEquals(0, allowed(three, 2, a, b));
        at(MORNING.plusSeconds(1));
        assertEquals(5, allowed(fiveASecond, 7, a, b), "the new quota once the second has passed");
    }

    @Test
    void theDayEndsAtMidnightInBeijing() {
        GrantView g = grant(910_007, 1000, 2, 0);
        at(ZonedDateTime.of(2026, 3, 10, 23, 59, 58, 0, TimeSource.ZONE).toInstant());
        assertEquals(2, allowed(g, 2, a, b));
        assertEquals(2L, call(a, g), "retry at 00:00 Beijing time, 2 s later");
        at(ZonedDateTime.of(2026, 3, 11, 0, 0, 0, 0, TimeSource.ZONE).toInstant());
        assertEquals(2, allowed(g, 3, b, a), "a new day's quota at 00:00 Beijing time");
        assertEquals(24 * 3600L, call(b, g));
        // midnight UTC (08:00 in Beijing) is not the end of the day
        at(ZonedDateTime.of(2026, 3, 11, 8, 0, 0, 0, TimeSource.ZONE).toInstant());
        assertEquals(16 * 3600L, call(a, g));
        at(ZonedDateTime.of(2026, 3, 12, 0, 0, 1, 0, TimeSource.ZONE).toInstant());
        assertEquals(2, allowed(g, 3, a, b));
    }

    @Test
    void theMemoryStoreKeepsTheQuotasOfItsReplica() {
        QuotaService memory = new QuotaService(Store.MEMORY, null, clock);
        GrantView burst = grant(910_008, 3, 1000, 0);
        assertEquals(3, allowed(burst, 5, memory));
        assertEquals(1L, call(memory, burst));
        GrantView daily = grant(910_009, 1000, 4, 0);
        assertEquals(4, allowed(daily, 6, memory));
        assertEquals(14 * 3600L, call(memory, daily));
        // a change keeps what was used: 4 calls made, raised to 6, 2 left; the next Beijing day starts afresh
        assertEquals(2, allowed(grant(910_009, 1000, 6, 1), 4, memory));
        at(ZonedDateTime.of(2026, 3, 11, 0, 0, 0, 0, TimeSource.ZONE).toInstant());
        assertEquals(6, allowed(grant(910_009, 1000, 6, 1), 8, memory));
        // nothing in the database
        assertEquals(0, countedToday(daily.id()));
        assertFalse(bucketStored(burst.id()));
    }

    @Test
    void theServiceKeepsItsQuotasInTheDatabaseByDefault() {
        GrantView g = grant(910_010, 10, 1000, 0);
        assertNull(call(quota, g));
        assertNull(call(quota, g));
        assertTrue(bucketStored(g.id()), "the per-second bucket is a row of quota_bucket");
        assertEquals(2, countedToday(g.id()));
    }

    @Test
    void onlyTheQuotaPoolCommitsWithoutWaitingForTheFlush() throws Exception {
        assertEquals("off session", setting(quotaStore, "synchronous_commit"),
                "the quota pool's connections set it themselves");
        assertFalse(setting(dataSource, "synchronous_commit").endsWith(" session"),
                "the usage log's pool keeps the server's setting");
        assertEquals("2000 session", setting(quotaStore, "statement_timeout"));
    }

    /** A setting on a connection of the pool, and where its value comes from. */
    static String setting(AgroalDataSource pool, String name) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT setting || ' ' || source FROM pg_settings WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    int countedToday(long grantId) {
        return single("SELECT calls FROM quota_day WHERE grant_id = ?", grantId);
    }

    boolean bucketStored(long grantId) {
        return single("SELECT count(*) FROM quota_bucket WHERE id = ? AND state IS NOT NULL", grantId) == 1;
    }

    int single(String sql, long grantId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, grantId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
