package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.TestUpstream;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * HTTP/1.x as clients actually speak it at the edge: HTTP/1.0 answers of unknown length, answers the upstream stops
 * sending, {@code Expect: 100-continue}, HEAD and OPTIONS on one kept-alive connection, many header lines.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class ProtocolEdgeTest {

    @TestHTTPResource("/")
    URL gateway;

    private static String catalogToken(String client) {
        return TestTokens.departmentClient(client, "11330000002482170X", "onenet-catalog", "operator");
    }

    /**
     * HTTP/1.0 has no chunked encoding: an answer of unknown length (an export streamed by the service) is delimited
     * by the end of the connection. It must still stream, not be gathered in the gateway's memory first.
     */
    @Test
    void anHttp10AnswerOfUnknownLengthStreamsAndEndsWithTheConnection() throws Exception {
        String token = catalogToken("http10-client");
        for (String connection : new String[] { "Connection: keep-alive", "X-Plain: 1" }) {
            String key = "http10-" + connection.charAt(0);
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head("GET /api/catalog/v1/export/held/" + key + " HTTP/1.0", "Host: localhost",
                        "Authorization: Bearer " + token, connection);
                RawHttp.Answer head = http.readHead();
                assertEquals(200, head.status());
                assertNull(head.header("Content-Length"), head.headers().toString());
                assertNull(head.header("Transfer-Encoding"), head.headers().toString());
                // the first part arrives while the service is still producing the rest
                assertEquals(TestUpstream.HELD_FIRST, http.readExactly(TestUpstream.HELD_FIRST.length()));
                assertTrue(UpstreamsResource.main.holding(key));
                UpstreamsResource.main.release(key);
                assertEquals(TestUpstream.HELD_REST, http.readToClose(), connection);
            }
        }
    }

    /**
     * An answer whose upstream goes silent past the route's timeout after it started: the client's connection is
     * cut, so a truncated export can never look complete (no last chunk), and nothing else is appended to it.
     */
    @Test
    void anAnswerTheUpstreamStopsSendingIsCutOffNotEndedAsIfComplete() throws Exception {
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("GET /api/slow/v1/export/held/stalled-answer HTTP/1.1", "Host: localhost",
                    "Authorization: Bearer " + catalogToken("stalled-answer-client"));
            RawHttp.Answer head = http.readHead();
            assertEquals(200, head.status());
            assertEquals("chunked", head.header("Transfer-Encoding"));
            assertEquals(TestUpstream.HELD_FIRST, http.readChunk());
            // /api/slow waits 500 ms for the next chunk; then the connection ends without the last chunk
            assertTrue(http.closedByServer(), "the truncated answer was ended as if complete");
        }
        UpstreamsResource.main.release("stalled-answer");
    }

    @Test
    void expectContinueIsAnsweredOnlyOnceTheEdgeAcceptsTheRequest() throws Exception {
        String token = catalogToken("expect-client");
        // within the limits: 100 Continue, then the body goes upstream; the expectation was met here
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("POST /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "Authorization: Bearer " + token,
                    "Content-Type: text/plain", "Content-Length: 5", "Expect: 100-continue", "X-Test-Key: expect-ok");
            RawHttp.Answer interim = http.readHead();
            assertEquals(100, interim.status());
            http.write("hello".getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            JsonObject echo = new JsonObject(answer.body());
            assertEquals(5, echo.getInteger("bodyBytes"));
            assertNull(echo.getJsonObject("headers").getString("expect"), answer.body());
        }
        // too large: the final 413 at once, no 100, and the body is never read
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("POST /api/small/v1/entries HTTP/1.1", "Host: localhost", "Authorization: Bearer " + token,
                    "Content-Type: text/plain", "Content-Length: 5000", "Expect: 100-continue",
                    "X-Test-Key: expect-large");
            RawHttp.Answer answer = http.read();
            assertEquals(413, answer.status(), answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            assertTrue(http.closedByServer());
        }
        // no token: the final 401 at once, no 100
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("POST /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "Content-Type: text/plain",
                    "Content-Length: 5", "Expect: 100-continue", "X-Test-Key: expect-anonymous");
            RawHttp.Answer answer = http.read();
            assertEquals(401, answer.status(), answer.body());
            assertEquals("application/problem+json", answer.header("Content-Type"));
            // the body that will not come is not awaited: the connection ends after the refusal
            assertEquals("close", answer.header("Connection"));
            assertTrue(http.closedByServer());
        }
        assertFalse(UpstreamsResource.main.received("expect-large").complete());
        assertFalse(UpstreamsResource.main.received("expect-anonymous").complete());
    }

    /**
     * A request refused before its body was read (no token, a missing role, a foreign origin): the body that follows on
     * the connection is read and dropped, so the client's next request on the same connection is answered.
     */
    @Test
    void theBodyOfARefusedRequestDoesNotStallTheConnection() throws Exception {
        String staff = TestTokens.civilServant("u-refused-body", "11330000002482170X", "onenet-identity", "operator");
        given().auth().oauth2(staff).get("/api/identity/v1/me").then().statusCode(200);
        String[][] refused = { { "401", "POST /api/catalog/v1/entries HTTP/1.1", "X-None: 1" },
            { "403", "POST /api/identity/v1/accounts HTTP/1.1", "Authorization: Bearer " + staff },
            { "403", "POST /api/catalog/v1/entries HTTP/1.1", "Origin: https://evil.example" } };
        byte[] body = "x".repeat(50_000).getBytes(StandardCharsets.US_ASCII);
        for (String[] request : refused) {
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head(request[1], "Host: localhost", request[2], "Content-Type: text/plain",
                        "Content-Length: " + body.length);
                http.write(body);
                RawHttp.Answer answer = http.read();
                assertEquals(Integer.parseInt(request[0]), answer.status(), request[1] + ": " + answer.body());
                if (!"close".equalsIgnoreCase(answer.header("Connection"))) {
                    http.head("GET /api HTTP/1.1", "Host: localhost");
                    assertEquals(200, http.read().status(), request[1]);
                }
            }
        }
    }

    @Test
    void headAndOptionsKeepTheConnectionsFraming() throws Exception {
        String token = catalogToken("head-options-client");
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            // HEAD, public and refused: headers only, no body, and the next request on the connection is read whole
            http.head("HEAD /api/catalog/v1/dcat/catalog HTTP/1.1", "Host: localhost");
            RawHttp.Answer head = http.readHead();
            assertEquals(200, head.status());
            http.head("HEAD /api/catalog/v1/entries HTTP/1.1", "Host: localhost");
            RawHttp.Answer refused = http.readHead();
            assertEquals(401, refused.status());
            assertEquals("application/problem+json", refused.header("Content-Type"));
            // OPTIONS without an Origin is no preflight: a request like any other, with its token checked
            http.head("OPTIONS /api/catalog/v1/entries HTTP/1.1", "Host: localhost");
            assertEquals(401, http.read().status());
            http.head("OPTIONS /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "Authorization: Bearer " + token);
            RawHttp.Answer options = http.read();
            assertEquals(200, options.status(), options.body());
            assertEquals("OPTIONS", new JsonObject(options.body()).getString("method"));
            // a preflight of a listed origin is the edge's own answer, never the upstream's
            http.head("OPTIONS /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "Origin: http://127.0.0.1:8080",
                    "Access-Control-Request-Method: DELETE", "X-Test-Key: preflight-listed");
            RawHttp.Answer preflight = http.read();
            assertEquals(200, preflight.status(), preflight.body());
            assertEquals("http://127.0.0.1:8080", preflight.header("Access-Control-Allow-Origin"));
            // and of a foreign origin a refusal
            http.head("OPTIONS /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "Origin: https://evil.example",
                    "Access-Control-Request-Method: DELETE", "X-Test-Key: preflight-foreign");
            RawHttp.Answer foreign = http.read();
            assertEquals(403, foreign.status(), foreign.body());
            assertNull(foreign.header("Access-Control-Allow-Origin"));
            http.head("GET /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "Authorization: Bearer " + token);
            assertEquals(200, http.read().status());
        }
        assertFalse(UpstreamsResource.main.received("preflight-listed").complete());
        assertFalse(UpstreamsResource.main.received("preflight-foreign").complete());
    }

    @jakarta.inject.Inject
    io.vertx.core.Vertx vertx;

    /**
     * Each HTTP/2 stream is a request of its own to an upstream: one connection must not carry an unbounded number
     * of them at once (Vert.x's default is 2^32 - 1).
     */
    @Test
    void anHttp2ConnectionCarriesABoundedNumberOfStreams() throws Exception {
        io.vertx.core.http.HttpClient h2 = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        try {
            io.vertx.core.http.HttpClientRequest request = h2.request(io.vertx.core.http.HttpMethod.GET,
                    gateway.getPort(), gateway.getHost(), "/api/catalog/v1/dcat/catalog").toCompletionStage()
                    .toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            io.vertx.core.http.HttpClientResponse response = request.send().toCompletionStage().toCompletableFuture()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(io.vertx.core.http.HttpVersion.HTTP_2, response.version());
            assertEquals(200, response.statusCode());
            long streams = request.connection().remoteSettings().getMaxConcurrentStreams();
            assertTrue(streams > 0 && streams <= 128, "max concurrent streams " + streams);
        } finally {
            h2.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void manyHeaderLinesPassWithinTheHeaderLimitAndAreRefusedBeyondIt() throws Exception {
        String token = catalogToken("many-headers-client");
        List<String> lines = new ArrayList<>(List.of("Host: localhost", "Authorization: Bearer " + token));
        // about 6 KB of header lines: within the gateway's limit (20 KB) and the test upstream's (Vert.x's 8 KB)
        for (int i = 0; i < 500; i++) {
            lines.add("X-N" + i + ": " + i);
        }
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("GET /api/catalog/v1/entries HTTP/1.1", lines.toArray(String[]::new));
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            assertEquals("499", new JsonObject(answer.body()).getJsonObject("headers").getString("x-n499"));
        }
        // past 20 KB: the gateway's own 431
        for (int i = 500; i < 3000; i++) {
            lines.add("X-N" + i + ": " + i);
        }
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("GET /api/catalog/v1/entries HTTP/1.1", lines.toArray(String[]::new));
            assertEquals(431, http.read().status());
            assertTrue(http.closedByServer());
        }
    }
}
