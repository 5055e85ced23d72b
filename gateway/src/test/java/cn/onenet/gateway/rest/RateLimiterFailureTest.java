package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Set;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.FailingRateLimiter;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The 503 when the rate limiter cannot decide tells the client when to try again. */
@QuarkusTest
@TestProfile(RateLimiterFailureTest.BrokenLimiter.class)
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class RateLimiterFailureTest {

    public static class BrokenLimiter implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FailingRateLimiter.class);
        }
    }

    @Test
    void aFailedLimiterAnswers503WithRetryAfter() {
        String token = TestTokens.departmentClient("limiter-broken", "11330000002482170X", "onenet-catalog",
                "operator");
        // twice: the second time the token is known and takes the fast path
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(token).get("/api/catalog/v1/entries").then().statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", equalTo(ProxyRoutes.LIMITER_RETRY_AFTER))
                    .header("X-Request-Id", notNullValue())
                    .body("type", equalTo("urn:onenet:problem:unavailable"))
                    .body("requestId", notNullValue());
        }
    }
}
