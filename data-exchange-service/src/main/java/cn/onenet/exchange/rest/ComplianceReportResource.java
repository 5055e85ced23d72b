package cn.onenet.exchange.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.Problem;
import cn.onenet.exchange.service.ComplianceReportService;
import cn.onenet.exchange.service.ComplianceReportService.ComplianceReport;
import cn.onenet.exchange.service.ComplianceReportService.DepartmentCompliance;
import cn.onenet.exchange.service.ComplianceReportService.SubjectRequests;
import cn.onenet.exchange.service.ComplianceReportService.Timeliness;
import cn.onenet.report.ReportDownload;
import cn.onenet.report.ReportFiles;
import cn.onenet.report.ReportFormat;
import cn.onenet.report.ReportTable;

/**
 * 合规报告 for the 主管部门 (条例第二十三条, 第三十八条第二款, 第三十九条至第四十一条): per department of a region, answers,
 * deliveries and objections against their deadlines, suspensions, stale datasets, the share of conditional and
 * not-shared entries, and the citizens' and enterprises' correction requests and complaints against their deadlines;
 * as JSON, or as a CSV or .xlsx file to download.
 */
@Path("/api/exchange/v1/compliance-report")
@Tag(name = "compliance", description = "合规报告 (compliance report for the 主管部门)")
public class ComplianceReportResource {

    static final String BAD_FROM = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"起始日须为 yyyy-MM-dd 格式的日期 / the first day must be a date yyyy-MM-dd\", "
            + "\"field\": \"from\", \"errors\": [{\"field\": \"from\", \"message\": \"起始日须为 yyyy-MM-dd 格式的日期 / "
            + "the first day must be a date yyyy-MM-dd\"}], \"requestId\": \"5b0e7c2d-3a41-4f86-9d1e-6c2a8f4b7e90\"}";

    /** The columns of one kind of citizens' and enterprises' requests ({@link SubjectRequests}), in its terms. */
    private static List<String> requestColumns(String name, String term) {
        return List.of("收到" + term + " " + name + ".received", "应答复" + term + " " + name + ".total",
                "按时答复" + term + " " + name + ".onTime", "逾期答复" + term + " " + name + ".late",
                "逾期未答复" + term + " " + name + ".overdue", "未到期" + term + " " + name + ".pending",
                term + "按时答复率 " + name + ".onTimeRate", term + "平均答复工作日 " + name + ".averageWorkingDays",
                term + "逾期督办 " + name + ".escalated");
    }

    /** The columns of the CSV and .xlsx forms, one row per department. */
    static final List<String> COLUMNS = Stream.of(List.of("部门代码 departmentCode", "部门名称 departmentName",
            "行政区划代码 regionCode",
            "应答复 answers.total", "按时答复 answers.onTime", "逾期答复 answers.late", "逾期未答复 answers.overdue",
            "未到期 answers.pending", "按时答复率 answers.onTimeRate", "平均答复工作日 answers.averageWorkingDays",
            "应交付 deliveries.total", "按时交付 deliveries.onTime", "逾期交付 deliveries.late",
            "逾期未交付 deliveries.overdue", "未到期 deliveries.pending", "按时交付率 deliveries.onTimeRate",
            "平均交付工作日 deliveries.averageWorkingDays", "校核申请 objections.total", "按时答复校核 objections.onTime",
            "逾期答复校核 objections.late", "逾期未答复校核 objections.overdue", "未到期校核 objections.pending",
            "校核按时率 objections.onTimeRate", "平均校核工作日 objections.averageWorkingDays",
            "提供部门暂停 suspensions.byProvider", "主管部门暂停 suspensions.byAuthority",
            "所持授权被暂停 suspensions.ofGrantsHeld", "未按周期更新数据集 staleDatasets", "目录数 catalogue.entries",
            "无条件共享 catalogue.unconditional", "有条件共享 catalogue.conditional", "不予共享 catalogue.notShared",
            "有条件共享占比 catalogue.conditionalShare", "不予共享占比 catalogue.notSharedShare"),
            // appended, so that the columns before keep their places for those who read them by position
            requestColumns("corrections", "更正补充申请"), requestColumns("complaints", "投诉")).flatMap(List::stream)
            .toList();

    private final ComplianceReportService reports;
    private final CurrentCaller caller;

    public ComplianceReportResource(ComplianceReportService reports, CurrentCaller caller) {
        this.reports = reports;
        this.caller = caller;
    }

    @GET
    @Produces({ MediaType.APPLICATION_JSON, ReportFiles.CSV, ReportFiles.XLSX })
    @RolesAllowed({ "reviewer", "admin", "auditor" })
    @Operation(summary = "合规报告 per department of a region for a period: answers (1 / 10 working days), deliveries "
            + "(20 working days), objections (10 working days), suspensions, stale datasets, the share of "
            + "有条件共享 / 不予共享 entries, and citizens' and enterprises' correction requests (PIPL Art. 46) and "
            + "complaints (R21) against their working-day deadlines, with how many were escalated. For the "
            + "主管部门's reviewers (competent_authority) of their region, admins and auditors.",
            description = "Requests, objections, correction requests and complaints count when received in the "
                    + "period (complaints against the consumer department that explains the access), deliveries "
                    + "when the grant was approved in it, suspensions when made in it; open matters, stale datasets and the catalogue "
                    + "are judged as of today (asOf). A region's matters are those whose 主管部门 it is, as in the "
                    + "reviewers' lists. A reviewer of the 主管部门 reads its own region (the default; another region "
                    + "403 naming region); a reviewer of another department 403 naming competent_authority; admins "
                    + "and auditors any region, or every region without one; anyone else 403. "
                    + "includeSubregions=true adds the departments of the regions below (a city's counties; a county "
                    + "asking for its city is still 403), each row naming its regionCode. format=csv (UTF-8 with BOM; "
                    + "a text cell that would run as a formula starts with ') or format=xlsx gives one row per "
                    + "department to download.")
    @APIResponse(responseCode = "200", description = "the report (JSON, or the CSV / .xlsx file with format)",
            content = { @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ComplianceReport.class),
                    examples = @ExampleObject(name = "a province's report", value = ComplianceReport.EXAMPLE)),
                    @Content(mediaType = ReportFiles.CSV), @Content(mediaType = ReportFiles.XLSX) })
    @APIResponse(responseCode = "400", description = "a bad from, to, region or format, named in field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad from",
                    value = BAD_FROM)))
    @APIResponse(responseCode = "403", description = "not the 主管部门's reviewer, another region, or another role",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response report(
            @Parameter(description = "first day (yyyy-MM-dd, Beijing time); default 1 January of to's year",
                    example = "2026-01-01") @QueryParam("from") String from,
            @Parameter(description = "last day (yyyy-MM-dd); default today", example = "2026-12-31")
            @QueryParam("to") String to,
            @Parameter(description = "region code (county or higher); default the reviewer's own; admins and "
                    + "auditors: every region without it", example = "330000") @QueryParam("region") String region,
            @Parameter(description = "json (default), csv or xlsx", example = "csv") @QueryParam("format")
            String format,
            @Parameter(description = "true: the departments of the regions below it too, each row with its "
                    + "regionCode (a city's report with its counties); default false", example = "true")
            @QueryParam("includeSubregions") Boolean includeSubregions) {
        ReportFormat f = ReportFormat.parse(format)
                .orElseThrow(() -> ApiException.field("format", ReportFormat.INVALID));
        ComplianceReport report = reports.report(caller.get(), from, to, region,
                Boolean.TRUE.equals(includeSubregions));
        if (f == ReportFormat.JSON) {
            return Response.ok(report, MediaType.APPLICATION_JSON).build();
        }
        String name = ReportFiles.fileName("compliance-report", report.region(), report.includeSubregions(),
                report.from(), report.to(), f);
        ReportDownload file = new ReportDownload(table(report), f, "data-exchange-service", name);
        return Response.ok((StreamingOutput) file::write, file.mediaType())
                .header("Content-Disposition", file.contentDisposition()).build();
    }

    /** The CSV and .xlsx forms: one row per department. */
    static ReportTable table(ComplianceReport report) {
        return new ReportTable("合规报告", COLUMNS, report.departments().stream().map(ComplianceReportResource::cells)
                .toList());
    }

    /** A department's row: code, name and region as text, the counts as numbers (empty where a share has no base). */
    static List<Object> cells(DepartmentCompliance d) {
        List<Object> cells = new ArrayList<>();
        cells.add(d.departmentCode());
        cells.add(d.departmentName() == null ? "" : d.departmentName());
        cells.add(d.regionCode() == null ? "" : d.regionCode());
        for (Timeliness t : List.of(d.answers(), d.deliveries(), d.objections())) {
            cells.addAll(cells(t));
        }
        cells.addAll(List.of(d.suspensions().byProvider(), d.suspensions().byAuthority(),
                d.suspensions().ofGrantsHeld(), d.staleDatasets(), d.catalogue().entries(),
                d.catalogue().unconditional(), d.catalogue().conditional(), d.catalogue().notShared()));
        cells.add(d.catalogue().conditionalShare());
        cells.add(d.catalogue().notSharedShare());
        for (SubjectRequests q : List.of(d.corrections(), d.complaints())) {
            cells.add(q.received());
            cells.addAll(cells(q.timeliness()));
            cells.add(q.escalated());
        }
        return cells;
    }

    private static List<Object> cells(Timeliness t) {
        List<Object> cells = new ArrayList<>(List.of(t.total(), t.onTime(), t.late(), t.overdue(), t.pending()));
        cells.add(t.onTimeRate());
        cells.add(t.averageWorkingDays());
        return cells;
    }
}
