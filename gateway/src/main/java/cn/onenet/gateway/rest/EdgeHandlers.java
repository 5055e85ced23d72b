package cn.onenet.gateway.rest;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import cn.onenet.common.problem.ProblemType;
import cn.onenet.common.problem.RefusalHeaders;
import cn.onenet.common.requestid.RequestIdRoutes;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.gateway.client.ConsoleCookies;
import cn.onenet.gateway.client.RepeatedHeaders;
import cn.onenet.gateway.client.UpstreamDate;
import cn.onenet.gateway.service.ConsoleTenantResolver;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.AuthenticationRedirectException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Edge hygiene on every response: security headers, and problem+json for security failures raised outside JAX-RS
 * (Quarkus HTTP security fails the routing context; without this handler the proxied routes would answer with an
 * empty 401/403 body).
 */
@ApplicationScoped
public class EdgeHandlers implements RefusalHeaders {

    private static final Logger LOG = Logger.getLogger(EdgeHandlers.class);

    private final ProblemWriter problems;
    private final HealthAccess health;
    private final Set<String> allowedOrigins;
    private final String logoutPath;

    public EdgeHandlers(ProblemWriter problems, HealthAccess health,
            @ConfigProperty(name = "quarkus.http.cors.origins") Optional<List<String>> allowedOrigins,
            @ConfigProperty(name = "quarkus.oidc.console.logout.path") Optional<String> logoutPath) {
        this.problems = problems;
        this.health = health;
        this.allowedOrigins = Set.copyOf(allowedOrigins.orElse(List.of()));
        // where quarkus-oidc sets the console's post-logout cookie
        this.logoutPath = logoutPath.orElse("/console/logout");
    }

    void register(@Observes Router router) {
        // Ahead of Quarkus's CORS filter (same order, registered earlier).
        // The security headers first of all, so that every answer carries them, also the body-size 413 (MIN + 11)
        // and anything else answered before the request id is known; the foreign-origin 403 needs the request id.
        router.route().order(Integer.MIN_VALUE).handler(this::addSecurityHeaders);
        router.route().order(Integer.MIN_VALUE).handler(this::markForeignOrigins);
        router.route().order(Integer.MIN_VALUE + 20).handler(this::refuseForeignOrigins);
        router.route().order(Integer.MIN_VALUE + 20).failureHandler(this::failure);
    }

    // Names and values as pre-encoded ASCII strings: they go on every answer.
    private static final CharSequence HSTS = HttpHeaders.createOptimized("Strict-Transport-Security");
    private static final CharSequence HSTS_VALUE = HttpHeaders.createOptimized("max-age=31536000; includeSubDomains");
    private static final CharSequence CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence FRAME_OPTIONS = HttpHeaders.createOptimized("X-Frame-Options");
    private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
    private static final CharSequence REFERRER_POLICY = HttpHeaders.createOptimized("Referrer-Policy");
    // Not no-referrer: with it browsers send "Origin: null" on same-origin form posts (the login page), which the
    // CORS allow-list must refuse. same-origin still leaks nothing to other sites.
    private static final CharSequence SAME_ORIGIN = HttpHeaders.createOptimized("same-origin");
    private static final CharSequence CSP = HttpHeaders.createOptimized("Content-Security-Policy");
    private static final CharSequence CSP_VALUE = HttpHeaders
            .createOptimized("default-src 'self'; frame-ancestors 'none'; object-src 'none'");

    private static final String FOREIGN_ORIGIN = "gateway.foreignOrigin";

    /**
     * Browsers may call from the configured origins or from the gateway's own; anything else is refused as
     * problem+json (with its request id) once the request id is known. Quarkus's CORS filter, next in line, would
     * refuse with an empty 403, so it is shown the request without its foreign Origin.
     */
    private void markForeignOrigins(RoutingContext rc) {
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !allowedOrigins.contains(origin) && !ProxyRoutes.isOwnOrigin(rc.request(), origin)) {
            rc.put(FOREIGN_ORIGIN, origin);
            rc.request().headers().remove(HttpHeaders.ORIGIN);
        }
        rc.next();
    }

    private void addSecurityHeaders(RoutingContext rc) {
        // On the routing context, not the response: the code flow's cookie handling sets the response's single
        // headers-end handler too, and would replace these.
        rc.addHeadersEndHandler(v -> {
            securityHeaders(rc.response());
            UpstreamDate.restore(rc.request(), rc.response().headers());
            if (logoutPath.equals(rc.normalizedPath())) {
                ConsoleCookies.postLogoutSameSite(rc.response());
            }
        });
        rc.next();
    }

    private void refuseForeignOrigins(RoutingContext rc) {
        if (rc.request().version() != HttpVersion.HTTP_2 && repeatedHost(rc)) {
            return;
        }
        if (isMetrics(rc.normalizedPath()) && !MetricsAccess.internal(rc.request())) {
            problems.write(rc, ProblemType.NOT_FOUND, ProblemType.NOT_FOUND.title(false));
            return;
        }
        String foreign = rc.get(FOREIGN_ORIGIN);
        if (foreign != null) {
            problems.write(rc, ProblemType.FORBIDDEN, "不允许来自 " + foreign + " 的跨域调用 / calls from origin "
                    + foreign + " are not allowed (CORS)", Map.of("origin", foreign), Map.of());
            return;
        }
        if (health.answeredWithStatusOnly(rc)) {
            return;
        }
        rc.next();
    }

    /** A request with two Host lines (RFC 9112 §3.2: 400, whichever the values). */
    private boolean repeatedHost(RoutingContext rc) {
        if (!RepeatedHeaders.repeated(rc.request().headers(), HOST)) {
            return false;
        }
        problems.write(rc, ProblemType.BAD_REQUEST, "Host 请求头只能有一个 / exactly one Host header is allowed",
                Map.of("field", "Host"), Map.of());
        return true;
    }

    private static final io.netty.util.AsciiString HOST = io.netty.util.AsciiString.cached("host");

    /** Whether the request names the server as the router requires (Host, or HTTP/2's :authority; none in 1.0). */
    private static boolean validAuthority(RoutingContext rc) {
        return rc.request().version() == HttpVersion.HTTP_1_0
                || ((HttpServerRequestInternal) rc.request()).isValidAuthority();
    }

    private static boolean isMetrics(String path) {
        return path != null && path.startsWith("/q/metrics")
                && (path.length() == "/q/metrics".length() || path.charAt("/q/metrics".length()) == '/');
    }

    /** The security headers on what the HTTP decoder refuses too (it answers before any route handler runs). */
    @Override
    public void accept(HttpServerResponse response) {
        securityHeaders(response);
    }

    private static void securityHeaders(HttpServerResponse response) {
        MultiMap headers = response.headers();
        headers.set(HSTS, HSTS_VALUE);
        headers.set(CONTENT_TYPE_OPTIONS, NOSNIFF);
        headers.set(FRAME_OPTIONS, DENY);
        headers.set(REFERRER_POLICY, SAME_ORIGIN);
        if (!headers.contains(CSP)) {
            headers.set(CSP, CSP_VALUE);
        }
    }

    /** The path permissions refused the caller's roles. */
    private void lacksRole(RoutingContext rc) {
        problems.insufficientScope(rc, "当前身份无权访问此资源 / the caller lacks the required role",
                "the token lacks a role this call requires");
    }

    /**
     * A page load of the console whose session quarkus-oidc refused: never the 401 problem+json an API call gets,
     * which a browser would show as raw JSON. quarkus-oidc refuses an ended session (a back-channel logout it
     * recorded, an expired one it could not refresh) after its challenge has set the redirect to the login page,
     * then fails the request: that redirect is the answer, a new sign-in. A sign-in it could not complete (401
     * without a redirect) gets a page linking to a new one.
     */
    private void consolePageLoadRefused(RoutingContext rc) {
        HttpServerResponse response = rc.response();
        if (response.getStatusCode() == 302 && response.headers().contains(HttpHeaders.LOCATION)) {
            response.end();
        } else {
            problems.signInAgain(rc);
        }
    }

    private void failure(RoutingContext rc) {
        Throwable failure = rc.failure();
        if (rc.response().ended()) {
            return;
        }
        if (failure instanceof AuthenticationRedirectException) {
            // The code flow's redirect to the login page is handled by Quarkus.
            rc.next();
            return;
        }
        if (rc.get(RequestIdRoutes.CONTEXT_KEY) == null) {
            // Refused by the router before any handler ran (no valid Host, a target that is not a path): this answer
            // gets the request id and the security headers the first handlers give every other one.
            rc.put(RequestIdRoutes.CONTEXT_KEY, RequestIds.acceptOrCreate(rc.request().getHeader(RequestIds.HEADER)));
            securityHeaders(rc.response());
        }
        if (failure instanceof ForbiddenException) {
            lacksRole(rc);
        } else if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException
                || failure instanceof AuthenticationCompletionException
                || failure instanceof AuthenticationException || rc.statusCode() == 401) {
            if (ConsoleTenantResolver.consolePath(rc.normalizedPath()) && ProblemWriter.navigation(rc.request())) {
                consolePageLoadRefused(rc);
            } else {
                problems.unauthorized(rc);
            }
        } else if (rc.statusCode() == 403) {
            lacksRole(rc);
        } else if (rc.statusCode() == 413) {
            problems.write(rc, ProblemType.PAYLOAD_TOO_LARGE, "请求体过大 / request body too large");
        } else if (failure instanceof io.quarkus.oidc.OIDCException) {
            // The console tenant could not reach identity-service (it is retried on the next request).
            LOG.warnf("Identity provider unreachable for the console: %s", failure.getMessage());
            problems.write(rc, ProblemType.UNAVAILABLE, "统一身份认证服务暂不可用，请稍后再试 / the identity service is "
                    + "unavailable, try again shortly", Map.of(), Map.of("Retry-After", "5"));
        } else if (rc.statusCode() == 400 && !validAuthority(rc)) {
            problems.write(rc, ProblemType.BAD_REQUEST, "缺少或无效的 Host 请求头 / the Host header is missing or "
                    + "invalid", Map.of("field", "Host"), Map.of());
        } else if (rc.statusCode() >= 400 && rc.statusCode() < 500) {
            // The router's own refusals (a target that is not a path) fail with their status and an exception.
            problems.write(rc, ProblemType.forStatus(rc.statusCode()), ProblemType.forStatus(rc.statusCode())
                    .title(false));
        } else {
            LOG.error("Unexpected failure at the edge", failure);
            problems.write(rc, ProblemType.INTERNAL,
                    "网关内部错误，请凭请求编号联系运维 / internal error, quote the request id to the operators");
        }
    }
}
