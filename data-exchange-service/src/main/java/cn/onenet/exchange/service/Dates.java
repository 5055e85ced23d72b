package cn.onenet.exchange.service;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Checks of dates in request bodies, headers and query parameters: a year outside {@value #MIN_YEAR}–{@value #MAX_YEAR}
 * is refused (400 naming the field) before it reaches a DATE or TIMESTAMPTZ column (PostgreSQL stores neither far
 * before the common era nor, for timestamps, beyond year 294276) or a calculation with it.
 */
public final class Dates {

    public static final int MIN_YEAR = 1900;
    public static final int MAX_YEAR = 9999;

    /** The message of a field refused for its year. */
    public static final String OUT_OF_RANGE = "年份须在 " + MIN_YEAR + " 至 " + MAX_YEAR + " 之间 / the year must be "
            + MIN_YEAR + "–" + MAX_YEAR;

    private Dates() {
    }

    /** Whether the day's year is within {@value #MIN_YEAR}–{@value #MAX_YEAR}. */
    public static boolean sane(LocalDate day) {
        return day.getYear() >= MIN_YEAR && day.getYear() <= MAX_YEAR;
    }

    /**
     * Whether the time's year, at its own offset, is within {@value #MIN_YEAR}–{@value #MAX_YEAR} (not converted:
     * converting a time at the end of the supported range to UTC would itself fail).
     */
    public static boolean sane(OffsetDateTime at) {
        return at.getYear() >= MIN_YEAR && at.getYear() <= MAX_YEAR;
    }
}
