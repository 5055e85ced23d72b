package cn.onenet.identity.service;

import java.util.List;

/** One page of an administrator's list and how many match on all pages (the X-Total-Count header). */
public record ListPage<E>(List<E> items, long total) {
}
