package cn.onenet.common.problem;

import java.lang.reflect.Field;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import cn.onenet.common.requestid.RequestIds;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Answers a request target {@link URI} cannot parse as problem+json with a request id, where Quarkus's request
 * handler (3.34) answers it with an empty 400 before any route runs: a malformed percent-escape ({@code %},
 * {@code %ZZ}) is then named as {@link MalformedEscapeRoutes} names it, any other such target ({@code <}, {@code "})
 * is a 400 {@code bad-request} naming {@code path}. A check is put before that handler on each server as it begins
 * listening, where Vert.x copied it then ({@link QuarkusHttpServers}); if Vert.x's or Quarkus's internals change,
 * this is logged at start-up and the empty 400s come back, which the tests sending such targets then show.
 */
@ApplicationScoped
public class UnparsableTargetRefusals {

    void install(@Observes StartupEvent event, Vertx vertx, Instance<RefusalHeaders> refusalHeaders,
            Instance<MalformedEscapeRoutes.OwnAnswer> ownAnswers) {
        List<RefusalHeaders> extras = refusalHeaders.stream().toList();
        Handler<HttpServerRequest> refusal = refusal(ownAnswers.stream().toList(),
                response -> extras.forEach(extra -> extra.accept(response)));
        QuarkusHttpServers.whenListening(vertx, "Request targets java.net.URI cannot parse", "Quarkus's empty 400s",
                server -> checkTargets(server, refusal));
    }

    /**
     * Puts a check of the request target before the request handler of a listening server (the handler its listening
     * copied into its connection handler, {@code HttpServerConnectionHandler.requestHandler}): a target
     * {@link URI} cannot parse goes to {@code refusal}.
     */
    public static void checkTargets(HttpServer server, Handler<HttpServerRequest> refusal)
            throws ReflectiveOperationException {
        Object connections = QuarkusHttpServers.connectionHandler(server);
        Field field = QuarkusHttpServers.connectionHandlerField(server, "requestHandler");
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
    public static Handler<HttpServerRequest> refusal(List<MalformedEscapeRoutes.OwnAnswer> owners,
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
                ProblemResponses.endAndClose(request, requestId, ProblemType.VALIDATION, MalformedEscapes.detail(field),
                        instance(request), List.of(new FieldError(field, MalformedEscapes.MESSAGE)), Map.of());
            } else {
                ProblemResponses.endAndClose(request, requestId, ProblemType.BAD_REQUEST,
                        "请求目标不是有效的 URI（RFC 3986）/ the request target is not a valid URI (RFC 3986)",
                        instance(request),
                        List.of(new FieldError(MalformedEscapes.PATH, "不是有效的 URI / not a valid URI")), Map.of());
            }
        };
    }

    /** The request's path as far as it can be read. */
    private static String instance(HttpServerRequest request) {
        try {
            return request.path();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
