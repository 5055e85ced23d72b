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
        if (entity instanceof ShareRequest r) {
            r.countedFor = new Basis(r.receivedOn, r.dueOn);
        } else if (entity instanceof Objection o) {
            o.countedFor = new Basis(o.receivedOn, o.dueOn);
        } else if (entity instanceof Complaint c) {
            c.countedFor = new Basis(c.receivedOn, c.dueOn);
        }
    }

    @PrePersist
    @PreUpdate
    void written(Object entity) {
        if (entity instanceof ShareRequest r) {
            Basis now = new Basis(r.receivedOn, r.dueOn);
            if (!now.equals(r.countedFor)) {
                r.dueWorkingDays = count(now);
                r.countedFor = now;
            }
        } else if (entity instanceof Objection o) {
            Basis now = new Basis(o.receivedOn, o.dueOn);
            if (!now.equals(o.countedFor)) {
                o.dueWorkingDays = count(now);
                o.countedFor = now;
            }
        } else if (entity instanceof Complaint c) {
            Basis now = new Basis(c.receivedOn, c.dueOn);
            if (!now.equals(c.countedFor)) {
                c.dueWorkingDays = count(now);
                c.countedFor = now;
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
