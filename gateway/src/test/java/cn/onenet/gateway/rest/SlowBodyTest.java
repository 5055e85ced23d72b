package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Request bodies that arrive slowly or stop arriving, on the route /api/trickle (timeout 400 ms, body timeout 1 s,
 * its own upstream and breaker; 3 failures open a breaker in these tests).
 */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class SlowBodyTest {

    @TestHTTPResource("/")
    URL gateway;

    private static String token() {
        return TestTokens.departmentClient("upload-client", "11330000002482170X", "onenet-catalog", "operator");
    }

    @Test
    void aSlowBodyWithinTheBodyTimeoutReachesTheUpstreamWhateverTheRouteTimeout() throws Exception {
        // 12 bytes, one every 150 ms: 1.8 s in all, far beyond the route's 400 ms, never 1 s without data.
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("POST /api/trickle/v1/import HTTP/1.1", "Host: localhost", "Authorization: Bearer " + token(),
                    "Content-Type: application/octet-stream", "Content-Length: 12");
            for (int i = 0; i < 12; i++) {
                Thread.sleep(150);
                http.write(new byte[] { 'x' });
            }
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            assertEquals(12, new JsonObject(answer.body()).getInteger("bodyBytes"));
        }
    }

    @Test
    void theRouteTimeoutStillAppliesOnceTheBodyHasArrived() throws Exception {
        long start = System.nanoTime();
        given().auth().oauth2(token()).body("{\"a\":1}").contentType("application/json")
                .post("/api/trickle/v1/import?delay=3000").then().statusCode(504)
                .contentType("application/problem+json");
        assertTrue(System.nanoTime() - start < 2_500_000_000L, "the 504 comes after the route's timeout");
    }

    @Test
    void aStalledBodyGets408AndNeverOpensTheUpstreamsBreaker() throws Exception {
        for (int i = 0; i < 5; i++) {
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                long start = System.nanoTime();
                http.head("POST /api/trickle/v1/import HTTP/1.1", "Host: localhost",
                        "Authorization: Bearer " + token(), "Content-Type: application/octet-stream",
                        "Content-Length: 100", "Accept-Language: en");
                http.write("only part of it".getBytes(StandardCharsets.US_ASCII));
                RawHttp.Answer answer = http.read();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(408, answer.status(), answer.body());
                assertTrue(millis >= 900, "408 only after the body timeout, was " + millis + " ms");
                assertEquals("application/problem+json", answer.header("Content-Type"));
                JsonObject problem = new JsonObject(answer.body());
                assertEquals("urn:onenet:problem:request-timeout", problem.getString("type"));
                assertEquals(408, problem.getInteger("status"));
                assertNotNull(problem.getString("requestId"));
                assertEquals(problem.getString("requestId"), answer.header("X-Request-Id"));
                assertTrue(http.closedByServer(), "the connection is closed after the 408");
            }
        }
        // Five stalled uploads, more than the breaker's three failures: the route still answers everyone.
        given().auth().oauth2(token()).get("/api/trickle/v1/entries").then().statusCode(200);
        given().auth().oauth2(token()).body("complete").post("/api/trickle/v1/import").then().statusCode(200);
    }
}
