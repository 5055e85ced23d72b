package cn.onenet.catalog.rest;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.catalog.config.CatalogConfig;
import cn.onenet.catalog.model.Codes;
import cn.onenet.catalog.model.DataGrade;
import cn.onenet.catalog.model.FormatClass;
import cn.onenet.catalog.model.OpenAttribute;
import cn.onenet.catalog.model.ResourceClass;
import cn.onenet.catalog.model.ShareAttribute;
import cn.onenet.catalog.model.UpdateCycle;
import cn.onenet.catalog.service.Caller;
import cn.onenet.catalog.service.Paging;
import cn.onenet.catalog.service.search.SearchIndex;
import cn.onenet.catalog.service.search.SearchRequest;
import cn.onenet.catalog.service.search.SearchResult;
import cn.onenet.catalog.service.search.SearchService;
import cn.onenet.common.problem.ApiException;
import io.quarkus.security.identity.SecurityIdentity;

/** Chinese full-text search over published entries, with facets and cursor paging. */
@Path("/api/catalog/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "search", description = "目录检索 / catalogue search")
public class SearchResource {

    /** The facets whose values are codes (the provider facet is the department's name, kept as typed). */
    private static final Set<String> CODE_DIMENSIONS = Set.of("region");

    /**
     * The facets whose values are the names of an enumeration: a value that is none of them matches no entry, so it is
     * refused (400 naming the facet, with the values it takes) rather than answered with an empty page as if no entry
     * had the value asked for.
     */
    private static final Map<String, Class<? extends Enum<?>>> ENUM_DIMENSIONS = Map.of("resourceClass",
            ResourceClass.class, "shareAttribute", ShareAttribute.class, "openAttribute", OpenAttribute.class,
            "updateCycle", UpdateCycle.class, "grade", DataGrade.class, "format", FormatClass.class);

    /** A region filter is a GB/T 2260 code (six digits; a city or province code finds the regions within it). */
    private static final java.util.regex.Pattern REGION = java.util.regex.Pattern.compile("[0-9]{6}");

    private final SearchService search;
    private final SecurityIdentity identity;
    private final CatalogConfig config;

    public SearchResource(SearchService search, SecurityIdentity identity, CatalogConfig config) {
        this.search = search;
        this.identity = identity;
        this.config = config;
    }

    @GET
    @PermitAll
    @Operation(summary = "Search published entries: Chinese text (1+ characters, abbreviations such as 社保 and "
            + "公积金 expanded), resource codes (exact or prefix), facet filters as parameters (provider, "
            + "resourceClass, category, shareAttribute, openAttribute, updateCycle, region, grade, format; a "
            + "city or province region also finds the entries of the regions within it). Words such as 查询, 我的 "
            + "and 信息 are left out (`ignoredWords`); a query that matches nothing is tried with common misspellings "
            + "corrected (`correctedQuery`), then by part of its words (`partial`). "
            + "Anonymous callers, citizens and enterprises see only open entries (the open-data portal). Page on with `cursor`.")
    public SearchResult search(@QueryParam("q") String q, @QueryParam("cursor") String cursor,
            @QueryParam("size") Integer size, @QueryParam("facets") Boolean facets, @Context UriInfo uri) {
        if (q != null && q.length() > 200) {
            throw ApiException.field("q", "检索词过长（至多200字） / query too long (≤200)");
        }
        int s = Paging.size(size, 20, config.maxPageSize());
        Map<String, String> filters = new LinkedHashMap<>();
        for (String dim : SearchIndex.DIMENSIONS) {
            String v = uri.getQueryParameters().getFirst(dim);
            if (v != null && !v.isBlank()) {
                // a region code typed full-width or with an ideographic space is the same code
                filters.put(dim, CODE_DIMENSIONS.contains(dim) ? Codes.normalize(v) : v);
            }
        }
        for (Map.Entry<String, Class<? extends Enum<?>>> dim : ENUM_DIMENSIONS.entrySet()) {
            String v = filters.get(dim.getKey());
            List<String> allowed = Arrays.stream(dim.getValue().getEnumConstants()).map(Enum::name).toList();
            if (v != null && !allowed.contains(v)) {
                throw ApiException.field(dim.getKey(), "取值无效，允许的值 / invalid value, allowed: "
                        + String.join(", ", allowed));
            }
        }
        if (filters.containsKey("region") && !REGION.matcher(filters.get("region")).matches()) {
            throw ApiException.field("region", "行政区划代码应为6位数字 / the region must be a six-digit GB/T 2260 code");
        }
        Caller c = Callers.of(identity);
        boolean withFacets = facets == null ? (cursor == null || cursor.isBlank()) : facets;
        return search.search(new SearchRequest(q, filters, s, cursor, c.openViewOnly(), withFacets));
    }
}
