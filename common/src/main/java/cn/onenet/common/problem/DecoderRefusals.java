package cn.onenet.common.problem;

import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.common.requestid.RequestIds;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;

/**
 * Answers what the HTTP/1.x decoder refuses before any route runs as problem+json with a request id: a request line
 * over {@code quarkus.http.limits.max-initial-line-length} (414 {@code uri-too-long}, naming the limit), header
 * lines over {@code quarkus.http.limits.max-header-size} (431 {@code headers-too-large}), a malformed request line or
 * header (400 {@code bad-request}). Vert.x answers these with its server's invalid-request handler, which would be an
 * empty answer; the decoder discards the rest of such a connection, so every one ends with {@code Connection: close}.
 * <p>
 * Quarkus (3.34) creates and starts its HTTP servers in one step and offers no hook to set that handler (asked for in
 * quarkusio/quarkus#55082). So as each server Quarkus starts begins listening, the handler is set on it and also where
 * Vert.x copied the server's handler as it began listening (a final field of its connection handler, set by
 * reflection). Connections accepted in the milliseconds between the two keep Vert.x's empty answers.
 * If Vert.x's or Quarkus's internals change, this is logged at start-up and the decoder's empty answers come back;
 * the tests sending such requests then fail.
 * <p>
 * The same way, a check runs before Quarkus's request handler, which answers a request target {@link URI} cannot
 * parse with an empty 400 before any route ({@link #checkTargets}): a malformed percent-escape is then named as
 * {@link MalformedEscapeRoutes} names it, any other such target is a 400 {@code bad-request}.
 */
@ApplicationScoped
public class DecoderRefusals {

    private static final Logger LOG = Logger.getLogger(DecoderRefusals.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TCP_SERVER = "io.vertx.core.net.impl.TCPServerBase";
    private static final String QUARKUS_HTTP_VERTICLE = "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle";

    /** Headers a module adds to these answers too (the gateway: its security headers). */
    public interface ExtraHeaders extends Consumer<HttpServerResponse> {
    }

    void install(@Observes StartupEvent event, Vertx vertx, Instance<ExtraHeaders> extraHeaders,
            Instance<MalformedEscapeRoutes.OwnAnswer> ownAnswers) {
        List<ExtraHeaders> extras = extraHeaders.stream().toList();
        Consumer<HttpServerResponse> extraHeader = response -> extras.forEach(extra -> extra.accept(response));
        Handler<HttpServerRequest> handler = handler(lineLimit(), headerLimit(), extraHeader);
        Handler<HttpServerRequest> targets = targetRefusal(ownAnswers.stream().toList(), extraHeader);
        // Quarkus opens its HTTP servers after the start-up event, one per event loop: each is set as it listens.
        Set<Object> installed = Collections.newSetFromMap(new IdentityHashMap<>());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        vertx.setPeriodic(10, timer -> {
            try {
                if (installOnQuarkusServers(vertx, handler, targets, installed)) {
                    vertx.cancelTimer(timer);
                    LOG.debugf("Decoder refusals answered as problem+json on %d HTTP servers", installed.size());
                } else if (System.nanoTime() > deadline) {
                    vertx.cancelTimer(timer);
                    LOG.warnf("Requests the HTTP decoder refuses keep Vert.x's empty answers on some servers: "
                            + "only %d of Quarkus's HTTP servers found listening", installed.size());
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                vertx.cancelTimer(timer);
                LOG.warnf("Requests the HTTP decoder refuses keep Vert.x's empty answers: %s", e.toString());
            }
        });
    }

    /** The request-line limit in bytes ({@code quarkus.http.limits.max-initial-line-length}; Quarkus's default 4096). */
    public static int lineLimit() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-initial-line-length", Integer.class)
                .orElse(4096);
    }

    /** The limit of all header lines in bytes ({@code quarkus.http.limits.max-header-size}; Quarkus's default 20K). */
    public static long headerLimit() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-header-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(20L * 1024);
    }

    /**
     * Sets the handler on the listening HTTP servers of Quarkus's HTTP verticles (found among Vert.x's deployments)
     * not in {@code installed} yet; true once every such verticle has a server and all of them are set.
     */
    static boolean installOnQuarkusServers(Vertx vertx, Handler<HttpServerRequest> handler,
            Handler<HttpServerRequest> targets, Set<Object> installed) throws ReflectiveOperationException {
        VertxInternal internal = (VertxInternal) vertx;
        int verticles = 0;
        boolean complete = true;
        for (String id : vertx.deploymentIDs()) {
            Deployment deployment = internal.getDeployment(id);
            if (deployment == null) {
                continue;
            }
            for (Verticle verticle : deployment.getVerticles()) {
                if (!verticle.getClass().getName().equals(QUARKUS_HTTP_VERTICLE)) {
                    continue;
                }
                verticles++;
                boolean listening = false;
                for (Field field : verticle.getClass().getDeclaredFields()) {
                    if (!HttpServer.class.isAssignableFrom(field.getType())) {
                        continue;
                    }
                    field.setAccessible(true);
                    HttpServer server = (HttpServer) field.get(verticle);
                    if (server == null || read(server, TCP_SERVER, "childHandler") == null) {
                        continue;
                    }
                    listening = true;
                    if (!installed.contains(server)) {
                        install(server, handler);
                        checkTargets(server, targets);
                        installed.add(server);
                    }
                }
                complete &= listening;
            }
        }
        return verticles > 0 && complete;
    }

    /**
     * Sets the handler on a server that is already listening: on the server (for a later listen) and in the
     * connection handler its listening copied it into (Vert.x 4.5: {@code TCPServerBase.childHandler}, an
     * {@code HttpServerWorker}, whose {@code connectionHandler} holds {@code invalidRequestHandler}).
     */
    public static void install(HttpServer server, Handler<HttpServerRequest> handler)
            throws ReflectiveOperationException {
        server.invalidRequestHandler(handler);
        Object worker = read(server, TCP_SERVER, "childHandler");
        if (worker == null) {
            throw new IllegalStateException("HTTP server not listening");
        }
        Object connections = read(worker, "io.vertx.core.http.impl.HttpServerWorker", "connectionHandler");
        Field field = Class.forName("io.vertx.core.http.impl.HttpServerConnectionHandler", false,
                server.getClass().getClassLoader()).getDeclaredField("invalidRequestHandler");
        field.setAccessible(true);
        field.set(connections, handler);
    }

    /**
     * Puts a check of the request target before the request handler of a listening server (the handler its listening
     * copied into its connection handler, {@code HttpServerConnectionHandler.requestHandler}): a target
     * {@link java.net.URI} cannot parse goes to {@code refusal}. Quarkus's own handler (3.34) answers such a target
     * with an empty 400 before any route runs — {@code %}, {@code %ZZ} among them, which
     * {@link MalformedEscapeRoutes} would name.
     */
    public static void checkTargets(HttpServer server, Handler<HttpServerRequest> refusal)
            throws ReflectiveOperationException {
        Object worker = read(server, TCP_SERVER, "childHandler");
        if (worker == null) {
            throw new IllegalStateException("HTTP server not listening");
        }
        Object connections = read(worker, "io.vertx.core.http.impl.HttpServerWorker", "connectionHandler");
        Field field = Class.forName("io.vertx.core.http.impl.HttpServerConnectionHandler", false,
                server.getClass().getClassLoader()).getDeclaredField("requestHandler");
        field.setAccessible(true);
        Object current = field.get(connections);
        if (current instanceof TargetCheck || current == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        Handler<HttpServerRequest> next = (Handler<HttpServerRequest>) current;
        field.set(connections, new TargetCheck(next, refusal));
    }

    /** The request handler behind a check that its request target parses as a URI. */
    private record TargetCheck(Handler<HttpServerRequest> next, Handler<HttpServerRequest> refusal)
            implements Handler<HttpServerRequest> {
        @Override
        public void handle(HttpServerRequest request) {
            String target = request.uri();
            if (plain(target) || parses(target)) {
                next.handle(request);
            } else {
                refusal.handle(request);
            }
        }
    }

    /** Characters a request target may hold without escapes or anything {@link URI} could refuse. */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        for (char c : ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/?&=:+,;@!$'()*")
                .toCharArray()) {
            PLAIN[c] = true;
        }
    }

    /**
     * Whether a target holds only characters that need no closer look (no {@code %}, no space, nothing outside
     * ASCII): most requests, which then skip the {@link URI} parse on the hot path.
     */
    static boolean plain(String target) {
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c >= 128 || !PLAIN[c]) {
                return false;
            }
        }
        return true;
    }

    static boolean parses(String target) {
        try {
            new URI(target);
            return true;
        } catch (URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The answer to a request target that does not parse: a malformed percent-escape is a 400 {@code validation}
     * naming the parameter or {@code path} as {@link MalformedEscapeRoutes} names it (or the module's own answer),
     * anything else ({@code <}, {@code "}, a raw space escaped by nothing) a 400 {@code bad-request} naming
     * {@code path}; with the request id and {@code Connection: close} (a body that may follow is not read).
     */
    public static Handler<HttpServerRequest> targetRefusal(List<MalformedEscapeRoutes.OwnAnswer> owners,
            Consumer<HttpServerResponse> extraHeaders) {
        return request -> {
            String requestId = RequestIds.acceptOrCreate(request.headers().get(RequestIds.HEADER));
            HttpServerResponse response = request.response();
            response.putHeader(RequestIds.HEADER, requestId).putHeader("Connection", "close");
            extraHeaders.accept(response);
            String field = MalformedEscapes.inTarget(request.uri());
            if (field != null) {
                for (MalformedEscapeRoutes.OwnAnswer owner : owners) {
                    if (owner.answer(request, field)) {
                        return;
                    }
                }
                end(request, requestId, ProblemType.VALIDATION, MalformedEscapes.detail(field),
                        List.of(new FieldError(field, MalformedEscapes.MESSAGE)), Map.of());
            } else {
                end(request, requestId, ProblemType.BAD_REQUEST,
                        "请求目标不是有效的 URI（RFC 3986）/ the request target is not a valid URI (RFC 3986)",
                        List.of(new FieldError(MalformedEscapes.PATH, "不是有效的 URI / not a valid URI")), Map.of());
            }
        };
    }

    /** Ends a request no route has seen with a problem+json body, and then its connection. */
    private static void end(HttpServerRequest request, String requestId, ProblemType type, String detail,
            List<FieldError> errors, Map<String, Object> extensions) {
        boolean english = String.valueOf(request.headers().get("Accept-Language")).startsWith("en");
        Problem problem = ProblemResponses.problem(type, detail, instance(request), errors, extensions, english,
                requestId);
        String body;
        try {
            body = JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + type.status() + "}";
        }
        HttpServerResponse response = request.response();
        response.setStatusCode(type.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, requestId).putHeader("Connection", "close");
        // Whatever follows on this connection is left unread: it cannot carry another request.
        response.end(body).onComplete(done -> response.close());
    }

    private static Object read(Object target, String className, String fieldName) throws ReflectiveOperationException {
        Class<?> type = Class.forName(className, false, target.getClass().getClassLoader());
        if (!type.isInstance(target)) {
            throw new IllegalStateException(target.getClass().getName() + " is no " + className);
        }
        Field field = type.getDeclaredField(fieldName);
        field.setAccessible(true);
        return field.get(target);
    }

    /** The problem+json answer to a request the decoder refused; {@code extraHeaders} may add to its headers. */
    public static Handler<HttpServerRequest> handler(int lineLimit, long headerLimit,
            Consumer<HttpServerResponse> extraHeaders) {
        return request -> {
            Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
            ProblemType type;
            String detail;
            Map<String, Object> extensions;
            if (cause instanceof TooLongHttpLineException) {
                type = ProblemType.URI_TOO_LONG;
                detail = "请求行（方法、路径和查询参数）超过 " + lineLimit + " 字节的上限 / the request line (method, path and "
                        + "query) exceeds " + lineLimit + " bytes";
                extensions = Map.of("maxRequestLineBytes", lineLimit);
            } else if (cause instanceof TooLongHttpHeaderException) {
                type = ProblemType.HEADERS_TOO_LARGE;
                detail = "请求头合计超过 " + headerLimit + " 字节的上限 / the request's header fields exceed " + headerLimit
                        + " bytes";
                extensions = Map.of("maxHeaderBytes", headerLimit);
            } else {
                type = ProblemType.BAD_REQUEST;
                detail = "请求行或请求头格式错误 / malformed request line or header field";
                extensions = Map.of();
            }
            // The decoder keeps the header lines before the one it refused at but the last (none when it refused the
            // request line): they may carry the caller's id and language.
            String requestId = RequestIds.acceptOrCreate(request.headers().get(RequestIds.HEADER));
            LOG.debugf("HTTP decoder refused a request (%d, request id %s): %s", type.status(), requestId,
                    cause == null ? "no cause" : cause.getMessage());
            extraHeaders.accept(request.response());
            end(request, requestId, type, detail, List.of(), extensions);
        };
    }

    /** The request's path, unless the decoder never read the request line (it then stands in GET /bad-request). */
    private static String instance(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_1_0 && "/bad-request".equals(request.uri())) {
            return null;
        }
        try {
            return request.path();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
