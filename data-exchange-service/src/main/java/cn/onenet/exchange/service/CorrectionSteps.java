package cn.onenet.exchange.service;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.Correction;
import cn.onenet.exchange.model.Notice;
import cn.onenet.exchange.model.StateChange;

/**
 * What the requester of a correction request (个人信息更正补充, PIPL 第四十六条) is shown of how it was handled: each
 * step of its history with its time and the department that acted on it or that it went to. Departments act, not
 * their staff: no civil servant's account id or name is shown, and nothing of the requester beyond its own words
 * (not its account id, not its ID number or credit code).
 */
@ApplicationScoped
public class CorrectionSteps {

    /** The requester's own step (actor role citizen or enterprise). */
    public static final String REQUESTER = "REQUESTER";
    /** A department's step (the 数源部门's answer). */
    public static final String DEPARTMENT = "DEPARTMENT";
    /** The exchange's own step (overdue escalation, deadline recount). */
    public static final String SYSTEM = "SYSTEM";

    @Schema(description = "a department: its 统一社会信用代码 and its name (from the department register, else the "
            + "catalogue entry; null when neither knows it)")
    public record Department(@Schema(example = "11330000002481020A") String code,
            @Schema(example = "浙江省公安厅") String name) {
    }

    @Schema(description = "one step of a correction request as its requester sees it, oldest first")
    public record Step(
            @Schema(description = "FILE 提出申请, ANSWER 答复, ESCALATE_OVERDUE 逾期报主管部门督办, RECOUNT_DEADLINE 重新计算期限",
                    example = "ANSWER",
                    enumeration = { "FILE", "ANSWER", "ESCALATE_OVERDUE", "RECOUNT_DEADLINE" }) String action,
            @Schema(description = "when the step was taken", example = "2026-12-09T02:10:00Z") Instant at,
            @Schema(description = "who took it: REQUESTER (the requester, or whoever acts for the enterprise), "
                    + "DEPARTMENT, or SYSTEM (the exchange's own rules)", example = "DEPARTMENT",
                    enumeration = { REQUESTER, DEPARTMENT, SYSTEM }) String actor,
            @Schema(description = "FILE, RECOUNT_DEADLINE: the 数源部门 that must answer; ANSWER: the department that "
                    + "answered; ESCALATE_OVERDUE: the 主管部门 the request was escalated to (null when the exchange "
                    + "could name none and told the region's 主管部门 without a department)") Department department,
            @Schema(description = "the request's status after the step", example = "CORRECTED",
                    enumeration = { "OPEN", "CORRECTED", "SUPPLEMENTED", "NOT_CORRECTED" }) String status,
            @Schema(description = "ANSWER only: 已更正, 已补充 or 不予更正", example = "CORRECTED",
                    enumeration = { "CORRECTED", "SUPPLEMENTED", "NOT_CORRECTED" }) String outcome,
            @Schema(description = "FILE: the requester's description; ANSWER: the department's reasons; "
                    + "ESCALATE_OVERDUE, RECOUNT_DEADLINE: why the exchange took the step",
                    example = "经核对户籍档案，门牌号录入有误，已更正为 98 号") String reason,
            @Schema(description = "ANSWER: the legal basis given", example = "《中华人民共和国户口登记条例》第十七条")
            String legalBasis,
            @Schema(description = "ANSWER (NOT_CORRECTED): how the data was verified",
                    example = "经核对 2019 年迁入登记原始档案，登记地址与档案一致") String explanation,
            @Schema(description = "FILE: the deadline set; ESCALATE_OVERDUE: the deadline missed; RECOUNT_DEADLINE: "
                    + "the new deadline", example = "2026-12-21") LocalDate dueOn,
            @Schema(description = "RECOUNT_DEADLINE: the deadline before", example = "2026-12-18")
            LocalDate previousDueOn) {
    }

    private final StateHistory history;
    private final DepartmentRegister register;

    public CorrectionSteps(StateHistory history, DepartmentRegister register) {
        this.history = history;
        this.register = register;
    }

    /** The request's steps, oldest first, as its requester is shown them. */
    public List<Step> of(Correction c) {
        List<StateChange> rows = history.of(StateHistory.CORRECTION, c.id);
        String escalatedTo = rows.stream().anyMatch(r -> "ESCALATE_OVERDUE".equals(r.action)) ? escalatedTo(c) : null;
        Set<String> codes = new LinkedHashSet<>();
        rows.forEach(r -> codes.add(department(c, r, escalatedTo)));
        codes.remove(null);
        Map<String, String> names = names(c, codes);
        List<Step> steps = new ArrayList<>(rows.size());
        for (StateChange r : rows) {
            String code = department(c, r, escalatedTo);
            Map<String, Object> details = Json.object(r.details);
            boolean answer = "ANSWER".equals(r.action);
            steps.add(new Step(r.action, r.changedAt, actor(r), code == null ? null : new Department(code,
                    names.get(code)), r.toStatus,
                    answer && CorrectionService.OUTCOMES.contains(r.toStatus) ? r.toStatus : null, r.reason,
                    answer ? r.legalBasis : null, answer ? text(details, "explanation") : null,
                    date(details, "dueOn"), date(details, "previousDueOn")));
        }
        return steps;
    }

    private static String actor(StateChange r) {
        if ("citizen".equals(r.actorRole) || "enterprise".equals(r.actorRole)) {
            return REQUESTER;
        }
        return r.automatic || StateHistory.Actor.SCHEDULER.role().equals(r.actorRole) ? SYSTEM : DEPARTMENT;
    }

    private static String department(Correction c, StateChange r, String escalatedTo) {
        if ("ESCALATE_OVERDUE".equals(r.action)) {
            return escalatedTo;
        }
        if (DEPARTMENT.equals(actor(r)) && r.actorDepartment != null) {
            return r.actorDepartment;
        }
        return c.providerDepartmentCode;
    }

    /**
     * The 主管部门 the overdue request went to: the department its {@code CORRECTION_OVERDUE} notice was addressed to
     * (the register's, or the configured one), else today's register entry for the request's region.
     */
    private String escalatedTo(Correction c) {
        // the requester's own CORRECTION_OVERDUE notice (to its subject hash) names no department
        List<Notice> told = Notice.list("subjectType = 'CORRECTION' and subjectId = ?1 and kind = 'CORRECTION_OVERDUE' "
                + "and subjectHash is null order by id", c.id);
        if (!told.isEmpty()) {
            return told.get(0).departmentCode;
        }
        return register.authorityCodeOf(c.regionCode);
    }

    /** Names from the department register; the provider's from the catalogue entry when the register lacks it. */
    private Map<String, String> names(Correction c, Set<String> codes) {
        Map<String, String> names = register.namesOf(codes);
        if (!names.containsKey(c.providerDepartmentCode)) {
            CatalogEntry e = CatalogEntry.findCurrent(c.resourceCode);
            if (e != null && Objects.equals(e.providerDepartmentCode, c.providerDepartmentCode)) {
                names.put(c.providerDepartmentCode, e.providerDepartmentName);
            }
        }
        return names;
    }

    private static String text(Map<String, Object> details, String key) {
        Object v = details == null ? null : details.get(key);
        return v == null ? null : v.toString();
    }

    private static LocalDate date(Map<String, Object> details, String key) {
        String v = text(details, key);
        return v == null ? null : LocalDate.parse(v);
    }
}
