package cn.onenet.identity.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.identity.model.Department;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;

/**
 * The filters and page of an administrator's list (accounts, clients, audit events, changes of administrators'
 * accounts, departments) as a Panache query: each filter adds a clause joined with {@code and}; every bad value, page
 * or size is collected and answered together as a 400 naming its query parameter. A page must start at an {@code int} offset: {@code page * size <= Integer.MAX_VALUE}.
 */
final class ListFilter {

    static final int MAX_PAGE_SIZE = 200;
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_QUERY = 100;

    private final StringBuilder where = new StringBuilder("1 = 1");
    private final Map<String, Object> params = new HashMap<>();
    private final List<FieldError> errors = new ArrayList<>();

    /** Adds {@code clause}, which reads the parameter {@code name}. */
    ListFilter and(String clause, String name, Object value) {
        return and(clause, Map.of(name, value));
    }

    /** Adds {@code clause}, which reads these parameters. */
    ListFilter and(String clause, Map<String, Object> values) {
        where.append(" and (").append(clause).append(')');
        params.putAll(values);
        return this;
    }

    ListFilter error(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    /**
     * The pattern of {@code like :q escape '!'} for a case-insensitive substring ({@code %} and {@code _} match
     * themselves), or empty when {@code q} is absent or blank.
     */
    Optional<String> contains(String field, String q) {
        if (q == null || q.isBlank()) {
            return Optional.empty();
        }
        if (q.trim().length() > MAX_QUERY) {
            error(field, "最多" + MAX_QUERY + "字 / " + field + ": at most " + MAX_QUERY + " characters");
        }
        return Optional.of("%" + q.trim().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%")
                .replace("_", "!_") + "%");
    }

    /** The id of the department with this 统一社会信用代码 (-1 when none is registered), or empty without a code. */
    Optional<Long> department(String field, String code) {
        if (code == null) {
            return Optional.empty();
        }
        Optional<String> problem = CreditCode.problem(code);
        if (problem.isPresent()) {
            error(field, problem.get());
            return Optional.empty();
        }
        Department d = Department.find("code", CreditCode.normalise(code)).firstResult();
        return Optional.of(d == null ? -1L : d.id);
    }

    /** {@code enabled} (or {@code active}) and {@code disabled}, in any case; empty without a status. */
    Optional<Boolean> enabled(String field, String status) {
        if (status == null) {
            return Optional.empty();
        }
        switch (status.toLowerCase(Locale.ROOT)) {
            case "enabled", "active" -> {
                return Optional.of(true);
            }
            case "disabled" -> {
                return Optional.of(false);
            }
            default -> {
                error(field, "允许的值：enabled、disabled / one of enabled, disabled");
                return Optional.empty();
            }
        }
    }

    /** The last page whose first row ({@code page * size}) is still an {@code int} offset. */
    static int maxPage(int size) {
        return Integer.MAX_VALUE / size;
    }

    /** Runs the query ({@code find} with the where clause and parameters): one page and the number of all matches. */
    <E> ListPage<E> page(Integer page, Integer size, BiFunction<String, Map<String, Object>, PanacheQuery<E>> find) {
        return page(page, size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, find);
    }

    /** As {@link #page(Integer, Integer, BiFunction)}, for a list with its own default and largest page size. */
    <E> ListPage<E> page(Integer page, Integer size, int defaultSize, int maxSize,
            BiFunction<String, Map<String, Object>, PanacheQuery<E>> find) {
        int p = page == null ? 0 : page;
        if (p < 0) {
            error("page", "页码从0开始 / page starts at 0");
        }
        int s = size == null ? defaultSize : size;
        if (s < 1 || s > maxSize) {
            error("size", "每页1-" + maxSize + "条 / size must be 1.." + maxSize);
        } else {
            offset(p, s);
        }
        PanacheQuery<E> query = checked(find);
        long total = query.count();
        return new ListPage<>(total == 0 ? List.of() : query.page(Page.of(p, s)).list(), total);
    }

    /** Every match, in {@code find}'s order, unpaged: for a list small enough to be read whole. */
    <E> ListPage<E> all(BiFunction<String, Map<String, Object>, PanacheQuery<E>> find) {
        List<E> items = checked(find).list();
        return new ListPage<>(items, items.size());
    }

    /** The first row, {@code page * size}, is an int in Panache and JPA: beyond it the offset would overflow. */
    private void offset(int page, int size) {
        if (page > maxPage(size)) {
            error("page", "页码过大，每页" + size + "条时最大为" + maxPage(size) + " / page must be at most "
                    + maxPage(size) + " with size " + size);
        }
    }

    private <E> PanacheQuery<E> checked(BiFunction<String, Map<String, Object>, PanacheQuery<E>> find) {
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        return find.apply(where.toString(), params);
    }
}
