package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.LogCapture;
import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.TestUpstream;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** The access log and the per-route metrics: every API request, refused or forwarded, and nothing personal. */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class AccessLogTest {

    @TestHTTPResource("/")
    URL gateway;

    private static String catalogClient(String clientId) {
        return TestTokens.departmentClient(clientId, "11330000002482170X", "onenet-catalog", "operator");
    }

    private static JsonObject lineOf(List<String> lines, String requestId) {
        return lines.stream().map(JsonObject::new).filter(l -> requestId.equals(l.getString("requestId")))
                .findFirst().orElseThrow(() -> new AssertionError("no access log line for " + requestId + ": " + lines));
    }

    @Test
    void requestsTheEdgeRefusesAreLoggedAndCountedLikeForwardedOnes() throws Exception {
        String staff = TestTokens.civilServant("u-refused", "11330000002482170X", "onenet-identity", "operator");
        String catalog = catalogClient("refused-log-client");
        List<String> lines;
        try (LogCapture log = new LogCapture("gateway.access")) {
            given().header("X-Request-Id", "log-401").get("/api/catalog/v1/entries").then().statusCode(401);
            given().header("X-Request-Id", "log-403").auth().oauth2(staff).get("/api/identity/v1/accounts").then()
                    .statusCode(403);
            given().header("X-Request-Id", "log-cors").header("Origin", "https://evil.example").auth().oauth2(catalog)
                    .get("/api/catalog/v1/entries").then().statusCode(403);
            given().header("X-Request-Id", "log-400").urlEncodingEnabled(false).auth().oauth2(catalog)
                    .get("/api/catalog/v1/x;y").then().statusCode(400);
            given().header("X-Request-Id", "log-404").auth().oauth2(catalog).get("/api/nowhere/x").then()
                    .statusCode(404);
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head("POST /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "X-Request-Id: log-413",
                        "Content-Length: 999999999");
                assertEquals(413, http.read().status());
            }
            given().header("X-Request-Id", "log-200").auth().oauth2(catalog).get("/api/catalog/v1/entries").then()
                    .statusCode(200);
            lines = log.await(l -> l.contains("\"requestId\":\"log-"), 7);
        }
        String[][] expected = { { "log-401", "catalog", "401", "anonymous" }, { "log-403", "identity", "403", "u-refused" },
            { "log-cors", "catalog", "403", null }, { "log-400", "catalog", "400", "refused-log-client" },
            { "log-404", "unmatched", "404", "refused-log-client" }, { "log-413", "catalog", "413", "anonymous" },
            { "log-200", "catalog", "200", "refused-log-client" } };
        for (String[] e : expected) {
            JsonObject line = lineOf(lines, e[0]);
            assertEquals(e[1], line.getString("route"), line.encode());
            assertEquals(Integer.parseInt(e[2]), line.getInteger("status"), line.encode());
            if (e[3] != null) {
                assertEquals(e[3], line.getString("client"), line.encode());
            }
            assertEquals(1, lines.stream().filter(l -> l.contains("\"requestId\":\"" + e[0] + "\"")).count(),
                    "one line per request: " + lines);
        }
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String series : new String[] {
            "gateway_requests_seconds_count{method=\"GET\",outcome=\"4xx\",route=\"catalog\",status=\"401\"}",
            "gateway_requests_seconds_count{method=\"GET\",outcome=\"4xx\",route=\"identity\",status=\"403\"}",
            "gateway_requests_seconds_count{method=\"POST\",outcome=\"4xx\",route=\"catalog\",status=\"413\"}",
            "gateway_requests_seconds_count{method=\"GET\",outcome=\"4xx\",route=\"unmatched\",status=\"404\"}" }) {
            assertTrue(metrics.contains(series), series);
        }
    }

    /**
     * A client that hangs up before its answer is not logged as answered (200), and an answer the gateway had to cut
     * off is logged as incomplete.
     */
    @Test
    void answersThatNeverCompletedAreLoggedAsSuch() throws Exception {
        String token = catalogClient("incomplete-log-client");
        List<String> lines;
        try (LogCapture log = new LogCapture("gateway.access")) {
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                // the upstream takes 3 s; the client leaves as soon as its request has reached it
                http.head("GET /api/patient/v1/x?delay=3000 HTTP/1.1", "Host: localhost", "X-Request-Id: gone-1",
                        "X-Test-Key: gone-1", "Authorization: Bearer " + token);
                long deadline = System.currentTimeMillis() + 5_000;
                while (!UpstreamsResource.main.received("gone-1").complete() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
            }
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head("GET /api/slow/v1/export/held/cut-1 HTTP/1.1", "Host: localhost", "X-Request-Id: cut-1",
                        "Authorization: Bearer " + token);
                assertEquals(200, http.readHead().status());
                assertEquals(TestUpstream.HELD_FIRST, http.readChunk());
                // the upstream sends nothing more: /api/slow cuts the answer after 500 ms
                assertTrue(http.closedByServer());
            }
            UpstreamsResource.main.release("cut-1");
            given().header("X-Request-Id", "whole-1").auth().oauth2(token).get("/api/catalog/v1/entries").then()
                    .statusCode(200);
            lines = log.await(l -> l.contains("incomplete-log-client"), 3);
        }
        JsonObject gone = lineOf(lines, "gone-1");
        assertEquals(499, gone.getInteger("status"), gone.encode());
        assertFalse(gone.getBoolean("complete"), gone.encode());
        JsonObject cut = lineOf(lines, "cut-1");
        assertEquals(200, cut.getInteger("status"), cut.encode());
        assertFalse(cut.getBoolean("complete"), cut.encode());
        assertTrue(lineOf(lines, "whole-1").getBoolean("complete"));
        assertTrue(given().get("/q/metrics").then().extract().asString().contains(
                "gateway_requests_seconds_count{method=\"GET\",outcome=\"4xx\",route=\"patient\",status=\"499\"}"));
    }

    @Test
    void personalDataInAPathIsMasked() throws Exception {
        String token = TestTokens.departmentClient("masked-log-client", "11330000002482170X", "onenet-exchange",
                "operator");
        // a keyed lookup of the exchange: the key may be a phone number, a name, an e-mail address, an ID number
        String[] keys = { "13812345678", "%E5%BC%A0%E4%B8%89", "zhang.san%40example.com", "zhang.san@example.com",
            "33010619900101123X", "%2B8613812345678" };
        List<String> lines;
        try (LogCapture log = new LogCapture("gateway.access")) {
            for (int i = 0; i < keys.length; i++) {
                given().urlEncodingEnabled(false).header("X-Request-Id", "masked-" + i).auth().oauth2(token)
                        .get("/api/exchange/v1/resources/330000-01-02%2F000123/records/" + keys[i]).then()
                        .statusCode(200);
            }
            lines = log.await(l -> l.contains("masked-log-client"), keys.length);
        }
        for (int i = 0; i < keys.length; i++) {
            JsonObject line = lineOf(lines, "masked-" + i);
            assertEquals("/api/exchange/v1/resources/330000-01-02%2F000123/records/{id}", line.getString("path"),
                    keys[i]);
        }
    }

    @Test
    void aTokenInTheQueryStringIsNoCredentialAndIsNeverLogged() throws Exception {
        String token = catalogClient("query-token-client");
        List<String> lines;
        try (LogCapture log = new LogCapture("gateway.access")) {
            given().header("X-Request-Id", "query-token-1").queryParam("access_token", token)
                    .get("/api/catalog/v1/entries").then().statusCode(401);
            given().header("X-Request-Id", "query-token-2").queryParam("access_token", token)
                    .queryParam("idNumber", "33010619900101123X").get("/api/catalog/v1/dcat/catalog").then()
                    .statusCode(200);
            lines = log.await(l -> l.contains("query-token-"), 2);
        }
        assertEquals(401, lineOf(lines, "query-token-1").getInteger("status"));
        assertEquals("anonymous", lineOf(lines, "query-token-2").getString("client"));
        for (String line : lines) {
            assertFalse(line.contains(token) || line.contains("access_token") || line.contains("33010619900101123X"),
                    line);
        }
    }

    @Test
    void unknownPathsCreateNoNewSeries() {
        String token = catalogClient("series-client");
        java.util.function.Consumer<String> round = random -> {
            given().get("/api/" + random + "/x").then().statusCode(401);
            given().auth().oauth2(token).get("/api/" + random + "/x").then().statusCode(404);
            given().auth().oauth2(token).get("/api/catalog-" + random).then().statusCode(404);
            given().get("/" + random).then().statusCode(404);
            given().urlEncodingEnabled(false).get("/api/%2e%2e/" + random).then().statusCode(404);
            given().auth().oauth2(token).get("/api/catalog/v1/" + random).then().statusCode(200);
            given().get("/api/catalog/v1/" + random).then().statusCode(401);
            given().auth().oauth2(token).request("PROPFIND", "/api/catalog/v1/" + random);
        };
        round.accept(UUID.randomUUID().toString());
        long before = seriesCount();
        List<String> randoms = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            randoms.add(UUID.randomUUID().toString());
            round.accept(randoms.get(i));
        }
        assertEquals(before, seriesCount(), "unknown paths and methods made new series");
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertFalse(metrics.contains("catalog-"), "a path became a label");
        randoms.forEach(r -> assertFalse(metrics.contains(r)));
    }

    private static long seriesCount() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("gateway_requests_seconds_count")).count();
    }
}
