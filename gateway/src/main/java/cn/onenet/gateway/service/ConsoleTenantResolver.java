package cn.onenet.gateway.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.TenantResolver;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Picks the OIDC tenant: the console's pages use the code flow ("console"); an API call that carries the console's
 * session cookie and no bearer token is the console's own page calling an API, so it is authenticated by that
 * session and its access token is relayed upstream. Everything else is the default bearer tenant.
 */
@ApplicationScoped
public class ConsoleTenantResolver implements TenantResolver {

    public static final String TENANT = "console";
    // Named, not null: with null, quarkus-oidc picks the tenant from any q_auth_/q_session_ cookie, and the console's
    // state cookie would hand /oidc/authorize (the login page itself) to the code-flow tenant.
    private static final String DEFAULT_TENANT = "Default";
    private static final String SESSION_COOKIE = "q_session_" + TENANT;

    @Override
    public String resolve(RoutingContext rc) {
        // The path the router and the path permissions see: /console/../api/... is an API call, not a console page.
        String path = rc.normalizedPath();
        if (consolePath(path)) {
            return TENANT;
        }
        if (path != null && path.startsWith("/api/") && rc.request().getHeader(HttpHeaders.AUTHORIZATION) == null
                && hasSession(rc)) {
            return TENANT;
        }
        return DEFAULT_TENANT;
    }

    /** Whether a normalised path is one of the console's own (its pages, session, callback, logout). */
    public static boolean consolePath(String path) {
        return path != null && (path.equals("/console") || path.startsWith("/console/"));
    }

    private static boolean hasSession(RoutingContext rc) {
        String cookies = rc.request().getHeader(HttpHeaders.COOKIE);
        return cookies != null && cookies.contains(SESSION_COOKIE);
    }
}
