package cn.onenet.catalog.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.node.ObjectNode;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.EntryEvent;
import cn.onenet.catalog.model.EntryState;
import cn.onenet.catalog.model.EntryVersion;
import cn.onenet.catalog.model.FeedEvent;
import cn.onenet.catalog.model.FilingStatus;
import cn.onenet.catalog.model.OpenAttribute;
import cn.onenet.catalog.service.Workflow.Assessment;
import cn.onenet.catalog.service.Workflow.ChangeFiling;
import cn.onenet.catalog.service.Workflow.ChangeTrigger;
import cn.onenet.catalog.service.Workflow.Deregistration;
import cn.onenet.catalog.service.Workflow.HeadApproval;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.common.problem.ProblemType;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;

/**
 * The catalogue's rules: editing, the review-and-publish state machine with its working-day timers, resource codes,
 * versions, and the change feed. Every step is recorded in the entry's history.
 */
@ApplicationScoped
public class CatalogService {

    /** Statutory periods in working days (条例 Art. 17). */
    public static final int CHANGE_PERIOD = 10;
    public static final int CHANGE_EXTENSION = 5;
    public static final int REVIEW_PERIOD = 2;
    /** Advisory lock key that serialises feed appends so cursor order equals commit order. */
    private static final long FEED_LOCK = 0x434154414c4f47L;
    /** Advisory lock key that serialises the R11 checks, so two claims to the same data item cannot pass together. */
    private static final long SOURCE_LOCK = 0x534f55524345L;
    /** The key space of the per-name locks of {@link #claimName} (the two-key form of the advisory lock). */
    private static final int NAME_LOCK = 0x4e414d45;

    private final EntryValidator validator;
    private final CalendarService calendar;
    private final ExchangeGrants grants;
    private final Json json;
    private final EntityManager em;
    private final DepartmentRegister departments;

    public CatalogService(EntryValidator validator, CalendarService calendar, ExchangeGrants grants, Json json,
            EntityManager em, DepartmentRegister departments) {
        this.validator = validator;
        this.calendar = calendar;
        this.grants = grants;
        this.json = json;
        this.em = em;
        this.departments = departments;
    }

    // ---------------------------------------------------------------- reading

    public CatalogEntry get(Caller caller, long id) {
        CatalogEntry e = CatalogEntry.findById(id);
        if (e == null || !visible(caller, e)) {
            throw ApiException.notFound("目录条目不存在 / no such catalogue entry");
        }
        return e;
    }

    public CatalogEntry byCode(Caller caller, String resourceCode) {
        CatalogEntry e = CatalogEntry.find("resourceCode", resourceCode).firstResult();
        if (e == null || !visible(caller, e)) {
            throw ApiException.notFound("目录条目不存在 / no such catalogue entry");
        }
        return e;
    }

    /**
     * Published (live) entries are visible to every government caller ({@link Caller#governmentCaller}); open ones to
     * everyone. Unpublished ones only
     * to those who may read the entry's drafts ({@link #mayReadDrafts}).
     */
    public boolean visible(Caller caller, CatalogEntry e) {
        if (mayReadDrafts(caller, e)) {
            return true;
        }
        if (e.published == null || e.state == EntryState.DEREGISTERED) {
            return false;
        }
        return readable(caller, content(e.published));
    }

    /**
     * A published version is visible to a caller who sees the entry now and who could read that version while it was
     * live: callers of the open view only the versions that were open, whatever the current one is.
     */
    public boolean visible(Caller caller, CatalogEntry e, EntryVersion v) {
        return visible(caller, e) && (mayReadDrafts(caller, e) || readable(caller, content(v.content)));
    }

    /**
     * Whether the caller reads the entry's draft, review state and history: the provider's editors, the reviewers of
     * the entry's region (the 主管部门 reviewing it, R5, as their work list shows it), admins and auditors.
     */
    public static boolean mayReadDrafts(Caller caller, CatalogEntry e) {
        return caller.mayReadDrafts(e.providerCode, e.regionCode);
    }

    /**
     * Whether a caller without access to drafts may read a published copy: government callers every one, everyone
     * else (anonymous callers, citizens, enterprises) the open ones.
     */
    private static boolean readable(Caller caller, EntryContent published) {
        return caller.governmentCaller() || published.openAttribute() == OpenAttribute.OPEN;
    }

    /** One page of a list, and how many items match on all pages. */
    public record Page<T>(List<T> items, long total) {
    }

    /** The drafts being edited: the states in which the R4 gate (assessments, head approval) is passed. */
    private static final List<EntryState> EDITABLE = List.of(EntryState.DRAFT, EntryState.RETURNED,
            EntryState.CHANGE_PENDING);

    /**
     * A work list, one page at a time, with the number of entries matching the filter on every page.
     *
     * @param awaitingHeadApproval only the drafts being edited that have both assessments and no head approval: what
     *        waits for the department head (R4)
     */
    public Page<CatalogEntry> list(Caller caller, EntryState state, String provider, FilingStatus changeFiling,
            boolean awaitingHeadApproval, int page, int size) {
        Paging.requireReachable(page, size);
        StringBuilder q = new StringBuilder("1=1");
        Map<String, Object> p = new java.util.HashMap<>();
        if (state != null) {
            q.append(" and state = :state");
            p.put("state", state);
        }
        if (awaitingHeadApproval) {
            q.append(" and state in :editable and secrecyAssessment is not null and piAssessment is not null"
                    + " and headApproval is null");
            p.put("editable", EDITABLE);
        }
        if (changeFiling != null) {
            // the 备案 of a change under way (cleared by publication and by an edit of the draft)
            q.append(" and changeFiling is not null and publishedVersion > 0 and state in :changing"
                    + " and function('jsonb_extract_path_text', changeFiling, 'filingAccepted') = :accepted");
            p.put("changing", List.of(EntryState.CHANGE_PENDING, EntryState.RETURNED, EntryState.SUBMITTED,
                    EntryState.APPROVED));
            p.put("accepted", String.valueOf(changeFiling == FilingStatus.ACCEPTED));
        }
        if (caller.has(Caller.REVIEWER) || caller.readsEveryRegion()) {
            if (!caller.readsEveryRegion()) {
                q.append(" and regionCode = :region");
                p.put("region", reviewRegion(caller));
            }
            if (provider != null) {
                q.append(" and providerCode = :provider");
                p.put("provider", provider);
            }
        } else if (caller.has(Caller.EDITOR) || caller.has(Caller.HEAD)) {
            // the department's own entries, for its editors and its head
            q.append(" and providerCode = :provider");
            p.put("provider", caller.department());
            if (provider != null) {
                // a provider filter still applies: another department's code finds none of theirs
                q.append(" and providerCode = :asked");
                p.put("asked", provider);
            }
        } else {
            throw ApiException.forbidden("仅编目、部门负责人、审核、管理和审计人员可浏览工作列表 / only editors, heads, "
                    + "reviewers, admins and auditors list work items");
        }
        PanacheQuery<CatalogEntry> found = CatalogEntry.find(q.toString(), Sort.by("id"), p);
        return new Page<>(found.page(page, size).list(), found.count());
    }

    /**
     * The states the 2-WD review deadline runs in (R6: reviewed <em>and published</em> within it; a deregistration
     * request is reviewed within it too).
     */
    private static final List<EntryState> UNDER_REVIEW = List.of(EntryState.SUBMITTED, EntryState.APPROVED,
            EntryState.DEREGISTER_PENDING);

    /**
     * Entries past their 2-WD review (and publication) deadline and changes past their 10(+5)-WD deadline: all of
     * them for admins and auditors, those of their own region for reviewers.
     */
    public List<CatalogEntry> overdue(Caller caller) {
        LocalDate today = calendar.today();
        String q = "((reviewDue < ?1 and state in ?2) or (changeDue < ?1 and state in ?3))";
        List<EntryState> changing = List.of(EntryState.CHANGE_PENDING, EntryState.RETURNED);
        if (caller.readsEveryRegion()) {
            return CatalogEntry.list(q + " order by id", today, UNDER_REVIEW, changing);
        }
        return CatalogEntry.list(q + " and regionCode = ?4 order by id", today, UNDER_REVIEW, changing,
                reviewRegion(caller));
    }

    /** The region whose entries a reviewer works on (R5); a reviewer without a region has none. */
    private static String reviewRegion(Caller caller) {
        if (caller.region() == null) {
            throw ApiException.forbidden("审核人员令牌缺少行政区划 / the reviewer's token has no region");
        }
        return caller.region();
    }

    public boolean overdue(CatalogEntry e) {
        LocalDate today = calendar.today();
        boolean review = e.reviewDue != null && UNDER_REVIEW.contains(e.state) && today.isAfter(e.reviewDue);
        boolean change = e.changeDue != null && today.isAfter(e.changeDue)
                && (e.state == EntryState.CHANGE_PENDING || e.state == EntryState.RETURNED);
        return review || change;
    }

    /** The published versions of an entry the caller may see (404 when the entry is not visible). */
    public List<EntryVersion> versions(Caller caller, long entryId) {
        CatalogEntry e = get(caller, entryId);
        return EntryVersion.<EntryVersion>list("entryId = ?1 order by version", entryId).stream()
                .filter(v -> visible(caller, e, v)).toList();
    }

    /** One published version; a version the caller may not see is answered like one that does not exist. */
    public EntryVersion version(Caller caller, long entryId, int version) {
        return version(caller, get(caller, entryId), version);
    }

    public List<VersionDiff.Change> diff(Caller caller, long entryId, int from, int to) {
        CatalogEntry e = get(caller, entryId);
        return VersionDiff.diff(json.tree(version(caller, e, from).content), json.tree(version(caller, e, to).content));
    }

    private EntryVersion version(Caller caller, CatalogEntry e, int version) {
        EntryVersion v = EntryVersion.find("entryId = ?1 and version = ?2", e.id, version).firstResult();
        if (v == null || !visible(caller, e, v)) {
            throw ApiException.notFound("无此版本 / no such version");
        }
        return v;
    }

    /** The version an entry's published copy is (who published it and when), or null before the first publication. */
    public EntryVersion currentVersion(CatalogEntry e) {
        return e.publishedVersion == 0 ? null
                : EntryVersion.find("entryId = ?1 and version = ?2", e.id, e.publishedVersion).firstResult();
    }

    public List<EntryEvent> history(long entryId) {
        return EntryEvent.list("entryId = ?1 order by id", entryId);
    }

    public EntryContent content(String document) {
        return json.read(document, EntryContent.class);
    }

    // ---------------------------------------------------------------- editing

    @Transactional
    public CatalogEntry create(Caller caller, EntryContent content) {
        return create(caller, content, null);
    }

    /**
     * A new draft registered on {@code registeredOn} (登记日期), or today when null: the day an entry migrated from a
     * catalogue kept before was first registered there, which the spreadsheet import takes from an admin's file
     * ({@link SpreadsheetService}, which checks the date). Its CREATE step records that the date came from the import
     * and who gave it.
     */
    @Transactional
    public CatalogEntry create(Caller caller, EntryContent content, LocalDate registeredOn) {
        return create(caller, content, registeredOn, null);
    }

    /**
     * The department an admin imports a catalogue for (代部门导入, e.g. the province migrating a department's old
     * catalogue): its 统一社会信用代码, name and region as identity-service's department register gives them.
     */
    public record OnBehalf(String department, String departmentName, String region) {
    }

    /** Where an entry comes from when an admin imports it on behalf of its department (the history's changes). */
    public static final String ON_BEHALF_SOURCE = "SPREADSHEET_IMPORT";

    /**
     * A new draft as {@link #create(Caller, EntryContent, LocalDate)}, or, with {@code onBehalf}, one an admin imports
     * for that department: its provider is that department and its region the department's, whatever the admin's own
     * are, and its CREATE step says that the admin imported it on the department's behalf.
     */
    @Transactional
    public CatalogEntry create(Caller caller, EntryContent content, LocalDate registeredOn, OnBehalf onBehalf) {
        return create(caller, content, registeredOn, onBehalf, null);
    }

    /**
     * A new draft by the department's editor as {@link #create(Caller, EntryContent)}, for a department whose
     * registered name (部门登记簿中的名称) the caller already holds and need not be looked up: the demonstration
     * catalogue, loaded at start-up with the demonstration register's departments, before identity-service answers.
     */
    @Transactional
    public CatalogEntry createForRegisteredDepartment(Caller caller, EntryContent content, String registeredName) {
        return create(caller, content, null, null, registeredName);
    }

    private CatalogEntry create(Caller caller, EntryContent content, LocalDate registeredOn, OnBehalf onBehalf,
            String registeredName) {
        if (onBehalf == null) {
            requireEditorOf(caller, null);
            check(content);
            requireEditorOf(caller, content.providerDepartmentCode());
            requireOwnRegion(caller, content.regionCode());
            content = withRegisteredName(content, registeredName != null ? registeredName
                    : registeredName(content.providerDepartmentCode()));
        } else {
            requireAdminFor(caller, onBehalf, null);
            check(content);
            requireAdminFor(caller, onBehalf, content.providerDepartmentCode());
            if (!onBehalf.region().equals(content.regionCode())) {
                throw ApiException.field("regionCode", "行政区划代码应为" + onBehalf.departmentName() + "所在行政区划 "
                        + onBehalf.region() + " / the region must be the department's own (" + onBehalf.region() + ")");
            }
            content = withRegisteredName(content, onBehalf.departmentName());
        }
        CatalogEntry e = new CatalogEntry();
        e.metadataId = UUID.randomUUID().toString();
        e.state = EntryState.DRAFT;
        apply(e, content);
        e.createdBy = caller.subject();
        e.createdAt = calendar.now();
        e.registeredOn = registeredOn == null ? LocalDate.ofInstant(e.createdAt, CalendarService.CHINA) : registeredOn;
        e.updatedBy = caller.subject();
        e.updatedAt = e.createdAt;
        e.persist();
        if (onBehalf != null) {
            Map<String, Object> changes = new LinkedHashMap<>(onBehalfChanges(onBehalf));
            String opinion = onBehalfNote(onBehalf);
            if (registeredOn != null) {
                changes.put("registeredOn", registeredOn.toString());
                changes.put("registeredOnSource", REGISTERED_ON_FROM_IMPORT);
                opinion += "；登记日期 " + registeredOn + " 由导入文件提供 / registered on " + registeredOn
                        + " as given by the file";
            }
            record(e, caller, "CREATE", null, EntryState.DRAFT, opinion, json.write(changes));
        } else if (registeredOn == null) {
            record(e, caller, "CREATE", null, EntryState.DRAFT, null, null);
        } else {
            record(e, caller, "CREATE", null, EntryState.DRAFT, "电子表格导入，登记日期 " + registeredOn
                    + " 由导入文件提供 / spreadsheet import: registered on " + registeredOn + " as given by the file",
                    json.write(Map.of("registeredOn", registeredOn.toString(), "registeredOnSource",
                            REGISTERED_ON_FROM_IMPORT)));
        }
        return e;
    }

    /** What a step done on a department's behalf names in its history: the department and the source. */
    private static Map<String, Object> onBehalfChanges(OnBehalf onBehalf) {
        return Map.of("onBehalfOf", onBehalf.department(), "onBehalfOfName", onBehalf.departmentName(), "source",
                ON_BEHALF_SOURCE);
    }

    /** The history's opinion of a step an admin's import did on a department's behalf. */
    public static String onBehalfNote(OnBehalf onBehalf) {
        return "管理员代" + onBehalf.departmentName() + "（" + onBehalf.department() + "）经电子表格导入 / imported "
                + "from a spreadsheet by an admin on behalf of " + onBehalf.departmentName() + " ("
                + onBehalf.department() + ")";
    }

    @Transactional
    public CatalogEntry update(Caller caller, long id, EntryContent content, Integer expectedVersion, String reason) {
        return update(caller, id, content, expectedVersion, reason, null);
    }

    /**
     * An edit of a draft by its department's editor, or, with {@code onBehalf}, by an admin's import for that
     * department (the draft of one of its entries, {@link #create(Caller, EntryContent, LocalDate, OnBehalf)}).
     */
    @Transactional
    public CatalogEntry update(Caller caller, long id, EntryContent content, Integer expectedVersion, String reason,
            OnBehalf onBehalf) {
        CatalogEntry e;
        if (onBehalf == null) {
            e = loadAsEditor(caller, id);
        } else {
            e = load(id);
            requireAdminFor(caller, onBehalf, e.providerCode);
        }
        checkVersion(e, expectedVersion);
        if (!e.state.editable()) {
            throw illegal(e, "编辑");
        }
        check(content);
        if (!content.providerDepartmentCode().equals(e.providerCode)) {
            throw ApiException.field("providerDepartmentCode", "不能更改提供方 / the provider cannot change");
        }
        if (!content.regionCode().equals(e.regionCode)) {
            // R5: the region decides which 主管部门 reviews the entry; it is fixed when the entry is created
            throw ApiException.field("regionCode",
                    "不能更改行政区划（决定审核的主管部门） / the region, which decides the reviewing authority, cannot change");
        }
        requireText("reason", reason);
        content = withRegisteredName(content, onBehalf != null ? onBehalf.departmentName()
                : registeredName(e.providerCode));
        boolean reclassified = !content.classification().code().equals(e.classificationCode);
        if (reclassified && e.publishedVersion > 0) {
            throw ApiException.field("classification",
                    "已发布条目的分类只能经重新分类流程变更 / a published entry changes class only by reclassification");
        }
        // a code assigned at an approval never published (the entry was returned after it) goes with its class:
        // the next approval assigns one of the new class; the code was never in the feed or the published catalogue
        String droppedCode = reclassified ? e.resourceCode : null;
        if (droppedCode != null) {
            e.resourceCode = null;
        }
        var changes = VersionDiff.diff(json.tree(e.draft), json.tree(content));
        List<String> withdrawn = List.of();
        if (!changes.isEmpty()) {
            // a 备案 covers the draft it was filed for
            e.changeFiling = null;
            withdrawn = withdrawGate(e);
        }
        apply(e, content);
        touch(e, caller);
        record(e, caller, "EDIT", e.state, e.state, reason, json.write(changes));
        if (droppedCode != null) {
            record(e, caller, "DROP_RESOURCE_CODE", e.state, e.state,
                    "分类已修改，未发布的信息资源代码 " + droppedCode + " 作废，下次审核通过时按新分类赋码 / the classification "
                            + "changed: the unpublished resource code " + droppedCode + " is void, the next approval "
                            + "assigns a code of the new class",
                    json.write(Map.of("previousResourceCode", droppedCode)));
        }
        if (!withdrawn.isEmpty()) {
            record(e, caller, "WITHDRAW_APPROVAL", e.state, e.state,
                    "草稿内容已修改，须重新评估并经部门负责人审核后报送 / the draft changed: assess it and have the head "
                            + "approve it again before submission",
                    json.write(Map.of("withdrawn", withdrawn)));
        }
        return e;
    }

    /**
     * R4 (条例 Art. 13 ¶1): the secrecy risk assessment and the personal-information impact assessment are carried out
     * on what is catalogued, and the department head then approves the catalogue (after both, see
     * {@link #recordHeadApproval}). All three are records of the draft as it stood when they were made — publication
     * clears them with the version they belonged to, and a return clears the approval. An edit that changes the
     * content (any field: the share attribute, the items and their sensitivity, but also names and abstracts, which
     * can themselves disclose what is secret or personal) leaves them covering a draft that no longer exists, so they
     * are withdrawn and the gate is passed again for the new content. An edit that changes nothing keeps them.
     *
     * @return the records withdrawn, as the view names them (none when there were none)
     */
    private static List<String> withdrawGate(CatalogEntry e) {
        List<String> withdrawn = new ArrayList<>();
        if (e.secrecyAssessment != null) {
            withdrawn.add("secrecyAssessment");
            e.secrecyAssessment = null;
        }
        if (e.piAssessment != null) {
            withdrawn.add("personalInformationAssessment");
            e.piAssessment = null;
        }
        if (e.headApproval != null) {
            withdrawn.add("headApproval");
            e.headApproval = null;
        }
        return withdrawn;
    }

    @Transactional
    public CatalogEntry attachAssessment(Caller caller, long id, String kind, Assessment a) {
        CatalogEntry e = loadAsEditor(caller, id);
        if (!e.state.editable()) {
            throw illegal(e, "附加评估");
        }
        List<FieldError> errors = new ArrayList<>();
        if (a == null || EntryValidator.blank(a.reference())) {
            errors.add(new FieldError("reference", PrintableText.missingMessage(a == null ? null : a.reference(),
                    "评估报告编号必填 / assessment reference required")));
        } else if (a.reference().length() > MAX_REFERENCE) {
            // a report number, shown in the review pages and the approval record: not a text
            errors.add(new FieldError("reference", "评估报告编号至多" + MAX_REFERENCE + "字 / at most " + MAX_REFERENCE
                    + " characters"));
        } else {
            lineError("reference", a.reference()).ifPresent(errors::add);
        }
        if (a == null || EntryValidator.blank(a.conclusion())) {
            errors.add(new FieldError("conclusion", PrintableText.missingMessage(a == null ? null : a.conclusion(),
                    "评估结论必填 / assessment conclusion required")));
        } else {
            textError("conclusion", a.conclusion()).ifPresent(errors::add);
        }
        if (a == null || a.assessedOn() == null) {
            errors.add(new FieldError("assessedOn", "评估日期必填 / assessment date required"));
        } else {
            // the head approves after the assessments and never in the future: a future date would block approval.
            // The assessments are of what is catalogued (R4): one dated before the entry existed is of no draft of it.
            registrationPeriodError(e, "assessedOn", "评估日期", "assessment date", a.assessedOn())
                    .ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        String field = switch (kind) {
            case "secrecy" -> "secrecyAssessment";
            case "personal-information" -> "personalInformationAssessment";
            default -> throw ApiException.field("kind", "评估类型应为 secrecy 或 personal-information / kind must be secrecy or personal-information");
        };
        String previous = field.equals("secrecyAssessment") ? e.secrecyAssessment : e.piAssessment;
        if (sameAssessment(previous, a)) {
            // the assessment on record, sent again (e.g. a retried request): nothing the head approved has changed
            return e;
        }
        String stored = json.write(new Assessment(a.reference(), a.conclusion(), a.assessedOn(), caller.subject(),
                calendar.now()));
        if (field.equals("secrecyAssessment")) {
            e.secrecyAssessment = stored;
        } else {
            e.piAssessment = stored;
        }
        touch(e, caller);
        record(e, caller, "ASSESSMENT_" + kind.toUpperCase().replace('-', '_'), e.state, e.state, a.conclusion(),
                null);
        if (e.headApproval != null) {
            // R4: the head approved the draft on the strength of the assessments then on record
            e.headApproval = null;
            record(e, caller, "WITHDRAW_APPROVAL", e.state, e.state,
                    "审核后重新记录了评估，须经部门负责人就新的评估重新审核后报送 / an assessment was recorded after the "
                            + "head's approval: have the head approve it again before submission",
                    json.write(Map.of("withdrawn", List.of("headApproval"), "assessment", field)));
        }
        return e;
    }

    /**
     * A date of a step on the entry (a change's trigger, an assessment) lies in the entry's life so far: not after
     * today and not before the day the entry was registered ({@link CatalogEntry#registeredOn}). The problem names the
     * field, or is empty when the date is within.
     */
    private Optional<FieldError> registrationPeriodError(CatalogEntry e, String field, String zh, String en,
            LocalDate day) {
        if (day.isAfter(calendar.today())) {
            return Optional.of(new FieldError(field, zh + "不能晚于今天（北京时间） / the " + en
                    + " cannot be in the future (Beijing time)"));
        }
        LocalDate registered = e.registeredOn;
        if (day.isBefore(registered)) {
            return Optional.of(new FieldError(field, zh + "不能早于该目录登记之日 " + registered + " / the " + en
                    + " cannot be before the entry was registered on " + registered));
        }
        return Optional.empty();
    }

    /** Whether an assessment sent is the one on record: the same report, conclusion and date. */
    private boolean sameAssessment(String recorded, Assessment sent) {
        if (recorded == null) {
            return false;
        }
        Assessment r = json.read(recorded, Assessment.class);
        return r.reference().equals(sent.reference()) && r.conclusion().equals(sent.conclusion())
                && r.assessedOn().equals(sent.assessedOn());
    }

    /** {@code registeredOnSource} of a CREATE step whose registration date the spreadsheet import gave. */
    public static final String REGISTERED_ON_FROM_IMPORT = "SPREADSHEET_IMPORT";

    /** The longest opinion a head's approval keeps. */
    static final int HEAD_OPINION_MAX = 500;

    /**
     * 部门负责人审核 (R4, 条例 Art. 13 ¶1) by the head's own account: the caller holds the role {@code head} in the
     * entry's provider department, and the approval records the head's name and account from the token, never a
     * name typed by someone else. A head does not approve a draft they wrote or assessed themselves in this round
     * (a person holding the editor's role too): someone else has to have done that work.
     *
     * <p>A caller who may not see the entry is answered 404, as {@link #get} answers them; 403 is for those who see
     * it and may not approve it. The approval is of the draft the head read: {@code expectedVersion} is the entry's
     * {@code lockVersion} then (If-Match, required), and a stale one is refused as {@link #update} refuses it. An
     * approval already on record is not replaced (409); it is withdrawn by the R4 rules only. The approval is dated
     * neither in the future nor before the later of the two assessments it rests on.
     */
    @Transactional
    public CatalogEntry recordHeadApproval(Caller caller, long id, String opinion, LocalDate approvedOn,
            Integer expectedVersion) {
        CatalogEntry e = load(id);
        if (!visible(caller, e)) {
            throw ApiException.notFound("目录条目不存在 / no such catalogue entry");
        }
        if (!caller.has(Caller.HEAD)) {
            throw ApiException.forbidden("部门负责人审核须由部门负责人本人登录办理 / only the department's head approves, "
                    + "with their own account");
        }
        if (!e.providerCode.equals(caller.department())) {
            throw ApiException.forbidden("只能审核本部门的目录 / a head approves only their own department's entries");
        }
        if (caller.name() == null) {
            // the approval names the person who gave it
            throw ApiException.forbidden("令牌缺少负责人姓名 / the token names no person");
        }
        if (!e.state.editable()) {
            throw illegal(e, "部门负责人审核");
        }
        List<FieldError> missing = missingAssessments(e);
        if (!missing.isEmpty()) {
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION,
                    "部门负责人审核前须先附保密风险评估和个人信息保护影响评估 / attach both assessments before head approval",
                    missing, Map.of(), Map.of());
        }
        if (preparedBy(e, caller.subject())) {
            throw ApiException.forbidden("部门负责人不能审核本人编制或评估的草稿 / a head does not approve a draft they "
                    + "edited or assessed themselves");
        }
        if (e.headApproval != null) {
            HeadApproval given = json.read(e.headApproval, HeadApproval.class);
            String message = "该草稿已有部门负责人审核（" + given.approver() + "，" + given.approvedOn()
                    + "），不能重复审核 / the draft's head approval is already on record";
            throw new ApiException(ProblemType.CONFLICT, message, List.of(new FieldError("headApproval", message)),
                    Map.of(), Map.of());
        }
        if (expectedVersion == null) {
            throw ApiException.field("If-Match", "须以 If-Match 提交所审核草稿的版本号 / send the version number of the "
                    + "draft you approve as If-Match");
        }
        checkVersion(e, expectedVersion);
        List<FieldError> errors = new ArrayList<>();
        if (EntryValidator.blank(opinion)) {
            errors.add(new FieldError("opinion", PrintableText.missingMessage(opinion, "审核意见必填 / opinion required")));
        } else if (opinion.length() > HEAD_OPINION_MAX) {
            errors.add(new FieldError("opinion", "审核意见最长 " + HEAD_OPINION_MAX + " 字 / at most "
                    + HEAD_OPINION_MAX + " characters"));
        } else {
            textError("opinion", opinion).ifPresent(errors::add);
        }
        LocalDate today = calendar.today();
        LocalDate date = approvedOn == null ? today : approvedOn;
        LocalDate assessed = latestAssessment(e);
        if (date.isAfter(today)) {
            errors.add(new FieldError("approvedOn", "审核日期不能晚于今天 / the approval date cannot be in the future"));
        } else if (assessed != null && date.isBefore(assessed)) {
            errors.add(new FieldError("approvedOn", "审核日期不能早于评估日期 " + assessed
                    + " / the approval cannot be dated before the assessments (" + assessed + ")"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        e.headApproval = json.write(new HeadApproval(caller.name(), opinion.trim(), date, caller.subject(),
                calendar.now()));
        // the maintainer stays the department's last editor: the head approves the content, it does not maintain it
        e.updatedAt = calendar.now();
        record(e, caller, Caller.HEAD, "HEAD_APPROVAL", e.state, e.state, opinion.trim(), null);
        return e;
    }

    /**
     * The later of the dates of the two assessments on record (their {@code assessedOn}; for a record without one, the
     * Beijing date it was recorded on), or null when neither has a date.
     */
    private LocalDate latestAssessment(CatalogEntry e) {
        LocalDate latest = null;
        for (String recorded : List.of(e.secrecyAssessment, e.piAssessment)) {
            Assessment a = json.read(recorded, Assessment.class);
            LocalDate day = a.assessedOn() != null ? a.assessedOn()
                    : a.recordedAt() != null ? a.recordedAt().atZone(CalendarService.CHINA).toLocalDate() : null;
            if (day != null && (latest == null || day.isAfter(latest))) {
                latest = day;
            }
        }
        return latest;
    }

    /** The steps that prepare the draft a head approves: writing its content and recording its assessments. */
    private static final List<String> PREPARATION = List.of("CREATE", "EDIT", "ASSESSMENT_SECRECY",
            "ASSESSMENT_PERSONAL_INFORMATION");

    /**
     * Whether the account prepared the draft under work: created or edited it, or recorded one of its assessments,
     * since the entry's last publication (or reclassification), which began the version now being prepared.
     */
    private static boolean preparedBy(CatalogEntry e, String subject) {
        EntryEvent published = EntryEvent.find("entryId = ?1 and action in ?2 order by id desc", e.id,
                List.of("PUBLISH", "RECLASSIFY")).firstResult();
        return EntryEvent.count("entryId = ?1 and actor = ?2 and action in ?3 and id > ?4", e.id, subject,
                PREPARATION, published == null ? 0L : published.id) > 0;
    }

    // ---------------------------------------------------------------- review and publication

    @Transactional
    public CatalogEntry submit(Caller caller, long id, String note) {
        return submit(caller, id, note, null);
    }

    /**
     * As {@link #submit(Caller, long, String)}, the provider named as {@code registeredName} (null: as the department
     * register names it now): the demonstration catalogue, loaded before identity-service may answer, gives the
     * demonstration register's name.
     */
    @Transactional
    public CatalogEntry submitForRegisteredDepartment(Caller caller, long id, String note, String registeredName) {
        return submit(caller, id, note, registeredName);
    }

    private CatalogEntry submit(Caller caller, long id, String note, String registeredName) {
        CatalogEntry e = loadAsEditor(caller, id);
        if (!e.state.editable()) {
            throw illegal(e, "报送审核");
        }
        requireText("opinion", note);
        List<FieldError> gate = new ArrayList<>(missingAssessments(e));
        EntryEvent withdrawal = null;
        if (e.headApproval == null) {
            withdrawal = approvalWithdrawal(e);
            gate.add(new FieldError("headApproval", withdrawal == null
                    ? "缺少部门负责人审核 / department head approval missing"
                    : "部门负责人审核已撤回，须重新审核 / the head's approval was withdrawn: it must be given again"));
        }
        if (!gate.isEmpty()) {
            // a withdrawn approval is named with the reason it was withdrawn for, which says what to do
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION, withdrawal != null ? withdrawal.opinion
                    : "报送前须完成保密和个人信息评估及部门负责人审核（条例第十三条） / assessments and head approval required before submission",
                    gate, withdrawal == null ? Map.of()
                            : Map.of("headApprovalWithdrawn", Map.of("at", withdrawal.at.toString(),
                                    "reason", withdrawal.opinion)),
                    Map.of());
        }
        EntryContent c = content(e.draft);
        check(c);
        // a draft saved before the provider's name was taken from the register (or before the department was
        // renamed) is not reviewed, nor then published, under another department's name: the editor corrects it
        withRegisteredName(c, registeredName != null ? registeredName : registeredName(e.providerCode));
        crossEntryRules(e, c);
        EntryState from = e.state;
        e.state = EntryState.SUBMITTED;
        e.submittedAt = calendar.now();
        e.submittedBy = caller.subject();
        e.reviewDue = calendar.addWorkingDays(calendar.today(), REVIEW_PERIOD);
        return recorded(e, caller, "SUBMIT", from, note);
    }

    /**
     * 撤回报送: the department's editor takes its submission back while the 主管部门 has not acted on it yet (the entry
     * is still SUBMITTED). The entry returns to the state it was submitted from (草稿, 退回修改, or 变更中 for a change
     * of a published entry, whose change period runs on), the review timer stops, and the step is recorded. The
     * assessments and the head's approval stay: they cover the draft, which the recall does not change (an edit
     * afterwards withdraws them as any edit does). {@code expectedVersion}, when sent, is the lockVersion read (409
     * when the entry changed since).
     */
    @Transactional
    public CatalogEntry recall(Caller caller, long id, String note, Integer expectedVersion) {
        CatalogEntry e = loadAsEditor(caller, id);
        checkVersion(e, expectedVersion);
        requireState(e, EntryState.SUBMITTED, "撤回报送");
        requireText("opinion", note);
        e.state = submittedFrom(e);
        e.reviewDue = null;
        return recorded(e, caller, "RECALL", EntryState.SUBMITTED, note);
    }

    /** The state the entry's pending submission was made from, as its SUBMIT step recorded it. */
    private static EntryState submittedFrom(CatalogEntry e) {
        EntryEvent submission = EntryEvent.find("entryId = ?1 and action = ?2 order by id desc", e.id, "SUBMIT")
                .firstResult();
        if (submission != null && submission.fromState != null) {
            return EntryState.valueOf(submission.fromState);
        }
        return e.publishedVersion > 0 ? EntryState.CHANGE_PENDING : EntryState.DRAFT;
    }

    /**
     * 删除草稿: the department's editor removes a draft that was never published and is not in review (state DRAFT,
     * no published version); any other state is refused with 409 naming it. The entry is gone (404, in no list, its
     * name free again); its history stays, closed by a DISCARD step recording who removed it, when, and the entry's
     * metadata identifier, name and classification. {@code expectedVersion} is the lockVersion read (409 when stale).
     */
    @Transactional
    public void discard(Caller caller, long id, Integer expectedVersion, String reason) {
        CatalogEntry e = loadAsEditor(caller, id);
        checkVersion(e, expectedVersion);
        if (e.state != EntryState.DRAFT || e.publishedVersion > 0) {
            throw new ApiException(ProblemType.ILLEGAL_TRANSITION, "当前状态（" + e.state.label + "）不允许删除，只能删除"
                    + "从未发布的草稿 / not allowed in state " + e.state + ": only a draft never published is deleted",
                    List.of(), Map.of("state", e.state.name()), Map.of());
        }
        requireText("reason", reason);
        Map<String, Object> deleted = new java.util.LinkedHashMap<>();
        deleted.put("metadataId", e.metadataId);
        deleted.put("resourceCode", e.resourceCode);
        deleted.put("name", e.name);
        deleted.put("classificationCode", e.classificationCode);
        deleted.put("providerCode", e.providerCode);
        record(e, caller, "DISCARD", e.state, null, reason, json.write(deleted));
        e.delete();
    }

    /**
     * The history of an entry removed as a draft ({@link #discard}), for admins and auditors (the accountability
     * record outlives the draft); 404 for everyone else and for an id that never was an entry.
     */
    public List<EntryEvent> discardedHistory(Caller caller, long id) {
        List<EntryEvent> events = history(id);
        if (!(caller.has(Caller.ADMIN) || caller.has(Caller.AUDITOR)) || events.isEmpty()
                || !events.get(events.size() - 1).action.equals("DISCARD")) {
            throw ApiException.notFound("目录条目不存在 / no such catalogue entry");
        }
        return events;
    }

    /**
     * The R4 withdrawal that left the entry without the head's approval, or null when the approval was never given
     * for the work under way or was cleared otherwise (a return, a publication).
     */
    private static EntryEvent approvalWithdrawal(CatalogEntry e) {
        EntryEvent last = EntryEvent.find("entryId = ?1 and action in ?2 order by id desc", e.id,
                List.of("HEAD_APPROVAL", "WITHDRAW_APPROVAL", "RETURN", "PUBLISH")).firstResult();
        return last != null && last.action.equals("WITHDRAW_APPROVAL") ? last : null;
    }

    @Transactional
    public CatalogEntry returnWithOpinion(Caller caller, long id, String opinion) {
        CatalogEntry e = loadForReview(caller, id);
        // An approved entry can still be sent back before it is published, e.g. when publication is refused
        // because another department's entry went live meanwhile as the 数源 of one of its items (R11).
        if (e.state != EntryState.SUBMITTED && e.state != EntryState.APPROVED) {
            throw illegal(e, "退回");
        }
        requireOpinion(opinion);
        EntryState from = e.state;
        e.state = EntryState.RETURNED;
        e.headApproval = null; // a revised draft goes back to the head before resubmission
        e.reviewDue = null;
        return recorded(e, caller, "RETURN", from, opinion);
    }

    @Transactional
    public CatalogEntry approve(Caller caller, long id, String opinion) {
        CatalogEntry e = loadForReview(caller, id);
        requireState(e, EntryState.SUBMITTED, "审核通过");
        requireReleasable(e, opinion, true);
        if (e.resourceCode == null) {
            e.resourceCode = nextCode(e.classificationCode);
        }
        e.state = EntryState.APPROVED;
        return recorded(e, caller, "APPROVE", EntryState.SUBMITTED, opinion);
    }

    @Transactional
    public CatalogEntry publish(Caller caller, long id, String opinion) {
        CatalogEntry e = loadForReview(caller, id);
        requireState(e, EntryState.APPROVED, "发布");
        requireReleasable(e, opinion, false);
        EntryContent before = e.published == null ? null : content(e.published);
        EntryContent after = content(e.draft);
        boolean first = e.publishedVersion == 0;
        boolean major = VersionDiff.major(before, after);
        e.publishedVersion++;
        e.versionLabel = nextLabel(e.versionLabel, major);
        e.published = e.draft;
        e.state = EntryState.PUBLISHED;
        e.reviewDue = null;
        e.changeDue = null;
        e.changeTrigger = null;
        e.changeExtended = false;
        e.secrecyAssessment = null;
        e.piAssessment = null;
        e.headApproval = null;
        e.changeFiling = null;
        touch(e, caller);
        persistVersion(e, caller, major);
        record(e, caller, "PUBLISH", EntryState.APPROVED, e.state, opinion, null);
        appendFeed(first ? "PUBLISHED" : "CHANGED", e, null);
        return e;
    }

    // ---------------------------------------------------------------- change and deregistration

    @Transactional
    public CatalogEntry startChange(Caller caller, long id, String cause, LocalDate triggeredOn) {
        CatalogEntry e = loadAsEditor(caller, id);
        requireState(e, EntryState.PUBLISHED, "发起变更");
        if (EntryValidator.blank(cause)) {
            throw ApiException.field("cause", PrintableText.missingMessage(cause, "变更原因必填 / cause required"));
        }
        requireText("cause", cause);
        LocalDate start = triggeredOn == null ? calendar.today() : triggeredOn;
        // R6 counts the 10 working days from the trigger. An event before the entry was registered (登记) is one its
        // registration and review already had to reflect, not a change of it: a date before that is a typing error or
        // a backdating that would make the change late from the start and move it out of its reporting period.
        registrationPeriodError(e, "triggeredOn", "触发日期", "trigger date", start).ifPresent(error -> {
            throw ApiException.fields(List.of(error));
        });
        e.changeTrigger = json.write(new ChangeTrigger(cause, start, caller.subject(), calendar.now()));
        e.changeDue = calendar.addWorkingDays(start, CHANGE_PERIOD);
        e.state = EntryState.CHANGE_PENDING;
        touch(e, caller);
        // the trigger day and the period it starts are kept in the history: publication clears them on the entry
        record(e, caller, "START_CHANGE", EntryState.PUBLISHED, e.state, cause,
                json.write(Map.of("triggeredOn", start.toString(), "changeDue", e.changeDue.toString())));
        return e;
    }

    @Transactional
    public CatalogEntry extendChange(Caller caller, long id, String opinion) {
        CatalogEntry e = loadForReview(caller, id);
        if (e.changeDue == null || !(e.state == EntryState.CHANGE_PENDING || e.state == EntryState.RETURNED)) {
            throw illegal(e, "延长变更期限");
        }
        if (e.changeExtended) {
            throw new ApiException(ProblemType.CONFLICT, "变更期限只能延长一次 / the change period can be extended once");
        }
        if (calendar.today().isAfter(e.changeDue)) {
            // R6: an extension extends a period still running; a change already late stays late (overdue)
            throw new ApiException(ProblemType.CONFLICT, "变更期限 " + e.changeDue + " 已过，不能延长 / the change was due on "
                    + e.changeDue + ": the period cannot be extended after it ended", List.of(),
                    Map.of("changeDue", e.changeDue.toString()), Map.of());
        }
        requireOpinion(opinion);
        e.changeDue = calendar.addWorkingDays(e.changeDue, CHANGE_EXTENSION);
        e.changeExtended = true;
        return recorded(e, caller, "EXTEND_CHANGE", e.state, opinion);
    }

    /**
     * The provider's 备案 for a change of a published entry that narrows what is shared: its consultation with the
     * departments holding grants (条例 Art. 27 ¶3). Filed while the change is under work or in review.
     */
    @Transactional
    public CatalogEntry fileChangeRecord(Caller caller, long id, String filing) {
        CatalogEntry e = loadAsEditor(caller, id);
        if (!changeUnderWay(e)) {
            throw illegal(e, "变更备案");
        }
        requireFiling(filing);
        e.changeFiling = json.write(ChangeFiling.filed(filing, caller.subject()));
        return recorded(e, caller, "FILE_CHANGE_RECORD", e.state, filing);
    }

    @Transactional
    public CatalogEntry acceptChangeFiling(Caller caller, long id, String opinion) {
        CatalogEntry e = loadForReview(caller, id);
        ChangeFiling f = changeFiling(e);
        if (!changeUnderWay(e) || f == null || f.filingAccepted()) {
            throw illegal(e, "接受变更备案");
        }
        requireText("opinion", opinion);
        e.changeFiling = json.write(f.accepted(caller.subject()));
        return recorded(e, caller, "ACCEPT_CHANGE_FILING", e.state, opinion);
    }

    private static boolean changeUnderWay(CatalogEntry e) {
        return e.published != null && switch (e.state) {
            case CHANGE_PENDING, RETURNED, SUBMITTED, APPROVED -> true;
            default -> false;
        };
    }

    /**
     * 条例 Art. 27 ¶3 for changes: a draft that narrows what the published entry shares (items removed, renamed or
     * retyped, a stricter share attribute, fewer permitted purposes) needs an accepted 备案 while other departments
     * hold active grants. Asks the exchange only for such a change, and fails closed when it cannot answer.
     */
    private void requireChangeFiling(CatalogEntry e) {
        if (e.published == null) {
            return;
        }
        List<String> narrowed = VersionDiff.narrowing(content(e.published), content(e.draft));
        if (narrowed.isEmpty()) {
            return;
        }
        ChangeFiling f = changeFiling(e);
        if (f != null && f.filingAccepted()) {
            return;
        }
        int active = grants.activeGrants(e.resourceCode);
        if (active > 0) {
            String message = "该目录有" + active + "项有效共享授权，缩减共享的变更须提供方备案并经审核接受 / " + active
                    + " active grants: a change narrowing " + String.join(", ", narrowed)
                    + " needs the provider's accepted filing";
            throw new ApiException(ProblemType.CONFLICT, message, List.of(new FieldError("changeFiling", message)),
                    Map.of("field", "changeFiling", "activeGrants", active, "narrowed", narrowed), Map.of());
        }
    }

    @Transactional
    public CatalogEntry requestDeregistration(Caller caller, long id, String reason) {
        CatalogEntry e = loadAsEditor(caller, id);
        requireState(e, EntryState.PUBLISHED, "申请注销");
        if (EntryValidator.blank(reason)) {
            throw ApiException.field("reason", PrintableText.missingMessage(reason, "注销理由必填 / reason required"));
        }
        requireText("reason", reason);
        e.deregistration = json.write(new Deregistration(reason, caller.subject(), calendar.now(), null, null, null,
                false, null, null));
        e.state = EntryState.DEREGISTER_PENDING;
        e.submittedBy = caller.subject();
        e.reviewDue = calendar.addWorkingDays(calendar.today(), REVIEW_PERIOD);
        return recorded(e, caller, "REQUEST_DEREGISTRATION", EntryState.PUBLISHED, reason);
    }

    /** The provider's 备案: its consultation with the requesters and the record filed with the 主管部门. */
    @Transactional
    public CatalogEntry fileRecord(Caller caller, long id, String filing) {
        CatalogEntry e = loadAsEditor(caller, id);
        requireState(e, EntryState.DEREGISTER_PENDING, "备案");
        requireFiling(filing);
        Deregistration d = json.read(e.deregistration, Deregistration.class);
        e.deregistration = json.write(d.withFiling(filing, caller.subject()));
        return recorded(e, caller, "FILE_RECORD", e.state, filing);
    }

    @Transactional
    public CatalogEntry acceptFiling(Caller caller, long id, String opinion) {
        CatalogEntry e = loadForReview(caller, id);
        Deregistration d = e.deregistration == null ? null : json.read(e.deregistration, Deregistration.class);
        if (e.state != EntryState.DEREGISTER_PENDING || d == null || d.filing() == null) {
            throw illegal(e, "接受备案");
        }
        requireText("opinion", opinion);
        e.deregistration = json.write(d.accepted(caller.subject()));
        return recorded(e, caller, "ACCEPT_FILING", e.state, opinion);
    }

    @Transactional
    public CatalogEntry approveDeregistration(Caller caller, long id, String opinion) {
        CatalogEntry e = loadForReview(caller, id);
        requireState(e, EntryState.DEREGISTER_PENDING, "注销");
        requireText("opinion", opinion);
        Deregistration d = json.read(e.deregistration, Deregistration.class);
        int active = grants.activeGrants(e.resourceCode);
        if (active > 0 && !d.filingAccepted()) {
            // 条例 Art. 27 ¶3: no stopping a shared service with active grants without consultation and 备案.
            throw new ApiException(ProblemType.CONFLICT,
                    "该目录仍有" + active + "项有效共享授权，须提供方备案并经审核接受后方可注销 / " + active
                            + " active grants: the provider's filing must be accepted first",
                    List.of(), Map.of("activeGrants", active), Map.of());
        }
        e.state = EntryState.DEREGISTERED;
        e.reviewDue = null;
        touch(e, caller);
        record(e, caller, "DEREGISTER", EntryState.DEREGISTER_PENDING, e.state,
                opinion == null ? "active grants: " + active : opinion, null);
        appendFeed("DEREGISTERED", e, null);
        return e;
    }

    @Transactional
    public CatalogEntry rejectDeregistration(Caller caller, long id, String opinion) {
        CatalogEntry e = loadForReview(caller, id);
        requireState(e, EntryState.DEREGISTER_PENDING, "驳回注销");
        requireOpinion(opinion);
        e.state = EntryState.PUBLISHED;
        e.deregistration = null;
        e.reviewDue = null;
        return recorded(e, caller, "REJECT_DEREGISTRATION", EntryState.DEREGISTER_PENDING, opinion);
    }

    /**
     * Reclassification: the one controlled way a published entry changes its classification and so its resource
     * code. The old code is kept in the history and announced in the feed.
     */
    @Transactional
    public CatalogEntry reclassify(Caller caller, long id, EntryContent.Classification classification,
            String opinion) {
        if (!caller.has(Caller.ADMIN)) {
            throw ApiException.forbidden("仅目录管理员可重新分类 / only admins reclassify");
        }
        CatalogEntry e = load(id);
        requireState(e, EntryState.PUBLISHED, "重新分类");
        requireOpinion(opinion);
        EntryContent current = content(e.published);
        EntryContent changed = withClassification(current, classification);
        check(changed);
        if (changed.classification().code().equals(e.classificationCode)) {
            throw ApiException.field("classification", "分类未变化 / classification unchanged");
        }
        claimName(e, changed);
        String oldCode = e.resourceCode;
        e.classificationCode = changed.classification().code();
        e.resourceCode = nextCode(e.classificationCode);
        e.draft = json.write(changed);
        e.published = e.draft;
        e.publishedVersion++;
        e.versionLabel = nextLabel(e.versionLabel, false);
        touch(e, caller);
        persistVersion(e, caller, false);
        record(e, caller, "RECLASSIFY", e.state, e.state, opinion,
                json.write(Map.of("previousResourceCode", oldCode, "resourceCode", e.resourceCode)));
        appendFeed("CHANGED", e, oldCode);
        return e;
    }

    // ---------------------------------------------------------------- feed

    public List<FeedEvent> feed(long after, int limit) {
        return FeedEvent.<FeedEvent>find("cursor > ?1 order by cursor", after).page(0, limit).list();
    }

    /** The feed's {@code entry}: the published document plus code, version and dates. */
    public ObjectNode feedEntry(CatalogEntry e, String previousCode) {
        ObjectNode node = (ObjectNode) json.tree(e.published);
        node.put("resourceCode", e.resourceCode);
        node.put("version", e.publishedVersion);
        node.put("versionLabel", e.versionLabel);
        node.put("metadataId", e.metadataId);
        node.put("catalogEntryId", e.id);
        node.put("publishDate", firstPublication(e.id));
        node.put("updatedAt", e.updatedAt.toString());
        if (previousCode != null) {
            node.put("previousResourceCode", previousCode);
        }
        return node;
    }

    private static void persistVersion(CatalogEntry e, Caller caller, boolean major) {
        EntryVersion v = new EntryVersion();
        v.entryId = e.id;
        v.version = e.publishedVersion;
        v.label = e.versionLabel;
        v.major = major;
        v.content = e.published;
        v.publishedBy = caller.subject();
        v.publishedByName = caller.name();
        v.publishedAt = e.updatedAt;
        v.persist();
    }

    private void appendFeed(String type, CatalogEntry e, String previousCode) {
        em.flush();
        em.createNativeQuery("SELECT pg_advisory_xact_lock(" + FEED_LOCK + ")").getSingleResult();
        FeedEvent f = new FeedEvent();
        f.type = type;
        f.entryId = e.id;
        f.occurredAt = Instant.now();
        f.entry = json.write(feedEntry(e, previousCode));
        f.persist();
    }

    public String firstPublication(long entryId) {
        EntryVersion first = EntryVersion.find("entryId = ?1 order by version", entryId).firstResult();
        return first == null ? null : first.publishedAt.atZone(CalendarService.CHINA).toLocalDate().toString();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Loads an entry for a reviewer's decision. R5 (条例 Art. 16): the catalogue is reviewed by the 主管部门 of the same
     * level, so the reviewer's region (the token's {@code region} claim) must be the entry's region; a reviewer
     * without a region is refused. The review is independent of the submission (four-eyes principle): the account
     * that put the entry into review never decides on it. Only the region's 主管部门 decides (the token's
     * {@code competent_authority} claim, set by identity-service for the one department its register names as the
     * region's 政务数据共享主管部门): the {@code reviewer} role alone does not make another department a reviewer of
     * the catalogue, so a reviewer of any other department decides on no entry, its own department's or another's.
     * The 主管部门's own entries are reviewed by its reviewers other than the submitter. Admins (technical
     * administrators, not the 主管部门) decide on nothing here.
     */
    private CatalogEntry loadForReview(Caller caller, long id) {
        requireReviewer(caller);
        CatalogEntry e = load(id);
        if (caller.region() == null || !caller.region().equals(e.regionCode)) {
            throw ApiException.forbidden("只能审核本级行政区划的目录（条例第十六条） / reviewers review only the entries of their own region");
        }
        if (e.submittedBy != null && e.submittedBy.equals(caller.subject())) {
            throw ApiException.forbidden("不能审核本人报送的目录，须由其他审核人员审核 / nobody reviews an entry they submitted "
                    + "themselves: another reviewer decides");
        }
        if (e.providerCode.equals(caller.department()) && !caller.competentAuthority()) {
            throw ApiException.forbidden("不能审核本部门的目录，须由主管部门审核（条例第十六条） / a department does not review its "
                    + "own entries: the competent authority does");
        }
        if (!caller.competentAuthority()) {
            throw ApiException.forbidden("目录由本级政务数据共享主管部门审核发布，本部门不是主管部门（条例第十六条） / only the "
                    + "competent authority of the region reviews and publishes other departments' entries: the "
                    + "reviewer's department is not the competent authority");
        }
        return e;
    }

    /**
     * The entry, locked, for an editor of its provider department (a provider's own steps). A caller who may not see
     * the entry (another department's unpublished draft) is answered 404 as {@link #get} answers them, so a refusal
     * does not tell that the draft exists or whose it is; 403 is for those who see it.
     */
    private CatalogEntry loadAsEditor(Caller caller, long id) {
        CatalogEntry e = load(id);
        if (!visible(caller, e)) {
            throw ApiException.notFound("目录条目不存在 / no such catalogue entry");
        }
        requireEditorOf(caller, e.providerCode);
        return e;
    }

    private CatalogEntry load(long id) {
        CatalogEntry e = CatalogEntry.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw ApiException.notFound("目录条目不存在 / no such catalogue entry");
        }
        return e;
    }

    private void check(EntryContent content) {
        List<FieldError> errors = validator.validate(content);
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
    }

    /** Rules that look at the rest of the catalogue: one 数源部门 per data item (R11); related codes exist. */
    private void crossEntryRules(CatalogEntry e, EntryContent c) {
        List<FieldError> errors = new ArrayList<>(otherSources(e, c, false).stream().map(SourceClaim::error).toList());
        List<String> related = c.relatedResourceCodes() == null ? List.of() : c.relatedResourceCodes();
        for (int i = 0; i < related.size(); i++) {
            long n = CatalogEntry.count("resourceCode = ?1 and state <> ?2", related.get(i), EntryState.DEREGISTERED);
            if (n == 0 || related.get(i).equals(e.resourceCode)) {
                errors.add(new FieldError("relatedResourceCodes[" + i + "]",
                        "关联资源代码不存在 / related resource code unknown"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
    }

    /**
     * The checks approval and publication share: an opinion, R11 against claims made while the entry was in review,
     * and the change 备案 for a change that narrows what is shared.
     */
    private void requireReleasable(CatalogEntry e, String opinion, boolean approving) {
        requireText("opinion", opinion);
        requireSoleSource(e, approving);
        requireChangeFiling(e);
    }

    /**
     * R11 again at approval and publication, for claims that went live (or, at approval, were approved) while this
     * entry was in review: refused as a conflict naming the item's field and the entry holding the claim.
     */
    private void requireSoleSource(CatalogEntry e, boolean approvedToo) {
        List<SourceClaim> claims = otherSources(e, content(e.draft), approvedToo);
        if (!claims.isEmpty()) {
            List<FieldError> errors = claims.stream().map(SourceClaim::error).toList();
            throw new ApiException(ProblemType.CONFLICT, errors.get(0).message(), errors,
                    Map.of("conflictingEntries", claims.stream().map(SourceClaim::describe).toList()), Map.of());
        }
    }

    /**
     * Other departments' claims to be the 数源部门 of the data items this content claims (R11): their live published
     * entries and, with {@code approvedToo}, their approved entries about to be published. Checked under an advisory
     * lock held to the end of the transaction, so that two claims checked at the same time see each other.
     */
    private List<SourceClaim> otherSources(CatalogEntry e, EntryContent c, boolean approvedToo) {
        List<SourceClaim> claims = new ArrayList<>();
        List<EntryContent.DataItem> items = c.itemsOrEmpty();
        boolean locked = false;
        for (int i = 0; i < items.size(); i++) {
            if (!Boolean.TRUE.equals(items.get(i).authoritativeSource())) {
                continue;
            }
            if (!locked) {
                em.createNativeQuery("SELECT pg_advisory_xact_lock(" + SOURCE_LOCK + ")").getSingleResult();
                locked = true;
            }
            String claim = "SELECT e.id, e.resource_code, e.provider_code, e.%1$s->>'providerDepartmentName', e.state, "
                    + "%2$s AS live FROM catalog_entry e, jsonb_array_elements(e.%1$s->'items') it WHERE %3$s "
                    + "AND e.provider_code <> ?1 AND " + STORED_ITEM_NAME + " = ?2 AND (it->>'authoritativeSource')::boolean";
            String sql = claim.formatted("published", "true", "e.published IS NOT NULL AND e.state <> 'DEREGISTERED'")
                    + (approvedToo ? " UNION ALL " + claim.formatted("draft", "false", "e.state = 'APPROVED'") : "")
                    + " ORDER BY live DESC, id";
            @SuppressWarnings("unchecked")
            List<Object[]> other = em.createNativeQuery(sql).setParameter(1, e.providerCode)
                    .setParameter(2, items.get(i).name().strip()).setMaxResults(1).getResultList();
            for (Object[] row : other) {
                claims.add(new SourceClaim("items[" + i + "].authoritativeSource", items.get(i).name(),
                        ((Number) row[0]).longValue(), (String) row[1], (String) row[2], (String) row[3],
                        (String) row[4], (Boolean) row[5]));
            }
        }
        return claims;
    }

    /**
     * A stored item's name as the claims compare it: without the white space around it, the ideographic space
     * (U+3000) included, which entries stored before names were stripped may still carry.
     */
    private static final String STORED_ITEM_NAME = "btrim(it->>'name', ' ' || chr(9) || chr(10) || chr(11) || chr(12) "
            + "|| chr(13) || chr(12288))";

    /** Another entry holding the 数源部门 claim to a data item (R11), and the field of the item it conflicts with. */
    private record SourceClaim(String field, String itemName, long entryId, String resourceCode, String providerCode,
            String providerName, String state, boolean live) {

        FieldError error() {
            return new FieldError(field, live
                    ? "信息项“" + itemName + "”的数源部门已是" + providerName + "（" + resourceCode
                            + "） / another department is already the authoritative source of this item"
                    : "信息项“" + itemName + "”已由" + providerName + "的条目（" + resourceCode
                            + "）申报为数源部门，该条目已审核通过待发布 / another department's approved entry claims to be "
                            + "the authoritative source of this item");
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("field", field);
            m.put("entryId", entryId);
            m.put("resourceCode", resourceCode);
            m.put("providerDepartmentCode", providerCode);
            m.put("providerDepartmentName", providerName);
            m.put("state", state);
            return m;
        }
    }

    /** 分类码 + "/" + 顺序码 (R24); the sequence is per classification code and never reused. */
    private String nextCode(String classificationCode) {
        Number n = (Number) em.createNativeQuery("INSERT INTO code_sequence (classification_code, last_value) "
                + "VALUES (?1, 1) ON CONFLICT (classification_code) DO UPDATE "
                + "SET last_value = code_sequence.last_value + 1 RETURNING last_value")
                .setParameter(1, classificationCode).getSingleResult();
        return classificationCode + "/" + String.format("%06d", n.longValue());
    }

    static String nextLabel(String label, boolean major) {
        if (label == null) {
            return "1.0";
        }
        String[] p = label.split("\\.");
        int ma = Integer.parseInt(p[0]);
        int mi = Integer.parseInt(p[1]);
        return major ? (ma + 1) + ".0" : ma + "." + (mi + 1);
    }

    private void apply(CatalogEntry e, EntryContent c) {
        claimName(e, c);
        e.draft = json.write(c);
        e.name = c.name();
        e.providerCode = c.providerDepartmentCode();
        e.regionCode = c.regionCode();
        e.classificationCode = c.classification().code();
    }

    /**
     * One current entry per department, classification and name ({@link CatalogEntry#nameKey}): the spreadsheet
     * import matches the rows of a sheet without resource codes to entries by exactly that, so a second one would make
     * every later import of it ambiguous. Checked when an entry is created, renamed or reclassified (409 naming
     * {@code name}, with the entry that has the name); a deregistered entry no longer holds its name. Checks of the
     * same name are serialised by a transaction-scoped advisory lock, so that two simultaneous creates cannot both
     * pass; the unique index of V12 backs it.
     */
    private void claimName(CatalogEntry e, EntryContent c) {
        String key = CatalogEntry.nameKey(c.name());
        String classification = c.classification().code();
        if (e.id != null && key.equals(e.nameKey) && classification.equals(e.classificationCode)) {
            return; // not renamed: an entry left a duplicate by V12 keeps its name until it is renamed
        }
        // neither statement flushes the entry being edited: that would count its lockVersion up twice in one edit
        em.createNativeQuery("SELECT pg_advisory_xact_lock(?1, hashtext(?2))").setFlushMode(FlushModeType.COMMIT)
                .setParameter(1, NAME_LOCK)
                .setParameter(2, c.providerDepartmentCode() + "|" + classification + "|" + key).getSingleResult();
        CatalogEntry holder = em.createQuery("from CatalogEntry where providerCode = ?1 and classificationCode = ?2 "
                + "and nameKey = ?3 and state <> ?4 and id <> ?5 order by id", CatalogEntry.class)
                .setFlushMode(FlushModeType.COMMIT).setParameter(1, c.providerDepartmentCode())
                .setParameter(2, classification).setParameter(3, key).setParameter(4, EntryState.DEREGISTERED)
                .setParameter(5, e.id == null ? -1L : e.id).setMaxResults(1).getResultStream().findFirst()
                .orElse(null);
        if (holder != null) {
            String message = "本部门已有同名同分类的目录条目 " + holder.id + "（" + holder.name + "） / the department "
                    + "already has an entry of this name and classification: " + holder.id;
            throw new ApiException(ProblemType.CONFLICT, message, List.of(new FieldError("name", message)),
                    Map.of("existingEntryId", holder.id), Map.of());
        }
        e.nameKey = key;
        e.duplicateOf = null;
    }

    /**
     * Ends a workflow step: the entry is marked updated by the caller and the step recorded in its history, from
     * {@code from} to the state it is in now.
     */
    private CatalogEntry recorded(CatalogEntry e, Caller caller, String action, EntryState from, String opinion) {
        touch(e, caller);
        record(e, caller, action, from, e.state, opinion, null);
        return e;
    }

    /** The change 备案 on record, or null. */
    private ChangeFiling changeFiling(CatalogEntry e) {
        return e.changeFiling == null ? null : json.read(e.changeFiling, ChangeFiling.class);
    }

    private void touch(CatalogEntry e, Caller caller) {
        e.updatedBy = caller.subject();
        e.updatedAt = calendar.now();
    }

    private void record(CatalogEntry e, Caller caller, String action, EntryState from, EntryState to,
            String opinion, String changes) {
        record(e, caller, caller.mainRole(), action, from, to, opinion, changes);
    }

    /** A step recorded under the given role (e.g. {@code head} for a head who also edits). */
    private void record(CatalogEntry e, Caller caller, String role, String action, EntryState from, EntryState to,
            String opinion, String changes) {
        if (e.id == null) {
            em.flush();
        }
        EntryEvent ev = new EntryEvent();
        ev.entryId = e.id;
        ev.action = action;
        ev.fromState = from == null ? null : from.name();
        ev.toState = to == null ? null : to.name();
        ev.actor = caller.subject();
        ev.actorName = caller.name();
        ev.actorRole = role;
        ev.opinion = opinion;
        ev.changes = changes;
        ev.at = calendar.now();
        ev.persist();
    }

    /**
     * An admin importing for a department ({@link OnBehalf}) acts on that department's entries only; nobody else acts
     * on a department's behalf.
     */
    private static void requireAdminFor(Caller caller, OnBehalf onBehalf, String providerCode) {
        if (!caller.has(Caller.ADMIN)) {
            throw ApiException.forbidden("仅管理员可代部门导入目录 / only admins import on a department's behalf");
        }
        if (providerCode != null && !providerCode.equals(onBehalf.department())) {
            throw ApiException.field("providerDepartmentCode", "提供方代码应为" + onBehalf.departmentName() + "的 "
                    + onBehalf.department() + " / the provider must be the department imported for ("
                    + onBehalf.department() + ")");
        }
    }

    private static void requireEditorOf(Caller caller, String providerCode) {
        if (!caller.has(Caller.EDITOR)) {
            throw ApiException.forbidden("仅编目人员可编辑目录 / only catalogue editors edit entries");
        }
        if (providerCode != null && !providerCode.equals(caller.department())) {
            throw ApiException.forbidden("只能编辑本部门的目录 / editors edit only their own department's entries");
        }
    }

    /**
     * R5: the region of a new entry is the region of the department creating it, the token's {@code region} claim
     * (identity-service issues it to every civil servant and department client), so that the 主管部门 of the
     * department's own level reviews it; nobody picks another region, and an entry keeps its region for good.
     */
    private static void requireOwnRegion(Caller caller, String regionCode) {
        if (caller.region() == null) {
            throw ApiException.forbidden("编目人员令牌缺少行政区划 / the editor's token has no region");
        }
        if (!caller.region().equals(regionCode)) {
            throw ApiException.field("regionCode", "行政区划代码应为本部门所在行政区划 " + caller.region()
                    + " / the region must be your department's own (" + caller.region() + ")");
        }
    }

    private static void requireReviewer(Caller caller) {
        if (!caller.has(Caller.REVIEWER)) {
            throw ApiException.forbidden("仅主管部门审核人员可审核 / only reviewers of the competent authority review");
        }
    }

    private static void requireFiling(String filing) {
        if (EntryValidator.blank(filing)) {
            throw ApiException.field("filing", PrintableText.missingMessage(filing, "备案内容必填（与使用部门协商情况） / filing text required"));
        }
        requireText("filing", filing);
    }

    private static void requireOpinion(String opinion) {
        if (EntryValidator.blank(opinion)) {
            throw ApiException.field("opinion", PrintableText.missingMessage(opinion, "审核意见必填 / opinion required"));
        }
        requireText("opinion", opinion);
    }

    /** The longest assessment reference (评估报告编号). */
    static final int MAX_REFERENCE = 100;

    /** The longest text a step records (opinions, causes, reasons, filings, conclusions): its history column's. */
    public static final int STEP_TEXT_MAX = 2000;

    private static boolean tooLong(String text) {
        return text != null && text.codePointCount(0, text.length()) > STEP_TEXT_MAX;
    }

    private static FieldError tooLongError(String field) {
        return new FieldError(field, "至多" + STEP_TEXT_MAX + "字 / at most " + STEP_TEXT_MAX + " characters");
    }

    /** 400 naming the field when an optional or required step text is longer than the history keeps. */
    private static void requireText(String field, String text) {
        textError(field, text).ifPresent(error -> {
            throw ApiException.fields(List.of(error));
        });
    }

    /**
     * A step's text is kept in the history as it was sent: one longer than the history keeps, or one holding a control
     * character or an unpaired surrogate (stored as "?"), is refused naming its field, as the entry's own texts are.
     */
    static java.util.Optional<FieldError> textError(String field, String text) {
        if (tooLong(text)) {
            return java.util.Optional.of(tooLongError(field));
        }
        String problem = text == null ? null : EntryValidator.characterProblem(text);
        return java.util.Optional.ofNullable(problem == null ? null : new FieldError(field, problem));
    }

    /**
     * A one-line text (an assessment's report number, a calendar day's name, a synonym): printable as
     * {@link #textError} asks, and without tab or line break (U+2028 and U+2029 included), which would split what is
     * shown as one value; refused naming its field.
     */
    static java.util.Optional<FieldError> lineError(String field, String text) {
        String problem = text == null ? null : EntryValidator.characterProblem(text, PrintableText.Lines.SINGLE);
        return java.util.Optional.ofNullable(problem == null ? null : new FieldError(field, problem));
    }

    private static void checkVersion(CatalogEntry e, Integer expected) {
        if (expected != null && expected != e.lockVersion) {
            throw new ApiException(ProblemType.STALE_VERSION,
                    "条目已被他人修改，请刷新后重试 / the entry changed since you read it", List.of(),
                    Map.of("currentVersion", e.lockVersion), Map.of());
        }
    }

    /** Refuses {@code action} (409 illegal transition) unless the entry is in {@code state}. */
    private static void requireState(CatalogEntry e, EntryState state, String action) {
        if (e.state != state) {
            throw illegal(e, action);
        }
    }

    private static ApiException illegal(CatalogEntry e, String action) {
        return new ApiException(ProblemType.ILLEGAL_TRANSITION,
                "当前状态（" + e.state.label + "）不允许" + action + " / not allowed in state " + e.state, List.of(),
                Map.of("state", e.state.name()), Map.of());
    }

    /** The assessments of R4 the draft does not carry yet, each named by its field as the entry view names it. */
    private static List<FieldError> missingAssessments(CatalogEntry e) {
        List<FieldError> missing = new ArrayList<>();
        if (e.secrecyAssessment == null) {
            missing.add(new FieldError("secrecyAssessment", "缺少保密风险评估 / secrecy assessment missing"));
        }
        if (e.piAssessment == null) {
            missing.add(new FieldError("personalInformationAssessment",
                    "缺少个人信息保护影响评估 / PI impact assessment missing"));
        }
        return missing;
    }

    /** The name identity-service's department register gives the active department of the code (503 when it cannot). */
    private String registeredName(String providerCode) {
        return departments.active("providerDepartmentCode", providerCode).name();
    }

    /**
     * 信息资源提供方: the provider is named as the department register names the department of the provider code, so
     * that search, the provider facet, the DCAT export and the exchange's requests all name the department the entry
     * really belongs to. A body naming another department is refused (400 naming the field, with the registered name);
     * white space around the registered name is dropped.
     */
    private static EntryContent withRegisteredName(EntryContent c, String registeredName) {
        if (!c.providerDepartmentName().strip().equals(registeredName)) {
            throw ApiException.field("providerDepartmentName", "信息资源提供方应为部门登记簿中该代码的部门名称“"
                    + registeredName + "” / the provider's name must be the registered name of the department "
                    + c.providerDepartmentCode() + ": " + registeredName);
        }
        return c.providerDepartmentName().equals(registeredName) ? c : copy(c, c.classification(), registeredName);
    }

    private static EntryContent withClassification(EntryContent c, EntryContent.Classification k) {
        return copy(c, k, c.providerDepartmentName());
    }

    private static EntryContent copy(EntryContent c, EntryContent.Classification k, String providerName) {
        return new EntryContent(k, c.name(), c.providerDepartmentCode(), providerName, c.regionCode(),
                c.summary(), c.format(), c.items(), c.keyItem(), c.shareAttribute(), c.shareConditions(),
                c.shareScope(), c.permittedPurposes(), c.notSharedReason(), c.notSharedLegalBasis(), c.shareMethod(),
                c.openAttribute(), c.openConditions(), c.updateCycle(), c.dataCategory(), c.grade(),
                c.relatedResourceCodes(), c.keywords(), c.secret());
    }
}
