package cn.onenet.gateway.health;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import cn.onenet.gateway.client.Upstream;
import cn.onenet.gateway.client.Upstreams;
import cn.onenet.gateway.config.GatewayConfig;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * Aggregated readiness: asks every upstream's {@code /q/health/ready} and reports each one with its circuit state.
 * The gateway itself stays ready while an upstream is down (its routes answer 503) unless
 * {@code gateway.readiness.require-upstreams} is set.
 */
@Readiness
@ApplicationScoped
public class UpstreamsReadiness implements AsyncHealthCheck {

    private final Upstreams upstreams;
    private final GatewayConfig.Readiness config;

    public UpstreamsReadiness(Upstreams upstreams, GatewayConfig config) {
        this.upstreams = upstreams;
        this.config = config.readiness();
    }

    private record Probe(Upstream upstream, boolean up) {
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        List<Future<Probe>> probes = new ArrayList<>();
        for (Upstream upstream : upstreams.all()) {
            probes.add(probe(upstream));
        }
        Future<List<Probe>> all = Future.join(probes).map(f -> {
            List<Probe> results = new ArrayList<>();
            probes.forEach(p -> results.add(p.result()));
            return results;
        });
        return Uni.createFrom().completionStage(all.toCompletionStage()).map(results -> {
            HealthCheckResponseBuilder builder = HealthCheckResponse.named("upstreams");
            boolean allUp = true;
            for (Probe probe : results) {
                allUp &= probe.up();
                builder.withData(probe.upstream().name(), (probe.up() ? "UP" : "DOWN") + ", circuit "
                        + probe.upstream().breaker().state().name().toLowerCase(java.util.Locale.ROOT));
            }
            return builder.status(allUp || !config.requireUpstreams()).withData("allUp", allUp).build();
        });
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
