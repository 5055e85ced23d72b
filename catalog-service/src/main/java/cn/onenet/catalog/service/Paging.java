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

    /**
     * The page size asked for: {@code fallback} when not given; below 1 or above {@code max} it is refused naming
     * {@code size}, as identity and the exchange do: nothing is silently cut or read as 1.
     */
    public static int size(Integer size, int fallback, int max) {
        if (size == null) {
            return fallback;
        }
        if (size < 1 || size > max) {
            throw ApiException.field("size", "每页条数须为1到" + max + "之间的整数 / the page size must be a whole "
                    + "number from 1 to " + max);
        }
        return size;
    }

    /** The page asked for: 0 when not given; a negative one is refused naming {@code page}, not read as 0. */
    public static int page(Integer page) {
        if (page == null) {
            return 0;
        }
        if (page < 0) {
            throw ApiException.field("page", "页码不能为负 / page must not be negative");
        }
        return page;
    }

    /** Refuses, as a problem naming {@code page}, a page whose first row would overflow the offset. */
    public static void requireReachable(int page, int size) {
        if (page > maxPage(size)) {
            throw ApiException.field("page", "页码过大，每页" + size + "条时最大为" + maxPage(size) + " / page must be at most "
                    + maxPage(size) + " with size " + size);
        }
    }
}
