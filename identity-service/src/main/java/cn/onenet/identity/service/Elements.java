package cn.onenet.identity.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

import cn.onenet.common.problem.FieldError;

/**
 * The elements of a JSON array of names in a request (roles, grant types, scopes, audiences, client ids): each must be
 * present, not blank, and accepted; a {@code null} element is a 400 naming the array, never a lookup with null.
 */
final class Elements {

    private Elements() {
    }

    /**
     * The problems with {@code values} as the array {@code field}: one for null or blank elements, one per element
     * {@code known} does not accept (its message made by {@code unknown}).
     */
    static List<FieldError> problems(String field, Collection<String> values, Predicate<String> known,
            Function<String, String> unknown) {
        List<FieldError> errors = new ArrayList<>();
        if (values.stream().anyMatch(v -> v == null || v.isBlank())) {
            errors.add(new FieldError(field, "不得含空元素 / " + field + " must not contain null or blank elements"));
        }
        values.stream().filter(v -> v != null && !v.isBlank() && !known.test(v))
                .forEach(v -> errors.add(new FieldError(field, unknown.apply(v))));
        return errors;
    }

    /** The elements without repeats, in their first order (null elements kept, once, for {@link #problems}). */
    static List<String> distinct(Collection<String> values) {
        return new ArrayList<>(new LinkedHashSet<>(values));
    }

    /** The first element (not null) that {@code values} holds more than once, if any. */
    static java.util.Optional<String> repeated(Collection<String> values) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return values.stream().filter(v -> v != null && !seen.add(v)).findFirst();
    }

    /**
     * The problem when the array {@code field}, stored space-separated, would exceed its column's {@code width}.
     */
    static List<FieldError> tooLong(String field, Collection<String> values, int width) {
        int length = values.stream().mapToInt(v -> v == null ? 0 : v.length()).sum() + Math.max(0, values.size() - 1);
        if (length <= width) {
            return List.of();
        }
        return List.of(new FieldError(field, "合计过长（以空格连接时最多 " + width + " 个字符）/ " + field
                + " too long: at most " + width + " characters joined with spaces"));
    }
}
