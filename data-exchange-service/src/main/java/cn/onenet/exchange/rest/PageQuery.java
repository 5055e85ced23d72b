package cn.onenet.exchange.rest;

import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The page and size query parameters every paged list takes ({@link ListPaging}), declared once. */
public class PageQuery {

    @Parameter(description = ListPaging.PAGE_DOC, example = "0")
    @QueryParam("page")
    String page;

    @Parameter(description = ListPaging.SIZE_DOC, example = "50")
    @QueryParam("size")
    String size;

    /** The page asked for (400 naming page or size when out of range). */
    ListPaging paging(int maxSize) {
        return ListPaging.of(page, size, maxSize);
    }
}
