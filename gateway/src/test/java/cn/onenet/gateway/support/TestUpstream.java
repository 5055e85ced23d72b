package cn.onenet.gateway.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real HTTP upstream on a random 127.0.0.1 port: echoes what it received as JSON (the body's size and SHA-256),
 * and on request delays, fails once per key, streams a large body, drops the connection ({@code /hangup}) or
 * answers a given status, or sends a first chunk and holds the rest ({@code /held/<key>}) until released; it
 * records what arrived of the bodies sent with a key. It can be stopped and started again on its port.
 */
public final class TestUpstream {

    private final Vertx vertx;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final java.util.Set<String> hungUp = ConcurrentHashMap.newKeySet();
    private final Map<String, Received> bodies = new ConcurrentHashMap<>();
    /** Requests for the readiness endpoint received so far. */
    public final AtomicInteger readinessProbes = new AtomicInteger();
    private HttpServer server;
    private int port;

    public TestUpstream(Vertx vertx) {
        this.vertx = vertx;
    }

    public synchronized int start() {
        HttpServer created = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server = created.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("test upstream did not start", e);
        }
        port = server.actualPort();
        return port;
    }

    public synchronized void stop() {
        if (server != null) {
            try {
                server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("test upstream did not stop", e);
            }
            server = null;
        }
    }

    /**
     * What has arrived so far of the request bodies sent with {@code X-Test-Key: key}: bytes, and whether a body
     * ended (a request the gateway cut off never ends).
     */
    public Received received(String key) {
        return bodies.getOrDefault(key, new Received());
    }

    public static final class Received {
        private final AtomicLong bytes = new AtomicLong();
        private volatile boolean complete;

        public long bytes() {
            return bytes.get();
        }

        public boolean complete() {
            return complete;
        }
    }

    private static String sha256(Buffer body) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The first chunk of an answer on a {@code /held/<key>} path. */
    public static final String HELD_FIRST = "first chunk\n";

    /** The rest of an answer on a {@code /held/<key>} path, written when the test releases the key. */
    public static final String HELD_REST = "rest of the answer\n";

    private final Map<String, HttpServerRequest> held = new ConcurrentHashMap<>();

    /** Whether an answer on {@code /held/<key>} is waiting for {@link #release}. */
    public boolean holding(String key) {
        return held.containsKey(key);
    }

    /** Ends the held answer of {@code key} with {@link #HELD_REST}. */
    public void release(String key) {
        HttpServerRequest request = held.remove(key);
        if (request != null) {
            ((io.vertx.core.http.impl.HttpServerRequestInternal) request).context()
                    .runOnContext(v -> request.response().end(HELD_REST));
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.endsWith("/big")) {
            long bytes = Long.parseLong(request.getParam("bytes", "1000000"));
            request.response().setChunked(true);
            streamBig(request, bytes);
            return;
        }
        if (path.contains("/held/")) {
            // the head and a first chunk at once, the rest only once the test releases the key (never, for a
            // stalled answer)
            String key = path.substring(path.lastIndexOf('/') + 1);
            request.response().setChunked(true).putHeader("Content-Type", "text/plain");
            request.response().write(HELD_FIRST);
            held.put(key, request);
            return;
        }
        if (path.equals("/oidc/jwks")) {
            request.response().putHeader("Content-Type", "application/json").end(jwks());
            return;
        }
        if (path.equals("/oidc/revocations")) {
            revocations(request);
            return;
        }
        if (path.equals("/oidc/token")) {
            request.body().onSuccess(body -> token(request, body));
            return;
        }
        if (path.equals("/q/health/ready")) {
            readinessProbes.incrementAndGet();
        }
        if (path.endsWith("/hangup")) {
            // an upstream that drops the connection as soon as a request arrives
            request.connection().close();
            return;
        }
        if (path.contains("/hangup-once/") && hungUp.add(path.substring(path.lastIndexOf('/') + 1))) {
            // the first request of a key finds its connection closed without an answer, as a kept-alive connection
            // the upstream closed meanwhile (a restart, an idle timeout); later ones are answered
            request.connection().close();
            return;
        }
        String bodyKey = request.getHeader("X-Test-Key");
        Received received = bodyKey == null ? new Received() : bodies.computeIfAbsent(bodyKey, k -> new Received());
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            body.appendBuffer(chunk);
            received.bytes.addAndGet(chunk.length());
        });
        request.endHandler(end -> {
            received.complete = true;
            JsonObject headers = new JsonObject();
            // Each field line as it arrived, so a test can tell two lines from one line with a comma.
            JsonObject headerLines = new JsonObject();
            request.headers().forEach(h -> {
                String name = h.getKey().toLowerCase();
                headers.put(name, headers.containsKey(name) ? headers.getString(name) + "," + h.getValue()
                        : h.getValue());
                JsonArray lines = headerLines.getJsonArray(name);
                if (lines == null) {
                    lines = new JsonArray();
                    headerLines.put(name, lines);
                }
                lines.add(h.getValue());
            });
            int status = 200;
            if (path.contains("/status/")) {
                status = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
            }
            int attempt = 1;
            String key = request.getHeader("X-Test-Key");
            if (path.endsWith("/flaky") || key != null) {
                attempt = attempts.computeIfAbsent(key == null ? "" : key, k -> new AtomicInteger()).incrementAndGet();
                if (attempt == 1 && path.endsWith("/flaky")) {
                    status = 503;
                }
            }
            JsonObject echo = new JsonObject()
                    .put("method", request.method().name())
                    .put("uri", request.uri())
                    .put("headers", headers)
                    .put("headerLines", headerLines)
                    .put("bodyBytes", body.length())
                    .put("bodySha256", sha256(body))
                    .put("attempt", attempt);
            long delay = Long.parseLong(request.getParam("delay", "0"));
            int finalStatus = status;
            if (request.getParam("date") != null) {
                request.response().putHeader("Date", request.getParam("date"));
            }
            if (request.getParam("origin") != null) {
                // a failure of a system behind this service, as the exchange marks a provider's
                request.response().putHeader(cn.onenet.common.problem.FailureOrigin.HEADER, request.getParam("origin"));
            }
            if (request.getParam("allow") != null) {
                // the methods a service's 405 names
                request.response().putHeader("Allow", request.getParam("allow"));
            }
            if (request.getHeader("X-Request-Id") != null) {
                // as the services echo it (common's RequestIdRoutes)
                request.response().putHeader("X-Request-Id", request.getHeader("X-Request-Id"));
            }
            Runnable answer = () -> request.response().setStatusCode(finalStatus)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "X-Upstream-Hop")
                    .putHeader("X-Upstream-Hop", "secret")
                    .putHeader("X-Upstream-End", "kept")
                    .end(echo.encode());
            if (delay > 0) {
                vertx.setTimer(delay, t -> answer.run());
            } else {
                answer.run();
            }
        });
    }

    /**
     * A token endpoint for the console's code flow: checks the gateway's client secret, answers test tokens. The code
     * {@value #SHORT_LIVED_CODE} gets tokens that expire in 30 s (within the gateway's one-minute refresh skew). A
     * refresh grant with the refresh token of generation N answers generation N + 1; every grant is recorded.
     */
    private void token(HttpServerRequest request, Buffer body) {
        String form = body.toString();
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
                ("gateway:" + CONSOLE_SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, String> params = new java.util.HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        if (expected.equals(request.getHeader("Authorization"))) {
            TOKEN_GRANTS.add(params);
        }
        if ("client_credentials".equals(params.get("grant_type"))) {
            // a department system's grant (the console never asks for one): the form as it arrived, for the tests of
            // the rate limit per client named, which the edge reads from the form
            request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                    .put("bodyBytes", body.length()).put("bodySha256", sha256(body))
                    .put("contentLength", request.getHeader("Content-Length"))
                    .put("transferEncoding", request.getHeader("Transfer-Encoding"))
                    .put("expect", request.getHeader("Expect")).encode());
            return;
        }
        int generation;
        java.time.Duration lifetime = java.time.Duration.ofMinutes(5);
        if (!expected.equals(request.getHeader("Authorization"))) {
            generation = 0;
        } else if ("authorization_code".equals(params.get("grant_type")) && params.get("code") != null) {
            generation = 1;
            if (SHORT_LIVED_CODE.equals(params.get("code"))) {
                lifetime = java.time.Duration.ofSeconds(30);
            }
        } else if ("refresh_token".equals(params.get("grant_type"))
                && String.valueOf(params.get("refresh_token")).startsWith("refresh-")) {
            generation = Integer.parseInt(params.get("refresh_token").substring("refresh-".length())) + 1;
        } else {
            generation = 0;
        }
        if (generation == 0) {
            request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"invalid_client\"}");
            return;
        }
        Map<String, Object> accessClaims = new java.util.HashMap<>(Map.of("sub", "u-console", "client_id", "gateway",
                "aud", java.util.List.of("onenet-identity", "onenet-catalog", "onenet-exchange"),
                "roles", java.util.List.of("operator"), "generation", generation));
        String name = "张三";
        if (AGENT_CODE.equals(params.get("code"))) {
            // An agent acting for an enterprise: the enterprise is the subject, act names the agent.
            accessClaims.putAll(Map.of("sub", "u-enterprise", "account_type", "legal_person", "roles",
                    java.util.List.of(), "act", Map.of("sub", "u-agent", "name", "李四")));
            name = "杭州某某科技有限公司";
        } else if (AUTHORITY_CODE.equals(params.get("code"))) {
            // A reviewer of the province's 主管部门.
            accessClaims.putAll(Map.of("sub", "u-authority", "roles", java.util.List.of("reviewer"),
                    "dept", "11330000002482170X", "region", "330000", "competent_authority", true));
            name = "王芳";
        }
        String access = cn.onenet.testsupport.TestTokens.custom(accessClaims, lifetime);
        Map<String, Object> idClaims = new java.util.HashMap<>(Map.of("sub", accessClaims.get("sub"), "aud", "gateway",
                "name", name, "generation", generation));
        if (BACKCHANNEL_CODE.equals(params.get("code"))) {
            idClaims.put("sid", BACKCHANNEL_SID); // identity-service's session id, as its ID tokens carry one
        }
        String code = params.get("code");
        if (code != null && code.startsWith(SESSION_CODE_PREFIX)) {
            // a session of a test's own: its sid, and its grant as identity names it in the access token's jti
            String session = code.substring(SESSION_CODE_PREFIX.length());
            idClaims.put("sid", "sid-" + session);
            accessClaims.put("jti", "grant-" + session + "." + generation);
            access = cn.onenet.testsupport.TestTokens.custom(accessClaims, lifetime);
        }
        String id = cn.onenet.testsupport.TestTokens.typed(idClaims, lifetime,
                cn.onenet.testsupport.TestTokens.ID_TOKEN);
        JsonObject tokens = new JsonObject().put("access_token", access).put("id_token", id)
                .put("refresh_token", "refresh-" + generation).put("token_type", "Bearer")
                .put("expires_in", lifetime.toSeconds());
        request.response().putHeader("Content-Type", "application/json").end(tokens.encode());
    }

    /** Grant ids, token ids ({@code jti}) and client ids the revocation list names, as identity's would. */
    public static final java.util.Set<String> REVOKED_GRANTS = ConcurrentHashMap.newKeySet();
    public static final java.util.Set<String> REVOKED_TOKENS = ConcurrentHashMap.newKeySet();
    public static final java.util.Set<String> DISABLED_CLIENTS = ConcurrentHashMap.newKeySet();

    /**
     * Identity's revocation list ({@code GET /oidc/revocations}): for the gateway's client credentials only, as
     * identity answers another client 403 and bad credentials 401.
     */
    private void revocations(HttpServerRequest request) {
        String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
                ("gateway:" + CONSOLE_SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (!expected.equals(request.getHeader("Authorization"))) {
            request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                    .end("{\"error\":\"invalid_client\"}");
            return;
        }
        JsonObject list = new JsonObject().put("asOf", java.time.OffsetDateTime.now().toString())
                .put("lookback", "PT6M").put("grants", new JsonArray(java.util.List.copyOf(REVOKED_GRANTS)))
                .put("tokens", new JsonArray(java.util.List.copyOf(REVOKED_TOKENS)))
                .put("clients", new JsonArray(java.util.List.copyOf(DISABLED_CLIENTS)));
        request.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(list.encode());
    }

    /**
     * Codes {@code code-session-<name>} get tokens of a session of their own: the ID token's {@code sid} is
     * {@code sid-<name>}, the access token's {@code jti} {@code grant-<name>.<generation>} (identity's grant id, a dot
     * and a counter), so a test ends or revokes that session alone.
     */
    public static final String SESSION_CODE_PREFIX = "code-session-";

    /** The code whose ID token carries {@link #BACKCHANNEL_SID}, the session a back-channel logout ends. */
    public static final String BACKCHANNEL_CODE = "code-backchannel";

    public static final String BACKCHANNEL_SID = "sid-backchannel";

    /** The code the token endpoint answers with an agent's tokens (an enterprise's, with act naming the agent). */
    public static final String AGENT_CODE = "code-agent";

    /** The code the token endpoint answers with the tokens of a reviewer of a region's 主管部门. */
    public static final String AUTHORITY_CODE = "code-authority";

    /** The code the token endpoint answers with short-lived tokens. */
    public static final String SHORT_LIVED_CODE = "code-short-lived";

    /** The form parameters of every token request that carried the gateway's client credentials. */
    public static final java.util.List<Map<String, String>> TOKEN_GRANTS = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** The JWK set of the test signing key, as identity-service publishes its keys. */
    private static String jwks() {
        try {
            java.security.interfaces.RSAPublicKey key = (java.security.interfaces.RSAPublicKey) java.security.KeyFactory
                    .getInstance("RSA").generatePublic(new java.security.spec.X509EncodedKeySpec(
                            java.util.Base64.getDecoder().decode(cn.onenet.testsupport.TestTokens.publicKeyBase64())));
            java.util.Base64.Encoder url = java.util.Base64.getUrlEncoder().withoutPadding();
            JsonObject jwk = new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256")
                    .put("n", url.encodeToString(unsigned(key.getModulus().toByteArray())))
                    .put("e", url.encodeToString(unsigned(key.getPublicExponent().toByteArray())));
            return new JsonObject().put("keys", new io.vertx.core.json.JsonArray().add(jwk)).encode();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    public static final String CONSOLE_SECRET = "test-console-secret";

    private void streamBig(HttpServerRequest request, long remaining) {
        if (remaining <= 0) {
            request.response().end();
            return;
        }
        int chunk = (int) Math.min(64 * 1024, remaining);
        request.response().write(Buffer.buffer(new byte[chunk])).onSuccess(v -> streamBig(request, remaining - chunk))
                .onFailure(e -> request.connection().close());
    }
}
