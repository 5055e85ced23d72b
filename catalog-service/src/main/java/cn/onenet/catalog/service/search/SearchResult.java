package cn.onenet.catalog.service.search;

import java.util.List;
import java.util.Map;

/** One page of hits, the total, the facet counts and the cursor of the next page (null at the end). */
public record SearchResult(long total, List<Hit> hits, Map<String, List<FacetCount>> facets, String nextCursor) {

    public record Hit(long id, String resourceCode, String name, String nameHighlight, String abstractHighlight,
            String providerDepartmentName, String shareAttribute, String openAttribute, String updateCycle,
            int version, float score) {
    }

    public record FacetCount(String value, int count) {
    }
}
