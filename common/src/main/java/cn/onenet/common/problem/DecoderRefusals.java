package cn.onenet.common.problem;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import cn.onenet.common.requestid.RequestIds;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * Answers what the HTTP/1.x decoder refuses before any route runs as problem+json with a request id: a request line
 * over {@code quarkus.http.limits.max-initial-line-length} (414 {@code uri-too-long}, naming the limit), header
 * lines over {@code quarkus.http.limits.max-header-size} (431 {@code headers-too-large}), a malformed request line or
 * header (400 {@code bad-request}). Vert.x answers these with its server's invalid-request handler, which would be an
 * empty answer; the decoder discards the rest of such a connection, so every one ends with {@code Connection: close}.
 * <p>
 * Quarkus (3.34) offers no hook to set that handler (quarkusio/quarkus#55082): it is set on each server as it begins
 * listening and where Vert.x copied it then ({@link QuarkusHttpServers}). If Vert.x's or Quarkus's internals change,
 * this is logged at start-up and the decoder's empty answers come back; the tests sending such requests then fail.
 */
@ApplicationScoped
public class DecoderRefusals {

    private static final Logger LOG = Logger.getLogger(DecoderRefusals.class);

    void install(@Observes StartupEvent event, Vertx vertx, Instance<RefusalHeaders> refusalHeaders) {
        List<RefusalHeaders> extras = refusalHeaders.stream().toList();
        Handler<HttpServerRequest> handler = handler(lineLimit(), headerLimit(),
                response -> extras.forEach(extra -> extra.accept(response)));
        QuarkusHttpServers.whenListening(vertx, "Requests the HTTP decoder refuses", "Vert.x's empty answers",
                server -> install(server, handler));
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
     * Sets the handler on a server that is already listening: on the server (for a later listen) and in the
     * connection handler its listening copied it into ({@code HttpServerConnectionHandler.invalidRequestHandler}).
     */
    public static void install(HttpServer server, Handler<HttpServerRequest> handler)
            throws ReflectiveOperationException {
        server.invalidRequestHandler(handler);
        Object connections = QuarkusHttpServers.connectionHandler(server);
        Field field = QuarkusHttpServers.connectionHandlerField(server, "invalidRequestHandler");
        field.set(connections, handler);
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
            ProblemResponses.endAndClose(request, requestId, type, detail, instance(request), List.of(), extensions);
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
