package cn.onenet.common.workdays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class WorkingDayCalendarTest {

    // 2025 National Day + Mid-Autumn: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are make-up working days.
    private final WorkingDayCalendar calendar = new WorkingDayCalendar(
            Stream.iterate(LocalDate.of(2025, 10, 1), d -> d.plusDays(1)).limit(8).collect(Collectors.toSet()),
            Set.of(LocalDate.of(2025, 9, 28), LocalDate.of(2025, 10, 11)));

    @Test
    void makeUpSaturdayIsAWorkingDayAndHolidayWeekdayIsNot() {
        assertTrue(calendar.isWorkingDay(LocalDate.of(2025, 10, 11)));
        assertFalse(calendar.isWorkingDay(LocalDate.of(2025, 10, 3)));
        assertFalse(calendar.isWorkingDay(LocalDate.of(2025, 10, 12)));
        assertTrue(calendar.isWorkingDay(LocalDate.of(2025, 9, 28)));
    }

    @Test
    void tenWorkingDaysAcrossGoldenWeek() {
        // Received Fri 26 Sep: 28 Sep (Sun, make-up), 29, 30 Sep, then 9, 10, 11 (Sat, make-up), 13, 14, 15, 16 Oct.
        assertEquals(LocalDate.of(2025, 10, 16), calendar.addWorkingDays(LocalDate.of(2025, 9, 26), 10));
        assertEquals(10, calendar.workingDaysBetween(LocalDate.of(2025, 9, 26), LocalDate.of(2025, 10, 16)));
    }

    @Test
    void oneWorkingDayFromTheEveOfTheHoliday() {
        assertEquals(LocalDate.of(2025, 10, 9), calendar.addWorkingDays(LocalDate.of(2025, 9, 30), 1));
        assertEquals(LocalDate.of(2025, 9, 30), calendar.addWorkingDays(LocalDate.of(2025, 9, 30), 0));
    }
}
