package cn.onenet.catalog.service.search;

import java.util.Map;

/** A search: free text, facet filters (dimension → value), a page size and the cursor of the previous page. */
public record SearchRequest(String q, Map<String, String> filters, int size, String cursor, boolean openOnly,
        boolean facets) {
}
