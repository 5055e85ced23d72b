package cn.onenet.gateway.rest;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may read the health checks' details: {@code /q/health/**} is public (probes), but the readiness check names
 * every upstream and its circuit state. Direct internal callers ({@link MetricsAccess}: the kubelet, a scraper on the
 * pod network, the host) get Quarkus's answer with the checks; everyone else the status alone, {@code {"status":"UP"}}
 * or {@code "DOWN"}, with the same status code (200 or 503), which is all the probes read.
 */
@ApplicationScoped
public class HealthAccess {

    private static final String ROOT = "/q/health";

    private final SmallRyeHealthReporter reporter;

    public HealthAccess(SmallRyeHealthReporter reporter) {
        this.reporter = reporter;
    }

    /** Answers a health request from outside with its status alone; false when the request is not such a one. */
    boolean answeredWithStatusOnly(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        if (method != HttpMethod.GET && method != HttpMethod.HEAD) {
            return false;
        }
        String path = rc.normalizedPath();
        if (path == null || !path.startsWith(ROOT) || MetricsAccess.internal(rc.request())) {
            return false;
        }
        Uni<SmallRyeHealth> health = health(path.substring(ROOT.length()));
        if (health == null) {
            return false;
        }
        Context context = Vertx.currentContext();
        health.subscribe().with(result -> context.runOnContext(v -> write(rc, result.isDown())),
                failure -> context.runOnContext(v -> write(rc, true)));
        return true;
    }

    /** The reporter's answer for a health path (what follows {@code /q/health}), null for any other path. */
    private Uni<SmallRyeHealth> health(String rest) {
        return switch (rest) {
            case "", "/" -> reporter.getHealthAsync();
            case "/live" -> reporter.getLivenessAsync();
            case "/ready" -> reporter.getReadinessAsync();
            case "/started" -> reporter.getStartupAsync();
            case "/well" -> reporter.getWellnessAsync();
            case "/group" -> reporter.getHealthGroupsAsync();
            default -> rest.startsWith("/group/") && rest.indexOf('/', "/group/".length()) < 0
                    ? reporter.getHealthGroupAsync(rest.substring("/group/".length()))
                    : null;
        };
    }

    private static void write(RoutingContext rc, boolean down) {
        if (rc.response().ended()) {
            return;
        }
        rc.response().setStatusCode(down ? 503 : 200)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=UTF-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(down ? "{\"status\":\"DOWN\"}" : "{\"status\":\"UP\"}");
    }
}
