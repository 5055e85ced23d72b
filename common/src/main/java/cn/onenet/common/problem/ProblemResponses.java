package cn.onenet.common.problem;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.common.requestid.RequestIdRoutes;
import cn.onenet.common.requestid.RequestIds;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Builds problem+json responses in the caller's language (zh-CN unless the caller prefers English). */
public final class ProblemResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemResponses() {
    }

    /** Ends a request refused by a route handler, before any resource runs, with a problem+json body. */
    public static void end(RoutingContext rc, ProblemType type, String detail, List<FieldError> errors,
            Map<String, Object> extensions, boolean closeConnection) {
        boolean english = String.valueOf(rc.request().getHeader("Accept-Language")).startsWith("en");
        Problem problem = problem(type, detail, rc.request().path(), errors, extensions, english,
                rc.get(RequestIdRoutes.CONTEXT_KEY));
        String body = json(problem);
        rc.response().setStatusCode(type.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (closeConnection) {
            rc.response().putHeader("Connection", "close");
        }
        rc.response().end(body);
    }

    /**
     * Ends a request no route has seen (refused as the connection read it) with a problem+json body, and then its
     * connection: whatever follows on it is left unread and cannot carry another request.
     */
    public static void endAndClose(HttpServerRequest request, String requestId, ProblemType type, String detail,
            String instance, List<FieldError> errors, Map<String, Object> extensions) {
        boolean english = String.valueOf(request.headers().get("Accept-Language")).startsWith("en");
        Problem problem = problem(type, detail, instance, errors, extensions, english, requestId);
        String body = json(problem);
        HttpServerResponse response = request.response();
        response.setStatusCode(type.status()).putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, requestId).putHeader("Connection", "close");
        response.end(body).onComplete(done -> response.close());
    }

    private static String json(Problem problem) {
        try {
            return JSON.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            return "{\"status\":" + problem.status() + "}";
        }
    }

    public static boolean prefersEnglish(HttpHeaders headers) {
        if (headers == null) {
            return false;
        }
        List<Locale> languages = headers.getAcceptableLanguages();
        return !languages.isEmpty() && "en".equalsIgnoreCase(languages.get(0).getLanguage());
    }

    public static Problem problem(ProblemType type, String detail, String instance, List<FieldError> errors,
            Map<String, Object> extensions, boolean english, String requestId) {
        String field = errors == null || errors.isEmpty() ? null : errors.get(0).field();
        return new Problem(type.uri(), type.title(english), type.status(), detail, instance, field, errors, requestId,
                extensions);
    }

    public static Response response(ProblemType type, String detail, String instance, List<FieldError> errors,
            Map<String, Object> extensions, Map<String, String> headers, HttpHeaders requestHeaders) {
        String requestId = RequestIds.current();
        if (requestId == null && requestHeaders != null) {
            requestId = requestHeaders.getHeaderString(RequestIds.HEADER);
        }
        Problem body = problem(type, detail, instance, errors, extensions, prefersEnglish(requestHeaders), requestId);
        Response.ResponseBuilder builder = Response.status(type.status()).type(Problem.MEDIA_TYPE).entity(body);
        headers.forEach(builder::header);
        return builder.build();
    }
}
