package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The per-address limit on identity's login pages: a browser whose burst of navigations to
 * {@code /oidc/authorize} is refused gets a page saying when to try again, in Chinese and English, with the same
 * {@code Retry-After}; API clients keep problem+json.
 */
@QuarkusTest
@TestProfile(BrowserRateLimitTest.SmallPagesPlan.class)
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class BrowserRateLimitTest {

    /** Two page requests per address a minute. */
    public static class SmallPagesPlan implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.rate-limit.oidc.pages.requests", "2", "gateway.rate-limit.oidc.pages.burst", "2",
                    "gateway.rate-limit.oidc.pages.period", "60s");
        }
    }

    /** What Chromium and Firefox send when they navigate to a page. */
    private static final String BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,"
            + "image/avif,image/webp,*/*;q=0.8";

    private static Response authorize(String accept) {
        var request = given().redirects().follow(false);
        if (accept != null) {
            request = request.header("Accept", accept);
        }
        return request.get("/oidc/authorize?client_id=gateway&response_type=code&scope=openid");
    }

    @Test
    void aBrowsersBurstOnTheLoginPagesGetsAPageAndApisKeepProblems() {
        authorize(BROWSER_ACCEPT).then().statusCode(200);
        authorize(BROWSER_ACCEPT).then().statusCode(200);

        Response page = authorize(BROWSER_ACCEPT);
        page.then().statusCode(429).contentType("text/html")
                .header("Retry-After", notNullValue()).header("RateLimit-Remaining", "0")
                .header("Cache-Control", "no-store").header("Content-Security-Policy", notNullValue())
                .header("X-Request-Id", notNullValue())
                .body(containsString("<html lang=\"zh-CN\">"), containsString("请求过于频繁"),
                        containsString("Too many requests"),
                        containsString("请在 " + page.header("Retry-After") + " 秒后"),
                        containsString("in " + page.header("Retry-After") + " seconds"),
                        containsString(page.header("X-Request-Id")), not(containsString("<script")));
        assertTrue(Long.parseLong(page.header("Retry-After")) > 0);

        for (String api : new String[] { "application/json", "*/*", null, "application/problem+json, text/html",
                "text/html, application/json" }) {
            authorize(api).then().statusCode(429).contentType("application/problem+json")
                    .header("Retry-After", notNullValue()).body("status", equalTo(429))
                    .body("retryAfterSeconds", notNullValue()).body("requestId", notNullValue());
        }
    }

    @Test
    void htmlIsChosenOnlyWhenRankedAboveJson() {
        assertTrue(ProblemWriter.prefersHtml(BROWSER_ACCEPT));
        assertTrue(ProblemWriter.prefersHtml("text/html"));
        assertTrue(ProblemWriter.prefersHtml("application/json;q=0.5, text/html"));
        assertFalse(ProblemWriter.prefersHtml(null));
        assertFalse(ProblemWriter.prefersHtml("*/*"));
        assertFalse(ProblemWriter.prefersHtml("application/json"));
        assertFalse(ProblemWriter.prefersHtml("text/html, application/json"));
        assertFalse(ProblemWriter.prefersHtml("text/html;q=0.5, application/json"));
        assertFalse(ProblemWriter.prefersHtml("text/html;q=0"));
        assertFalse(ProblemWriter.prefersHtml("text/html;q=x"));
    }
}
