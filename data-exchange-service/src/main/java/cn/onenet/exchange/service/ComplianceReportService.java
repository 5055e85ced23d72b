package cn.onenet.exchange.service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.common.workdays.WorkingDayCalendar;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.StalenessService.Freshness;
import cn.onenet.report.DutyTally;

/**
 * 合规报告 for the 主管部门 (条例第二十三条 actual times against the statutory maxima, 第三十八条第二款 supervision of the
 * providers' timeliness and data quality, 第三十九条至第四十一条 liabilities), per department of one region:
 * <ul>
 * <li>answers (R8): requests received by the provider in the period, answered by their deadline (1 working day for
 * 无条件共享, 10 for 有条件共享, an approved extension included: the {@code dueOn} the exchange already keeps), late,
 * overdue and still unanswered, or not yet due; withdrawn requests and those waiting for the requester's supplement
 * are not counted;</li>
 * <li>deliveries (R10): grants approved in the period with a 20-working-day {@code deliveryDue}, first delivered by
 * it, later, overdue undelivered (escalated, or ACTIVE past the day) or not yet due;</li>
 * <li>objections (R13, 校核): received in the period, answered within their 10 working days or later, overdue, open;</li>
 * <li>correction requests (个人信息更正补充, PIPL 第四十六条) of citizens and enterprises received by the provider in the
 * period, counted as answers are against their working-day {@code dueOn}, and how many were escalated as overdue;</li>
 * <li>complaints (投诉, R21, 条例第三十七条) received in the period against the consumer department that must explain
 * the access within 10 working days, counted the same way;</li>
 * <li>suspensions (R14) in the period of grants the department provides (by itself or by the 主管部门) and of grants it
 * holds as consumer;</li>
 * <li>its datasets stale now against their 更新周期 ({@link StalenessService}) and the share of its live catalogue
 * entries that are 有条件共享 and 不予共享 (条例第十五条; from the replica).</li>
 * </ul>
 * A region's matters are those whose 主管部门 it is, as for the reviewers' lists ({@code authority_region}; none stored:
 * the configured 主管部门's region); entries by the region of the entry (its provider's). Read by the 主管部门's
 * reviewers ({@code competent_authority}) for their own region, and by auditors and admins for any region or all;
 * on request with the regions below it (R33: each county and city has a 主管部门 the one above supervises), every row
 * naming its department's region.
 */
@ApplicationScoped
public class ComplianceReportService {

    private static final Set<String> ANSWERED = Set.of("APPROVED", "REFUSED", "GRANTED", "NOT_SHARED");
    private static final Set<String> UNANSWERED = Set.of("PENDING", RequestService.ANSWER_AWAITING_HEAD);

    @Schema(description = "timeliness of one duty against its statutory deadline")
    public record Timeliness(
            @Schema(description = "onTime + late + overdue + pending", example = "12") int total,
            @Schema(description = "done by the deadline", example = "9") int onTime,
            @Schema(description = "done after the deadline", example = "1") int late,
            @Schema(description = "not done, and the deadline has passed", example = "1") int overdue,
            @Schema(description = "not done, the deadline runs", example = "1") int pending,
            @Schema(description = "onTime / (onTime + late + overdue), 4 decimals; null when none is due",
                    example = "0.8182") Double onTimeRate,
            @Schema(description = "mean working days taken by those done (Art. 23: actual times against the "
                    + "statutory maxima), 1 decimal; null when none is done", example = "3.4") Double averageWorkingDays) {
    }

    @Schema(description = "citizens' and enterprises' requests the department answers against a working-day "
            + "deadline: those received, their timeliness (as for answers; overdue as of asOf) and those escalated")
    public record SubjectRequests(
            @Schema(description = "received in the period (a complaint the 主管部门 decided before the deadline "
                    + "without the department's explanation counts here only)", example = "3") int received,
            // the same fields as the other sections, in the same object
            @JsonUnwrapped Timeliness timeliness,
            @Schema(description = "escalated to the 主管部门 as overdue (answered since or not)", example = "2")
            int escalated) {
    }

    @Schema(description = "grant suspensions (R14) in the period")
    public record Suspensions(
            @Schema(description = "of grants the department provides, by the department itself", example = "1")
            int byProvider,
            @Schema(description = "of grants the department provides, by the 主管部门", example = "2") int byAuthority,
            @Schema(description = "of grants the department holds as consumer, by anyone", example = "0")
            int ofGrantsHeld) {
    }

    @Schema(description = "the department's live catalogue entries by share attribute (条例第十五条)")
    public record CatalogueShares(
            @Schema(example = "20") int entries,
            @Schema(description = "无条件共享", example = "12") int unconditional,
            @Schema(description = "有条件共享", example = "7") int conditional,
            @Schema(description = "不予共享", example = "1") int notShared,
            @Schema(description = "conditional / entries, 4 decimals; null without entries", example = "0.35")
            Double conditionalShare,
            @Schema(description = "notShared / entries, 4 decimals; null without entries", example = "0.05")
            Double notSharedShare) {
    }

    @Schema(description = "one department's row of the report")
    public record DepartmentCompliance(
            @Schema(example = "11330000002481020A") String departmentCode,
            @Schema(description = "from the catalogue replica; null for a department without entries",
                    example = "浙江省公安厅") String departmentName,
            @Schema(description = "the department's region (6 digits; a township's department counts for its county): "
                    + "from identity-service's department register, else its catalogue entries, else its "
                    + "统一社会信用代码; null when none says", example = "330000") String regionCode,
            @Schema(description = "answers to share requests (R8: 1 / 10 working days)") Timeliness answers,
            @Schema(description = "deliveries after approval (R10: 20 working days)") Timeliness deliveries,
            @Schema(description = "answers to objections (R13, 校核: 10 working days)") Timeliness objections,
            Suspensions suspensions,
            @Schema(description = "its datasets stale now against their declared 更新周期", example = "1")
            int staleDatasets,
            CatalogueShares catalogue,
            @Schema(description = "correction requests (个人信息更正补充, PIPL Art. 46) the department provides the data "
                    + "of, against their working-day deadline (exchange.correction.answer-working-days)")
            SubjectRequests corrections,
            @Schema(description = "complaints (投诉, R21, 条例 Art. 37) about the department's accesses as consumer, "
                    + "against its 10 working days to explain") SubjectRequests complaints) {
    }

    @Schema(description = "合规报告 of a region for a period", example = ComplianceReport.EXAMPLE)
    public record ComplianceReport(
            @Schema(description = "the region (6 digits); null: every region (auditors)", example = "330000")
            String region,
            @Schema(description = "whether the matters of the regions below it are included (R33: each county and "
                    + "city has its own 主管部门)", example = "false") boolean includeSubregions,
            @Schema(example = "2026-01-01") LocalDate from,
            @Schema(example = "2026-12-31") LocalDate to,
            @Schema(description = "the day open matters and staleness are judged on (Beijing time)",
                    example = "2026-12-06") LocalDate asOf,
            @Schema(description = "exchange.staleness.grace", example = "P3D") String staleGrace,
            List<DepartmentCompliance> departments,
            @Schema(description = "the region's datasets stale now") List<Freshness> staleDatasets) {

        public static final String EXAMPLE = "{\"region\": \"330000\", \"includeSubregions\": false, "
                + "\"from\": \"2026-01-01\", "
                + "\"to\": \"2026-12-31\", \"asOf\": \"2026-12-06\", \"staleGrace\": \"P3D\", \"departments\": "
                + "[{\"departmentCode\": \"11330000002481020A\", \"departmentName\": \"浙江省公安厅\", "
                + "\"regionCode\": \"330000\", "
                + "\"answers\": {\"total\": 12, \"onTime\": 9, \"late\": 1, \"overdue\": 1, \"pending\": 1, "
                + "\"onTimeRate\": 0.8182, \"averageWorkingDays\": 3.4}, "
                + "\"deliveries\": {\"total\": 8, \"onTime\": 7, \"late\": 1, \"overdue\": 0, \"pending\": 0, "
                + "\"onTimeRate\": 0.875, \"averageWorkingDays\": 6.5}, "
                + "\"objections\": {\"total\": 2, \"onTime\": 2, \"late\": 0, \"overdue\": 0, \"pending\": 0, "
                + "\"onTimeRate\": 1.0, \"averageWorkingDays\": 4.0}, "
                + "\"suspensions\": {\"byProvider\": 1, \"byAuthority\": 2, \"ofGrantsHeld\": 0}, "
                + "\"staleDatasets\": 1, \"catalogue\": {\"entries\": 20, \"unconditional\": 12, \"conditional\": 7, "
                + "\"notShared\": 1, \"conditionalShare\": 0.35, \"notSharedShare\": 0.05}, "
                + "\"corrections\": {\"received\": 3, \"total\": 3, \"onTime\": 1, \"late\": 1, \"overdue\": 1, "
                + "\"pending\": 0, \"onTimeRate\": 0.3333, \"averageWorkingDays\": 7.5, \"escalated\": 2}, "
                + "\"complaints\": {\"received\": 1, \"total\": 1, \"onTime\": 1, \"late\": 0, \"overdue\": 0, "
                + "\"pending\": 0, \"onTimeRate\": 1.0, \"averageWorkingDays\": 4.0, \"escalated\": 0}}], "
                + "\"staleDatasets\": [" + Freshness.EXAMPLE + "]}";
    }

    private final EntityManager em;
    private final CalendarService calendar;
    private final TimeSource time;
    private final StalenessService staleness;
    private final ExchangeConfig config;

    public ComplianceReportService(EntityManager em, CalendarService calendar, TimeSource time,
            StalenessService staleness, ExchangeConfig config) {
        this.em = em;
        this.calendar = calendar;
        this.time = time;
        this.staleness = staleness;
        this.config = config;
    }

    /**
     * The report for the caller: an auditor or admin for {@code region} (or every region without it), a reviewer of the
     * 主管部门 for its own region (the default); anyone else 403 (a reviewer of another department naming
     * {@code competent_authority}, a reviewer asking for another region naming {@code region}). {@code from} defaults
     * to 1 January of {@code to}'s year, {@code to} to today (Beijing time); bad dates 400 naming the field.
     */
    public ComplianceReport report(Caller caller, String fromParam, String toParam, String regionParam) {
        return report(caller, fromParam, toParam, regionParam, false);
    }

    /**
     * {@link #report} with {@code includeSubregions}:
     * the departments of the regions below the one asked for are included too, each row with its region. A reviewer
     * still asks for its own region only, so a city's 主管部门 sees its counties and a county's never the city.
     */
    public ComplianceReport report(Caller caller, String fromParam, String toParam, String regionParam,
            boolean subregions) {
        // reading is no decision of the 主管部门: admins read every region's matters here as auditors do (and the
        // catalogue's report), so they read the counts of them too
        boolean everyRegion = caller.has("auditor") || caller.has("admin");
        String own = null;
        if (!everyRegion) {
            if (!caller.has("reviewer")) {
                throw ApiException.forbidden("合规报告供主管部门、管理员和审计人员查阅 / the compliance report is for the "
                        + "主管部门, admins and auditors");
            }
            if (!caller.decidesAsAuthority()) {
                throw Jurisdiction.notTheAuthority("合规报告供主管部门查阅 / the compliance report is the 主管部门's");
            }
            own = Jurisdiction.reviewerListRegion(caller);
            if (own == null) {
                throw ApiException.forbidden("乡镇、村没有主管部门 / a township or village has no 主管部门");
            }
        }
        LocalDate to = date(Fields.TO, toParam, time.today());
        LocalDate from = date(Fields.FROM, fromParam, to.withDayOfYear(1));
        if (from.isAfter(to)) {
            throw Fields.FROM.error(Fields.FROM.zh() + "不能晚于" + Fields.TO.zh() + " / " + Fields.FROM.en()
                    + " must not be after " + Fields.TO.en());
        }
        String region = regionParam == null || regionParam.isBlank() ? own : StalenessService.regionParam(regionParam.trim());
        if (!everyRegion && !own.equals(region)) {
            String detail = "只能查阅本行政区划 " + own + " 的合规报告 / a reviewer reads the report of its own region "
                    + own + " only";
            throw new ApiException(ProblemType.FORBIDDEN, detail, List.of(new FieldError("region", detail)), Map.of(),
                    Map.of());
        }
        return build(region, subregions, from, to);
    }


    private static LocalDate date(Fields.Field field, String value, LocalDate absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            LocalDate day = LocalDate.parse(value.trim());
            if (!Dates.sane(day)) {
                throw field.error(Dates.OUT_OF_RANGE);
            }
            return day;
        } catch (DateTimeParseException e) {
            throw field.error(field.mustBe("yyyy-MM-dd 格式的日期", "a date yyyy-MM-dd"));
        }
    }

    /** The report of {@code region} (null: every region) for the days from {@code from} to {@code to}. */
    public ComplianceReport build(String region, LocalDate from, LocalDate to) {
        return build(region, false, from, to);
    }

    /**
     * {@link #build}, with {@code subregions} the matters of every region inside {@code region} as well: those whose
     * stored authority region lies inside it (GB/T 2260 codes nest: 330106 in 330100 in 330000), and the entries and
     * datasets of departments there.
     */
    public ComplianceReport build(String region, boolean subregions, LocalDate from, LocalDate to) {
        LocalDate today = time.today();
        WorkingDayCalendar days = calendar.calendar();
        Map<String, Row> rows = new TreeMap<>();
        Function<String, Row> row = code -> rows.computeIfAbsent(code, c -> new Row());
        Instant start = from.atStartOfDay(TimeSource.ZONE).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(TimeSource.ZONE).toInstant();
        String fallback = Regions.authorityRegion(Regions.ofCreditCode(config.competentAuthorityDepartment()));
        boolean unstoredIsOurs = region != null && covers(region, subregions, fallback);
        // stored authority regions are 6 digits; inside a region they share its significant prefix
        String scopeValue = region == null ? null : subregions ? Regions.prefix(region) + "%" : region;

        // answers: received in the period
        for (Object[] r : rows(em.createNativeQuery("SELECT r.provider_department_code, r.status, r.received_on, "
                + "r.due_on, r.decided_at, false FROM share_request r WHERE r.received_on BETWEEN :from AND :to"
                + scope("r.authority_region", region, subregions, unstoredIsOurs)), scopeValue, from, to, null,
                null)) {
            // 不予共享 refused at filing has no deadline: answered on the day received
            row.apply((String) r[0]).answers.answer(r, ANSWERED::contains, UNANSWERED::contains, days, today);
        }
        // deliveries: grants approved in the period with a delivery deadline
        for (Object[] r : rows(em.createNativeQuery("SELECT g.provider_department_code, g.status, g.delivery_due, "
                + "g.first_delivered_at, g.created_at, g.delivery_escalated FROM share_grant g WHERE g.delivery_due "
                + "IS NOT NULL AND g.created_at >= :start AND g.created_at < :end"
                + scope("g.authority_region", region, subregions, unstoredIsOurs)), scopeValue, null, null, start,
                end)) {
            String status = (String) r[1];
            LocalDate due = day(r[2]);
            Instant delivered = instant(r[3]);
            LocalDate approved = instant(r[4]).atZone(TimeSource.ZONE).toLocalDate();
            Tally t = row.apply((String) r[0]).deliveries;
            if (delivered != null) {
                LocalDate on = delivered.atZone(TimeSource.ZONE).toLocalDate();
                t.done(!on.isAfter(due), days.workingDaysBetween(approved, on));
            } else if (Boolean.TRUE.equals(r[5]) || ("ACTIVE".equals(status) && today.isAfter(due))) {
                t.open(true);
            } else if ("ACTIVE".equals(status) || "SUSPENDED".equals(status)) {
                // a suspended grant's delay is not the provider's (as for the escalation): counted as not yet due
                t.open(false);
            }
        }
        // objections (校核): received in the period, answered when their ANSWER was recorded
        for (Object[] r : rows(em.createNativeQuery("SELECT o.provider_department_code, o.status, o.received_on, "
                + "o.due_on, (SELECT min(c.changed_at) FROM state_change c WHERE c.object_type = 'OBJECTION' AND "
                + "c.object_id = o.id AND c.action = 'ANSWER'), o.escalated FROM objection o WHERE o.received_on "
                + "BETWEEN :from AND :to" + scope("o.region_code", region, subregions, unstoredIsOurs)), scopeValue,
                from, to, null, null)) {
            row.apply((String) r[0]).objections.answer(r, status -> true, "OPEN"::equals, days, today);
        }
        // correction requests (PIPL 第四十六条): received in the period, by the provider, in the provider's region
        for (Object[] r : rows(em.createNativeQuery("SELECT c.provider_department_code, c.status, c.received_on, "
                + "c.due_on, c.answered_at, c.escalated FROM correction c WHERE c.received_on BETWEEN :from AND :to"
                + scope("c.region_code", region, subregions, unstoredIsOurs)), scopeValue, from, to, null, null)) {
            row.apply((String) r[0]).corrections.answer(r, status -> true, "OPEN"::equals, days, today);
        }
        // complaints (R21): received in the period, by the consumer department that explains, in the region of the
        // grant the access used (none: the configured 主管部门's, as ComplaintService decides); one the 主管部门
        // decided after the deadline without the department's explanation stays overdue
        for (Object[] r : rows(em.createNativeQuery("SELECT c.consumer_department_code, CASE WHEN c.status = 'OPEN' "
                + "OR (c.answered_at IS NULL AND c.due_on < CAST(c.decided_at AT TIME ZONE '" + TimeSource.ZONE.getId()
                + "' AS date)) THEN 'OPEN' ELSE c.status END, c.received_on, c.due_on, c.answered_at, c.escalated "
                + "FROM complaint c LEFT JOIN share_grant g ON g.id = c.grant_id WHERE c.received_on BETWEEN :from "
                + "AND :to" + scope("g.authority_region", region, subregions, unstoredIsOurs)), scopeValue, from, to,
                null, null)) {
            row.apply((String) r[0]).complaints.answer(r, status -> true, "OPEN"::equals, days, today);
        }
        // suspensions in the period
        for (Object[] r : rows(em.createNativeQuery("SELECT g.provider_department_code, g.consumer_department_code, "
                + "c.actor_department FROM state_change c JOIN share_grant g ON g.id = c.object_id WHERE "
                + "c.object_type = 'GRANT' AND c.action = 'SUSPEND' AND c.changed_at >= :start AND c.changed_at < :end"
                + scope("g.authority_region", region, subregions, unstoredIsOurs)), scopeValue, null, null, start,
                end)) {
            Row provider = row.apply((String) r[0]);
            // the history keeps the actor's code as recorded (append-only): compared in any letter case
            if (((String) r[0]).equalsIgnoreCase((String) r[2])) {
                provider.suspendedByProvider++;
            } else {
                provider.suspendedByAuthority++;
            }
            row.apply((String) r[1]).suspensionsHeld++;
        }
        // the catalogue now: share attributes and stale datasets of the region's entries
        Map<String, String> entryRegions = new HashMap<>();
        for (Object[] r : rows(em.createNativeQuery("SELECT e.provider_department_code, e.provider_department_name, "
                + "e.region_code, e.share_attribute FROM catalog_entry e WHERE NOT e.deregistered"), null, null, null,
                null, null)) {
            String code = (String) r[0];
            entryRegions.putIfAbsent(code, (String) r[2]);
            String authority = StalenessService.authorityRegionOf((String) r[2], code);
            if (region != null && !covers(region, subregions, authority)) {
                continue;
            }
            Row d = row.apply(code);
            d.name = d.name == null ? (String) r[1] : d.name;
            d.entries++;
            switch (String.valueOf(r[3])) {
                case "UNCONDITIONAL" -> d.unconditional++;
                case "CONDITIONAL" -> d.conditional++;
                case "NOT_SHARED" -> d.notShared++;
                default -> {
                }
            }
        }
        List<Freshness> stale = new ArrayList<>();
        for (Freshness f : staleness.all(null)) {
            if (f.stale() && (region == null || covers(region, subregions, f.authorityRegion()))) {
                stale.add(f);
                row.apply(f.providerDepartmentCode()).stale++;
            }
        }
        List<DepartmentCompliance> departments = new ArrayList<>();
        Map<String, String> registered = registeredRegions();
        rows.forEach((code, d) -> departments.add(d.view(code, StalenessService.authorityRegionOf(
                registered.getOrDefault(code, entryRegions.get(code)), code))));
        return new ComplianceReport(region, subregions, from, to, today, staleness.grace().toString(), departments,
                stale);
    }

    /** {@code inner} is {@code region}, or with {@code subregions} lies inside it. */
    private static boolean covers(String region, boolean subregions, String inner) {
        return subregions ? Regions.contains(region, inner) : region.equals(inner);
    }

    /** Each department's region as identity-service's department register (the exchange's copy) has it. */
    @SuppressWarnings("unchecked")
    private Map<String, String> registeredRegions() {
        Map<String, String> regions = new HashMap<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("SELECT code, region_code FROM department_register")
                .getResultList()) {
            regions.put((String) r[0], (String) r[1]);
        }
        return regions;
    }

    /** The condition of a region's matters on a stored authority region column (none for every region). */
    private static String scope(String column, String region, boolean subregions, boolean unstoredIsOurs) {
        if (region == null) {
            return "";
        }
        return " AND (" + column + (subregions ? " LIKE :region" : " = :region")
                + (unstoredIsOurs ? " OR " + column + " IS NULL" : "") + ")";
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(Query q, String region, LocalDate from, LocalDate to, Instant start,
            Instant end) {
        if (region != null) {
            q.setParameter("region", region);
        }
        if (from != null) {
            q.setParameter("from", from).setParameter("to", to);
        }
        if (start != null) {
            q.setParameter("start", start.atZone(TimeSource.ZONE).toOffsetDateTime())
                    .setParameter("end", end.atZone(TimeSource.ZONE).toOffsetDateTime());
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
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        return o instanceof OffsetDateTime t ? t.toInstant() : ((Timestamp) o).toInstant();
    }

    private static Double ratio(int part, int whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP)
                .doubleValue();
    }

    /** Counts of one duty. */
    private static final class Tally extends DutyTally {
        int received;
        int escalated;

        /**
         * One matter to answer, as {@code department, status, received_on, due_on, answered_at, escalated}: answered
         * when it has a time and {@code answered} takes its status (by {@code due_on}, or without one: in time), else
         * open when {@code open} takes its status and it has a deadline (overdue after it, as of {@code today}); other
         * matters (withdrawn, waiting for the requester) are received only.
         */
        void answer(Object[] r, Predicate<String> answered, Predicate<String> open, WorkingDayCalendar days,
                LocalDate today) {
            String status = (String) r[1];
            LocalDate receivedOn = day(r[2]);
            LocalDate due = day(r[3]);
            Instant answeredAt = instant(r[4]);
            received++;
            if (Boolean.TRUE.equals(r[5])) {
                escalated++;
            }
            if (answeredAt != null && answered.test(status)) {
                LocalDate on = answeredAt.atZone(TimeSource.ZONE).toLocalDate();
                done(due == null || !on.isAfter(due), days.workingDaysBetween(receivedOn, on));
            } else if (open.test(status) && due != null) {
                open(today.isAfter(due));
            }
        }

        Timeliness view() {
            return new Timeliness(total(), onTime(), late(), overdue(), pending(), onTimeRate(), averageWorkingDays());
        }

        /** {@link #view} with what was received and escalated. */
        SubjectRequests requests() {
            return new SubjectRequests(received, view(), escalated);
        }
    }

    /** One department's counts. */
    private static final class Row {
        String name;
        final Tally answers = new Tally();
        final Tally deliveries = new Tally();
        final Tally objections = new Tally();
        final Tally corrections = new Tally();
        final Tally complaints = new Tally();
        int suspendedByProvider;
        int suspendedByAuthority;
        int suspensionsHeld;
        int stale;
        int entries;
        int unconditional;
        int conditional;
        int notShared;

        DepartmentCompliance view(String code, String region) {
            return new DepartmentCompliance(code, name, region, answers.view(), deliveries.view(), objections.view(),
                    new Suspensions(suspendedByProvider, suspendedByAuthority, suspensionsHeld), stale,
                    new CatalogueShares(entries, unconditional, conditional, notShared, ratio(conditional, entries),
                            ratio(notShared, entries)), corrections.requests(), complaints.requests());
        }
    }
}
