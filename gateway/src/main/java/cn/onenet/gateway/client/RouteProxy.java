package cn.onenet.gateway.client;

import java.util.function.Supplier;

import cn.onenet.gateway.rest.ProblemWriter;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.RequestOptions;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyOptions;

/**
 * The vertx-http-proxy reverse proxy of one route. Each event loop gets its own proxy and HTTP client, so a request
 * and its upstream connection stay on one thread (no hand-over between loops, one keep-alive pool per loop).
 */
public final class RouteProxy {

    private final String name;
    private final Upstream upstream;
    private final String rewriteTo;
    private final long timeoutMillis;
    private final long bodyTimeoutMillis;
    private final long connectTimeoutMillis;
    private final int retries;
    private final long maxBodySize;
    private final Supplier<HttpClient> clients;
    private final ProblemWriter problems;
    private final UpstreamTrace trace;
    private final FastThreadLocal<HttpProxy> proxies = new FastThreadLocal<>() {
        @Override
        protected HttpProxy initialValue() {
            return newProxy();
        }
    };

    RouteProxy(String name, Upstream upstream, String rewriteTo, long timeoutMillis, long bodyTimeoutMillis,
            long connectTimeoutMillis, int retries, long maxBodySize, Supplier<HttpClient> clients, ProblemWriter problems, UpstreamTrace trace) {
        this.name = name;
        this.upstream = upstream;
        this.rewriteTo = rewriteTo;
        this.timeoutMillis = timeoutMillis;
        this.bodyTimeoutMillis = bodyTimeoutMillis;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.retries = retries;
        this.maxBodySize = maxBodySize;
        this.clients = clients;
        this.problems = problems;
        this.trace = trace;
    }

    /** Request-local mark of a caller that closed its connection before the upstream answered. */
    private static final Object CLIENT_GONE = new Object();
    /** Request-local: what to run when the upstream's answer is cut off (see {@link #onAnswerCut}). */
    private static final Object ANSWER_CUT = new Object();

    /**
     * Registers what to run if the upstream's answer to this request is cut off midway: the proxy then closes the
     * client's connection in a way that runs none of the response's end or close handlers.
     */
    public static void onAnswerCut(HttpServerRequest request, Runnable action) {
        if (request instanceof HttpServerRequestInternal internal) {
            ((ContextInternal) internal.context()).localContextData().put(ANSWER_CUT, action);
        }
    }

    static void answerCut(HttpServerRequest request) {
        if (request instanceof HttpServerRequestInternal internal
                && ((ContextInternal) internal.context()).localContextData().remove(ANSWER_CUT) instanceof Runnable
                        action) {
            action.run();
        }
    }

    /** Request-local: a body read whole at the edge ({@link ReadBody}), which the proxy sends in place of the stream. */
    private static final Object READ_BODY = new Object();

    /** Hands the body read whole at the edge to the proxy, which sends it with its length. */
    public static void readBody(HttpServerRequest request, io.vertx.core.buffer.Buffer body) {
        if (request instanceof HttpServerRequestInternal internal) {
            ((ContextInternal) internal.context()).localContextData().put(READ_BODY, body);
        }
    }

    /** The body read whole at the edge, once; null when the request's body streams. */
    static io.vertx.core.buffer.Buffer takeReadBody(HttpServerRequest request) {
        return request instanceof HttpServerRequestInternal internal
                && ((ContextInternal) internal.context()).localContextData().remove(READ_BODY)
                        instanceof io.vertx.core.buffer.Buffer body ? body : null;
    }

    static void markClientGone(HttpServerRequest request) {
        if (request instanceof HttpServerRequestInternal internal) {
            ((ContextInternal) internal.context()).localContextData().put(CLIENT_GONE, Boolean.TRUE);
        }
    }

    /** Whether the caller closed its connection before the upstream's answer (whatever the response then reads). */
    public static boolean clientGone(HttpServerRequest request) {
        return request instanceof HttpServerRequestInternal internal
                && ((ContextInternal) internal.context()).localContextData().containsKey(CLIENT_GONE);
    }

    public String name() {
        return name;
    }

    public Upstream upstream() {
        return upstream;
    }

    /**
     * Streams the request to the upstream and its answer back; must run on the request's event loop. The fields the
     * client's {@code Connection} names must be removed first ({@link HopByHop#removeClientNamed}), before the
     * gateway's own headers are set; the fixed hop-by-hop fields are dropped here.
     */
    public void handle(HttpServerRequest request) {
        proxies.get().handle(request);
    }

    /**
     * WebSocket tunnelling is off: vertx-http-proxy's tunnel copies the client's headers as they are and runs no
     * interceptor, and no upstream offers a WebSocket. A request asking for an upgrade is proxied as a plain request.
     */
    private HttpProxy newProxy() {
        HttpProxy proxy = HttpProxy.reverseProxy(new ProxyOptions().setSupportWebSocket(false), clients.get())
                .origin(this::originRequest)
                .addInterceptor(new RouteInterceptor(name, upstream, rewriteTo, retries, maxBodySize, timeoutMillis,
                        bodyTimeoutMillis, problems, trace));
        return proxy;
    }

    private Future<HttpClientRequest> originRequest(ProxyContext ctx) {
        RequestOptions options = new RequestOptions()
                .setServer(upstream.address())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setConnectTimeout(connectTimeoutMillis);
        // Failures reach the interceptor through the response; the handler only decides what is worth a log line.
        return ctx.client().request(options)
                .onSuccess(request -> {
                    request.exceptionHandler(failure -> RouteInterceptor.upstreamRequestFailed(ctx, name, upstream,
                            failure));
                    // The route's timeout is the upstream's time to answer: it starts once the client's body has
                    // been sent whole (a slow upload is not the upstream's delay), at once without a body.
                    TimedBody body = ctx.get(RouteInterceptor.TIMED, TimedBody.class);
                    if (body == null) {
                        request.idleTimeout(timeoutMillis);
                    } else {
                        body.whenEnded(() -> request.idleTimeout(timeoutMillis));
                    }
                });
    }
}
