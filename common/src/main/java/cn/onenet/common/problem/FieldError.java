package cn.onenet.common.problem;

/** One offending field of a request: a JSON path such as {@code items[2].name} or a parameter name. */
public record FieldError(String field, String message) {
}
