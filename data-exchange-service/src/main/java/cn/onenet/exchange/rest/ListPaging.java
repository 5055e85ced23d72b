package cn.onenet.exchange.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

import cn.onenet.exchange.service.Fields;

/**
 * The page and size query parameters of the paged lists (requests, grants, disputes, objections, complaints,
 * incidents): {@code page} from 0 (default 0), {@code size} from 1 to {@code exchange.max-page-size} (default 50);
 * anything else answers 400 problem+json naming the field. The page is the body, newest first; the
 * {@value GrantResource#TOTAL_COUNT} header counts every match on all pages.
 */
record ListPaging(int page, int size) {

    static final int DEFAULT_SIZE = 50;

    static final String PAGE_DOC = "page number from 0 (default 0)";
    static final String SIZE_DOC = "rows per page, 1 to 200 (default 50)";
    static final String TOTAL_DOC = "how many match the filter, on all pages";
    static final String BAD_INPUT = "a bad page, size or filter, named in field";
    static final String BAD_SIZE_EXAMPLE = "{\"type\": \"urn:onenet:problem:validation\", "
            + "\"title\": \"请求参数校验失败\", \"status\": 400, "
            + "\"detail\": \"每页条数须为 1 到 200 之间的整数 / the page size must be a whole number from 1 to 200\", "
            + "\"field\": \"size\", \"errors\": [{\"field\": \"size\", "
            + "\"message\": \"每页条数须为 1 到 200 之间的整数 / the page size must be a whole number from 1 to 200\"}], "
            + "\"requestId\": \"5a0c7e3b-9d14-4f62-8b1e-2c6f4a9d7e30\"}";

    /** The page asked for; blank parameters take their defaults. */
    static ListPaging of(String page, String size, int maxSize) {
        return of(page, size, maxSize, DEFAULT_SIZE);
    }

    /** As {@link #of(String, String, int)}, with another size when none is given. */
    static ListPaging of(String page, String size, int maxSize, int defaultSize) {
        return new ListPaging(number(Fields.PAGE, page, 0, Integer.MAX_VALUE, 0),
                number(Fields.SIZE, size, 1, maxSize, defaultSize));
    }

    /** The page as the body, with the count of every match on all pages. */
    static Response answer(List<?> items, long total) {
        return Response.ok(items).header(GrantResource.TOTAL_COUNT, total).build();
    }

    /**
     * A status filter must be one of {@code allowed} (absent: no filter); anything else answers 400 naming the field
     * status, listing the allowed values.
     */
    static void requireKnownStatus(String status, List<Fields.Choice> allowed) {
        if (status != null && !Fields.codes(allowed).contains(status)) {
            throw Fields.STATUS.notOneOf(allowed);
        }
    }

    private static int number(Fields.Field field, String value, int min, int max, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return (int) n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw field.error(field.wholeNumber(min, max));
    }
}
