package cn.onenet.gateway.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The web console (管理控制台) for admins, reviewers, department staff and citizens: one page whose script
 * calls the suite's APIs through the gateway with the session cookie, the gateway relaying the user's access token
 * (so each service applies its own rules to the user). The page also shows that the relay works (one API called
 * with the user's token). Logged-in users only; others are sent to the login page.
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
        // An agent (经办人) acting for an enterprise or a citizen: the tokens name the principal; act names the agent.
        JsonObject actor = actor(accessTokenClaims());
        String user = actor == null ? name
                : name + "（经办人 " + actor.getString("name", actor.getString("sub", "")) + " 代为办理 / agent acting)";
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
                <html lang="zh-CN"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>一网通办 控制台 / Console</title>
                <link rel="icon" type="image/svg+xml" href="/console/assets/icon.svg">
                <link rel="stylesheet" href="/console/assets/console.css">
                <script type="module" src="/console/assets/console.js"></script>
                </head>
                <body>
                <header>
                <h1>一网通办 控制台 <small lang="en">Console</small></h1>
                <p id="user">欢迎 / Welcome, <strong>%s</strong></p>
                <p id="relay">以您的令牌调用 / API called with your token: <code>%s</code> → <strong>%s</strong></p>
                <p class="links"><a href="/console/logout">退出登录 / Log out</a> · <a href="/api">API 目录 / API index</a></p>
                </header>
                <nav id="nav" aria-label="功能 / sections"></nav>
                <div id="notice" role="status" aria-live="polite"></div>
                <main id="app"><p>加载中… / Loading…</p></main>
                <noscript><p id="noscript">控制台需要启用 JavaScript，请在浏览器中允许本站运行脚本后刷新。 / The console needs
                JavaScript: allow this site to run scripts, then reload the page.</p></noscript>
                </body></html>
                """.formatted(escape(name), escape(probe), escape(result));
    }

    private static final String SESSION_EXAMPLE = """
            {"subject":"8d0f7a52-1c9e-4d57-a1f4-5b0f3c2e9a11","name":"王芳","accountType":"civil_servant",
             "roles":["reviewer"],"department":"11330000002482170X","region":"330000","competentAuthority":true,
             "acr":"urn:cn:gov:loa:3",
             "expiresAt":1796544000,"actor":null}""";
    private static final String AGENT_SESSION_EXAMPLE = """
            {"subject":"3f6c2b8e-7a41-4c0e-9d25-8e1b7c6a5f30","name":"杭州某某科技有限公司","accountType":"legal_person",
             "roles":[],"department":null,"region":null,"competentAuthority":false,"acr":"urn:cn:gov:loa:3",
             "expiresAt":1796544000,
             "actor":{"subject":"8d0f7a52-1c9e-4d57-a1f4-5b0f3c2e9a11","name":"李四"}}""";

    /**
     * Who the console's user is, for the page to show the sections their roles open. Read from the session's access
     * token, which came from the token endpoint over the back channel; the services check it again on every call.
     */
    @GET
    @Path("/session")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The console user's name, roles, department, region and whether the department is its "
            + "region's 主管部门 (competentAuthority) (logged-in console users). When an "
            + "agent (经办人) acts for an enterprise or a citizen, subject and name are the principal's and actor names "
            + "the agent (the token's act claim); otherwise actor is null.")
    @APIResponse(responseCode = "200", description = "the session's user", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = {
                @ExampleObject(name = "reviewer", value = SESSION_EXAMPLE),
                @ExampleObject(name = "agent", value = AGENT_SESSION_EXAMPLE) }))
    public Map<String, Object> session() {
        JsonObject claims = accessTokenClaims();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("subject", claims.getString("sub", identity.getPrincipal().getName()));
        String name = identity.getPrincipal() instanceof JsonWebToken idToken
                ? firstNonNull(idToken.getClaim("name"), claims.getString("name"), idToken.getSubject())
                : firstNonNull(claims.getString("name"), identity.getPrincipal().getName());
        out.put("name", name);
        out.put("accountType", claims.getString("account_type"));
        List<String> roles = new ArrayList<>();
        Object claimed = claims.getValue("roles");
        if (claimed instanceof JsonArray array) {
            array.forEach(role -> roles.add(String.valueOf(role)));
        }
        out.put("roles", roles);
        out.put("department", claims.getString("dept"));
        out.put("region", claims.getString("region"));
        // 本级政务数据共享主管部门: only its reviewers take the catalogue's and the exchange's decisions
        out.put("competentAuthority", Boolean.TRUE.equals(claims.getValue("competent_authority")));
        out.put("acr", claims.getString("acr"));
        out.put("expiresAt", claims.getLong("exp"));
        JsonObject act = actor(claims);
        Map<String, Object> actor = null;
        if (act != null) {
            actor = new LinkedHashMap<>();
            actor.put("subject", act.getString("sub"));
            actor.put("name", act.getString("name"));
        }
        out.put("actor", actor);
        return out;
    }

    /** The token's act claim (RFC 8693: the agent acting for the subject), or null. */
    private static JsonObject actor(JsonObject claims) {
        return claims.getValue("act") instanceof JsonObject act ? act : null;
    }

    private JsonObject accessTokenClaims() {
        AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
        if (access == null || access.getToken() == null) {
            return new JsonObject();
        }
        String[] parts = access.getToken().split("\\.");
        if (parts.length < 2) {
            return new JsonObject();
        }
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return new JsonObject();
        }
    }

    private static final Pattern ASSET = Pattern.compile("[a-z][a-z-]{0,40}\\.(js|css|svg)");

    /**
     * The console's scripts, style sheet and icon (classpath {@code console/}); anything else is 404. The page names
     * its icon, so browsers do not ask for {@code /favicon.ico}, which the gateway does not serve.
     */
    @GET
    @Path("/assets/{name}")
    @Operation(summary = "The console's scripts, style sheet and icon (logged-in console users).")
    public Response asset(@PathParam("name") String name) throws IOException {
        if (!ASSET.matcher(name).matches()) {
            throw new NotFoundException();
        }
        try (InputStream in = ConsoleResource.class.getClassLoader().getResourceAsStream("console/" + name)) {
            if (in == null) {
                throw new NotFoundException();
            }
            String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
                    : name.endsWith(".svg") ? "image/svg+xml" : "text/css; charset=utf-8";
            return Response.ok(in.readAllBytes(), type).header("Cache-Control", "no-cache").build();
        }
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
