package cn.onenet.exchange.service;

import java.util.Map;

import jakarta.persistence.EntityManager;
import jakarta.persistence.OptimisticLockException;

import org.hibernate.StaleStateException;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;

/** Optimistic locking: the caller names the version it saw; two reviewers acting at once, one wins, one gets 409. */
public final class Versions {

    private Versions() {
    }

    public static void check(Integer expected, int actual) {
        if (expected == null) {
            throw Fields.VERSION.isRequired();
        }
        if (expected < 0) {
            // no version is ever negative: a malformed value, not a stale one
            throw ApiException.field("version", "版本号须为非负整数 / version must be a whole number of 0 or more");
        }
        if (expected != actual) {
            throw stale(actual);
        }
    }

    /** Writes the change now so a concurrent winner shows up as 409 here, not as a failed commit later. */
    public static void flush(EntityManager em) {
        try {
            em.flush();
        } catch (OptimisticLockException | StaleStateException e) {
            throw stale(-1);
        }
    }

    private static ApiException stale(int current) {
        return new ApiException(ProblemType.STALE_VERSION,
                "数据已被他人修改，请刷新后重试 / the resource was changed by someone else",
                java.util.List.of(), current >= 0 ? Map.of("currentVersion", current) : Map.of(), Map.of());
    }
}
