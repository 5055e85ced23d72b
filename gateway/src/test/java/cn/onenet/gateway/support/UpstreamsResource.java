package cn.onenet.gateway.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;

/**
 * Starts two real upstreams for the gateway under test: {@code main} stands in for identity, catalog and exchange;
 * {@code reserve} is the one tests stop and restart. Adds test routes with short timeouts and small limits.
 */
public class UpstreamsResource implements QuarkusTestResourceLifecycleManager {

    public static TestUpstream main;
    public static TestUpstream reserve;
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        main = new TestUpstream(vertx);
        reserve = new TestUpstream(vertx);
        main.start();
        reserve.start();
        Map<String, String> config = new HashMap<>();
        config.put("gateway.upstreams.identity", main.url());
        config.put("gateway.upstreams.catalog", main.url());
        config.put("gateway.upstreams.exchange", main.url());
        config.put("gateway.upstreams.reserve", reserve.url());
        config.put("gateway.routes.reserve.path", "/api/reserve");
        config.put("gateway.routes.reserve.upstream", "reserve");
        config.put("gateway.routes.reserve.retries", "0");
        config.put("gateway.routes.slow.path", "/api/slow");
        config.put("gateway.routes.slow.upstream", "catalog");
        config.put("gateway.routes.slow.timeout", "500ms");
        config.put("gateway.routes.patient.path", "/api/patient");
        config.put("gateway.routes.patient.upstream", "exchange");
        config.put("gateway.routes.patient.timeout", "10s");
        // Uploads on a route of their own upstream, so its breaker counts only them.
        config.put("gateway.upstreams.trickle", main.url());
        config.put("gateway.routes.trickle.path", "/api/trickle");
        config.put("gateway.routes.trickle.upstream", "trickle");
        config.put("gateway.routes.trickle.timeout", "400ms");
        config.put("gateway.routes.trickle.body-timeout", "1s");
        config.put("gateway.routes.trickle.retries", "0");
        config.put("gateway.routes.small.path", "/api/small");
        config.put("gateway.routes.small.upstream", "catalog");
        config.put("gateway.routes.small.max-body-size", "1K");
        config.put("quarkus.oidc.console.auth-server-url", main.url() + "/oidc");
        config.put("gateway.console.client-secret", TestUpstream.CONSOLE_SECRET);
        // identity's revocation list, fetched with the console's client (the test upstream checks its secret)
        config.put("onenet.security.revocations.url", main.url() + "/oidc/revocations");
        // fetched when a test asks (RevokedTokenTest), not on a timer of its own meanwhile
        config.put("onenet.security.revocations.interval", "1h");
        config.put("gateway.circuit-breaker.max-failures", "3");
        config.put("gateway.circuit-breaker.reset-timeout", "1s");
        config.put("gateway.rate-limit.anonymous.requests", "1000");
        // identity's protocol surface: each plan its own number, so a test sees which applied
        config.put("gateway.rate-limit.oidc.client.requests", "500");
        config.put("gateway.rate-limit.oidc.client-address.requests", "5000");
        config.put("gateway.rate-limit.oidc.pages.requests", "1000");
        config.put("gateway.rate-limit.oidc.pages.burst", "1000");
        config.put("gateway.rate-limit.oidc.metadata.requests", "2000");
        config.put("gateway.rate-limit.oidc.metadata.burst", "2000");
        config.put("gateway.rate-limit.clients.limited-client.requests", "3");
        config.put("gateway.rate-limit.clients.limited-client.period", "60s");
        config.put("gateway.rate-limit.clients.fast-limited.requests", "2");
        config.put("gateway.rate-limit.clients.fast-limited.period", "60s");
        // a department's plan, for every client of the department without a plan of its own
        config.put("gateway.rate-limit.departments.\"11330000007777777X\".requests", "2");
        config.put("gateway.rate-limit.departments.\"11330000007777777X\".period", "60s");
        return config;
    }

    @Override
    public void stop() {
        if (main != null) {
            main.stop();
        }
        if (reserve != null) {
            reserve.stop();
        }
        if (vertx != null) {
            vertx.close();
        }
    }
}
