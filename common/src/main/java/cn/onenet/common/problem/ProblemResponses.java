package cn.onenet.common.problem;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import cn.onenet.common.requestid.RequestIds;

/** Builds problem+json responses in the caller's language (zh-CN unless the caller prefers English). */
public final class ProblemResponses {

    private ProblemResponses() {
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
