package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class EdgeHygieneTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void theHttpLayersBodySizeRefusalCarriesTheSecurityHeaders() throws Exception {
        // Refused by the body-size check ahead of everything else (Content-Length above quarkus.http.limits).
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("POST /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "Content-Type: application/json",
                    "Content-Length: 999999999");
            RawHttp.Answer answer = http.read();
            assertEquals(413, answer.status(), answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            assertEquals("max-age=31536000; includeSubDomains", answer.header("Strict-Transport-Security"));
            assertEquals("nosniff", answer.header("X-Content-Type-Options"));
            assertEquals("DENY", answer.header("X-Frame-Options"));
            assertTrue(answer.header("Content-Security-Policy").contains("frame-ancestors 'none'"));
            assertEquals("same-origin", answer.header("Referrer-Policy"));
        }
    }

    @Test
    void aForeignOriginIsStillRefusedWithItsRequestId() {
        given().header("Origin", "https://evil.example").get("/api").then().statusCode(403)
                .contentType("application/problem+json").body("origin", equalTo("https://evil.example"))
                .body("requestId", notNullValue()).header("X-Content-Type-Options", equalTo("nosniff"))
                // titled as every problem: Chinese without Accept-Language or when Chinese comes first, English when
                // the caller's first language is English
                .body("title", equalTo("无权执行此操作"));
        given().header("Origin", "https://evil.example").header("Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8")
                .get("/api").then().statusCode(403).body("title", equalTo("无权执行此操作"));
        given().header("Origin", "https://evil.example").header("Accept-Language", "en-US,en;q=0.9").get("/api")
                .then().statusCode(403).body("title", equalTo("Not allowed"));
        given().header("Accept-Language", "en-US,en;q=0.9").get("/api/exchange/v1/requests").then().statusCode(401)
                .body("title", equalTo("Authentication required"));
    }

    @Test
    void readinessAnswersFromTheLastBackgroundProbesHoweverOftenItIsAsked() {
        given().get("/q/health/ready").then().statusCode(200);
        int before = UpstreamsResource.main.readinessProbes.get();
        for (int i = 0; i < 30; i++) {
            given().get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'upstreams' }.data.catalog", containsString("UP"));
        }
        // 30 calls, the main upstream standing in for four upstreams: at most a background round or two.
        int probes = UpstreamsResource.main.readinessProbes.get() - before;
        assertTrue(probes <= 8, probes + " probes reached the upstream");
    }

    @Test
    void metricsAreForScrapersInsideNotForCallersThroughTheIngress() {
        given().header("X-Forwarded-For", "203.0.113.9").get("/q/metrics").then().statusCode(404)
                .contentType("application/problem+json").body("requestId", notNullValue());
        given().header("Forwarded", "for=203.0.113.9").get("/q/metrics").then().statusCode(404);
        given().header("X-Forwarded-For", "203.0.113.9").get("/q//metrics").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void readinessListsEveryUpstream() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'upstreams' }.data.catalog", containsString("UP"))
                .body("checks.find { it.name == 'upstreams' }.data.identity", containsString("circuit closed"));
    }

    @Test
    void callersFromOutsideReadTheHealthStatusAloneWithTheSameStatusCode() {
        // Through the ingress (or from a public address): no upstream names, no circuit states.
        for (String path : new String[] { "/q/health/ready", "/q/health", "/q/health/live", "/q/health/started" }) {
            given().header("X-Forwarded-For", "203.0.113.9").get(path).then().statusCode(200)
                    .contentType(containsString("application/json"))
                    .body("status", equalTo("UP"))
                    .body("checks", nullValue())
                    .body(org.hamcrest.Matchers.not(containsString("catalog")));
        }
        given().header("Forwarded", "for=203.0.113.9").get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP")).body("checks", nullValue());
        given().header("X-Real-IP", "203.0.113.9").head("/q/health/ready").then().statusCode(200);
        // A probe or scraper talking to the gateway directly still reads every check.
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'upstreams' }.data.catalog", containsString("UP"));
        given().get("/q/health").then().statusCode(200)
                .body("checks.find { it.name == 'upstreams' }.data.identity", containsString("circuit"));
    }

    @Test
    void perRouteMetricsArePublished() {
        given().auth().oauth2(TestTokens.departmentClient("metrics-client", "11330000002482170X", "onenet-catalog",
                "operator")).get("/api/catalog/v1/entries").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_requests_seconds_count{method=\"GET\",outcome=\"2xx\",route=\"catalog\""))
                .body(containsString("gateway_requests_seconds_bucket{method=\"GET\",outcome=\"2xx\",route=\"catalog\""));
    }

    @Test
    void listedOriginsGetNoCredentialedAccess() {
        // The console is the gateway's own origin and needs no CORS; other listed origins call with bearer tokens.
        // Credentialed CORS would let a listed sibling origin's scripts read the APIs with a console user's session
        // cookie (SameSite=Strict does not stop same-site origins).
        given().header("Origin", "http://127.0.0.1:8080").header("Access-Control-Request-Method", "GET")
                .options("/api/catalog/v1/entries").then()
                .header("Access-Control-Allow-Origin", equalTo("http://127.0.0.1:8080"))
                .header("Access-Control-Allow-Credentials", org.hamcrest.Matchers.not(equalTo("true")));
        given().header("Origin", "http://127.0.0.1:8080").get("/api").then().statusCode(200)
                .header("Access-Control-Allow-Credentials", org.hamcrest.Matchers.not(equalTo("true")));
    }

    @Test
    void corsAllowsOnlyListedOrigins() {
        given().header("Origin", "http://127.0.0.1:8080").header("Access-Control-Request-Method", "GET")
                .options("/api/catalog/v1/entries").then()
                .header("Access-Control-Allow-Origin", equalTo("http://127.0.0.1:8080"));
        // Scripts on a listed origin may read the paging total and the limits, not only the body.
        given().header("Origin", "http://127.0.0.1:8080").get("/api").then().statusCode(200)
                .header("Access-Control-Expose-Headers", containsString("X-Total-Count"))
                .header("Access-Control-Expose-Headers", containsString("RateLimit-Remaining"));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET")
                .options("/api/catalog/v1/entries").then()
                .statusCode(403).contentType("application/problem+json")
                .body("origin", equalTo("https://evil.example"))
                .header("Access-Control-Allow-Origin", nullValue());
        // The gateway's own origin (the console's pages) needs no allow-list entry.
        given().header("Origin", "http://localhost:" + io.restassured.RestAssured.port).get("/api").then()
                .statusCode(200);
    }
}
