package cn.onenet.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.config.GatewayConfig;
import cn.onenet.gateway.service.RateLimiter;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;

/** Rate limits kept in PostgreSQL, so that every gateway replica draws on one budget per client and API. */
@QuarkusTest
@TestProfile(SharedRateLimitTest.SharedStore.class)
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @io.quarkus.test.common.ResourceArg(name = "database",
        value = "gateway"))
class SharedRateLimitTest {

    public static class SharedStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.rate-limit.store", "postgresql", "quarkus.datasource.active", "true");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Instance<AgroalDataSource> dataSources;

    @Inject
    GatewayConfig config;

    @Inject
    RateLimiter limiter;

    @Inject
    Vertx vertx;

    @Test
    void throughTheGatewayTheSharedBucketAnswers429WithHeaders() throws Exception {
        LimitsTest.limitedClientGetsThreeThen429();
        assertTrue(storedBucket("catalog|c|limited-client"), "the bucket is a row in PostgreSQL");
    }

    @Test
    void twoReplicasShareOneBudget() throws Exception {
        // A second limiter on the same database stands for a second gateway replica.
        RateLimiter otherReplica = new RateLimiter(config, dataSources, vertx);
        assertTrue(limiter.blocking() && otherReplica.blocking());
        List<RateLimiter.Decision> decisions = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            RateLimiter replica = i % 2 == 0 ? limiter : otherReplica;
            decisions.add(replica.consume("exchange", "limited-client", "11330000002482170X", "127.0.0.1"));
        }
        assertEquals(List.of(true, true, true, false, false, false),
                decisions.stream().map(RateLimiter.Decision::allowed).toList(),
                "3 requests per 60 s in total, not 3 per replica");
        assertEquals(List.of(2L, 1L, 0L), decisions.subList(0, 3).stream().map(RateLimiter.Decision::remaining)
                .toList());
        assertTrue(decisions.stream().allMatch(RateLimiter.Decision::known));
        assertFalse(decisions.get(3).retryAfterSeconds() < 1);
        assertEquals(0, limiter.storeFailures());
    }

    @Test
    void readinessDoesNotDependOnTheRateLimitDatabase() {
        // the store fails open, so a PostgreSQL outage must not take the replicas out of the Service
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.everyItem(
                        org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsStringIgnoringCase("database"))));
    }

    private boolean storedBucket(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT state IS NOT NULL FROM rate_limit_bucket WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
