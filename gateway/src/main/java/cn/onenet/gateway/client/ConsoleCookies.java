package cn.onenet.gateway.client;

import java.util.List;

import io.vertx.core.MultiMap;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * The console's own cookies (quarkus-oidc's session, token, state and logout cookies of the tenant {@code console}):
 * they hold the console's tokens, encrypted by the gateway, and concern no upstream. On a route that forwards
 * cookies (identity's login pages on {@code /oidc/**}) they are taken out of the Cookie header; every other cookie
 * goes on.
 */
public final class ConsoleCookies {

    private static final String[] PREFIXES = { "q_session", "q_auth", "q_post_logout" };
    /** What follows a prefix in the console tenant's cookie names: {@code q_session_at_console}, {@code q_auth_console_<id>}... */
    private static final String[] TENANT_PARTS = { "_console", "_at_console", "_rt_console" };

    /** quarkus-oidc's post-logout state cookie of the console tenant (set by {@code /console/logout}). */
    public static final String POST_LOGOUT = "q_post_logout_console";

    private ConsoleCookies() {
    }

    /**
     * quarkus-oidc gives the post-logout state cookie HttpOnly and the session cookie's Secure, but no SameSite.
     * Lax, like the login's state cookie: it must come back with the top-level redirect from identity-service's
     * logout page (Strict would drop it when identity-service is another site), and no other site's request
     * carries it.
     */
    public static void postLogoutSameSite(HttpServerResponse response) {
        Cookie cookie = response.removeCookie(POST_LOGOUT, false);
        if (cookie != null) {
            response.addCookie(cookie.setSameSite(CookieSameSite.LAX));
        }
    }

    /** Removes the console's cookies from the request's Cookie header lines; the header goes if nothing is left. */
    public static void remove(MultiMap headers) {
        List<String> lines = headers.getAll(HttpHeaders.COOKIE);
        if (lines.isEmpty()) {
            return;
        }
        boolean removed = false;
        StringBuilder kept = new StringBuilder();
        for (String line : lines) {
            for (String pair : line.split(";")) {
                String cookie = pair.trim();
                if (cookie.isEmpty()) {
                    continue;
                }
                int eq = cookie.indexOf('=');
                if (isConsoles(eq < 0 ? cookie : cookie.substring(0, eq).trim())) {
                    removed = true;
                    continue;
                }
                if (kept.length() > 0) {
                    kept.append("; ");
                }
                kept.append(cookie);
            }
        }
        if (!removed) {
            return;
        }
        headers.remove(HttpHeaders.COOKIE);
        if (kept.length() > 0) {
            headers.set(HttpHeaders.COOKIE, kept.toString());
        }
    }

    static boolean isConsoles(String name) {
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                String rest = name.substring(prefix.length());
                for (String part : TENANT_PARTS) {
                    if (rest.equals(part) || rest.startsWith(part + "_")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
