package cn.onenet.exchange.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;

/**
 * The where clause of a paged list (share requests, grants and the cases: disputes, objections, complaints,
 * incidents) over its entity, with its named parameters: the caller's visibility and the list's filters. One page and
 * the count of every match on all pages are both read in the database with the same clause, so the count follows the
 * same visibility rule as the page.
 */
record CaseFilter(String where, Map<String, Object> params) {

    /**
     * A reviewer's cases: those of its region ({@code regionCode}, 6 digits; none when null) or, with its department
     * ({@code :dept} in {@code partyClause}; none when null), those its department is a party to.
     */
    static CaseFilter regionOrParty(String region, String partyClause, String department) {
        Map<String, Object> params = new HashMap<>();
        List<String> any = new ArrayList<>();
        if (region != null) {
            any.add("regionCode = :region");
            params.put("region", region);
        }
        if (department != null) {
            any.add(partyClause);
            params.put("dept", department);
        }
        return new CaseFilter(any.isEmpty() ? "1 = 0" : "(" + String.join(" or ", any) + ")", params);
    }

    /** This filter narrowed by one more condition with its one parameter (a single item's view). */
    CaseFilter and(String condition, String name, Object value) {
        Map<String, Object> narrowed = new HashMap<>(params);
        narrowed.put(name, value);
        return new CaseFilter(where + " and " + condition, narrowed);
    }

    /** One page of the matching cases, newest first (empty past the last). */
    <T> List<T> page(EntityManager em, Class<T> entity, int page, int size) {
        TypedQuery<T> q = em.createQuery("from " + entity.getSimpleName() + " where " + where + " order by id desc",
                entity);
        params.forEach(q::setParameter);
        long first = Math.min((long) page * size, Integer.MAX_VALUE - (long) size);
        return q.setFirstResult((int) first).setMaxResults(size).getResultList();
    }

    /** How many cases match, on all pages. */
    long count(EntityManager em, Class<?> entity) {
        TypedQuery<Long> q = em.createQuery("select count(*) from " + entity.getSimpleName() + " where " + where,
                Long.class);
        params.forEach(q::setParameter);
        return q.getSingleResult();
    }
}
