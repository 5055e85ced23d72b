package cn.onenet.exchange.service;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.Dispute;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.model.StateChange;
import cn.onenet.exchange.service.Commands.AnswerApproval;
import cn.onenet.exchange.service.Commands.Approve;
import cn.onenet.exchange.service.Commands.Extension;
import cn.onenet.exchange.service.Commands.FileRequest;
import cn.onenet.exchange.service.Commands.HeadApproval;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.Commands.Refusal;
import cn.onenet.exchange.service.Commands.Resubmit;
import cn.onenet.exchange.service.StateHistory.Actor;
import io.quarkus.scheduler.Scheduled;

/**
 * 共享申请 and the share-by-default rule (条例 2025, R7–R9): 无条件共享 is granted at once; 有条件共享 is answered by the
 * provider within 10 working days (approve, narrow, refuse with reasons, or ask once for what is missing; one
 * extension of up to 10 working days with the 主管部门's approval); 不予共享 is refused at filing with the
 * catalogue's legal basis. Overdue requests escalate to the 主管部门. Every change is recorded in the
 * {@link StateHistory} in the transaction of the change: who, in which role, from which status to which, and why.
 */
@ApplicationScoped
public class RequestService {

    public static final int ANSWER_WORKING_DAYS = 10;

    /**
     * The working days a provider has to answer a request for data of this share attribute (条例第二十一条): 1 for
     * 无条件共享 (also when the provider reviews it: covert use, after an end the 主管部门 decided), else
     * {@link #ANSWER_WORKING_DAYS}.
     */
    public static int answerWorkingDays(String shareAttribute) {
        return "UNCONDITIONAL".equals(shareAttribute) ? 1 : ANSWER_WORKING_DAYS;
    }
    public static final int MAX_EXTENSION_WORKING_DAYS = 10;
    public static final Set<String> DELIVERY_METHODS = Set.of("API", "BULK", "FILE", "SUBSCRIPTION");
    /** 待本部门负责人审核: filed by an operator who is not its department's head; the provider does not see it yet. */
    public static final String AWAITING_HEAD_APPROVAL = "AWAITING_HEAD_APPROVAL";
    /** 负责人退回: the requesting department's head returned the request (final; it never reached the provider). */
    public static final String RETURNED_BY_HEAD = "RETURNED_BY_HEAD";
    /**
     * 答复待本部门负责人审核: an operator of the provider who is not its head prepared the answer (条例第二十条第三款); the
     * providing department's head approves ({@link #approveAnswer}) or returns it ({@link #returnAnswer}). The answer
     * is still due by {@code dueOn}: the head's approval is within the answer time.
     */
    public static final String ANSWER_AWAITING_HEAD = "ANSWER_AWAITING_HEAD";
    public static final Set<String> STATUSES = Set.of(AWAITING_HEAD_APPROVAL, RETURNED_BY_HEAD, "PENDING",
            ANSWER_AWAITING_HEAD, "SUPPLEMENT_REQUESTED", "APPROVED", "GRANTED", "REFUSED", "NOT_SHARED", "WITHDRAWN");
    /**
     * Received by the provider and not answered yet, as a JPQL/SQL list: its answer deadline ({@code dueOn}) runs,
     * is recounted with the calendar and escalates when it passes.
     */
    public static final String UNANSWERED = "('PENDING', '" + ANSWER_AWAITING_HEAD + "')";
    /** {@code awaiting=} of the list: the answers awaiting the approval of the caller's department's head. */
    public static final String AWAITING_ANSWER_APPROVAL = "answer-approval";

    private final EntityManager em;
    private final CalendarService calendar;
    private final TimeSource time;
    private final GrantService grants;
    private final NoticeService notices;
    private final IdempotencyService idempotency;
    private final ExchangeConfig config;
    private final StateHistory history;
    private final CatalogReplicaService replica;
    private final DeliveryDeadlines deliveries;
    private final CovertUses covertUses;

    public RequestService(EntityManager em, CalendarService calendar, TimeSource time, GrantService grants,
            NoticeService notices, IdempotencyService idempotency, ExchangeConfig config, StateHistory history,
            CatalogReplicaService replica, DeliveryDeadlines deliveries, CovertUses covertUses) {
        this.deliveries = deliveries;
        this.covertUses = covertUses;
        this.em = em;
        this.calendar = calendar;
        this.time = time;
        this.grants = grants;
        this.notices = notices;
        this.idempotency = idempotency;
        this.config = config;
        this.history = history;
        this.replica = replica;
    }

    /**
     * 共享申请 (R7). Filed by an operator who also holds {@code head}, the request is approved by the filer and goes to
     * the provider at once ({@link #submit}); filed by any other operator it waits for the approval of the department's
     * head ({@link #approveAsHead}) as {@link #AWAITING_HEAD_APPROVAL}: not seen by the provider, no deadline, no
     * grant. The catalogue is checked at filing and again at the head's approval. A body naming an
     * {@code officeHeadApprover} is refused (400): the approver is the head's account. The request is received by the
     * provider ({@code receivedOn}) only when it is submitted to it.
     */
    @Transactional
    public ShareRequest file(Caller caller, FileRequest cmd, String idempotencyKey) {
        String consumer = caller.departmentOrFail();
        var previous = idempotency.previous(caller.subject(), "file-request", idempotencyKey,
                IdempotencyService.fingerprint(cmd));
        if (previous.isPresent()) {
            return ShareRequest.findById(previous.get());
        }
        if (cmd == null) {
            throw Fields.BODY.isRequired();
        }
        List<FieldError> errors = new ArrayList<>();
        if (cmd.officeHeadApprover() != null && !cmd.officeHeadApprover().isBlank()) {
            errors.add(new FieldError("officeHeadApprover", "审核人取自审核同意的部门负责人账号，请勿填写 / the approver is "
                    + "the head who approves the request signed in (or the filer holding head); leave officeHeadApprover "
                    + "out"));
        }
        require(errors, Fields.RESOURCE_CODE, cmd.resourceCode());
        require(errors, Fields.LEGAL_BASIS, cmd.legalBasis());
        require(errors, Fields.SCENARIO, cmd.scenario());
        require(errors, Fields.PURPOSE, cmd.purpose());
        require(errors, Fields.SCOPE, cmd.scope());
        if (cmd.items() == null || cmd.items().isEmpty()) {
            errors.add(new FieldError("items", "至少申请一个数据项 / at least one data item"));
        }
        if (cmd.deliveryMethod() == null || !DELIVERY_METHODS.contains(cmd.deliveryMethod())) {
            errors.add(new FieldError("deliveryMethod", Fields.DELIVERY_METHOD.oneOf(Fields.DELIVERY_METHODS)));
        }
        if (cmd.periodFrom() == null) {
            errors.add(new FieldError("periodFrom", Fields.PERIOD_FROM.required()));
        } else if (!Dates.sane(cmd.periodFrom())) {
            errors.add(new FieldError("periodFrom", Dates.OUT_OF_RANGE));
        }
        if (cmd.periodTo() == null) {
            errors.add(new FieldError("periodTo", Fields.PERIOD_TO.required()));
        } else if (!Dates.sane(cmd.periodTo())) {
            errors.add(new FieldError("periodTo", Dates.OUT_OF_RANGE));
        } else if (cmd.periodFrom() != null && cmd.periodTo().isBefore(cmd.periodFrom())) {
            errors.add(new FieldError("periodTo", "截止日不能早于起始日 / must not precede periodFrom"));
        } else if (cmd.periodTo().isBefore(time.today())) {
            // a period already over would give a grant valid only in the past
            errors.add(new FieldError("periodTo", "使用期限截止日不能早于今天 / must not be before today"));
        } else if (cmd.periodFrom() != null && Dates.sane(cmd.periodFrom())) {
            // counted from the first day the grant can be used: periodFrom, or today when it lies in the past
            java.time.LocalDate start = cmd.periodFrom().isAfter(time.today()) ? cmd.periodFrom() : time.today();
            java.time.LocalDate latest = start.plus(config.maxGrantPeriod());
            if (cmd.periodTo().isAfter(latest)) {
                errors.add(new FieldError("periodTo", "使用期限最长为 " + config.maxGrantPeriod() + "，截止日最晚为 "
                        + latest + " / the period is at most " + config.maxGrantPeriod() + ": periodTo " + latest
                        + " at the latest"));
            }
        }
        if (cmd.attestation() == null || !cmd.attestation().truthful() || !cmd.attestation().lawful()
                || !cmd.attestation().necessary()) {
            errors.add(new FieldError("attestation",
                    "须承诺申请真实、合法、必要 / the request must be attested truthful, lawful and necessary"));
        }
        CovertUses.Declared covert = covertUses.declared(cmd.covertUse(), time.today(), errors);
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        CatalogEntry entry = entryToShare(cmd.resourceCode(), consumer, cmd.items(), false);
        requirePermittedPurpose(entry, cmd.purpose().trim(), covert != null, false);
        ShareMethods.require(entry, cmd.deliveryMethod(), false);

        Actor filer = Actor.of(caller, "operator");
        ShareRequest r = new ShareRequest();
        r.resourceCode = entry.resourceCode;
        r.providerDepartmentCode = entry.providerDepartmentCode;
        r.consumerDepartmentCode = consumer;
        r.filedBy = caller.subject();
        r.items = Json.write(List.copyOf(new java.util.LinkedHashSet<>(cmd.items())));
        // the words the filer saw, kept: a later catalogue version renaming them does not rewrite the request
        r.resourceName = entry.name;
        r.itemNames = EntryNames.itemNames(entry, Json.strings(r.items));
        r.legalBasis = cmd.legalBasis().trim();
        r.scenario = cmd.scenario().trim();
        r.purpose = cmd.purpose().trim();
        r.scope = cmd.scope().trim();
        r.deliveryMethod = cmd.deliveryMethod();
        if (covert != null) {
            r.covertLegalBasis = covert.legalBasis();
            r.covertMaxPeriod = covert.maxPeriod().toString();
        }
        r.periodFrom = cmd.periodFrom();
        r.periodTo = cmd.periodTo();
        r.attested = true;
        r.shareAttribute = entry.shareAttribute;
        // receivedOn stays null until the request is submitted to the provider
        r.createdAt = time.now();
        r.consumerRegionCode = Regions.prefix(caller.region()) == null ? null : caller.region();
        r.authorityRegion = AuthorityRegions.of(r, entry);
        if (caller.has("head")) {
            approvedBy(r, caller);
            submit(r, entry, filer, "FILE", null).detail("covertUse", covertUse(r)).write();
        } else {
            r.status = AWAITING_HEAD_APPROVAL;
            r.persist();
            history.request(r, "FILE", null, filer).legalBasis(r.legalBasis).detail("awaiting", "head")
                    .detail("covertUse", covertUse(r)).write();
            notices.notify(consumer, "HEAD_APPROVAL_REQUESTED", "REQUEST", r.id, "共享申请待本部门负责人审核 / a "
                    + "share request awaits the approval of the department's head");
        }
        idempotency.remember(caller.subject(), "file-request", idempotencyKey, r.id,
                IdempotencyService.fingerprint(cmd));
        return r;
    }

    /**
     * 负责人审核同意: the head (role {@code head}) of the requesting department, not the filer, approves a request that
     * awaits it; the request is then filed with the provider as a head's own filing would be, from today: the catalogue
     * is checked again (409 when the entry is gone, deregistered, lacks an item, or the consumer's grant on it is
     * suspended), 无条件共享 and 回流 are granted at once, 不予共享 refused, 有条件共享 waits 10 working days. A request
     * whose period ({@code periodTo}) ended before today is not approved (409): it can only be returned.
     */
    @Transactional
    public ShareRequest approveAsHead(Caller caller, long id, HeadApproval cmd) {
        ShareRequest r = headAction(caller, id, cmd == null ? null : cmd.version(), FILING);
        if (r.periodTo.isBefore(time.today())) {
            // a grant valid only in the past, or a provider's deadline for a period that is over
            String detail = "申请的使用期限已于 " + r.periodTo + " 届满，不能审核同意；请退回后重新申请 / the requested period "
                    + "ended on " + r.periodTo + ": the request cannot be approved; return it and file a new one";
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION, detail,
                    List.of(new FieldError("periodTo", detail)), Map.of("periodTo", r.periodTo.toString()), Map.of());
        }
        CatalogEntry entry = entryToShare(r.resourceCode, r.consumerDepartmentCode, Json.strings(r.items), true);
        requirePermittedPurpose(entry, r.purpose, r.covertLegalBasis != null, true);
        ShareMethods.require(entry, r.deliveryMethod, true);
        approvedBy(r, caller);
        String opinion = Texts.optional(cmd.opinion());
        StateHistory.Entry approval = submit(r, entry, Actor.of(caller, "head"), "HEAD_APPROVE",
                AWAITING_HEAD_APPROVAL);
        if (opinion != null) {
            approval.reason(opinion).detail("decisionReason", r.decisionReason);
        }
        approval.write();
        notices.notify(r.consumerDepartmentCode, "HEAD_APPROVED", "REQUEST", r.id, "本部门负责人" + r.officeHeadApprover
                + "已审核同意，申请已提交 / the department's head approved the request: it was filed");
        return r;
    }

    /** 负责人退回: the head of the requesting department returns a request awaiting it, with its reasons; final. */
    @Transactional
    public ShareRequest returnAsHead(Caller caller, long id, Reasoned cmd) {
        ShareRequest r = headAction(caller, id, cmd == null ? null : cmd.version(), FILING);
        Texts.require(cmd.reason(), "reason", "退回须说明理由 / a return must state its reasons");
        r.status = RETURNED_BY_HEAD;
        r.decidedAt = time.now();
        r.decisionReason = cmd.reason().trim();
        Versions.flush(em);
        history.request(r, "HEAD_RETURN", AWAITING_HEAD_APPROVAL, Actor.of(caller, "head")).decision()
                .reason(r.decisionReason).write();
        notices.notify(r.consumerDepartmentCode, "HEAD_RETURNED", "REQUEST", r.id,
                "本部门负责人退回申请 / the head returned the request: "
                + r.decisionReason);
        return r;
    }

    /**
     * A step that waits for a department's head (role {@code head}): the status it waits in, the department whose head
     * decides, who prepared what the head decides (and may not decide it), and the refusals' words.
     */
    private record HeadStep(String status, Function<ShareRequest, String> department,
            Function<ShareRequest, String> preparedBy, String notTheHead, String ownWork, String notAwaiting) {
    }

    /** 本部门负责人审核 of a request an operator filed (R7). */
    private static final HeadStep FILING = new HeadStep(AWAITING_HEAD_APPROVAL, r -> r.consumerDepartmentCode,
            r -> r.filedBy, "只有申请部门的负责人可以审核 / only the head of the requesting department approves or returns "
                    + "its request",
            "申请人不能审核自己的申请 / the filer does not approve its own request",
            "，不在待负责人审核 / the request does not await the head's approval");

    /** 提供部门负责人审核答复 of the answer an operator of the provider prepared (条例第二十条第三款). */
    private static final HeadStep ANSWER = new HeadStep(ANSWER_AWAITING_HEAD, r -> r.providerDepartmentCode,
            r -> r.answerProposedBy, "只有提供部门的负责人可以审核答复 / only the head of the providing department approves "
                    + "or returns its answer",
            "拟答复人不能审核自己的答复 / the operator who prepared the answer does not approve it",
            "，没有待负责人审核的答复 / no answer of the request awaits the head's approval");

    /**
     * The request a head decides, locked: 404 unless the caller sees it ({@link #view}); 403 unless the caller holds
     * {@code head} in the step's department and did not prepare what it decides; the version matches (409 stale); it
     * waits in the step's status (else 409).
     */
    private ShareRequest headAction(Caller caller, long id, Integer version, HeadStep step) {
        // locked FOR UPDATE: a second head deciding at once waits for the first and then finds it decided (409)
        ShareRequest r = ShareRequest.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (r == null || !sees(caller, r)) {
            throw notFound(id);
        }
        if (!caller.has("head") || !step.department().apply(r).equals(caller.department())) {
            throw ApiException.forbidden(step.notTheHead());
        }
        if (caller.subject() != null && caller.subject().equals(step.preparedBy().apply(r))) {
            throw ApiException.forbidden(step.ownWork());
        }
        Versions.check(version, r.version);
        if (!step.status().equals(r.status)) {
            throw ApiException.illegalTransition("申请" + StatusLabels.request(r.status) + step.notAwaiting() + " ("
                    + r.status + ")");
        }
        return r;
    }

    /** The covert use the request declared, as its filing's history records it (null: none). */
    private static Map<String, Object> covertUse(ShareRequest r) {
        return CovertUses.detail(r.covertLegalBasis, r.covertMaxPeriod);
    }

    /** The head's name from its token (else its subject) and its subject, as the request's approver. */
    private static void approvedBy(ShareRequest r, Caller head) {
        Actor approver = Actor.of(head, "head");
        r.officeHeadApprover = approver.name() != null ? approver.name() : approver.subject();
        r.officeHeadApproverSubject = approver.subject();
    }

    /**
     * The published entry a request may be filed on, with its lock FOR SHARE: a deregistration being applied waits for
     * this filing, or this filing for it (R15). At filing an unknown entry is 404 and an unknown item 400; when a head
     * approves ({@code again}) the request was valid when filed, so what changed since is 409.
     */
    /**
     * 条例 Art. 15 ¶1: 有条件共享 data is shared for the purposes its catalogue entry lists, so a request names one of
     * them as its purpose (the concrete case goes in the scenario). A declared covert use rests on the law it cites,
     * not on the catalogue's purposes. {@code again}: checked again at the head's approval, when the entry may have
     * changed since the filing (409).
     */
    static void requirePermittedPurpose(CatalogEntry entry, String purpose, boolean covert, boolean again) {
        List<String> permitted = entry.permittedPurposes == null ? List.of() : Json.strings(entry.permittedPurposes);
        if (covert || !"CONDITIONAL".equals(entry.shareAttribute) || permitted.isEmpty()
                || permitted.contains(purpose)) {
            return;
        }
        String detail = "有条件共享资源只能用于目录列明的使用用途之一：" + String.join("；", permitted)
                + " / a conditionally shared resource is requested for one of the purposes its catalogue entry permits: "
                + String.join("; ", permitted);
        List<FieldError> errors = List.of(new FieldError("purpose", detail));
        Map<String, Object> extensions = Map.of("permittedPurposes", permitted);
        throw again ? new ApiException(ProblemType.ILLEGAL_TRANSITION, "目录已不再允许该用途 / the entry no longer "
                + "permits the requested purpose", errors, extensions, Map.of())
                : new ApiException(ProblemType.VALIDATION, detail, errors, extensions, Map.of());
    }

    private CatalogEntry entryToShare(String resourceCode, String consumer, List<String> items, boolean again) {
        // an old code of a reclassified entry files on the code the entry carries now
        CatalogEntry entry = replica.findCurrentOrCatchUp(resourceCode);
        if (entry == null) {
            String detail = "目录中没有该资源 / no published catalogue entry " + resourceCode;
            // at filing the code is the caller's input (a space pasted after it, a typo): name the field
            throw again ? ApiException.illegalTransition(detail) : new ApiException(ProblemType.NOT_FOUND, detail,
                    List.of(new FieldError("resourceCode", detail)), Map.of("resourceCode", resourceCode), Map.of());
        }
        em.refresh(entry, LockModeType.PESSIMISTIC_READ);
        if (entry.deregistered) {
            throw ApiException.illegalTransition("该目录已注销 / the catalogue entry is deregistered");
        }
        Set<String> known = itemCodes(entry);
        List<FieldError> itemErrors = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!known.contains(items.get(i))) {
                itemErrors.add(new FieldError("items[" + i + "]", "目录中没有该数据项 / not an item of this entry"));
            }
        }
        if (!itemErrors.isEmpty()) {
            throw again ? new ApiException(ProblemType.ILLEGAL_TRANSITION, "目录已不含所申请的数据项 / the entry no "
                    + "longer has a requested item", itemErrors, Map.of(), Map.of()) : ApiException.fields(itemErrors);
        }
        // R14: a suspension is lifted by the provider or the 主管部门, not worked around by filing again
        refuseWhileSuspended(consumer, entry.resourceCode);
        return entry;
    }

    /**
     * Files a head-approved request with the provider on the entry as it is now, from today: 无条件共享 and 回流 are
     * granted, 不予共享 refused, 有条件共享 waits for the provider. Returns the history entry of the change, to write.
     */
    private StateHistory.Entry submit(ShareRequest r, CatalogEntry entry, Actor by, String action, String from) {
        String consumer = r.consumerDepartmentCode;
        ShareGrant ended = grants.newestEndedAgainst(consumer, entry.resourceCode);
        r.shareAttribute = entry.shareAttribute;
        r.receivedOn = time.today();
        String path = returnFlow(entry, r.consumerRegionCode) ? "RETURN_FLOW" : entry.shareAttribute;
        // 无条件共享 and 回流 are granted as at a first filing, whatever the provider did earlier (R15: it does not stop
        // them on its own); only after an end the 主管部门 decided (termination by the 主管部门, e.g. after an incident
        // or a complaint, R14) or an expiry while suspended (waiting out a suspension is no way round it) the provider
        // reviews
        boolean byRule = "UNCONDITIONAL".equals(path) || "RETURN_FLOW".equals(path);
        boolean afterEnd = byRule && ended != null && endedByAuthority(ended);
        // 隐蔽查询 keeps the data subjects uninformed: the provider decides it, whatever the data's share attribute
        boolean covertReview = byRule && r.covertLegalBasis != null;
        boolean review = afterEnd || covertReview;
        switch (review ? "CONDITIONAL" : path) {
            case "UNCONDITIONAL" -> {
                // 无条件共享: sharing is the default, granted at once (well inside the 1-working-day rule).
                r.dueOn = calendar.calendar().addWorkingDays(r.receivedOn, 1);
                r.status = "GRANTED";
                r.decidedAt = time.now();
                r.decisionReason = "无条件共享，自动授权 / unconditional sharing, granted automatically";
                r.persist();
                ShareGrant g = grants.create(r, Json.strings(r.items), r.periodTo, List.of(), null, null,
                        "无条件共享", null, by, true, r.decisionReason);
                r.grantId = g.id;
            }
            case "RETURN_FLOW" -> {
                r.dueOn = calendar.calendar().addWorkingDays(r.receivedOn, 1);
                r.status = "GRANTED";
                r.decidedAt = time.now();
                r.decisionReason = Regions.RETURN_FLOW_BASIS;
                r.persist();
                ShareGrant g = grants.create(r, Json.strings(r.items), r.periodTo, List.of(), null, null,
                        Regions.RETURN_FLOW_BASIS, returnFlowScope(r.consumerRegionCode), by, true,
                        r.decisionReason);
                r.grantId = g.id;
                notices.notify(r.providerDepartmentCode, "RETURN_FLOW_GRANTED", "REQUEST", r.id,
                        "下级政府依回流规则获得授权 / granted to a lower government by the 回流 rule");
            }
            case "CONDITIONAL" -> {
                // the deadline follows the data's share attribute (条例第二十一条), also when a 无条件共享 request is
                // reviewed (covert use, an end the 主管部门 decided): the review does not lengthen it
                r.dueOn = calendar.calendar().addWorkingDays(r.receivedOn, answerWorkingDays(r.shareAttribute));
                r.status = "PENDING";
                r.persist();
                String after = ended == null ? ""
                        : "；该部门在此目录上的授权 #" + ended.id + endedZh(ended) + "（" + ended.statusReason
                                + "），须经审核 / its grant #" + ended.id + " on this entry " + endedEn(ended);
                if (covertReview) {
                    after += "；申请声明了隐蔽查询，须经审核 / the request declares covert use, which the provider reviews";
                }
                notices.notify(r.providerDepartmentCode, "REQUEST_RECEIVED", "REQUEST", r.id,
                        "收到共享申请，请于 " + r.dueOn + " 前答复 / answer by " + r.dueOn + after);
                if (afterEnd) {
                    notices.notify(consumer, "REQUEST_UNDER_REVIEW", "REQUEST", r.id, "授权 #" + ended.id
                            + endedZh(ended) + "，本次申请须经提供部门审核 / grant #" + ended.id + " "
                            + endedEn(ended) + ": this request waits for the provider's review");
                } else if (covertReview) {
                    notices.notify(consumer, "REQUEST_UNDER_REVIEW", "REQUEST", r.id, "申请声明了隐蔽查询，须经提供部门"
                            + "审核 / the request declares covert use: it waits for the provider's review");
                }
            }
            default -> {
                // 不予共享: refused at filing, citing the catalogue's legal basis.
                r.status = "NOT_SHARED";
                r.decidedAt = time.now();
                r.decisionReason = entry.notSharedReason == null ? "目录标注为不予共享" : entry.notSharedReason;
                r.refusalLegalBasis = entry.notSharedLegalBasis;
                r.persist();
            }
        }
        boolean decided = !"PENDING".equals(r.status);
        Map<String, Object> refusalBasis = Json.object(r.refusalLegalBasis);
        StateHistory.Entry filed = history.request(r, action, from, by).automatic(decided)
                .reason(r.decisionReason)
                // the basis of the outcome: the catalogue's for 不予共享, else the one the requester cites
                .legalBasis(refusalBasis != null ? basisText(refusalBasis) : r.legalBasis)
                .detail("path", path).detail("reviewedAfterGrant", afterEnd ? ended.id : null)
                .detail("reviewedForCovertUse", covertReview ? true : null)
                .detail("grantId", r.grantId).detail("refusalLegalBasis", refusalBasis).detail("dueOn", r.dueOn);
        return (decided ? filed.decision() : filed).detail("officeHeadApprover", r.officeHeadApprover);
    }

    /**
     * 批准 (R7/R8), possibly with fewer items, a shorter period, plain items and quotas. Given by an operator of the
     * provider who also holds {@code head}, the answer is approved by the operator and applied at once; given by any
     * other operator it is kept as the proposed answer and the request waits for the providing department's head
     * ({@link #ANSWER_AWAITING_HEAD}). A body naming {@code providerHeadApprover} is refused (400).
     */
    @Transactional
    public ShareRequest approve(Caller caller, long id, Approve cmd) {
        ShareRequest r = providerAction(caller, id, cmd == null ? null : cmd.version());
        refuseNamedApprover(cmd.providerHeadApprover());
        List<String> asked = Json.strings(r.items);
        if (cmd.items() != null && cmd.items().isEmpty()) {
            // an emptied list is not "as asked": approving shares at least one item, else the answer is a refusal
            throw ApiException.field("items", "至少批准一个数据项；不予共享请用拒绝 / approve at least one item (omit items to "
                    + "approve as asked; refuse otherwise)");
        }
        List<String> items = cmd.items() == null ? asked : cmd.items();
        for (int i = 0; i < items.size(); i++) {
            if (!asked.contains(items.get(i))) {
                throw ApiException.field("items[" + i + "]",
                        "只能批准所申请的数据项 / only requested items can be granted (narrowing only)");
            }
        }
        if (cmd.periodTo() != null && (cmd.periodTo().isAfter(r.periodTo) || cmd.periodTo().isBefore(r.periodFrom))) {
            throw ApiException.field("periodTo", "只能缩短使用期限 / the period can only be shortened");
        }
        List<String> clear = cmd.clearItems() == null ? List.of() : cmd.clearItems();
        for (int i = 0; i < clear.size(); i++) {
            if (!items.contains(clear.get(i))) {
                throw ApiException.field("clearItems[" + i + "]", "明文项须在授权数据项内 / must be a granted item");
            }
        }
        positive(Fields.QUOTA_PER_SECOND, cmd.quotaPerSecond());
        positive(Fields.QUOTA_PER_DAY, cmd.quotaPerDay());
        Commands.DisposalRequirement disposal = GrantService.disposal(cmd.disposalRequirement(), "disposalRequirement");
        CatalogEntry entry = approvableEntry(r);
        // as the head's approval of a proposed answer would refuse it: a grant valid only in the past
        refuseEndedPeriod(cmd.periodTo() == null ? r.periodTo : cmd.periodTo(), "不能批准",
                "the request cannot be approved with it");
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("decision", "APPROVE");
        answer.put("items", List.copyOf(items));
        answer.put("periodTo", cmd.periodTo() == null ? null : cmd.periodTo().toString());
        answer.put("clearItems", List.copyOf(clear));
        answer.put("quotaPerSecond", cmd.quotaPerSecond());
        answer.put("quotaPerDay", cmd.quotaPerDay());
        answer.put("note", cmd.note());
        if (disposal != null) {
            // R14: how the data is disposed of when the grant ends, as the provider requires
            Map<String, Object> required = new java.util.LinkedHashMap<>();
            required.put("method", disposal.method());
            required.put("instructions", disposal.instructions());
            answer.put("disposalRequirement", required);
        }
        if (!caller.has("head")) {
            return propose(r, caller, answer, cmd.note(), null);
        }
        answeredBy(r, caller);
        return applyApproval(r, entry, answer, Actor.of(caller, "operator"), null);
    }

    /**
     * The entry a request is approved on, read again FOR SHARE (null when the replica no longer has it): 409 while the
     * consumer's grant on it is suspended, when it is deregistered or now 不予共享, when it no longer lists the request's
     * purpose among its permitted purposes (有条件共享, naming {@code purpose}), or when its share method no longer
     * covers the request's delivery method (naming {@code deliveryMethod}).
     */
    private CatalogEntry approvableEntry(ShareRequest r) {
        refuseWhileSuspended(r.consumerDepartmentCode, r.resourceCode);
        CatalogEntry entry = CatalogEntry.findById(r.resourceCode);
        if (entry != null) {
            // read again FOR SHARE before the request is written: the grant stores the entry's region as the catalogue
            // feed leaves it (AuthorityRegions), and a deregistration being applied is seen
            em.refresh(entry, LockModeType.PESSIMISTIC_READ);
        }
        if (entry != null && entry.deregistered) {
            // e.g. a request a dispute sent back to the provider after the entry was deregistered
            throw ApiException.illegalTransition("该目录已注销 / the catalogue entry is deregistered");
        }
        if (entry != null && "NOT_SHARED".equals(entry.shareAttribute)) {
            // R1: 不予共享 is the catalogue's, with its legal basis; no approval (nor a dispute) turns it into a grant.
            // The provider refuses the request, or the catalogue changes the entry's share attribute first.
            throw ApiException.illegalTransition("目录现为不予共享，不能批准；如应共享，须先经目录变更 / the catalogue entry "
                    + entry.resourceCode + " is now 不予共享 (NOT_SHARED): it cannot be approved; refuse the request, "
                    + "or change the entry's share attribute in the catalogue first");
        }
        if (entry != null) {
            // 条例 Art. 15 ¶1: the purpose was one the entry listed at filing; a version that dropped it since would end
            // the grant at once (GrantService.endForDroppedPurposes), so the provider refuses instead
            requirePermittedPurpose(entry, r.purpose, r.covertLegalBasis != null, true);
            // 条例第二十二条: the provider shares by the catalogue's method; the grant would be ended by the version that
            // changed it. The provider refuses the request, the consumer files again for a method offered now.
            ShareMethods.require(entry, r.deliveryMethod, true);
        }
        return entry;
    }

    /**
     * Applies an approval ({@code answer} as {@link #approve} keeps it) of an unanswered request: the grant, the
     * delivery deadline (R10), the history entry with the approving head, the consumer's notice.
     */
    private ShareRequest applyApproval(ShareRequest r, CatalogEntry entry, Map<String, Object> answer, Actor by,
            String opinion) {
        String from = r.status;
        String proposer = r.answerProposedBy;
        List<String> asked = Json.strings(r.items);
        List<String> items = answerStrings(answer.get("items"));
        List<String> clear = answerStrings(answer.get("clearItems"));
        java.time.LocalDate periodTo = answer.get("periodTo") == null ? r.periodTo
                : java.time.LocalDate.parse(answer.get("periodTo").toString());
        Integer quotaPerSecond = answerInt(answer.get("quotaPerSecond"));
        Integer quotaPerDay = answerInt(answer.get("quotaPerDay"));
        String note = (String) answer.get("note");
        Commands.DisposalRequirement disposal = answer.get("disposalRequirement") instanceof Map<?, ?> d
                ? GrantService.disposal(new Commands.DisposalRequirement(String.valueOf(d.get("method")),
                        (String) d.get("instructions")), "disposalRequirement")
                : null;
        r.status = "APPROVED";
        r.decidedAt = time.now();
        r.decisionReason = note;
        clearProposal(r);
        Versions.flush(em);
        // a 回流 or 无条件共享 request reviewed after a termination keeps its basis (and a 回流 grant its region)
        boolean returnFlow = entry != null && returnFlow(entry, r.consumerRegionCode);
        String basis = returnFlow ? Regions.RETURN_FLOW_BASIS
                : "UNCONDITIONAL".equals(r.shareAttribute) ? "无条件共享" : "有条件共享";
        ShareGrant g = grants.create(r, items, periodTo, clear, quotaPerSecond, quotaPerDay, basis,
                returnFlow ? returnFlowScope(r.consumerRegionCode) : null, by, false, note, disposal);
        // R10: agreed, the provider shares the data within 20 working days
        deliveries.start(g);
        r.grantId = g.id;
        history.request(r, "APPROVE", from, by).decision().reason(note).detail("grantId", g.id)
                .detail("items", items).detail("narrowed", items.size() < asked.size() ? true : null)
                .detail("periodTo", g.validTo).detail("deliveryDue", g.deliveryDue)
                .detail("providerHeadApprover", r.providerHeadApprover).detail("answerProposedBy", proposer)
                .detail("opinion", opinion).write();
        notices.notify(r.consumerDepartmentCode, "REQUEST_APPROVED", "REQUEST", r.id,
                items.size() < asked.size() ? "申请已批准（部分数据项）/ approved with fewer items" : "申请已批准 / approved");
        return r;
    }

    private static List<String> answerStrings(Object value) {
        List<String> strings = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(v -> strings.add(String.valueOf(v)));
        }
        return strings;
    }

    private static Integer answerInt(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    /**
     * 拒绝 with reasons (R9) and the legal basis it cites, if any. Given by an operator of the provider who also holds
     * {@code head}, applied at once; by any other operator it is kept as the proposed answer for the providing
     * department's head ({@link #ANSWER_AWAITING_HEAD}). A body naming {@code providerHeadApprover} is refused (400).
     */
    @Transactional
    public ShareRequest refuse(Caller caller, long id, Refusal cmd) {
        ShareRequest r = providerAction(caller, id, cmd == null ? null : cmd.version());
        refuseNamedApprover(cmd.providerHeadApprover());
        refuseAgainstRuling(r);
        // R9: never a bare rejection.
        Texts.require(cmd.reason(), "reason", "拒绝须说明理由 / a refusal must state its reasons");
        String legalBasis = Texts.optional(cmd.legalBasis());
        if (!caller.has("head")) {
            Map<String, Object> answer = new java.util.LinkedHashMap<>();
            answer.put("decision", "REFUSE");
            answer.put("reason", cmd.reason().trim());
            answer.put("legalBasis", legalBasis);
            return propose(r, caller, answer, cmd.reason().trim(), legalBasis);
        }
        answeredBy(r, caller);
        return refuse(r, Actor.of(caller, "operator"), false, cmd.reason(), legalBasis,
                e -> e.detail("providerHeadApprover", r.providerHeadApprover));
    }

    /**
     * 条例第二十八条: once the 主管部门 (or the government above it) ruled in a dispute over this request's refusal that the
     * data is to be shared, the provider carries the ruling out: it may approve, narrowing items or period within the
     * request, but not refuse again (409 naming the dispute; otherwise the requester would be back at the first
     * level with a new dispute, and the ruling would bind no one).
     */
    private static void refuseAgainstRuling(ShareRequest r) {
        Dispute ruling = Dispute.<Dispute>find("requestId = ?1 and subject = ?2 and status = 'RESOLVED_SHARE' "
                + "order by id desc", r.id, DisputeService.REFUSAL).firstResult();
        if (ruling != null) {
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION, "主管部门已在争议 #" + ruling.id + " 中裁决应予共享（"
                    + "《政务数据共享条例》第二十八条）：提供部门只能批准本申请（可在申请范围内缩减数据项或期限），不能再拒绝 / "
                    + "the 主管部门 ruled in dispute #" + ruling.id + " that the data is to be shared: the provider may "
                    + "only approve this request (narrowing items or period is allowed), not refuse it",
                    List.of(), Map.of("disputeId", ruling.id), Map.of());
        }
    }

    /** 400 naming {@code providerHeadApprover}: the approver of the answer is the head's own account. */
    private static void refuseNamedApprover(String named) {
        if (named != null && !named.isBlank()) {
            throw ApiException.field("providerHeadApprover", "答复审核人取自审核同意的本部门负责人账号，请勿填写 / the "
                    + "approver of the answer is the provider's head who approves it signed in (or the answering "
                    + "operator holding head); leave providerHeadApprover out");
        }
    }

    /**
     * Keeps the answer of an operator who is not the provider's head as the proposed answer: the request waits for the
     * head ({@link #ANSWER_AWAITING_HEAD}), its deadline running; the department's heads are notified. What is
     * proposed is recorded in the history (shown to the provider only).
     */
    private ShareRequest propose(ShareRequest r, Caller caller, Map<String, Object> answer, String reason,
            String legalBasis) {
        String from = r.status;
        r.status = ANSWER_AWAITING_HEAD;
        r.proposedAnswer = Json.write(answer);
        r.answerProposedBy = caller.subject();
        r.answerProposedAt = time.now();
        Versions.flush(em);
        history.request(r, PROPOSE_ANSWER, from, Actor.of(caller, "operator")).reason(reason).legalBasis(legalBasis)
                .detail("proposedAnswer", answer).detail("dueOn", r.dueOn).write();
        String what = "REFUSE".equals(answer.get("decision")) ? "拒绝" : "批准";
        notices.notify(r.providerDepartmentCode, "ANSWER_HEAD_APPROVAL_REQUESTED", "REQUEST", r.id, "拟答复（" + what
                + "）待本部门负责人审核，答复期限 " + r.dueOn + " / a proposed answer awaits the approval of the "
                + "department's head; the answer is due by " + r.dueOn);
        return r;
    }

    /** History actions of the provider's answer that only the provider sees in full (they carry the proposal). */
    public static final String PROPOSE_ANSWER = "PROPOSE_ANSWER";
    public static final String ANSWER_RETURN = "ANSWER_RETURN";

    /**
     * 提供部门负责人审核同意 (条例第二十条第三款): the head (role {@code head}) of the providing department, not the operator
     * who prepared it, approves the proposed answer; it is applied as an answer of a head would be, the catalogue
     * checked again for an approval (409 while the consumer's grant on the entry is suspended, when the entry is
     * deregistered or now 不予共享, or when the period to grant ended before today). The head becomes
     * {@code providerHeadApprover}.
     */
    @Transactional
    public ShareRequest approveAnswer(Caller caller, long id, AnswerApproval cmd) {
        ShareRequest r = headAction(caller, id, cmd == null ? null : cmd.version(), ANSWER);
        Map<String, Object> answer = Json.object(r.proposedAnswer);
        String opinion = Texts.optional(cmd.opinion());
        Actor head = Actor.of(caller, "head");
        if ("REFUSE".equals(answer.get("decision"))) {
            refuseAgainstRuling(r);
            String proposer = r.answerProposedBy;
            answeredBy(r, caller);
            refuse(r, head, false, (String) answer.get("reason"), (String) answer.get("legalBasis"),
                    e -> e.detail("providerHeadApprover", r.providerHeadApprover).detail("answerProposedBy", proposer)
                            .detail("opinion", opinion));
            return r;
        }
        CatalogEntry entry = approvableEntry(r);
        java.time.LocalDate until = answer.get("periodTo") == null ? r.periodTo
                : java.time.LocalDate.parse(answer.get("periodTo").toString());
        refuseEndedPeriod(until, "不能审核同意；请退回后重新答复", "the answer cannot be approved; return it");
        answeredBy(r, caller);
        return applyApproval(r, entry, answer, head, opinion);
    }

    /**
     * 提供部门负责人退回: the head of the providing department, not the operator who prepared it, returns the proposed
     * answer with its reasons; the request is PENDING again (its deadline unchanged), the proposal kept in the history
     * only, and the provider's operators notified.
     */
    @Transactional
    public ShareRequest returnAnswer(Caller caller, long id, Reasoned cmd) {
        ShareRequest r = headAction(caller, id, cmd == null ? null : cmd.version(), ANSWER);
        Texts.require(cmd.reason(), "reason", "退回须说明理由 / a return must state its reasons");
        Map<String, Object> returned = Json.object(r.proposedAnswer);
        String proposer = r.answerProposedBy;
        r.status = "PENDING";
        clearProposal(r);
        Versions.flush(em);
        history.request(r, ANSWER_RETURN, ANSWER_AWAITING_HEAD, Actor.of(caller, "head")).reason(cmd.reason().trim())
                .detail("returnedAnswer", returned).detail("answerProposedBy", proposer).detail("dueOn", r.dueOn)
                .write();
        notices.notify(r.providerDepartmentCode, "ANSWER_RETURNED", "REQUEST", r.id, "本部门负责人退回拟答复："
                + cmd.reason().trim() + "；答复期限 " + r.dueOn + " / the head returned the proposed answer");
        return r;
    }

    /**
     * 409 problem+json naming {@code periodTo} when the period to grant ended before today (a grant valid only in
     * the past), saying (in Chinese and English) what cannot be done.
     */
    private void refuseEndedPeriod(java.time.LocalDate until, String zh, String en) {
        if (until.isBefore(time.today())) {
            String detail = "拟批准的使用期限已于 " + until + " 届满，" + zh + " / the period to grant ended on " + until + ": "
                    + en;
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION, detail,
                    List.of(new FieldError("periodTo", detail)), Map.of("periodTo", until.toString()), Map.of());
        }
    }

    /** The provider's head approving the answer (name from its token, else its subject) and its subject. */
    private static void answeredBy(ShareRequest r, Caller head) {
        Actor approver = Actor.of(head, "head");
        r.providerHeadApprover = approver.name() != null ? approver.name() : approver.subject();
        r.providerHeadApproverSubject = approver.subject();
    }

    private static void clearProposal(ShareRequest r) {
        r.proposedAnswer = null;
        r.answerProposedBy = null;
        r.answerProposedAt = null;
    }

    private ShareRequest refuse(ShareRequest r, Actor by, boolean automatic, String reason, String legalBasis) {
        return refuse(r, by, automatic, reason, legalBasis, null);
    }

    /**
     * Refuses an undecided request with its reason, recorded as a decision (with what {@code more} adds to the history
     * entry); a proposed answer is cleared; the consumer is notified.
     */
    private ShareRequest refuse(ShareRequest r, Actor by, boolean automatic, String reason, String legalBasis,
            java.util.function.UnaryOperator<StateHistory.Entry> more) {
        String from = r.status;
        r.status = "REFUSED";
        r.decidedAt = time.now();
        r.decisionReason = reason.trim();
        clearProposal(r);
        Versions.flush(em);
        StateHistory.Entry refusal = history.request(r, "REFUSE", from, by).decision().automatic(automatic)
                .reason(r.decisionReason).legalBasis(legalBasis);
        (more == null ? refusal : more.apply(refusal)).write();
        notices.notify(r.consumerDepartmentCode, "REQUEST_REFUSED", "REQUEST", r.id, "申请被拒绝 / the request was refused: "
                + r.decisionReason);
        return r;
    }

    /** Why the exchange refuses requests and ends grants on an entry the catalogue deregistered (R15). */
    public static final String DEREGISTERED_REASON = "目录已注销，不再共享 / the catalogue entry was deregistered";

    /**
     * The catalogue deregistered an entry (R15), in the transaction applying the feed item: every request on it not
     * yet decided (PENDING, ANSWER_AWAITING_HEAD with its proposed answer dropped, SUPPLEMENT_REQUESTED) is refused,
     * the consumer and the provider notified; every request still awaiting its head is withdrawn by the exchange
     * (WITHDRAWN, automatic: it never reached the provider, so only the consumer is notified); then every grant on it in force is terminated
     * ({@link GrantService#terminateForDeregisteredEntry}). Requests are locked before the grants are read, so a
     * request approved at the same moment either committed its grant first (terminated here) or fails on the
     * request's version; a filing or a head's approval waits for the entry's lock and is then refused (409).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void entryDeregistered(@Observes CatalogReplicaService.EntryDeregistered deregistered) {
        List<ShareRequest> undecided = ShareRequest.<ShareRequest>find("resourceCode = ?1 and status in ('PENDING', "
                + "'" + ANSWER_AWAITING_HEAD + "', 'SUPPLEMENT_REQUESTED', '" + AWAITING_HEAD_APPROVAL + "') order by id",
                deregistered.resourceCode())
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
        for (ShareRequest r : undecided) {
            if (AWAITING_HEAD_APPROVAL.equals(r.status)) {
                withdrawUnapproved(r);
                continue;
            }
            refuse(r, Actor.SCHEDULER, true, DEREGISTERED_REASON, null);
            notices.notify(r.providerDepartmentCode, "REQUEST_REFUSED", "REQUEST", r.id,
                    "申请已因目录注销被拒绝 / refused: " + r.decisionReason);
        }
        grants.terminateForDeregisteredEntry(deregistered.resourceCode(), DEREGISTERED_REASON);
    }

    /**
     * A request awaiting its head on an entry the catalogue deregistered ends WITHDRAWN by the exchange (the only final
     * state of a request no head approved besides the head's own return), with the reason; the provider never had it.
     */
    private void withdrawUnapproved(ShareRequest r) {
        r.status = "WITHDRAWN";
        r.decisionReason = DEREGISTERED_REASON;
        Versions.flush(em);
        history.request(r, "WITHDRAW", AWAITING_HEAD_APPROVAL, Actor.SCHEDULER).automatic(true)
                .reason(DEREGISTERED_REASON).write();
        notices.notify(r.consumerDepartmentCode, "REQUEST_WITHDRAWN", "REQUEST", r.id,
                "目录已注销，待本部门负责人审核的申请已撤回 / the catalogue entry was deregistered: the request awaiting the "
                        + "head's approval was withdrawn");
    }

    /** Asks, once, for everything missing; the clock restarts when the consumer resubmits. */
    @Transactional
    public ShareRequest askSupplement(Caller caller, long id, Reasoned cmd) {
        ShareRequest r = providerAction(caller, id, cmd == null ? null : cmd.version());
        if (r.supplementAsked) {
            throw ApiException.illegalTransition("补充材料只能一次性告知 / missing material may be asked for only once");
        }
        Texts.require(cmd.reason(), "reason", "须一次性列明需补充的全部内容 / list everything that is missing");
        // an extension still awaiting the 主管部门 was asked for the deadline that stops here: the resubmission runs a
        // full deadline of its own, which the provider may ask once to extend (R8); the history keeps the lapsed one
        Integer lapsed = r.extensionDays != null && !r.extended && !r.extensionRefused ? r.extensionDays : null;
        if (lapsed != null) {
            r.extensionDays = null;
            r.extensionReason = null;
        }
        r.status = "SUPPLEMENT_REQUESTED";
        r.supplementAsked = true;
        r.supplementNote = cmd.reason().trim();
        Versions.flush(em);
        history.request(r, "ASK_SUPPLEMENT", "PENDING", Actor.of(caller, "operator")).reason(r.supplementNote)
                .detail("extensionLapsed", lapsed).write();
        notices.notify(r.consumerDepartmentCode, "SUPPLEMENT_REQUESTED", "REQUEST", r.id,
                "请补充材料 / supplement the request: " + r.supplementNote);
        if (lapsed != null) {
            notifyAuthority(r, "EXTENSION_LAPSED", "提供部门已要求补充材料，补充后重新计算答复期限，延期申请无需审批 / the "
                    + "provider asked for missing material: the deadline starts again once it is supplied, so the "
                    + "extension needs no decision");
        }
        return r;
    }

    @Transactional
    public ShareRequest resubmit(Caller caller, long id, Resubmit cmd) {
        ShareRequest r = load(id);
        if (!r.consumerDepartmentCode.equals(caller.department())) {
            throw forbiddenIfSeen(caller, r, "只有申请部门可以补充材料 / only the requesting department may resubmit");
        }
        Versions.check(cmd == null ? null : cmd.version(), r.version);
        if (!"SUPPLEMENT_REQUESTED".equals(r.status)) {
            throw ApiException.illegalTransition("该申请未要求补充材料 / no supplement was asked for");
        }
        // the provider could only refuse it: the consumer withdraws it and files again for a method offered now
        requireDeliveryMethodOffered(r);
        String from = r.status;
        Map<String, Object> changed = new java.util.LinkedHashMap<>();
        if (!Texts.blank(cmd.legalBasis())) {
            r.legalBasis = cmd.legalBasis().trim();
            changed.put("legalBasis", r.legalBasis);
        }
        if (!Texts.blank(cmd.scenario())) {
            r.scenario = cmd.scenario().trim();
            changed.put("scenario", r.scenario);
        }
        if (!Texts.blank(cmd.purpose())) {
            CatalogEntry entry = replica.findCurrentOrCatchUp(r.resourceCode);
            if (entry != null) {
                requirePermittedPurpose(entry, cmd.purpose().trim(), r.covertLegalBasis != null, false);
            }
            r.purpose = cmd.purpose().trim();
            changed.put("purpose", r.purpose);
        }
        if (!Texts.blank(cmd.scope())) {
            r.scope = cmd.scope().trim();
            changed.put("scope", r.scope);
        }
        r.status = "PENDING";
        r.receivedOn = time.today();
        r.dueOn = calendar.calendar().addWorkingDays(r.receivedOn, answerWorkingDays(r.shareAttribute));
        r.escalated = false;
        Versions.flush(em);
        history.request(r, "RESUBMIT", from, Actor.of(caller, "operator"))
                .reason(Texts.optional(cmd.note()))
                .legalBasis(r.legalBasis).detail("changed", changed.isEmpty() ? null : changed)
                .detail("dueOn", r.dueOn).write();
        notices.notify(r.providerDepartmentCode, "REQUEST_RESUBMITTED", "REQUEST", r.id,
                "申请已补充材料，请于 " + r.dueOn + " 前答复 / the "
                + "request was supplemented: answer by " + r.dueOn);
        return r;
    }

    /**
     * 409 naming {@code deliveryMethod} when the entry's current share method no longer covers the request's method
     * (the entry changed since the filing): such a request can only be refused or withdrawn.
     */
    private void requireDeliveryMethodOffered(ShareRequest r) {
        CatalogEntry entry = replica.findCurrentOrCatchUp(r.resourceCode);
        if (entry != null) {
            ShareMethods.require(entry, r.deliveryMethod, true);
        }
    }

    /** The provider asks for the one extension (R8); the 主管部门 must approve it. */
    @Transactional
    public ShareRequest requestExtension(Caller caller, long id, Extension cmd) {
        ShareRequest r = providerAction(caller, id, cmd == null ? null : cmd.version());
        if (r.extended || r.extensionDays != null) {
            throw ApiException.illegalTransition("只能延期一次 / only one extension is allowed");
        }
        refuseAfterDeadline(r, "申请延期", "asked for");
        Texts.require(cmd.reason(), "reason", "须说明延期理由 / state the reason");
        if (cmd.days() == null || cmd.days() < 1 || cmd.days() > MAX_EXTENSION_WORKING_DAYS) {
            throw ApiException.field("days", "延期为 1–10 个工作日 / 1 to 10 working days");
        }
        // R8's extension is time to assess a request; one the provider can only refuse needs none
        requireDeliveryMethodOffered(r);
        r.extensionReason = cmd.reason().trim();
        r.extensionDays = cmd.days();
        Versions.flush(em);
        history.request(r, "REQUEST_EXTENSION", r.status, Actor.of(caller, "operator")).reason(r.extensionReason)
                .detail("days", r.extensionDays).write();
        notifyAuthority(r, "EXTENSION_REQUESTED", "提供部门申请延期 " + cmd.days() + " 个工作日 / the "
                + "provider asks for " + cmd.days() + " more working days: " + r.extensionReason);
        return r;
    }

    @Transactional
    public ShareRequest approveExtension(Caller caller, long id, Integer version, String opinion) {
        ShareRequest r = extensionDecision(caller, id, version);
        refuseAfterDeadline(r, "批准延期", "approved");
        requireDeliveryMethodOffered(r);
        r.extended = true;
        r.extensionApprovedBy = caller.subject();
        // in time, so never escalated: an escalation that happened stays on the record
        r.dueOn = calendar.calendar().addWorkingDays(r.dueOn, r.extensionDays);
        Versions.flush(em);
        history.request(r, "APPROVE_EXTENSION", r.status, Actor.of(caller, "reviewer", "admin"))
                .reason(Texts.optional(opinion))
                .detail("days", r.extensionDays).detail("dueOn", r.dueOn).write();
        notices.notify(r.consumerDepartmentCode, "EXTENSION_APPROVED", "REQUEST", r.id,
                "答复期限延长至 " + r.dueOn + " / the answer "
                + "is now due " + r.dueOn + ": " + r.extensionReason);
        notices.notify(r.providerDepartmentCode, "EXTENSION_APPROVED", "REQUEST", r.id, "延期已批准，答复期限 " + r.dueOn
                + " / extension approved, answer due " + r.dueOn);
        return r;
    }

    /**
     * R8: an extension extends a deadline still running; once the answer is late it is late (the request escalates),
     * and no extension asked for or approved afterwards erases that. 409 naming the deadline.
     */
    private void refuseAfterDeadline(ShareRequest r, String whatZh, String what) {
        if (time.today().isAfter(r.dueOn)) {
            String detail = "答复期限 " + r.dueOn + " 已过，不能" + whatZh + " / the answer was due on " + r.dueOn
                    + ": an extension cannot be " + what + " after the deadline passed";
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION, detail, List.of(),
                    Map.of("dueOn", r.dueOn.toString()), Map.of());
        }
    }

    /**
     * 不予延期: the 主管部门 (as for an approval) refuses the extension, with its reasons. The request keeps its original
     * deadline (past it, the request is overdue and escalates as any other) and the one extension was used.
     */
    @Transactional
    public ShareRequest refuseExtension(Caller caller, long id, Integer version, String reason) {
        ShareRequest r = extensionDecision(caller, id, version);
        Texts.require(reason, "reason", "不予延期须说明理由 / a refusal of the extension must state its reasons");
        r.extensionRefused = true;
        Versions.flush(em);
        history.request(r, "REFUSE_EXTENSION", r.status, Actor.of(caller, "reviewer", "admin")).reason(reason.trim())
                .detail("days", r.extensionDays).detail("dueOn", r.dueOn).write();
        String message = "不予延期，答复期限仍为 " + r.dueOn
                + " / extension refused, the answer is still due " + r.dueOn + ": " + reason.trim();
        notices.notify(r.providerDepartmentCode, "EXTENSION_REFUSED", "REQUEST", r.id, message);
        notices.notify(r.consumerDepartmentCode, "EXTENSION_REFUSED", "REQUEST", r.id, message);
        return r;
    }

    /**
     * The request whose extension the caller decides: the 主管部门 of the region of both departments, as for disputes,
     * not one of the parties ({@link Jurisdiction#requireActsOn}); the version matches; an extension awaits a decision
     * and the request is still pending.
     */
    private ShareRequest extensionDecision(Caller caller, long id, Integer version) {
        String notAuthority = "延期由主管部门决定 / only the 主管部门 decides extensions";
        Jurisdiction.requireAuthority(caller, notAuthority);
        ShareRequest r = loadSeenBy(caller, id);
        Jurisdiction.requireActsOn(caller, r.consumerDepartmentCode, r.providerDepartmentCode,
                () -> authorityRegion(r), notAuthority,
                "申请当事部门不得决定本申请的延期 / a party does not decide the extension", () -> notFound(id));
        Versions.check(version, r.version);
        if (r.extensionDays == null || r.extended || r.extensionRefused) {
            throw ApiException.illegalTransition("没有待决定的延期 / no extension awaits a decision");
        }
        // an answer awaiting the provider's head is not given yet: its deadline may still be extended
        if (!"PENDING".equals(r.status) && !ANSWER_AWAITING_HEAD.equals(r.status)) {
            throw ApiException.illegalTransition("申请" + StatusLabels.request(r.status)
                    + " / the request is no longer pending");
        }
        return r;
    }

    /**
     * 撤回申请: the consumer department (its operators or systems) withdraws its request while it waits (for its head,
     * AWAITING_HEAD_APPROVAL, or the provider: PENDING, with or without an extension awaiting the 主管部门,
     * ANSWER_AWAITING_HEAD, or SUPPLEMENT_REQUESTED); WITHDRAWN is final. The provider, the consumer's own reviewers and admins and the 主管部门
     * are refused (403) when they see the request ({@link #view}); anyone else does not see it (404).
     */
    @Transactional
    public ShareRequest withdraw(Caller caller, long id, Reasoned cmd) {
        ShareRequest r = load(id);
        if (!r.consumerDepartmentCode.equals(caller.department()) || !(caller.has("operator") || caller.has("system"))) {
            throw forbiddenIfSeen(caller, r, "只有申请部门可以撤回申请 / only the requesting department withdraws");
        }
        Versions.check(cmd == null ? null : cmd.version(), r.version);
        if (!"PENDING".equals(r.status) && !"SUPPLEMENT_REQUESTED".equals(r.status)
                && !AWAITING_HEAD_APPROVAL.equals(r.status) && !ANSWER_AWAITING_HEAD.equals(r.status)) {
            throw ApiException.illegalTransition("申请" + StatusLabels.request(r.status) + "，不能撤回 / the request is "
                    + r.status + ": only a waiting request is withdrawn");
        }
        String from = r.status;
        boolean extensionPending = r.extensionDays != null && !r.extended && !r.extensionRefused;
        String reason = Texts.optional(cmd.reason());
        r.status = "WITHDRAWN";
        // an answer the provider's head had yet to approve was never given
        clearProposal(r);
        Versions.flush(em);
        history.request(r, "WITHDRAW", from, Actor.of(caller, "operator", "system")).reason(reason)
                .detail("extensionPending", extensionPending ? true : null).write();
        if (AWAITING_HEAD_APPROVAL.equals(from)) {
            // the provider never received it
            return r;
        }
        notices.notify(r.providerDepartmentCode, "REQUEST_WITHDRAWN", "REQUEST", r.id,
                "使用部门已撤回申请 / the requester withdrew the request" + (reason == null ? "" : "：" + reason));
        if (extensionPending) {
            // the 主管部门 was asked to approve an extension: it need not decide it any more
            notifyAuthority(r, "REQUEST_WITHDRAWN", "申请已撤回，延期申请无需审批 / the request was withdrawn: its "
                    + "extension needs no decision");
        }
        return r;
    }

    /**
     * Unanswered requests (PENDING, or their answer awaiting the provider's head) past their deadline go to the
     * 主管部门 that decides their extension (withdrawn and decided ones do not). Returns how many escalated now.
     */
    @Transactional
    public int escalateOverdue() {
        List<ShareRequest> overdue = ShareRequest.list("status in " + UNANSWERED + " and escalated = false and dueOn "
                + "< ?1", time.today());
        for (ShareRequest r : overdue) {
            r.escalated = true;
            history.request(r, "ESCALATE_OVERDUE", r.status, Actor.SCHEDULER).automatic(true)
                    .reason("逾期未答复，提请主管部门督办 / overdue, escalated to the 主管部门").detail("dueOn", r.dueOn)
                    .write();
            notifyAuthority(r, "REQUEST_OVERDUE",
                    "共享申请逾期未答复（期限 " + r.dueOn + "），提供部门 " + r.providerDepartmentCode
                    + " / request not answered by " + r.dueOn + ", provider " + r.providerDepartmentCode);
        }
        return overdue.size();
    }

    @Scheduled(cron = "0 5 * * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledEscalation() {
        escalateOverdue();
    }

    /**
     * One request, to whom {@link #list} without a side shows it: either party, a reviewer when the request is of its
     * region or its department's ({@link RegionScopedList}; else 404, a token without region 403), admins and
     * auditors.
     */
    public ShareRequest view(Caller caller, long id) {
        // a reviewer's list is asked before the request is read: a reviewer token without region is refused (403)
        // whether the request exists or not
        boolean reviewer = RegionScopedList.applies(caller);
        if (reviewer && !listedToReviewer(caller, id)) {
            throw notFound(id);
        }
        ShareRequest r = load(id);
        if (!reviewer && !sees(caller, r)) {
            throw notFound(id);
        }
        return r;
    }

    /** Whether the reviewer's list without a side shows the request. */
    private boolean listedToReviewer(Caller caller, long id) {
        return filter(caller, null, null).and("id = :id", "id", id).count(em, ShareRequest.class) > 0;
    }

    /**
     * Whether {@link #view} shows the request to the caller: a reviewer exactly when its list without a side shows it;
     * anyone else when its department filed the request, or once a head approved it, when its department provides it
     * or it is an admin or auditor.
     */
    private boolean sees(Caller caller, ShareRequest r) {
        if (RegionScopedList.applies(caller)) {
            return listedToReviewer(caller, r.id);
        }
        if (r.consumerDepartmentCode.equals(caller.department())) {
            return true;
        }
        return r.officeHeadApprover != null
                && (caller.isAuthority() || r.providerDepartmentCode.equals(caller.department()));
    }

    /** 403 for a caller who sees the request but may not act on it; 404 for anyone who does not see it. */
    private ApiException forbiddenIfSeen(Caller caller, ShareRequest r, String message) {
        return sees(caller, r) ? ApiException.forbidden(message) : notFound(r.id);
    }

    /**
     * Requests newest first: the caller's department's (side=provider|consumer, or either); without a side a reviewer
     * sees those of its region and its department ({@link RegionScopedList}), admins and auditors all; a request no
     * head approved only its requesting department (on any side but provider). {@code awaiting=answer-approval}: the
     * requests of the caller's department as provider whose proposed answer awaits its head
     * ({@link #ANSWER_AWAITING_HEAD}).
     */
    public List<ShareRequest> list(Caller caller, String side, String status, String awaiting, int page, int size) {
        return filter(caller, side, status, awaiting).page(em, ShareRequest.class, page, size);
    }

    /** How many requests {@link #list} finds on all pages. */
    public long count(Caller caller, String side, String status, String awaiting) {
        return filter(caller, side, status, awaiting).count(em, ShareRequest.class);
    }

    /** The requests a head approved (all filed before V39): those that reached the provider. */
    private static final String HEAD_APPROVED = "officeHeadApprover is not null";

    private CaseFilter filter(Caller caller, String side, String status) {
        return filter(caller, side, status, null);
    }

    private CaseFilter filter(Caller caller, String side, String status, String awaiting) {
        if (awaiting != null) {
            if (!AWAITING_ANSWER_APPROVAL.equals(awaiting)) {
                throw Fields.AWAITING.notOneOf(Fields.AWAITINGS);
            }
            if (side != null && !"provider".equals(side)) {
                throw Fields.SIDE.error("答复待负责人审核（" + AWAITING_ANSWER_APPROVAL + "）只列本部门提供的申请"
                        + " / the answers awaiting the head's approval are the provider's: side is provider or left "
                        + "out");
            }
            if (status != null && !ANSWER_AWAITING_HEAD.equals(status)) {
                throw Fields.STATUS.error("答复待负责人审核（" + AWAITING_ANSWER_APPROVAL + "）只列"
                        + StatusLabels.request(ANSWER_AWAITING_HEAD) + "（" + ANSWER_AWAITING_HEAD + "）的申请 / lists "
                        + ANSWER_AWAITING_HEAD + " requests only");
            }
            return filter(caller, "provider", ANSWER_AWAITING_HEAD, null);
        }
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new java.util.HashMap<>();
        if (!caller.isAuthority() || side != null) {
            String dept = caller.isAuthority() && caller.department() == null ? "" : caller.departmentOrFail();
            // a request no head approved is the requesting department's alone (see loadSeenBy)
            if ("provider".equals(side)) {
                q.append(" and providerDepartmentCode = :dept and ").append(HEAD_APPROVED);
            } else if ("consumer".equals(side)) {
                q.append(" and consumerDepartmentCode = :dept");
            } else if (side != null) {
                throw Fields.SIDE.notOneOf(Fields.SIDES);
            } else {
                q.append(" and (providerDepartmentCode = :dept and ").append(HEAD_APPROVED)
                        .append(" or consumerDepartmentCode = :dept)");
            }
            params.put("dept", dept);
        } else {
            // as for a party: a request no head approved is seen by its requesting department's own staff only
            q.append(" and (").append(HEAD_APPROVED);
            if (caller.department() != null) {
                q.append(" or consumerDepartmentCode = :ownDept");
                params.put("ownDept", caller.department());
            }
            q.append(")");
            if (RegionScopedList.applies(caller)) {
                q.append(" and ")
                        .append(RegionScopedList.condition(caller, config.competentAuthorityDepartment(), params));
            }
        }
        if (status != null) {
            if (!STATUSES.contains(status)) {
                throw Fields.STATUS.notOneOf(Fields.REQUEST_STATUSES);
            }
            q.append(" and status = :status");
            params.put("status", status);
        }
        return new CaseFilter(q.toString(), params);
    }

    private ShareRequest providerAction(Caller caller, long id, Integer version) {
        ShareRequest r = loadSeenBy(caller, id);
        if (!r.providerDepartmentCode.equals(caller.department()) || !caller.has("operator")) {
            throw forbiddenIfSeen(caller, r, "只有提供部门可以答复 / only the providing department answers");
        }
        Versions.check(version, r.version);
        if (ANSWER_AWAITING_HEAD.equals(r.status)) {
            throw ApiException.illegalTransition("拟答复待本部门负责人审核，须由负责人审核或先退回 / the proposed answer awaits "
                    + "the approval of the department's head: the head approves it or returns it first");
        }
        if (!"PENDING".equals(r.status)) {
            throw ApiException.illegalTransition("申请" + StatusLabels.request(r.status)
                    + "，不能答复 / the request is not pending");
        }
        return r;
    }

    /**
     * The region whose 主管部门 decides the request's extension and hears of its overdue answer: that of both
     * departments ({@link Jurisdiction#region}), else the configured 主管部门's.
     */
    private String authorityRegion(ShareRequest r) {
        return Jurisdiction.region(r.consumerRegionCode, r.consumerDepartmentCode, r.providerDepartmentCode,
                r.resourceCode, config.competentAuthorityDepartment());
    }

    /** A notice to the 主管部门 of {@link #authorityRegion}: the configured one in its region, else the region's. */
    private void notifyAuthority(ShareRequest r, String kind, String message) {
        notices.notifyAuthorityActingIn(authorityRegion(r), config.competentAuthorityDepartment(), kind, "REQUEST", r.id,
                message);
    }

    private ShareRequest load(long id) {
        ShareRequest r = ShareRequest.findById(id);
        if (r == null) {
            throw notFound(id);
        }
        return r;
    }

    /**
     * A request no head approved (waiting for, returned by, or withdrawn before its head) never reached the provider:
     * only the requesting department sees it; anyone else gets 404.
     */
    private ShareRequest loadSeenBy(Caller caller, long id) {
        ShareRequest r = load(id);
        if (r.officeHeadApprover == null && !r.consumerDepartmentCode.equals(caller.department())) {
            throw notFound(id);
        }
        return r;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("没有该申请 / no request " + id);
    }

    /**
     * 回流 (R18): a lower government inside the provider's region gets the conditional data <em>about its own
     * area</em> without extra conditions. Only a dataset whose records say which region they belong to (an XZQHDM item,
     * or a key item carrying the region: GMSFHM, BDCDYH, TYSHXYDM) can be limited to that area; without such a region
     * key a conditional entry takes the normal conditional path (the provider reviews within the deadline), never an
     * unfiltered grant of the whole dataset.
     */
    private static boolean returnFlow(CatalogEntry entry, String consumerRegion) {
        return "CONDITIONAL".equals(entry.shareAttribute) && Regions.returnFlow(entry.regionCode, consumerRegion)
                && Regions.regionKey(entry.keyItem, itemCodes(entry)) != null;
    }

    /** A 回流 grant is limited to the requester's own region ({@link #returnFlow} holds: the records carry it). */
    private static String returnFlowScope(String consumerRegion) {
        return Regions.prefix(consumerRegion);
    }

    /**
     * While the consumer's grant on the entry is suspended (R14) it gets no other grant there: the suspension must be
     * lifted by the provider or the 主管部门. 409 naming the suspended grant.
     */
    private void refuseWhileSuspended(String consumer, String resourceCode) {
        ShareGrant suspended = grants.newestOn(consumer, resourceCode, "SUSPENDED");
        if (suspended != null) {
            String detail = "使用部门在该目录上的授权 #" + suspended.id + " 已暂停，须先由提供部门或主管部门解除暂停 / grant #"
                    + suspended.id + " of the consumer on this entry is suspended: the suspension must be lifted first";
            throw new ApiException(ProblemType.CONFLICT, detail, List.of(new FieldError("resourceCode", detail)),
                    Map.of("grantId", suspended.id, "grantStatus", suspended.status), Map.of());
        }
    }

    /** The catalogue's {type, title, article} as text, e.g. "中华人民共和国保守国家秘密法 第二条". */
    private static String basisText(Map<String, Object> basis) {
        StringBuilder text = new StringBuilder();
        for (String part : new String[] { "title", "article" }) {
            Object value = basis.get(part);
            if (value != null && !value.toString().isBlank()) {
                text.append(text.length() == 0 ? "" : " ").append(value);
            }
        }
        return text.length() == 0 ? null : text.toString();
    }

    /**
     * Whether a grant ended against the consumer for a cause the provider cannot set on its own: the 主管部门
     * (reviewer, admin) terminated it, as recorded in the {@link StateHistory}, or it ran out while suspended. A
     * termination by the provider (before R15 was enforced) or by the exchange (entry deregistered) is not such a cause.
     */
    private static boolean endedByAuthority(ShareGrant g) {
        return g.expiredWhileSuspended || StateChange.count("objectType = 'GRANT' and objectId = ?1 and action = "
                + "'TERMINATE' and actorRole in ('reviewer', 'admin')", g.id) > 0;
    }

    private static String endedZh(ShareGrant g) {
        return g.expiredWhileSuspended ? " 在暂停期间到期" : " 曾被终止";
    }

    private static String endedEn(ShareGrant g) {
        return g.expiredWhileSuspended ? "expired while it was suspended" : "was terminated";
    }

    static Set<String> itemCodes(CatalogEntry entry) {
        Set<String> codes = new HashSet<>();
        for (Map<String, Object> item : Json.objects(entry.items)) {
            codes.add(String.valueOf(item.get("code")));
        }
        return codes;
    }

    private static void require(List<FieldError> errors, Fields.Field field, String value) {
        FieldError missing = field.missing(value);
        if (missing != null) {
            errors.add(missing);
        }
    }

    private static void positive(Fields.Field field, Integer value) {
        if (value != null && value < 1) {
            throw field.notPositive();
        }
    }
}
