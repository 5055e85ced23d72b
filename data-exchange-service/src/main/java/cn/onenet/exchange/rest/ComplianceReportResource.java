package cn.onenet.exchange.rest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
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

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
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

/**
 * 合规报告 for the 主管部门 (条例第二十三条, 第三十八条第二款, 第三十九条至第四十一条): per department of a region, answers,
 * deliveries and objections against their deadlines, suspensions, stale datasets, the share of conditional and
 * not-shared entries, and the citizens' and enterprises' correction requests and complaints against their deadlines;
 * as JSON, or as a CSV or .xlsx file to download.
 */
@Path("/api/exchange/v1/compliance-report")
@Tag(name = "compliance", description = "合规报告 (compliance report for the 主管部门)")
public class ComplianceReportResource {

    static final String CSV = "text/csv";
    static final String BAD_FROM = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"from 应为 yyyy-MM-dd 日期 / from must be a date yyyy-MM-dd\", "
            + "\"field\": \"from\", \"errors\": [{\"field\": \"from\", \"message\": \"from 应为 yyyy-MM-dd 日期 / from "
            + "must be a date yyyy-MM-dd\"}], \"requestId\": \"5b0e7c2d-3a41-4f86-9d1e-6c2a8f4b7e90\"}";

    /** The first columns (code, name, region) are text, the others numbers. */
    private static final int TEXT_COLUMNS = 3;

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
    @Produces({ MediaType.APPLICATION_JSON, CSV, DatasetResource.XLSX })
    @RolesAllowed({ "reviewer", "auditor" })
    @Operation(summary = "合规报告 per department of a region for a period: answers (1 / 10 working days), deliveries "
            + "(20 working days), objections (10 working days), suspensions, stale datasets, the share of "
            + "有条件共享 / 不予共享 entries, and citizens' and enterprises' correction requests (PIPL Art. 46) and "
            + "complaints (R21) against their working-day deadlines, with how many were escalated. For the "
            + "主管部门's reviewers (competent_authority) of their region and for auditors.",
            description = "Requests, objections, correction requests and complaints count when received in the "
                    + "period (complaints against the consumer department that explains the access), deliveries "
                    + "when the grant was approved in it, suspensions when made in it; open matters, stale datasets and the catalogue "
                    + "are judged as of today (asOf). A region's matters are those whose 主管部门 it is, as in the "
                    + "reviewers' lists. A reviewer of the 主管部门 reads its own region (the default; another region "
                    + "403 naming region); a reviewer of another department 403 naming competent_authority; auditors "
                    + "any region, or every region without one; anyone else 403. includeSubregions=true adds the "
                    + "departments of the regions below (a city's counties; a county asking for its city is still "
                    + "403), each row naming its regionCode. format=csv (UTF-8 with BOM) or format=xlsx gives one row "
                    + "per department to download.")
    @APIResponse(responseCode = "200", description = "the report (JSON, or the CSV / .xlsx file with format)",
            content = { @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ComplianceReport.class),
                    examples = @ExampleObject(name = "a province's report", value = ComplianceReport.EXAMPLE)),
                    @Content(mediaType = CSV), @Content(mediaType = DatasetResource.XLSX) })
    @APIResponse(responseCode = "400", description = "a bad from, to, region or format, named in field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "bad from",
                    value = BAD_FROM)))
    @APIResponse(responseCode = "403", description = "not the 主管部门's reviewer, another region, or not an auditor",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response report(
            @Parameter(description = "first day (yyyy-MM-dd, Beijing time); default 1 January of to's year",
                    example = "2026-01-01") @QueryParam("from") String from,
            @Parameter(description = "last day (yyyy-MM-dd); default today", example = "2026-12-31")
            @QueryParam("to") String to,
            @Parameter(description = "region code (county or higher); default the reviewer's own; auditors: every "
                    + "region without it", example = "330000") @QueryParam("region") String region,
            @Parameter(description = "json (default), csv or xlsx", example = "csv") @QueryParam("format")
            String format,
            @Parameter(description = "true: the departments of the regions below it too, each row with its "
                    + "regionCode (a city's report with its counties); default false", example = "true")
            @QueryParam("includeSubregions") String includeSubregions) {
        String f = format == null || format.isBlank() ? "json" : format.trim();
        if (!List.of("json", "csv", "xlsx").contains(f)) {
            throw ApiException.field("format", "format 应为 json、csv 或 xlsx / format must be json, csv or xlsx");
        }
        ComplianceReport report = reports.report(caller.get(), from, to, region, includeSubregions);
        if ("json".equals(f)) {
            return Response.ok(report, MediaType.APPLICATION_JSON).build();
        }
        String file = "compliance-report-" + (report.region() == null ? "all" : report.region())
                + (report.includeSubregions() ? "-with-subregions" : "") + "-" + report.from()
                + "-" + report.to() + "." + f;
        StreamingOutput body = "csv".equals(f) ? out -> csv(report, out) : out -> xlsx(report, out);
        return Response.ok(body, "csv".equals(f) ? CSV + "; charset=UTF-8" : DatasetResource.XLSX)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }

    static List<String> cells(DepartmentCompliance d) {
        List<String> cells = new ArrayList<>();
        cells.add(d.departmentCode());
        cells.add(d.departmentName() == null ? "" : d.departmentName());
        cells.add(d.regionCode() == null ? "" : d.regionCode());
        for (Timeliness t : List.of(d.answers(), d.deliveries(), d.objections())) {
            cells.addAll(cells(t));
        }
        cells.addAll(List.of(text(d.suspensions().byProvider()), text(d.suspensions().byAuthority()),
                text(d.suspensions().ofGrantsHeld()), text(d.staleDatasets()), text(d.catalogue().entries()),
                text(d.catalogue().unconditional()), text(d.catalogue().conditional()), text(d.catalogue().notShared()),
                text(d.catalogue().conditionalShare()), text(d.catalogue().notSharedShare())));
        for (SubjectRequests q : List.of(d.corrections(), d.complaints())) {
            cells.add(text(q.received()));
            cells.addAll(cells(q.timeliness()));
            cells.add(text(q.escalated()));
        }
        return cells;
    }

    private static List<String> cells(Timeliness t) {
        return List.of(text(t.total()), text(t.onTime()), text(t.late()), text(t.overdue()), text(t.pending()),
                text(t.onTimeRate()), text(t.averageWorkingDays()));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    /** A cell that a spreadsheet would run as a formula (= + - @ tab CR) starts with '. */
    static String safe(String cell) {
        return !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    static void csv(ComplianceReport report, OutputStream out) throws IOException {
        OutputStreamWriter writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        // a BOM, so that spreadsheet programs read the Chinese headers as UTF-8
        writer.write('\uFEFF');
        CSVPrinter printer = new CSVPrinter(writer, CSVFormat.DEFAULT);
        printer.printRecord(COLUMNS);
        for (DepartmentCompliance d : report.departments()) {
            printer.printRecord(cells(d).stream().map(ComplianceReportResource::safe).toList());
        }
        printer.flush();
    }

    static void xlsx(ComplianceReport report, OutputStream out) throws IOException {
        Workbook wb = new Workbook(out, "data-exchange-service", "1.0");
        Worksheet ws = wb.newWorksheet("合规报告");
        for (int c = 0; c < COLUMNS.size(); c++) {
            ws.inlineString(0, c, COLUMNS.get(c));
        }
        int r = 1;
        for (DepartmentCompliance d : report.departments()) {
            List<String> cells = cells(d);
            for (int c = 0; c < cells.size(); c++) {
                if (c < TEXT_COLUMNS) {
                    ws.inlineString(r, c, cells.get(c));
                } else if (!cells.get(c).isEmpty()) {
                    ws.value(r, c, Double.parseDouble(cells.get(c)));
                }
            }
            r++;
        }
        ws.finish();
        wb.finish();
    }
}
