package cn.onenet.catalog.service;

import cn.onenet.common.problem.ApiException;

/** Page numbers of the paged lists: Panache and JPA compute the first row, {@code page * size}, as an {@code int}. */
public final class Paging {

    private Paging() {
    }

    /** The last page whose first row ({@code page * size}) is still an {@code int} offset. */
    public static int maxPage(int size) {
        return Integer.MAX_VALUE / size;
    }

    /** Refuses, as a problem naming {@code page}, a page whose first row would overflow the offset. */
    public static void requireReachable(int page, int size) {
        if (page > maxPage(size)) {
            throw ApiException.field("page", "页码过大，每页" + size + "条时最大为" + maxPage(size) + " / page must be at most "
                    + maxPage(size) + " with size " + size);
        }
    }
}
