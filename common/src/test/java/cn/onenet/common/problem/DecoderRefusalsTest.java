package cn.onenet.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * A Vert.x server set up as Quarkus sets its own: listening before the handlers are installed. What its decoder
 * refuses ({@link DecoderRefusals}) and a request target that is no URI ({@link UnparsableTargetRefusals}) are then
 * problem+json with a request id, and the server goes on serving.
 */
class DecoderRefusalsTest {

    private static Vertx vertx;
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer(new HttpServerOptions().setMaxInitialLineLength(8192).setMaxHeaderSize(20480))
                .requestHandler(request -> request.response().end("ok " + request.path()));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        DecoderRefusals.install(server, DecoderRefusals.handler(8192, 20480,
                response -> response.putHeader("X-Content-Type-Options", "nosniff")));
        UnparsableTargetRefusals.checkTargets(server, UnparsableTargetRefusals.refusal(List.of(),
                response -> response.putHeader("X-Content-Type-Options", "nosniff")));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRequestLineOverTheLimitIsA414ProblemNamingTheLimit() throws Exception {
        Answer answer = send("GET /records/" + "1".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertEquals(414, answer.status(), answer.text);
        JsonNode problem = answer.problem();
        assertEquals("urn:onenet:problem:uri-too-long", problem.get("type").asText());
        assertEquals(414, problem.get("status").asInt());
        assertEquals(8192, problem.get("maxRequestLineBytes").asInt());
        assertTrue(problem.get("detail").asText().contains("8192"), answer.text);
        assertNotNull(answer.header("x-request-id"), answer.text);
        assertEquals(answer.header("x-request-id"), problem.get("requestId").asText());
        assertEquals("nosniff", answer.header("x-content-type-options"));
        assertEquals("close", answer.header("connection"));
        assertNormalRequestStillServed();
    }

    @Test
    void headerLinesOverTheLimitAreA431ProblemWithTheCallersRequestId() throws Exception {
        // the decoder keeps the header lines before the one it refuses at, all but the last
        Answer answer = send("GET /records HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: caller-id-1\r\n"
                + "Accept-Language: en\r\nAccept: */*\r\nX-Big: " + "b".repeat(21_000) + "\r\n\r\n");
        assertEquals(431, answer.status(), answer.text);
        JsonNode problem = answer.problem();
        assertEquals("urn:onenet:problem:headers-too-large", problem.get("type").asText());
        assertEquals("Request header fields too large", problem.get("title").asText());
        assertEquals(20480, problem.get("maxHeaderBytes").asInt());
        assertEquals("/records", problem.get("instance").asText());
        assertEquals("caller-id-1", answer.header("x-request-id"));
        assertEquals("caller-id-1", problem.get("requestId").asText());
        assertNormalRequestStillServed();
    }

    @Test
    void aMalformedRequestLineIsA400Problem() throws Exception {
        Answer answer = send("GET /records HTTP/1.1 trailing\r\nHost: localhost\r\n\r\n");
        assertEquals(400, answer.status(), answer.text);
        assertEquals("urn:onenet:problem:bad-request", answer.problem().get("type").asText());
        assertNotNull(answer.problem().get("requestId").asText());
        assertNormalRequestStillServed();
    }

    @Test
    void aTargetThatIsNoUriIsA400ProblemNamingTheParameterOfAMalformedEscape() throws Exception {
        Answer answer = send("GET /records?size=5&q=%ZZ HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Request-Id: caller-id-2\r\n\r\n");
        assertEquals(400, answer.status(), answer.text);
        assertEquals("urn:onenet:problem:validation", answer.problem().get("type").asText());
        assertEquals("q", answer.problem().get("field").asText());
        assertEquals("caller-id-2", answer.problem().get("requestId").asText());
        assertEquals("caller-id-2", answer.header("x-request-id"));
        assertEquals("nosniff", answer.header("x-content-type-options"));
        assertEquals("path", send("GET /records/% HTTP/1.1\r\nHost: localhost\r\n\r\n").problem().get("field")
                .asText());
        // not an escape: another character a URI does not hold
        Answer other = send("GET /records/<x> HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertEquals(400, other.status(), other.text);
        assertEquals("urn:onenet:problem:bad-request", other.problem().get("type").asText());
        assertNormalRequestStillServed();
    }

    private static void assertNormalRequestStillServed() throws IOException {
        Answer ok = send("GET /records/1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals(200, ok.status(), ok.text);
        assertTrue(ok.text.endsWith("ok /records/1"), ok.text);
    }

    /** Sends the bytes and reads until the server closes the connection (which a refusal must do). */
    private static Answer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before it has read all of an over-long request
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                read.write(buffer, 0, n);
            }
            return new Answer(read.toString(StandardCharsets.UTF_8));
        }
    }

    private record Answer(String text) {

        int status() {
            return Integer.parseInt(text.substring(9, 12));
        }

        String header(String name) {
            for (String line : head().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }

        String head() {
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? text : text.substring(0, end);
        }

        JsonNode problem() throws IOException {
            assertEquals("application/problem+json", header("content-type"), text);
            return new ObjectMapper().readTree(text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }
}
