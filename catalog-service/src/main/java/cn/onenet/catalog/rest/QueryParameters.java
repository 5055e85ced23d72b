package cn.onenet.catalog.rest;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import cn.onenet.catalog.service.search.SearchIndex;
import cn.onenet.common.problem.ApiException;

/**
 * A query parameter the operation does not read is refused with 400 naming it, rather than ignored: a misspelt
 * filter ({@code shareattribute=}, {@code stat=}) or one the API does not have ({@code sort=}, {@code order=}) would
 * otherwise answer as if it had been applied, and the caller would take an unfiltered or unsorted answer for the one
 * asked for. The parameters an operation reads are its {@code @QueryParam}s; the search also reads its facet filters.
 */
public class QueryParameters {

    private static final ConcurrentMap<Method, Set<String>> KNOWN = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void refuseUnknown(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return; // not an operation of this API
        }
        Set<String> known = KNOWN.computeIfAbsent(method, QueryParameters::read);
        for (String name : request.getUriInfo().getQueryParameters().keySet()) {
            if (!known.contains(name)) {
                throw ApiException.field(name, "未知查询参数，本操作可用 / unknown query parameter; this operation reads: "
                        + (known.isEmpty() ? "（无 / none）" : String.join(", ", known)));
            }
        }
    }

    private static Set<String> read(Method method) {
        TreeSet<String> names = new TreeSet<>();
        for (Annotation[] annotations : method.getParameterAnnotations()) {
            for (Annotation a : annotations) {
                if (a instanceof QueryParam q) {
                    names.add(q.value());
                }
            }
        }
        if (method.getDeclaringClass() == SearchResource.class) {
            names.addAll(SearchIndex.DIMENSIONS); // the facet filters, read from the URI
        }
        return java.util.Collections.unmodifiableSortedSet(names);
    }
}
