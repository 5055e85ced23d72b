package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The range of instants the API accepts as input: years {@value #MIN_YEAR} to {@value #MAX_YEAR}. ISO-8601 allows
 * far more (e.g. {@code +300000-01-01T00:00:00Z}) than PostgreSQL's {@code timestamptz} holds, and no validity period
 * or audit filter needs it.
 */
final class Instants {

    static final int MIN_YEAR = 1900;
    static final int MAX_YEAR = 9999;

    private Instants() {
    }

    /** The problem with {@code value} as the field {@code field} when it lies outside the range (in UTC), else empty. */
    static Optional<String> outsideRange(String field, OffsetDateTime value) {
        if (value == null) {
            return Optional.empty();
        }
        int year = value.toInstant().atOffset(java.time.ZoneOffset.UTC).getYear();
        if (year >= MIN_YEAR && year <= MAX_YEAR) {
            return Optional.empty();
        }
        return Optional.of("须在 " + MIN_YEAR + " 至 " + MAX_YEAR + " 年之间 / " + field + " must lie in the years "
                + MIN_YEAR + " to " + MAX_YEAR);
    }
}
