package cn.onenet.gateway.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import cn.onenet.common.problem.BodyLimitRoutes;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.common.requestid.RequestIdRoutes;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.gateway.client.ConsoleCookies;
import cn.onenet.gateway.client.HopByHop;
import cn.onenet.gateway.client.LoggedPath;
import cn.onenet.gateway.client.ReadBody;
import cn.onenet.gateway.client.RouteProxy;
import cn.onenet.gateway.client.Upstreams;
import cn.onenet.gateway.config.GatewayConfig;
import cn.onenet.gateway.service.Caller;
import cn.onenet.gateway.service.EdgeAuthentication;
import cn.onenet.gateway.service.EdgeMetrics;
import cn.onenet.gateway.service.OidcEndpoints;
import cn.onenet.gateway.service.RateLimiter;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.quarkus.vertx.http.runtime.security.PathMatchingHttpSecurityPolicy;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Mounts every configured route on the Quarkus router. Quarkus HTTP security has authenticated the caller (and
 * applied the path permissions) before these handlers run; here the edge adds the audience check, the size limit,
 * the per-client rate limit and the forwarding headers, then hands the request to the route's reverse proxy.
 * A repeated bearer token takes a fast path to the same checks (see {@link #fastPath}).
 */
@ApplicationScoped
public class ProxyRoutes {

    private static final Logger ACCESS = Logger.getLogger("gateway.access");
    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);

    /** Retry-After (seconds) of the 503 when the rate limiter fails, like the 503 of an unreachable upstream. */
    static final String LIMITER_RETRY_AFTER = "5";

    /** The configured path permissions need no blocking check; one that would is refused here (full chain). */
    private static final HttpSecurityPolicy.AuthorizationRequestContext NO_BLOCKING = (rc, identity,
            check) -> HttpSecurityPolicy.CheckResult.deny();

    // Header names touched on every request, as pre-hashed ASCII strings (no hashing or re-encoding per use).
    private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
    private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("X-Forwarded-Proto");
    private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("X-Forwarded-Host");
    private static final CharSequence FORWARDED = HttpHeaders.createOptimized("Forwarded");
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(RequestIds.HEADER);
    private static final CharSequence RATE_LIMIT_LIMIT = HttpHeaders.createOptimized("RateLimit-Limit");
    private static final CharSequence RATE_LIMIT_REMAINING = HttpHeaders.createOptimized("RateLimit-Remaining");
    private static final CharSequence RATE_LIMIT_RESET = HttpHeaders.createOptimized("RateLimit-Reset");
    private static final CharSequence RATE_LIMIT_POLICY = HttpHeaders.createOptimized("RateLimit-Policy");

    /**
     * Spoofable forwarding headers a client may send besides the {@code X-Forwarded-*} family (all of which go, see
     * {@link #removeXForwarded}); the gateway drops them and sets its own.
     */
    private static final CharSequence[] FORWARDING = Stream.of("forwarded", "x-real-ip", "x-client-ip",
            "true-client-ip", "x-cluster-client-ip", "x-original-forwarded-for")
            .map(HttpHeaders::createOptimized).toArray(CharSequence[]::new);
    private static final String X_FORWARDED_PREFIX = "x-forwarded-";

    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS");

    private final GatewayConfig config;
    private final Upstreams upstreams;
    private final RateLimiter rateLimiter;
    private final ProblemWriter problems;
    private final EdgeMetrics metrics;
    private final EdgeAuthentication authentication;
    private final PathMatchingHttpSecurityPolicy permissions;
    private final List<Target> fastTargets = new ArrayList<>();
    /** Route names for the access log and metrics: the OpenAPI paths, then the route prefixes in routing order. */
    private final Map<String, String> openApiRoutes = new java.util.LinkedHashMap<>();
    private final Map<String, String> prefixRoutes = new java.util.LinkedHashMap<>();
    private final List<String> fastExcluded = new ArrayList<>();
    private final LongAdder fastHits = new LongAdder();

    public ProxyRoutes(GatewayConfig config, Upstreams upstreams, RateLimiter rateLimiter, ProblemWriter problems,
            EdgeMetrics metrics, EdgeAuthentication authentication, PathMatchingHttpSecurityPolicy permissions) {
        this.config = config;
        this.upstreams = upstreams;
        this.rateLimiter = rateLimiter;
        this.problems = problems;
        this.metrics = metrics;
        this.authentication = authentication;
        this.permissions = permissions;
    }

    /** Requests that took the fast path since start. */
    public long fastPathHits() {
        return fastHits.sum();
    }

    void register(@Observes Router router) {
        Map<String, Long> routeLimits = new TreeMap<>();
        config.routes().forEach((name, route) -> routeLimits.put(name, route.maxBodySize().asLongValue()));
        checkBodyLimits(routeLimits, BodyLimitRoutes.httpLimit());
        int order = 100;
        // Each service's OpenAPI document (public), ahead of the service's own prefix route.
        for (String name : config.upstreams().keySet()) {
            Target target = new Target(null, upstreams.openapi(name), new OpenApiRoute(name));
            router.route("/api/" + name + "/openapi").order(order++).handler(rc -> handle(rc, target));
            fastExcluded.add("/api/" + name + "/openapi");
            openApiRoutes.put("/api/" + name + "/openapi", target.proxy().name());
        }
        for (Map.Entry<String, GatewayConfig.Route> entry : config.routes().entrySet()) {
            GatewayConfig.Route route = entry.getValue();
            String path = route.path().endsWith("/") ? route.path().substring(0, route.path().length() - 1)
                    : route.path();
            Target target = new Target(path, upstreams.route(entry.getKey()), route);
            router.route(path).order(order++).handler(rc -> handle(rc, target));
            router.route(path + "/*").order(order++).handler(rc -> handle(rc, target));
            if (path.startsWith("/api/")) {
                fastTargets.add(target);
            }
            prefixRoutes.put(path, target.proxy().name());
        }
        // Before everything that may answer (the body-size 413 at MIN + 11, CORS, authentication), so that every
        // request to a route is logged and counted, refusals at the edge included.
        router.route().order(Integer.MIN_VALUE + 1).handler(this::observe);
        // Ahead of Quarkus's CORS, authentication and authorization handlers, after the request id, the body-size
        // check and the security headers.
        router.route().order(Integer.MIN_VALUE + 21).handler(this::fastPath);
    }

    /**
     * The HTTP layer refuses bodies above {@code quarkus.http.limits.max-body-size} before any route sees them, so a
     * route allowing more would silently be capped: refuse to start instead, naming both settings.
     */
    static void checkBodyLimits(Map<String, Long> routeLimits, long httpLimit) {
        routeLimits.forEach((name, limit) -> {
            if (limit > httpLimit) {
                throw new IllegalStateException("gateway.routes." + name + ".max-body-size (" + limit
                        + " bytes) exceeds quarkus.http.limits.max-body-size (" + httpLimit
                        + " bytes), which refuses larger bodies first: raise quarkus.http.limits.max-body-size");
            }
        });
    }

    /**
     * The fast path of an API call whose bearer token quarkus-oidc has already verified (the same cache
     * {@link EdgeAuthentication} answers from): the configured path permissions are checked by Quarkus's own
     * path-matching policy, then the request goes straight to the route's checks and proxy, without the CORS,
     * authentication and authorization handler chain. Anything else, and anything the fast path would refuse, takes
     * the full chain, which gives the answer (401, 403, CORS, first sight of a token).
     */
    private void fastPath(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String path = request.path();
        Target target = fastTarget(path);
        String authorization;
        Caller caller;
        if (target == null || (authorization = request.getHeader(HttpHeaders.AUTHORIZATION)) == null
                || request.getHeader(HttpHeaders.ORIGIN) != null
                || (caller = authentication.verified(authorization)) == null || caller.session()
                || authentication.revoked(caller)) {
            // a revoked token: the full chain's authentication refuses it (401), without a new signature check
            rc.next();
            return;
        }
        Uni<HttpSecurityPolicy.CheckResult> check;
        try {
            check = permissions.checkPermission(rc, Uni.createFrom().item(caller.identity()), NO_BLOCKING);
        } catch (RuntimeException e) {
            rc.next();
            return;
        }
        // The configured policies (permit, authenticated, roles) answer at once, on this thread. A policy that
        // answers later gets the request paused meanwhile and the decision carried back to the request's loop.
        // A plain subscriber: the callbacks need no context captured for them (UniSubscribe.with would wrap each
        // in a context-propagation snapshot on every request).
        Decision decision = new Decision(rc, target, caller, Thread.currentThread());
        check.subscribe().withSubscriber(decision);
        if (!decision.inline) {
            request.pause();
        }
    }

    /** The fast path's wait for the permission check's answer. */
    private final class Decision implements UniSubscriber<HttpSecurityPolicy.CheckResult> {
        private final RoutingContext rc;
        private final Target target;
        private final Caller caller;
        private final Thread loop;
        private boolean inline;

        Decision(RoutingContext rc, Target target, Caller caller, Thread loop) {
            this.rc = rc;
            this.target = target;
            this.caller = caller;
            this.loop = loop;
        }

        @Override
        public void onSubscribe(UniSubscription subscription) {
        }

        @Override
        public void onItem(HttpSecurityPolicy.CheckResult result) {
            decide(result.isPermitted());
        }

        @Override
        public void onFailure(Throwable failure) {
            decide(false);
        }

        private void decide(boolean permitted) {
            if (Thread.currentThread() != loop) {
                ((HttpServerRequestInternal) rc.request()).context().runOnContext(v -> decide(permitted));
                return;
            }
            inline = true;
            if (permitted) {
                fastHits.increment();
                forward(rc, target, caller);
            } else {
                // The full chain gives the refusal (or whatever else the configuration asks for).
                rc.next();
            }
        }
    }

    /**
     * Percent-escapes other than an encoded slash take the full chain. An encoded slash stays encoded through
     * normalisation (it is reserved), so it never changes which route or permission a path matches; the exchange's
     * resource codes (e.g. 330000-01-02/000123) travel in a path segment that way.
     */
    private static boolean onlyEncodedSlashes(String path) {
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || path.charAt(i + 1) != '2'
                    || (path.charAt(i + 2) != 'F' && path.charAt(i + 2) != 'f')) {
                return false;
            }
        }
        return true;
    }

    /** The route of a plain API path (nothing to normalise, not an OpenAPI document), or null. */
    private Target fastTarget(String path) {
        if (path == null || !path.startsWith("/api/") || !onlyEncodedSlashes(path) || path.indexOf(';') >= 0
                || path.contains("/.") || path.contains("//")) {
            return null;
        }
        for (Target target : fastTargets) {
            String prefix = target.prefix();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                for (String excluded : fastExcluded) {
                    if (path.startsWith(excluded)) {
                        return null;
                    }
                }
                return target;
            }
        }
        return null;
    }

    private void handle(RoutingContext rc, Target target) {
        HttpServerRequest request = rc.request();
        ContextInternal requestContext = (ContextInternal) ((HttpServerRequestInternal) request).context();
        if (!requestContext.nettyEventLoop().inEventLoop()) {
            // Authentication may finish on another thread; the proxy and its pool belong to the request's loop.
            request.pause();
            requestContext.runOnContext(v -> forward(rc, target, caller(rc)));
        } else {
            forward(rc, target, caller(rc));
        }
    }

    /** The caller Quarkus HTTP security authenticated (null when anonymous). */
    private static Caller caller(RoutingContext rc) {
        SecurityIdentity identity = identity(rc);
        if (identity == null) {
            return null;
        }
        Caller caller = rc.get(Caller.KEY);
        return caller != null && caller.identity() == identity ? caller : Caller.of(identity);
    }

    /** The methods of RFC 9110 and RFC 5789 a route forwards to its upstream: all but TRACE. */
    static final String FORWARDED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";

    private void forward(RoutingContext rc, Target target, Caller caller) {
        HttpServerRequest request = rc.request();
        RouteProxy proxy = target.proxy();
        GatewayConfig.Route route = target.route();
        SecurityIdentity identity = caller == null ? null : caller.identity();
        String clientId = caller == null ? null : caller.clientId();

        // for the access log and the metrics (observe)
        rc.put(ROUTE_KEY, proxy.name());
        if (clientId != null) {
            rc.put(CLIENT_KEY, clientId);
        }

        if (request.method() == HttpMethod.TRACE) {
            // An upstream answering TRACE echoes the request, the relayed token and cookies included. Allow (RFC 9110
            // §15.5.6) names the methods the gateway forwards; which of them the path serves, the service answers.
            problems.write(rc, ProblemType.METHOD_NOT_ALLOWED, "网关不转发 TRACE 请求 / TRACE is not forwarded",
                    Map.of(), Map.of("Allow", FORWARDED_METHODS));
            return;
        }

        if (request.path().indexOf(';') >= 0) {
            // The services strip ";..." matrix parameters from each segment before matching a resource, the path
            // permissions do not: /accounts;x would be the admins' accounts API upstream and "any token" here, and
            // "..;" a dot segment. Clients encode a ";" that is data (%3B), which stays data upstream.
            problems.write(rc, ProblemType.BAD_REQUEST, "路径不能含 ; （矩阵参数）/ the path must not contain ';' "
                    + "(matrix parameters); encode a ';' that is data as %3B", Map.of("field", "path"), Map.of());
            return;
        }

        if (dotSegment(request.path())) {
            // The edge decided on the path without its dot segments, vertx-http-proxy would forward it as sent: the
            // upstream must get the very path that was checked. Clients remove dot segments before sending
            // (RFC 3986 §5.2.4), so only a crafted request has one.
            problems.write(rc, ProblemType.BAD_REQUEST, "路径不能含 . 或 .. 段 / the path must not contain . or .. "
                    + "segments", Map.of("field", "path"), Map.of());
            return;
        }

        if (caller != null && !caller.session() && identity.getPrincipal() instanceof JsonWebToken
                && target.audiences().length > 0 && !anyOf(target.audiences(), caller.audiences())) {
            problems.insufficientScope(rc, "令牌的受众不包含此 API / the token's audience does not include this API",
                    "the token's audience does not include this API");
            return;
        }

        if (caller != null && caller.session() && !safe(request.method()) && !sameOrigin(request)) {
            // The console's session cookie authenticates this call, so only the console's own pages may change
            // anything with it (SameSite=Strict stops other sites; this also stops sibling origins of one site).
            problems.write(rc, ProblemType.FORBIDDEN, "会话凭据只能用于本站页面发起的修改请求 / a session may change "
                    + "data only from the console's own pages (Origin or Sec-Fetch-Site must be same-origin)");
            return;
        }

        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLarge(length, target.maxBodySize())) {
            // The body stays unread: close the connection after answering.
            problems.write(rc, ProblemType.PAYLOAD_TOO_LARGE, "请求体超过上限 " + target.maxBodySize()
                    + " 字节 / request body exceeds " + target.maxBodySize() + " bytes", Map.of(),
                    Map.of("Connection", "close"));
            return;
        }

        if (route.rateLimited() && rateLimiter.enabled()) {
            String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
            if (route.rateLimitKind() != GatewayConfig.RateLimitKind.API) {
                protocolLimit(rc, target, identity, OidcEndpoints.addressKey(address));
                return;
            }
            String department = caller == null ? null : caller.department();
            String person = caller == null ? null : caller.personKey();
            decide(rc, proxy, route, identity, () -> rateLimiter.consume(proxy.name(), clientId, person, department,
                    address));
            return;
        }
        send(rc, proxy, route, identity);
    }

    /**
     * The rate limit on identity's protocol surface, whose callers the edge does not authenticate: a call of a
     * client-authenticated endpoint counts against the client it names at the caller's address — named in
     * {@code Authorization} (Basic, or a bearer token's client at UserInfo), else in its form, which is read whole for
     * that (at most the route's limit, within its body timeout, after the address's ceiling allowed it) and then sent
     * upstream as read —; pages and metadata against the address. {@code address} is already the key of the caller's
     * address ({@link OidcEndpoints#addressKey}: an IPv6 caller's /64).
     */
    private void protocolLimit(RoutingContext rc, Target target, SecurityIdentity identity, String address) {
        HttpServerRequest request = rc.request();
        RouteProxy proxy = target.proxy();
        GatewayConfig.Route route = target.route();
        OidcEndpoints.Endpoint endpoint;
        if (route.rateLimitKind() == GatewayConfig.RateLimitKind.METADATA) {
            endpoint = OidcEndpoints.Endpoint.METADATA;
        } else {
            String path = rc.normalizedPath();
            endpoint = OidcEndpoints.classify(path.length() > target.prefix().length()
                    ? path.substring(target.prefix().length()) : "/");
        }
        if (endpoint != OidcEndpoints.Endpoint.CLIENT) {
            decide(rc, proxy, route, identity, () -> rateLimiter.consumeProtocol(proxy.name(), endpoint, null,
                    address));
            return;
        }
        String named = OidcEndpoints.fromAuthorization(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (named != null || request.method() != HttpMethod.POST
                || !OidcEndpoints.form(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
            decide(rc, proxy, route, identity, () -> rateLimiter.consumeProtocol(proxy.name(), endpoint, named,
                    address));
            return;
        }
        // The address's ceiling first, before a byte of the form is read: every read at the edge costs a token of
        // it, so an address cannot hold more slow reads open than its ceiling allows.
        decided(rc, () -> rateLimiter.consumeClientCeiling(proxy.name(), address), ceiling -> {
            if (!ceiling.allowed()) {
                // the body stays unread: close the connection after answering
                closeAfterAnswer(rc);
                if (rc.request().version() != HttpVersion.HTTP_2) {
                    rc.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                }
                limited(rc, proxy, route, identity, ceiling);
                return;
            }
            readForm(rc, target, identity, address);
        });
    }

    /** Reads a client-authenticated call's form whole (the ceiling allowed it), then asks the client's bucket. */
    private void readForm(RoutingContext rc, Target target, SecurityIdentity identity, String address) {
        HttpServerRequest request = rc.request();
        RouteProxy proxy = target.proxy();
        GatewayConfig.Route route = target.route();
        if (request.headers().contains(HttpHeaders.EXPECT)) {
            // the body is needed to decide: the client may send it now (a refusal still follows as the final answer)
            expectation(request, request.headers());
        }
        ReadBody.read(request, target.maxBodySize(), route.bodyTimeout().toMillis()).onComplete(read -> {
            if (read.succeeded()) {
                RouteProxy.readBody(request, read.result());
                String client = OidcEndpoints.fromForm(read.result());
                decide(rc, proxy, route, identity, () -> rateLimiter.consumeClient(proxy.name(), client, address));
            } else if (read.cause() instanceof ReadBody.TooLarge) {
                // the rest of the body stays unread: close the connection after answering
                closeAfterAnswer(rc);
                problems.write(rc, ProblemType.PAYLOAD_TOO_LARGE, "请求体超过上限 " + target.maxBodySize()
                        + " 字节 / request body exceeds " + target.maxBodySize() + " bytes", Map.of(),
                        Map.of("Connection", "close"));
            } else if (read.cause() instanceof ReadBody.Stalled) {
                long seconds = Math.max(1, route.bodyTimeout().toSeconds());
                HttpServerResponse response = rc.response();
                if (!response.ended() && !response.closed()) {
                    String requestId = rc.get(RequestIdRoutes.CONTEXT_KEY);
                    response.setStatusCode(408).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                            .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                    if (requestId != null) {
                        response.putHeader(REQUEST_ID, requestId);
                    }
                    closeAfterAnswer(rc);
                    response.end(problems.requestTimeoutBody(request, requestId, "请求体未在 " + seconds
                            + " 秒内完整送达 / the request body did not arrive whole within " + seconds + " s"));
                }
            }
            // otherwise the connection failed: nobody is left to answer
        });
    }

    /**
     * Closes an HTTP/1 connection once the answer about to be written is sent: the rest of the request's body will
     * not be read.
     */
    private static void closeAfterAnswer(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.version() != HttpVersion.HTTP_2) {
            rc.addEndHandler(v -> request.connection().close());
        }
    }

    /** The rate limit's decision, off the event loop when its store is shared; then the request is sent or refused. */
    private void decide(RoutingContext rc, RouteProxy proxy, GatewayConfig.Route route, SecurityIdentity identity,
            java.util.function.Supplier<RateLimiter.Decision> consume) {
        decided(rc, consume, decision -> limited(rc, proxy, route, identity, decision));
    }

    /** Takes the rate limiter's decision (off the event loop when it asks the shared store), then goes on with it. */
    private void decided(RoutingContext rc, java.util.function.Supplier<RateLimiter.Decision> consume,
            java.util.function.Consumer<RateLimiter.Decision> then) {
        HttpServerRequest request = rc.request();
        if (rateLimiter.blocking()) {
            // The shared store is a database round trip: off the event loop, body held until the decision.
            request.pause();
            Vertx.currentContext().<RateLimiter.Decision>executeBlocking(consume::get, false)
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            then.accept(ar.result());
                        } else {
                            // Not the store (its failures let the request through) but the limiter itself:
                            // rare and passing, so a short pause before the next try.
                            LOG.warnf("rate limiter failed on %s: %s", request.path(), ar.cause());
                            problems.write(rc, ProblemType.UNAVAILABLE, "限流服务暂时不可用，请在 "
                                    + LIMITER_RETRY_AFTER + " 秒后重试 / the rate limiter failed to answer, retry in "
                                    + LIMITER_RETRY_AFTER + " s", Map.of(),
                                    Map.of("Retry-After", LIMITER_RETRY_AFTER));
                        }
                    });
            return;
        }
        then.accept(consume.get());
    }

    /** A "." or ".." segment, also percent-encoded ({@code %2e}). */
    static boolean dotSegment(String path) {
        if (path == null || (path.indexOf('.') < 0 && path.indexOf('%') < 0)) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            String s = segment.toLowerCase(java.util.Locale.ROOT).replace("%2e", ".");
            if (s.equals(".") || s.equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static boolean safe(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
    }

    /** Browsers send Sec-Fetch-Site, or at least Origin, on every state-changing fetch and form post. */
    static boolean sameOrigin(HttpServerRequest request) {
        String fetchSite = request.getHeader("Sec-Fetch-Site");
        if (fetchSite != null) {
            return "same-origin".equals(fetchSite);
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        return origin != null && isOwnOrigin(request, origin);
    }

    /** Whether the origin is the gateway's own, as the request reached it. */
    static boolean isOwnOrigin(HttpServerRequest request, String origin) {
        if (request.authority() == null) {
            return false;
        }
        String scheme = request.scheme() == null ? "http" : request.scheme();
        return origin.equalsIgnoreCase(scheme + "://" + request.authority());
    }

    private static boolean anyOf(String[] wanted, Set<String> present) {
        for (String audience : wanted) {
            if (present.contains(audience)) {
                return true;
            }
        }
        return false;
    }

    private void limited(RoutingContext rc, RouteProxy proxy, GatewayConfig.Route route, SecurityIdentity identity,
            RateLimiter.Decision decision) {
        HttpServerResponse response = rc.response();
        if (decision.known()) {
            response.putHeader(RATE_LIMIT_LIMIT, Long.toString(decision.limit()));
            response.putHeader(RATE_LIMIT_REMAINING, Long.toString(decision.remaining()));
            response.putHeader(RATE_LIMIT_RESET, Long.toString(decision.resetSeconds()));
            response.putHeader(RATE_LIMIT_POLICY, decision.policy());
        }
        if (!decision.allowed()) {
            problems.rateLimited(rc, decision.retryAfterSeconds());
            return;
        }
        send(rc, proxy, route, identity);
    }

    private void send(RoutingContext rc, RouteProxy proxy, GatewayConfig.Route route, SecurityIdentity identity) {
        HttpServerRequest request = rc.request();
        MultiMap headers = request.headers();
        // First the client's own hop-by-hop choices, then the gateway's headers: a field the client names in
        // Connection never removes a forwarding header, the request id or the relayed token.
        HopByHop.removeClientNamed(headers);
        // No upgrade is ever proxied (no WebSocket tunnel, no h2c towards the upstream).
        headers.remove(HttpHeaders.UPGRADE);
        setForwarding(request, headers);
        String requestId = rc.get(RequestIdRoutes.CONTEXT_KEY);
        if (requestId != null) {
            headers.set(REQUEST_ID, requestId);
        }
        if (!route.forwardCookies()) {
            headers.remove(HttpHeaders.COOKIE);
        } else {
            // The console's session and token cookies (path /) are the gateway's alone.
            ConsoleCookies.remove(headers);
        }
        if (identity != null && identity.getCredential(IdTokenCredential.class) != null) {
            // Token relay: a console session's access token goes upstream as a bearer token, in place of any
            // Authorization the client sent, which the session's authentication did not check.
            AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
            if (access != null && access.getToken() != null) {
                headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + access.getToken());
            } else {
                headers.remove(HttpHeaders.AUTHORIZATION);
            }
        }
        if (headers.contains(HttpHeaders.EXPECT)) {
            expectation(request, headers);
        }
        if (request.version() == HttpVersion.HTTP_1_0) {
            // An HTTP/1.0 answer without a length ends with the connection (RouteInterceptor closes it); Vert.x would
            // announce keep-alive to a client that asked for it.
            rc.addHeadersEndHandler(v -> {
                MultiMap answer = rc.response().headers();
                if (!answer.contains(HttpHeaders.CONTENT_LENGTH)) {
                    answer.set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
                }
            });
        }
        proxy.handle(request);
    }

    /**
     * {@code Expect: 100-continue}: the client waits for a 100 before it sends its body, and vertx-http-proxy relays
     * no interim answer from the upstream, so the gateway gives it here, once the edge has accepted the request
     * (token, size, rate limit: a refusal before this point is the final answer and no body is sent). The expectation
     * is met, so it does not go upstream.
     */
    private static void expectation(HttpServerRequest request, MultiMap headers) {
        if (request.version() != HttpVersion.HTTP_1_0
                && HttpHeaders.CONTINUE.toString().equalsIgnoreCase(headers.get(HttpHeaders.EXPECT))) {
            request.response().writeContinue();
        }
        headers.remove(HttpHeaders.EXPECT);
    }

    private static void setForwarding(HttpServerRequest request, MultiMap headers) {
        for (CharSequence name : FORWARDING) {
            headers.remove(name);
        }
        removeXForwarded(headers);
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String scheme = request.scheme() == null ? "http" : request.scheme();
        String host = request.authority() == null ? null : request.authority().toString();
        headers.set(X_FORWARDED_FOR, client);
        headers.set(X_FORWARDED_PROTO, scheme);
        String forwarded = "for=" + (client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client) + ";proto=" + scheme;
        if (host != null) {
            headers.set(X_FORWARDED_HOST, host);
            forwarded += ";host=\"" + host + "\"";
        }
        headers.set(FORWARDED, forwarded);
    }

    /**
     * Every {@code X-Forwarded-*} field of the client's: the services' HTTP layer believes more of the family than
     * the gateway sets ({@code X-Forwarded-Ssl: on} makes a request https whatever {@code X-Forwarded-Proto} says,
     * {@code X-Forwarded-Port}, {@code -Prefix}, {@code -Trusted-Proxy}), so none of a client's may pass. Allocates
     * only when the request has one.
     */
    static void removeXForwarded(MultiMap headers) {
        List<String> found = null;
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey();
            if (name.regionMatches(true, 0, X_FORWARDED_PREFIX, 0, X_FORWARDED_PREFIX.length())) {
                if (found == null) {
                    found = new ArrayList<>(4);
                }
                found.add(name);
            }
        }
        if (found != null) {
            for (String name : found) {
                headers.remove(name);
            }
        }
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

    private static final String ROUTE_KEY = "gateway.route";
    private static final String CLIENT_KEY = "gateway.client";

    /** The route name of requests to no route under {@code /api/}: one label for any number of unknown paths. */
    static final String UNMATCHED = "unmatched";

    /**
     * Every request to a route or elsewhere under {@code /api/} is logged and counted when its answer ends, whoever
     * answers it: the route, the edge's refusals (401, 403, 413, 429, CORS, a bad path) and the router's 404.
     */
    private void observe(RoutingContext rc) {
        String path = rc.normalizedPath();
        if (path != null && (path.startsWith("/api/") && path.length() > "/api/".length()
                || routeOf(path) != null)) {
            Finish finish = new Finish(rc, System.nanoTime());
            rc.addEndHandler(finish);
            RouteProxy.onAnswerCut(rc.request(), finish);
        }
        rc.next();
    }

    /** The name of the route a normalised path belongs to, as the router matches it; null if none. */
    String routeOf(String path) {
        String openapi = openApiRoutes.get(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
        if (openapi != null) {
            return openapi;
        }
        for (Map.Entry<String, String> route : prefixRoutes.entrySet()) {
            String prefix = route.getKey();
            if (path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
                return route.getValue();
            }
        }
        return null;
    }

    /**
     * The status logged and counted for a request whose client closed the connection before any answer (nginx's):
     * the response's own status would read 200, as if answered.
     */
    static final int CLIENT_CLOSED = 499;

    /**
     * The end of an observed request, logged and counted once: when the routing context ends (also when the
     * connection closes first, which Vert.x reports as an end) or when the upstream's answer is cut off (which runs no
     * end handler at all).
     */
    private final class Finish implements io.vertx.core.Handler<io.vertx.core.AsyncResult<Void>>, Runnable {
        private final RoutingContext rc;
        private final long start;
        private boolean finished;

        Finish(RoutingContext rc, long start) {
            this.rc = rc;
            this.start = start;
        }

        @Override
        public void handle(io.vertx.core.AsyncResult<Void> end) {
            finish(end.succeeded() && rc.response().ended());
        }

        /** The answer is being cut off. */
        @Override
        public void run() {
            finish(false);
        }

        private void finish(boolean complete) {
            if (!finished) {
                finished = true;
                done(rc, start, complete);
            }
        }
    }

    /** {@code complete}: the answer was sent whole (not cut off, the connection not closed before its end). */
    private void done(RoutingContext rc, long start, boolean complete) {
        String route = rc.get(ROUTE_KEY);
        if (route == null) {
            route = routeOf(rc.normalizedPath());
        }
        if (route == null) {
            route = UNMATCHED;
        }
        String clientId = rc.get(CLIENT_KEY);
        if (clientId == null) {
            // refused before the route: the caller authentication found, if any
            Caller caller = rc.get(Caller.KEY);
            SecurityIdentity identity = identity(rc);
            clientId = caller != null ? caller.clientId() : identity == null ? null : Caller.of(identity).clientId();
        }
        long nanos = System.nanoTime() - start;
        String method = rc.request().method().name();
        if (!KNOWN_METHODS.contains(method)) {
            method = "OTHER";
        }
        boolean gone = RouteProxy.clientGone(rc.request());
        if (gone) {
            complete = false;
        }
        int status = gone || !complete && !rc.response().headWritten() ? CLIENT_CLOSED
                : rc.response().getStatusCode();
        metrics.record(route, method, status, nanos);
        if (config.accessLog().enabled() && ACCESS.isInfoEnabled()) {
            JsonObject line = new JsonObject()
                    .put("route", route)
                    .put("method", method)
                    .put("path", LoggedPath.of(rc.request().path()))
                    .put("status", status)
                    .put("latencyMs", nanos / 1_000_000.0)
                    .put("bytesSent", rc.response().bytesWritten())
                    .put("complete", complete)
                    .put("client", clientId == null ? "anonymous" : clientId)
                    .put("requestId", (String) rc.get(RequestIdRoutes.CONTEXT_KEY));
            ACCESS.info(line.encode());
        }
    }

    /** A proxied route with the settings its checks read on every request. */
    private record Target(String prefix, RouteProxy proxy, GatewayConfig.Route route, String[] audiences,
            long maxBodySize) {
        Target(String prefix, RouteProxy proxy, GatewayConfig.Route route) {
            this(prefix, proxy, route, route.audiences().orElse(List.of()).toArray(String[]::new),
                    route.maxBodySize().asLongValue());
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
        public java.time.Duration bodyTimeout() {
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

        @Override
        public boolean edgeAuthentication() {
            return true;
        }

        @Override
        public GatewayConfig.RateLimitKind rateLimitKind() {
            return GatewayConfig.RateLimitKind.API;
        }
    }
}
