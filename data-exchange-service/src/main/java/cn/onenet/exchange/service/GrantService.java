package cn.onenet.exchange.service;

import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.DisposalMethod;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.service.Commands.ChangeGrant;
import cn.onenet.exchange.service.Commands.DisposalRequirement;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.Commands.Suspension;
import cn.onenet.exchange.service.Commands.Termination;
import cn.onenet.exchange.service.StateHistory.Actor;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * 共享授权: active, suspended (misuse, R14), terminated, expired. The provider changes or stops a grant only with a
 * recorded reason and a notice to the consumer (R15); when the purpose ends the consumer confirms disposal (R14).
 * Each change, with who made it and why, goes into the {@link StateHistory} in the same transaction.
 */
@ApplicationScoped
public class GrantService {

    /**
     * An immutable snapshot of a grant for the delivery path; {@code maskedItems} the items it delivers masked
     * whatever the catalogue says of them now ({@link ShareGrant#maskedItems}); {@code covertMaxPeriod} the longest a
     * covert query under it stays hidden, null when it does not permit covert use
     * ({@link ShareGrant#covertUsePermitted}).
     */
    public record GrantView(long id, String resourceCode, String provider, String consumer, Set<String> items,
            Set<String> clearItems, String purpose, String legalBasis, LocalDate validFrom, LocalDate validTo,
            int quotaPerSecond, int quotaPerDay, String status, int version, String basis, String regionScope,
            String deliveryMethod, Set<String> maskedItems, java.time.Period covertMaxPeriod, Long termsSeq) {

        /** A grant read without its chained terms (no call cites them). */
        public GrantView(long id, String resourceCode, String provider, String consumer, Set<String> items,
                Set<String> clearItems, String purpose, String legalBasis, LocalDate validFrom, LocalDate validTo,
                int quotaPerSecond, int quotaPerDay, String status, int version, String basis, String regionScope,
                String deliveryMethod, Set<String> maskedItems, java.time.Period covertMaxPeriod) {
            this(id, resourceCode, provider, consumer, items, clearItems, purpose, legalBasis, validFrom, validTo,
                    quotaPerSecond, quotaPerDay, status, version, basis, regionScope, deliveryMethod, maskedItems,
                    covertMaxPeriod, null);
        }

        /** A grant that delivers masked only what the catalogue masks now and permits no covert use. */
        public GrantView(long id, String resourceCode, String provider, String consumer, Set<String> items,
                Set<String> clearItems, String purpose, String legalBasis, LocalDate validFrom, LocalDate validTo,
                int quotaPerSecond, int quotaPerDay, String status, int version, String basis, String regionScope,
                String deliveryMethod) {
            this(id, resourceCode, provider, consumer, items, clearItems, purpose, legalBasis, validFrom, validTo,
                    quotaPerSecond, quotaPerDay, status, version, basis, regionScope, deliveryMethod, Set.of());
        }

        /** A grant that permits no covert use. */
        public GrantView(long id, String resourceCode, String provider, String consumer, Set<String> items,
                Set<String> clearItems, String purpose, String legalBasis, LocalDate validFrom, LocalDate validTo,
                int quotaPerSecond, int quotaPerDay, String status, int version, String basis, String regionScope,
                String deliveryMethod, Set<String> maskedItems) {
            this(id, resourceCode, provider, consumer, items, clearItems, purpose, legalBasis, validFrom, validTo,
                    quotaPerSecond, quotaPerDay, status, version, basis, regionScope, deliveryMethod, maskedItems,
                    null);
        }

        public boolean covertUsePermitted() {
            return covertMaxPeriod != null;
        }
    }

    public static final Set<String> STATUSES = Set.of("ACTIVE", "SUSPENDED", "TERMINATED", "EXPIRED");
    /** {@link ShareGrant#suspendedBy}: the 主管部门 imposed the suspension; only it lifts it (R14, R20). */
    public static final String BY_AUTHORITY = "AUTHORITY";
    /** {@link ShareGrant#suspendedBy}: the provider suspended the grant itself. */
    public static final String BY_PROVIDER = "PROVIDER";

    /** The longest a provider's disposal instructions may be. */
    static final int MAX_DISPOSAL_INSTRUCTIONS = TextLimits.TEXT;
    /** The longest 整改期限 of a suspension, in working days (as for a security incident's rectification). */
    static final int MAX_RECTIFICATION_WORKING_DAYS = IncidentService.MAX_RECTIFICATION_WORKING_DAYS;

    /** Grants are re-read at least this often, so a suspension on another replica takes effect within it. */
    private static final Duration CACHE_TTL = Duration.ofSeconds(1);

    private final EntityManager em;
    private final TimeSource time;
    private final NoticeService notices;
    private final ExchangeConfig config;
    private final StateHistory history;
    private final UsageRecordService usageRecords;
    private final CalendarService calendar;
    private final GrantEvidence evidence;
    private final ReloadingCache<Long, GrantView> cache = new ReloadingCache<>(CACHE_TTL);
    /** consumer|resource → the grant a lookup without X-Grant-Id uses; re-read as often as the grants themselves. */
    private final ReloadingCache<String, Keyless> byConsumer = new ReloadingCache<>(CACHE_TTL);

    /**
     * What a lookup without X-Grant-Id resolves to: one grant ({@code id}), or, when several API grants of the consumer
     * are in force on the entry today, the grants it must choose from ({@code choices}: id, purpose, status, period).
     */
    private record Keyless(Long id, List<Map<String, Object>> choices) {
    }

    public GrantService(EntityManager em, TimeSource time, NoticeService notices, ExchangeConfig config,
            StateHistory history, UsageRecordService usageRecords, CalendarService calendar, GrantEvidence evidence) {
        this.em = em;
        this.evidence = evidence;
        this.calendar = calendar;
        this.time = time;
        this.notices = notices;
        this.config = config;
        this.history = history;
        this.usageRecords = usageRecords;
    }

    /**
     * Issues the grant of a request: {@code by} approved it ({@code automatic} false), or filed it and the exchange
     * granted it by rule (无条件共享, 回流); {@code reason} is the decision's reason or opinion as given. The grant
     * permits covert use (隐蔽查询) exactly when the request declared it, on its basis and for at most its period: the
     * approval of the request is the approval of the covert use it declares.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ShareGrant create(ShareRequest r, List<String> items, LocalDate validTo, List<String> clearItems,
            Integer perSecond, Integer perDay, String basis, String regionScope, Actor by, boolean automatic,
            String reason) {
        return create(r, items, validTo, clearItems, perSecond, perDay, basis, regionScope, by, automatic, reason,
                null);
    }

    /**
     * As {@link #create}, with the provider's disposal requirement as it approved the request ({@link #disposal},
     * null: none stated).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ShareGrant create(ShareRequest r, List<String> items, LocalDate validTo, List<String> clearItems,
            Integer perSecond, Integer perDay, String basis, String regionScope, Actor by, boolean automatic,
            String reason, DisposalRequirement disposal) {
        CatalogEntry entry = CatalogEntry.findById(r.resourceCode);
        ShareGrant g = new ShareGrant();
        g.basis = basis;
        g.regionScope = regionScope;
        // the caller read the entry FOR SHARE: its region is the one the catalogue feed finds when it changes it
        g.authorityRegion = AuthorityRegions.of(r, entry);
        g.requestId = r.id;
        g.resourceCode = r.resourceCode;
        // the names as the request was filed (the view shows those of the items the grant holds)
        g.resourceName = r.resourceName;
        g.itemNames = r.itemNames;
        g.providerDepartmentCode = r.providerDepartmentCode;
        g.consumerDepartmentCode = r.consumerDepartmentCode;
        g.items = Json.write(List.copyOf(new LinkedHashSet<>(items)));
        g.clearItems = Json.write(clearItems);
        g.maskedItems = Json.write(entry == null ? List.of()
                : CatalogItems.of(entry).maskedOf(Json.strings(g.items), Set.copyOf(clearItems)));
        g.purpose = r.purpose;
        g.legalBasis = r.legalBasis;
        g.deliveryMethod = r.deliveryMethod;
        g.covertUsePermitted = r.covertLegalBasis != null;
        g.covertLegalBasis = r.covertLegalBasis;
        g.covertMaxPeriod = r.covertMaxPeriod;
        g.validFrom = r.periodFrom;
        g.validTo = validTo;
        g.quotaPerSecond = perSecond == null ? config.quota().perSecond() : perSecond;
        g.quotaPerDay = perDay == null ? config.quota().perDay() : perDay;
        if (disposal != null) {
            g.disposalMethod = DisposalMethod.valueOf(disposal.method());
            g.disposalInstructions = disposal.instructions();
        }
        g.status = "ACTIVE";
        g.createdAt = time.now();
        g.updatedAt = g.createdAt;
        g.persist();
        history.grant(g, "CREATE", null, by).decision().automatic(automatic).reason(reason).legalBasis(g.legalBasis)
                .detail("basis", basis).detail("items", Json.strings(g.items))
                .detail("clearItems", clearItems.isEmpty() ? null : clearItems)
                .detail("maskedItems", Json.strings(g.maskedItems)).detail("validFrom", g.validFrom)
                .detail("validTo", g.validTo).detail("quotaPerSecond", g.quotaPerSecond)
                .detail("quotaPerDay", g.quotaPerDay).detail("regionScope", regionScope)
                .detail("covertUse", CovertUses.detail(g.covertLegalBasis, g.covertMaxPeriod))
                .detail("disposalRequirement", disposalDetail(g)).write();
        byConsumer.remove(key(g.consumerDepartmentCode, g.resourceCode));
        return g;
    }

    /**
     * One grant, to whom {@link #list} shows it: a party's department, a reviewer when the grant is of its region or
     * its department's ({@link RegionScopedList}; else 404, a token without region 403), admins and auditors.
     */
    public ShareGrant view(Caller caller, long id) {
        if (RegionScopedList.applies(caller) && filter(caller, null, null).and("id = :id", "id", id)
                .count(em, ShareGrant.class) == 0) {
            throw notFound(id);
        }
        ShareGrant g = load(id);
        if (!caller.isAuthority() && !g.consumerDepartmentCode.equals(caller.department())
                && !g.providerDepartmentCode.equals(caller.department())) {
            throw notFound(id);
        }
        return g;
    }

    /**
     * Grants newest first: a party's department sees its own, a reviewer those of its region and its department
     * ({@link RegionScopedList}), admins and auditors all.
     */
    public List<ShareGrant> list(Caller caller, String resourceCode, String status, int page, int size) {
        return list(caller, resourceCode, status, false, page, size);
    }

    /** As {@link #list}; with {@code disposalOverdue} only ended grants whose disposal is unconfirmed past its due day. */
    public List<ShareGrant> list(Caller caller, String resourceCode, String status, boolean disposalOverdue, int page,
            int size) {
        return filter(caller, resourceCode, status, disposalOverdue).page(em, ShareGrant.class, page, size);
    }

    /** How many grants {@link #list} finds on all pages. */
    public long count(Caller caller, String resourceCode, String status) {
        return count(caller, resourceCode, status, false);
    }

    /** How many grants {@link #list} finds on all pages. */
    public long count(Caller caller, String resourceCode, String status, boolean disposalOverdue) {
        return filter(caller, resourceCode, status, disposalOverdue).count(em, ShareGrant.class);
    }

    private CaseFilter filter(Caller caller, String resourceCode, String status) {
        return filter(caller, resourceCode, status, false);
    }

    private CaseFilter filter(Caller caller, String resourceCode, String status, boolean disposalOverdue) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> p = new HashMap<>();
        if (!caller.isAuthority()) {
            q.append(" and (providerDepartmentCode = :dept or consumerDepartmentCode = :dept)");
            p.put("dept", caller.departmentOrFail());
        }
        if (RegionScopedList.applies(caller)) {
            q.append(" and ").append(RegionScopedList.condition(caller, config.competentAuthorityDepartment(), p));
        }
        if (resourceCode != null) {
            q.append(" and resourceCode = :rc");
            p.put("rc", CatalogEntry.currentCode(resourceCode));
        }
        if (status != null) {
            if (!STATUSES.contains(status)) {
                throw Fields.STATUS.notOneOf(Fields.GRANT_STATUSES);
            }
            q.append(" and status = :st");
            p.put("st", status);
        }
        if (disposalOverdue) {
            q.append(" and disposalConfirmedAt is null and disposalDue < :today");
            p.put("today", time.today());
        }
        return new CaseFilter(q.toString(), p);
    }

    /**
     * The consumer's newest grant on an entry in a status, or null. A SUSPENDED one keeps the consumer from any new
     * grant there (R14); a TERMINATED one was ended by the provider or the 主管部门 ({@link #terminate}: a period that
     * simply ended makes a grant EXPIRED instead).
     */
    public ShareGrant newestOn(String consumer, String resourceCode, String status) {
        return ShareGrant.<ShareGrant>find("consumerDepartmentCode = ?1 and resourceCode = ?2 and status = ?3 "
                + "order by id desc", consumer, resourceCode, status).firstResult();
    }

    /**
     * The consumer's newest grant on an entry that was ended against it: TERMINATED, or EXPIRED while SUSPENDED (waiting
     * out a suspension is no way round it); null if none.
     */
    public ShareGrant newestEndedAgainst(String consumer, String resourceCode) {
        return ShareGrant.<ShareGrant>find("consumerDepartmentCode = ?1 and resourceCode = ?2 and (status = 'TERMINATED' "
                + "or (status = 'EXPIRED' and expiredWhileSuspended = true)) order by id desc", consumer, resourceCode)
                .firstResult();
    }

    /** Active grants on an entry (docs/catalog-exchange-contract.md §2): the catalogue asks before deregistering. */
    public long activeGrants(String resourceCode) {
        return ShareGrant.count("resourceCode = ?1 and status in ('ACTIVE', 'SUSPENDED') and validTo >= ?2",
                resourceCode, time.today());
    }

    /**
     * Suspends an ACTIVE grant (R14), recording who imposed the suspension ({@link ShareGrant#suspendedBy}). The
     * 主管部门 may also take over a suspension the provider imposed (from SUSPENDED to SUSPENDED, recorded as a
     * SUSPEND), so that the provider cannot lift what the 主管部门 requires; any other suspended grant 409.
     */
    @Transactional
    public ShareGrant suspend(Caller caller, long id, Reasoned cmd) {
        return suspend(caller, id, cmd == null ? null : new Suspension(cmd.version(), cmd.reason(), null));
    }

    /**
     * As {@link #suspend(Caller, long, Reasoned)}, optionally with a 整改期限: {@code rectificationWorkingDays}
     * (1–{@value #MAX_RECTIFICATION_WORKING_DAYS}, else 400 naming it) working days from today; a grant still suspended
     * after it is escalated to the 主管部门 ({@link DisposalDeadlines}). Without one, a suspension taken over keeps the
     * deadline it had.
     */
    @Transactional
    public ShareGrant suspend(Caller caller, long id, Suspension cmd) {
        ShareGrant g = governed(caller, id, cmd == null ? null : cmd.version(), cmd == null ? null : cmd.reason());
        Integer days = cmd.rectificationWorkingDays();
        if (days != null && (days < 1 || days > MAX_RECTIFICATION_WORKING_DAYS)) {
            throw ApiException.field("rectificationWorkingDays", "整改期限须为 1–" + MAX_RECTIFICATION_WORKING_DAYS
                    + " 个工作日 / 1 to " + MAX_RECTIFICATION_WORKING_DAYS + " working days");
        }
        Actor by = governor(caller, g);
        String suspendedBy = isProvider(by) ? BY_PROVIDER : BY_AUTHORITY;
        if (!("SUSPENDED".equals(g.status) && BY_PROVIDER.equals(g.suspendedBy) && BY_AUTHORITY.equals(suspendedBy))) {
            requireStatus(g, "ACTIVE");
        }
        g.suspendedBy = suspendedBy;
        Map<String, Object> changed = new java.util.LinkedHashMap<>();
        changed.put("suspendedBy", suspendedBy);
        String message = "授权已暂停（违规使用）/ grant suspended: ";
        if (days != null) {
            g.rectificationRequiredOn = time.today();
            g.rectificationWorkingDays = days;
            g.rectificationDue = calendar.calendar().addWorkingDays(g.rectificationRequiredOn, days);
            g.rectificationEscalated = false;
            changed.put("rectificationDue", g.rectificationDue.toString());
            message = "授权已暂停，请于 " + g.rectificationDue + " 前整改 / grant suspended, rectify by "
                    + g.rectificationDue + ": ";
        }
        return transition(g, by, "SUSPEND", "SUSPENDED", cmd.reason(), changed, message);
    }

    /**
     * Lifts a suspension: one the 主管部门 imposed only the 主管部门 (its reviewers of the grant's region, admins; the
     * provider 403), one the provider imposed the provider or the 主管部门. The grant must still be one the entry
     * allows ({@link #requireResumable}): 409 naming the field otherwise, the grant stays suspended.
     */
    @Transactional
    public ShareGrant resume(Caller caller, long id, Reasoned cmd) {
        ShareGrant g = governed(caller, id, cmd == null ? null : cmd.version(), cmd == null ? null : cmd.reason());
        requireStatus(g, "SUSPENDED");
        Actor by = governor(caller, g);
        if (isProvider(by) && !BY_PROVIDER.equals(g.suspendedBy)) {
            throw ApiException.forbidden("该暂停由主管部门作出，只能由主管部门解除 / the 主管部门 imposed this suspension: "
                    + "only the 主管部门 lifts it");
        }
        requireResumable(g);
        g.suspendedBy = null;
        clearRectification(g);
        return transition(g, by, "RESUME", "ACTIVE", cmd.reason(), Map.of(), "授权已恢复 / grant resumed: ");
    }

    /**
     * Lifting a suspension lets data flow again under the grant, so it is held to the entry as it is now, as an approval
     * is: while the grant was suspended the catalogue may have started listing purposes that do not include the
     * grant's (有条件共享, 条例 Art. 15 ¶1: 409 naming {@code purpose}) or changed its share method so that it no longer
     * covers the grant's delivery method (条例第二十二条: 409 naming {@code deliveryMethod}; a version that does so ends
     * the grant, this holds where the replica's row is ahead of its grants). Declared covert uses rest on their law, not
     * on the listed purposes; otherwise the purpose is checked as at filing. Used by {@link #resume} and by a dispute
     * ruled {@code SHARE} on a suspension ({@link DisputeService#resolve}).
     */
    static void requireResumable(ShareGrant g) {
        CatalogEntry entry = CatalogEntry.findCurrent(g.resourceCode);
        if (entry == null) {
            return;
        }
        RequestService.requirePermittedPurpose(entry, g.purpose, g.covertUsePermitted, true);
        ShareMethods.require(entry, g.deliveryMethod, true);
    }

    /**
     * Ends a grant. The provider ends only grants it decided (有条件共享, R15: with a reason, and the region's 主管部门
     * is told, as the 备案 of a stopped service); a grant issued by rule (无条件共享, 回流) is not the provider's to
     * stop: 403, stopping that sharing is a change of the catalogue entry, reviewed and filed with the 主管部门. The
     * 主管部门 ends any grant it governs (misuse not rectified, R14). The provider may state or change its disposal
     * requirement ({@link #disposal}; the 主管部门 giving one 403: the requirement is the provider's); the disposal
     * deadline starts.
     */
    @Transactional
    public ShareGrant terminate(Caller caller, long id, Termination cmd) {
        ShareGrant g = governed(caller, id, cmd == null ? null : cmd.version(), cmd == null ? null : cmd.reason());
        if (!"ACTIVE".equals(g.status) && !"SUSPENDED".equals(g.status)) {
            throw ApiException.illegalTransition("授权已终止或过期 / the grant has already ended");
        }
        Actor by = governor(caller, g);
        boolean provider = "operator".equals(by.role());
        DisposalRequirement disposal = disposal(cmd.disposalRequirement(), "disposalRequirement");
        if (disposal != null && !provider) {
            throw ApiException.forbidden("数据处置要求由提供部门提出 / the disposal requirement is the provider's to state");
        }
        if (provider) {
            refuseProviderOnGrantByRule(g, "终止", "terminate");
        }
        Map<String, Object> changed = new java.util.LinkedHashMap<>();
        if (disposal != null) {
            Map<String, Object> fromTo = new java.util.HashMap<>();
            fromTo.put("from", disposalDetail(g));
            g.disposalMethod = DisposalMethod.valueOf(disposal.method());
            g.disposalInstructions = disposal.instructions();
            fromTo.put("to", disposalDetail(g));
            changed.put("disposalRequirement", fromTo);
        }
        transition(g, by, "TERMINATE", "TERMINATED", cmd.reason(), changed, "授权已终止 / grant terminated: ");
        if (provider) {
            notices.notifyAuthorityActingIn(region(g), config.competentAuthorityDepartment(), "GRANT_TERMINATED",
                    "GRANT", g.id, "提供部门终止共享授权（备案）/ the provider terminated the grant: " + g.statusReason);
        }
        return g;
    }

    /**
     * 放弃授权 (条例第二十七条第一款, R14): the consumer department gives its grant up once the purpose is achieved, can
     * no longer be achieved or the data is no longer needed, with a reason. The grant ends (TERMINATED, history
     * RELINQUISH by the consumer), the disposal deadline starts as for any end, and the provider is told. The consumer
     * department's operators and heads; the provider's staff and reviewers 403, anyone who cannot see the grant 404.
     */
    @Transactional
    public ShareGrant relinquish(Caller caller, long id, Reasoned cmd) {
        ShareGrant g = load(id);
        if (!g.consumerDepartmentCode.equals(caller.department()) || !(caller.has("operator") || caller.has("head"))) {
            view(caller, id); // 404 for whoever does not see the grant
            throw ApiException.forbidden("只有使用部门可以放弃授权 / only the consuming department relinquishes its grant");
        }
        Versions.check(cmd == null ? null : cmd.version(), g.version);
        Texts.required(cmd.reason(), "reason", UsageRecordService.MAX_TEXT,
                "须说明放弃理由（如使用目的已实现）/ state why the grant is no longer needed");
        if (!"ACTIVE".equals(g.status) && !"SUSPENDED".equals(g.status)) {
            throw ApiException.illegalTransition("授权已终止或过期 / the grant has already ended");
        }
        transition(g, Actor.of(caller, "operator", "head"), "RELINQUISH", "TERMINATED", cmd.reason(), Map.of(),
                "已放弃授权 / grant relinquished: ");
        notices.notify(g.providerDepartmentCode, "GRANT_RELINQUISHED", "GRANT", g.id, "使用部门已放弃共享授权：" + g.statusReason
                + " / the consumer relinquished the grant: " + g.statusReason);
        return g;
    }

    /**
     * R15 (条例第十五条、第二十七条): 无条件共享 and 回流 grants are issued by rule, not by the provider's decision; the
     * provider neither stops them nor adds conditions to them on its own (403). The 主管部门 may; the provider changes
     * the catalogue entry, whose change is reviewed and filed (备案) with the 主管部门.
     */
    private static void refuseProviderOnGrantByRule(ShareGrant g, String actionZh, String action) {
        if ("无条件共享".equals(g.basis) || Regions.RETURN_FLOW_BASIS.equals(g.basis)) {
            throw ApiException.forbidden("授权依" + g.basis + "规则产生，提供部门不得自行" + actionZh + "或增设条件；停止或变更共享须"
                    + "变更目录并报主管部门审核备案 / a grant issued by rule (" + g.basis + ") is not the provider's to "
                    + action + " or to add conditions to (R15): change the catalogue entry, reviewed and filed with "
                    + "the 主管部门");
        }
    }

    /**
     * The catalogue ended sharing on the entry: it deregistered it (注销, R15) or made it 不予共享 (R1). Every grant on
     * it in force (ACTIVE or SUSPENDED) is TERMINATED with {@code reason}, recorded as an automatic decision of the
     * exchange, the consumer and the provider notified and the cached grants dropped on this replica (other replicas
     * re-read within {@link #CACHE_TTL}). The grants are locked first, so a change made at the same moment either
     * commits before and is ended here, or fails on the grant's version. Returns the grants ended.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ShareGrant> terminateAllOnEntry(String resourceCode, String reason) {
        List<ShareGrant> inForce = inForceLocked(resourceCode);
        inForce.forEach(g -> endedByCatalogue(g, reason));
        return inForce;
    }

    /** The catalogue deregistered the entry (R15): {@link #terminateAllOnEntry}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ShareGrant> terminateForDeregisteredEntry(String resourceCode, String reason) {
        return terminateAllOnEntry(resourceCode, reason);
    }

    /**
     * A new version of the entry was applied (R1, R12, R20): each grant on it in force keeps only the items the entry
     * still lists (history step CHANGE, an automatic decision, with the items from → to; the consumer notified), and
     * adds to its {@code maskedItems} those the entry masks for it now, so an item once masked never comes out clear.
     * A grant left with no item is terminated as on deregistration, and so is a grant limited to a region (回流) when
     * the version no longer says where its records belong (no region key). Locked as {@link #terminateAllOnEntry}.
     * Returns the grants changed or ended.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ShareGrant> followEntry(CatalogEntry entry) {
        CatalogItems catalogue = CatalogItems.of(entry);
        boolean regionKnown = regionKnown(entry);
        List<ShareGrant> touched = new java.util.ArrayList<>();
        for (ShareGrant g : inForceLocked(entry.resourceCode)) {
            if (g.regionScope != null && !regionKnown) {
                // R18: a grant limited to a region cannot be limited any more; it is never left delivering unfiltered
                endedWithoutRegionKey(g, entry);
                touched.add(g);
                continue;
            }
            List<String> items = Json.strings(g.items);
            List<String> kept = items.stream().filter(catalogue.codes()::contains).toList();
            List<String> removed = items.stream().filter(i -> !kept.contains(i)).toList();
            if (kept.isEmpty()) {
                endedByCatalogue(g, "目录第 " + entry.entryVersion + " 版已删除本授权的全部数据项 " + removed
                        + "，不再共享 / catalogue version " + entry.entryVersion + " removed every granted item");
                touched.add(g);
                continue;
            }
            List<String> clear = Json.strings(g.clearItems);
            List<String> keptClear = clear.stream().filter(kept::contains).toList();
            Set<String> masked = new LinkedHashSet<>(Json.strings(g.maskedItems));
            masked.addAll(catalogue.maskedOf(kept, Set.copyOf(keptClear)));
            List<String> keptMasked = masked.stream().filter(kept::contains).toList();
            Map<String, Object> changed = new java.util.LinkedHashMap<>();
            if (!removed.isEmpty()) {
                changed.put("items", Map.of("from", items, "to", kept));
            }
            if (!keptClear.equals(clear)) {
                changed.put("clearItems", Map.of("from", clear, "to", keptClear));
            }
            if (!keptMasked.equals(Json.strings(g.maskedItems))) {
                changed.put("maskedItems", Map.of("from", Json.strings(g.maskedItems), "to", keptMasked));
            }
            if (changed.isEmpty()) {
                continue;
            }
            g.items = Json.write(kept);
            g.clearItems = Json.write(keptClear);
            g.maskedItems = Json.write(keptMasked);
            g.updatedAt = time.now();
            Versions.flush(em);
            String reason = removed.isEmpty()
                    ? "目录第 " + entry.entryVersion + " 版将数据项标为敏感，授权按脱敏交付 / catalogue version "
                            + entry.entryVersion + " marked items sensitive: they are delivered masked"
                    : "目录第 " + entry.entryVersion + " 版删除了数据项 " + removed + "，授权随之缩减 / catalogue version "
                            + entry.entryVersion + " removed items " + removed + ": the grant no longer covers them";
            history.grant(g, "CHANGE", g.status, Actor.SCHEDULER).decision().automatic(true).reason(reason)
                    .detail("changed", changed).detail("entryVersion", entry.entryVersion).write();
            notices.notify(g.consumerDepartmentCode, "GRANT_CHANGED", "GRANT", g.id,
                    "授权已随目录变更 / grant changed with the catalogue: " + reason);
            forget(g);
            touched.add(g);
        }
        return touched;
    }

    /**
     * A new version of a 有条件共享 entry no longer lists a purpose the version before permitted (条例 Art. 15 ¶1: the
     * data is shared for the listed purposes): each grant in force for exactly that purpose ends as on a change of
     * the catalogue (TERMINATE, automatic, both parties told; the consumer files again for a listed purpose). Grants
     * for a purpose never listed (filed before purposes were bound, or declared covert uses resting on their law) and
     * 回流 grants are left alone. Locked as {@link #terminateAllOnEntry}; returns the grants ended.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ShareGrant> endForDroppedPurposes(CatalogEntry entry, List<String> previousPurposes) {
        List<String> now = entry.permittedPurposes == null ? List.of() : Json.strings(entry.permittedPurposes);
        List<String> dropped = previousPurposes.stream().filter(p -> !now.contains(p)).toList();
        if (!"CONDITIONAL".equals(entry.shareAttribute) || now.isEmpty() || dropped.isEmpty()) {
            return List.of();
        }
        List<ShareGrant> ended = inForceLocked(entry.resourceCode).stream()
                .filter(g -> dropped.contains(g.purpose) && !g.covertUsePermitted && !Regions.RETURN_FLOW_BASIS.equals(g.basis)).toList();
        ended.forEach(g -> endedByCatalogue(g, "目录第 " + entry.entryVersion + " 版不再列明本授权的使用用途「" + g.purpose
                + "」，不再共享；可按目录列明的用途重新申请 / catalogue version " + entry.entryVersion
                + " no longer permits this grant's purpose: file again for a listed purpose"));
        return ended;
    }

    /**
     * The entry's share method (共享方式, 条例第二十二条: the provider shares by the catalogue's method) no longer covers
     * the delivery method of grants in force on it: a version changed it ({@code from} the type of the version before),
     * or the replica learnt it for an entry replicated before it kept one ({@link ReplicaBackfill}, {@code from} null).
     * Each such grant ends as on a change of the catalogue (TERMINATE, automatic, details {@code shareMethodType}
     * from → to, the grant's {@code deliveryMethod} and the {@code allowedDeliveryMethods}; both parties told; the
     * consumer files again for a method offered now); grants whose method is still covered are left alone. An entry
     * without a type restricts nothing. Locked as {@link #terminateAllOnEntry}; returns the grants ended.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ShareGrant> endForShareMethod(String resourceCode, int entryVersion, String from, String to) {
        if (to == null) {
            return List.of();
        }
        List<String> allowed = ShareMethods.deliveryMethods(to);
        List<ShareGrant> ended = inForceLocked(resourceCode).stream()
                .filter(g -> !ShareMethods.covers(to, g.deliveryMethod)).toList();
        Map<String, Object> method = new java.util.LinkedHashMap<>();
        method.put("from", from);
        method.put("to", to);
        for (ShareGrant g : ended) {
            Map<String, Object> details = new java.util.LinkedHashMap<>();
            details.put("shareMethodType", method);
            details.put("deliveryMethod", g.deliveryMethod);
            details.put("allowedDeliveryMethods", allowed);
            details.put("entryVersion", entryVersion);
            String was = from == null ? "" : "（原为 " + from + "）";
            String methods = allowed.isEmpty() ? "无 / none" : String.join("、", allowed);
            endedByCatalogue(g, "目录第 " + entryVersion + " 版的共享方式为 " + to + was + "，已不含本授权的共享方式 "
                    + g.deliveryMethod + "，不再共享；可申请的共享方式：" + methods + " / catalogue version " + entryVersion
                    + " shares the entry by " + to + (from == null ? "" : " (was " + from + ")") + ", which no longer "
                    + "covers this grant's delivery method " + g.deliveryMethod + ": file again for one it covers",
                    details);
        }
        return ended;
    }

    /**
     * Grants limited to a region (回流) left in force on an entry whose current version already had no region key
     * when {@link #followEntry} began ending them: ended now, as that version's arrival would have (history TERMINATE,
     * automatic; both parties notified). Nothing when the entry says where its records belong, or no such grant is in
     * force any more, so running it again changes nothing. Locked as {@link #terminateAllOnEntry}; returns the grants
     * ended.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ShareGrant> endRegionLimitedWithoutRegionKey(CatalogEntry entry) {
        if (regionKnown(entry)) {
            return List.of();
        }
        List<ShareGrant> ended = inForceLocked(entry.resourceCode).stream().filter(g -> g.regionScope != null)
                .toList();
        ended.forEach(g -> endedWithoutRegionKey(g, entry));
        return ended;
    }

    /** Whether the entry's version says which region each record belongs to (R18: a region key). */
    static boolean regionKnown(CatalogEntry entry) {
        return Regions.regionKey(entry.keyItem, CatalogItems.of(entry).codes()) != null;
    }

    private void endedWithoutRegionKey(ShareGrant g, CatalogEntry entry) {
        endedByCatalogue(g, "目录第 " + entry.entryVersion + " 版已无行政区划数据项，限于本地区（" + g.regionScope
                + "）的回流授权无法再按地区交付，已终止；请重新申请 / catalogue version " + entry.entryVersion
                + " no longer says which region its records belong to: the grant limited to region "
                + g.regionScope + " was ended; file again");
    }

    private static List<ShareGrant> inForceLocked(String resourceCode) {
        return ShareGrant.<ShareGrant>find("resourceCode = ?1 and status in ('ACTIVE', 'SUSPENDED') order by id",
                resourceCode).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /** Terminates a grant in force for a change of the catalogue, telling both parties. */
    private void endedByCatalogue(ShareGrant g, String reason) {
        endedByCatalogue(g, reason, Map.of());
    }

    /** As {@link #endedByCatalogue(ShareGrant, String)}, with the history row's {@code details}. */
    private void endedByCatalogue(ShareGrant g, String reason, Map<String, Object> details) {
        transition(g, Actor.SCHEDULER, true, "TERMINATE", "TERMINATED", reason, Map.of(), details,
                "授权已终止 / grant terminated: ");
        notices.notify(g.providerDepartmentCode, "GRANT_TERMINATED", "GRANT", g.id,
                "授权已终止 / grant terminated: " + g.statusReason);
    }

    /**
     * Narrows a grant (items, period, quotas; quotas may also rise). As for {@link #terminate}: the provider changes
     * only grants it decided, and the region's 主管部门 is told; on a 无条件共享 or 回流 grant the provider may only
     * raise quotas (anything else adds a condition, 403).
     */
    @Transactional
    public ShareGrant change(Caller caller, long id, ChangeGrant cmd) {
        ShareGrant g = governed(caller, id, cmd == null ? null : cmd.version(), cmd == null ? null : cmd.reason());
        requireStatus(g, "ACTIVE");
        boolean provider = "operator".equals(governor(caller, g).role());
        if (provider && (cmd.items() != null || cmd.validTo() != null
                || (cmd.quotaPerSecond() != null && cmd.quotaPerSecond() < g.quotaPerSecond)
                || (cmd.quotaPerDay() != null && cmd.quotaPerDay() < g.quotaPerDay))) {
            refuseProviderOnGrantByRule(g, "变更", "change");
        }
        // what changed, from → to, for the history
        Map<String, Object> changed = new java.util.LinkedHashMap<>();
        if (cmd.items() != null) {
            List<String> current = Json.strings(g.items);
            if (cmd.items().isEmpty() || !current.containsAll(cmd.items())) {
                throw ApiException.field("items", "变更只能缩减数据项 / a change can only remove items");
            }
            // an item named twice is granted once, as at filing and approval (a delivery lists each item once)
            List<String> items = List.copyOf(new LinkedHashSet<>(cmd.items()));
            g.items = Json.write(items);
            List<String> clear = Json.strings(g.clearItems).stream().filter(items::contains).toList();
            changed.put("items", Map.of("from", current, "to", items));
            if (!clear.equals(Json.strings(g.clearItems))) {
                changed.put("clearItems", Map.of("from", Json.strings(g.clearItems), "to", clear));
            }
            g.clearItems = Json.write(clear);
        }
        if (cmd.validTo() != null) {
            if (cmd.validTo().isBefore(g.validFrom)) {
                throw ApiException.field("validTo", "截止日不能早于起始日 / must not precede validFrom");
            }
            if (cmd.validTo().isAfter(g.validTo)) {
                // a change only narrows: a longer period is a new request
                throw ApiException.field("validTo", "变更只能缩短使用期限，不能晚于 " + g.validTo
                        + " / a change can only shorten the period, not past " + g.validTo);
            }
            changed.put("validTo", Map.of("from", g.validTo.toString(), "to", cmd.validTo().toString()));
            g.validTo = cmd.validTo();
        }
        if (cmd.quotaPerSecond() != null) {
            if (cmd.quotaPerSecond() < 1) {
                throw Fields.QUOTA_PER_SECOND.notPositive();
            }
            changed.put("quotaPerSecond", Map.of("from", g.quotaPerSecond, "to", cmd.quotaPerSecond()));
            g.quotaPerSecond = cmd.quotaPerSecond();
        }
        if (cmd.quotaPerDay() != null) {
            if (cmd.quotaPerDay() < 1) {
                throw Fields.QUOTA_PER_DAY.notPositive();
            }
            changed.put("quotaPerDay", Map.of("from", g.quotaPerDay, "to", cmd.quotaPerDay()));
            g.quotaPerDay = cmd.quotaPerDay();
        }
        transition(g, governor(caller, g), "CHANGE", g.status, cmd.reason(), changed, "授权已变更 / grant changed: ");
        if (provider) {
            notices.notifyAuthorityActingIn(region(g), config.competentAuthorityDepartment(), "GRANT_CHANGED", "GRANT",
                    g.id, "提供部门变更共享授权（备案）/ the provider changed the grant: " + g.statusReason);
        }
        return g;
    }

    /**
     * The consumer confirms it has disposed of the data once the purpose ended (R14); the confirmation is also kept as
     * a DESTRUCTION usage record (R16).
     */
    @Transactional
    public ShareGrant confirmDisposal(Caller caller, long id, Reasoned cmd) {
        ShareGrant g = load(id);
        if (!g.consumerDepartmentCode.equals(caller.department())) {
            // whoever does not see the grant gets the 404 of an unknown id: the answer tells no one which ids exist
            view(caller, id);
            throw ApiException.forbidden("只有使用部门确认销毁 / only the consuming department confirms disposal");
        }
        Versions.check(cmd == null ? null : cmd.version(), g.version);
        if (!"TERMINATED".equals(g.status) && !"EXPIRED".equals(g.status)) {
            throw ApiException.illegalTransition("授权仍有效，不能确认销毁 / the grant is still in force");
        }
        if (g.disposalConfirmedAt != null) {
            throw ApiException.illegalTransition("已确认销毁 / disposal already confirmed");
        }
        if (!Texts.blank(cmd.reason())) {
            // the reason becomes the DESTRUCTION record's description: checked before its usage-log entry is written
            Texts.required(cmd.reason(), "reason", UsageRecordService.MAX_TEXT, null);
        }
        g.disposalConfirmedAt = time.now();
        g.disposalConfirmedBy = caller.subject();
        g.statusReason = Texts.blank(cmd.reason()) ? g.statusReason : cmd.reason();
        g.updatedAt = time.now();
        Versions.flush(em);
        boolean late = g.disposalDue != null && time.today().isAfter(g.disposalDue);
        history.grant(g, "CONFIRM_DISPOSAL", g.status, Actor.of(caller, "operator")).reason(cmd.reason())
                .detail("disposalRequirement", disposalDetail(g)).detail("disposalDue", g.disposalDue)
                .detail("late", late ? true : null).write();
        usageRecords.disposalConfirmed(g, caller, cmd.reason(), method(g).label);
        purgeExports(g);
        notices.notify(g.providerDepartmentCode, "DISPOSAL_CONFIRMED", "GRANT", g.id, "使用部门已确认数据处置（"
                + method(g).label + "）" + (late ? "，逾期 " + g.disposalDue + " 后确认" : "")
                + " / the consumer confirmed the disposal" + (late ? " after its due day " + g.disposalDue : ""));
        if (g.disposalEscalated) {
            // the 主管部门 was told it was overdue: it is told it is done
            notices.notifyAuthorityActingIn(region(g), config.competentAuthorityDepartment(), "DISPOSAL_CONFIRMED",
                    "GRANT", g.id, "逾期未确认处置的授权 #" + g.id + " 已确认处置 / the overdue disposal of grant #" + g.id
                            + " was confirmed");
        }
        forget(g);
        return g;
    }

    /**
     * The provider's disposal requirement, checked (400 naming {@code field}.method or .instructions): a known method,
     * instructions of at most {@value #MAX_DISPOSAL_INSTRUCTIONS} characters, required for OTHER. Null when none is
     * given.
     */
    public static DisposalRequirement disposal(DisposalRequirement given, String field) {
        if (given == null) {
            return null;
        }
        DisposalMethod method = DisposalMethod.of(given.method());
        if (method == null) {
            throw new Fields.Field(field + ".method", "处置方式", "the disposal method")
                    .notOneOf(Fields.DISPOSAL_METHODS);
        }
        String instructions = Texts.blank(given.instructions()) ? null : Texts.required(given.instructions(),
                field + ".instructions", MAX_DISPOSAL_INSTRUCTIONS, null);
        if (method == DisposalMethod.OTHER && instructions == null) {
            throw ApiException.field(field + ".instructions", "其他处置方式须写明处置说明 / OTHER needs instructions");
        }
        return new DisposalRequirement(method.name(), instructions);
    }

    /** The method the consumer must follow: the provider's, or deletion when it stated none. */
    public static DisposalMethod method(ShareGrant g) {
        return g.disposalMethod == null ? DisposalMethod.DELETE : g.disposalMethod;
    }

    /** The requirement for the history: method, its label, instructions, and whether the provider stated it. */
    static Map<String, Object> disposalDetail(ShareGrant g) {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("method", method(g).name());
        d.put("label", method(g).label);
        d.put("instructions", g.disposalInstructions);
        d.put("stated", g.disposalMethod != null);
        return d;
    }

    private static boolean ended(String status) {
        return "TERMINATED".equals(status) || "EXPIRED".equals(status);
    }

    /**
     * The grant ended today: its disposal is due {@code exchange.disposal.working-days} working days on (R14), counted
     * in the calendar in use and again when it changes ({@link DeadlineRecount}). A suspension's 整改期限 ends with it.
     */
    private void startDisposal(ShareGrant g) {
        g.disposalStartedOn = time.today();
        g.disposalWorkingDays = config.disposal().workingDays();
        g.disposalDue = calendar.calendar().addWorkingDays(g.disposalStartedOn, g.disposalWorkingDays);
        g.disposalReminded = false;
        g.disposalEscalated = false;
        clearRectification(g);
    }

    /**
     * The 主管部门 decided dispute {@code disputeId} about the grant (R17). A provider's suspension decided for the
     * consumer is lifted (history RESUME by the deciding reviewer, as the 主管部门 may lift a provider's suspension); a
     * termination decided either way starts the disposal deadline again from today (it did not escalate while the
     * dispute was open). Anything else is left as it is.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void disputeResolved(long disputeId, String subject, long grantId, boolean forConsumer, Actor by,
            String resolution) {
        ShareGrant g = load(grantId);
        if ("SUSPENSION".equals(subject) && forConsumer && "SUSPENDED".equals(g.status)
                && BY_PROVIDER.equals(g.suspendedBy)) {
            g.suspendedBy = null;
            clearRectification(g);
            transition(g, by, "RESUME", "ACTIVE", "争议协调结论：" + resolution, Map.of("disputeId", disputeId),
                    "授权已依争议协调结论恢复 / grant resumed by the dispute's decision: ");
        } else if ("TERMINATION".equals(subject) && "TERMINATED".equals(g.status) && g.disposalConfirmedAt == null) {
            startDisposal(g);
            g.updatedAt = time.now();
            notices.notify(g.consumerDepartmentCode, "DISPOSAL_DUE_AFTER_DISPUTE", "GRANT", g.id,
                    "争议已协调 / the dispute was decided" + disposalAsk(g));
            forget(g);
        }
    }

    /** What the consumer is asked to do, for the notice of the end. */
    private static String disposalAsk(ShareGrant g) {
        return "；请按提供部门要求处置数据（" + method(g).label + (g.disposalInstructions == null ? ""
                : "：" + g.disposalInstructions) + "），并于 " + g.disposalDue + " 前确认 / dispose of the data as the "
                + "provider requires (" + method(g).name() + ") and confirm by " + g.disposalDue;
    }

    private static void clearRectification(ShareGrant g) {
        g.rectificationRequiredOn = null;
        g.rectificationWorkingDays = null;
        g.rectificationDue = null;
        g.rectificationEscalated = false;
    }

    /** Marks grants whose period has ended as expired and asks the consumer to confirm disposal. */
    @Transactional
    public int expireEnded() {
        List<ShareGrant> ended = ShareGrant.list("status in ('ACTIVE', 'SUSPENDED') and validTo < ?1", time.today());
        for (ShareGrant g : ended) {
            String from = g.status;
            g.expiredWhileSuspended = "SUSPENDED".equals(g.status);
            g.status = "EXPIRED";
            g.statusReason = g.expiredWhileSuspended ? "暂停期间使用期限届满 / period ended while suspended"
                    : "使用期限届满 / period ended";
            g.updatedAt = time.now();
            startDisposal(g);
            history.grant(g, "EXPIRE", from, Actor.SCHEDULER).automatic(true).reason(g.statusReason)
                    .detail("validTo", g.validTo).detail("disposalDue", g.disposalDue).write();
            notices.notify(g.consumerDepartmentCode, "GRANT_EXPIRED", "GRANT", g.id,
                    "授权已到期 / the grant expired" + disposalAsk(g));
            stopWebhook(g);
            purgeExports(g);
            forget(g);
        }
        return ended.size();
    }

    @Scheduled(cron = "0 10 0 * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledExpiry() {
        expireEnded();
    }

    /**
     * The grant the consumer calls under: the named one, or else (a lookup) the one API grant of the consumer on the
     * resource whose period covers today (ACTIVE or SUSPENDED: a suspended one refuses, never a grant beside it).
     * With several in force the call does not say which purpose it serves (R12: the purpose and legal basis logged and
     * shown to the citizen are the grant's): 409 naming X-Grant-Id and listing them. With none in force, the grant
     * whose refusal says why (its period, its suspension, its delivery method): an API grant first, a suspended one
     * first, the newest. Cached for a second; state changes on this replica invalidate at once.
     */
    public GrantView forDelivery(String consumer, String resourceCode, Long grantId) {
        Long id = grantId;
        if (id == null) {
            Keyless keyless = byConsumer.get(key(consumer, resourceCode),
                    k -> QuarkusTransaction.requiringNew().call(() -> keyless(consumer, resourceCode)));
            if (keyless == null) {
                return null;
            }
            if (!keyless.choices().isEmpty()) {
                throw ambiguous(resourceCode, keyless.choices());
            }
            id = keyless.id();
        }
        // each (re-)read compares the row with its last chained terms: a row changed outside the exchange delivers
        // nothing (503, GrantEvidence.requireChained); the result is cached only when they match
        return cache.get(id, gid -> QuarkusTransaction.requiringNew().call(() -> {
            ShareGrant g = ShareGrant.findById(gid);
            if (g == null) {
                return null;
            }
            long termsSeq = evidence.requireChained(g);
            return snapshot(g, termsSeq);
        }));
    }

    private Keyless keyless(String consumer, String resourceCode) {
        List<ShareGrant> held = ShareGrant.list("consumerDepartmentCode = ?1 and resourceCode = ?2 "
                + "and status in ('ACTIVE', 'SUSPENDED') "
                // keyless calls are lookups: an API grant answers them, a grant for another method never does
                + "order by case when deliveryMethod = 'API' then 0 else 1 end, "
                + "case when status = 'SUSPENDED' then 0 else 1 end, id desc", consumer, resourceCode);
        LocalDate today = time.today();
        List<ShareGrant> inForce = held.stream().filter(g -> "API".equals(g.deliveryMethod)
                && !today.isBefore(g.validFrom) && !today.isAfter(g.validTo)).toList();
        if (inForce.size() > 1) {
            List<Map<String, Object>> choices = new java.util.ArrayList<>();
            for (ShareGrant g : inForce.stream().sorted(java.util.Comparator.comparing((ShareGrant g) -> g.id))
                    .toList()) {
                Map<String, Object> c = new java.util.LinkedHashMap<>();
                c.put("grantId", g.id);
                c.put("purpose", g.purpose);
                c.put("legalBasis", g.legalBasis);
                c.put("status", g.status);
                c.put("validFrom", g.validFrom.toString());
                c.put("validTo", g.validTo.toString());
                choices.add(c);
            }
            return new Keyless(null, List.copyOf(choices));
        }
        ShareGrant found = inForce.isEmpty() ? (held.isEmpty() ? null : held.get(0)) : inForce.get(0);
        return found == null ? null : new Keyless(found.id, List.of());
    }

    /** 409 naming X-Grant-Id: the consumer holds several grants in force on the resource and named none. */
    private static ApiException ambiguous(String resourceCode, List<Map<String, Object>> choices) {
        StringBuilder listed = new StringBuilder();
        for (Map<String, Object> c : choices) {
            listed.append(listed.length() == 0 ? "" : "; ").append('#').append(c.get("grantId")).append(' ')
                    .append(c.get("purpose"));
        }
        String detail = "本部门在该资源上有多个有效授权，请在 X-Grant-Id 中指明本次调用所依据的授权（用途）：" + listed
                + " / several grants of the department on " + resourceCode + " are in force: name the one this call "
                + "is made for (its purpose) in X-Grant-Id: " + listed;
        return new ApiException(cn.onenet.common.problem.ProblemType.CONFLICT, detail,
                List.of(new cn.onenet.common.problem.FieldError("X-Grant-Id", detail)),
                Map.of("resourceCode", resourceCode, "grants", choices), Map.of());
    }

    /** Drops the cached grant and which grant its consumer's lookups on the resource resolve to. */
    public void forget(ShareGrant g) {
        cache.remove(g.id);
        byConsumer.remove(key(g.consumerDepartmentCode, g.resourceCode));
    }

    /** A resource moved to a new code: every cached grant names the old one. */
    void codeMoved(@Observes ResourceCodeMoves.Moved moved) {
        cache.clear();
        byConsumer.clear();
    }

    private static String key(String consumer, String resourceCode) {
        return consumer + '|' + resourceCode;
    }

    static GrantView snapshot(ShareGrant g, Long termsSeq) {
        return new GrantView(g.id, g.resourceCode, g.providerDepartmentCode, g.consumerDepartmentCode,
                Set.copyOf(Json.strings(g.items)), Set.copyOf(Json.strings(g.clearItems)), g.purpose, g.legalBasis,
                g.validFrom, g.validTo, g.quotaPerSecond, g.quotaPerDay, g.status, g.version, g.basis, g.regionScope,
                g.deliveryMethod, Set.copyOf(Json.strings(g.maskedItems)),
                g.covertUsePermitted ? java.time.Period.parse(g.covertMaxPeriod) : null, termsSeq);
    }

    private ShareGrant transition(ShareGrant g, Actor by, String action, String status, String reason,
            Map<String, Object> changed, String message) {
        return transition(g, by, false, action, status, reason, changed, message);
    }

    private ShareGrant transition(ShareGrant g, Actor by, boolean automatic, String action, String status,
            String reason, Map<String, Object> changed, String message) {
        return transition(g, by, automatic, action, status, reason, changed, Map.of(), message);
    }

    private ShareGrant transition(ShareGrant g, Actor by, boolean automatic, String action, String status,
            String reason, Map<String, Object> changed, Map<String, Object> details, String message) {
        String from = g.status;
        g.status = status;
        g.statusReason = reason.trim();
        g.updatedAt = time.now();
        boolean ended = !ended(from) && ended(status);
        if (ended) {
            startDisposal(g);
        }
        Versions.flush(em);
        StateHistory.Entry row = history.grant(g, action, from, by).decision().automatic(automatic)
                .reason(g.statusReason);
        details.forEach(row::detail);
        row.detail("changed", changed.isEmpty() ? null : changed)
                .detail("disposalDue", ended ? g.disposalDue : null).write();
        notices.notify(g.consumerDepartmentCode, "GRANT_" + status, "GRANT", g.id, message + g.statusReason
                + (ended ? disposalAsk(g) : ""));
        if ("TERMINATED".equals(status) || "EXPIRED".equals(status)) {
            stopWebhook(g);
            purgeExports(g);
        }
        forget(g);
        return g;
    }

    /**
     * A grant that ended for good (TERMINATED, EXPIRED; again at the confirmed disposal) keeps no export file: the
     * stored parts (and a whole file from before parts) are deleted in the same transaction, a READY export becomes
     * PURGED (its manifest and seal kept, the record of what was delivered), one still being written FAILED.
     */
    private void purgeExports(ShareGrant g) {
        em.createNativeQuery("DELETE FROM export_part WHERE export_id IN (SELECT id FROM export_job WHERE grant_id = ?1)")
                .setParameter(1, g.id).executeUpdate();
        em.createNativeQuery("UPDATE export_job SET content = NULL, subject_hashes = NULL, lease_until = NULL, "
                + "failure = CASE WHEN status = 'PENDING' THEN ?2 ELSE failure END, "
                + "status = CASE WHEN status = 'PENDING' THEN 'FAILED' WHEN status = 'READY' THEN 'PURGED' "
                + "ELSE status END, finished_at = coalesce(finished_at, now()) "
                + "WHERE grant_id = ?1 AND (content IS NOT NULL OR status IN ('PENDING', 'READY'))")
                .setParameter(1, g.id)
                .setParameter(2, "授权已结束，导出未完成 / the grant ended before the export was written").executeUpdate();
    }

    /**
     * A grant that ended for good (TERMINATED, EXPIRED) stops its webhook in the same transaction: the subscription
     * STOPPED, its unsent events DROPPED without their copy of the provider's records, the consumer told
     * (WEBHOOK_STOPPED). No event is queued for it any more (trigger {@code webhook_fan_out}, grants in force only).
     */
    private void stopWebhook(ShareGrant g) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("SELECT id FROM webhook_subscription WHERE grant_id = ?1 "
                + "AND status <> 'STOPPED' FOR UPDATE").setParameter(1, g.id).getResultList();
        for (Number id : ids) {
            String reason = "授权已" + ("EXPIRED".equals(g.status) ? "到期" : "终止") + "，webhook 推送已停止 / the grant "
                    + ("EXPIRED".equals(g.status) ? "expired" : "was terminated") + ": webhook deliveries stopped";
            em.createNativeQuery("UPDATE webhook_subscription SET status = 'STOPPED', status_reason = ?1, "
                    + "lease_until = NULL, updated_at = now() WHERE id = ?2").setParameter(1, reason)
                    .setParameter(2, id.longValue()).executeUpdate();
            em.createNativeQuery("UPDATE webhook_outbox SET status = 'DROPPED', data = NULL, finished_at = now() "
                    + "WHERE subscription_id = ?1 AND status IN ('PENDING', 'GAVE_UP', 'REJECTED')")
                    .setParameter(1, id.longValue()).executeUpdate();
            notices.notify(g.consumerDepartmentCode, "WEBHOOK_STOPPED", "SUBSCRIPTION", id.longValue(), reason);
        }
    }

    /**
     * The provider (operator) or the 主管部门 (its reviewers, {@link Caller#decidesAsAuthority}) acts on a grant, always
     * with a reason (R15). The 主管部门 is that of the region of the grant's two departments, as for disputes
     * ({@link Jurisdiction}): a 主管部门 reviewer of another region gets 404, one of the consumer or the provider
     * department 403 (a party does not govern its own grant; the provider's operators do); admins and reviewers of
     * other departments 403.
     */
    private ShareGrant governed(Caller caller, long id, Integer version, String reason) {
        String onlyGovernors = "只有提供部门或主管部门可以变更授权 / only the provider or the 主管部门";
        if (!caller.has("operator")) {
            // a reviewer token without region: 403 for any grant, existing or not, as for disputes
            Jurisdiction.requireAuthority(caller, onlyGovernors);
        }
        ShareGrant g = load(id);
        boolean provider = g.providerDepartmentCode.equals(caller.department()) && caller.has("operator");
        if (!provider) {
            if (!caller.has("reviewer") && !caller.has("admin")) {
                if (g.consumerDepartmentCode.equals(caller.department())) {
                    throw ApiException.forbidden(onlyGovernors);
                }
                throw notFound(id);
            }
            Jurisdiction.requireActsOn(caller, g.consumerDepartmentCode, g.providerDepartmentCode, () -> region(g),
                    onlyGovernors, "授权当事部门的主管部门人员不得变更本授权 / a party's reviewer or admin does not govern "
                            + "its own grant",
                    () -> notFound(id));
        }
        Versions.check(version, g.version);
        Texts.required(reason, "reason", UsageRecordService.MAX_TEXT, "须记录理由 / a reason must be recorded");
        return g;
    }

    /**
     * The region whose 主管部门 governs the grant: the consumer's as recorded on its request, the provider's entry
     * (also the region told of a complaint about an access under the grant, whose upholding may suspend it).
     */
    String region(ShareGrant g) {
        ShareRequest r = g.requestId == null ? null : ShareRequest.findById(g.requestId);
        return Jurisdiction.region(r == null ? null : r.consumerRegionCode, g.consumerDepartmentCode,
                g.providerDepartmentCode, g.resourceCode, config.competentAuthorityDepartment());
    }

    private static boolean isProvider(Actor by) {
        return "operator".equals(by.role());
    }

    /** The role a governing change is accepted under: the provider's operator, else the 主管部门's reviewer/admin. */
    private static Actor governor(Caller caller, ShareGrant g) {
        if (g.providerDepartmentCode.equals(caller.department()) && caller.has("operator")) {
            return Actor.of(caller, "operator");
        }
        return Actor.of(caller, "reviewer", "admin");
    }

    private static void requireStatus(ShareGrant g, String status) {
        if (!status.equals(g.status)) {
            throw ApiException.illegalTransition("授权" + StatusLabels.grant(g.status) + " / the grant is " + g.status);
        }
    }

    private ShareGrant load(long id) {
        ShareGrant g = ShareGrant.findById(id);
        if (g == null) {
            throw notFound(id);
        }
        return g;
    }

    private static ApiException notFound(long id) {
        return ApiException.notFound("没有该授权 / no grant " + id);
    }
}
