package cn.onenet.exchange.service;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.service.StateHistory.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * 条例第二十二条 (R10): once the provider agrees, it shares the data within 20 working days. An approval starts the
 * timer ({@link #start}), stopped at once when the provider's records are already on the platform; else the first
 * delivery under the grant stops it: a successful lookup, query, feed read or export download (recorded when its
 * usage-log entry is written, {@link #delivered}), a webhook delivery whose request left (recorded by
 * {@link WebhookDispatcher} after sending; not one marked {@code NOT_SENT}), or the provider's
 * upload of records to the dataset ({@link #uploaded}). An ACTIVE grant still undelivered after its due day is escalated
 * once, as overdue answers are: the provider and the 主管部门 of the grant's region are told (a suspended grant is not
 * the provider's delay).
 */
@ApplicationScoped
public class DeliveryDeadlines {

    public static final int DELIVERY_WORKING_DAYS = 20;
    /** Usage-log outcomes that are a delivery: data left, or the service answered (an empty page of a query or feed). */
    static final Set<String> DELIVERED_OUTCOMES = Set.of("DELIVERED", "EMPTY");

    private final EntityManager em;
    private final CalendarService calendar;
    private final TimeSource time;
    private final NoticeService notices;
    private final GrantService grants;
    private final StateHistory history;
    private final ExchangeConfig config;
    /** Grants whose first delivery this replica has recorded (or found recorded): no more writes for them. */
    private final Set<Long> recorded = ConcurrentHashMap.newKeySet();

    public DeliveryDeadlines(EntityManager em, CalendarService calendar, TimeSource time, NoticeService notices,
            GrantService grants, StateHistory history, ExchangeConfig config) {
        this.em = em;
        this.calendar = calendar;
        this.time = time;
        this.notices = notices;
        this.grants = grants;
        this.history = history;
        this.config = config;
    }

    /**
     * The provider approved the grant today (in the transaction that issued it): its data is due in
     * {@link #DELIVERY_WORKING_DAYS} working days. Written beside the grant's version, as the grant is issued at version
     * 0 (a change names it).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void start(ShareGrant g) {
        // records the provider already put on the platform are delivered: the consumer may use them from now on
        em.createNativeQuery("UPDATE share_grant SET delivery_due = ?1, first_delivered_at = CASE WHEN EXISTS "
                + "(SELECT 1 FROM dataset_record d WHERE d.resource_code = share_grant.resource_code AND NOT d.deleted) "
                + "THEN CAST(?3 AS TIMESTAMPTZ) END WHERE id = ?2")
                .setParameter(1, calendar.calendar().addWorkingDays(time.today(), DELIVERY_WORKING_DAYS))
                .setParameter(2, g.id).setParameter(3, java.time.OffsetDateTime.ofInstant(time.now(), TimeSource.ZONE))
                .executeUpdate();
        em.refresh(g);
    }

    /**
     * A usage-log entry was written under {@code grantId} with {@code outcome}: the first one that is a delivery is the
     * grant's first delivery. One short write per grant and replica; later calls return at once.
     */
    public void delivered(Long grantId, String outcome, Instant at) {
        if (grantId == null || !DELIVERED_OUTCOMES.contains(outcome) || recorded.contains(grantId)) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE share_grant SET first_delivered_at = "
                + "?1 WHERE id = ?2 AND first_delivered_at IS NULL").setParameter(1, at).setParameter(2, grantId)
                .executeUpdate());
        recorded.add(grantId);
    }

    /** The provider uploaded records to the dataset: every grant in force on it now has its data on the platform. */
    @Transactional(Transactional.TxType.MANDATORY)
    void uploaded(String resourceCode) {
        em.createNativeQuery("UPDATE share_grant SET first_delivered_at = ?1 WHERE resource_code = ?2 "
                + "AND status = 'ACTIVE' AND first_delivered_at IS NULL").setParameter(1, time.now())
                .setParameter(2, resourceCode).executeUpdate();
    }

    /** ACTIVE grants undelivered after their due day are escalated, once; returns how many escalated now. */
    @Transactional
    public int escalateUndelivered() {
        List<ShareGrant> late = ShareGrant.list("status = 'ACTIVE' and deliveryDue < ?1 and firstDeliveredAt is null "
                + "and deliveryEscalated = false", time.today());
        for (ShareGrant g : late) {
            g.deliveryEscalated = true;
            g.updatedAt = time.now();
            String message = "共享授权 #" + g.id + " 批准后逾期未交付数据（期限 " + g.deliveryDue + "）/ grant #" + g.id
                    + " not delivered by " + g.deliveryDue;
            history.grant(g, "ESCALATE_UNDELIVERED", g.status, Actor.SCHEDULER).automatic(true)
                    .reason("逾期未交付，提请主管部门督办 / not delivered in time, escalated to the 主管部门")
                    .detail("deliveryDue", g.deliveryDue).write();
            notices.notify(g.providerDepartmentCode, "DELIVERY_OVERDUE", "GRANT", g.id, message);
            notices.notifyAuthorityActingIn(grants.region(g), config.competentAuthorityDepartment(),
                    "DELIVERY_OVERDUE", "GRANT", g.id, message + "，提供部门 " + g.providerDepartmentCode);
            grants.forget(g);
        }
        return late.size();
    }

    @Scheduled(cron = "0 15 * * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledEscalation() {
        escalateUndelivered();
    }
}
