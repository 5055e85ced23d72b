package cn.onenet.gateway.rest;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.common.problem.Problem;
import cn.onenet.common.problem.ProblemResponses;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.common.requestid.RequestIdRoutes;
import cn.onenet.common.requestid.RequestIds;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes RFC 9457 problem+json straight on the Vert.x response, for answers given outside JAX-RS. */
@ApplicationScoped
public class ProblemWriter {

    private final ObjectMapper mapper;

    public ProblemWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void write(RoutingContext rc, ProblemType type, String detail) {
        write(rc, type, detail, Map.of(), Map.of());
    }

    public void write(RoutingContext rc, ProblemType type, String detail, Map<String, Object> extensions,
            Map<String, String> headers) {
        String requestId = rc.get(RequestIdRoutes.CONTEXT_KEY);
        write(rc.request(), requestId, type, detail, extensions, headers);
    }

    /**
     * The edge's 401. RFC 6750 §3.1: {@code invalid_token} when a bearer token was sent and refused (expired,
     * malformed, badly signed, not the suite's), no error code when the request carried no bearer credentials.
     */
    public void unauthorized(RoutingContext rc) {
        if (bearer(rc.request())) {
            write(rc, ProblemType.UNAUTHORIZED, "访问令牌无效或已过期 / the bearer token is invalid or expired", Map.of(),
                    Map.of(WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"the access token "
                            + "is expired, malformed, badly signed or not issued for this suite\""));
        } else {
            write(rc, ProblemType.UNAUTHORIZED, "需要有效的访问令牌 / a valid bearer token is required", Map.of(),
                    Map.of(WWW_AUTHENTICATE, "Bearer"));
        }
    }

    /**
     * The edge's 403 for a token it accepted but that lacks a role or audience the call needs: RFC 6750 §3.1
     * {@code insufficient_scope} for a bearer token, no challenge for a console session (no token of its own).
     * {@code description} is ASCII without quotes (RFC 6750 §3).
     */
    public void insufficientScope(RoutingContext rc, String detail, String description) {
        write(rc, ProblemType.FORBIDDEN, detail, Map.of(), bearer(rc.request())
                ? Map.of(WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", error_description=\"" + description
                        + "\"")
                : Map.of());
    }

    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";

    private static boolean bearer(HttpServerRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length());
    }

    public Buffer body(HttpServerRequest request, String requestId, ProblemType type, String detail,
            Map<String, Object> extensions) {
        Problem problem = ProblemResponses.problem(type, detail, request.path(), List.of(), extensions,
                prefersEnglish(request.getHeader(HttpHeaders.ACCEPT_LANGUAGE)), requestId);
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem not serialisable", e);
        }
    }

    /**
     * 408 for a request whose body stopped arriving: not one of the suite's shared problem types, since only the
     * edge reads bodies off the network on a timer.
     */
    public Buffer requestTimeoutBody(HttpServerRequest request, String requestId, String detail) {
        boolean english = prefersEnglish(request.getHeader(HttpHeaders.ACCEPT_LANGUAGE));
        Problem problem = new Problem(REQUEST_TIMEOUT_TYPE, english ? "Request timeout" : "请求超时", 408, detail,
                request.path(), null, List.of(), requestId, Map.of());
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem not serialisable", e);
        }
    }

    /** The type of {@link #requestTimeoutBody}. */
    public static final String REQUEST_TIMEOUT_TYPE = "urn:onenet:problem:request-timeout";

    public void write(HttpServerRequest request, String requestId, ProblemType type, String detail,
            Map<String, Object> extensions, Map<String, String> headers) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.headWritten()) {
            if (!response.ended()) {
                response.reset();
            }
            return;
        }
        Buffer body = body(request, requestId, type, detail, extensions);
        response.setStatusCode(type.status());
        response.putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (requestId != null) {
            response.putHeader(RequestIds.HEADER, requestId);
        }
        headers.forEach(response::putHeader);
        if (awaitsContinue(request)) {
            // The client holds its body back until a 100 that will not come (a refusal is the final answer): without
            // closing, the connection would wait for that body, and read the client's next request as part of it.
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            response.end(body).onComplete(v -> request.connection().close());
            return;
        }
        response.end(body);
    }

    /** An HTTP/1.1 request whose body waits for {@code 100 Continue} and has not been read. */
    private static boolean awaitsContinue(HttpServerRequest request) {
        return request.version() == io.vertx.core.http.HttpVersion.HTTP_1_1 && !request.isEnded()
                && HttpHeaders.CONTINUE.toString().equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT));
    }

    /** zh-CN unless the caller's first language is English, as in {@link ProblemResponses#prefersEnglish}. */
    static boolean prefersEnglish(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) {
            return false;
        }
        String first = acceptLanguage.split(",", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return first.equals("en") || first.startsWith("en-") || first.startsWith("en;");
    }
}
