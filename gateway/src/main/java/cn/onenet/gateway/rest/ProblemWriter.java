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

    /** Set in the routing context when the request's bearer token is on identity's revocation list. */
    public static final String REVOKED_KEY = "gateway.token-revoked";

    /**
     * The edge's 401. RFC 6750 §3.1: {@code invalid_token} when a bearer token was sent and refused (expired,
     * malformed, badly signed, not the suite's), no error code when the request carried no bearer credentials.
     */
    public void unauthorized(RoutingContext rc) {
        if (Boolean.TRUE.equals(rc.get(REVOKED_KEY))) {
            write(rc, ProblemType.UNAUTHORIZED, "访问令牌已被撤销 / the bearer token was revoked", Map.of(),
                    Map.of(WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"the access token "
                            + "was revoked\""));
        } else if (bearer(rc.request())) {
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

    /**
     * The rate limit's 429 with {@code Retry-After}: problem+json, except for a browser that asked for a page (a
     * burst of navigations to identity's login pages, {@code /oidc/authorize}), which gets a page in Chinese and
     * English saying when to try again.
     */
    public void rateLimited(RoutingContext rc, long retryAfterSeconds) {
        String retryAfter = Long.toString(retryAfterSeconds);
        if (prefersHtml(rc.request().getHeader(HttpHeaders.ACCEPT))) {
            String requestId = rc.get(RequestIdRoutes.CONTEXT_KEY);
            page(rc.request(), requestId, ProblemType.RATE_LIMITED.status(), rateLimitedPage(retryAfter, requestId),
                    Map.of("Retry-After", retryAfter));
            return;
        }
        write(rc, ProblemType.RATE_LIMITED, "请求过于频繁，请在 " + retryAfter + " 秒后重试 / too many requests, retry in "
                + retryAfter + " s", Map.of("retryAfterSeconds", retryAfterSeconds), Map.of("Retry-After", retryAfter));
    }

    /**
     * Whether the {@code Accept} field names {@code text/html} and ranks it above JSON, as a browser's navigation
     * does ({@code text/html,...,*}{@code /*;q=0.8}); API clients ({@code application/json}, {@code *}{@code /*}, none)
     * keep problem+json, and so does a tie.
     */
    static boolean prefersHtml(String accept) {
        if (accept == null || accept.indexOf("html") < 0) {
            return false;
        }
        double html = 0;
        double json = 0;
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim();
                if (parameter.length() > 2 && (parameter.charAt(0) == 'q' || parameter.charAt(0) == 'Q')
                        && parameter.charAt(1) == '=') {
                    try {
                        q = Double.parseDouble(parameter.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            if (type.equals("text/html")) {
                html = Math.max(html, q);
            } else if (type.equals("application/json") || type.equals("application/problem+json")
                    || type.equals("application/*") || type.equals("*/*")) {
                json = Math.max(json, q);
            }
        }
        return html > json;
    }

    /**
     * Whether the request is a browser's page load: {@code Sec-Fetch-Mode: navigate}, or without Fetch Metadata an
     * {@code Accept} ranking {@code text/html} above JSON. A script's {@code fetch} (mode {@code cors} or
     * {@code same-origin}, {@code Accept: application/json}) is not one, whatever it accepts.
     */
    public static boolean navigation(HttpServerRequest request) {
        String mode = request.getHeader(SEC_FETCH_MODE);
        if (mode != null) {
            return "navigate".equalsIgnoreCase(mode.trim());
        }
        return prefersHtml(request.getHeader(HttpHeaders.ACCEPT));
    }

    private static final String SEC_FETCH_MODE = "Sec-Fetch-Mode";

    /**
     * The console's 401 for a page load whose sign-in cannot simply be started again (a failed sign-in, or a browser
     * that came from the login page without any of the console's cookies, where a redirect could loop): a page in
     * Chinese and English linking to a new sign-in, never a problem+json body in a browser's window.
     */
    public void signInAgain(RoutingContext rc) {
        String requestId = rc.get(RequestIdRoutes.CONTEXT_KEY);
        String id = requestId == null ? "" : ConsoleResource.escape(requestId);
        String html = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>登录已失效 / Signed out</title>\n</head>\n<body>\n<main>\n"
                + "<h1>登录已失效</h1>\n<p>您的登录已结束或未能完成，请<a id=\"login\" href=\"/console\">重新登录</a>。</p>\n"
                + "<h2 lang=\"en\">Signed out</h2>\n<p lang=\"en\">Your sign-in has ended or could not be completed: "
                + "<a href=\"/console\">log in again</a>.</p>\n"
                + (id.isEmpty() ? "" : "<p>请求编号 / <span lang=\"en\">Request ID</span>: <code>" + id + "</code></p>\n")
                + "</main>\n</body>\n</html>\n";
        page(rc.request(), requestId, ProblemType.UNAUTHORIZED.status(), html, Map.of());
    }

    private static String rateLimitedPage(String retryAfter, String requestId) {
        String id = requestId == null ? "" : ConsoleResource.escape(requestId);
        return "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<title>请求过于频繁 / Too many requests</title>\n</head>\n<body>\n<main>\n"
                + "<h1>请求过于频繁</h1>\n<p>请在 " + retryAfter + " 秒后刷新本页重试。</p>\n"
                + "<h2 lang=\"en\">Too many requests</h2>\n<p lang=\"en\">Please reload this page in " + retryAfter
                + " seconds.</p>\n"
                + (id.isEmpty() ? "" : "<p>请求编号 / <span lang=\"en\">Request ID</span>: <code>" + id + "</code></p>\n")
                + "</main>\n</body>\n</html>\n";
    }

    /** An HTML answer of the edge, with the request id and, like the problems, closing a connection awaiting 100. */
    private void page(HttpServerRequest request, String requestId, int status, String html,
            Map<String, String> headers) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.headWritten()) {
            if (!response.ended()) {
                response.reset();
            }
            return;
        }
        response.setStatusCode(status);
        response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8");
        response.putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (requestId != null) {
            response.putHeader(RequestIds.HEADER, requestId);
        }
        headers.forEach(response::putHeader);
        Buffer body = Buffer.buffer(html, "UTF-8");
        if (awaitsContinue(request)) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            response.end(body).onComplete(v -> request.connection().close());
            return;
        }
        response.end(body);
    }

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
