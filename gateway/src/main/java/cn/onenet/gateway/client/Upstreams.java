package cn.onenet.gateway.client;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import cn.onenet.gateway.config.GatewayConfig;
import cn.onenet.gateway.rest.ProblemWriter;
import io.netty.util.concurrent.FastThreadLocal;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;

/** The configured upstreams with their circuit breakers, and one proxy per configured route. */
@ApplicationScoped
public class Upstreams {

    private final Map<String, Upstream> upstreams = new LinkedHashMap<>();
    private final Map<String, RouteProxy> routes = new LinkedHashMap<>();
    private final Map<String, RouteProxy> openapi = new LinkedHashMap<>();
    private final List<HttpClient> clients = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<HttpClient> perLoop;
    private final HttpClient ownCalls;

    public Upstreams(Vertx vertx, GatewayConfig config, ProblemWriter problems, OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.instrument.vertx-http", defaultValue = "true") boolean traced) {
        UpstreamTrace trace = UpstreamTrace.of(vertx, openTelemetry, traced);
        HttpClientOptions options = new HttpClientOptions()
                .setMaxPoolSize(config.client().maxPoolSize())
                .setMaxWaitQueueSize(1024)
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, config.client().keepAliveTimeout().toSeconds()))
                .setConnectTimeout((int) config.client().connectTimeout().toMillis())
                .setTcpNoDelay(true)
                .setDecompressionSupported(false);
        this.perLoop = new FastThreadLocal<>() {
            @Override
            protected HttpClient initialValue() {
                HttpClient client = vertx.createHttpClient(options);
                clients.add(client);
                return client;
            }
        };
        // Readiness probes only (one per upstream every few seconds): a short wait queue, never an unbounded one.
        this.ownCalls = vertx.createHttpClient(new HttpClientOptions().setMaxPoolSize(4).setMaxWaitQueueSize(16)
                .setKeepAlive(true));
        clients.add(ownCalls);
        config.upstreams().forEach((name, url) -> upstreams.put(name, Upstream.of(name, url,
                new Breaker(name, config.circuitBreaker().maxFailures(),
                        config.circuitBreaker().resetTimeout().toMillis()))));
        long connect = config.client().connectTimeout().toMillis();
        config.routes().forEach((name, route) -> {
            Upstream upstream = upstreams.get(route.upstream());
            if (upstream == null) {
                throw new IllegalStateException("route " + name + " names unknown upstream " + route.upstream());
            }
            routes.put(name, new RouteProxy(name, upstream, null, route.timeout().toMillis(),
                    route.bodyTimeout().toMillis(), connect,
                    route.retries(), route.maxBodySize().asLongValue(), perLoop::get, problems, trace));
        });
        // Each service's contract, served by the service at /q/openapi, appears as /api/<name>/openapi.
        upstreams.forEach((name, upstream) -> openapi.put(name, new RouteProxy("openapi-" + name, upstream,
                "/q/openapi", 10_000, 10_000, connect, 1, 0, perLoop::get, problems, trace)));
    }

    public Collection<Upstream> all() {
        return upstreams.values();
    }

    public RouteProxy route(String name) {
        return routes.get(name);
    }

    public RouteProxy openapi(String upstream) {
        return openapi.get(upstream);
    }

    /** A client for the gateway's own calls (health checks). */
    public HttpClient client() {
        return ownCalls;
    }

    @PreDestroy
    void close() {
        for (HttpClient client : new ArrayList<>(clients)) {
            client.close();
        }
    }
}
