package cn.onenet.catalog.rest;

import java.util.ArrayList;
import java.util.List;

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

import cn.onenet.catalog.service.ComplianceReportService;
import cn.onenet.catalog.service.ComplianceReportService.ComplianceReport;
import cn.onenet.catalog.service.ComplianceReportService.DepartmentCompliance;
import cn.onenet.catalog.service.ComplianceReportService.Timeliness;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.Problem;
import cn.onenet.report.ReportDownload;
import cn.onenet.report.ReportFiles;
import cn.onenet.report.ReportFormat;
import cn.onenet.report.ReportTable;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * 目录合规报告 for the 主管部门 (条例第十六条、第十七条): per provider department of a region, submissions, the 2-working-day
 * reviews, the 10(+5)-working-day updates after a legal or duty change, returns and the published entries by share
 * attribute; as JSON, or as a CSV or .xlsx file to download.
 */
@Path("/api/catalog/v1/compliance-report")
@Tag(name = "compliance", description = "目录合规报告 (catalogue compliance report for the 主管部门)")
public class ComplianceReportResource {

    static final String BAD_REGION = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"行政区划应为6位代码 / the region must be a 6-digit GB/T 2260 code\", "
            + "\"field\": \"region\", \"errors\": [{\"field\": \"region\", \"message\": \"行政区划应为6位代码 / "
            + "the region must be a 6-digit GB/T 2260 code\"}], \"requestId\": \"5b0e7c2d-3a41-4f86-9d1e-6c2a8f4b7e90\"}";
    static final String BAD_SUBREGIONS = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"是否含下级行政区划应为 true 或 false / include subregions must be true or "
            + "false\", \"field\": \"includeSubregions\", \"errors\": [{\"field\": \"includeSubregions\", \"message\": "
            + "\"是否含下级行政区划应为 true 或 false / include subregions must be true or false\"}], "
            + "\"requestId\": \"9c41d7a2-6e0b-4f35-8a17-2d5e9b3c0f64\"}";

    /** The columns of the CSV and .xlsx forms, one row per provider department. */
    static final List<String> COLUMNS = List.of("部门代码 departmentCode", "部门名称 departmentName",
            "行政区划代码 regionCode", "报送 submissions", "应审核 reviews.total", "按时审核 reviews.onTime",
            "逾期审核 reviews.late", "逾期未审核 reviews.overdue", "未到期 reviews.pending", "按时审核率 reviews.onTimeRate",
            "平均审核工作日 reviews.averageWorkingDays", "应更新 updates.total", "按时更新 updates.onTime",
            "逾期更新 updates.late", "逾期未更新 updates.overdue", "未到期 updates.pending",
            "按时更新率 updates.onTimeRate", "平均更新工作日 updates.averageWorkingDays", "延期 extensions",
            "退回修改 returns", "已发布 shares.published", "无条件共享 shares.unconditional",
            "有条件共享 shares.conditional", "不予共享 shares.notShared", "提供方名称不符 providerNameFindings");

    private final ComplianceReportService reports;
    private final SecurityIdentity identity;

    public ComplianceReportResource(ComplianceReportService reports, SecurityIdentity identity) {
        this.reports = reports;
        this.identity = identity;
    }

    @GET
    @Produces({ MediaType.APPLICATION_JSON, ReportFiles.CSV, ReportFiles.XLSX })
    @RolesAllowed({ "reviewer", "admin", "auditor" })
    @Operation(summary = "目录合规报告 per provider department of a region for a period: submissions, the 主管部门's "
            + "reviews (2 working days), updates after a legal or duty change (10 working days, +5 once), returns for "
            + "correction and published entries by share attribute; on request with the departments of the regions "
            + "below. For the region's 主管部门 reviewers (competent_authority), admins and auditors.",
            description = "Submissions and returns count when made in the period, reviews when started in it "
                    + "(submission or deregistration request, until publication, return or the deregistration "
                    + "decision), updates when triggered in it (triggeredOn, until the submission that is not "
                    + "returned); open ones and the share attributes are judged as of today (asOf). One row per "
                    + "department code, named as identity-service's department register names it; "
                    + "providerNameFindings lists the entries (not deregistered) whose draft names the provider "
                    + "otherwise, which are refused at submission until corrected (503 when the register does not "
                    + "answer). A reviewer of "
                    + "the 主管部门 reads its own region (the default; another region 403 naming region); a reviewer "
                    + "of another department 403 naming competent_authority; admins and auditors any region, or "
                    + "every region without one; anyone else 403. includeSubregions=true adds the departments of the "
                    + "regions below (a city's counties; a county asking for its city is still 403), each row naming "
                    + "its regionCode (the region of the department's entries). format=csv (UTF-8 with BOM) or "
                    + "format=xlsx gives one row per department to download (with the switch the file name ends "
                    + "-with-subregions).")
    @APIResponse(responseCode = "200", description = "the report (JSON, or the CSV / .xlsx file with format)",
            content = { @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ComplianceReport.class),
                    examples = { @ExampleObject(name = "a province's report", value = ComplianceReport.EXAMPLE),
                        @ExampleObject(name = "a city's report with its counties (includeSubregions=true)",
                                value = ComplianceReport.EXAMPLE_WITH_SUBREGIONS) }),
                    @Content(mediaType = ReportFiles.CSV), @Content(mediaType = ReportFiles.XLSX) })
    @APIResponse(responseCode = "400", description = "a bad from, to, region, includeSubregions or format, named "
            + "in field", content = @Content(mediaType = Problem.MEDIA_TYPE, examples = {
                @ExampleObject(name = "bad region", value = BAD_REGION),
                @ExampleObject(name = "bad includeSubregions", value = BAD_SUBREGIONS) }))
    @APIResponse(responseCode = "403", description = "not the 主管部门's reviewer, another region, or another role",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "503", description = "the department register did not answer",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response report(
            @Parameter(description = "first day (yyyy-MM-dd, Beijing time); default 1 January of to's year",
                    example = "2026-01-01") @QueryParam("from") String from,
            @Parameter(description = "last day (yyyy-MM-dd); default today", example = "2026-12-31")
            @QueryParam("to") String to,
            @Parameter(description = "region code (6 digits); default the reviewer's own; admins and auditors: "
                    + "every region without it", example = "330000") @QueryParam("region") String region,
            @Parameter(description = "json (default), csv or xlsx", example = "csv") @QueryParam("format")
            String format,
            @Parameter(description = "true: the departments of the regions below it too, each row with its "
                    + "regionCode (a city's report with its counties); default false", example = "true")
            @QueryParam("includeSubregions") String includeSubregions) {
        ReportFormat f = ReportFormat.parse(format)
                .orElseThrow(() -> ApiException.field("format", ReportFormat.INVALID));
        ComplianceReport report = reports.report(Callers.of(identity), from, to, region, includeSubregions);
        if (f == ReportFormat.JSON) {
            return Response.ok(report, MediaType.APPLICATION_JSON).build();
        }
        String name = ReportFiles.fileName("catalog-compliance-report", report.region(), report.includeSubregions(),
                report.from(), report.to(), f);
        ReportDownload file = new ReportDownload(table(report), f, "catalog-service", name);
        return Response.ok((StreamingOutput) file::write, file.mediaType())
                .header("Content-Disposition", file.contentDisposition()).build();
    }

    /** The CSV and .xlsx forms: one row per provider department. */
    static ReportTable table(ComplianceReport report) {
        return new ReportTable("目录合规报告", COLUMNS, report.departments().stream().map(ComplianceReportResource::cells)
                .toList());
    }

    /** A department's row: code, name and region as text, the counts as numbers (empty where a rate has no base). */
    static List<Object> cells(DepartmentCompliance d) {
        List<Object> cells = new ArrayList<>(List.of(d.departmentCode(),
                d.departmentName() == null ? "" : d.departmentName(), d.regionCode() == null ? "" : d.regionCode(),
                d.submissions()));
        for (Timeliness t : List.of(d.reviews(), d.updates())) {
            cells.addAll(List.of(t.total(), t.onTime(), t.late(), t.overdue(), t.pending()));
            cells.add(t.onTimeRate());
            cells.add(t.averageWorkingDays());
        }
        cells.addAll(List.of(d.extensions(), d.returns(), d.shares().published(), d.shares().unconditional(),
                d.shares().conditional(), d.shares().notShared(), d.providerNameFindings()));
        return cells;
    }
}
