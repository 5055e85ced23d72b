package cn.onenet.exchange.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.arc.Arc;

import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.model.Dispute;
import cn.onenet.exchange.model.DisposalMethod;
import cn.onenet.exchange.model.Notice;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.model.StateChange;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.Commands;
import cn.onenet.exchange.service.EntryNames;
import cn.onenet.exchange.service.GrantService;
import cn.onenet.exchange.service.Json;
import cn.onenet.exchange.service.NoticeService;

/** API representations (separate from the entities). */
public final class Views {

    static final String DUE_ON_PROVISIONAL = "dueOn falls after the last day the State Council's holiday notices "
            + "entered in the calendar cover (GET /calendar/status coveredUntil): counted with the fixed-date holidays "
            + "of 《全国年节及纪念日放假办法》 only, it moves when that year's notice is entered";

    /** The same for a grant's working-day deadlines (false while the deadline is null). */
    static final String PROVISIONAL_TAIL = "falls after the last day the State Council's holiday notices entered in "
            + "the calendar cover (GET /calendar/status coveredUntil): counted with the fixed-date holidays only, it "
            + "moves when that year's notice is entered; false when there is no such deadline";

    private Views() {
    }

    /** Whether the calendar counted {@code dueOn} beyond the official notices (see {@link CalendarService}). */
    private static boolean provisional(LocalDate dueOn) {
        return Arc.container().instance(CalendarService.class).get().provisional(dueOn);
    }

    public record RequestView(@Schema(example = "42") long id, @Schema(example = "1") int version,
            @Schema(example = "101001/000001") String resourceCode,
            @Schema(description = "the catalogue entry's name when the request was filed; null for requests filed "
                    + "before names were kept", example = "居民户籍信息") String resourceName,
            @Schema(example = "11330000002481020A") String providerDepartmentCode,
            @Schema(example = "11330000002481060E") String consumerDepartmentCode,
            @Schema(example = "3f2b8c1e-6d4a-4f0b-9a7e-2c5d1e8f4a10") String filedBy,
            @Schema(description = "the requesting department's head who approved the request (name from the head's "
                    + "token); null while it awaits the head or after the head returned it", example = "张主任")
            String officeHeadApprover,
            @Schema(example = "[\"GMSFHM\", \"XM\"]") List<String> items,
            @Schema(description = "the items asked for: item code → the catalogue entry's name of it when the "
                    + "request was filed; null for requests filed before names were kept",
                    example = "{\"GMSFHM\": \"公民身份号码\", \"XM\": \"姓名\"}")
            Map<String, String> itemNames,
            @Schema(example = "《社会保险法》第七十五条") String legalBasis,
            @Schema(example = "养老保险待遇资格认证") String scenario,
            @Schema(example = "社会保障待遇资格认证") String purpose,
            @Schema(example = "本部门社保经办机构") String scope,
            @Schema(example = "API") String deliveryMethod,
            @Schema(description = "隐蔽查询声明: the covert use declared at filing (null: none); approving the request "
                    + "approves it") CovertUseView covertUse,
            LocalDate periodFrom, LocalDate periodTo,
            @Schema(example = "CONDITIONAL") String shareAttribute,
            @Schema(example = "APPROVED", enumeration = { "AWAITING_HEAD_APPROVAL", "RETURNED_BY_HEAD", "PENDING",
                    "ANSWER_AWAITING_HEAD", "SUPPLEMENT_REQUESTED", "GRANTED", "APPROVED", "REFUSED", "NOT_SHARED",
                    "WITHDRAWN" }, description = "ANSWER_AWAITING_HEAD: the provider's answer awaits the approval of the "
                            + "providing department's head (答复待本部门负责人审核); the deadline (dueOn) runs on")
            String status,
            LocalDate receivedOn, LocalDate dueOn,
            @Schema(description = DUE_ON_PROVISIONAL) boolean dueOnProvisional, boolean extended,
            @Schema(example = "涉及历史户籍档案核查，需协调属地公安机关") String extensionReason,
            @Schema(example = "5") Integer extensionDays,
            @Schema(description = "不予延期: the 主管部门 refused the extension; the original deadline stands")
            boolean extensionRefused, boolean supplementAsked,
            @Schema(example = "请补充养老保险待遇领取人员范围说明") String supplementNote,
            @Schema(example = "同意共享，仅限养老保险待遇资格认证使用") String decisionReason,
            @Schema(description = "不予共享的法律依据 (from the catalogue entry, NOT_SHARED only)",
                    example = "{\"type\": \"LAW\", \"title\": \"中华人民共和国保守国家秘密法\", \"article\": \"第二条\"}")
            Map<String, Object> refusalLegalBasis,
            boolean escalated, @Schema(example = "17") Long grantId, Instant createdAt, Instant decidedAt,
            @Schema(example = "330000") String consumerRegionCode,
            @Schema(description = "the last decision on the request (approval, refusal, granted or refused at filing, "
                    + "reopened after a dispute): who took it, when and why; null while none was taken")
            StateChangeView lastDecision,
            @Schema(description = "the providing department's head who approved the provider's answer (name from the "
                    + "head's token; the answering operator when it holds head); null while unanswered and for "
                    + "answers given before the head's approval was recorded", example = "钱伟")
            String providerHeadApprover,
            @Schema(description = "the answer an operator of the provider prepared for its head (ANSWER_AWAITING_HEAD "
                    + "only); shown to the providing department alone, null to anyone else")
            ProposedAnswerView proposedAnswer) {

        /** The request as anyone who sees it is shown it, without the proposed answer. */
        static RequestView of(ShareRequest r, StateChange lastDecision) {
            return of(r, lastDecision, false);
        }

        /** The request; {@code provider}: the caller is of the providing department, shown the proposed answer. */
        static RequestView of(ShareRequest r, StateChange lastDecision, boolean provider) {
            List<String> items = Json.strings(r.items);
            return new RequestView(r.id, r.version, r.resourceCode, r.resourceName, r.providerDepartmentCode,
                    r.consumerDepartmentCode, r.filedBy, r.officeHeadApprover, items,
                    EntryNames.of(r.itemNames, items), r.legalBasis,
                    r.scenario, r.purpose, r.scope, r.deliveryMethod,
                    CovertUseView.of(r.covertLegalBasis, r.covertMaxPeriod), r.periodFrom, r.periodTo, r.shareAttribute,
                    r.status, r.receivedOn, r.dueOn, provisional(r.dueOn), r.extended, r.extensionReason,
                    r.extensionDays,
                    r.extensionRefused, r.supplementAsked, r.supplementNote, r.decisionReason, Json.object(r.refusalLegalBasis),
                    r.escalated, r.grantId, r.createdAt, r.decidedAt, r.consumerRegionCode,
                    StateChangeView.of(lastDecision), r.providerHeadApprover,
                    provider ? ProposedAnswerView.of(r) : null);
        }
    }

    @Schema(description = "提供部门拟答复 (the answer an operator of the provider prepared, awaiting its head): an approval "
            + "(items, periodTo, clearItems, quotas, note) or a refusal (reason, legalBasis)")
    public record ProposedAnswerView(
            @Schema(example = "APPROVE", enumeration = { "APPROVE", "REFUSE" }) String decision,
            @Schema(description = "APPROVE: the items to grant", example = "[\"GMSFHM\", \"XM\"]") List<String> items,
            @Schema(description = "APPROVE: a shorter period, null for the requested one") LocalDate periodTo,
            @Schema(description = "APPROVE: items delivered unmasked", example = "[\"XM\"]") List<String> clearItems,
            @Schema(example = "10") Integer quotaPerSecond, @Schema(example = "20000") Integer quotaPerDay,
            @Schema(description = "APPROVE: the note to the requester", example = "同意共享，仅限养老保险待遇资格认证使用")
            String note,
            @Schema(description = "APPROVE: the disposal requirement, if one was stated (R14)")
            Commands.DisposalRequirement disposalRequirement,
            @Schema(description = "REFUSE: the reasons", example = "申请用途与目录所列共享条件不符") String reason,
            @Schema(description = "REFUSE: the legal basis cited", example = "《中华人民共和国个人信息保护法》第三十四条")
            String legalBasis,
            @Schema(description = "the subject of the operator who prepared it",
                    example = "8a41d2c7-0b3e-4f9a-a6d5-1c7e2b9f3d08") String proposedBy,
            Instant proposedAt) {

        static ProposedAnswerView of(ShareRequest r) {
            Map<String, Object> a = Json.object(r.proposedAnswer);
            if (a == null) {
                return null;
            }
            Object periodTo = a.get("periodTo");
            return new ProposedAnswerView((String) a.get("decision"), strings(a.get("items")),
                    periodTo == null ? null : LocalDate.parse(periodTo.toString()), strings(a.get("clearItems")),
                    integer(a.get("quotaPerSecond")), integer(a.get("quotaPerDay")), (String) a.get("note"),
                    a.get("disposalRequirement") instanceof Map<?, ?> d ? new Commands.DisposalRequirement(
                            (String) d.get("method"), (String) d.get("instructions")) : null,
                    (String) a.get("reason"), (String) a.get("legalBasis"), r.answerProposedBy, r.answerProposedAt);
        }

        private static List<String> strings(Object value) {
            return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : null;
        }

        private static Integer integer(Object value) {
            return value == null ? null : ((Number) value).intValue();
        }
    }

    public record GrantView(@Schema(example = "17") long id, @Schema(example = "1") int version,
            @Schema(example = "42") Long requestId, @Schema(example = "101001/000001") String resourceCode,
            @Schema(description = "the catalogue entry's name when the grant's request was filed; null when it was "
                    + "filed before names were kept", example = "居民户籍信息") String resourceName,
            @Schema(example = "11330000002481020A") String providerDepartmentCode,
            @Schema(example = "11330000002481060E") String consumerDepartmentCode,
            @Schema(example = "[\"GMSFHM\", \"XM\"]") List<String> items,
            @Schema(description = "the items granted: item code → the catalogue entry's name of it when the grant's "
                    + "request was filed; null when it was filed before names were kept",
                    example = "{\"GMSFHM\": \"公民身份号码\", \"XM\": \"姓名\"}")
            Map<String, String> itemNames,
            @Schema(description = "sensitive items delivered unmasked", example = "[\"XM\"]") List<String> clearItems,
            @Schema(description = "items delivered masked whatever a later catalogue version says of them (masked "
                    + "when the grant was issued, or by a later version): once masked, never clear",
                    example = "[\"GMSFHM\"]") List<String> maskedItems,
            @Schema(example = "社会保障待遇资格认证") String purpose,
            @Schema(example = "《社会保险法》第七十五条") String legalBasis,
            @Schema(example = "API") String deliveryMethod,
            @Schema(description = "允许隐蔽查询: the request declared covert use and was granted with it (X-Covert-Until "
                    + "is refused otherwise, 403); false for grants issued before covert use was declared in requests")
            boolean covertUsePermitted,
            @Schema(description = "the covert use permitted (null when none)") CovertUseView covertUse,
            LocalDate validFrom, LocalDate validTo,
            @Schema(example = "20") int quotaPerSecond, @Schema(example = "50000") int quotaPerDay,
            @Schema(example = "ACTIVE") String status,
            @Schema(example = "业务量增长，日调用上限提高至 50000 次") String statusReason,
            @Schema(description = "who imposed the suspension: AUTHORITY (the 主管部门, which alone lifts it) or PROVIDER",
                    example = "AUTHORITY", enumeration = { "AUTHORITY", "PROVIDER" }) String suspendedBy,
            Instant disposalConfirmedAt,
            @Schema(description = "how the consumer must dispose of the data when the grant ends, as the provider "
                    + "requires (R14); DELETE when it stated none") DisposalRequirementView disposalRequirement,
            @Schema(description = "the day the consumer's disposal confirmation is due: the configured working days "
                    + "after the grant was terminated or expired; null while in force", example = "2027-01-15")
            LocalDate disposalDue,
            @Schema(description = "disposalDue " + PROVISIONAL_TAIL) boolean disposalDueProvisional,
            @Schema(description = "ended, disposal unconfirmed and disposalDue passed", example = "false")
            boolean disposalOverdue,
            @Schema(description = "the overdue disposal was escalated to the 主管部门 of the grant's region",
                    example = "false") boolean disposalEscalated,
            @Schema(description = "整改期限 of the current suspension, if one was set", example = "2027-02-17")
            LocalDate rectificationDue,
            @Schema(description = "rectificationDue " + PROVISIONAL_TAIL) boolean rectificationDueProvisional,
            @Schema(description = "still suspended after rectificationDue: the 主管部门 was told", example = "false")
            boolean rectificationEscalated,
            Instant createdAt, Instant updatedAt, @Schema(example = "有条件共享") String basis,
            @Schema(description = "region prefix the records are limited to (回流 grants)", example = "330106")
            String regionScope,
            @Schema(description = "the day the provider's data is due (R10: 20 working days after its approval); "
                    + "null for grants issued by rule (无条件共享, 回流)", example = "2026-11-13") LocalDate deliveryDue,
            @Schema(description = "deliveryDue " + PROVISIONAL_TAIL) boolean deliveryDueProvisional,
            @Schema(description = "the first delivery under the grant: a successful lookup, query, feed read, webhook "
                    + "delivery or export download, or the provider's upload of records to the dataset")
            Instant firstDeliveredAt,
            @Schema(description = "undelivered after deliveryDue: the provider and the 主管部门 were told",
                    example = "false") boolean deliveryEscalated,
            @Schema(description = "the last decision on the grant (issued, suspended, resumed, terminated, changed): "
                    + "who took it, when and why; expiry and the disposal confirmation are not decisions")
            StateChangeView lastDecision) {

        /** The grant as of {@code today} (whether its disposal is overdue). */
        static GrantView of(ShareGrant g, StateChange lastDecision, LocalDate today) {
            List<String> items = Json.strings(g.items);
            return new GrantView(g.id, g.version, g.requestId, g.resourceCode, g.resourceName,
                    g.providerDepartmentCode, g.consumerDepartmentCode, items, EntryNames.of(g.itemNames, items),
                    Json.strings(g.clearItems),
                    Json.strings(g.maskedItems), g.purpose,
                    g.legalBasis, g.deliveryMethod, g.covertUsePermitted,
                    CovertUseView.of(g.covertLegalBasis, g.covertMaxPeriod), g.validFrom, g.validTo, g.quotaPerSecond,
                    g.quotaPerDay, g.status,
                    g.statusReason, g.suspendedBy, g.disposalConfirmedAt, DisposalRequirementView.of(g), g.disposalDue,
                    provisional(g.disposalDue),
                    g.disposalConfirmedAt == null && g.disposalDue != null && today.isAfter(g.disposalDue),
                    g.disposalEscalated, g.rectificationDue, provisional(g.rectificationDue), g.rectificationEscalated,
                    g.createdAt, g.updatedAt, g.basis,
                    g.regionScope, g.deliveryDue, provisional(g.deliveryDue), g.firstDeliveredAt, g.deliveryEscalated,
                    StateChangeView.of(lastDecision));
        }
    }

    @Schema(description = "数据处置要求 (the provider's requirement for disposing of the data, R14)")
    public record DisposalRequirementView(
            @Schema(example = "DELETE", enumeration = { "DELETE", "RETURN", "ARCHIVE_SEALED", "OTHER" }) String method,
            @Schema(description = "the method's Chinese term", example = "删除") String label,
            @Schema(example = "删除业务系统及备份中的全部共享数据，并提交销毁记录") String instructions,
            @Schema(description = "false: the provider stated none, deletion applies", example = "true")
            boolean statedByProvider) {

        static DisposalRequirementView of(ShareGrant g) {
            DisposalMethod m = GrantService.method(g);
            return new DisposalRequirementView(m.name(), m.label, g.disposalInstructions, g.disposalMethod != null);
        }
    }

    @Schema(description = "隐蔽查询 (covert use, 依法不告知当事人): its legal basis and the longest a covert query stays "
            + "hidden (ISO 8601 period)")
    public record CovertUseView(@Schema(example = "《中华人民共和国刑事诉讼法》第一百五十条") String legalBasis,
            @Schema(example = "P6M") String maxPeriod) {

        static CovertUseView of(String legalBasis, String maxPeriod) {
            return legalBasis == null ? null : new CovertUseView(legalBasis, maxPeriod);
        }
    }

    @Schema(description = "who made a change: the token's subject, client and department, and the role the change "
            + "was accepted under (operator, reviewer, admin; scheduler for the exchange's own jobs)")
    public record ActorView(@Schema(example = "3f2b8c1e-6d4a-4f0b-9a7e-2c5d1e8f4a10") String subject,
            @Schema(example = "gateway") String clientId,
            @Schema(example = "11330000002481020A") String departmentCode,
            @Schema(example = "operator") String role) {
    }

    @Schema(description = "one state change (append-only history): who, when, from → to, what and why")
    public record StateChangeView(@Schema(example = "311") long id,
            @Schema(example = "REQUEST",
                    enumeration = { "REQUEST", "GRANT", "DISPUTE", "OBJECTION", "COMPLAINT", "INCIDENT",
                            "CORRECTION" })
            String objectType,
            @Schema(example = "42") long objectId,
            @Schema(description = "the share request the object belongs to", example = "42") Long shareRequestId,
            @Schema(example = "REFUSE") String action,
            @Schema(description = "null when the object was created", example = "PENDING") String fromStatus,
            @Schema(example = "REFUSED") String toStatus, ActorView actor,
            @Schema(description = "the actor's display name as its token gave it (claim name, else "
                    + "preferred_username); null for changes recorded before names were kept and for callers "
                    + "without one (department systems, the exchange's own jobs)", example = "李明") String actorName,
            @Schema(description = "made by the exchange's rules (无条件共享, 不予共享, 回流, expiry, overdue escalation)",
                    example = "false") boolean automatic,
            @Schema(description = "a decision on the object", example = "true") boolean decision,
            @Schema(description = "reason or opinion as given", example = "申请用途与目录所列共享条件不符") String reason,
            @Schema(description = "legal basis as given (the requester's at filing, the catalogue's for 不予共享, "
                    + "the provider's for a refusal)", example = "《中华人民共和国个人信息保护法》第三十四条")
            String legalBasis,
            @Schema(description = "what the action set or changed", example = "{\"grantId\": 17}")
            Map<String, Object> details,
            @Schema(description = "X-Request-Id of the call that made the change",
                    example = "9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d") String requestId,
            Instant at) {

        static List<StateChangeView> of(List<StateChange> changes) {
            return changes.stream().map(StateChangeView::of).toList();
        }

        /**
         * The changes, each without the actor's account ids and name unless {@code showsActor} lets the caller see
         * who made it.
         */
        static List<StateChangeView> of(List<StateChange> changes, Predicate<StateChange> showsActor) {
            return changes.stream().map(c -> {
                StateChangeView v = of(c);
                return showsActor.test(c) ? v : v.withoutActorIdentity();
            }).toList();
        }

        /**
         * The same change without what was said and set (reason, legal basis, details): a proposed answer, or its
         * return, as shown outside the providing department.
         */
        StateChangeView withoutContent() {
            return new StateChangeView(id, objectType, objectId, shareRequestId, action, fromStatus, toStatus, actor,
                    actorName, automatic, decision, null, null, null, requestId, at);
        }

        /** The same change without the actor's account ids and name (kept: department and role). */
        StateChangeView withoutActorIdentity() {
            return new StateChangeView(id, objectType, objectId, shareRequestId, action, fromStatus, toStatus,
                    new ActorView(null, null, actor.departmentCode(), actor.role()), null, automatic, decision, reason,
                    legalBasis, details, requestId, at);
        }

        static StateChangeView of(StateChange c) {
            if (c == null) {
                return null;
            }
            return new StateChangeView(c.id, c.objectType, c.objectId, c.shareRequestId, c.action, c.fromStatus,
                    c.toStatus, new ActorView(c.actorSubject, c.actorClientId, c.actorDepartment, c.actorRole),
                    c.actorName, c.automatic, c.decision, c.reason, c.legalBasis, Json.object(c.details), c.requestId,
                    c.changedAt);
        }
    }

    public record NoticeView(@Schema(example = "128") long id, @Schema(example = "REQUEST_APPROVED") String kind,
            @Schema(example = "REQUEST") String subjectType, @Schema(example = "42") long subjectId,
            @Schema(example = "申请已批准 / approved") String message,
            @Schema(description = "set when the notice is for the 主管部门 of this region rather than a department",
                    example = "330100") String regionCode,
            Instant createdAt,
            @Schema(description = "whether the caller (this account) has marked the notice read", example = "false")
            boolean read) {

        static NoticeView of(NoticeService.Seen seen) {
            Notice n = seen.notice();
            return new NoticeView(n.id, n.kind, n.subjectType, n.subjectId, n.message, n.regionCode, n.createdAt,
                    seen.read());
        }
    }

    public record DisputeView(@Schema(example = "3") long id, @Schema(example = "0") int version,
            @Schema(description = "the request disputed, or the disputed grant's request (null for a grant issued "
                    + "without one)", example = "57") Long requestId,
            @Schema(description = "REFUSAL 拒绝共享, SUSPENSION 提供部门暂停授权, TERMINATION 提供部门终止授权, LATE_ANSWER "
                    + "逾期答复, NON_DELIVERY 逾期未交付数据", example = "REFUSAL",
                    enumeration = { "REFUSAL", "SUSPENSION", "TERMINATION", "LATE_ANSWER", "NON_DELIVERY" })
            String subject,
            @Schema(description = "the grant disputed (SUSPENSION, TERMINATION, NON_DELIVERY), else null",
                    example = "17") Long grantId,
            @Schema(description = "协商记录 given at opening; null for disputes opened without one")
            NegotiationView negotiation,
            @Schema(example = "123300004701410503") String consumerDepartmentCode,
            @Schema(example = "123300004701410402") String providerDepartmentCode,
            @Schema(example = "住房公积金提取须核验不动产权属，拒绝理由不成立") String reason,
            @Schema(example = "COMPETENT_AUTHORITY") String level,
            @Schema(description = "the 主管部门 of the region the dispute is routed to, as identity-service's department "
                    + "register names it when the dispute was opened; where the register named none, the configured "
                    + "主管部门 for its own region, else null (that region's reviewers list it)",
                    example = "113301000024910106")
            String handlerDepartmentCode,
            @Schema(example = "OPEN") String status,
            @Schema(example = "提供部门应于 10 个工作日内重新答复") String resolution, Instant createdAt,
            @Schema(description = "the region whose 主管部门 (then people's government) handles the dispute: the lowest "
                    + "common region of the two departments, county level or above; 000000 above two provinces; for "
                    + "disputes opened before routing, the region of the 主管部门 they were assigned to",
                    example = "330100") String regionCode,
            @Schema(description = "the consumer department's region as found at opening", example = "330106")
            String consumerRegionCode,
            @Schema(description = "the provider department's region (its catalogue entry's)", example = "330100")
            String providerRegionCode) {

        static DisputeView of(Dispute d) {
            return new DisputeView(d.id, d.version, d.requestId, d.subject, d.grantId, NegotiationView.of(d),
                    d.consumerDepartmentCode, d.providerDepartmentCode,
                    d.reason, d.level, d.handlerDepartmentCode, d.status, d.resolution, d.createdAt, d.regionCode,
                    d.consumerRegionCode, d.providerRegionCode);
        }
    }

    @Schema(description = "协商记录 (the negotiation that preceded a dispute)")
    public record NegotiationView(@Schema(example = "2026-12-03") LocalDate date,
            @Schema(example = "[\"市公积金中心 王科长\", \"市自然资源局 李处长\"]") List<String> participants,
            @Schema(example = "提供部门坚持终止，双方未达成一致") String outcome) {

        static NegotiationView of(Dispute d) {
            return d.negotiatedOn == null ? null
                    : new NegotiationView(d.negotiatedOn, Json.strings(d.negotiationParticipants), d.negotiationOutcome);
        }
    }

    public record ObjectionView(@Schema(example = "5") long id, @Schema(example = "1") int version,
            @Schema(example = "101001/000001") String resourceCode,
            @Schema(description = "the catalogue entry's name when the objection was filed; null for objections "
                    + "filed before names were kept", example = "居民户籍信息") String resourceName,
            @Schema(description = "every item of the entry (the record objected to holds them all): item code → the "
                    + "entry's name of it when the objection was filed; null for objections filed before names were "
                    + "kept", example = "{\"GMSFHM\": \"公民身份号码\", \"XM\": \"姓名\", \"HJDZ\": \"户籍地址\"}")
            Map<String, String> itemNames,
            @Schema(description = "the key of the record objected to (the provider finds the record by it); null on "
                    + "objections filed before keys were kept whose key no hosted record has",
                    example = "33010619850312001X") String recordKey,
            @Schema(example = "11330000002481060E") String consumerDepartmentCode,
            @Schema(example = "11330000002481020A") String providerDepartmentCode,
            @Schema(example = "户籍地址与本人申报的现住址不一致，疑为迁移后未更新") String description,
            @Schema(example = "ANSWERED") String status,
            @Schema(description = "what the provider found: CORRECTED 已更正, CONFIRMED_CORRECT 经核实无误, "
                    + "PARTIALLY_CORRECTED 部分更正; null until answered (and on answers given before outcomes were "
                    + "kept)", enumeration = { "CORRECTED", "CONFIRMED_CORRECT", "PARTIALLY_CORRECTED" },
                    example = "CORRECTED") String outcome,
            @Schema(example = "经核实，该居民已于 2026 年 9 月迁入，户籍地址已更正") String answer, LocalDate receivedOn,
            LocalDate dueOn, @Schema(description = DUE_ON_PROVISIONAL) boolean dueOnProvisional, boolean escalated,
            @Schema(description = "the region whose 主管部门 handles it (and is told when overdue)", example = "330000")
            String regionCode) {

        static ObjectionView of(Objection o) {
            return new ObjectionView(o.id, o.version, o.resourceCode, o.resourceName,
                    EntryNames.of(o.itemNames, null), o.recordKey, o.consumerDepartmentCode,
                    o.providerDepartmentCode, o.description, o.status, o.outcome, o.answer, o.receivedOn, o.dueOn,
                    provisional(o.dueOn), o.escalated,
                    o.regionCode);
        }
    }

    @Schema(description = "投诉 (a complaint about one access to the complainant's data, R21). The access is shown as the "
            + "citizens' view showed it; the complainant's account id only to the 主管部门, never an ID number")
    public record ComplaintView(@Schema(example = "7") long id, @Schema(example = "1") int version,
            @Schema(example = "ANSWERED", enumeration = { "OPEN", "ANSWERED", "UPHELD", "DISMISSED" }) String status,
            @Schema(example = "CITIZEN", enumeration = { "CITIZEN", "ENTERPRISE" }) String complainantType,
            @Schema(description = "the complainant's account id (主管部门 only, otherwise null)",
                    example = "5d0c7e2a-8b14-4f63-a9e1-3c6b2d8f0a47") String complainant,
            @Schema(description = "the usage-log entry complained about", example = "1043") long usageLogSeq,
            @Schema(description = "the access's X-Request-Id", example = "9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d")
            String accessRequestId,
            Instant accessedAt,
            @Schema(description = "the code the access was logged under", example = "101001/000001")
            String resourceCode,
            @Schema(description = "the entry's code today", example = "101001/000001") String currentResourceCode,
            @Schema(description = "the entry's name when the complaint was filed; null on complaints filed before "
                    + "names were kept", example = "居民户籍信息") String resourceName,
            @Schema(description = "the department that made the access and must explain it",
                    example = "11330000002481060E") String consumerDepartmentCode,
            @Schema(example = "11330000002481020A") String providerDepartmentCode,
            @Schema(description = "the grant the access used", example = "17") Long grantId,
            @Schema(example = "社会保障待遇资格认证") String purpose,
            @Schema(example = "本人未在该部门办理任何业务，该部门无正当理由查询本人户籍信息") String description,
            @Schema(example = "说明查询理由，停止无关查询") String requestedRemedy,
            LocalDate receivedOn, @Schema(description = "the consumer department's answer is due (10 working days)")
            LocalDate dueOn, @Schema(description = DUE_ON_PROVISIONAL) boolean dueOnProvisional,
            @Schema(description = "unanswered after its deadline", example = "false") boolean overdue,
            @Schema(description = "reported to the 主管部门 as overdue", example = "false") boolean escalated,
            @Schema(example = "该查询系办理养老保险待遇资格认证时核验身份，已向本人说明") String answer, Instant answeredAt,
            @Schema(example = "查询超出授权用途，投诉成立") String outcomeReason,
            @Schema(description = "the grant was suspended when the complaint was upheld", example = "true")
            boolean grantSuspended,
            Instant decidedAt, Instant createdAt) {

        static ComplaintView of(Complaint c, boolean showComplainant, boolean overdue) {
            CatalogEntry e = CatalogEntry.findCurrent(c.resourceCode);
            return new ComplaintView(c.id, c.version, c.status, c.complainantType,
                    showComplainant ? c.complainantSub : null, c.usageLogSeq, c.accessRequestId, c.accessedAt,
                    c.resourceCode, e == null ? null : e.resourceCode, c.resourceName,
                    c.consumerDepartmentCode, c.providerDepartmentCode, c.grantId, c.purpose, c.description,
                    c.requestedRemedy, c.receivedOn, c.dueOn, provisional(c.dueOn), overdue, c.escalated, c.answer,
                    c.answeredAt,
                    c.outcomeReason, c.grantSuspended, c.decidedAt, c.createdAt);
        }
    }

    @Schema(description = "数据安全事件 (a security incident concerning shared data, R20)")
    public record IncidentView(@Schema(example = "12") long id, @Schema(example = "2") int version,
            @Schema(example = "RECTIFYING", enumeration = { "REPORTED", "RECTIFYING", "RECTIFIED", "CLOSED" })
            String status,
            @Schema(example = "LEAK", enumeration = { "LEAK", "MISUSE", "TAMPERING", "UNAVAILABILITY" }) String type,
            @Schema(description = "the entry's code when reported", example = "101001/000001")
            String resourceCode,
            @Schema(description = "the entry's code today", example = "101001/000001") String currentResourceCode,
            @Schema(description = "the entry's name when reported; null on incidents reported before names were "
                    + "kept", example = "居民户籍信息") String resourceName,
            @Schema(example = "11330000002481020A") String providerDepartmentCode,
            @Schema(description = "the entry's grade when reported", example = "LEVEL_3") String dataGrade,
            @Schema(description = "from the grade: LEVEL_1 GENERAL 一般, LEVEL_2 SERIOUS 较大, LEVEL_3 MAJOR 重大, "
                    + "LEVEL_4, IMPORTANT 重要数据 and CORE 核心数据 EXTRAORDINARY 特别重大", example = "MAJOR",
                    enumeration = { "GENERAL", "SERIOUS", "MAJOR", "EXTRAORDINARY" }) String severity,
            @Schema(description = "the grants concerned", example = "[17]") List<Long> grantIds,
            @Schema(description = "the grants suspended because of the incident", example = "[17]")
            List<Long> suspendedGrantIds,
            @Schema(description = "departments that read the incident", example = "[\"11330000002481020A\", "
                    + "\"11330000002481060E\"]") List<String> partyDepartments,
            @Schema(example = "11330000002481060E") String reporterDepartmentCode,
            @Schema(example = "operator", enumeration = { "operator", "reviewer", "admin" }) String reporterRole,
            @Schema(description = "the reporter's account id (主管部门 and the reporting department only)",
                    example = "op-11330000002481060E") String reporter,
            Instant discoveredAt,
            @Schema(example = "经办人员将含有居民身份证号的导出文件上传至互联网网盘，已被他人下载") String description,
            @Schema(example = "已启动应急预案，删除网盘文件，停用该经办人员账号") String measuresTaken,
            @Schema(example = "11330000002481060E") String responsibleDepartmentCode,
            @Schema(example = "查明泄露范围，追究责任人，完善导出文件管理制度并报送整改报告") String rectificationRequirement,
            @Schema(description = "the rectification report is due (working days)") LocalDate rectificationDueOn,
            @Schema(description = "rectifying and past the deadline", example = "false") boolean overdue,
            @Schema(example = "已查明涉及 312 条记录，责任人已停职，导出文件改为加密存储并按月审计")
            String rectificationReport,
            Instant rectifiedAt,
            @Schema(example = "整改到位，恢复授权另行审批") String conclusion, Instant closedAt, Instant reportedAt,
            @Schema(description = "the region whose 主管部门 handles it: the lowest containing its parties when reported",
                    example = "330000") String regionCode) {

        static IncidentView of(SecurityIncident i, boolean showReporter, boolean overdue) {
            CatalogEntry e = CatalogEntry.findCurrent(i.resourceCode);
            return new IncidentView(i.id, i.version, i.status, i.type, i.resourceCode,
                    e == null ? null : e.resourceCode, i.resourceName, i.providerDepartmentCode,
                    i.dataGrade, i.severity, List.of(i.grantIds), List.of(i.suspendedGrantIds),
                    List.of(i.partyDepartments), i.reporterDepartmentCode, i.reporterRole,
                    showReporter ? i.reporterSub : null, i.discoveredAt, i.description, i.measuresTaken,
                    i.responsibleDepartmentCode, i.rectificationRequirement, i.rectificationDueOn, overdue,
                    i.rectificationReport, i.rectifiedAt, i.conclusion, i.closedAt, i.reportedAt, i.regionCode);
        }
    }

    @Schema(description = "个人信息更正补充申请 (a citizen's or an enterprise's correction request, PIPL 第四十六条)")
    public record CorrectionView(@Schema(example = "5") long id, @Schema(example = "1") int version,
            @Schema(example = "CORRECTED", enumeration = { "OPEN", "CORRECTED", "SUPPLEMENTED", "NOT_CORRECTED" })
            String status,
            @Schema(example = "CITIZEN", enumeration = { "CITIZEN", "ENTERPRISE" }) String requesterType,
            @Schema(description = "the requester's account id (主管部门 only, otherwise null)",
                    example = "5d0c7e2a-8b14-4f63-a9e1-3c6b2d8f0a47") String requester,
            @Schema(description = "the requester's 公民身份号码 or 统一社会信用代码, to find the record (the provider "
                    + "department only, otherwise null)", example = "330106199001011234") String subjectIdentifier,
            @Schema(description = "the entry's code when filed", example = "101001/000001") String resourceCode,
            @Schema(description = "the entry's code today", example = "101001/000001") String currentResourceCode,
            @Schema(description = "the entry's name when filed; null on requests filed before names were kept",
                    example = "居民户籍信息") String resourceName,
            @Schema(description = "the 数源部门 that verifies and answers", example = "11330000002481020A")
            String providerDepartmentCode,
            @Schema(description = "the data item's code", example = "HJDZ") String item,
            @Schema(description = "the data item's name in the entry when filed; null on requests filed before names "
                    + "were kept", example = "户籍地址") String itemName,
            @Schema(example = "杭州市西湖区文三路 90 号") String currentValue,
            @Schema(example = "杭州市西湖区文三路 98 号") String correctValue,
            @Schema(example = "门牌号登记错误，本人户口簿记载为 98 号") String description,
            @Schema(example = "户口簿首页及本人页，编号 330106-2019-004512") String evidence,
            LocalDate receivedOn,
            @Schema(description = "the provider's answer is due (working days, EXCHANGE_CORRECTION_ANSWER_WORKING_DAYS)")
            LocalDate dueOn, @Schema(description = DUE_ON_PROVISIONAL) boolean dueOnProvisional,
            @Schema(description = "unanswered after its deadline", example = "false") boolean overdue,
            @Schema(description = "reported to the 主管部门 as overdue", example = "false") boolean escalated,
            @Schema(description = "the provider's reasons", example = "经核对户籍档案，门牌号录入有误，已更正为 98 号")
            String reason,
            @Schema(example = "《中华人民共和国户口登记条例》第十七条") String legalBasis,
            @Schema(example = "经核对 2019 年迁入登记原始档案，登记地址与档案一致") String explanation,
            Instant answeredAt, Instant createdAt,
            @Schema(description = "the region whose 主管部门 is told when overdue: the provider's, fixed when filed",
                    example = "330000") String regionCode) {

        static CorrectionView of(cn.onenet.exchange.model.Correction c, boolean showRequester,
                boolean showIdentifier, boolean overdue) {
            CatalogEntry e = CatalogEntry.findCurrent(c.resourceCode);
            return new CorrectionView(c.id, c.version, c.status, c.requesterType,
                    showRequester ? c.requesterSub : null, showIdentifier ? c.subjectIdentifier : null,
                    c.resourceCode, e == null ? null : e.resourceCode,
                    c.resourceName, c.providerDepartmentCode, c.item, c.itemName, c.currentValue,
                    c.correctValue, c.description, c.evidence, c.receivedOn, c.dueOn, provisional(c.dueOn), overdue,
                    c.escalated, c.answerReason, c.legalBasis, c.explanation, c.answeredAt, c.createdAt,
                    c.regionCode);
        }
    }
}
