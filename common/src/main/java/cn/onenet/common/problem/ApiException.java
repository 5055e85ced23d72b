package cn.onenet.common.problem;

import java.util.List;
import java.util.Map;

/**
 * The one exception business code throws to answer a client with a problem. Messages must be safe to show:
 * never SQL, stack traces, host names or secrets.
 */
public class ApiException extends RuntimeException {

    private final ProblemType type;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;
    private final Map<String, String> headers;

    public ApiException(ProblemType type, String detail) {
        this(type, detail, List.of(), Map.of(), Map.of());
    }

    public ApiException(ProblemType type, String detail, List<FieldError> errors, Map<String, Object> extensions,
            Map<String, String> headers) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = List.copyOf(errors);
        this.extensions = Map.copyOf(extensions);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException field(String field, String message) {
        return new ApiException(ProblemType.VALIDATION, message, List.of(new FieldError(field, message)), Map.of(),
                Map.of());
    }

    public static ApiException fields(List<FieldError> errors) {
        String detail = errors.isEmpty() ? null : errors.get(0).message();
        return new ApiException(ProblemType.VALIDATION, detail, errors, Map.of(), Map.of());
    }

    public static ApiException notFound(String detail) {
        return new ApiException(ProblemType.NOT_FOUND, detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(ProblemType.FORBIDDEN, detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(ProblemType.CONFLICT, detail);
    }

    public static ApiException illegalTransition(String detail) {
        return new ApiException(ProblemType.ILLEGAL_TRANSITION, detail);
    }

    public ProblemType type() {
        return type;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
