package cn.onenet.exchange;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A real HTTP receiver for webhook tests (and a provider's endpoint for proxied lookups) on a random port of
 * 127.0.0.1, or on a given loopback address and port: answers the n-th request as the script says and records every
 * request (arrival time, headers, exact body bytes).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** Status to answer, a Retry-After value (or null) and a JSON body (or null). */
    public record Reply(int status, String retryAfter, String json) {
        public Reply(int status, String retryAfter) {
            this(status, retryAfter, null);
        }

        public static Reply of(int status) {
            return new Reply(status, null);
        }

        /** No answer at all: the request is read and left open (the sender's answer timeout runs out). */
        public static Reply none() {
            return new Reply(0, null);
        }

        /** 200 with a JSON body. */
        public static Reply json(String json) {
            return new Reply(200, null, json);
        }
    }

    public record Hit(long atNanos, int answered, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    /** The receivers' own Vert.x (not the service's, whose HTTP metrics would claim their servers). */
    private static Vertx vertx;

    private final HttpServer server;
    private final AtomicInteger count = new AtomicInteger();
    private final List<Hit> hits = new CopyOnWriteArrayList<>();
    private volatile IntFunction<Reply> script;

    public WebhookReceiver(IntFunction<Reply> script) throws Exception {
        this("127.0.0.1", 0, script);
    }

    /** Listening on {@code host} (an address) and {@code port} (0: any free one). */
    public WebhookReceiver(String host, int port, IntFunction<Reply> script) throws Exception {
        this.script = script;
        this.server = vertx().createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            int n = count.incrementAndGet();
            Reply r = this.script.apply(n);
            Map<String, String> headers = new TreeMap<>();
            req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(), h.getValue()));
            hits.add(new Hit(System.nanoTime(), r.status(), headers, body.getBytes()));
            if (r.status() == 0) {
                return;
            }
            var resp = req.response().setStatusCode(r.status());
            if (r.retryAfter() != null) {
                resp.putHeader("Retry-After", r.retryAfter());
            }
            if (r.json() != null) {
                resp.putHeader("Content-Type", "application/json").end(r.json());
            } else {
                resp.end();
            }
        })).listen(port, host).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static synchronized Vertx vertx() {
        if (vertx == null) {
            vertx = Vertx.vertx();
        }
        return vertx;
    }

    public void script(IntFunction<Reply> script) {
        this.script = script;
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort() + "/hook";
    }

    public int port() {
        return server.actualPort();
    }

    public List<Hit> hits() {
        return List.copyOf(hits);
    }

    /** Waits until at least {@code n} requests arrived (at most 15 s); returns them. */
    public List<Hit> await(int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (hits.size() < n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        if (hits.size() < n) {
            throw new AssertionError("expected " + n + " webhook requests, got " + hits.size());
        }
        return hits();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
