package cn.onenet.exchange.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.Dispute;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.service.Commands.OpenDispute;
import cn.onenet.exchange.service.StateHistory.Actor;

/**
 * Disputes over refusals (R17). A dispute goes first to the 主管部门 (level COMPETENT_AUTHORITY); if it cannot
 * settle it, the 主管部门 refers it up to the people's government at the same level (PEOPLES_GOVERNMENT), the top of
 * the tree. Deciding for sharing sends the request back to the provider with a fresh 10-working-day deadline.
 */
@ApplicationScoped
public class DisputeService {

    public static final List<String> LEVELS = List.of("COMPETENT_AUTHORITY", "PEOPLES_GOVERNMENT");

    private final EntityManager em;
    private final ExchangeConfig config;
    private final NoticeService notices;
    private final TimeSource time;
    private final CalendarService calendar;
    private final IdempotencyService idempotency;
    private final StateHistory history;

    public DisputeService(EntityManager em, ExchangeConfig config, NoticeService notices, TimeSource time,
            CalendarService calendar, IdempotencyService idempotency, StateHistory history) {
        this.em = em;
        this.config = config;
        this.notices = notices;
        this.time = time;
        this.calendar = calendar;
        this.idempotency = idempotency;
        this.history = history;
    }

    @Transactional
    public Dispute open(Caller caller, OpenDispute cmd, String idempotencyKey) {
        var previous = idempotency.previous(caller.subject(), "open-dispute", idempotencyKey);
        if (previous.isPresent()) {
            return Dispute.findById(previous.get());
        }
        if (cmd == null || cmd.requestId() == null) {
            throw ApiException.field("requestId", "须指明申请 / requestId is required");
        }
        if (cmd.reason() == null || cmd.reason().isBlank()) {
            throw ApiException.field("reason", "须说明争议理由 / state the grounds");
        }
        ShareRequest r = ShareRequest.findById(cmd.requestId());
        if (r == null || !r.consumerDepartmentCode.equals(caller.department())) {
            throw ApiException.notFound("没有该申请 / no request " + cmd.requestId());
        }
        if (!"REFUSED".equals(r.status) && !"NOT_SHARED".equals(r.status)) {
            throw ApiException.illegalTransition("只能对被拒绝的申请提出争议 / only a refusal can be disputed");
        }
        if (Dispute.count("requestId = ?1 and status = 'OPEN'", r.id) > 0) {
            throw ApiException.conflict("该申请已有未决争议 / a dispute on this request is already open");
        }
        Dispute d = new Dispute();
        d.requestId = r.id;
        d.openedBy = caller.subject();
        d.consumerDepartmentCode = r.consumerDepartmentCode;
        d.providerDepartmentCode = r.providerDepartmentCode;
        d.reason = cmd.reason().trim();
        d.level = LEVELS.get(0);
        d.handlerDepartmentCode = config.competentAuthorityDepartment();
        d.status = "OPEN";
        d.createdAt = time.now();
        d.persist();
        history.dispute(d, "OPEN", null, Actor.of(caller, "operator")).reason(d.reason).detail("level", d.level)
                .detail("handlerDepartmentCode", d.handlerDepartmentCode).write();
        idempotency.remember(caller.subject(), "open-dispute", idempotencyKey, d.id);
        notices.notify(d.handlerDepartmentCode, "DISPUTE_OPENED", "DISPUTE", d.id, "共享争议待协调：" + d.reason);
        notices.notify(d.providerDepartmentCode, "DISPUTE_OPENED", "DISPUTE", d.id, "使用部门对拒绝共享提出争议");
        return d;
    }

    @Transactional
    public Dispute escalate(Caller caller, long id, Integer version, String reason) {
        Dispute d = authorityAction(caller, id, version);
        int level = LEVELS.indexOf(d.level);
        if (level == LEVELS.size() - 1) {
            throw ApiException.illegalTransition("已在最高层级 / the dispute is already at the top level");
        }
        if (reason == null || reason.isBlank()) {
            throw ApiException.field("reason", "须说明提请理由 / state why it goes up");
        }
        String fromLevel = d.level;
        d.level = LEVELS.get(level + 1);
        Versions.flush(em);
        history.dispute(d, "ESCALATE", d.status, Actor.of(caller, "reviewer", "admin")).reason(reason.trim())
                .detail("level", Map.of("from", fromLevel, "to", d.level)).write();
        notices.notify(d.consumerDepartmentCode, "DISPUTE_ESCALATED", "DISPUTE", d.id, "争议已提请本级人民政府协调：" + reason);
        notices.notify(d.providerDepartmentCode, "DISPUTE_ESCALATED", "DISPUTE", d.id, "争议已提请本级人民政府协调：" + reason);
        return d;
    }

    /** outcome SHARE: the provider must answer the request again; UPHOLD: the refusal stands. */
    @Transactional
    public Dispute resolve(Caller caller, long id, Integer version, String outcome, String resolution) {
        Dispute d = authorityAction(caller, id, version);
        if (!"SHARE".equals(outcome) && !"UPHOLD".equals(outcome)) {
            throw ApiException.field("outcome", "须为 SHARE 或 UPHOLD");
        }
        if (resolution == null || resolution.isBlank()) {
            throw ApiException.field("resolution", "须写明协调结论 / state the decision");
        }
        Actor by = Actor.of(caller, "reviewer", "admin");
        String from = d.status;
        d.status = "SHARE".equals(outcome) ? "RESOLVED_SHARE" : "RESOLVED_UPHELD";
        d.resolution = resolution.trim();
        history.dispute(d, "RESOLVE", from, by).decision().reason(d.resolution).detail("outcome", outcome)
                .detail("level", d.level).write();
        if ("SHARE".equals(outcome)) {
            ShareRequest r = ShareRequest.findById(d.requestId);
            String refused = r.status;
            r.status = "PENDING";
            r.receivedOn = time.today();
            r.dueOn = calendar.calendar().addWorkingDays(r.receivedOn, RequestService.ANSWER_WORKING_DAYS);
            r.escalated = false;
            r.decisionReason = "争议协调结论：" + d.resolution;
            // the 主管部门's decision sends the request back to the provider
            history.request(r, "REOPEN_AFTER_DISPUTE", refused, by).decision().reason(r.decisionReason)
                    .detail("disputeId", d.id).detail("dueOn", r.dueOn).write();
        }
        Versions.flush(em);
        notices.notify(d.consumerDepartmentCode, "DISPUTE_RESOLVED", "DISPUTE", d.id, d.resolution);
        notices.notify(d.providerDepartmentCode, "DISPUTE_RESOLVED", "DISPUTE", d.id, d.resolution);
        return d;
    }

    public Dispute view(Caller caller, long id) {
        Dispute d = Dispute.findById(id);
        if (d == null || (!caller.isAuthority() && !d.consumerDepartmentCode.equals(caller.department())
                && !d.providerDepartmentCode.equals(caller.department()))) {
            throw ApiException.notFound("没有该争议 / no dispute " + id);
        }
        return d;
    }

    private Dispute authorityAction(Caller caller, long id, Integer version) {
        if (!caller.has("reviewer") && !caller.has("admin")) {
            throw ApiException.forbidden("争议由主管部门协调 / the 主管部门 handles disputes");
        }
        Dispute d = Dispute.findById(id);
        if (d == null) {
            throw ApiException.notFound("没有该争议 / no dispute " + id);
        }
        Versions.check(version, d.version);
        if (!"OPEN".equals(d.status)) {
            throw ApiException.illegalTransition("争议已办结 / the dispute is closed");
        }
        return d;
    }
}
