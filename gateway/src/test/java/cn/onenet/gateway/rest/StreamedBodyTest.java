package cn.onenet.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.TestUpstream;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * Request bodies whose size nobody declares: HTTP/1.1 chunked uploads and HTTP/2 (h2c, prior knowledge) DATA frames
 * without {@code content-length}. They must stream to the upstream whole, as they arrive, and be cut off with 413 at
 * the route's limit, on both protocols.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class StreamedBodyTest {

    private static final List<HttpVersion> PROTOCOLS = List.of(HttpVersion.HTTP_1_1, HttpVersion.HTTP_2);

    @TestHTTPResource("/")
    URL gateway;

    @Inject
    Vertx vertx;

    @Inject
    ProxyRoutes routes;

    private HttpClient client;
    private HttpVersion clientVersion;

    @AfterEach
    void closeClient() throws Exception {
        if (client != null) {
            client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            client = null;
        }
    }

    private static String token(String client) {
        return TestTokens.departmentClient(client, "11330000002482170X", "onenet-catalog", "operator");
    }

    @Test
    void undeclaredBodiesStreamToTheUpstreamWhole() throws Exception {
        for (HttpVersion version : PROTOCOLS) {
            String token = token("streamed-" + version);
            long fastBefore = routes.fastPathHits();
            // Twice with one token: the first is verified in full, the second takes the fast path.
            for (int i = 0; i < 2; i++) {
                byte[] first = randomBytes(256 * 1024, i);
                byte[] second = randomBytes(200 * 1024 + 17, i + 10);
                String key = UUID.randomUUID().toString();
                Answer answer = send(version, HttpMethod.POST, "/api/catalog/v1/imports", token, key, first,
                        // The second half leaves only once the upstream has the first: nothing waits for the end.
                        () -> awaitBytes(key, first.length), second);
                String where = version + " #" + i + ": ";
                assertEquals(version, answer.version(), where + "the protocol the gateway answered with");
                assertEquals(200, answer.status(), where + answer.body());
                JsonObject echo = new JsonObject(answer.body());
                assertEquals(first.length + second.length, echo.getInteger("bodyBytes"), where + "whole body");
                assertEquals(sha256(first, second), echo.getString("bodySha256"), where + "unchanged body");
                assertEquals("chunked", echo.getJsonObject("headers").getString("transfer-encoding"),
                        where + "streamed to the upstream chunked");
                assertNull(echo.getJsonObject("headers").getString("content-length"), where + "not buffered");
            }
            assertEquals(1, routes.fastPathHits() - fastBefore, version + ": the second took the fast path");
        }
    }

    @Test
    void undeclaredBodiesOverTheLimitAre413OnBothProtocols() throws Exception {
        for (HttpVersion version : PROTOCOLS) {
            String token = token("streamed-limit-" + version);
            for (int i = 0; i < 2; i++) {
                // /api/small takes 1 KiB (UpstreamsResource): a body of many frames or chunks, and one of one.
                for (int size : List.of(64 * 1024, 2048)) {
                    String where = version + " #" + i + ", " + size + " bytes: ";
                    String key = UUID.randomUUID().toString();
                    Answer refused = send(version, HttpMethod.POST, "/api/small/v1/upload", token, key,
                            randomBytes(size, i));
                    assertEquals(version, refused.version(), where + "the protocol the gateway answered with");
                    assertEquals(413, refused.status(), where + refused.body());
                    assertEquals("application/problem+json", refused.contentType(), where);
                    assertEquals("urn:onenet:problem:payload-too-large",
                            new JsonObject(refused.body()).getString("type"), where);
                    TestUpstream.Received received = UpstreamsResource.main.received(key);
                    assertFalse(received.complete(), where + "the upstream never gets the whole oversized body");
                    assertTrue(received.bytes() <= 1024, where + "nor more of it than the limit: " + received.bytes());

                    byte[] small = randomBytes(700, i);
                    Answer accepted = send(version, HttpMethod.POST, "/api/small/v1/upload", token,
                            UUID.randomUUID().toString(), small);
                    assertEquals(200, accepted.status(), where + accepted.body());
                    assertEquals(sha256(small), new JsonObject(accepted.body()).getString("bodySha256"), where);
                }
            }
        }
    }

    @Test
    void oversizedBodiesAreNoErrorOfTheGateways() throws Exception {
        // A client's oversized body is a client error: the 413 and its access-log line, no ERROR about the upstream
        // request the gateway cut off (before, each one logged "Stream reset: 0" from the upstream request).
        List<String> errors = errorsLoggedDuring(() -> {
            for (HttpVersion version : PROTOCOLS) {
                String token = token("quiet-limit-" + version);
                for (int i = 0; i < 3; i++) {
                    String where = version + " #" + i + ": ";
                    String key = UUID.randomUUID().toString();
                    Answer refused = send(version, HttpMethod.POST, "/api/small/v1/upload", token, key,
                            randomBytes(64 * 1024, i));
                    assertEquals(413, refused.status(), where + refused.body());
                    assertEquals("application/problem+json", refused.contentType(), where);
                    assertFalse(UpstreamsResource.main.received(key).complete(), where + "no complete body upstream");
                }
                // The upstream connection of a cut-off request is not reused half-written.
                Answer accepted = send(version, HttpMethod.POST, "/api/small/v1/upload", token,
                        UUID.randomUUID().toString(), randomBytes(700, 3));
                assertEquals(200, accepted.status(), version + ": " + accepted.body());
                assertEquals(700, new JsonObject(accepted.body()).getInteger("bodyBytes"), version.toString());
            }
        });
        assertEquals(List.of(), errors, "ERROR records while answering 413");
    }

    @Test
    void aClientHangingUpMidUploadIsNoErrorOfTheGateways() throws Exception {
        String token = token("hang-up-upload");
        List<String> keys = new CopyOnWriteArrayList<>();
        List<String> errors = errorsLoggedDuring(() -> {
            for (int i = 0; i < 2; i++) {
                String key = UUID.randomUUID().toString();
                try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("POST /api/catalog/v1/imports HTTP/1.1\r\nHost: " + gateway.getHost() + "\r\n"
                            + "Authorization: Bearer " + token + "\r\nX-Test-Key: " + key + "\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n400\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(randomBytes(0x400, i));
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    // Half an upload on its way upstream, then the caller is gone.
                    awaitBytes(key, 0x400);
                }
                keys.add(key);
            }
        });
        assertEquals(List.of(), errors, "ERROR records for callers that hung up");
        for (String key : keys) {
            assertFalse(UpstreamsResource.main.received(key).complete(), "a half upload never completes upstream");
        }
    }

    private interface Action {
        void run() throws Exception;
    }

    /** The ERROR-level records (JBoss ERROR and java.util.logging SEVERE: level 1000 and above) logged meanwhile. */
    private static List<String> errorsLoggedDuring(Action action) throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        SimpleFormatter formatter = new SimpleFormatter();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getLoggerName() + ": " + formatter.formatMessage(record));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        try {
            action.run();
            // What the gateway's event loops log while finishing the last exchange.
            sleep(300);
        } finally {
            root.removeHandler(capture);
        }
        return errors;
    }

    @Test
    void anHttp2BodyThatStartsLateIsStillForwarded() throws Exception {
        // The head alone, then nothing for longer than the route's timeout (/api/slow: 500 ms) before the body.
        byte[] body = randomBytes(4096, 7);
        Answer answer = send(HttpVersion.HTTP_2, HttpMethod.POST, "/api/slow/v1/uploads", token("h2-late"),
                UUID.randomUUID().toString(), new byte[0], () -> sleep(800), body);
        assertEquals(200, answer.status(), answer.body());
        JsonObject echo = new JsonObject(answer.body());
        assertEquals(body.length, echo.getInteger("bodyBytes"));
        assertEquals(sha256(body), echo.getString("bodySha256"));
    }

    @Test
    void bodylessRequestsOverHttp2StayBodylessAndRepeatable() throws Exception {
        String token = token("h2-get");
        for (int i = 0; i < 2; i++) {
            String where = "#" + i + ": ";
            Answer get = send(HttpVersion.HTTP_2, HttpMethod.GET, "/api/catalog/v1/entries?q=x", token, null);
            assertEquals(HttpVersion.HTTP_2, get.version(), where);
            assertEquals(200, get.status(), where + get.body());
            JsonObject echo = new JsonObject(get.body());
            assertEquals("GET", echo.getString("method"));
            assertEquals("/api/catalog/v1/entries?q=x", echo.getString("uri"));
            assertEquals(0, echo.getInteger("bodyBytes"));
            assertNull(echo.getJsonObject("headers").getString("transfer-encoding"), where + "no body framing");

            // Without a body a GET can be sent again: the upstream's first 503 is retried.
            Answer retried = send(HttpVersion.HTTP_2, HttpMethod.GET, "/api/catalog/v1/flaky", token,
                    UUID.randomUUID().toString());
            assertEquals(200, retried.status(), where + retried.body());
            assertEquals(2, new JsonObject(retried.body()).getInteger("attempt"), where + "retried once");

            // A POST whose headers end the stream has no body either.
            Answer emptyPost = send(HttpVersion.HTTP_2, HttpMethod.POST, "/api/catalog/v1/entries/1/actions", token,
                    null);
            assertEquals(200, emptyPost.status(), where + emptyPost.body());
            JsonObject posted = new JsonObject(emptyPost.body());
            assertEquals(0, posted.getInteger("bodyBytes"));
            assertNull(posted.getJsonObject("headers").getString("transfer-encoding"), where + "no body framing");
        }
    }

    private record Answer(HttpVersion version, int status, String contentType, String body) {
    }

    private Answer send(HttpVersion version, HttpMethod method, String uri, String token, String key)
            throws Exception {
        return send(version, method, uri, token, key, null, null, null);
    }

    private Answer send(HttpVersion version, HttpMethod method, String uri, String token, String key, byte[] body)
            throws Exception {
        return send(version, method, uri, token, key, body, null, null);
    }

    /**
     * One request with the given protocol (HTTP/2 over cleartext with prior knowledge). The body, if any, is written
     * chunked and without a length: {@code first} (empty: the head alone), then {@code between} runs, then
     * {@code rest}.
     */
    private Answer send(HttpVersion version, HttpMethod method, String uri, String token, String key, byte[] first,
            Runnable between, byte[] rest) throws Exception {
        HttpClient http = client(version);
        RequestOptions options = new RequestOptions().setMethod(method).setHost(gateway.getHost())
                .setPort(gateway.getPort()).setURI(uri).putHeader("Authorization", "Bearer " + token);
        if (key != null) {
            options.putHeader("X-Test-Key", key);
        }
        HttpClientRequest request = await(http.request(options));
        // A write the gateway refused fails the request here too; the answer (or its failure) tells what happened.
        request.exceptionHandler(failure -> {
        });
        // The body is read as soon as the answer arrives, on the client's event loop.
        Future<Answer> answer = request.response().compose(response -> response.body()
                .map(body -> new Answer(response.version(), response.statusCode(),
                        response.getHeader("Content-Type"), body.toString())));
        if (first != null) {
            // Writes the gateway refused midway may fail; the answer tells what happened.
            request.setChunked(true).putHeader("Content-Type", "application/octet-stream");
            if (first.length == 0) {
                request.sendHead();
            } else {
                request.write(Buffer.buffer(first));
            }
            if (between != null) {
                between.run();
            }
            if (rest != null) {
                request.write(Buffer.buffer(rest));
            }
        }
        request.end();
        return await(answer);
    }

    private HttpClient client(HttpVersion version) throws Exception {
        if (client != null && clientVersion != version) {
            closeClient();
        }
        if (client == null) {
            client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(version)
                    .setHttp2ClearTextUpgrade(false));
            clientVersion = version;
        }
        return client;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    private static void awaitBytes(String key, long bytes) {
        TestUpstream upstream = UpstreamsResource.main;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.received(key).bytes() < bytes) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the upstream got " + upstream.received(key).bytes() + " of the first "
                        + bytes + " bytes while the client held back the rest: the body is not streamed");
            }
            sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[]... parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            digest.update(part);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
