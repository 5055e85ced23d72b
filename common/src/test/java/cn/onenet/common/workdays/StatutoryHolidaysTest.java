package cn.onenet.common.workdays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class StatutoryHolidaysTest {

    private static final List<LocalDate> NOTICES = List.of(LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 28),
            LocalDate.of(2025, 10, 8), LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 23), LocalDate.of(2026, 10, 7));

    @Test
    void aYearIsCoveredOnlyOnceItsNoticeIsEnteredFromSpringFestivalToTheNationalDayWeek() {
        List<LocalDate> partly = new java.util.ArrayList<>(NOTICES);
        // the 2027 notice begun: 元旦 and its bridge, then 春节, are not yet the whole notice
        partly.add(LocalDate.of(2027, 1, 1));
        partly.add(LocalDate.of(2027, 1, 3));
        assertEquals(LocalDate.of(2026, 12, 31), StatutoryHolidays.coveredUntil(partly));
        partly.add(LocalDate.of(2027, 2, 6));
        assertEquals(LocalDate.of(2026, 12, 31), StatutoryHolidays.coveredUntil(partly));
        // the fixed 国庆节 days say nothing of the notice; its week's later days do
        partly.add(LocalDate.of(2027, 10, 3));
        assertEquals(LocalDate.of(2026, 12, 31), StatutoryHolidays.coveredUntil(partly));
        partly.add(LocalDate.of(2027, 10, 7));
        assertEquals(LocalDate.of(2027, 12, 31), StatutoryHolidays.coveredUntil(partly));
        // a 国庆节 week without 春节 covers nothing either
        assertNull(StatutoryHolidays.coveredUntil(List.of(LocalDate.of(2025, 10, 6))));
    }

    @Test
    void theCoverageEndsWithTheUnbrokenRunOfNoticedYears() {
        assertEquals(LocalDate.of(2026, 12, 31), StatutoryHolidays.coveredUntil(NOTICES));
        List<LocalDate> withGap = new java.util.ArrayList<>(NOTICES);
        withGap.addAll(List.of(LocalDate.of(2028, 1, 27), LocalDate.of(2028, 10, 5)));
        assertEquals(LocalDate.of(2026, 12, 31), StatutoryHolidays.coveredUntil(withGap));
        assertNull(StatutoryHolidays.coveredUntil(List.of()));
    }

    @Test
    void afterTheCoverageTheFixedDateHolidaysAreRestDaysAndDeadlinesProvisional() {
        WorkingDayCalendar calendar = new WorkingDayCalendar(StatutoryHolidays.withFixedDates(NOTICES), Set.of());
        // 元旦 2027 is no working day although no 2027 notice was entered
        assertEquals(LocalDate.of(2027, 1, 4), calendar.addWorkingDays(LocalDate.of(2026, 12, 18), 10));
        assertEquals(LocalDate.of(2027, 5, 3), calendar.addWorkingDays(LocalDate.of(2027, 4, 30), 1));
        assertEquals(LocalDate.of(2027, 10, 4), calendar.addWorkingDays(LocalDate.of(2027, 9, 30), 1));
        LocalDate covered = StatutoryHolidays.coveredUntil(NOTICES);
        assertTrue(StatutoryHolidays.provisional(LocalDate.of(2027, 1, 4), covered));
        assertFalse(StatutoryHolidays.provisional(LocalDate.of(2026, 12, 31), covered));
        assertTrue(StatutoryHolidays.provisional(LocalDate.of(2026, 1, 5), null));
    }
}
