package cn.onenet.exchange.service;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.Dispute;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.model.StateChange;
import cn.onenet.exchange.service.Commands.Negotiation;
import cn.onenet.exchange.service.Commands.OpenDispute;
import cn.onenet.exchange.service.StateHistory.Actor;

/**
 * Disputes between a consumer and a provider department (R17, 条例第二十八条): over a refusal, a late answer, the
 * provider's suspension or termination of a grant, or data not delivered in time ({@link #SUBJECTS}). The parties have
 * negotiated (the 协商记录, required for every subject but a refusal); the dispute goes to the 主管部门 of the
 * lowest region containing both departments (the same-level 主管部门 when they share a region, else their common
 * superior; level COMPETENT_AUTHORITY); if it cannot settle it, the 主管部门 refers it up to the people's government
 * of that same region (PEOPLES_GOVERNMENT), whose decision it records. The 主管部门's reviewers (token claim
 * {@code competent_authority}) act only on the disputes of their own region (token claim {@code region}), never on a
 * dispute of their own department, which is a party to it; admins and reviewers of other departments read them and
 * decide none ({@link Jurisdiction}). Deciding for sharing sends the request back to the provider with a fresh
 * 10-working-day deadline.
 *
 * <p>A 不予共享 refusal (status NOT_SHARED) may be disputed: the requester may contest that the catalogue's legal basis
 * covers its duty, and the same 主管部门 that reviews the catalogue hears it. But the dispute cannot be resolved SHARE
 * (nor can a request on an entry the catalogue now marks 不予共享): R1 admits 不予共享 only on a law, administrative
 * regulation or State Council decision, which the exchange cannot set aside; where the basis does not hold, the
 * provider changes the entry in the catalogue (reviewed by the 主管部门) and the requester files again.
 *
 * <p>Where the regions come from: the consumer's is the {@code region} claim recorded on the request at filing, else
 * the one of the operator opening the dispute (same department), else the region in its 统一社会信用代码; the
 * provider's is the catalogue entry's {@code regionCode}, else the region in its credit code.
 */
@ApplicationScoped
public class DisputeService {

    public static final List<String> LEVELS = List.of("COMPETENT_AUTHORITY", "PEOPLES_GOVERNMENT");
    public static final String REFUSAL = "REFUSAL";
    /** What a dispute is about; the first three name a grant, the others a request. */
    public static final List<String> SUBJECTS = List.of(REFUSAL, "SUSPENSION", "TERMINATION", "LATE_ANSWER",
            "NON_DELIVERY");
    static final Set<String> ABOUT_GRANT = Set.of("SUSPENSION", "TERMINATION", "NON_DELIVERY");
    static final Map<String, String> SUBJECT_LABELS = Map.of(REFUSAL, "拒绝共享", "SUSPENSION", "提供部门暂停授权",
            "TERMINATION", "提供部门终止授权", "LATE_ANSWER", "逾期答复", "NON_DELIVERY", "逾期未交付数据");
    private static final int MAX_PARTICIPANT = TextLimits.LINE;

    private final EntityManager em;
    private final ExchangeConfig config;
    private final NoticeService notices;
    private final TimeSource time;
    private final CalendarService calendar;
    private final IdempotencyService idempotency;
    private final StateHistory history;
    private final DepartmentRegister register;
    private final GrantService grants;

    public DisputeService(EntityManager em, ExchangeConfig config, NoticeService notices, TimeSource time,
            CalendarService calendar, IdempotencyService idempotency, StateHistory history,
            DepartmentRegister register, GrantService grants) {
        this.em = em;
        this.grants = grants;
        this.config = config;
        this.notices = notices;
        this.time = time;
        this.calendar = calendar;
        this.idempotency = idempotency;
        this.history = history;
        this.register = register;
    }

    @Transactional
    public Dispute open(Caller caller, OpenDispute cmd, String idempotencyKey) {
        var previous = idempotency.previous(caller.subject(), "open-dispute", idempotencyKey,
                IdempotencyService.fingerprint(cmd));
        if (previous.isPresent()) {
            return Dispute.findById(previous.get());
        }
        String subject = cmd == null || cmd.subject() == null ? REFUSAL : cmd.subject();
        if (!SUBJECTS.contains(subject)) {
            throw Fields.SUBJECT.notOneOf(Fields.DISPUTE_SUBJECTS);
        }
        boolean aboutGrant = ABOUT_GRANT.contains(subject);
        if (aboutGrant && cmd.grantId() == null) {
            throw Fields.GRANT_ID.isRequired();
        }
        if (!aboutGrant && (cmd == null || cmd.requestId() == null)) {
            throw Fields.REQUEST_ID.isRequired();
        }
        Texts.require(cmd.reason(), "reason", "须说明争议理由 / state the grounds");
        Negotiation negotiation = negotiation(cmd.negotiation());
        ShareGrant g = null;
        ShareRequest r;
        if (aboutGrant) {
            // locked as a request is below: two disputes opened at once on one grant wait for each other, so the
            // second finds the first open
            g = ShareGrant.findById(cmd.grantId(), LockModeType.PESSIMISTIC_WRITE);
            // a grant of another department is not revealed, as for requests
            if (g == null || !g.consumerDepartmentCode.equals(caller.department())) {
                throw ApiException.notFound("没有该授权 / no grant " + cmd.grantId());
            }
            requireDisputable(g, subject);
            if (Dispute.count("grantId = ?1 and subject = ?2 and status = 'OPEN'", g.id, subject) > 0) {
                throw ApiException.conflict("该授权已有同类未决争议 / a dispute of this kind on this grant is already open");
            }
            r = g.requestId == null ? null : ShareRequest.findById(g.requestId);
        } else {
            // locked: two disputes opened at once on one request wait for each other, so only one is open at a time
            r = ShareRequest.findById(cmd.requestId(), LockModeType.PESSIMISTIC_WRITE);
            if (r == null || !r.consumerDepartmentCode.equals(caller.department())) {
                throw ApiException.notFound("没有该申请 / no request " + cmd.requestId());
            }
            requireDisputable(r, subject);
            if (Dispute.count("requestId = ?1 and subject = ?2 and status = 'OPEN'", r.id, subject) > 0) {
                throw ApiException.conflict("该申请已有未决争议 / a dispute on this request is already open");
            }
            // R17: a refusal the 主管部门 decided on is not brought before it again (it refers a dispute up before
            // deciding); a refusal given after a reopen is a new one
            if (REFUSAL.equals(subject) && Dispute.count("requestId = ?1 and subject = ?2 and status <> 'OPEN' "
                    + "and createdAt >= ?3", r.id, subject, r.decidedAt == null ? Instant.EPOCH : r.decidedAt) > 0) {
                throw ApiException.illegalTransition("该拒绝已经争议协调办结，不能再次提出争议 / this refusal was already "
                        + "decided in a dispute");
            }
        }
        Dispute d = new Dispute();
        d.subject = subject;
        d.requestId = r == null ? null : r.id;
        d.grantId = g == null ? null : g.id;
        d.openedBy = caller.subject();
        d.consumerDepartmentCode = g != null ? g.consumerDepartmentCode : r.consumerDepartmentCode;
        d.providerDepartmentCode = g != null ? g.providerDepartmentCode : r.providerDepartmentCode;
        d.reason = cmd.reason().trim();
        d.level = LEVELS.get(0);
        d.negotiatedOn = negotiation.date();
        d.negotiationParticipants = Json.write(negotiation.participants());
        d.negotiationOutcome = negotiation.outcome();
        Map<String, String> sources = new LinkedHashMap<>();
        d.consumerRegionCode = firstValid(sources, "consumer", "request", r == null ? null : r.consumerRegionCode,
                "token", caller.region(), "creditCode", Regions.ofCreditCode(d.consumerDepartmentCode));
        CatalogEntry entry = CatalogEntry.findCurrent(g != null ? g.resourceCode : r.resourceCode);
        d.providerRegionCode = firstValid(sources, "provider", "catalogEntry", entry == null ? null : entry.regionCode,
                "creditCode", Regions.ofCreditCode(d.providerDepartmentCode));
        d.regionCode = Regions.commonAuthority(d.consumerRegionCode, d.providerRegionCode);
        if (d.regionCode == null) {
            // neither the tokens, the catalogue nor the credit codes say where a party is: the configured 主管部门's
            d.regionCode = Regions.ofCreditCode(config.competentAuthorityDepartment());
            sources.put("region", "competentAuthorityDepartment");
        }
        d.handlerDepartmentCode = handler(d.regionCode);
        d.status = "OPEN";
        d.createdAt = time.now();
        d.persist();
        history.dispute(d, "OPEN", null, Actor.of(caller, "operator")).reason(d.reason).detail("subject", d.subject)
                .detail("grantId", d.grantId).detail("negotiation", negotiationDetail(d))
                .detail("level", d.level)
                .detail("handlerDepartmentCode", d.handlerDepartmentCode).detail("regionCode", d.regionCode)
                .detail("consumerRegionCode", d.consumerRegionCode).detail("providerRegionCode", d.providerRegionCode)
                .detail("regionSources", sources).write();
        idempotency.remember(caller.subject(), "open-dispute", idempotencyKey, d.id,
                IdempotencyService.fingerprint(cmd));
        if (d.regionCode != null) {
            // the handler, else (the register names no 主管部门 there) the region, whose reviewers read its notices
            notices.notifyAuthorityActingIn(d.regionCode, config.competentAuthorityDepartment(), "DISPUTE_OPENED",
                    "DISPUTE", d.id, "共享争议待协调" + (REFUSAL.equals(d.subject) ? "" : "（"
                            + SUBJECT_LABELS.get(d.subject) + "）") + " / a dispute awaits the 主管部门"
                            + (REFUSAL.equals(d.subject) ? "" : " (" + d.subject + ")") + ": " + d.reason);
        }
        notices.notify(d.providerDepartmentCode, "DISPUTE_OPENED", "DISPUTE", d.id,
                "使用部门对" + SUBJECT_LABELS.get(d.subject) + "提出争议 / the consumer disputes the "
                + d.subject);
        return d;
    }

    /**
     * 协商记录 (条例第二十八条: the departments negotiate first): the day (not in the future), who took part (at least
     * one name, each at most 200 characters), the outcome (at most 4000); 400 naming every bad field. Required for
     * every dispute, a refusal's included.
     */
    private Negotiation negotiation(Negotiation given) {
        if (given == null) {
            throw ApiException.field("negotiation", "须附争议前的协商记录（日期、参加人员、结果）/ the negotiation that "
                    + "preceded the dispute (date, participants, outcome) is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (given.date() == null) {
            errors.add(new FieldError("negotiation.date", "须写明协商日期 / the day of the negotiation is required"));
        } else if (given.date().isAfter(time.today()) || given.date().getYear() < 1900) {
            errors.add(new FieldError("negotiation.date", "协商日期不能晚于今日 / not in the future"));
        }
        List<String> participants = new ArrayList<>();
        if (given.participants() == null || given.participants().isEmpty()) {
            errors.add(new FieldError("negotiation.participants", "须写明参加协商的人员 / who took part is required"));
        } else {
            for (int i = 0; i < given.participants().size(); i++) {
                String p = given.participants().get(i);
                if (Texts.blank(p) || p.trim().length() > MAX_PARTICIPANT) {
                    errors.add(new FieldError("negotiation.participants[" + i + "]", "须为 1–" + MAX_PARTICIPANT
                            + " 字 / 1 to " + MAX_PARTICIPANT + " characters"));
                } else {
                    participants.add(p.trim());
                }
            }
        }
        String outcome = given.outcome() == null ? "" : given.outcome().trim();
        if (Texts.blank(outcome) || outcome.length() > UsageRecordService.MAX_TEXT) {
            errors.add(new FieldError("negotiation.outcome", "须写明协商结果，最多 " + UsageRecordService.MAX_TEXT
                    + " 字 / the outcome is required, at most " + UsageRecordService.MAX_TEXT + " characters"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        return new Negotiation(given.date(), participants, outcome);
    }

    private static Map<String, Object> negotiationDetail(Dispute d) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("date", d.negotiatedOn.toString());
        n.put("participants", Json.strings(d.negotiationParticipants));
        n.put("outcome", d.negotiationOutcome);
        return n;
    }

    /** A request is disputed for its refusal, or for an answer that came, or is still missing, after its deadline. */
    private void requireDisputable(ShareRequest r, String subject) {
        if (REFUSAL.equals(subject)) {
            if (!"REFUSED".equals(r.status) && !"NOT_SHARED".equals(r.status)) {
                throw ApiException.illegalTransition("只能对被拒绝的申请提出争议 / only a refusal can be disputed");
            }
            return;
        }
        boolean overdue = r.dueOn != null && RequestService.UNANSWERED.contains("'" + r.status + "'")
                && time.today().isAfter(r.dueOn);
        boolean answeredLate = r.dueOn != null && r.decidedAt != null
                && java.time.LocalDate.ofInstant(r.decidedAt, TimeSource.ZONE).isAfter(r.dueOn);
        if (!overdue && !answeredLate && !r.escalated) {
            throw ApiException.illegalTransition("申请未逾期答复 / the request was not answered late (due " + r.dueOn + ")");
        }
    }

    /**
     * A grant is disputed for the provider's suspension (SUSPENDED by the provider: one the 主管部门 imposed is its own
     * decision), the provider's termination (its TERMINATE history row's role operator), or data not delivered by its
     * delivery deadline (R10).
     */
    private void requireDisputable(ShareGrant g, String subject) {
        switch (subject) {
            case "SUSPENSION" -> {
                if (!"SUSPENDED".equals(g.status) || !GrantService.BY_PROVIDER.equals(g.suspendedBy)) {
                    throw ApiException.illegalTransition("授权未被提供部门暂停 / the grant is not suspended by its "
                            + "provider");
                }
            }
            case "TERMINATION" -> {
                if (!"TERMINATED".equals(g.status) || StateChange.count("objectType = ?1 and objectId = ?2 "
                        + "and action = 'TERMINATE' and actorRole = 'operator'", StateHistory.GRANT, g.id) == 0) {
                    throw ApiException.illegalTransition("授权未被提供部门终止 / the grant was not terminated by its "
                            + "provider");
                }
            }
            default -> {
                if (g.deliveryDue == null || g.firstDeliveredAt != null || !time.today().isAfter(g.deliveryDue)) {
                    throw ApiException.illegalTransition("授权数据未逾期未交付 / the grant's data is not overdue (due "
                            + g.deliveryDue + ")");
                }
            }
        }
    }

    @Transactional
    public Dispute escalate(Caller caller, long id, Integer version, String reason) {
        Dispute d = authorityAction(caller, id, version);
        int level = LEVELS.indexOf(d.level);
        if (level == LEVELS.size() - 1) {
            throw ApiException.illegalTransition("已在最高层级 / the dispute is already at the top level");
        }
        Texts.require(reason, "reason", "须说明提请理由 / state why it goes up");
        String fromLevel = d.level;
        d.level = LEVELS.get(level + 1);
        Versions.flush(em);
        history.dispute(d, "ESCALATE", d.status, Actor.of(caller, "reviewer", "admin")).reason(reason.trim())
                .detail("level", Map.of("from", fromLevel, "to", d.level)).detail("regionCode", d.regionCode).write();
        String message = "争议已提请" + (d.regionCode == null ? "" : "行政区划 " + d.regionCode + " ")
                + "本级人民政府协调 / the dispute was escalated to the people's government: " + reason;
        notices.notify(d.consumerDepartmentCode, "DISPUTE_ESCALATED", "DISPUTE", d.id, message);
        notices.notify(d.providerDepartmentCode, "DISPUTE_ESCALATED", "DISPUTE", d.id, message);
        return d;
    }

    /**
     * outcome SHARE: the consumer is right; for a refusal the provider must answer the request again, for a suspension
     * by the provider the grant is resumed ({@link GrantService#disputeResolved}); for a late answer or undelivered data
     * the decision tells the provider to act. UPHOLD: the provider's act stands. A termination dispute decided either
     * way starts the terminated grant's disposal deadline again from the day of the decision.
     */
    @Transactional
    public Dispute resolve(Caller caller, long id, Integer version, String outcome, String resolution) {
        Dispute d = authorityAction(caller, id, version);
        if (!"SHARE".equals(outcome) && !"UPHOLD".equals(outcome)) {
            throw Fields.DISPUTE_OUTCOME.notOneOf(Fields.DISPUTE_OUTCOMES);
        }
        Texts.require(resolution, "resolution", "须写明协调结论 / state the decision");
        if ("SHARE".equals(outcome) && REFUSAL.equals(d.subject)) {
            ShareRequest r = ShareRequest.findById(d.requestId, LockModeType.PESSIMISTIC_WRITE);
            if (!"REFUSED".equals(r.status) && !"NOT_SHARED".equals(r.status)) {
                // reopened already (another dispute on the same refusal) and perhaps answered since: a second
                // reopen would undo that answer
                throw ApiException.illegalTransition("申请" + StatusLabels.request(r.status) + "，已不是被拒绝的申请，不能裁决共享；可裁决维持 "
                        + "/ the request is " + r.status + ", no longer refused: only UPHOLD is possible");
            }
            CatalogEntry entry = CatalogEntry.findCurrent(r.resourceCode);
            if (entry == null || entry.deregistered) {
                // R15: nothing is shared on a deregistered entry, so the request could never be answered again
                throw ApiException.illegalTransition("该目录已注销，不能裁决共享；可裁决维持拒绝 / the catalogue entry "
                        + r.resourceCode + " is deregistered: only UPHOLD is possible");
            }
            if ("NOT_SHARED".equals(r.status) || "NOT_SHARED".equals(entry.shareAttribute)) {
                // R1: 不予共享 rests on the catalogue's legal basis (law, administrative regulation, State Council
                // decision); the exchange cannot set it aside. Sharing needs the catalogue change, reviewed by the
                // 主管部门 (R5/R6), and then a new request.
                throw ApiException.illegalTransition("不予共享依目录所列法律依据，不能裁决共享；如依据不成立，须由提供部门变更目录"
                        + "共享属性并经主管部门审核后重新申请；本争议可裁决维持 / 不予共享 (NOT_SHARED) rests on the "
                        + "catalogue's legal basis and cannot be resolved SHARE: the entry's share attribute must be "
                        + "changed in the catalogue (reviewed by the 主管部门) and the request filed again; only UPHOLD "
                        + "is possible");
            }
            // as at every approval: the provider could only refuse a request whose purpose the entry no longer lists
            // or whose delivery method its share method no longer covers (409 naming purpose / deliveryMethod)
            RequestService.requirePermittedPurpose(entry, r.purpose, r.covertLegalBasis != null, true);
            ShareMethods.require(entry, r.deliveryMethod, true);
        }
        if ("SHARE".equals(outcome) && "SUSPENSION".equals(d.subject) && d.grantId != null) {
            // a ruling for the consumer resumes the grant: as a lift by the provider or the 主管部门, not one whose
            // delivery method or purpose the entry no longer allows
            ShareGrant g = ShareGrant.findById(d.grantId);
            if (g != null && "SUSPENDED".equals(g.status)) {
                GrantService.requireResumable(g);
            }
        }
        Actor by = Actor.of(caller, "reviewer", "admin");
        String from = d.status;
        d.status = "SHARE".equals(outcome) ? "RESOLVED_SHARE" : "RESOLVED_UPHELD";
        d.resolution = resolution.trim();
        history.dispute(d, "RESOLVE", from, by).decision().reason(d.resolution).detail("outcome", outcome)
                .detail("level", d.level).write();
        if (d.grantId != null) {
            grants.disputeResolved(d.id, d.subject, d.grantId, "SHARE".equals(outcome), by, d.resolution);
        }
        String reopened = null;
        if ("SHARE".equals(outcome) && REFUSAL.equals(d.subject)) {
            ShareRequest r = ShareRequest.findById(d.requestId);
            String refused = r.status;
            LocalDate refusedOn = r.decidedAt == null ? r.receivedOn
                    : LocalDate.ofInstant(r.decidedAt, TimeSource.ZONE);
            LocalDate previousPeriodTo = r.periodTo;
            r.status = "PENDING";
            r.receivedOn = time.today();
            // a fresh answer period from the ruling, in working days of the calendar in use (R8)
            r.dueOn = calendar.calendar().addWorkingDays(r.receivedOn,
                    RequestService.answerWorkingDays(r.shareAttribute));
            r.periodTo = periodToAfterReopen(r.periodFrom, r.periodTo, refusedOn, r.receivedOn);
            r.escalated = false;
            r.decisionReason = "争议协调结论：" + d.resolution;
            // the overturned refusal is no decision of the request any more: who approved it and when go with it (the
            // history keeps them); the provider's next answer is approved afresh
            r.decidedAt = null;
            r.providerHeadApprover = null;
            r.providerHeadApproverSubject = null;
            // an extension still awaiting the 主管部门 when the request was refused was asked for the deadline that
            // ended then: the new deadline is not extended by it (the provider may ask to extend the new one)
            Integer lapsed = r.extensionDays != null && !r.extended && !r.extensionRefused ? r.extensionDays : null;
            if (lapsed != null) {
                r.extensionDays = null;
                r.extensionReason = null;
            }
            // the 主管部门's decision sends the request back to the provider
            boolean moved = !r.periodTo.equals(previousPeriodTo);
            // R8 allows one extension per request: one approved before the refusal was that one
            history.request(r, "REOPEN_AFTER_DISPUTE", refused, by).decision().reason(r.decisionReason)
                    .detail("disputeId", d.id).detail("dueOn", r.dueOn).detail("extensionLapsed", lapsed)
                    .detail("previousPeriodTo", moved ? previousPeriodTo : null)
                    .detail("periodTo", moved ? r.periodTo : null)
                    .detail("extensionUsed", r.extended ? true : null).write();
            reopened = "；申请 " + r.id + " 退回提供部门重新答复，答复期限 " + r.dueOn
                    + (moved ? "，使用期限顺延至 " + r.periodTo : "")
                    + (r.extended ? "（本申请已延期过一次，不能再延期）" : "")
                    + " / request " + r.id + " goes back to the provider, to be answered by " + r.dueOn
                    + (moved ? "; its period now ends on " + r.periodTo : "")
                    + (r.extended ? "; its one extension was used before the refusal" : "");
        }
        Versions.flush(em);
        String message = reopened == null ? d.resolution : d.resolution + reopened;
        notices.notify(d.consumerDepartmentCode, "DISPUTE_RESOLVED", "DISPUTE", d.id, message);
        notices.notify(d.providerDepartmentCode, "DISPUTE_RESOLVED", "DISPUTE", d.id, message);
        return d;
    }

    /**
     * The requested period's last day once a dispute reopens a refusal: the days of the period that passed while the
     * overturned refusal stood (from the refusal, or the period's first day if later, to the ruling) are added, so the
     * requester keeps what was left of its period when it was refused and the provider can carry out the ruling
     * (approving an ended period is refused). A period already over when it was refused, or not yet begun at the
     * ruling, lost nothing and stays.
     */
    static LocalDate periodToAfterReopen(LocalDate periodFrom, LocalDate periodTo, LocalDate refusedOn,
            LocalDate ruling) {
        if (refusedOn == null) {
            return periodTo;
        }
        LocalDate lostFrom = refusedOn.isAfter(periodFrom) ? refusedOn : periodFrom;
        if (!lostFrom.isBefore(ruling) || lostFrom.isAfter(periodTo)) {
            return periodTo;
        }
        return periodTo.plusDays(ChronoUnit.DAYS.between(lostFrom, ruling));
    }

    /**
     * Either party, the reviewers of the dispute's region, admins and auditors; to anyone else, reviewers of other
     * regions included, the dispute does not exist (404). A reviewer token without region reads none (403).
     */
    public Dispute view(Caller caller, long id) {
        Dispute d = Dispute.findById(id);
        if (d != null && isParty(caller, d)) {
            return d;
        }
        if (caller.isAuthority() && !Jurisdiction.readsEveryRegion(caller)) {
            Jurisdiction.reviewerRegion(caller);
        }
        if (d == null || !caller.isAuthority() || (!Jurisdiction.readsEveryRegion(caller) && !inRegion(caller, d))) {
            throw notFound(id);
        }
        return d;
    }

    /**
     * One page of disputes, newest first: operators see their department's (either side), reviewers those routed to
     * their region, admins and auditors all.
     */
    public List<Dispute> list(Caller caller, String status, int page, int size) {
        return filter(caller, status).page(em, Dispute.class, page, size);
    }

    /** How many disputes {@link #list} finds on all pages (the same visibility, counted in the database). */
    public long count(Caller caller, String status) {
        return filter(caller, status).count(em, Dispute.class);
    }

    private static CaseFilter filter(Caller caller, String status) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> p = new HashMap<>();
        if (!Jurisdiction.readsEveryRegion(caller)) {
            if (caller.has("reviewer")) {
                // disputes are routed to 6-digit regions; a token's 330781000000 is the same region
                String region = Jurisdiction.reviewerListRegion(caller);
                q.append(region == null ? " and 1 = 0" : " and regionCode = :region");
                if (region != null) {
                    p.put("region", region);
                }
            } else {
                q.append(" and (consumerDepartmentCode = :dept or providerDepartmentCode = :dept)");
                p.put("dept", caller.departmentOrFail());
            }
        }
        if (status != null) {
            q.append(" and status = :status");
            p.put("status", status);
        }
        return new CaseFilter(q.toString(), p);
    }

    private Dispute authorityAction(Caller caller, long id, Integer version) {
        String notAuthority = "争议由主管部门协调 / the 主管部门 handles disputes";
        Jurisdiction.requireAuthority(caller, notAuthority);
        Dispute d = Dispute.findById(id);
        if (d == null) {
            throw notFound(id);
        }
        // another region's dispute is not revealed (404), as for any other non-party
        Jurisdiction.requireActsOn(caller, d.consumerDepartmentCode, d.providerDepartmentCode, () -> d.regionCode,
                notAuthority, "争议当事部门不得协调本争议 / a party to the dispute does not handle it", () -> notFound(id));
        Versions.check(version, d.version);
        if (!"OPEN".equals(d.status)) {
            throw ApiException.illegalTransition("争议已办结 / the dispute is closed");
        }
        return d;
    }

    /**
     * The 主管部门 of the region the dispute is routed to, as identity-service's department register names it
     * ({@link DepartmentRegister}); where the register names none, the configured 主管部门 in its own region, else
     * null: that region's reviewers find the dispute in their list ({@code GET /disputes}) and get the notice
     * addressed to their region, and the configured 主管部门 of another region is not told.
     */
    private String handler(String regionCode) {
        String named = register.authorityCodeOf(regionCode);
        if (named != null) {
            return named;
        }
        String authority = config.competentAuthorityDepartment();
        return Regions.same(regionCode, Regions.ofCreditCode(authority)) ? authority : null;
    }

    private static boolean isParty(Caller caller, Dispute d) {
        return Jurisdiction.isParty(caller, d.consumerDepartmentCode, d.providerDepartmentCode);
    }

    /** A reviewer handles the disputes routed to the region of its token (R17). */
    private static boolean inRegion(Caller caller, Dispute d) {
        return Jurisdiction.inRegion(caller, d.regionCode);
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("没有该争议 / no dispute " + id);
    }

    /** The first valid region code of the (source, code) pairs, its source noted under {@code party}. */
    private static String firstValid(Map<String, String> sources, String party, String... sourceAndCode) {
        for (int i = 0; i < sourceAndCode.length; i += 2) {
            if (Regions.prefix(sourceAndCode[i + 1]) != null) {
                sources.put(party, sourceAndCode[i]);
                return sourceAndCode[i + 1];
            }
        }
        return null;
    }
}
