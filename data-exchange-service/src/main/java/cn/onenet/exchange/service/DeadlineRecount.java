package cn.onenet.exchange.service;

import java.time.LocalDate;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.common.workdays.WorkingDayCalendar;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.model.Correction;
import cn.onenet.exchange.model.CountedDeadlineEntity;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.service.StateHistory.Actor;

/**
 * Counts the deadlines of open matters again when the working-day calendar changes (an admin enters a year's notice,
 * a holiday or a 调休 make-up working day). An active grant's undelivered data is due 20 working days after the day the
 * grant was issued (R10, until it is delivered or escalated); a security incident's rectification report the working
 * days the 主管部门 gave after the day it required it; an ended grant's unconfirmed disposal its configured working days
 * after the day it ended, a suspended grant's 整改期限 its working days after the suspension. A pending request (also one whose answer awaits the provider's
 * head), an open objection, an open complaint or an open correction request is due its
 * working days ({@code dueWorkingDays}, kept by {@link cn.onenet.exchange.model.DeadlineCount}, an extension's days
 * included) after the day it was received ({@code receivedOn}, reset when a request is resubmitted), counted in the
 * calendar now in use. A moved deadline gets a history step {@value #ACTION} (automatic, with the former and the new
 * date) and a notice {@value #NOTICE} to the department that must answer (for a request also to the requesting one;
 * for a complaint or a correction request also to the citizen or enterprise that filed it, in {@code /me/notices}).
 * Decided, answered, withdrawn and closed matters keep their dates. The update does not change the matter's
 * {@code version}: an answer sent with the version read before it is accepted. Counting again is idempotent (a
 * deadline already right is left alone, and of two replicas doing it at once only one moves a deadline), so every
 * replica does it when its calendar changes and once after it starts.
 */
@ApplicationScoped
public class DeadlineRecount {

    private static final Logger LOG = Logger.getLogger(DeadlineRecount.class);
    public static final String ACTION = "RECOUNT_DEADLINE";
    public static final String NOTICE = "DEADLINE_RECOUNTED";

    private final EntityManager em;
    private final StateHistory history;
    private final NoticeService notices;

    public DeadlineRecount(EntityManager em, StateHistory history, NoticeService notices) {
        this.em = em;
        this.history = history;
        this.notices = notices;
    }

    private static final String CAUSE = "工作日历已调整，期限按受理日及工作日数重新计算 / the working-day calendar "
            + "changed: the deadline was counted again from the day received";

    /** Moves the open deadlines to the day {@code calendar} gives them; returns how many moved. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int recount(WorkingDayCalendar calendar) {
        int moved = 0;
        // an answer awaiting the provider's head is still due by the request's deadline
        for (ShareRequest r : ShareRequest.<ShareRequest>list("status in " + RequestService.UNANSWERED
                + " order by id")) {
            LocalDate due = move(calendar, "ShareRequest", r.id, r);
            if (due != null) {
                announce(history.request(r, ACTION, r.status, Actor.SCHEDULER), StateHistory.REQUEST, r.id,
                        "共享申请答复期限", r.dueOn, due, r.providerDepartmentCode, r.consumerDepartmentCode);
                moved++;
            }
        }
        for (Objection o : Objection.<Objection>list("status = 'OPEN' order by id")) {
            LocalDate due = move(calendar, "Objection", o.id, o);
            if (due != null) {
                announce(history.objection(o, ACTION, o.status, Actor.SCHEDULER), StateHistory.OBJECTION, o.id,
                        "数据校核答复期限", o.dueOn, due, o.providerDepartmentCode);
                moved++;
            }
        }
        for (Complaint c : Complaint.<Complaint>list("status = 'OPEN' order by id")) {
            LocalDate due = move(calendar, "Complaint", c.id, c);
            if (due != null) {
                announce(history.complaint(c, ACTION, c.status, Actor.SCHEDULER), StateHistory.COMPLAINT, c.id,
                        "数据使用投诉说明期限", c.dueOn, due, c.consumerDepartmentCode);
                tellDataSubject(c.subjectHash, StateHistory.COMPLAINT, c.id, "您的投诉的说明期限", c.dueOn, due);
                moved++;
            }
        }
        for (Correction c : Correction.<Correction>list("status = 'OPEN' order by id")) {
            LocalDate due = move(calendar, "Correction", c.id, c);
            if (due != null) {
                announce(history.correction(c, ACTION, c.status, Actor.SCHEDULER), StateHistory.CORRECTION, c.id,
                        "个人信息更正补充申请答复期限", c.dueOn, due, c.providerDepartmentCode);
                tellDataSubject(c.subjectHash, StateHistory.CORRECTION, c.id, "您的更正补充申请的答复期限", c.dueOn, due);
                moved++;
            }
        }
        // R10: 20 working days from the approval, the day the grant was issued
        moved += recountGrants(calendar, "status = 'ACTIVE' and deliveryDue is not null "
                + "and firstDeliveredAt is null and deliveryEscalated = false", "deliveryDue",
                g -> LocalDate.ofInstant(g.createdAt, TimeSource.ZONE), g -> DeliveryDeadlines.DELIVERY_WORKING_DAYS,
                g -> g.deliveryDue, "共享授权数据交付期限", g -> new String[] { g.providerDepartmentCode });
        for (SecurityIncident i : SecurityIncident.<SecurityIncident>list("status = 'RECTIFYING' "
                + "and rectificationRequiredOn is not null and rectificationWorkingDays is not null order by id")) {
            LocalDate due = moveRectification(calendar, i);
            if (due != null) {
                announce(history.incident(i, ACTION, i.status, Actor.SCHEDULER), StateHistory.INCIDENT, i.id,
                        "数据安全事件整改报告期限", i.rectificationDueOn, due, i.responsibleDepartmentCode);
                moved++;
            }
        }
        // R14: an ended grant's disposal is due its working days after the day it ended; a suspension's 整改期限 its
        // working days after the day it was required
        moved += recountGrants(calendar, "disposalConfirmedAt is null and disposalEscalated = false "
                + "and disposalStartedOn is not null and disposalWorkingDays is not null and disposalDue is not null",
                "disposalDue", g -> g.disposalStartedOn, g -> g.disposalWorkingDays, g -> g.disposalDue,
                "共享数据处置确认期限", g -> new String[] { g.consumerDepartmentCode });
        moved += recountGrants(calendar, "status = 'SUSPENDED' and rectificationEscalated = false "
                + "and rectificationRequiredOn is not null and rectificationWorkingDays is not null "
                + "and rectificationDue is not null", "rectificationDue", g -> g.rectificationRequiredOn,
                g -> g.rectificationWorkingDays, g -> g.rectificationDue, "暂停授权整改期限",
                g -> new String[] { g.consumerDepartmentCode, g.providerDepartmentCode });
        if (moved > 0) {
            LOG.infof("Working-day calendar changed: %d open deadlines counted again", moved);
        }
        return moved;
    }

    /**
     * The matter's deadline its {@code dueWorkingDays} after {@code receivedOn} in {@code calendar}, stored unless
     * another replica moved it first; null when it stays (no count, already right, or moved by another replica).
     */
    private LocalDate move(WorkingDayCalendar calendar, String entity, long id, CountedDeadlineEntity matter) {
        if (matter.receivedOn == null || matter.dueWorkingDays == null || matter.dueOn == null) {
            return null;
        }
        LocalDate due = calendar.addWorkingDays(matter.receivedOn, matter.dueWorkingDays);
        if (due.equals(matter.dueOn)) {
            return null;
        }
        int updated = em.createQuery("update " + entity + " m set m.dueOn = ?1 where m.id = ?2 and m.dueOn = ?3")
                .setParameter(1, due).setParameter(2, id).setParameter(3, matter.dueOn).executeUpdate();
        return updated == 1 ? due : null;
    }

    /**
     * Moves {@code field} of the grants {@code where} selects to its days after its start; announces each move to
     * {@code departments}; returns how many moved.
     */
    private int recountGrants(WorkingDayCalendar calendar, String where, String field,
            Function<ShareGrant, LocalDate> start, Function<ShareGrant, Integer> days,
            Function<ShareGrant, LocalDate> current, String what, Function<ShareGrant, String[]> departments) {
        int moved = 0;
        for (ShareGrant g : ShareGrant.<ShareGrant>list(where + " order by id")) {
            LocalDate due = moveGrantDate(calendar, g, field, start.apply(g), days.apply(g), current.apply(g));
            if (due != null) {
                announce(history.grant(g, ACTION, g.status, Actor.SCHEDULER), StateHistory.GRANT, g.id, what,
                        current.apply(g), due, departments.apply(g));
                moved++;
            }
        }
        return moved;
    }

    /**
     * As {@link #move}, for a date of a grant ({@code field}: disposalDue, rectificationDue) its {@code days} working
     * days after {@code start}.
     */
    private LocalDate moveGrantDate(WorkingDayCalendar calendar, ShareGrant g, String field, LocalDate start, int days,
            LocalDate current) {
        LocalDate due = calendar.addWorkingDays(start, days);
        if (due.equals(current)) {
            return null;
        }
        int updated = em.createQuery("update ShareGrant g set g." + field + " = ?1 where g.id = ?2 and g." + field
                + " = ?3").setParameter(1, due).setParameter(2, g.id).setParameter(3, current).executeUpdate();
        return updated == 1 ? due : null;
    }

    /** As {@link #move}, for a security incident's rectification report, counted from the day it was required. */
    private LocalDate moveRectification(WorkingDayCalendar calendar, SecurityIncident i) {
        LocalDate due = calendar.addWorkingDays(i.rectificationRequiredOn, i.rectificationWorkingDays);
        if (due.equals(i.rectificationDueOn)) {
            return null;
        }
        int updated = em.createQuery("update SecurityIncident i set i.rectificationDueOn = ?1 where i.id = ?2 "
                + "and i.rectificationDueOn = ?3").setParameter(1, due).setParameter(2, i.id)
                .setParameter(3, i.rectificationDueOn).executeUpdate();
        return updated == 1 ? due : null;
    }

    /**
     * Records the moved deadline as an automatic history step of the matter and tells each department that must act
     * by it (the same message to each).
     */
    private void announce(StateHistory.Entry step, String objectType, long id, String what, LocalDate from,
            LocalDate to, String... departments) {
        step.automatic(true).reason(CAUSE).detail("previousDueOn", from).detail("dueOn", to).write();
        String message = message(what, from, to);
        for (String department : departments) {
            notices.notify(department, NOTICE, objectType, id, message);
        }
    }

    /** The citizen or enterprise waiting on the matter learns its new date in its own inbox, as it learns the answer. */
    private void tellDataSubject(String subjectHash, String objectType, long id, String what, LocalDate from,
            LocalDate to) {
        notices.notifyDataSubject(subjectHash, NOTICE, objectType, id, message(what, from, to));
    }

    private static String message(String what, LocalDate from, LocalDate to) {
        return "工作日历已调整，" + what + "由 " + from + " 改为 " + to
                + " / the working-day calendar changed: the deadline moved from " + from + " to " + to;
    }
}
