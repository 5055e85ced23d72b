package cn.onenet.gateway.rest;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import cn.onenet.common.problem.ProblemType;
import cn.onenet.common.requestid.RequestIdRoutes;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.gateway.client.RouteProxy;
import cn.onenet.gateway.client.Upstreams;
import cn.onenet.gateway.config.GatewayConfig;
import cn.onenet.gateway.service.Caller;
import cn.onenet.gateway.service.EdgeMetrics;
import cn.onenet.gateway.service.RateLimiter;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Mounts every configured route on the Quarkus router. Quarkus HTTP security has authenticated the caller (and
 * applied the path permissions) before these handlers run; here the edge adds the audience check, the size limit,
 * the per-client rate limit and the forwarding headers, then hands the request to the route's reverse proxy.
 */
@ApplicationScoped
public class ProxyRoutes {

    private static final Logger ACCESS = Logger.getLogger("gateway.access");

    /** Spoofable forwarding headers a client may send; the gateway drops them and sets its own. */
    private static final String[] FORWARDING = { "forwarded", "x-forwarded-for", "x-forwarded-host",
            "x-forwarded-proto", "x-forwarded-port", "x-forwarded-prefix", "x-forwarded-server", "x-real-ip",
            "x-client-ip" };

    /** Path segments that may identify a person or an enterprise (ID numbers, credit codes) are not logged. */
    private static final Pattern IDENTIFIER = Pattern.compile("/[0-9A-Za-z]*[0-9][0-9A-Za-z]{13,}");

    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS");

    private final GatewayConfig config;
    private final Upstreams upstreams;
    private final RateLimiter rateLimiter;
    private final ProblemWriter problems;
    private final EdgeMetrics metrics;

    public ProxyRoutes(GatewayConfig config, Upstreams upstreams, RateLimiter rateLimiter, ProblemWriter problems,
            EdgeMetrics metrics) {
        this.config = config;
        this.upstreams = upstreams;
        this.rateLimiter = rateLimiter;
        this.problems = problems;
        this.metrics = metrics;
    }

    void register(@Observes Router router) {
        int order = 100;
        // Each service's OpenAPI document (public), ahead of the service's own prefix route.
        for (String name : config.upstreams().keySet()) {
            RouteProxy proxy = upstreams.openapi(name);
            GatewayConfig.Route settings = new OpenApiRoute(name);
            router.route("/api/" + name + "/openapi").order(order++)
                    .handler(rc -> handle(rc, proxy, settings));
        }
        for (Map.Entry<String, GatewayConfig.Route> entry : config.routes().entrySet()) {
            RouteProxy proxy = upstreams.route(entry.getKey());
            GatewayConfig.Route route = entry.getValue();
            String path = route.path().endsWith("/") ? route.path().substring(0, route.path().length() - 1)
                    : route.path();
            router.route(path).order(order++).handler(rc -> handle(rc, proxy, route));
            router.route(path + "/*").order(order++).handler(rc -> handle(rc, proxy, route));
        }
    }

    private void handle(RoutingContext rc, RouteProxy proxy, GatewayConfig.Route route) {
        HttpServerRequest request = rc.request();
        ContextInternal requestContext = (ContextInternal) ((HttpServerRequestInternal) request).context();
        if (!requestContext.nettyEventLoop().inEventLoop()) {
            // Authentication may finish on another thread; the proxy and its pool belong to the request's loop.
            request.pause();
            requestContext.runOnContext(v -> forward(rc, proxy, route));
        } else {
            forward(rc, proxy, route);
        }
    }

    private void forward(RoutingContext rc, RouteProxy proxy, GatewayConfig.Route route) {
        long start = System.nanoTime();
        HttpServerRequest request = rc.request();
        HttpServerResponse response = rc.response();
        SecurityIdentity identity = identity(rc);
        Caller caller = identity == null ? null : rc.get(Caller.KEY);
        if (identity != null && (caller == null || caller.identity() != identity)) {
            caller = Caller.of(identity);
        }
        String clientId = caller == null ? null : caller.clientId();

        rc.addEndHandler(v -> done(rc, proxy.name(), start, clientId));

        if (caller != null && !caller.session() && caller.identity().getPrincipal() instanceof JsonWebToken
                && route.audiences().isPresent() && !route.audiences().get().isEmpty()) {
            Set<String> audience = caller.audiences();
            if (route.audiences().get().stream().noneMatch(audience::contains)) {
                problems.write(rc, ProblemType.FORBIDDEN, "令牌的受众不包含此 API / the token's audience does not "
                        + "include this API");
                return;
            }
        }

        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length, route.maxBodySize().asLongValue())) {
            // The body stays unread: close the connection after answering.
            problems.write(rc, ProblemType.PAYLOAD_TOO_LARGE, "请求体超过上限 " + route.maxBodySize().asLongValue()
                    + " 字节 / request body exceeds " + route.maxBodySize().asLongValue() + " bytes", Map.of(),
                    Map.of("Connection", "close"));
            return;
        }

        if (route.rateLimited() && rateLimiter.enabled()) {
            String department = caller == null ? null : caller.department();
            String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
            SecurityIdentity who = identity;
            if (rateLimiter.blocking()) {
                // The shared store is a database round trip: off the event loop, body held until the decision.
                request.pause();
                Vertx.currentContext().<RateLimiter.Decision>executeBlocking(
                        () -> rateLimiter.consume(proxy.name(), clientId, department, address), false)
                        .onComplete(ar -> {
                            if (ar.succeeded()) {
                                limited(rc, proxy, route, who, ar.result());
                            } else {
                                problems.write(rc, ProblemType.UNAVAILABLE, "限流服务暂时不可用 / the rate limiter "
                                        + "failed to answer");
                            }
                        });
                return;
            }
            limited(rc, proxy, route, identity, rateLimiter.consume(proxy.name(), clientId, department, address));
            return;
        }
        send(rc, proxy, route, identity);
    }

    private void limited(RoutingContext rc, RouteProxy proxy, GatewayConfig.Route route, SecurityIdentity identity,
            RateLimiter.Decision decision) {
        HttpServerResponse response = rc.response();
        if (decision.known()) {
            response.putHeader("RateLimit-Limit", Long.toString(decision.limit()));
            response.putHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
            response.putHeader("RateLimit-Reset", Long.toString(decision.resetSeconds()));
            response.putHeader("RateLimit-Policy", decision.policy());
        }
        if (!decision.allowed()) {
            problems.write(rc, ProblemType.RATE_LIMITED, "请求过于频繁，请在 " + decision.retryAfterSeconds()
                    + " 秒后重试 / too many requests, retry in " + decision.retryAfterSeconds() + " s",
                    Map.of("retryAfterSeconds", decision.retryAfterSeconds()),
                    Map.of("Retry-After", Long.toString(decision.retryAfterSeconds())));
            return;
        }
        send(rc, proxy, route, identity);
    }

    private void send(RoutingContext rc, RouteProxy proxy, GatewayConfig.Route route, SecurityIdentity identity) {
        HttpServerRequest request = rc.request();
        MultiMap headers = request.headers();
        setForwarding(request, headers);
        String requestId = rc.get(RequestIdRoutes.CONTEXT_KEY);
        if (requestId != null) {
            headers.set(RequestIds.HEADER, requestId);
        }
        if (!route.forwardCookies()) {
            headers.remove(HttpHeaders.COOKIE);
        }
        if (!headers.contains(HttpHeaders.AUTHORIZATION) && identity != null) {
            // Token relay: a console session's access token goes upstream as a bearer token.
            AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
            if (access != null && access.getToken() != null) {
                headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + access.getToken());
            }
        }
        proxy.handle(request);
    }

    private static void setForwarding(HttpServerRequest request, MultiMap headers) {
        for (String name : FORWARDING) {
            headers.remove(name);
        }
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String scheme = request.scheme() == null ? "http" : request.scheme();
        String host = request.authority() == null ? null : request.authority().toString();
        headers.set("X-Forwarded-For", client);
        headers.set("X-Forwarded-Proto", scheme);
        String forwarded = "for=" + (client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client) + ";proto=" + scheme;
        if (host != null) {
            headers.set("X-Forwarded-Host", host);
            forwarded += ";host=\"" + host + "\"";
        }
        headers.set("Forwarded", forwarded);
    }

    private static boolean tooLarge(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static SecurityIdentity identity(RoutingContext rc) {
        if (rc.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            return identity == null || identity.isAnonymous() ? null : identity;
        }
        return null;
    }

    private void done(RoutingContext rc, String route, long start, String clientId) {
        long nanos = System.nanoTime() - start;
        String method = rc.request().method().name();
        if (!KNOWN_METHODS.contains(method)) {
            method = "OTHER";
        }
        int status = rc.response().getStatusCode();
        metrics.record(route, method, status, nanos);
        if (config.accessLog().enabled() && ACCESS.isInfoEnabled()) {
            JsonObject line = new JsonObject()
                    .put("route", route)
                    .put("method", method)
                    .put("path", IDENTIFIER.matcher(rc.request().path()).replaceAll("/{id}"))
                    .put("status", status)
                    .put("latencyMs", nanos / 1_000_000.0)
                    .put("bytesSent", rc.response().bytesWritten())
                    .put("client", clientId == null ? "anonymous" : clientId)
                    .put("requestId", (String) rc.get(RequestIdRoutes.CONTEXT_KEY));
            ACCESS.info(line.encode());
        }
    }

    /** The settings of a service's OpenAPI route: public, short timeout, anonymous rate limit. */
    private record OpenApiRoute(String upstream) implements GatewayConfig.Route {
        @Override
        public String path() {
            return "/api/" + upstream + "/openapi";
        }

        @Override
        public java.time.Duration timeout() {
            return java.time.Duration.ofSeconds(10);
        }

        @Override
        public int retries() {
            return 1;
        }

        @Override
        public io.quarkus.runtime.configuration.MemorySize maxBodySize() {
            return new io.quarkus.runtime.configuration.MemorySize(java.math.BigInteger.ZERO);
        }

        @Override
        public java.util.Optional<java.util.List<String>> audiences() {
            return java.util.Optional.empty();
        }

        @Override
        public boolean forwardCookies() {
            return false;
        }

        @Override
        public boolean rateLimited() {
            return true;
        }
    }
}
