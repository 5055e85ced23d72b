package cn.onenet.common.problem;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * RFC 9457 problem details as sent to clients. {@code field} repeats the first offending field so simple clients
 * need not walk {@code errors}; {@code requestId} lets an operator find the matching log lines. Extension members
 * (e.g. {@code retryAfterSeconds}) are written at the top level, as RFC 9457 §3.2 asks.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String field,
        List<FieldError> errors,
        String requestId,
        @JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions == null ? Map.of() : extensions;
    }
}
