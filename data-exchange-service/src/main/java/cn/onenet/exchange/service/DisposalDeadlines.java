package cn.onenet.exchange.service;

import java.time.LocalDate;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.service.StateHistory.Actor;
import io.quarkus.scheduler.Scheduled;

/**
 * R14 (条例第二十七条第一款、第四十条第四项): once a grant is terminated or expired the consumer disposes of the data as
 * the provider requires and confirms it by the grant's {@code disposalDue}. Daily the consumer is reminded once when
 * the due day is near ({@code exchange.disposal.reminder-working-days}); a disposal still unconfirmed after it is
 * escalated once: the consumer, the provider and the 主管部门 of the grant's region are told (as for overdue deliveries),
 * unless the consumer disputes the termination (an OPEN dispute, R17: the data may be its to keep). A suspension whose
 * 整改期限 passed while the grant is still suspended is escalated once to the 主管部门 too (R14: terminate if not
 * rectified), and the provider is told.
 */
@ApplicationScoped
public class DisposalDeadlines {

    public static final String DUE_SOON = "DISPOSAL_DUE_SOON";
    public static final String OVERDUE = "DISPOSAL_OVERDUE";
    public static final String RECTIFICATION_OVERDUE = "RECTIFICATION_OVERDUE";

    private final TimeSource time;
    private final CalendarService calendar;
    private final NoticeService notices;
    private final GrantService grants;
    private final StateHistory history;
    private final ExchangeConfig config;

    public DisposalDeadlines(TimeSource time, CalendarService calendar, NoticeService notices, GrantService grants,
            StateHistory history, ExchangeConfig config) {
        this.time = time;
        this.calendar = calendar;
        this.notices = notices;
        this.grants = grants;
        this.history = history;
        this.config = config;
    }

    /** One daily round: due days counted where missing, reminders, escalations; returns how many were escalated. */
    @Transactional
    public int run() {
        LocalDate today = time.today();
        // grants that ended before V56: their deadline runs from the migration's day
        for (ShareGrant g : ShareGrant.<ShareGrant>list("disposalStartedOn is not null and disposalDue is null "
                + "and disposalConfirmedAt is null")) {
            g.disposalWorkingDays = config.disposal().workingDays();
            g.disposalDue = calendar.calendar().addWorkingDays(g.disposalStartedOn, g.disposalWorkingDays);
        }
        LocalDate soon = calendar.calendar().addWorkingDays(today, config.disposal().reminderWorkingDays());
        for (ShareGrant g : ShareGrant.<ShareGrant>list("disposalConfirmedAt is null and disposalReminded = false "
                + "and disposalDue >= ?1 and disposalDue <= ?2", today, soon)) {
            g.disposalReminded = true;
            notices.notify(g.consumerDepartmentCode, DUE_SOON, "GRANT", g.id, "请于 " + g.disposalDue + " 前按提供部门要求处置"
                    + "授权 #" + g.id + " 的数据（" + GrantService.method(g).label + "）并确认 / dispose of the data of grant #"
                    + g.id + " as the provider requires and confirm by " + g.disposalDue);
        }
        List<ShareGrant> overdue = ShareGrant.list("from ShareGrant g where g.disposalConfirmedAt is null "
                + "and g.disposalEscalated = false and g.disposalDue < ?1 and not exists (from Dispute d "
                + "where d.grantId = g.id and d.subject = 'TERMINATION' and d.status = 'OPEN') order by g.id", today);
        for (ShareGrant g : overdue) {
            g.disposalEscalated = true;
            String message = "共享授权 #" + g.id + " 已" + ("EXPIRED".equals(g.status) ? "到期" : "终止") + "，使用部门逾期未确认"
                    + "数据处置（" + GrantService.method(g).label + "，期限 " + g.disposalDue + "）/ grant #" + g.id
                    + ": disposal not confirmed by " + g.disposalDue;
            history.grant(g, "ESCALATE_DISPOSAL_OVERDUE", g.status, Actor.SCHEDULER).automatic(true)
                    .reason("逾期未确认数据处置，提请主管部门督办 / disposal not confirmed in time, escalated to the 主管部门")
                    .detail("disposalDue", g.disposalDue)
                    .detail("disposalRequirement", GrantService.disposalDetail(g)).write();
            notices.notify(g.consumerDepartmentCode, OVERDUE, "GRANT", g.id, message);
            notices.notify(g.providerDepartmentCode, OVERDUE, "GRANT", g.id, message);
            notices.notifyAuthorityActingIn(grants.region(g), config.competentAuthorityDepartment(), OVERDUE, "GRANT",
                    g.id, message + "，使用部门 " + g.consumerDepartmentCode);
            grants.forget(g);
        }
        List<ShareGrant> unrectified = ShareGrant.list("status = 'SUSPENDED' and rectificationDue < ?1 "
                + "and rectificationEscalated = false", today);
        for (ShareGrant g : unrectified) {
            g.rectificationEscalated = true;
            String message = "共享授权 #" + g.id + " 暂停后整改期限（" + g.rectificationDue + "）已过，仍未恢复；未整改的可终止"
                    + "授权 / grant #" + g.id + " is still suspended after its rectification deadline " + g.rectificationDue
                    + ": it may be terminated if not rectified";
            history.grant(g, "ESCALATE_RECTIFICATION_OVERDUE", g.status, Actor.SCHEDULER).automatic(true)
                    .reason("整改期限已过，提请主管部门处理 / rectification deadline passed, escalated to the 主管部门")
                    .detail("rectificationDue", g.rectificationDue).write();
            notices.notify(g.providerDepartmentCode, RECTIFICATION_OVERDUE, "GRANT", g.id, message);
            notices.notify(g.consumerDepartmentCode, RECTIFICATION_OVERDUE, "GRANT", g.id, message);
            notices.notifyAuthorityActingIn(grants.region(g), config.competentAuthorityDepartment(),
                    RECTIFICATION_OVERDUE, "GRANT", g.id, message + "，使用部门 " + g.consumerDepartmentCode);
            grants.forget(g);
        }
        return overdue.size() + unrectified.size();
    }

    @Scheduled(cron = "0 30 0 * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run();
    }
}
