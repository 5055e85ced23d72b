package cn.onenet.gateway.client;

import java.net.ConnectException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import cn.onenet.common.problem.FailureOrigin;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.gateway.rest.ProblemWriter;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.streams.ReadStream;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;
import io.vertx.httpproxy.impl.ParseUtils;

/**
 * The gateway's policy around one proxied exchange: path rewrite, hop-by-hop headers, retries of idempotent
 * requests, the upstream's circuit breaker, and problem+json answers for 502/503/504.
 */
final class RouteInterceptor implements ProxyInterceptor {

    /** Marks an attempt whose upstream answered 502/503/504: a failure for the breaker, still forwarded as is. */
    private static final class UpstreamFailed extends RuntimeException {
        final transient ProxyResponse response;

        UpstreamFailed(ProxyResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }

    private static final Logger LOG = Logger.getLogger(RouteInterceptor.class);

    private static final String LIMITED = "gateway.limitedBody";
    private static final CharSequence REQUEST_ID = HttpHeaders.createOptimized(RequestIds.HEADER);
    static final String TIMED = "gateway.timedBody";

    private final String route;
    private final Upstream upstream;
    private final String rewriteTo;
    private final int retries;
    private final long maxBodySize;
    private final long timeoutMillis;
    private final long bodyTimeoutMillis;
    private final ProblemWriter problems;
    private final UpstreamTrace trace;
    /** This loop's (one interceptor per event loop and route). */
    private final UpstreamDate dates = new UpstreamDate();

    RouteInterceptor(String route, Upstream upstream, String rewriteTo, int retries, long maxBodySize, long timeoutMillis,
            long bodyTimeoutMillis, ProblemWriter problems, UpstreamTrace trace) {
        this.route = route;
        this.upstream = upstream;
        this.rewriteTo = rewriteTo;
        this.retries = retries;
        this.maxBodySize = maxBodySize;
        this.timeoutMillis = timeoutMillis;
        this.bodyTimeoutMillis = bodyTimeoutMillis;
        this.problems = problems;
        this.trace = trace;
    }

    @Override
    public Future<ProxyResponse> handleProxyRequest(ProxyContext ctx) {
        ProxyRequest request = ctx.request();
        HttpServerRequest incoming = request.proxiedRequest();
        if (rewriteTo != null) {
            String query = incoming.query();
            request.setURI(query == null ? rewriteTo : rewriteTo + "?" + query);
        } else if (incoming.uri().isEmpty() || incoming.uri().charAt(0) != '/') {
            // An absolute-form target (RFC 9112 §3.2.2): the upstream gets the path the edge checked, in origin-form,
            // never an authority the client chose.
            String query = incoming.query();
            request.setURI(query == null ? incoming.path() : incoming.path() + "?" + query);
        }
        // The fields the client's Connection names are gone already (ProxyRoutes, before the gateway's headers
        // were set): only the fixed hop-by-hop fields remain to drop, so no client token reaches the gateway's.
        HopByHop.removeFixed(request.headers());
        // With tracing on, the gateway's client span sets the trace context anew (one traceparent upstream).
        trace.removeClients(request.headers());
        Buffer read = RouteProxy.takeReadBody(incoming);
        if (read != null) {
            // read whole at the edge (ProxyRoutes), within the route's limit: sent with its length
            if (read.length() == 0) {
                return forward(ctx, true, null);
            }
            request.setBody(Body.body(read));
            return forward(ctx, false, null);
        }
        if (UndeclaredBody.undeclared(incoming)) {
            return UndeclaredBody.firstChunk(incoming, timeoutMillis)
                    .compose(first -> forward(ctx, first == null, first),
                            failure -> Future.succeededFuture(problem(ctx, new ClientGone(failure))));
        }
        return forward(ctx, bodyless(incoming), null);
    }

    /** {@code first}: the chunk of an HTTP/2 body read to learn that there is one ({@link UndeclaredBody}). */
    private Future<ProxyResponse> forward(ProxyContext ctx, boolean bodyless, Buffer first) {
        ProxyRequest request = ctx.request();
        HttpServerRequest incoming = request.proxiedRequest();
        if (bodyless) {
            // Nothing to stream: send the request head alone, which also lets an attempt be repeated.
            request.setBody(null);
            if (!incoming.isEnded()) {
                // (An HTTP/2 stream found to end without data has been read to its end: nothing to resume.)
                incoming.resume();
            }
        } else if (incoming.getHeader(HttpHeaders.CONTENT_LENGTH) == null && request.getBody() != null
                && request.getBody().length() < 0) {
            // Chunked upload, or an HTTP/2 body without content-length: the Content-Length check at the route could
            // not see its size.
            LimitedBody limited = new LimitedBody(request.getBody().stream(), maxBodySize, first);
            ctx.set(LIMITED, limited);
            request.setBody(Body.body(limited, -1));
            if (incoming.version() == HttpVersion.HTTP_2) {
                // vertx-http-proxy 4.5 sends a body of unknown length chunked only when the client's own request
                // says Transfer-Encoding: chunked, which HTTP/2 forbids; otherwise the upstream request can write
                // nothing. Only the proxy reads this mark: the upstream copy of the headers was taken before, and
                // drops Transfer-Encoding anyway (removeFixed above).
                incoming.headers().set(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED);
            }
        }
        if (!bodyless && request.getBody() != null) {
            // The route's timeout counts from the end of the body (RouteProxy); while it streams, TimedBody watches
            // the client and the upstream.
            Body body = request.getBody();
            TimedBody timed = TimedBody.request(body.stream(),
                    (ContextInternal) ((HttpServerRequestInternal) incoming).context(), bodyTimeoutMillis,
                    timeoutMillis);
            ctx.set(TIMED, timed);
            request.setBody(Body.body(timed, body.length()));
        }
        boolean repeatable = bodyless && idempotent(request.getMethod());
        Breaker breaker = upstream.breaker();
        if (!breaker.allow()) {
            return Future.succeededFuture(problem(ctx, OpenCircuitException.INSTANCE));
        }
        Promise<ProxyResponse> promise = Promise.promise();
        attempt(ctx, repeatable, retries, false, promise);
        return promise.future()
                .andThen(ar -> {
                    // Not the caller's hang-up nor a failure while its body was still on its way.
                    if (ar.failed() && !(ar.cause() instanceof ClientGone) && !(ar.cause() instanceof BeforeBodyEnd)) {
                        breaker.failed();
                    } else {
                        breaker.succeeded();
                    }
                })
                .recover(failure -> {
                    if (failure instanceof UpstreamFailed failed) {
                        return Future.succeededFuture(failed.response);
                    }
                    if (failure instanceof BeforeBodyEnd early) {
                        return Future.succeededFuture(problem(ctx, early.getCause()));
                    }
                    return Future.succeededFuture(problem(ctx, failure));
                });
    }

    @Override
    public Future<Void> handleProxyResponse(ProxyContext ctx) {
        ProxyResponse response = ctx.response();
        if (response != null) {
            HopByHop.removeFromResponse(response.headers());
            // The service echoes the id the gateway sent it, which the answer carries already: one line, not two.
            response.headers().remove(REQUEST_ID);
            dates.takeOver(ctx.request().proxiedRequest(), response.headers());
            Body body = response.getBody();
            if (body != null) {
                // the route's timeout between two chunks of the answer too
                HttpServerRequest incoming = ctx.request().proxiedRequest();
                response.setBody(Body.body(TimedBody.answer(body.stream(), (ContextInternal) ((HttpServerRequestInternal)
                        incoming).context(), timeoutMillis, () -> RouteProxy.answerCut(incoming)), body.length()));
            }
        }
        if (clientStalled(ctx)) {
            // The rest of the body will not come: answer, then close the connection instead of waiting for it.
            HttpServerRequest incoming = ctx.request().proxiedRequest();
            if (response != null && incoming.version() != HttpVersion.HTTP_2) {
                response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            }
            return ctx.sendResponse().onComplete(v -> {
                if (incoming.version() != HttpVersion.HTTP_2) {
                    incoming.connection().close();
                }
            });
        }
        if (response != null && response.getBody() != null && response.getBody().length() < 0
                && ctx.request().proxiedRequest().version() == HttpVersion.HTTP_1_0) {
            return untilClose(ctx.request().proxiedRequest(), response);
        }
        return ctx.sendResponse();
    }

    /**
     * An answer of unknown length (a streamed export) to an HTTP/1.0 client, which knows no chunked encoding: streamed
     * as it comes and ended by closing the connection (RFC 9112 §6.3). vertx-http-proxy would gather the whole answer
     * in memory first, so any caller could fill the gateway's heap by asking for large exports over HTTP/1.0.
     * The answer's head is what the proxy would send ({@code Connection: close} is set at the route, since Vert.x
     * announces keep-alive to an HTTP/1.0 client asking for it); a failure on either side cuts both connections.
     */
    private static Future<Void> untilClose(HttpServerRequest incoming, ProxyResponse response) {
        HttpServerResponse out = incoming.response();
        out.setStatusCode(response.getStatusCode());
        if (response.getStatusMessage() != null) {
            out.setStatusMessage(response.getStatusMessage());
        }
        MultiMap headers = out.headers();
        response.headers().forEach(header -> {
            if (!header.getKey().equalsIgnoreCase("transfer-encoding")) {
                headers.add(header.getKey(), header.getValue());
            }
        });
        if (!headers.contains(HttpHeaders.DATE)) {
            // the proxy's stamp; the upstream's own Date, if it was taken over, replaces it at the head's end
            headers.set(HttpHeaders.DATE, ParseUtils.formatHttpDate(Instant.now()));
        }
        ReadStream<Buffer> body = response.getBody().stream();
        Promise<Void> sent = Promise.promise();
        body.pipe().endOnFailure(false).to(out).onComplete(ar -> {
            if (ar.failed()) {
                ReadStream<Buffer> origin = body instanceof TimedBody timed ? timed.source() : body;
                if (origin instanceof HttpClientResponse upstream) {
                    upstream.request().reset();
                }
                out.reset();
            } else {
                incoming.connection().close();
            }
            sent.complete();
        });
        return sent.future();
    }

    /**
     * One try of the upstream request. {@code staleTried}: a kept-alive connection already turned out closed once
     * for this request.
     */
    private void attempt(ProxyContext ctx, boolean repeatable, int left, boolean staleTried,
            Promise<ProxyResponse> promise) {
        ctx.sendRequest().onComplete(ar -> {
            if (ar.succeeded()) {
                ProxyResponse response = ar.result();
                int status = response.getStatusCode();
                if ((status == 502 || status == 503 || status == 504) && !downstream(response)) {
                    if (repeatable && left > 0) {
                        response.release();
                        attempt(ctx, true, left - 1, staleTried, promise);
                    } else {
                        promise.fail(new UpstreamFailed(response));
                    }
                } else {
                    promise.complete(response);
                }
                return;
            }
            Throwable cause = ar.cause();
            if (clientGone(ctx)) {
                // The caller hung up and the proxy cancelled the upstream request: not the upstream's fault.
                promise.fail(new ClientGone(cause));
                return;
            }
            if (overLimit(ctx)) {
                // The client's fault, not the upstream's: answer 413 without counting a failure.
                promise.complete(problem(ctx, new LimitedBody.TooLarge()));
                return;
            }
            TimedBody timed = ctx.get(TIMED, TimedBody.class);
            if (timed != null && !timed.ended() && !(cause instanceof ConnectException)) {
                // The client's body was still on its way: a stalled client (408), an upstream that stopped taking
                // the body (504), or a connection lost meanwhile. None of it counts against the upstream's breaker,
                // so slow or abandoned uploads cannot open it for everyone.
                Throwable reason = switch (timed.outcome()) {
                    case SOURCE_STALLED -> new BodyTimeout();
                    case SINK_STALLED -> new TimeoutException("upstream stopped reading the request body");
                    default -> cause;
                };
                promise.fail(new BeforeBodyEnd(reason));
                return;
            }
            // A refused connection sent nothing, so any method may try again; a dropped one only if idempotent.
            boolean again = cause instanceof ConnectException
                    || (repeatable && cause instanceof HttpClosedException);
            if (again && left > 0) {
                attempt(ctx, repeatable, left - 1, staleTried, promise);
            } else if (repeatable && !staleTried && (cause instanceof HttpClosedException
                    || cause instanceof java.io.IOException)) {
                // A pooled keep-alive connection the upstream had closed (a restart, an idle timeout) before any
                // answer: one more try on a new connection whatever the route's retries, as HTTP clients do for
                // idempotent requests, so a stale connection never shows as 502 (a stopped upstream then answers 503)
                attempt(ctx, true, left, true, promise);
            } else {
                promise.fail(cause);
            }
        });
    }

    private static boolean clientGone(ProxyContext ctx) {
        return ctx.request().proxiedRequest().response().closed();
    }

    /** Whether the client stopped sending its body, so the upstream request was cut off. */
    private static boolean clientStalled(ProxyContext ctx) {
        TimedBody timed = ctx.get(TIMED, TimedBody.class);
        return timed != null && timed.outcome() == TimedBody.Outcome.SOURCE_STALLED;
    }

    /** Whether the client's body passed the route's limit, so the upstream request was cut off. */
    private static boolean overLimit(ProxyContext ctx) {
        LimitedBody limited = ctx.get(LIMITED, LimitedBody.class);
        return limited != null && limited.exceeded();
    }

    /**
     * The upstream request failed before it was sent whole; its response fails as well, which {@link #attempt}
     * answers (413, 502, 504, or nothing for a caller gone). Without this handler Vert.x logs each such failure at
     * ERROR, also the reset of a request the gateway cut off itself because the client's body passed the limit or
     * the client hung up: the client's doing, which the access log records (413), not an error of the gateway's.
     */
    static void upstreamRequestFailed(ProxyContext ctx, String route, Upstream upstream, Throwable failure) {
        TimedBody timed = ctx.get(TIMED, TimedBody.class);
        if (overLimit(ctx) || clientGone(ctx) || (timed != null && timed.outcome() == TimedBody.Outcome.SOURCE_STALLED)) {
            LOG.debugf("upstream request to %s ended early by the client: %s", upstream.name(), failure);
        } else {
            // Not the failure's message: Vert.x puts the whole URI in it, query string included (reset tokens,
            // searches for names). The path alone, with identifier-like segments masked as in the access log.
            HttpServerRequest incoming = ctx.request().proxiedRequest();
            LOG.errorf("upstream request to %s failed: route %s, %s %s, %s", upstream.name(), route,
                    incoming.method().name(), LoggedPath.of(incoming.path()), failure.getClass().getName());
        }
    }

    private ProxyResponse problem(ProxyContext ctx, Throwable failure) {
        if (failure instanceof BodyTimeout) {
            return requestTimeout(ctx);
        }
        if (failure instanceof ClientGone) {
            // nobody reads this answer; the access log and the metrics must not count it as the upstream's 502
            RouteProxy.markClientGone(ctx.request().proxiedRequest());
        }
        ProblemType type;
        String detail;
        Map<String, Object> extensions = Map.of();
        if (failure instanceof LimitedBody.TooLarge) {
            type = ProblemType.PAYLOAD_TOO_LARGE;
            detail = "请求体超过上限 " + maxBodySize + " 字节 / request body exceeds " + maxBodySize + " bytes";
        } else if (failure instanceof OpenCircuitException) {
            type = ProblemType.UNAVAILABLE;
            detail = "上游服务暂时不可用（熔断中），请稍后重试 / upstream " + upstream.name()
                    + " is unavailable (circuit open), retry later";
        } else if (failure instanceof TimeoutException) {
            type = ProblemType.GATEWAY_TIMEOUT;
            detail = "上游服务响应超时 / upstream " + upstream.name() + " did not answer in time";
        } else if (failure instanceof ConnectException) {
            type = ProblemType.UNAVAILABLE;
            detail = "上游服务不可达 / upstream " + upstream.name() + " cannot be reached";
        } else {
            type = ProblemType.BAD_GATEWAY;
            detail = "上游服务响应异常 / upstream " + upstream.name() + " failed to answer";
        }
        HttpServerRequest incoming = ctx.request().proxiedRequest();
        String requestId = incoming.response().headers().get(RequestIds.HEADER);
        ProxyRequest request = ctx.request();
        if (incoming.isEnded()) {
            // Nothing left of the body to drain, and an HTTP/2 request refuses to be resumed once ended.
            request.setBody(null);
        }
        ProxyResponse response = request.release().response();
        response.setStatusCode(type.status());
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        if (failure instanceof OpenCircuitException) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Long.toString(upstream.breaker().retryAfterSeconds()));
        } else if (type == ProblemType.UNAVAILABLE) {
            response.putHeader(HttpHeaders.RETRY_AFTER, "5");
        }
        response.setBody(Body.body(problems.body(incoming, requestId, type, detail, extensions)));
        return response;
    }

    private ProxyResponse requestTimeout(ProxyContext ctx) {
        HttpServerRequest incoming = ctx.request().proxiedRequest();
        String requestId = incoming.response().headers().get(RequestIds.HEADER);
        long seconds = Math.max(1, bodyTimeoutMillis / 1000);
        ProxyResponse response = ctx.request().release().response();
        response.setStatusCode(408);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json");
        response.setBody(Body.body(problems.requestTimeoutBody(incoming, requestId, "请求体在 " + seconds
                + " 秒内没有新的数据 / the request body stopped arriving (nothing for " + seconds + " s)")));
        return response;
    }

    /** The client's body stopped arriving for longer than the route's body timeout. */
    static final class BodyTimeout extends RuntimeException {
        BodyTimeout() {
            super("request body timed out", null, false, false);
        }
    }

    /**
     * A failure while the client's body was still streaming to the upstream (other than a refused connection): the
     * breaker does not count it. The cause decides the answer.
     */
    public static final class BeforeBodyEnd extends RuntimeException {
        BeforeBodyEnd(Throwable cause) {
            super("failed before the request body ended", cause, false, false);
        }
    }

    /** The caller closed its connection before the upstream answered; the breaker does not count it. */
    public static final class ClientGone extends RuntimeException {
        ClientGone(Throwable cause) {
            super("caller closed the connection", cause, false, false);
        }
    }

    /**
     * The service answered for a system behind it (the exchange for a provider's endpoint): it is working, so the
     * answer is forwarded without a retry and without counting against its breaker.
     */
    private static boolean downstream(ProxyResponse response) {
        return FailureOrigin.DOWNSTREAM.equals(response.headers().get(FailureOrigin.HEADER));
    }

    static boolean bodyless(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
            return false;
        }
        return length == null || "0".equals(length);
    }

    static boolean idempotent(HttpMethod method) {
        return method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                || method == HttpMethod.PUT || method == HttpMethod.DELETE;
    }
}
