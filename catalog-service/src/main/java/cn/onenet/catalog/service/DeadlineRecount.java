package cn.onenet.catalog.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.EntryEvent;
import cn.onenet.catalog.model.EntryState;
import cn.onenet.catalog.service.Workflow.ChangeTrigger;
import cn.onenet.catalog.service.Workflow.Deregistration;
import cn.onenet.common.workdays.WorkingDayCalendar;

/**
 * Counts the running deadlines of entries again when the working-day calendar changes (an admin enters a year's
 * notice, a holiday or a 调休 make-up working day; once after a start too): a review (2 working days, also of a
 * deregistration request) from the day it was submitted ({@code submittedAt}) or the deregistration was requested,
 * a change (10 working days, 15 once extended) from the day that triggered it ({@code changeTrigger.triggeredOn}), in
 * the calendar now in use. A moved deadline is stored without changing the entry's {@code lockVersion} (an edit sent
 * with the If-Match read before is accepted) and recorded in the entry's history as {@value #ACTION} with the former
 * and the new date. Entries no longer under review or change keep their dates; a timer whose start is not known (an
 * entry submitted before {@code submittedAt} was kept) is left alone. Idempotent, so every replica does it when its
 * calendar changes: of replicas doing it at once, one moves a deadline and records it.
 */
@ApplicationScoped
public class DeadlineRecount {

    private static final Logger LOG = Logger.getLogger(DeadlineRecount.class);
    public static final String ACTION = "RECOUNT_DEADLINE";
    private static final List<EntryState> UNDER_REVIEW = List.of(EntryState.SUBMITTED, EntryState.APPROVED,
            EntryState.DEREGISTER_PENDING);
    private static final List<EntryState> CHANGING = List.of(EntryState.CHANGE_PENDING, EntryState.RETURNED);
    private static final String CAUSE = "工作日历已调整，期限按起算日及工作日数重新计算 / the working-day calendar changed: "
            + "the deadline was counted again from its start";

    private final Json json;

    public DeadlineRecount(Json json) {
        this.json = json;
    }

    /** Moves the running deadlines to the day {@code calendar} gives them (in the caller's transaction). */
    public int recount(WorkingDayCalendar calendar) {
        int moved = 0;
        for (CatalogEntry e : CatalogEntry.<CatalogEntry>list("reviewDue is not null and state in ?1", UNDER_REVIEW)) {
            LocalDate start = reviewStart(e);
            if (start != null && move(e, "reviewDue", e.reviewDue,
                    calendar.addWorkingDays(start, CatalogService.REVIEW_PERIOD))) {
                moved++;
            }
        }
        for (CatalogEntry e : CatalogEntry.<CatalogEntry>list("changeDue is not null and state in ?1", CHANGING)) {
            ChangeTrigger t = e.changeTrigger == null ? null : json.read(e.changeTrigger, ChangeTrigger.class);
            int days = CatalogService.CHANGE_PERIOD + (e.changeExtended ? CatalogService.CHANGE_EXTENSION : 0);
            if (t != null && t.triggeredOn() != null
                    && move(e, "changeDue", e.changeDue, calendar.addWorkingDays(t.triggeredOn(), days))) {
                moved++;
            }
        }
        if (moved > 0) {
            LOG.infof("Working-day calendar changed: %d running deadlines counted again", moved);
        }
        return moved;
    }

    private LocalDate reviewStart(CatalogEntry e) {
        Instant at = e.submittedAt;
        if (e.state == EntryState.DEREGISTER_PENDING) {
            Deregistration d = e.deregistration == null ? null : json.read(e.deregistration, Deregistration.class);
            at = d == null ? null : d.requestedAt();
        }
        return at == null ? null : at.atZone(CalendarService.CHINA).toLocalDate();
    }

    private boolean move(CatalogEntry e, String field, LocalDate from, LocalDate to) {
        if (to.equals(from) || CatalogEntry.update(field + " = ?1 where id = ?2 and " + field + " = ?3", to, e.id,
                from) != 1) {
            return false;
        }
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put(field, Map.of("from", from.toString(), "to", to.toString()));
        EntryEvent ev = new EntryEvent();
        ev.entryId = e.id;
        ev.action = ACTION;
        ev.fromState = e.state.name();
        ev.toState = e.state.name();
        ev.actor = "catalog-service";
        ev.actorRole = "system";
        ev.opinion = CAUSE;
        ev.changes = json.write(changes);
        ev.at = Instant.now();
        ev.persist();
        return true;
    }
}
