package cn.onenet.catalog.service;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.databind.JsonNode;

import cn.onenet.catalog.client.IdentityClient.RegisteredDepartment;
import cn.onenet.catalog.model.EntryState;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.common.workdays.WorkingDayCalendar;
import cn.onenet.report.DutyTally;

/**
 * 目录合规报告 for the 主管部门 (条例第十六条、第十七条; R5, R6), per provider department of one region, read from the
 * entries' own history ({@code entry_event}) and running timers:
 * <ul>
 * <li>submissions (报送) in the period, less those recalled (撤回报送, {@code RECALL}: no submission, no review);</li>
 * <li>reviews: the 主管部门's 2 working days from a submission to publication or return, and from a deregistration
 * request to its approval or rejection (the timer the overdue list keeps), for the reviews started in the period:
 * decided in time, late, still undecided past the due day (overdue), or running;</li>
 * <li>update duties: the department's 10 working days (15 once extended) from the legal or duty change that
 * triggered a change ({@code triggeredOn}) to its submission, for the changes triggered in the period; a return
 * or a recall reopens the duty and the later submission counts; extensions granted;</li>
 * <li>returns for correction (退回修改) in the period;</li>
 * <li>the department's published, not deregistered entries by share attribute now (条例第十四条、第十五条);</li>
 * <li>findings: its entries whose draft names the provider otherwise than the department register (refused at their
 * submission until corrected).</li>
 * </ul>
 * A row is one department code, named as the register names it, however its entries spell the name.
 * Deadlines of finished matters are counted in the calendar now in use, as the running ones are
 * ({@link DeadlineRecount}); running ones use the entry's stored {@code reviewDue} / {@code changeDue}.
 * <p>
 * A department's region is the region of its entries ({@code region_code}: the creating editor's {@code region}
 * claim, which identity-service issues from its department register; a department has one region). On request the
 * report takes in the regions below the one asked for (R33: each county and city has a 主管部门 the one above
 * supervises), by the GB/T 2260 nesting the search's region filter rolls up with: a county's entries belong to its
 * city ({@code XXXX00}) and its province ({@code XX0000}); every row then names its department's region.
 */
@ApplicationScoped
public class ComplianceReportService {

    private static final Pattern REGION = Pattern.compile("\\d{6}");
    private static final Set<String> REVIEW_ENDS = Set.of("RETURN", "PUBLISH", "DEREGISTER", "REJECT_DEREGISTRATION");
    private static final Set<EntryState> IN_REVIEW = Set.of(EntryState.SUBMITTED, EntryState.APPROVED,
            EntryState.DEREGISTER_PENDING);
    private static final Set<EntryState> CHANGING = Set.of(EntryState.CHANGE_PENDING, EntryState.RETURNED);
    /**
     * The entries of a region and of the regions inside it: the region is the entry's own, its city's or its
     * province's (the codes {@code SearchIndex.regionAndAncestors} gives the search's region filter).
     */
    private static final String WITHIN_REGION = " AND :region IN (e.region_code, left(e.region_code, 4) || '00', "
            + "left(e.region_code, 2) || '0000')";

    @Schema(description = "how one duty kept its working-day deadline")
    public record Timeliness(
            @Schema(description = "onTime + late + overdue + pending", example = "10") int total,
            @Schema(description = "done by the due day", example = "7") int onTime,
            @Schema(description = "done after the due day", example = "1") int late,
            @Schema(description = "not done and past the due day", example = "1") int overdue,
            @Schema(description = "not done, the period runs", example = "1") int pending,
            @Schema(description = "onTime / (onTime + late + overdue), 4 decimals; null when none was due",
                    example = "0.7778") Double onTimeRate,
            @Schema(description = "mean working days taken by those done, 1 decimal; null when none is done",
                    example = "1.5") Double averageWorkingDays) {
    }

    @Schema(description = "the department's published entries now, by 共享属性")
    public record ShareCounts(
            @Schema(description = "published and not deregistered", example = "20") int published,
            @Schema(description = "无条件共享", example = "12") int unconditional,
            @Schema(description = "有条件共享", example = "7") int conditional,
            @Schema(description = "不予共享", example = "1") int notShared) {
    }

    @Schema(description = "one provider department's catalogue duties")
    public record DepartmentCompliance(
            @Schema(description = "统一社会信用代码", example = "11330000002481020A") String departmentCode,
            @Schema(description = "as the department register names it (as its entries do when the register holds "
                    + "no department of the code)", example = "浙江省公安厅") String departmentName,
            @Schema(description = "the department's region (6 digits), as its entries have it", example = "330000")
            String regionCode,
            @Schema(description = "entries submitted for review (报送) in the period", example = "9") int submissions,
            @Schema(description = "the 主管部门's reviews (2 working days, R6) started in the period") Timeliness reviews,
            @Schema(description = "updates after a legal or duty change (10 working days, +5 once; R6) triggered "
                    + "in the period") Timeliness updates,
            @Schema(description = "of those updates, how many had the +5 working days", example = "1") int extensions,
            @Schema(description = "returns for correction (退回修改) in the period", example = "2") int returns,
            ShareCounts shares,
            @Schema(description = "the department's entries (not deregistered) whose draft names the provider "
                    + "otherwise than the department register: each is one of the report's providerNameFindings",
                    example = "0") int providerNameFindings) {
    }

    @Schema(description = "an entry whose draft names its provider (信息资源提供方) otherwise than the department "
            + "register names the department of its code: submitting it is refused until the editor corrects it")
    public record ProviderNameFinding(
            @Schema(example = "1042") long entryId,
            @Schema(description = "the draft's 信息资源名称", example = "户籍人口基本信息") String name,
            @Schema(example = "DRAFT") EntryState state,
            @Schema(example = "11330000002481020A") String departmentCode,
            @Schema(description = "as the draft names the provider", example = "浙江省公安厅（旧称）")
            String providerDepartmentName,
            @Schema(description = "as the department register names it; null when the register holds no "
                    + "department of the code", example = "浙江省公安厅") String registeredName,
            @Schema(description = "the entry's region (6 digits)", example = "330000") String regionCode) {
    }

    @Schema(description = "目录合规报告 of a region for a period", example = ComplianceReport.EXAMPLE)
    public record ComplianceReport(
            @Schema(description = "the region (6 digits); null: every region (admins, auditors)", example = "330000")
            String region,
            @Schema(description = "whether the departments of the regions below it are included (R33: each county "
                    + "and city has its own 主管部门)", example = "false") boolean includeSubregions,
            @Schema(example = "2026-01-01") LocalDate from,
            @Schema(example = "2026-12-31") LocalDate to,
            @Schema(description = "the day open matters are judged on (Beijing time)", example = "2026-12-06")
            LocalDate asOf,
            List<DepartmentCompliance> departments,
            @Schema(description = "entries of the region (not deregistered) whose draft names the provider otherwise "
                    + "than the department register, by department code and entry id")
            List<ProviderNameFinding> providerNameFindings) {

        public static final String EXAMPLE = "{\"region\": \"330000\", \"includeSubregions\": false, "
                + "\"from\": \"2026-01-01\", \"to\": \"2026-12-31\", \"asOf\": \"2026-12-06\", \"departments\": "
                + "[{\"departmentCode\": \"11330000002481020A\", \"departmentName\": \"浙江省公安厅\", "
                + "\"regionCode\": \"330000\", \"submissions\": 9, "
                + "\"reviews\": {\"total\": 10, \"onTime\": 7, \"late\": 1, \"overdue\": 1, \"pending\": 1, "
                + "\"onTimeRate\": 0.7778, \"averageWorkingDays\": 1.5}, "
                + "\"updates\": {\"total\": 3, \"onTime\": 2, \"late\": 1, \"overdue\": 0, \"pending\": 0, "
                + "\"onTimeRate\": 0.6667, \"averageWorkingDays\": 8.3}, \"extensions\": 1, \"returns\": 2, "
                + "\"shares\": {\"published\": 20, \"unconditional\": 12, \"conditional\": 7, \"notShared\": 1}, "
                + "\"providerNameFindings\": 1}], \"providerNameFindings\": [{\"entryId\": 1042, \"name\": "
                + "\"户籍人口基本信息\", \"state\": \"DRAFT\", \"departmentCode\": \"11330000002481020A\", "
                + "\"providerDepartmentName\": \"浙江省公安厅（旧称）\", \"registeredName\": \"浙江省公安厅\", "
                + "\"regionCode\": \"330000\"}]}";

        /** A city's report with its counties: one row of the city's, one of a county's department. */
        public static final String EXAMPLE_WITH_SUBREGIONS = "{\"region\": \"330100\", \"includeSubregions\": "
                + "true, \"from\": \"2026-01-01\", \"to\": \"2026-12-31\", \"asOf\": \"2026-12-06\", "
                + "\"departments\": [{\"departmentCode\": \"113301000024910207\", \"departmentName\": "
                + "\"杭州市公安局\", \"regionCode\": \"330100\", \"submissions\": 4, "
                + "\"reviews\": {\"total\": 4, \"onTime\": 4, \"late\": 0, \"overdue\": 0, \"pending\": 0, "
                + "\"onTimeRate\": 1.0, \"averageWorkingDays\": 1.3}, "
                + "\"updates\": {\"total\": 0, \"onTime\": 0, \"late\": 0, \"overdue\": 0, \"pending\": 0, "
                + "\"onTimeRate\": null, \"averageWorkingDays\": null}, \"extensions\": 0, \"returns\": 0, "
                + "\"shares\": {\"published\": 4, \"unconditional\": 3, \"conditional\": 1, \"notShared\": 0}, "
                + "\"providerNameFindings\": 0}, "
                + "{\"departmentCode\": \"11330106002511010H\", \"departmentName\": \"杭州市西湖区民政局\", "
                + "\"regionCode\": \"330106\", \"submissions\": 2, "
                + "\"reviews\": {\"total\": 2, \"onTime\": 1, \"late\": 0, \"overdue\": 1, \"pending\": 0, "
                + "\"onTimeRate\": 0.5, \"averageWorkingDays\": 2.0}, "
                + "\"updates\": {\"total\": 0, \"onTime\": 0, \"late\": 0, \"overdue\": 0, \"pending\": 0, "
                + "\"onTimeRate\": null, \"averageWorkingDays\": null}, \"extensions\": 0, \"returns\": 0, "
                + "\"shares\": {\"published\": 1, \"unconditional\": 1, \"conditional\": 0, \"notShared\": 0}, "
                + "\"providerNameFindings\": 0}], \"providerNameFindings\": []}";
    }

    private final EntityManager em;
    private final CalendarService calendar;
    private final Json json;
    private final DepartmentRegister departmentRegister;

    public ComplianceReportService(EntityManager em, CalendarService calendar, Json json,
            DepartmentRegister departmentRegister) {
        this.em = em;
        this.calendar = calendar;
        this.json = json;
        this.departmentRegister = departmentRegister;
    }

    /**
     * The report for the caller: admins and auditors any {@code region} (every region without one); a reviewer of
     * the region's 主管部门 ({@code competent_authority}) its own region, the default (another region 403 naming
     * {@code region}; a reviewer of another department 403 naming {@code competent_authority}; a token without region
     * 403); anyone else 403. {@code from} defaults to 1 January of {@code to}'s year, {@code to} to today; bad dates
     * or region 400 naming the field. {@code includeSubregions} ({@code true} / {@code false}, absent: false; else
     * 400 naming it) takes in the departments of the regions below the one asked for; a reviewer still asks for its
     * own region only, so a city's 主管部门 sees its counties and a county's never the city.
     */
    public ComplianceReport report(Caller caller, String fromParam, String toParam, String regionParam,
            String includeSubregionsParam) {
        boolean subregions = flag("includeSubregions", includeSubregionsParam);
        String region = regionParam == null || regionParam.isBlank() ? null : regionParam.trim();
        if (region != null && !REGION.matcher(region).matches()) {
            throw ApiException.field("region", "行政区划应为6位代码 / the region must be a 6-digit GB/T 2260 code");
        }
        if (!caller.readsEveryRegion()) {
            if (!caller.has(Caller.REVIEWER)) {
                throw ApiException.forbidden("目录合规报告供主管部门、管理员和审计人员查阅 / the catalogue compliance report is "
                        + "for the 主管部门, admins and auditors");
            }
            if (!caller.competentAuthority()) {
                throw refused("competent_authority", "目录合规报告供本级政务数据共享主管部门查阅，本部门不是主管部门 / only the "
                        + "region's competent authority reads its report: the reviewer's department is not it");
            }
            if (caller.region() == null) {
                throw ApiException.forbidden("审核人员令牌缺少行政区划 (region) / the reviewer's token has no region");
            }
            if (region == null) {
                region = caller.region();
            } else if (!region.equals(caller.region())) {
                throw refused("region", "只能查阅本行政区划 " + caller.region() + " 的目录合规报告 / a reviewer reads the "
                        + "report of its own region " + caller.region() + " only");
            }
        }
        LocalDate to = date("to", toParam, calendar.today());
        LocalDate from = date("from", fromParam, to.withDayOfYear(1));
        if (from.isAfter(to)) {
            throw ApiException.field("from", "起始日期不能晚于截止日期 / the start date must not be after the end date");
        }
        return build(region, subregions, from, to);
    }

    /** A strict switch: {@code true}, {@code false} or absent (false); anything else 400 naming it. */
    private static boolean flag(String field, String value) {
        String v = value == null ? "" : value.trim();
        if (!v.isEmpty() && !"true".equals(v) && !"false".equals(v)) {
            throw ApiException.field(field,
                    words(field) + "应为 true 或 false / " + english(field) + " must be true or false");
        }
        return "true".equals(v);
    }

    private static ApiException refused(String field, String detail) {
        return new ApiException(ProblemType.FORBIDDEN, detail, List.of(new FieldError(field, detail)), Map.of(),
                Map.of());
    }

    /** The report's query parameters in words, Chinese and English, for messages ({@code field} keeps the API name). */
    private static final Map<String, List<String>> WORDS = Map.of("from", List.of("起始日期", "start date"),
            "to", List.of("截止日期", "end date"), "includeSubregions", List.of("是否含下级行政区划", "include subregions"));

    private static String words(String field) {
        return WORDS.getOrDefault(field, List.of(field, field)).get(0);
    }

    private static String english(String field) {
        return WORDS.getOrDefault(field, List.of(field, field)).get(1);
    }

    private static LocalDate date(String field, String value, LocalDate absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            LocalDate day = LocalDate.parse(value.trim());
            if (day.getYear() < 2000 || day.getYear() > 2999) {
                throw ApiException.field(field, words(field) + "应在 2000–2999 年之间 / the " + english(field) + " must lie in 2000–2999");
            }
            return day;
        } catch (DateTimeParseException e) {
            throw ApiException.field(field, words(field) + "应为 yyyy-MM-dd 日期 / the " + english(field) + " must be a date yyyy-MM-dd");
        }
    }

    /**
     * The report of {@code region} (null: every region) for the days {@code from} to {@code to}; with
     * {@code subregions} the departments of the regions inside it too.
     */
    public ComplianceReport build(String region, boolean subregions, LocalDate from, LocalDate to) {
        LocalDate today = calendar.today();
        WorkingDayCalendar days = calendar.calendar();
        Map<String, Department> departments = new TreeMap<>();
        String inRegion = region == null ? "" : subregions ? WITHIN_REGION : " AND e.region_code = :region";

        // the history since the period began: a matter started in it has all its steps there
        Query steps = em.createNativeQuery("SELECT ev.entry_id, ev.action, ev.at, ev.changes::text, e.provider_code, "
                + "e.state, e.review_due, e.change_due, e.draft->>'providerDepartmentName', e.region_code "
                + "FROM entry_event ev "
                + "JOIN catalog_entry e ON e.id = ev.entry_id WHERE ev.at >= :start AND ev.action IN ('SUBMIT', "
                + "'RETURN', 'PUBLISH', 'REQUEST_DEREGISTRATION', 'DEREGISTER', 'REJECT_DEREGISTRATION', "
                + "'START_CHANGE', 'EXTEND_CHANGE', 'RECALL')" + inRegion + " ORDER BY ev.entry_id, ev.id")
                .setParameter("start", from.atStartOfDay(CalendarService.CHINA).toOffsetDateTime());
        Timeline timeline = null;
        for (Object[] r : rows(steps, region)) {
            long entry = ((Number) r[0]).longValue();
            if (timeline == null || timeline.entry != entry) {
                if (timeline != null) {
                    timeline.finish();
                }
                Department d = departments.computeIfAbsent((String) r[4], c -> new Department());
                d.seen((String) r[8], (String) r[9]);
                timeline = new Timeline(entry, d, EntryState.valueOf((String) r[5]), day(r[6]), day(r[7]), from, to,
                        today, days);
            }
            timeline.step((String) r[1], instant(r[2]).atZone(CalendarService.CHINA).toLocalDate(), (String) r[3]);
        }
        if (timeline != null) {
            timeline.finish();
        }

        Query published = em.createNativeQuery("SELECT e.provider_code, e.draft->>'providerDepartmentName', "
                + "e.published->>'shareAttribute', e.region_code FROM catalog_entry e WHERE e.published IS NOT NULL "
                + "AND e.state <> 'DEREGISTERED'" + inRegion);
        for (Object[] r : rows(published, region)) {
            Department d = departments.computeIfAbsent((String) r[0], c -> new Department());
            d.seen((String) r[1], (String) r[3]);
            d.published++;
            switch (String.valueOf(r[2])) {
                case "UNCONDITIONAL" -> d.unconditional++;
                case "CONDITIONAL" -> d.conditional++;
                case "NOT_SHARED" -> d.notShared++;
                default -> {
                }
            }
        }
        List<ProviderNameFinding> findings = providerNames(inRegion, region, departments);
        List<DepartmentCompliance> rows = new ArrayList<>();
        departments.forEach((code, d) -> rows.add(d.view(code)));
        return new ComplianceReport(region, subregions, from, to, today, rows, findings);
    }

    /**
     * Names each department as the register does and finds the entries whose draft names their provider otherwise
     * (saved before the name was taken from the register, or before the department was renamed): one row per
     * department code however its entries spell it, and a department with such entries only gets a row too. One
     * register lookup per department; 503 when the register does not answer.
     */
    private List<ProviderNameFinding> providerNames(String inRegion, String region,
            Map<String, Department> departments) {
        Query spellings = em.createNativeQuery("SELECT DISTINCT e.provider_code, "
                + "coalesce(e.draft->>'providerDepartmentName', '') FROM catalog_entry e "
                + "WHERE e.state <> 'DEREGISTERED'" + inRegion + " ORDER BY 1, 2");
        Map<String, Optional<RegisteredDepartment>> register = new HashMap<>();
        List<ProviderNameFinding> findings = new ArrayList<>();
        for (Object[] pair : rows(spellings, region)) {
            String code = (String) pair[0];
            String spelt = (String) pair[1];
            Optional<RegisteredDepartment> registered = register.computeIfAbsent(code, departmentRegister::registered);
            if (registered.isPresent() && registered.get().name().equals(spelt.strip())) {
                continue;
            }
            Query entries = em.createNativeQuery("SELECT e.id, e.draft->>'name', e.state, e.region_code "
                    + "FROM catalog_entry e WHERE e.state <> 'DEREGISTERED' AND e.provider_code = :code "
                    + "AND coalesce(e.draft->>'providerDepartmentName', '') = :spelt" + inRegion + " ORDER BY e.id")
                    .setParameter("code", code).setParameter("spelt", spelt);
            for (Object[] r : rows(entries, region)) {
                Department d = departments.computeIfAbsent(code, c -> new Department());
                d.seen(spelt.isEmpty() ? null : spelt, (String) r[3]);
                d.providerNameFindings++;
                findings.add(new ProviderNameFinding(((Number) r[0]).longValue(), (String) r[1],
                        EntryState.valueOf((String) r[2]), code, spelt.isEmpty() ? null : spelt,
                        registered.map(RegisteredDepartment::name).orElse(null), (String) r[3]));
            }
        }
        departments.forEach((code, d) -> d.registeredName = register
                .computeIfAbsent(code, departmentRegister::registered).map(RegisteredDepartment::name).orElse(null));
        findings.sort(Comparator.comparing(ProviderNameFinding::departmentCode)
                .thenComparingLong(ProviderNameFinding::entryId));
        return findings;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(Query q, String region) {
        if (region != null) {
            q.setParameter("region", region);
        }
        return q.getResultList();
    }

    private static LocalDate day(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof LocalDate d ? d : ((Date) o).toLocalDate();
    }

    private static Instant instant(Object o) {
        if (o instanceof Instant i) {
            return i;
        }
        return o instanceof OffsetDateTime t ? t.toInstant() : ((Timestamp) o).toInstant();
    }

    /**
     * One entry's steps in order: a review runs from a submission (or deregistration request) to the decision that
     * ends it, an update duty from its trigger to the submission that is not returned.
     */
    private final class Timeline {
        final long entry;
        final Department dept;
        final EntryState state;
        final LocalDate reviewDue;
        final LocalDate changeDue;
        final LocalDate from;
        final LocalDate to;
        final LocalDate today;
        final WorkingDayCalendar days;
        LocalDate reviewStart;
        /** The day of the submission in review (null when none is): a recall takes it back. */
        LocalDate submittedOn;
        LocalDate changeTrigger;
        LocalDate changeSubmitted;
        boolean changeExtended;

        Timeline(long entry, Department dept, EntryState state, LocalDate reviewDue, LocalDate changeDue,
                LocalDate from, LocalDate to, LocalDate today, WorkingDayCalendar days) {
            this.entry = entry;
            this.dept = dept;
            this.state = state;
            this.reviewDue = reviewDue;
            this.changeDue = changeDue;
            this.from = from;
            this.to = to;
            this.today = today;
            this.days = days;
        }

        boolean inPeriod(LocalDate day) {
            return !day.isBefore(from) && !day.isAfter(to);
        }

        void step(String action, LocalDate on, String changes) {
            if (REVIEW_ENDS.contains(action) && reviewStart != null) {
                if (inPeriod(reviewStart)) {
                    LocalDate due = days.addWorkingDays(reviewStart, CatalogService.REVIEW_PERIOD);
                    dept.reviews.done(!on.isAfter(due), days.workingDaysBetween(reviewStart, on));
                }
                reviewStart = null;
            }
            switch (action) {
                case "SUBMIT" -> {
                    if (inPeriod(on)) {
                        dept.submissions++;
                    }
                    reviewStart = on;
                    submittedOn = on;
                    changeSubmitted = changeTrigger == null ? null : on;
                }
                case "RECALL" -> {
                    // 撤回报送: the submission is taken back before any decision. It is no submission, no review,
                    // and it meets no update duty: the change period runs on until the next submission
                    if (submittedOn != null && inPeriod(submittedOn)) {
                        dept.submissions--;
                    }
                    submittedOn = null;
                    reviewStart = null;
                    changeSubmitted = null;
                }
                case "REQUEST_DEREGISTRATION" -> reviewStart = on;
                case "RETURN" -> {
                    if (inPeriod(on)) {
                        dept.returns++;
                    }
                    changeSubmitted = null;
                }
                case "PUBLISH" -> closeChange();
                case "START_CHANGE" -> {
                    JsonNode c = changes == null ? null : json.read(changes, JsonNode.class);
                    // changes started before the trigger day was kept in the history count from the step itself
                    changeTrigger = c != null && c.hasNonNull("triggeredOn")
                            ? LocalDate.parse(c.get("triggeredOn").asText()) : on;
                    changeSubmitted = null;
                    changeExtended = false;
                }
                case "EXTEND_CHANGE" -> changeExtended = true;
                default -> {
                }
            }
        }

        /** A change ended by publication: its duty was met by the submission that was not returned. */
        private void closeChange() {
            if (changeTrigger != null && changeSubmitted != null && inPeriod(changeTrigger)) {
                LocalDate due = days.addWorkingDays(changeTrigger, CatalogService.CHANGE_PERIOD
                        + (changeExtended ? CatalogService.CHANGE_EXTENSION : 0));
                dept.updates.done(!changeSubmitted.isAfter(due),
                        days.workingDaysBetween(changeTrigger, changeSubmitted));
                dept.extensions += changeExtended ? 1 : 0;
            }
            changeTrigger = null;
            changeSubmitted = null;
            changeExtended = false;
        }

        /** What is still under way at the end of the history, judged today against the entry's running timers. */
        void finish() {
            if (reviewStart != null && inPeriod(reviewStart) && IN_REVIEW.contains(state)) {
                LocalDate due = reviewDue != null ? reviewDue
                        : days.addWorkingDays(reviewStart, CatalogService.REVIEW_PERIOD);
                dept.reviews.open(today.isAfter(due));
            }
            if (changeTrigger != null && inPeriod(changeTrigger)) {
                int period = CatalogService.CHANGE_PERIOD + (changeExtended ? CatalogService.CHANGE_EXTENSION : 0);
                LocalDate due = changeDue != null ? changeDue : days.addWorkingDays(changeTrigger, period);
                if (changeSubmitted != null) {
                    // submitted and in review: the department's part is done
                    dept.updates.done(!changeSubmitted.isAfter(due),
                            days.workingDaysBetween(changeTrigger, changeSubmitted));
                } else if (CHANGING.contains(state)) {
                    dept.updates.open(today.isAfter(due));
                }
                dept.extensions += changeExtended ? 1 : 0;
            }
        }
    }

    /** Counts of one duty (the arithmetic both compliance reports share). */
    private static final class Duty extends DutyTally {

        Timeliness view() {
            return new Timeliness(total(), onTime(), late(), overdue(), pending(), onTimeRate(), averageWorkingDays());
        }
    }

    /** One provider department's counts. */
    private static final class Department {
        /** As its entries name it: shown only when the register holds no department of the code. */
        String name;
        String registeredName;
        int providerNameFindings;
        String region;
        int submissions;
        final Duty reviews = new Duty();
        final Duty updates = new Duty();
        int extensions;
        int returns;
        int published;
        int unconditional;
        int conditional;
        int notShared;

        /** The name and region of one of its entries: the first ones seen stay. */
        void seen(String n, String r) {
            if (name == null && n != null) {
                name = n;
            }
            if (region == null) {
                region = r;
            }
        }

        DepartmentCompliance view(String code) {
            return new DepartmentCompliance(code, registeredName != null ? registeredName : name, region, submissions,
                    reviews.view(), updates.view(), extensions, returns,
                    new ShareCounts(published, unconditional, conditional, notShared), providerNameFindings);
        }
    }
}
