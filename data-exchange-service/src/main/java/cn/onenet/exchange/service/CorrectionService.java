package cn.onenet.exchange.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.config.CorrectionConfig;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.Correction;
import cn.onenet.exchange.service.Commands.CorrectionAnswer;
import cn.onenet.exchange.service.Commands.FileCorrection;
import cn.onenet.exchange.service.StateHistory.Actor;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * 个人信息更正补充申请 (PIPL 第四十六条; the departments' own 校核 is {@link ObjectionService}, 条例第二十六条). A
 * citizen (cn_id) or an enterprise account (uscc), at the real-name level of the citizens' view, says that an item of
 * a catalogue entry's data about it is wrong or incomplete; the entry's 数源部门 (provider department, as the replica
 * knows it) verifies and answers within {@link CorrectionConfig#answerWorkingDays} working days: CORRECTED 已更正,
 * SUPPLEMENTED 已补充, or NOT_CORRECTED 不予更正 with its legal basis or an explanation. Unanswered after the deadline it
 * is escalated to the 主管部门 of the provider's region (as objections are). The requester is told of each change in
 * its own notices ({@code GET /me/notices}, addressed to its subject hash): the answer with its reasons, and, once,
 * that the deadline passed and the request went to the 主管部门.
 */
@ApplicationScoped
public class CorrectionService {

    static final int MAX_VALUE = 1000;
    static final int MAX_TEXT = TextLimits.TEXT;
    /** The outcomes a provider may answer with, in the order the problem lists them. */
    public static final List<String> OUTCOMES = List.of("CORRECTED", "SUPPLEMENTED", "NOT_CORRECTED");
    public static final List<String> STATUSES = List.of("OPEN", "CORRECTED", "SUPPLEMENTED", "NOT_CORRECTED");

    private final EntityManager em;
    private final TimeSource time;
    private final CalendarService calendar;
    private final NoticeService notices;
    private final SubjectHasher hasher;
    private final ExchangeConfig config;
    private final CorrectionConfig corrections;
    private final IdempotencyService idempotency;
    private final StateHistory history;
    private final CorrectedRecords correctedRecords;

    public CorrectionService(EntityManager em, TimeSource time, CalendarService calendar, NoticeService notices,
            SubjectHasher hasher, ExchangeConfig config, CorrectionConfig corrections, IdempotencyService idempotency,
            StateHistory history, CorrectedRecords correctedRecords) {
        this.correctedRecords = correctedRecords;
        this.em = em;
        this.time = time;
        this.calendar = calendar;
        this.notices = notices;
        this.hasher = hasher;
        this.config = config;
        this.corrections = corrections;
        this.idempotency = idempotency;
        this.history = history;
    }

    /** A deadline of no working day (or an unbounded one) would make every request overdue or none: refused at start. */
    void onStart(@Observes StartupEvent event) {
        answerWorkingDays();
    }

    int answerWorkingDays() {
        int days = corrections.answerWorkingDays();
        if (days < 1 || days > 60) {
            throw new IllegalStateException("exchange.correction.answer-working-days must be 1 to 60, not " + days);
        }
        return days;
    }

    @Transactional
    public Correction file(Caller caller, FileCorrection cmd, String idempotencyKey) {
        String subjectHash = subjectHash(caller);
        if (caller.dataSubject().length() != 18) {
            // kept for the provider to find the record (18 characters, V61); another issuer's claim may be longer
            throw ApiException.forbidden("令牌的 cn_id 或 uscc 不是18位的公民身份号码或统一社会信用代码 / the token's cn_id or "
                    + "uscc is not an 18-character ID number or credit code");
        }
        var previous = idempotency.previous(caller.subject(), "file-correction", idempotencyKey,
                IdempotencyService.fingerprint(cmd));
        if (previous.isPresent()) {
            return Correction.findById(previous.get());
        }
        if (cmd == null || Texts.blank(cmd.resourceCode())) {
            throw Fields.RESOURCE_CODE.isRequired();
        }
        CatalogEntry entry = CatalogEntry.findCurrent(cmd.resourceCode().trim());
        if (entry == null || entry.deregistered) {
            throw ApiException.field("resourceCode", "目录中没有已发布的资源 " + cmd.resourceCode().trim()
                    + " / no published catalogue entry " + cmd.resourceCode().trim());
        }
        boolean citizen = caller.has("citizen") && caller.cnId() != null;
        requireAboutSubjects(entry, citizen);
        String item = requireItem(entry, cmd.item());
        String correctValue = optional(cmd.correctValue(), "correctValue", MAX_VALUE);
        String description = optional(cmd.description(), "description", MAX_TEXT);
        if (correctValue == null && description == null) {
            String message = "须写明正确内容 (correctValue) 或说明需更正补充的内容 (description) / give correctValue or "
                    + "description";
            throw ApiException.fields(List.of(new FieldError("correctValue", message),
                    new FieldError("description", message)));
        }
        Correction c = new Correction();
        c.requesterType = citizen ? "CITIZEN" : "ENTERPRISE";
        c.requesterSub = caller.subject();
        c.subjectHash = subjectHash;
        c.subjectIdentifier = caller.dataSubject();
        c.resourceCode = entry.resourceCode;
        c.resourceName = entry.name;
        c.item = item;
        c.itemName = EntryNames.itemName(entry, item);
        c.currentValue = optional(cmd.currentValue(), "currentValue", MAX_VALUE);
        c.correctValue = correctValue;
        c.description = description;
        c.evidence = optional(cmd.evidence(), "evidence", MAX_TEXT);
        c.providerDepartmentCode = entry.providerDepartmentCode;
        c.regionCode = Jurisdiction.regionOfParties(
                List.of(Jurisdiction.side(entry.regionCode, entry.providerDepartmentCode)),
                config.competentAuthorityDepartment());
        c.status = "OPEN";
        c.receivedOn = time.today();
        c.dueOn = calendar.calendar().addWorkingDays(c.receivedOn, answerWorkingDays());
        c.createdAt = time.now();
        c.persist();
        history.correction(c, "FILE", null, Actor.of(caller, "citizen", "enterprise")).reason(description)
                .detail("item", item).detail("dueOn", c.dueOn).detail("regionCode", c.regionCode).write();
        idempotency.remember(caller.subject(), "file-correction", idempotencyKey, c.id,
                IdempotencyService.fingerprint(cmd));
        notices.notify(c.providerDepartmentCode, "CORRECTION_FILED", "CORRECTION", c.id,
                "个人信息更正补充申请（" + entry.name + "，数据项 " + item + "），请于 " + c.dueOn + " 前核实答复 / "
                        + "correction request (" + entry.resourceCode + ", item " + item + "): verify and answer by "
                        + c.dueOn);
        return c;
    }

    /** The provider department answers: corrected, supplemented, or not corrected with its basis. */
    @Transactional
    public Correction answer(Caller caller, long id, CorrectionAnswer cmd) {
        // locked: an overdue escalation committing meanwhile must be seen, so the 主管部门 hears of the answer
        Correction c = Correction.findById(id, LockModeType.PESSIMISTIC_WRITE);
        // who may not read it learns nothing of it, not even that it exists (404 as for an unknown id)
        if (c == null || !readable(caller, c)) {
            throw ApiException.notFound("没有该更正申请 / no correction request " + id);
        }
        if (!caller.has("operator") || !c.providerDepartmentCode.equals(caller.department())) {
            throw ApiException.forbidden("更正申请由数源部门的经办人员答复 / an operator of the provider department answers");
        }
        Versions.check(cmd == null ? null : cmd.version(), c.version);
        if (!"OPEN".equals(c.status)) {
            throw ApiException.illegalTransition("更正申请已答复 / the correction request was already answered");
        }
        if (cmd.outcome() == null || !OUTCOMES.contains(cmd.outcome())) {
            throw Fields.OUTCOME.notOneOf(Fields.CORRECTION_OUTCOMES);
        }
        String reason = Texts.required(cmd.reason(), "reason", MAX_TEXT, "须写明核实和处理情况 / state what was "
                + "verified and done");
        String legalBasis = optional(cmd.legalBasis(), "legalBasis", MAX_VALUE);
        String explanation = optional(cmd.explanation(), "explanation", MAX_TEXT);
        if ("NOT_CORRECTED".equals(cmd.outcome()) && legalBasis == null && explanation == null) {
            String message = "不予更正须写明法律依据或核实说明 / not correcting needs the legal basis or an "
                    + "explanation";
            throw ApiException.fields(List.of(new FieldError("legalBasis", message),
                    new FieldError("explanation", message)));
        }
        boolean changed = !"NOT_CORRECTED".equals(cmd.outcome());
        CorrectedRecords.Check check = null;
        if (changed) {
            // 已更正 / 已补充 only once the hosted record shows it (409 otherwise); said so where it cannot be seen
            CatalogEntry entry = CatalogEntry.findCurrent(c.resourceCode);
            String requesterKind = "CITIZEN".equals(c.requesterType) ? RecordItems.RESIDENT_ID : RecordItems.CREDIT_CODE;
            boolean keyedBySubject = entry != null && requesterKind.equals(RecordItems.keyIdentifier(entry));
            check = correctedRecords.requireChanged(c.resourceCode, IdentifierKeys.normalise(c.subjectIdentifier),
                    c.item, filedDigest(c.id), keyedBySubject, "outcome");
            if (!check.checked()) {
                explanation = explanation == null ? check.note() : explanation + "；" + check.note();
            }
        }
        c.status = cmd.outcome();
        c.answerReason = reason;
        c.legalBasis = legalBasis;
        c.explanation = explanation;
        c.answeredAt = time.now();
        Versions.flush(em);
        history.correction(c, "ANSWER", "OPEN", Actor.of(caller, "operator")).decision().reason(reason)
                .legalBasis(legalBasis).detail("explanation", explanation)
                .detail("changeChecked", check == null ? null : check.checked()).write();
        notices.notifyDataSubject(c.subjectHash, "CORRECTION_ANSWERED", "CORRECTION", c.id, answeredMessage(c));
        if (changed) {
            correctedRecords.notifyRecipients(c.resourceCode, c.subjectHash, c.item, null, "CORRECTION", c.id,
                    "SUPPLEMENTED".equals(c.status) ? "已补充" : "已更正",
                    "SUPPLEMENTED".equals(c.status) ? "supplemented" : "corrected");
        }
        if (c.escalated) {
            // the 主管部门 was told it was overdue; it is told it has been answered
            notices.notifyAuthorityActingIn(c.regionCode, config.competentAuthorityDepartment(),
                    "CORRECTION_ANSWERED", "CORRECTION", c.id, "逾期的个人信息更正补充申请已答复：" + c.status
                    + " / the overdue correction request was answered: " + c.status);
        }
        return c;
    }

    /** The digest of the item's value taken when the request was filed (V78); null when none was taken. */
    private String filedDigest(long id) {
        return (String) em.createNativeQuery("SELECT filed_value_digest FROM correction WHERE id = ?1")
                .setParameter(1, id).getSingleResult();
    }

    /** Whether the caller is the requester (the same data subject). */
    public boolean isRequester(Caller caller, Correction c) {
        String subject = caller.dataSubject();
        return subject != null && hasher.hash(subject).equals(c.subjectHash);
    }

    /**
     * Whether the caller reads the request as the 主管部门 (sees the requester's account id): reviewers, admins and
     * auditors, except those of the provider department, which is the party that answers.
     */
    public boolean isAuthorityFor(Caller caller, Correction c) {
        return caller.isAuthority() && !c.providerDepartmentCode.equals(caller.department());
    }

    /** Whether the caller is staff of the provider department, which must find the record: sees the identifier. */
    public boolean isProviderStaff(Caller caller, Correction c) {
        return c.providerDepartmentCode.equals(caller.department());
    }

    /**
     * One request for staff: the provider department's staff, the reviewers of its region, admins and auditors (the
     * 主管部门's read rules, {@link Jurisdiction#reads}); to others it does not exist (404).
     */
    public Correction view(Caller caller, long id) {
        Correction c = Correction.findById(id);
        if (c == null || !readable(caller, c)) {
            throw ApiException.notFound("没有该更正申请 / no correction request " + id);
        }
        return c;
    }

    /** One of the caller's own requests; another person's is not found (404). */
    public Correction mine(Caller caller, long id) {
        Correction c = Correction.findById(id);
        if (c == null || !c.subjectHash.equals(subjectHash(caller))) {
            throw ApiException.notFound("没有该更正申请 / no correction request " + id);
        }
        return c;
    }

    private static boolean readable(Caller caller, Correction c) {
        return Jurisdiction.reads(caller, c.regionCode, List.of(c.providerDepartmentCode));
    }

    /** One page of the caller's own requests (citizen or enterprise), newest first. */
    public List<Correction> mine(Caller caller, int page, int size) {
        return own(caller).page(em, Correction.class, page, size);
    }

    /** How many requests {@link #mine(Caller, int, int)} finds on all pages. */
    public long countMine(Caller caller) {
        return own(caller).count(em, Correction.class);
    }

    private CaseFilter own(Caller caller) {
        return new CaseFilter("subjectHash = :subject", Map.of("subject", subjectHash(caller)));
    }

    /**
     * Admins and auditors see every request; reviewers those of their region and their own department's; a provider
     * department's operators those it must answer. {@code overdue} keeps those unanswered after their deadline. One
     * page, newest first.
     */
    public List<Correction> list(Caller caller, String status, boolean overdue, int page, int size) {
        return filter(caller, status, overdue).page(em, Correction.class, page, size);
    }

    /** How many requests {@link #list} finds on all pages (the same visibility, counted in the database). */
    public long count(Caller caller, String status, boolean overdue) {
        return filter(caller, status, overdue).count(em, Correction.class);
    }

    private CaseFilter filter(Caller caller, String status, boolean overdue) {
        String party = "providerDepartmentCode = :dept";
        CaseFilter f = Jurisdiction.readsEveryRegion(caller) ? new CaseFilter("1 = 1", Map.of())
                : caller.has("reviewer")
                        ? CaseFilter.regionOrParty(Jurisdiction.reviewerListRegion(caller), party, caller.department())
                        : new CaseFilter(party, Map.of("dept", caller.departmentOrFail()));
        if (status != null) {
            f = f.and("status = :status", "status", status);
        }
        return overdue ? f.and("status = 'OPEN' and dueOn < :today", "today", time.today()) : f;
    }

    public boolean overdue(Correction c) {
        return "OPEN".equals(c.status) && c.dueOn.isBefore(time.today());
    }

    /**
     * Flags the requests unanswered after their deadline as escalated and tells the 主管部门 of the provider's region.
     * As for complaints, the flag is set by an update that leaves {@code version} alone (an answer sent with the
     * version read before it is still accepted), and only on a request still OPEN and not yet escalated, so an answer
     * committed meanwhile, or another replica's run, wins.
     */
    @Transactional
    public int escalateOverdue() {
        List<Long> overdue = em.createQuery("select c.id from Correction c where c.status = 'OPEN' "
                + "and c.escalated = false and c.dueOn < :today order by c.id", Long.class)
                .setParameter("today", time.today()).getResultList();
        int escalated = 0;
        for (Long id : overdue) {
            int flagged = em.createQuery("update Correction c set c.escalated = true where c.id = :id "
                    + "and c.status = 'OPEN' and c.escalated = false").setParameter("id", id).executeUpdate();
            if (flagged == 0) {
                continue;
            }
            escalated++;
            Correction c = Correction.findById(id);
            history.correction(c, "ESCALATE_OVERDUE", c.status, Actor.SCHEDULER).automatic(true)
                    .reason("逾期未答复，提请主管部门督办 / overdue, escalated to the 主管部门").detail("dueOn", c.dueOn)
                    .write();
            notices.notifyAuthorityActingIn(c.regionCode, config.competentAuthorityDepartment(), "CORRECTION_OVERDUE",
                    "CORRECTION", c.id, "个人信息更正补充申请逾期未答复（期限 " + c.dueOn + "），数源部门 "
                            + c.providerDepartmentCode + " / correction request not answered by " + c.dueOn
                            + ", provider " + c.providerDepartmentCode);
            // told once, with the flag: a later run finds it escalated and tells no one again
            notices.notifyDataSubject(c.subjectHash, "CORRECTION_OVERDUE", "CORRECTION", c.id, "您的个人信息更正补充申请"
                    + what(c) + "，数源部门未在期限 " + c.dueOn + " 前答复，已提请主管部门督办");
        }
        return escalated;
    }

    /**
     * The requester's notice of the answer: the outcome and the department's reasons, legal basis and explanation as
     * its own view shows them; the department acts, so no civil servant is named.
     */
    private static String answeredMessage(Correction c) {
        String outcome = switch (c.status) { // the outcome's label as the requester reads it
            case "CORRECTED" -> "已更正";
            case "SUPPLEMENTED" -> "已补充";
            default -> "不予更正";
        };
        StringBuilder m = new StringBuilder("您的个人信息更正补充申请").append(what(c)).append("，数源部门已答复：")
                .append(outcome).append("。理由：").append(c.answerReason);
        if (c.legalBasis != null) {
            m.append("；法律依据：").append(c.legalBasis);
        }
        if (c.explanation != null) {
            m.append("；核实说明：").append(c.explanation);
        }
        return m.toString();
    }

    /**
     * The request as its requester knows it: the catalogue entry's name when filed (before names were kept: today's,
     * else its code) and the data item.
     */
    private static String what(Correction c) {
        String name = c.resourceName;
        if (name == null) {
            CatalogEntry e = CatalogEntry.findCurrent(c.resourceCode);
            name = e == null || e.name == null ? c.resourceCode : e.name;
        }
        return "（" + name + "，数据项 " + c.item + "）";
    }

    @Scheduled(cron = "0 25 * * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledEscalation() {
        escalateOverdue();
    }

    /** The item's code when the entry lists it; else 400 naming {@code item} with the entry's items. */
    /**
     * PIPL Art. 46 is about data on the requester: the entry must hold the requester's kind of identifier, as its key
     * or among its items (a 公民身份号码 for a citizen, a 统一社会信用代码 for an enterprise; an item that may hold
     * either, such as 权利人证件号码 or 持证主体代码, serves both), since that is how the entry's records name their
     * subject and how the 数源部门 finds the requester's record. An entry without one (土地利用现状数据: land parcels) or
     * only with the other kind (企业登记信息 for a citizen) holds nothing about the requester: 400 naming
     * {@code resourceCode}, nothing recorded.
     */
    static void requireAboutSubjects(CatalogEntry entry, boolean citizen) {
        for (Map<String, Object> item : Json.objects(entry.items)) {
            String code = String.valueOf(item.get("code"));
            String name = item.get("name") == null ? "" : String.valueOf(item.get("name"));
            boolean either = name.contains("证件号码") || name.contains("主体代码");
            boolean person = "GMSFHM".equals(code) || name.contains("公民身份号码") || name.contains("身份证号");
            boolean enterprise = "TYSHXYDM".equals(code) || name.contains("统一社会信用代码");
            if (either || (citizen ? person : enterprise)) {
                return;
            }
        }
        String kind = citizen ? "公民身份号码" : "统一社会信用代码";
        String kindEn = citizen ? "citizen's ID number" : "unified social credit code";
        throw ApiException.field("resourceCode", "资源 " + entry.resourceCode + "（" + entry.name + "）不含" + kind
                + "，没有关于申请人的个人信息可更正补充 / entry " + entry.resourceCode + " holds no " + kindEn
                + ", so no data about the requester to correct");
    }

    private static String requireItem(CatalogEntry entry, String item) {
        List<String> items = List.copyOf(CatalogItems.of(entry).codes());
        String code = item == null ? null : item.trim();
        if (code != null && items.contains(code)) {
            return code;
        }
        String detail = "须为资源 " + entry.resourceCode + " 的数据项之一：" + String.join("、", items) + " / item must be "
                + "one of the entry's data items: " + String.join(", ", items);
        throw new ApiException(ProblemType.VALIDATION, detail, List.of(new FieldError("item", detail)),
                Map.of("items", items), Map.of());
    }

    /** The trimmed text, null when blank; 400 naming {@code field} when longer than {@code max}. */
    private static String optional(String value, String field, int max) {
        return Texts.blank(value) ? null : Texts.required(value, field, max, null);
    }

    private String subjectHash(Caller caller) {
        String subject = caller.dataSubject();
        if (subject == null) {
            throw ApiException.forbidden("令牌中没有身份证号或信用代码 / the token carries no cn_id or uscc");
        }
        return hasher.hash(subject);
    }
}
