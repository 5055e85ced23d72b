package cn.onenet.gateway.health;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import cn.onenet.gateway.client.Upstream;
import cn.onenet.gateway.client.Upstreams;
import cn.onenet.gateway.config.GatewayConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Aggregated readiness: every upstream's {@code /q/health/ready}, each reported with its circuit state. The upstreams
 * are asked in the background every {@code gateway.readiness.refresh} and the check answers from the last results, so
 * however often {@code /q/health/ready} is called (it is public) the upstreams see one probe each per period. The
 * gateway itself stays ready while an upstream is down (its routes answer 503) unless
 * {@code gateway.readiness.require-upstreams} is set. Only direct internal callers read the upstreams' names and
 * states; everyone else gets the status alone ({@link cn.onenet.gateway.rest.HealthAccess}).
 */
@Readiness
@ApplicationScoped
public class UpstreamsReadiness implements AsyncHealthCheck {

    private final Upstreams upstreams;
    private final GatewayConfig.Readiness config;
    private final Vertx vertx;
    private volatile Future<List<Probe>> latest;
    private long timer = -1;
    private volatile boolean stopped;

    public UpstreamsReadiness(Upstreams upstreams, GatewayConfig config, Vertx vertx) {
        this.upstreams = upstreams;
        this.config = config.readiness();
        this.vertx = vertx;
    }

    private record Probe(Upstream upstream, boolean up) {
    }

    void start(@Observes StartupEvent event) {
        refresh();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Probes every upstream, keeps the results once all have answered, and schedules the next round. */
    private synchronized Future<List<Probe>> refresh() {
        Future<List<Probe>> round = probeAll();
        if (latest == null) {
            latest = round;
        }
        round.onComplete(ar -> {
            if (ar.succeeded()) {
                latest = round;
            }
            if (!stopped) {
                timer = vertx.setTimer(config.refresh().toMillis(), t -> refresh());
            }
        });
        return round;
    }

    private Future<List<Probe>> probeAll() {
        List<Future<Probe>> probes = new ArrayList<>();
        for (Upstream upstream : upstreams.all()) {
            probes.add(probe(upstream));
        }
        return Future.join(probes).map(f -> {
            List<Probe> results = new ArrayList<>();
            probes.forEach(p -> results.add(p.result()));
            return results;
        });
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        Future<List<Probe>> results = latest;
        if (results == null) {
            results = refresh();
        }
        return Uni.createFrom().completionStage(results.toCompletionStage()).map(this::response);
    }

    private HealthCheckResponse response(List<Probe> results) {
        HealthCheckResponseBuilder builder = HealthCheckResponse.named("upstreams");
        boolean allUp = true;
        for (Probe probe : results) {
            allUp &= probe.up();
            // the circuit's state as it is now; the probe's result as of the last round
            builder.withData(probe.upstream().name(), (probe.up() ? "UP" : "DOWN") + ", circuit "
                    + probe.upstream().breaker().state().name().toLowerCase(java.util.Locale.ROOT));
        }
        return builder.status(allUp || !config.requireUpstreams()).withData("allUp", allUp).build();
    }

    private Future<Probe> probe(Upstream upstream) {
        long timeout = config.timeout().toMillis();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setServer(upstream.address())
                .setHost(upstream.host()).setPort(upstream.port()).setSsl(upstream.ssl())
                .setURI("/q/health/ready").setConnectTimeout(timeout).setIdleTimeout(timeout);
        return upstreams.client().request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> status(response)))
                .map(up -> new Probe(upstream, up))
                .otherwise(new Probe(upstream, false));
    }

    private static boolean status(HttpClientResponse response) {
        return response.statusCode() == 200;
    }
}
