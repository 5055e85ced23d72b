package cn.onenet.exchange.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.service.Commands.CloseIncident;
import cn.onenet.exchange.service.Commands.IncidentSuspension;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.Commands.RectificationReport;
import cn.onenet.exchange.service.Commands.ReportIncident;
import cn.onenet.exchange.service.Commands.RequireRectification;
import cn.onenet.exchange.service.StateHistory.Actor;

/**
 * 数据安全事件 (R20, 条例第三十四条、第三十五条: "谁管理谁负责、谁使用谁负责", on an incident start the emergency plan and
 * report). The provider of the data, a department using it, or the 主管部门 reports an incident; the 主管部门 and the
 * other parties are notified. The 主管部门 may suspend the grants concerned (through the grant workflow, the reason
 * naming the incident), require a rectification report from the responsible department within working days, and
 * closes the incident with its conclusion. Incidents whose report is overdue are listed.
 */
@ApplicationScoped
public class IncidentService {

    public static final Set<String> TYPES = Set.of("LEAK", "MISUSE", "TAMPERING", "UNAVAILABILITY");
    public static final List<String> STATUSES = List.of("REPORTED", "RECTIFYING", "RECTIFIED", "CLOSED");
    /** A rectification report is due within this many working days unless the 主管部门 says otherwise. */
    public static final int DEFAULT_RECTIFICATION_WORKING_DAYS = 10;
    static final int MAX_RECTIFICATION_WORKING_DAYS = 60;
    static final int MAX_TEXT = TextLimits.LONG_TEXT;
    static final int MAX_GRANTS = 100;
    /** Clock skew tolerated on discoveredAt. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private final EntityManager em;
    private final TimeSource time;
    private final CalendarService calendar;
    private final NoticeService notices;
    private final GrantService grants;
    private final ExchangeConfig config;
    private final IdempotencyService idempotency;
    private final StateHistory history;
    private final CatalogReplicaService replica;

    public IncidentService(EntityManager em, TimeSource time, CalendarService calendar, NoticeService notices,
            GrantService grants, ExchangeConfig config, IdempotencyService idempotency, StateHistory history,
            CatalogReplicaService replica) {
        this.em = em;
        this.time = time;
        this.calendar = calendar;
        this.notices = notices;
        this.grants = grants;
        this.config = config;
        this.idempotency = idempotency;
        this.history = history;
        this.replica = replica;
    }

    /**
     * Severity by the grade of the data (数据分级, GB/T 43697-2024), the catalogue's grades from the highest: CORE 核心数据,
     * IMPORTANT 重要数据, then 一般数据 LEVEL_4 … LEVEL_1. Core and important data rank with LEVEL_4 at the top
     * (EXTRAORDINARY 特别重大), never below it; LEVEL_3 MAJOR 重大, LEVEL_2 SERIOUS 较大, LEVEL_1 GENERAL 一般. An
     * ungraded entry counts as 重大; a grade the exchange does not know counts as the highest until it does.
     */
    public static String severity(String grade) {
        if (grade == null) {
            return "MAJOR";
        }
        return switch (grade) {
            case "CORE", "IMPORTANT", "LEVEL_4" -> "EXTRAORDINARY";
            case "LEVEL_3" -> "MAJOR";
            case "LEVEL_2" -> "SERIOUS";
            case "LEVEL_1" -> "GENERAL";
            default -> "EXTRAORDINARY";
        };
    }

    @Transactional
    public SecurityIncident report(Caller caller, ReportIncident cmd, String idempotencyKey) {
        String department = caller.departmentOrFail();
        // reporting is not a decision: the platform's admin reports what it finds as the 主管部门's reviewers do
        boolean authority = caller.decidesAsAuthority() || caller.has("admin");
        var previous = idempotency.previous(caller.subject(), "report-incident", idempotencyKey,
                IdempotencyService.fingerprint(cmd));
        if (previous.isPresent()) {
            return SecurityIncident.findById(previous.get());
        }
        if (cmd == null || cmd.type() == null || !TYPES.contains(cmd.type())) {
            throw Fields.INCIDENT_TYPE.notOneOf(Fields.INCIDENT_TYPES);
        }
        if (Texts.blank(cmd.resourceCode())) {
            throw ApiException.field("resourceCode", "须指明所涉数据资源 / name the resource concerned");
        }
        // an entry published since the replica's last poll is found too
        CatalogEntry entry = replica.findCurrentOrCatchUp(cmd.resourceCode().trim());
        if (entry == null) {
            throw ApiException.field("resourceCode", "目录中没有该资源 / no catalogue entry " + cmd.resourceCode());
        }
        OffsetDateTime discovered = discoveredAt(cmd.discoveredAt());
        String description = text(cmd.description(), "description", "须说明事件经过 / describe the incident");
        String measures = text(cmd.measuresTaken(), "measuresTaken",
                "须说明已采取的处置措施 / state the measures taken");
        boolean provider = entry.providerDepartmentCode.equals(department);
        if (!authority && !provider && ShareGrant.count("consumerDepartmentCode = ?1 and resourceCode = ?2",
                department, entry.resourceCode) == 0) {
            throw ApiException.forbidden("只有该数据的提供部门、使用部门或主管部门可以报告 / only the provider, a department "
                    + "using the data or the 主管部门 reports an incident on it");
        }
        List<ShareGrant> concerned = concerned(entry.resourceCode, cmd.grantIds());
        if (!authority && !provider) {
            for (ShareGrant g : concerned) {
                if (!g.consumerDepartmentCode.equals(department)) {
                    throw ApiException.field("grantIds", "使用部门只能指明本部门的授权 / a department using the data "
                            + "names only its own grants (" + g.id + ")");
                }
            }
        }
        SecurityIncident i = new SecurityIncident();
        i.type = cmd.type();
        i.resourceCode = entry.resourceCode;
        i.resourceName = entry.name;
        i.providerDepartmentCode = entry.providerDepartmentCode;
        i.dataGrade = entry.grade;
        i.severity = severity(entry.grade);
        i.grantIds = concerned.stream().map(g -> g.id).toArray(Long[]::new);
        Set<String> parties = new LinkedHashSet<>();
        parties.add(entry.providerDepartmentCode);
        if (!authority) {
            parties.add(department);
        }
        concerned.forEach(g -> parties.add(g.consumerDepartmentCode));
        i.partyDepartments = parties.toArray(String[]::new);
        i.regionCode = region(entry, concerned, authority ? null : Jurisdiction.side(caller.region(), department));
        i.reporterDepartmentCode = department;
        i.reporterSub = caller.subject() != null ? caller.subject() : caller.clientId();
        i.reporterRole = authority ? (caller.decidesAsAuthority() ? "reviewer" : "admin") : "operator";
        i.discoveredAt = discovered.toInstant();
        i.description = description;
        i.measuresTaken = measures;
        i.status = "REPORTED";
        i.reportedAt = time.now();
        i.persist();
        history.incident(i, "REPORT", null, Actor.of(caller, i.reporterRole)).reason(description)
                .detail("type", i.type).detail("resourceCode", i.resourceCode).detail("severity", i.severity)
                .detail("dataGrade", i.dataGrade).detail("grantIds", List.of(i.grantIds))
                .detail("discoveredAt", i.discoveredAt.toString()).detail("measuresTaken", measures)
                .detail("regionCode", i.regionCode).write();
        idempotency.remember(caller.subject(), "report-incident", idempotencyKey, i.id,
                IdempotencyService.fingerprint(cmd));
        String message = "数据安全事件（" + label(i.type) + "，" + entry.name + "，" + severityLabel(i.severity)
                + "）/ security incident (" + i.type + ", " + i.severity + "): " + description;
        if (!authority) {
            notices.notifyAuthorityActingIn(i.regionCode, config.competentAuthorityDepartment(), "INCIDENT_REPORTED",
                    "INCIDENT", i.id, message + "；报告部门 / reported by " + department);
        }
        for (String party : parties) {
            if (!party.equals(department)) {
                notices.notify(party, "INCIDENT_REPORTED", "INCIDENT", i.id, message);
            }
        }
        return i;
    }

    /** The 主管部门 suspends the grants concerned (or those named, on the incident's resource) through the grant workflow. */
    @Transactional
    public SecurityIncident suspendGrants(Caller caller, long id, IncidentSuspension cmd) {
        SecurityIncident i = governed(caller, id, cmd == null ? null : cmd.version());
        open(i);
        String reason = text(cmd.reason(), "reason", "须写明暂停理由 / state the reason");
        boolean defaulted = cmd.grantIds() == null || cmd.grantIds().isEmpty();
        List<ShareGrant> named = concerned(i.resourceCode, defaulted ? Arrays.asList(i.grantIds) : cmd.grantIds());
        if (named.isEmpty()) {
            throw ApiException.field("grantIds", "事件未指明所涉授权，请列出要暂停的授权 / the incident names no grant: "
                    + "list the grants to suspend");
        }
        Set<Long> all = new LinkedHashSet<>(Arrays.asList(i.grantIds));
        Set<Long> suspended = new LinkedHashSet<>(Arrays.asList(i.suspendedGrantIds));
        if (defaulted) {
            // the grants concerned not yet suspended for this incident that are ACTIVE, or suspended by the provider
            // alone (the 主管部门 takes that suspension over: the provider may not lift it then)
            named = named.stream().filter(g -> !suspended.contains(g.id) && ("ACTIVE".equals(g.status)
                    || ("SUSPENDED".equals(g.status) && GrantService.BY_PROVIDER.equals(g.suspendedBy)))).toList();
            if (named.isEmpty()) {
                throw ApiException.conflict("事件所涉授权均已暂停或已不在有效状态 / every grant concerned is already "
                        + "suspended or no longer active");
            }
        }
        Set<String> parties = new LinkedHashSet<>(Arrays.asList(i.partyDepartments));
        List<Long> now = new ArrayList<>();
        for (ShareGrant g : named) {
            // a grant that cannot be suspended (not ACTIVE) answers 409 and the whole step is rolled back
            grants.suspend(caller, g.id, new Reasoned(g.version,
                    "安全事件 " + i.id + "（条例第三十五条）：" + reason));
            all.add(g.id);
            suspended.add(g.id);
            parties.add(g.consumerDepartmentCode);
            now.add(g.id);
        }
        i.grantIds = all.toArray(Long[]::new);
        i.suspendedGrantIds = suspended.toArray(Long[]::new);
        i.partyDepartments = parties.toArray(String[]::new);
        Versions.flush(em);
        history.incident(i, "SUSPEND_GRANTS", i.status, Actor.of(caller, "reviewer", "admin")).decision()
                .reason(reason).detail("grantIds", now).write();
        return i;
    }

    /** The 主管部门 requires a rectification report from a party, due within working days. */
    @Transactional
    public SecurityIncident requireRectification(Caller caller, long id, RequireRectification cmd) {
        SecurityIncident i = governed(caller, id, cmd == null ? null : cmd.version());
        if (!"REPORTED".equals(i.status) && !"RECTIFIED".equals(i.status)) {
            throw ApiException.illegalTransition("事件" + StatusLabels.incident(i.status)
                    + "，不能责令整改 / the incident is " + i.status);
        }
        String responsible = Texts.blank(cmd.responsibleDepartmentCode())
                ? ("operator".equals(i.reporterRole) ? i.reporterDepartmentCode : null)
                : CreditCode.normalise(cmd.responsibleDepartmentCode());
        if (responsible == null) {
            throw ApiException.field("responsibleDepartmentCode", "须指明整改责任部门 / name the responsible department");
        }
        if (!Arrays.asList(i.partyDepartments).contains(responsible)) {
            throw ApiException.field("responsibleDepartmentCode", "责任部门须为事件所涉部门（提供部门、报告部门或所涉授权的"
                    + "使用部门）/ the responsible department must be a party to the incident");
        }
        int days = cmd.workingDays() == null ? DEFAULT_RECTIFICATION_WORKING_DAYS : cmd.workingDays();
        if (days < 1 || days > MAX_RECTIFICATION_WORKING_DAYS) {
            throw ApiException.field("workingDays", "整改期限为 1 至 " + MAX_RECTIFICATION_WORKING_DAYS
                    + " 个工作日 / 1 to " + MAX_RECTIFICATION_WORKING_DAYS + " working days");
        }
        String requirement = text(cmd.requirement(), "requirement", "须写明整改要求 / state what must be rectified");
        String from = i.status;
        i.status = "RECTIFYING";
        i.responsibleDepartmentCode = responsible;
        i.rectificationRequirement = requirement;
        i.rectificationRequiredOn = time.today();
        i.rectificationWorkingDays = days;
        i.rectificationDueOn = calendar.calendar().addWorkingDays(i.rectificationRequiredOn, days);
        i.rectificationReport = null;
        i.rectifiedAt = null;
        Versions.flush(em);
        history.incident(i, "REQUIRE_RECTIFICATION", from, Actor.of(caller, "reviewer", "admin")).decision()
                .reason(requirement).detail("responsibleDepartmentCode", responsible).detail("workingDays", days)
                .detail("dueOn", i.rectificationDueOn).write();
        notices.notify(responsible, "INCIDENT_RECTIFICATION_REQUIRED", "INCIDENT", i.id,
                "数据安全事件 " + i.id + " 责令整改，请于 " + i.rectificationDueOn + " 前报送整改报告 / incident " + i.id
                    + ": rectify and report by " + i.rectificationDueOn + ": " + requirement);
        return i;
    }

    /** The responsible department files its rectification report. */
    @Transactional
    public SecurityIncident fileRectification(Caller caller, long id, RectificationReport cmd) {
        SecurityIncident i = view(caller, id);
        if (caller.isAuthority() || !caller.department().equals(i.responsibleDepartmentCode)) {
            throw ApiException.forbidden("整改报告由责任部门报送 / the responsible department files the report");
        }
        Versions.check(cmd == null ? null : cmd.version(), i.version);
        if (!"RECTIFYING".equals(i.status)) {
            throw ApiException.illegalTransition("事件" + StatusLabels.incident(i.status)
                    + "，无须报送整改报告 / the incident is " + i.status);
        }
        String report = text(cmd.report(), "report", "须写明整改情况 / state what was rectified");
        boolean late = overdue(i);
        i.status = "RECTIFIED";
        i.rectificationReport = report;
        i.rectifiedAt = time.now();
        Versions.flush(em);
        history.incident(i, "FILE_RECTIFICATION", "RECTIFYING", Actor.of(caller, "operator")).reason(report)
                .detail("dueOn", i.rectificationDueOn).detail("late", late).write();
        notices.notifyAuthorityActingIn(i.regionCode, config.competentAuthorityDepartment(), "INCIDENT_RECTIFIED",
                "INCIDENT", i.id, "数据安全事件 " + i.id + " 已报送整改报告" + (late ? "（逾期）" : "") + " / incident " + i.id
                        + ": rectification reported" + (late ? " (late)" : ""));
        return i;
    }

    /** The 主管部门 closes the incident with its conclusion. */
    @Transactional
    public SecurityIncident close(Caller caller, long id, CloseIncident cmd) {
        SecurityIncident i = governed(caller, id, cmd == null ? null : cmd.version());
        open(i);
        String conclusion = text(cmd.conclusion(), "conclusion", "须写明处理结论 / state the conclusion");
        String from = i.status;
        i.status = "CLOSED";
        i.conclusion = conclusion;
        i.closedAt = time.now();
        Versions.flush(em);
        history.incident(i, "CLOSE", from, Actor.of(caller, "reviewer", "admin")).decision().reason(conclusion)
                .write();
        for (String party : i.partyDepartments) {
            notices.notify(party, "INCIDENT_CLOSED", "INCIDENT", i.id,
                    "数据安全事件 " + i.id + " 办结 / incident " + i.id + " closed: " + conclusion);
        }
        return i;
    }

    /**
     * The parties' operators, the reviewers of the incident's region (and of the department that reported it), admins
     * and auditors; to anyone else, reviewers of other regions included, it does not exist (404).
     */
    public SecurityIncident view(Caller caller, long id) {
        SecurityIncident i = SecurityIncident.findById(id);
        if (i == null || !reads(caller, i)) {
            throw notFound(id);
        }
        return i;
    }

    private static boolean reads(Caller caller, SecurityIncident i) {
        if (!caller.isAuthority() && !caller.has("operator")) {
            return false;
        }
        List<String> parties = new ArrayList<>(Arrays.asList(i.partyDepartments));
        if (caller.isAuthority()) {
            parties.add(i.reporterDepartmentCode);
        }
        return Jurisdiction.reads(caller, i.regionCode, parties);
    }

    /**
     * Admins and auditors see every incident, reviewers those of their region and those their department reported or
     * is a party to, a department's operators those it is a party to; {@code overdue} keeps those whose
     * rectification report is past its deadline. One page, newest first.
     */
    public List<SecurityIncident> list(Caller caller, String status, boolean overdue, int page, int size) {
        return filter(caller, status, overdue).page(em, SecurityIncident.class, page, size);
    }

    /** How many incidents {@link #list} finds on all pages (the same visibility, counted in the database). */
    public long count(Caller caller, String status, boolean overdue) {
        return filter(caller, status, overdue).count(em, SecurityIncident.class);
    }

    private CaseFilter filter(Caller caller, String status, boolean overdue) {
        CaseFilter visible = visibility(caller);
        StringBuilder q = new StringBuilder(visible.where());
        Map<String, Object> p = new HashMap<>(visible.params());
        if (status != null) {
            q.append(" and status = :status");
            p.put("status", status);
        }
        if (overdue) {
            q.append(" and status = 'RECTIFYING' and rectificationDueOn < :today");
            p.put("today", time.today());
        }
        return new CaseFilter(q.toString(), p);
    }

    private static CaseFilter visibility(Caller caller) {
        if (Jurisdiction.readsEveryRegion(caller)) {
            return new CaseFilter("1 = 1", Map.of());
        }
        if (caller.has("reviewer")) {
            return CaseFilter.regionOrParty(Jurisdiction.reviewerListRegion(caller),
                    "(array_contains(partyDepartments, :dept) or reporterDepartmentCode = :dept)", caller.department());
        }
        return new CaseFilter("array_contains(partyDepartments, :dept)", Map.of("dept", caller.departmentOrFail()));
    }

    /**
     * The region whose 主管部门 handles an incident (R17): the lowest containing the provider (the entry's region), the
     * consumers of the grants concerned (each grant's region) and a reporting department's operator ({@code reporter},
     * null for the 主管部门's own report).
     */
    private String region(CatalogEntry entry, List<ShareGrant> concerned, String reporter) {
        List<String> sides = new ArrayList<>();
        sides.add(Jurisdiction.side(entry.regionCode, entry.providerDepartmentCode));
        concerned.forEach(g -> sides.add(grants.region(g)));
        if (reporter != null) {
            sides.add(reporter);
        }
        return Jurisdiction.regionOfParties(sides, config.competentAuthorityDepartment());
    }

    /** Incidents reported before they had a region (V31) get the one they would have had when reported. */
    @Transactional
    public int assignMissingRegions() {
        // replicas starting together take turns: the later one finds nothing left to do
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('exchange-region-backfill'))").getSingleResult();
        List<SecurityIncident> missing = SecurityIncident.list("regionCode is null");
        for (SecurityIncident i : missing) {
            CatalogEntry entry = CatalogEntry.findCurrent(i.resourceCode);
            List<String> sides = new ArrayList<>();
            sides.add(Jurisdiction.side(entry == null ? null : entry.regionCode, i.providerDepartmentCode));
            for (String party : i.partyDepartments) {
                sides.add(Regions.ofCreditCode(party));
            }
            i.regionCode = Jurisdiction.regionOfParties(sides, config.competentAuthorityDepartment());
        }
        return missing.size();
    }

    public boolean overdue(SecurityIncident i) {
        return "RECTIFYING".equals(i.status) && i.rectificationDueOn.isBefore(time.today());
    }

    private SecurityIncident governed(Caller caller, long id, Integer version) {
        Jurisdiction.requireAuthority(caller, "安全事件由主管部门处置 / the 主管部门 handles incidents");
        SecurityIncident i = SecurityIncident.findById(id);
        // a reviewer handles the incidents of its region; another region's is not revealed
        if (i == null || !Jurisdiction.inRegion(caller, i.regionCode)) {
            throw notFound(id);
        }
        Versions.check(version, i.version);
        return i;
    }

    private static void open(SecurityIncident i) {
        if ("CLOSED".equals(i.status)) {
            throw ApiException.illegalTransition("事件已办结 / the incident is closed");
        }
    }

    /** The grants named, each on the resource (400 naming grantIds otherwise), without repeats. */
    private static List<ShareGrant> concerned(String resourceCode, List<Long> ids) {
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        Set<Long> distinct = new LinkedHashSet<>(ids);
        if (distinct.contains(null) || distinct.size() > MAX_GRANTS) {
            throw ApiException.field("grantIds", "授权编号无效或过多 / at most " + MAX_GRANTS + " grant ids, none null");
        }
        // grants follow a reclassified entry to its new code, the incident keeps the code it was reported under
        String current = CatalogEntry.currentCode(resourceCode);
        List<ShareGrant> out = new ArrayList<>();
        for (Long gid : distinct) {
            ShareGrant g = ShareGrant.findById(gid);
            if (g == null || !(g.resourceCode.equals(resourceCode) || g.resourceCode.equals(current))) {
                throw ApiException.field("grantIds", "授权 " + gid + " 不是该资源的授权 / grant " + gid
                        + " is not a grant on " + resourceCode);
            }
            out.add(g);
        }
        return out;
    }

    private OffsetDateTime discoveredAt(String value) {
        if (Texts.blank(value)) {
            throw ApiException.field("discoveredAt", "须给出发现时间 / when was it discovered");
        }
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ApiException.field("discoveredAt", "须为带时区的 ISO 8601 时间 / ISO 8601 with offset, e.g. "
                    + "2026-12-04T08:30:00+08:00");
        }
        if (!Dates.sane(at)) {
            throw ApiException.field("discoveredAt", Dates.OUT_OF_RANGE);
        }
        if (at.toInstant().isAfter(time.now().plus(SKEW))) {
            throw ApiException.field("discoveredAt", "发现时间不能晚于现在 / not in the future");
        }
        return at;
    }

    private static String label(String type) {
        return switch (type) {
            case "LEAK" -> "泄露";
            case "MISUSE" -> "滥用";
            case "TAMPERING" -> "篡改";
            default -> "不可用";
        };
    }

    private static String severityLabel(String severity) {
        return switch (severity) {
            case "GENERAL" -> "一般";
            case "SERIOUS" -> "较大";
            case "EXTRAORDINARY" -> "特别重大";
            default -> "重大";
        };
    }

    private static String text(String value, String field, String message) {
        return Texts.required(value, field, MAX_TEXT, message);
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("没有该安全事件 / no incident " + id);
    }
}
