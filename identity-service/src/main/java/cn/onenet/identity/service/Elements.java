package cn.onenet.identity.service;

import java.util.ArrayList;
import java.util.Collection;
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
}
