package cn.onenet.catalog.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.service.Caller;
import cn.onenet.catalog.service.SpreadsheetService;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;

/** Bulk import and export of entries as Excel (.xlsx) and CSV, in the layout departments fill in. */
@Path("/api/catalog/v1/spreadsheets/entries")
@Tag(name = "spreadsheets", description = "目录批量导入导出 / bulk import and export")
public class SpreadsheetResource {

    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final String CSV = "text/csv";

    private final SpreadsheetService sheets;
    private final SecurityIdentity identity;

    public SpreadsheetResource(SpreadsheetService sheets, SecurityIdentity identity) {
        this.sheets = sheets;
        this.identity = identity;
    }

    @GET
    @Produces({XLSX, CSV})
    @RolesAllowed({"catalog-editor", "reviewer", "admin", "system", "auditor", "operator"})
    @Operation(summary = "Export entries (?format=xlsx|csv&provider=<code>): published entries, plus the drafts the "
            + "caller may read (editors their department's, reviewers their region's, admins and auditors all). One "
            + "row per data item.")
    public Response export(@QueryParam("format") String format, @QueryParam("provider") String provider) {
        String f = format == null ? "xlsx" : format;
        Caller c = Callers.of(identity);
        List<CatalogEntry> entries = sheets.exportable(c, provider);
        return switch (f) {
            case "xlsx" -> Response.ok(sheets.exportXlsx(entries), XLSX)
                    .header("Content-Disposition", "attachment; filename=\"catalog.xlsx\"").build();
            case "csv" -> Response.ok(sheets.exportCsv(entries), CSV + ";charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"catalog.csv\"").build();
            default -> throw ApiException.field("format", "应为 xlsx 或 csv / must be xlsx or csv");
        };
    }

    @POST
    @Consumes({XLSX, CSV, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Import entries of the caller's department as drafts, idempotently: an entry the department "
            + "already has (same name and classification code) updates its draft when that is being edited, and is "
            + "skipped when identical, in review or published; `rows` says per entry created, updated or skipped and "
            + "why. All-or-nothing: any problem gives 422 with a row-by-row report (`rows`) and nothing is stored; "
            + "?partial=true stores the valid entries and reports the rest.")
    @APIResponse(responseCode = "201", description = "what became of each entry of the sheet (with partial=true, also "
            + "the problems of the rows left out)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SpreadsheetService.ImportResult.class)))
    public Response importEntries(@HeaderParam("Content-Type") String contentType,
            @QueryParam("partial") boolean partial, byte[] body) {
        if (body == null || body.length == 0) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "文件为空 / empty file");
        }
        boolean csv = contentType != null && contentType.startsWith(CSV);
        List<Map<String, String>> rows = csv ? sheets.readCsv(body) : sheets.readXlsx(body);
        SpreadsheetService.ImportResult result = sheets.importRows(Callers.of(identity), rows, partial);
        return Response.status(201).entity(result).build();
    }
}
