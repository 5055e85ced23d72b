package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class ResilienceTest {

    private static String token(String client, String audience) {
        return TestTokens.departmentClient(client, "11330000002482170X", audience, "operator");
    }

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void clientsHangingUpDoNotOpenTheUpstreamsCircuit() throws Exception {
        // Callers that give up (a closed browser tab, a load tool stopping) cancel their upstream requests; that says
        // nothing about the upstream, so it must not count towards its breaker (3 failures open it here).
        String token = token("impatient-client", "onenet-exchange");
        for (int i = 0; i < 6; i++) {
            try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(("GET /api/patient/v1/x?delay=2000 HTTP/1.1\r\nHost: " + gateway.getHost() + "\r\n"
                        + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(150);
            }
        }
        Thread.sleep(300);
        given().auth().oauth2(token).get("/api/exchange/v1/requests").then().statusCode(200);
    }

    @Test
    void slowUpstreamGives504() {
        given().auth().oauth2(token("slow-client", "onenet-catalog")).get("/api/slow/v1/x?delay=3000")
                .then().statusCode(504).contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:gateway-timeout"));
        given().auth().oauth2(token("slow-client", "onenet-catalog")).get("/api/slow/v1/x?delay=50")
                .then().statusCode(200);
    }

    @Test
    void idempotentRequestIsRetriedOnce() {
        given().auth().oauth2(token("retry-client", "onenet-identity")).header("X-Test-Key", "get-1")
                .get("/api/identity/v1/flaky").then().statusCode(200).body("attempt", equalTo(2));
    }

    @Test
    void aProvidersFailureBehindTheExchangeIsNeitherRetriedNorCountedAgainstTheExchange() {
        // The exchange answers 504 for a provider that timed out, marked as a failure behind it: forwarded as it is,
        // once per request, and the exchange's breaker (3 failures open it here) stays closed for everyone else.
        String token = token("lookup-client", "onenet-exchange");
        for (int i = 0; i < 6; i++) {
            given().auth().oauth2(token).header("X-Test-Key", "downstream-" + i)
                    .get("/api/exchange/v1/datasets/x/records/status/504?origin=downstream").then().statusCode(504)
                    .header("X-Failure-Origin", "downstream").body("attempt", equalTo(1));
        }
        given().auth().oauth2(token).get("/api/exchange/v1/requests").then().statusCode(200);
    }

    @Test
    void nonIdempotentRequestIsNotRetried() {
        given().auth().oauth2(token("retry-client", "onenet-identity")).header("X-Test-Key", "post-1")
                .post("/api/identity/v1/flaky").then().statusCode(503);
    }

    @Test
    void aConnectionClosedBeforeAnyAnswerIsTriedOnceMoreForAnIdempotentRequestEvenWithoutRetries() {
        String token = TestTokens.civilServant("u-reserve", "11330000002482170X", "onenet-catalog", "operator");
        long key = System.nanoTime();
        // the reserve route has no retries: a GET still gets one more try on a new connection
        given().auth().oauth2(token).get("/api/reserve/v1/x/hangup-once/get-" + key).then().statusCode(200);
        // a POST is never sent twice: the client is told the upstream failed
        given().auth().oauth2(token).contentType("application/json").body("{}")
                .post("/api/reserve/v1/x/hangup-once/post-" + key).then().statusCode(502)
                .contentType("application/problem+json");
        // and a route that keeps failing still answers a problem, not a loop of tries
        given().auth().oauth2(token).get("/api/reserve/v1/x/hangup").then().statusCode(502)
                .contentType("application/problem+json");
    }

    @Test
    void upstreamDownGives503AndRecoveryWhenItReturns() throws InterruptedException {
        String token = TestTokens.civilServant("u-reserve", "11330000002482170X", "onenet-catalog", "operator");
        given().auth().oauth2(token).get("/api/reserve/v1/x").then().statusCode(200);
        UpstreamsResource.reserve.stop();
        try {
            for (int i = 0; i < 4; i++) {
                given().auth().oauth2(token).get("/api/reserve/v1/x").then().statusCode(503)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:onenet:problem:unavailable"));
            }
            // Past the failure threshold the breaker answers at once, without trying the upstream.
            // Retry-After is when the breaker lets a trial through (reset-timeout 1 s here), not a fixed guess.
            given().auth().oauth2(token).get("/api/reserve/v1/x").then().statusCode(503)
                    .body("detail", containsString("circuit open"))
                    .header("Retry-After", equalTo("1"));
        } finally {
            UpstreamsResource.reserve.start();
        }
        int status = 0;
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline && status != 200) {
            Thread.sleep(300);
            status = given().auth().oauth2(token).get("/api/reserve/v1/x").then().extract().statusCode();
        }
        assertEquals(200, status, "the route recovers once the upstream is back and the breaker half-opens");
    }
}
