package cn.onenet.common.workdays;

import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What is known of the years the State Council's yearly notice (国务院办公厅关于某年部分节假日安排的通知) does not cover
 * yet. The fixed-date holidays of 《全国年节及纪念日放假办法》 (2024 revision, in force since 2025) are rest days in
 * every year from 2025 whether a notice was entered or not (a notice only adds days around them): 元旦 1 January,
 * 劳动节 1–2 May, 国庆节 1–3 October; a make-up working day an admin enters still wins. The lunar holidays (春节,
 * 清明节, 端午节, 中秋节), the days a notice adds and the weekend 调休 make-up working days are only known from the
 * notice and are not guessed. A year is covered once the calendar holds both ends of its notice: a day of 春节 (a
 * holiday between 15 January and the end of February, after any 元旦 bridge) and a day of the 国庆节 week beyond the
 * fixed three (4–8 October), so a notice entered only in part (元旦 alone, say) leaves the year provisional; the
 * coverage ends on 31 December of the last year of the unbroken run of covered years that starts with the first one,
 * and a deadline after it is provisional. catalog-service and data-exchange-service both count with these rules, so
 * they give a deadline the same day.
 */
public final class StatutoryHolidays {

    /** The fixed-date holidays of the 2024 revision. */
    public static final List<MonthDay> FIXED = List.of(MonthDay.of(1, 1), MonthDay.of(5, 1), MonthDay.of(5, 2),
            MonthDay.of(10, 1), MonthDay.of(10, 2), MonthDay.of(10, 3));
    /** The first year the 2024 revision applies to. */
    public static final int FIRST_YEAR = 2025;
    /** How many years after the coverage the fixed dates are counted (far beyond any deadline). */
    static final int YEARS_AHEAD = 50;

    private StatutoryHolidays() {
    }

    /** Every notice's 春节 days lie in this window (the lunar new year falls between 21 January and 20 February). */
    private static final MonthDay SPRING_FESTIVAL_FROM = MonthDay.of(1, 15);
    private static final MonthDay SPRING_FESTIVAL_TO = MonthDay.of(2, 29);
    /** Every notice makes 国庆节 a week: its days beyond the fixed 1–3 October. */
    private static final MonthDay NATIONAL_DAY_WEEK_FROM = MonthDay.of(10, 4);
    private static final MonthDay NATIONAL_DAY_WEEK_TO = MonthDay.of(10, 8);

    /** 31 December of the last year of the unbroken run of covered years; null when no year is covered. */
    public static LocalDate coveredUntil(Collection<LocalDate> holidays) {
        Set<Integer> springFestival = yearsWithin(holidays, SPRING_FESTIVAL_FROM, SPRING_FESTIVAL_TO);
        Set<Integer> years = yearsWithin(holidays, NATIONAL_DAY_WEEK_FROM, NATIONAL_DAY_WEEK_TO);
        years.retainAll(springFestival);
        Integer year = years.stream().min(Integer::compare).orElse(null);
        if (year == null) {
            return null;
        }
        while (years.contains(year + 1)) {
            year++;
        }
        return LocalDate.of(year, 12, 31);
    }

    /** {@code holidays} and the fixed-date holidays of every year from 2025 to well after the last entered. */
    public static Set<LocalDate> withFixedDates(Collection<LocalDate> holidays) {
        int last = years(holidays).stream().max(Integer::compare).orElse(FIRST_YEAR);
        Set<LocalDate> all = new HashSet<>(holidays);
        for (int year = FIRST_YEAR; year <= Math.max(last, LocalDate.now().getYear()) + YEARS_AHEAD; year++) {
            for (MonthDay d : FIXED) {
                all.add(d.atYear(year));
            }
        }
        return all;
    }

    private static Set<Integer> yearsWithin(Collection<LocalDate> holidays, MonthDay from, MonthDay to) {
        Set<Integer> years = new HashSet<>();
        for (LocalDate d : holidays) {
            MonthDay day = MonthDay.from(d);
            if (!day.isBefore(from) && !day.isAfter(to)) {
                years.add(d.getYear());
            }
        }
        return years;
    }

    private static Set<Integer> years(Collection<LocalDate> holidays) {
        Set<Integer> years = new HashSet<>();
        holidays.forEach(d -> years.add(d.getYear()));
        return years;
    }

    /** A deadline after the coverage: it may still move when the year's notice is entered. */
    public static boolean provisional(LocalDate dueOn, LocalDate coveredUntil) {
        return dueOn != null && (coveredUntil == null || dueOn.isAfter(coveredUntil));
    }
}
