package cn.onenet.exchange.service;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.service.Commands.FileObjection;
import cn.onenet.exchange.service.StateHistory.Actor;
import io.quarkus.scheduler.Scheduled;

/**
 * 校核 (R13): a consumer flags a record as wrong; the provider verifies, corrects and answers within 10 working
 * days; both see the status; overdue objections escalate to the 主管部门.
 */
@ApplicationScoped
public class ObjectionService {

    /** An objection's states: filed and awaiting the provider's answer, or answered (escalation keeps OPEN). */
    public static final List<String> STATUSES = List.of("OPEN", "ANSWERED");

    /** What the provider found, in the words of its answer's notice (V71 allows exactly these). */
    public static final Map<String, String> OUTCOMES = outcomes();

    private static Map<String, String> outcomes() {
        Map<String, String> words = new LinkedHashMap<>();
        words.put("CORRECTED", "已更正 / corrected");
        words.put("CONFIRMED_CORRECT", "经核实无误 / verified as correct");
        words.put("PARTIALLY_CORRECTED", "部分更正 / partly corrected");
        return Collections.unmodifiableMap(words);
    }

    private final EntityManager em;
    private final TimeSource time;
    private final CalendarService calendar;
    private final NoticeService notices;
    private final SubjectHasher hasher;
    private final ExchangeConfig config;
    private final IdempotencyService idempotency;
    private final StateHistory history;
    private final DatasetService datasets;
    private final ProxyService proxies;
    private final CorrectedRecords correctedRecords;

    public ObjectionService(EntityManager em, TimeSource time, CalendarService calendar, NoticeService notices,
            SubjectHasher hasher, ExchangeConfig config, IdempotencyService idempotency, StateHistory history,
            DatasetService datasets, ProxyService proxies, CorrectedRecords correctedRecords) {
        this.correctedRecords = correctedRecords;
        this.em = em;
        this.time = time;
        this.calendar = calendar;
        this.notices = notices;
        this.hasher = hasher;
        this.config = config;
        this.idempotency = idempotency;
        this.history = history;
        this.datasets = datasets;
        this.proxies = proxies;
    }

    @Transactional
    public Objection file(Caller caller, FileObjection cmd, String idempotencyKey) {
        var previous = idempotency.previous(caller.subject(), "file-objection", idempotencyKey,
                IdempotencyService.fingerprint(cmd));
        if (previous.isPresent()) {
            return Objection.findById(previous.get());
        }
        if (cmd == null || cmd.resourceCode() == null) {
            throw Fields.RESOURCE_CODE.isRequired();
        }
        Texts.require(cmd.recordKey(), Fields.RECORD_KEY.name(), Fields.RECORD_KEY.required());
        // keys are stored stripped: white space pasted around one is not part of it (as in a lookup)
        String recordKey = cmd.recordKey().strip();
        Texts.require(cmd.description(), "description", "须说明错误内容 / describe what is wrong");
        CatalogEntry entry = CatalogEntry.findCurrent(cmd.resourceCode());
        if (entry == null) {
            throw ApiException.notFound("目录中没有该资源 / no catalogue entry " + cmd.resourceCode());
        }
        String keyIdentifier = RecordItems.keyIdentifier(entry);
        if (keyIdentifier != null) {
            // the record's key is stored in one spelling (full-width digits, an ID number's x, a credit code)
            recordKey = IdentifierKeys.require(keyIdentifier, recordKey, Fields.RECORD_KEY.name());
        }
        String dept = caller.departmentOrFail();
        if (ShareGrant.count("consumerDepartmentCode = ?1 and resourceCode = ?2", dept, entry.resourceCode) == 0) {
            throw ApiException.forbidden("只有获得授权的使用部门可以提出校核 / only a consumer with a grant may object");
        }
        requireRecord(dept, entry, recordKey);
        Objection o = new Objection();
        o.resourceCode = entry.resourceCode;
        // the record objected to holds every item the entry lists: their names as they stand today are kept
        o.resourceName = entry.name;
        o.itemNames = EntryNames.itemNames(entry, null);
        o.recordKey = recordKey;
        o.recordKeyHash = hasher.hash(recordKey);
        o.consumerDepartmentCode = dept;
        o.providerDepartmentCode = entry.providerDepartmentCode;
        o.regionCode = Jurisdiction.regionOf(caller.region(), dept, entry.providerDepartmentCode, entry.regionCode,
                config.competentAuthorityDepartment());
        o.description = cmd.description().trim();
        o.status = "OPEN";
        o.receivedOn = time.today();
        o.dueOn = calendar.calendar().addWorkingDays(o.receivedOn, RequestService.ANSWER_WORKING_DAYS);
        o.createdAt = time.now();
        o.persist();
        history.objection(o, "FILE", null, Actor.of(caller, "operator")).reason(o.description)
                .detail("recordKey", o.recordKey).detail("dueOn", o.dueOn).detail("regionCode", o.regionCode).write();
        idempotency.remember(caller.subject(), "file-objection", idempotencyKey, o.id,
                IdempotencyService.fingerprint(cmd));
        notices.notify(o.providerDepartmentCode, "OBJECTION_FILED", "OBJECTION", o.id,
                "数据校核申请（" + o.resourceCode + "），请于 " + o.dueOn + " 前核实、更正并答复 / objection to a record of "
                        + o.resourceCode + ": verify, correct and answer by " + o.dueOn);
        return o;
    }

    /**
     * The record objected to must be one the exchange hosts, as the consumer could have received it: a dataset the
     * provider serves from its own API (proxied), or one of which the exchange never held a record, cannot be checked
     * here and is taken as filed. A key with no record, or only one outside every region the consumer's grants are
     * limited to (回流), is 422 naming recordKey: the same answer, so an objection tells no more than a lookup would.
     */
    private void requireRecord(String consumer, CatalogEntry entry, String key) {
        if (proxies.endpoint(entry.resourceCode) != null || !hosted(entry.resourceCode)) {
            return;
        }
        Map<String, Object> record = datasets.find(entry.resourceCode, key);
        if (record == null || !withinGrants(consumer, entry, key, record)) {
            String detail = "该资源没有此主键的记录 / no record of " + entry.resourceCode + " has this key";
            throw new ApiException(ProblemType.UNPROCESSABLE, detail, List.of(new FieldError("recordKey", detail)),
                    Map.of(), Map.of());
        }
    }

    private boolean hosted(String resourceCode) {
        return (Boolean) em.createNativeQuery("SELECT EXISTS (SELECT 1 FROM dataset_record WHERE resource_code = ?1)")
                .setParameter(1, resourceCode).getSingleResult();
    }

    private static boolean withinGrants(String consumer, CatalogEntry entry, String key, Map<String, Object> record) {
        List<ShareGrant> grants = ShareGrant.list("consumerDepartmentCode = ?1 and resourceCode = ?2", consumer,
                entry.resourceCode);
        if (grants.stream().anyMatch(g -> g.regionScope == null)) {
            return true;
        }
        Regions.RegionKey regionKey = Regions.regionKey(entry.keyItem, CatalogItems.of(entry).codes());
        return regionKey != null && grants.stream()
                .anyMatch(g -> Regions.inScope(g.regionScope, Regions.regionOf(regionKey, key, record)));
    }

    @Transactional
    public Objection answer(Caller caller, long id, Integer version, String outcome, String answer) {
        Objection o = Objection.findById(id);
        if (o == null || !o.providerDepartmentCode.equals(caller.department())) {
            throw ApiException.notFound("没有该校核申请 / no objection " + id);
        }
        Versions.check(version, o.version);
        if (!"OPEN".equals(o.status)) {
            throw ApiException.illegalTransition("已答复 / already answered");
        }
        if (outcome == null || !OUTCOMES.containsKey(outcome)) {
            throw ApiException.field("outcome", "须说明核实结果：CORRECTED（已更正）、CONFIRMED_CORRECT（经核实无误）或 "
                    + "PARTIALLY_CORRECTED（部分更正） / outcome must be CORRECTED, CONFIRMED_CORRECT or "
                    + "PARTIALLY_CORRECTED");
        }
        Texts.require(answer, "reason", "须写明核实和更正情况 / state what was verified and corrected");
        boolean changed = !"CONFIRMED_CORRECT".equals(outcome);
        CorrectedRecords.Check check = null;
        if (changed) {
            // 已更正 / 部分更正 only once the hosted record shows it (409 otherwise); said so where it cannot be seen
            check = correctedRecords.requireChanged(o.resourceCode, o.recordKey, null, filedDigest(o.id), true,
                    "outcome");
        }
        o.status = "ANSWERED";
        o.outcome = outcome;
        o.answer = check == null || check.checked() ? answer.trim() : answer.trim() + "（" + check.note() + "）";
        Versions.flush(em);
        history.objection(o, "ANSWER", "OPEN", Actor.of(caller, "operator")).decision().reason(o.answer)
                .detail("outcome", o.outcome).detail("changeChecked", check == null ? null : check.checked())
                .write();
        notices.notify(o.consumerDepartmentCode, "OBJECTION_ANSWERED", "OBJECTION", o.id,
                "数据校核已答复 / objection answered: " + OUTCOMES.get(o.outcome) + "。" + o.answer);
        if (changed) {
            correctedRecords.notifyRecipients(o.resourceCode, o.recordKeyHash, null, o.consumerDepartmentCode,
                    "OBJECTION", o.id, "PARTIALLY_CORRECTED".equals(outcome) ? "已部分更正" : "已更正",
                    "PARTIALLY_CORRECTED".equals(outcome) ? "partly corrected" : "corrected");
        }
        return o;
    }

    /** The digest of the record taken when the objection was filed (V78); null when none was taken. */
    private String filedDigest(long id) {
        return (String) em.createNativeQuery("SELECT filed_record_digest FROM objection WHERE id = ?1")
                .setParameter(1, id).getSingleResult();
    }

    /**
     * Either party, the reviewers of the objection's region, admins and auditors; to anyone else, reviewers of other
     * regions included, it does not exist (404).
     */
    public Objection view(Caller caller, long id) {
        Objection o = Objection.findById(id);
        if (o == null || !Jurisdiction.reads(caller, o.regionCode,
                List.of(o.consumerDepartmentCode, o.providerDepartmentCode))) {
            throw ApiException.notFound("没有该校核申请 / no objection " + id);
        }
        return o;
    }

    /**
     * Admins and auditors see every objection, the escalated overdue ones included; reviewers those of their region
     * and their own department's; a department's operators those it filed or must answer. One page, newest first.
     */
    public List<Objection> list(Caller caller, String status, int page, int size) {
        return filter(caller, status).page(em, Objection.class, page, size);
    }

    /** How many objections {@link #list} finds on all pages (the same visibility, counted in the database). */
    public long count(Caller caller, String status) {
        return filter(caller, status).count(em, Objection.class);
    }

    /** The caller's visibility, narrowed to one of {@link #STATUSES} when {@code status} is given. */
    private static CaseFilter filter(Caller caller, String status) {
        CaseFilter visible = filter(caller);
        return status == null ? visible : visible.and("status = :status", "status", status);
    }

    private static CaseFilter filter(Caller caller) {
        if (Jurisdiction.readsEveryRegion(caller)) {
            return new CaseFilter("1 = 1", Map.of());
        }
        String party = "(consumerDepartmentCode = :dept or providerDepartmentCode = :dept)";
        if (caller.has("reviewer")) {
            return CaseFilter.regionOrParty(Jurisdiction.reviewerListRegion(caller), party, caller.department());
        }
        return new CaseFilter(party, Map.of("dept", caller.departmentOrFail()));
    }

    /** Objections filed before they had a region (V31) get the one they would have had when filed. */
    @Transactional
    public int assignMissingRegions() {
        // replicas starting together take turns: the later one finds nothing left to do
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('exchange-region-backfill'))").getSingleResult();
        List<Objection> missing = Objection.list("regionCode is null");
        for (Objection o : missing) {
            CatalogEntry entry = CatalogEntry.findCurrent(o.resourceCode);
            o.regionCode = Jurisdiction.regionOf(null, o.consumerDepartmentCode, o.providerDepartmentCode,
                    entry == null ? null : entry.regionCode, config.competentAuthorityDepartment());
        }
        return missing.size();
    }

    @Transactional
    public int escalateOverdue() {
        List<Objection> overdue = Objection.list("status = 'OPEN' and escalated = false and dueOn < ?1", time.today());
        for (Objection o : overdue) {
            o.escalated = true;
            history.objection(o, "ESCALATE_OVERDUE", o.status, Actor.SCHEDULER).automatic(true)
                    .reason("逾期未答复，提请主管部门督办 / overdue, escalated to the 主管部门").detail("dueOn", o.dueOn)
                    .write();
            notices.notifyAuthorityActingIn(o.regionCode, config.competentAuthorityDepartment(), "OBJECTION_OVERDUE",
                    "OBJECTION", o.id, "数据校核逾期未答复（期限 " + o.dueOn + "），提供部门 " + o.providerDepartmentCode
                    + " / objection not answered by " + o.dueOn + ", provider " + o.providerDepartmentCode);
            // the department that filed it learns that it went to the 主管部门; once, with the flag
            notices.notify(o.consumerDepartmentCode, "OBJECTION_OVERDUE", "OBJECTION", o.id,
                    "您部门提出的数据校核申请，提供部门未在期限 " + o.dueOn + " 前答复，已提请主管部门督办 / your objection was not "
                    + "answered by " + o.dueOn + ": escalated to the 主管部门");
        }
        return overdue.size();
    }

    @Scheduled(cron = "0 15 * * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledEscalation() {
        escalateOverdue();
    }
}
