package cn.onenet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class DutyTallyTest {

    @Test
    void ratesAndMeansAreRoundedHalfUpAndNullWithoutABase() {
        DutyTally t = new DutyTally();
        assertEquals(0, t.total());
        assertNull(t.onTimeRate(), "none due");
        assertNull(t.averageWorkingDays(), "none done");

        t.open(false);
        assertEquals(1, t.total());
        assertNull(t.onTimeRate(), "a pending matter is not due yet");

        // 7 in time taking 1 working day each, 1 late taking 5, 1 overdue: 7 / 9 and 12 / 8
        for (int i = 0; i < 7; i++) {
            t.done(true, 1);
        }
        t.done(false, 5);
        t.open(true);
        assertEquals(List.of(10, 7, 1, 1, 1), List.of(t.total(), t.onTime(), t.late(), t.overdue(), t.pending()));
        assertEquals(0.7778, t.onTimeRate());
        assertEquals(1.5, t.averageWorkingDays());
    }

    @Test
    void onlyOverdueMattersGiveARateOfNought() {
        DutyTally t = new DutyTally();
        t.open(true);
        assertEquals(0.0, t.onTimeRate());
        assertNull(t.averageWorkingDays());
        // 2 of 3 in time: 0.66666… rounds up
        t.done(true, 0);
        t.done(true, 1);
        assertEquals(0.6667, t.onTimeRate());
        assertEquals(0.5, t.averageWorkingDays());
    }
}
