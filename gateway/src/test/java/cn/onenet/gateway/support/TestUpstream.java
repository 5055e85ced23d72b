package cn.onenet.gateway.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * A real HTTP upstream on a random 127.0.0.1 port: echoes what it received as JSON, and on request delays, fails
 * once per key, streams a large body or answers a given status. It can be stopped and started again on its port.
 */
public final class TestUpstream {

    private final Vertx vertx;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private HttpServer server;
    private int port;

    public TestUpstream(Vertx vertx) {
        this.vertx = vertx;
    }

    public synchronized int start() {
        HttpServer created = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server = created.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("test upstream did not start", e);
        }
        port = server.actualPort();
        return port;
    }

    public synchronized void stop() {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("test upstream did not stop", e);
            }
            server = null;
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.endsWith("/big")) {
            long bytes = Long.parseLong(request.getParam("bytes", "1000000"));
            request.response().setChunked(true);
            streamBig(request, bytes);
            return;
        }
        request.body().onSuccess(body -> {
            JsonObject headers = new JsonObject();
            request.headers().forEach(h -> {
                String name = h.getKey().toLowerCase();
                headers.put(name, headers.containsKey(name) ? headers.getString(name) + "," + h.getValue()
                        : h.getValue());
            });
            int status = 200;
            if (path.contains("/status/")) {
                status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            }
            int attempt = 1;
            if (path.endsWith("/flaky")) {
                String key = request.getHeader("X-Test-Key");
                attempt = attempts.computeIfAbsent(key == null ? "" : key, k -> new AtomicInteger()).incrementAndGet();
                if (attempt == 1) {
                    status = 503;
                }
            }
            JsonObject echo = new JsonObject()
                    .put("method", request.method().name())
                    .put("uri", request.uri())
                    .put("headers", headers)
                    .put("bodyBytes", body.length())
                    .put("attempt", attempt);
            long delay = Long.parseLong(request.getParam("delay", "0"));
            int finalStatus = status;
            Runnable answer = () -> request.response().setStatusCode(finalStatus)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "X-Upstream-Hop")
                    .putHeader("X-Upstream-Hop", "secret")
                    .putHeader("X-Upstream-End", "kept")
                    .end(echo.encode());
            if (delay > 0) {
                vertx.setTimer(delay, t -> answer.run());
            } else {
                answer.run();
            }
        });
    }

    private void streamBig(HttpServerRequest request, long remaining) {
        if (remaining <= 0) {
            request.response().end();
            return;
        }
        int chunk = (int) Math.min(64 * 1024, remaining);
        request.response().write(Buffer.buffer(new byte[chunk])).onSuccess(v -> streamBig(request, remaining - chunk))
                .onFailure(e -> request.connection().close());
    }
}
