package cn.onenet.exchange.model;

import java.time.LocalDate;

import jakarta.persistence.PostLoad;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;

import cn.onenet.common.workdays.WorkingDayCalendar;
import cn.onenet.exchange.service.CalendarService;
import io.quarkus.arc.Arc;

/**
 * Keeps the working-day count behind a deadline ({@code dueWorkingDays}) of a request, objection or complaint: when
 * {@code receivedOn} or {@code dueOn} is written, the count is the working days from one to the other in the calendar
 * that has just counted {@code dueOn} (an extension's days included), so a change of the calendar can count the
 * deadline again from the same start (see {@code DeadlineRecount}). A {@code dueOn} that is no working day after
 * {@code receivedOn} was not counted by the calendar: its count is null and it is never recounted.
 */
public class DeadlineCount {

    /** What a count was taken from: {@code receivedOn} and {@code dueOn}. */
    public record Basis(LocalDate start, LocalDate dueOn) {
    }

    @PostLoad
    void loaded(Object entity) {
        if (entity instanceof CountedDeadlineEntity e) {
            e.countedFor = new Basis(e.receivedOn, e.dueOn);
        }
    }

    @PrePersist
    @PreUpdate
    void written(Object entity) {
        if (entity instanceof CountedDeadlineEntity e) {
            Basis now = new Basis(e.receivedOn, e.dueOn);
            if (!now.equals(e.countedFor)) {
                e.dueWorkingDays = count(now);
                e.countedFor = now;
            }
        }
    }

    static Integer count(Basis b) {
        if (b.start() == null || b.dueOn() == null || !b.dueOn().isAfter(b.start())) {
            return null;
        }
        WorkingDayCalendar calendar = Arc.container().instance(CalendarService.class).get().calendar();
        int days = calendar.workingDaysBetween(b.start(), b.dueOn());
        return calendar.addWorkingDays(b.start(), days).equals(b.dueOn()) ? days : null;
    }
}
