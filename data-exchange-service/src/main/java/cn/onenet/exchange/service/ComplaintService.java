package cn.onenet.exchange.service;

import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import org.hibernate.exception.ConstraintViolationException;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.service.Commands.ComplaintDecision;
import cn.onenet.exchange.service.Commands.FileComplaint;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.StateHistory.Actor;
import io.quarkus.scheduler.Scheduled;

/**
 * 投诉 (R21, 条例第三十七条). A citizen (cn_id) or an enterprise account (uscc) complains about one access to its data
 * that the citizens' view shows; the consumer department that made the access explains it within
 * {@link #ANSWER_WORKING_DAYS} working days (as for 校核 objections); the 主管部门 upholds the complaint, optionally
 * suspending the grant the access used, or dismisses it with reasons. Overdue complaints are escalated to the 主管部门.
 * Its notices (filed, answered, overdue) go to the 主管部门 of the region of the grant the access used.
 * The consumer department never learns who complained beyond the access it made itself. The complainant is told of
 * each change in its own notices ({@code GET /me/notices}, addressed to its subject hash): the department's
 * explanation, the deadline missed (once, when escalated) and the 主管部门's decision with its reasons; no civil
 * servant is named.
 */
@ApplicationScoped
public class ComplaintService {

    /** The consumer department's answer is due within 10 working days, like a 校核 objection's (R13). */
    public static final int ANSWER_WORKING_DAYS = 10;
    static final int MAX_DESCRIPTION = TextLimits.TEXT;
    static final int MAX_REMEDY = 1000;
    /** The unique index of V18: one complaint under handling per subject and usage-log entry. */
    static final String OPEN_PER_ACCESS = "complaint_one_open_per_access";

    private final EntityManager em;
    private final TimeSource time;
    private final CalendarService calendar;
    private final NoticeService notices;
    private final SubjectHasher hasher;
    private final UsageLogService log;
    private final GrantService grants;
    private final ExchangeConfig config;
    private final IdempotencyService idempotency;
    private final StateHistory history;

    public ComplaintService(EntityManager em, TimeSource time, CalendarService calendar, NoticeService notices,
            SubjectHasher hasher, UsageLogService log, GrantService grants, ExchangeConfig config,
            IdempotencyService idempotency, StateHistory history) {
        this.em = em;
        this.time = time;
        this.calendar = calendar;
        this.notices = notices;
        this.hasher = hasher;
        this.log = log;
        this.grants = grants;
        this.config = config;
        this.idempotency = idempotency;
        this.history = history;
    }

    @Transactional
    public Complaint file(Caller caller, FileComplaint cmd, String idempotencyKey) {
        String subjectHash = subjectHash(caller);
        var previous = idempotency.previous(caller.subject(), "file-complaint", idempotencyKey,
                IdempotencyService.fingerprint(cmd));
        if (previous.isPresent()) {
            return Complaint.findById(previous.get());
        }
        if (cmd == null || (cmd.usageLogSeq() == null && Texts.blank(cmd.requestId()))) {
            throw ApiException.field("usageLogSeq", "须指明所投诉的数据使用记录 / name the access (usageLogSeq or requestId)");
        }
        if (cmd.usageLogSeq() != null && cmd.usageLogSeq() < 1) {
            throw Fields.USAGE_LOG_SEQ.notPositive();
        }
        String description = Texts.required(cmd.description(), "description", MAX_DESCRIPTION,
                "须说明投诉事项 / state what is wrong");
        String remedy = Texts.blank(cmd.requestedRemedy()) ? null : cmd.requestedRemedy().trim();
        if (remedy != null && remedy.length() > MAX_REMEDY) {
            throw ApiException.field("requestedRemedy", "最多 " + MAX_REMEDY + " 字 / at most " + MAX_REMEDY + " characters");
        }
        List<Map<String, Object>> found = log.subjectAccess(subjectHash, cmd.usageLogSeq(),
                Texts.blank(cmd.requestId()) ? null : cmd.requestId().trim());
        if (found.isEmpty()) {
            // another person's access, a hidden covert one, or none: the same answer, and nothing is recorded
            throw ApiException.notFound("没有该数据使用记录 / no such access to your data");
        }
        if (found.size() > 1) {
            throw ApiException.field("usageLogSeq", "该请求编号对应多条记录，请指明记录序号 / the request id names several "
                    + "accesses: give usageLogSeq");
        }
        Map<String, Object> access = found.get(0);
        long seq = ((Number) access.get("seq")).longValue();
        if (Complaint.count("subjectHash = ?1 and usageLogSeq = ?2 and status in ('OPEN', 'ANSWERED')", subjectHash,
                seq) > 0) {
            throw busy();
        }
        Complaint c = new Complaint();
        c.complainantType = caller.has("citizen") && caller.cnId() != null ? "CITIZEN" : "ENTERPRISE";
        c.complainantSub = caller.subject();
        c.subjectHash = subjectHash;
        c.usageLogSeq = seq;
        c.accessRequestId = (String) access.get("requestId");
        c.accessedAt = Instant.parse((String) access.get("loggedAt"));
        c.resourceCode = (String) access.get("resourceCode");
        // the entry's name as the citizens' view showed the access when the complaint was filed
        CatalogEntry entry = CatalogEntry.findCurrent(c.resourceCode);
        c.resourceName = entry == null ? null : entry.name;
        // the usage log keeps the codes as recorded (hash-chained), perhaps in lower case from an older catalogue
        // copy: the complaint holds them as the departments' tokens carry them
        c.consumerDepartmentCode = CreditCode.normalise((String) access.get("consumerDepartmentCode"));
        c.providerDepartmentCode = CreditCode.normalise((String) access.get("providerDepartmentCode"));
        c.grantId = access.get("grantId") == null ? null : ((Number) access.get("grantId")).longValue();
        c.purpose = (String) access.get("purpose");
        c.description = description;
        c.requestedRemedy = remedy;
        c.status = "OPEN";
        c.receivedOn = time.today();
        c.dueOn = calendar.calendar().addWorkingDays(c.receivedOn, ANSWER_WORKING_DAYS);
        c.createdAt = time.now();
        try {
            c.persist();
            em.flush();
        } catch (PersistenceException e) {
            if (violates(e, OPEN_PER_ACCESS)) {
                // another filing about the same access committed between the check above and this insert
                throw busy();
            }
            throw e;
        }
        history.complaint(c, "FILE", null, Actor.of(caller, "citizen", "enterprise")).reason(description)
                .detail("usageLogSeq", seq).detail("requestedRemedy", remedy).detail("dueOn", c.dueOn).write();
        idempotency.remember(caller.subject(), "file-complaint", idempotencyKey, c.id,
                IdempotencyService.fingerprint(cmd));
        notices.notify(c.consumerDepartmentCode, "COMPLAINT_FILED", "COMPLAINT", c.id,
                "数据使用投诉（使用记录 " + seq + "），请于 " + c.dueOn + " 前说明情况 / complaint about access "
                        + seq + ": explain it by " + c.dueOn);
        notifyAuthority(c, "COMPLAINT_FILED", "数据使用投诉，使用部门 " + c.consumerDepartmentCode + "，答复期限 "
                + c.dueOn + " / complaint about an access by " + c.consumerDepartmentCode + ", answer due " + c.dueOn);
        return c;
    }

    /** The consumer department that made the access explains it. */
    @Transactional
    public Complaint answer(Caller caller, long id, Reasoned cmd) {
        Complaint c = Complaint.findById(id);
        if (c == null || !c.consumerDepartmentCode.equals(caller.department()) || !caller.has("operator")) {
            throw ApiException.notFound("没有该投诉 / no complaint " + id);
        }
        Versions.check(cmd == null ? null : cmd.version(), c.version);
        if (!"OPEN".equals(c.status)) {
            throw ApiException.illegalTransition("投诉已答复或已办结 / the complaint was already answered");
        }
        c.answer = Texts.required(cmd.reason(), "reason", MAX_DESCRIPTION, "须说明使用情况 / explain the access");
        c.answeredAt = time.now();
        c.status = "ANSWERED";
        Versions.flush(em);
        history.complaint(c, "ANSWER", "OPEN", Actor.of(caller, "operator")).reason(c.answer).write();
        notifyAuthority(c, "COMPLAINT_ANSWERED", "使用部门已就数据使用投诉作出说明 / the consumer department explained the access");
        notifyComplainant(c, "COMPLAINT_ANSWERED", "使用部门已作出说明：" + c.answer + "。主管部门将作出处理决定");
        return c;
    }

    /** The 主管部门 finds the complaint justified; with {@code suspendGrant} the grant used is suspended (R14). */
    @Transactional
    public Complaint uphold(Caller caller, long id, ComplaintDecision cmd) {
        Complaint c = decidable(caller, id, cmd);
        boolean suspend = Boolean.TRUE.equals(cmd.suspendGrant());
        String from = c.status;
        c.status = "UPHELD";
        c.outcomeReason = cmd.reason().trim();
        c.decidedAt = time.now();
        boolean alreadySuspended = false;
        if (suspend) {
            if (c.grantId == null) {
                throw ApiException.field("suspendGrant", "该记录没有所用授权 / the access used no grant");
            }
            ShareGrant g = ShareGrant.findById(c.grantId);
            // a grant the 主管部门 already suspended (for another complaint, an incident, on its own) stays as it is; one
            // the provider suspended becomes the 主管部门's (the provider may not lift it then); a grant that has ended
            // cannot be suspended: 409 and the uphold is rolled back
            alreadySuspended = "SUSPENDED".equals(g.status) && GrantService.BY_AUTHORITY.equals(g.suspendedBy);
            if (!alreadySuspended) {
                grants.suspend(caller, c.grantId, new Reasoned(g.version,
                        "投诉 " + c.id + " 成立（条例第三十七条）：" + c.outcomeReason));
            }
            c.grantSuspended = true;
        }
        Versions.flush(em);
        history.complaint(c, "UPHOLD", from, Actor.of(caller, "reviewer", "admin")).decision().reason(c.outcomeReason)
                .detail("grantId", c.grantId).detail("grantSuspended", c.grantSuspended)
                .detail("grantAlreadySuspended", suspend ? alreadySuspended : null).write();
        notices.notify(c.consumerDepartmentCode, "COMPLAINT_UPHELD", "COMPLAINT", c.id,
                "数据使用投诉成立" + (c.grantSuspended ? "，授权 " + c.grantId + " 已暂停" : "")
                + " / the complaint was upheld" + (c.grantSuspended ? ", grant " + c.grantId + " suspended" : "") + ": "
                + c.outcomeReason);
        notifyComplainant(c, "COMPLAINT_UPHELD", "主管部门认定投诉成立：" + c.outcomeReason
                + (c.grantSuspended ? "；该次使用所依据的共享授权已暂停" : ""));
        return c;
    }

    /** The 主管部门 finds the complaint unfounded and says why. */
    @Transactional
    public Complaint dismiss(Caller caller, long id, ComplaintDecision cmd) {
        Complaint c = decidable(caller, id, cmd);
        if (Boolean.TRUE.equals(cmd.suspendGrant())) {
            throw ApiException.field("suspendGrant", "驳回投诉不暂停授权 / a dismissal suspends nothing");
        }
        String from = c.status;
        c.status = "DISMISSED";
        c.outcomeReason = cmd.reason().trim();
        c.decidedAt = time.now();
        Versions.flush(em);
        history.complaint(c, "DISMISS", from, Actor.of(caller, "reviewer", "admin")).decision()
                .reason(c.outcomeReason).write();
        notices.notify(c.consumerDepartmentCode, "COMPLAINT_DISMISSED", "COMPLAINT", c.id,
                "数据使用投诉不成立 / the complaint was dismissed: " + c.outcomeReason);
        notifyComplainant(c, "COMPLAINT_DISMISSED", "主管部门认定投诉不成立：" + c.outcomeReason);
        return c;
    }

    /** Whether the caller is the complainant (the same data subject). */
    public boolean isComplainant(Caller caller, Complaint c) {
        String subject = caller.dataSubject();
        return subject != null && hasher.hash(subject).equals(c.subjectHash);
    }

    /**
     * Whether the caller reads and decides the complaint as the 主管部门: its reviewers, admins and auditors, except those
     * of the consumer department the complaint is about, who are a party (they see what its operators see and do not
     * decide).
     */
    public boolean isAuthorityFor(Caller caller, Complaint c) {
        return caller.isAuthority() && !c.consumerDepartmentCode.equals(caller.department());
    }

    /**
     * The complainant, the consumer department's operators, the reviewers to whom {@link #list} shows it (those of the
     * region whose 主管部门 decides it, and of the consumer department; others 404, a token without region 403), admins
     * and auditors.
     */
    public Complaint view(Caller caller, long id) {
        Complaint c = Complaint.findById(id);
        if (c != null && isComplainant(caller, c)) {
            return c;
        }
        if (c == null || !(caller.isAuthority()
                || (caller.has("operator") && c.consumerDepartmentCode.equals(caller.department())))
                || (RegionScopedList.applies(caller) && !c.consumerDepartmentCode.equals(caller.department())
                        && filter(caller, null, false).and("id = :id", "id", id).count(em, Complaint.class) == 0)) {
            throw ApiException.notFound("没有该投诉 / no complaint " + id);
        }
        return c;
    }

    /** One page of the caller's own complaints (citizen or enterprise), newest first. */
    public List<Complaint> mine(Caller caller, int page, int size) {
        return own(caller).page(em, Complaint.class, page, size);
    }

    /** How many complaints {@link #mine} finds on all pages. */
    public long countMine(Caller caller) {
        return own(caller).count(em, Complaint.class);
    }

    /** The complaints about the caller's data that the caller filed (same cn_id or uscc); 403 without either. */
    private CaseFilter own(Caller caller) {
        return new CaseFilter("subjectHash = :subject", Map.of("subject", subjectHash(caller)));
    }

    /**
     * A reviewer sees the complaints its 主管部门 decides (those of its region, {@link #region}: through the grant the
     * access used, as the grants it lists, {@link RegionScopedList}) and those about its own department's accesses;
     * admins and auditors every complaint; a consumer department's operators those about its accesses.
     * {@code overdue} keeps those still unanswered after their deadline. One page, newest first.
     */
    public List<Complaint> list(Caller caller, String status, boolean overdue, int page, int size) {
        return filter(caller, status, overdue).page(em, Complaint.class, page, size);
    }

    /** How many complaints {@link #list} finds on all pages (the same visibility, counted in the database). */
    public long count(Caller caller, String status, boolean overdue) {
        return filter(caller, status, overdue).count(em, Complaint.class);
    }

    private CaseFilter filter(Caller caller, String status, boolean overdue) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> p = new HashMap<>();
        if (RegionScopedList.applies(caller)) {
            // the complainant's identity is for the 主管部门 that decides the complaint, not every region's
            String fallback = config.competentAuthorityDepartment();
            q.append(" and (grantId in (select g.id from ShareGrant g where ")
                    .append(RegionScopedList.regionCondition(caller, fallback, p, "g.authorityRegion")).append(")");
            if (Jurisdiction.inRegion(caller, Regions.ofCreditCode(fallback))) {
                q.append(" or grantId is null");
            }
            if (caller.department() != null) {
                q.append(" or consumerDepartmentCode = :dept");
                p.put("dept", caller.department());
            }
            q.append(")");
        } else if (!caller.isAuthority()) {
            q.append(" and consumerDepartmentCode = :dept");
            p.put("dept", caller.departmentOrFail());
        }
        if (status != null) {
            q.append(" and status = :status");
            p.put("status", status);
        }
        if (overdue) {
            q.append(" and status = 'OPEN' and dueOn < :today");
            p.put("today", time.today());
        }
        return new CaseFilter(q.toString(), p);
    }

    public boolean overdue(Complaint c) {
        return "OPEN".equals(c.status) && c.dueOn.isBefore(time.today());
    }

    /**
     * Flags the complaints unanswered after their deadline as escalated and tells the 主管部门. The flag is set by an
     * update that leaves {@code version} alone: the escalation is not a change the department's or the 主管部门's
     * version is about, so an explanation or a decision sent with the version read before it is still accepted. Only
     * a complaint still OPEN and not yet escalated is flagged, so an answer committed meanwhile (or another replica's
     * run) wins; the entity's dynamic updates keep an answer from writing the flag back.
     */
    @Transactional
    public int escalateOverdue() {
        List<Long> overdue = em.createQuery("select c.id from Complaint c where c.status = 'OPEN' "
                + "and c.escalated = false and c.dueOn < :today order by c.id", Long.class)
                .setParameter("today", time.today()).getResultList();
        int escalated = 0;
        for (Long id : overdue) {
            int flagged = em.createQuery("update Complaint c set c.escalated = true where c.id = :id "
                    + "and c.status = 'OPEN' and c.escalated = false").setParameter("id", id).executeUpdate();
            if (flagged == 0) {
                continue;
            }
            escalated++;
            Complaint c = Complaint.findById(id);
            history.complaint(c, "ESCALATE_OVERDUE", c.status, Actor.SCHEDULER).automatic(true)
                    .reason("逾期未说明，提请主管部门督办 / overdue, escalated to the 主管部门").detail("dueOn", c.dueOn)
                    .write();
            notifyAuthority(c, "COMPLAINT_OVERDUE",
                    "数据使用投诉逾期未说明（期限 " + c.dueOn + "），使用部门 " + c.consumerDepartmentCode
                    + " / complaint not explained by " + c.dueOn + ", consumer " + c.consumerDepartmentCode);
            // told once, with the flag: a later run finds it escalated and tells no one again
            notifyComplainant(c, "COMPLAINT_OVERDUE", "使用部门未在期限 " + c.dueOn + " 前作出说明，已提请主管部门督办");
        }
        return escalated;
    }

    @Scheduled(cron = "0 20 * * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledEscalation() {
        escalateOverdue();
    }

    private static ApiException busy() {
        return ApiException.conflict("对该记录的投诉正在办理中 / a complaint about this access is already being handled");
    }

    /** Whether the failure is a violation of the named unique index (PostgreSQL 23505). */
    private static boolean violates(Throwable e, String index) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException v && v.getConstraintName() != null
                    && v.getConstraintName().contains(index)) {
                return true;
            }
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState()) && sql.getMessage() != null
                    && sql.getMessage().contains(index)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A notice to the 主管部门 told of the complaint: that of the region of the grant the access used (the 主管部门 that
     * may suspend it when upholding, {@link GrantService#region}; the configured one for its own region), else, for
     * an access without a grant, the configured 主管部门 ({@link NoticeService#notifyAuthorityActingIn}).
     */
    /**
     * The region whose 主管部门 decides the complaint: that of the grant the access used ({@link GrantService#region}),
     * else that of the configured 主管部门.
     */
    private String region(Complaint c) {
        ShareGrant g = c.grantId == null ? null : ShareGrant.findById(c.grantId);
        return g != null ? grants.region(g) : Regions.ofCreditCode(config.competentAuthorityDepartment());
    }

    private void notifyAuthority(Complaint c, String kind, String message) {
        ShareGrant g = c.grantId == null ? null : ShareGrant.findById(c.grantId);
        notices.notifyAuthorityActingIn(g == null ? null : grants.region(g), config.competentAuthorityDepartment(),
                kind, "COMPLAINT", c.id, message);
    }

    /** A notice to the complainant (its subject hash) about its complaint, named by the access it is about. */
    private void notifyComplainant(Complaint c, String kind, String message) {
        notices.notifyDataSubject(c.subjectHash, kind, "COMPLAINT", c.id, "您对数据使用记录 " + c.usageLogSeq
                + " 的投诉：" + message);
    }

    /**
     * The complaint the caller decides: a reviewer of the 主管部门 ({@link Jurisdiction#requireAuthority}; not an admin,
     * not another department's reviewer, 403) of the complaint's region ({@link #region}; another region's 主管部门,
     * 404, as its list does not show it), not of the consumer department it is about (403).
     */
    private Complaint decidable(Caller caller, long id, ComplaintDecision cmd) {
        Jurisdiction.requireAuthority(caller, "投诉由主管部门处理 / the 主管部门 decides complaints");
        Complaint c = Complaint.findById(id);
        if (c == null) {
            throw ApiException.notFound("没有该投诉 / no complaint " + id);
        }
        if (!isAuthorityFor(caller, c)) {
            throw ApiException.forbidden("被投诉的使用部门不得处理对本部门的投诉 / the consumer department the complaint is "
                    + "about does not decide it");
        }
        if (!Jurisdiction.inRegion(caller, region(c))) {
            // another region's complaint is not revealed (404), as for its list and view
            throw ApiException.notFound("没有该投诉 / no complaint " + id);
        }
        Versions.check(cmd == null ? null : cmd.version(), c.version);
        if (!"OPEN".equals(c.status) && !"ANSWERED".equals(c.status)) {
            throw ApiException.illegalTransition("投诉已办结 / the complaint was already decided");
        }
        Texts.required(cmd.reason(), "reason", MAX_DESCRIPTION, "须写明处理理由 / state the reasons");
        return c;
    }

    private String subjectHash(Caller caller) {
        String subject = caller.dataSubject();
        if (subject == null) {
            throw ApiException.forbidden("令牌中没有身份证号或信用代码 / the token carries no cn_id or uscc");
        }
        return hasher.hash(subject);
    }
}
