package cn.onenet.gateway.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import cn.onenet.common.requestid.RequestIds;
import cn.onenet.gateway.client.Upstream;
import cn.onenet.gateway.client.Upstreams;
import cn.onenet.gateway.config.GatewayConfig;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The console's landing page: proves the code flow (who is logged in) and the token relay (one API called with the
 * user's access token). Logged-in users only; others are sent to the login page.
 */
@Path("/console")
@Authenticated
public class ConsoleResource {

    private final SecurityIdentity identity;
    private final Upstreams upstreams;
    private final GatewayConfig config;

    public ConsoleResource(SecurityIdentity identity, Upstreams upstreams, GatewayConfig config) {
        this.identity = identity;
        this.upstreams = upstreams;
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Console landing page (code flow login, token relay check). Logged-in users.")
    public Uni<String> landing() {
        // In the code flow the principal is the ID token.
        String name = identity.getPrincipal().getName();
        if (identity.getPrincipal() instanceof JsonWebToken idToken) {
            name = firstNonNull(idToken.getClaim("name"), idToken.getClaim("preferred_username"),
                    idToken.getSubject());
        }
        String probe = config.console().probePath();
        String user = name;
        return relayProbe(probe).map(status -> page(user, probe, status));
    }

    /** Calls the probe API on its upstream with the user's access token, as the proxy's token relay does. */
    private Uni<Integer> relayProbe(String path) {
        AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
        Upstream upstream = upstreamFor(path);
        if (access == null || upstream == null) {
            return Uni.createFrom().item(0);
        }
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setServer(upstream.address())
                .setHost(upstream.host()).setPort(upstream.port()).setSsl(upstream.ssl()).setURI(path)
                .setConnectTimeout(2000).setIdleTimeout(5000)
                .putHeader("Authorization", "Bearer " + access.getToken())
                .putHeader("Accept", "application/json");
        String requestId = RequestIds.current();
        if (requestId != null) {
            options.putHeader(RequestIds.HEADER, requestId);
        }
        return Uni.createFrom().completionStage(upstreams.client().request(options)
                .compose(request -> request.send())
                .compose(response -> response.body().map(body -> response.statusCode()))
                .otherwise(0)
                .toCompletionStage());
    }

    private Upstream upstreamFor(String path) {
        for (GatewayConfig.Route route : config.routes().values()) {
            if (path.equals(route.path()) || path.startsWith(route.path() + "/")) {
                return upstreams.all().stream().filter(u -> u.name().equals(route.upstream())).findFirst()
                        .orElse(null);
            }
        }
        return null;
    }

    private static String page(String name, String probe, int status) {
        String result = status == 0 ? "未能调用 / call failed" : "HTTP " + status;
        return """
                <!DOCTYPE html>
                <html lang="zh-CN"><head><meta charset="utf-8"><title>一网通办 控制台 / Console</title></head>
                <body>
                <h1>一网通办 控制台 <small>Console</small></h1>
                <p id="user">欢迎 / Welcome, <strong>%s</strong></p>
                <p id="relay">以您的令牌调用 / API called with your token: <code>%s</code> → <strong>%s</strong></p>
                <p><a href="/console/logout">退出登录 / Log out</a> · <a href="/api">API 目录 / API index</a></p>
                </body></html>
                """.formatted(escape(name), escape(probe), escape(result));
    }

    private static String firstNonNull(Object... values) {
        for (Object value : values) {
            if (value != null) {
                return value.toString();
            }
        }
        return "";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
