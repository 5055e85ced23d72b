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
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.catalog.model.Codes;
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
    @RolesAllowed({"catalog-editor", "head", "reviewer", "admin", "system", "auditor", "operator"})
    @Operation(summary = "Export entries (?format=xlsx|csv&provider=<code>): published entries, plus the drafts the "
            + "caller may read (editors and heads their department's, reviewers their region's, admins and auditors "
            + "all). One row per data item. Whoever may read an entry's draft gets the draft (a change under way "
            + "included), everyone else the published copy; the column 状态 says which (已发布, or the draft's state), the "
            + "column 版本 the draft's lockVersion. CSV cells that would run as formulas (= + - @ tab CR) start with '. "
            + "Written as it is read; an .xlsx export longer than a worksheet continues on the next one.")
    public Response export(@QueryParam("format") String format,
            @Parameter(description = "only entries of this provider (统一社会信用代码, any letter case)",
                    example = "11330000002481020A") @QueryParam("provider") String provider) {
        String f = format == null ? "xlsx" : format;
        if (!f.equals("xlsx") && !f.equals("csv")) {
            throw ApiException.field("format", "应为 xlsx 或 csv / must be xlsx or csv");
        }
        Caller c = Callers.of(identity);
        String providerCode = Codes.department(provider);
        if (f.equals("xlsx")) {
            StreamingOutput body = out -> sheets.exportXlsx(c, providerCode, out);
            return Response.ok(body, XLSX).header("Content-Disposition", "attachment; filename=\"catalog.xlsx\"")
                    .build();
        }
        StreamingOutput body = out -> sheets.exportCsv(c, providerCode, out);
        return Response.ok(body, CSV + ";charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"catalog.csv\"").build();
    }

    @POST
    @Consumes({XLSX, CSV, MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"catalog-editor", "admin"})
    @Operation(summary = "Import entries as drafts, idempotently per department: an editor imports for their own "
            + "department (provider empty or theirs; another department 403); an admin imports for the department "
            + "named by provider (its 统一社会信用代码 in identity-service's department register: the entries' provider "
            + "is that department and their region the department's, 登记日期 may be filled, and the history records "
            + "the admin as having imported them on the department's behalf; provider missing, malformed, unknown or "
            + "of a deactivated department 400 naming provider; register unreachable 503); nothing is read or "
            + "imported from a refused request. An entry the department already has (same resource code, else same "
            + "name and classification code) updates its draft when that is being edited, and is "
            + "skipped when identical, in review or published; a draft changed since the export (its lockVersion "
            + "differs from the sheet's 版本) is a CONFLICT and not applied, and a sheet without 版本 updates no "
            + "existing draft; `rows` says per entry created, updated, skipped or in conflict and why. Only worksheets "
            + "whose first row is the catalogue header are read, blank rows are skipped, a CSV file is UTF-8 or "
            + "GB18030, and a file longer than catalog.spreadsheet.max-import-rows rows is refused with 422. "
            + "The optional column 登记日期 (yyyy-MM-dd, or an .xlsx date cell; not after today, Beijing time, nor "
            + "before 2000-01-01) registers the entries the import creates on the day they were first registered in "
            + "the catalogue kept before; only an account holding admin may fill it (a department editor's file with "
            + "it filled is a problem of the row naming the column), and for an entry "
            + "already in the catalogue it must be empty or its registeredOn. "
            + "All-or-nothing: any problem gives 422 with a row-by-row report (`rows`) and nothing is stored; "
            + "?partial=true stores the valid entries and reports the rest.")
    @APIResponse(responseCode = "201", description = "what became of each entry of the sheet (with partial=true, also "
            + "the problems of the rows left out)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SpreadsheetService.ImportResult.class)))
    @APIResponse(responseCode = "400", description = "provider missing (admin), malformed, not a registered department "
            + "or a deactivated one; partial not true or false")
    @APIResponse(responseCode = "403", description = "an editor naming another department in provider, or a caller "
            + "who is neither editor nor admin")
    @APIResponse(responseCode = "503", description = "identity-service's department register did not answer (admin "
            + "importing for a department)")
    public Response importEntries(@HeaderParam("Content-Type") String contentType,
            @QueryParam("partial") Boolean partial,
            @Parameter(description = "统一社会信用代码 of the department imported for, any letter case: an admin's "
                    + "import names it (required for an admin who imports on a department's behalf); an editor may "
                    + "give only their own",
                    example = "11330000002481020A") @QueryParam("provider") String provider,
            byte[] body) {
        Caller caller = Callers.of(identity);
        // who imports for which department is decided before the file is read: a refused request reads nothing
        SpreadsheetService.ImportFor target = sheets.importFor(caller, provider);
        if (body == null || body.length == 0) {
            throw new ApiException(ProblemType.UNPROCESSABLE, "文件为空 / empty file");
        }
        // media types are case-insensitive (RFC 9110 §8.3.1): Text/CSV is CSV, not a workbook that cannot be read
        boolean csv = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(CSV);
        List<Map<String, String>> rows = csv ? sheets.readCsv(body) : sheets.readXlsx(body);
        SpreadsheetService.ImportResult result = sheets.importRows(caller, target, rows, Boolean.TRUE.equals(partial));
        return Response.status(201).entity(result).build();
    }
}
