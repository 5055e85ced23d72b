package cn.onenet.identity.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.service.CsvText;
import cn.onenet.identity.service.LegalPersonRegistryListing;
import cn.onenet.identity.service.LegalPersonRegistryLoader;
import cn.onenet.identity.service.ListPage;
import cn.onenet.identity.service.LegalPersonRegistryLoader.Outcome;
import cn.onenet.identity.service.LegalPersonRegistryLoader.Row;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * 法人库: administrators load the legal-person reference enterprises are checked against at self-registration, as
 * JSON or CSV. Rows are added or replaced by code; the representative's ID number is kept only as a keyed digest.
 * Administrators and auditors read the rows and the changes loads recorded, without ID numbers or digests.
 */
@Path("/api/identity/v1/legal-person-registry")
@Tag(name = "Accounts")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class LegalPersonRegistryResource {

    private static final String JSON_ROWS = """
            {"rows": [{"uscc": "91330106MA2H00001E", "name": "杭州数智科技有限公司",
              "representativeIdNumber": "33010619850312001X", "status": "存续"},
             {"uscc": "91330100MA27XL0Q3X", "name": "杭州某某贸易有限公司（分公司）",
              "representativeIdDigest": "q3d7Xz0bJ5mZK2m0yqQG1QvJ9h8mYy2f0v8YjvQ3xS4", "status": "吊销"}]}""";
    private static final String CSV_ROWS = """
            uscc,name,representativeIdNumber,status
            91330106MA2H00001E,杭州数智科技有限公司,33010619850312001X,存续
            91330100MA27XL0Q3X,"杭州某某贸易有限公司（分公司）",330110200102150052,注销
            """;
    private static final String OUTCOME = """
            {"rows": 2, "added": 1, "replaced": 1, "representativeChanges": ["91330106MA2H00001E"],
             "statusChanges": ["91330100MA27XL0Q3X"]}""";
    private static final String ROWS = """
            [{"uscc": "91330100MA27XL0Q3X", "name": "杭州某某贸易有限公司（分公司）", "status": "REVOKED",
              "statusLabel": "吊销", "loadedAt": "2026-03-09T10:02:11+08:00", "loadedBy": "dsj.admin",
              "accountExists": true},
             {"uscc": "91330106MA2H00001E", "name": "杭州数智科技有限公司", "status": "IN_BUSINESS",
              "statusLabel": "存续", "loadedAt": "2026-03-09T10:02:11+08:00", "loadedBy": "dsj.admin",
              "accountExists": true}]""";
    private static final String CHANGES = """
            [{"id": "6c1e9a2f-0b7d-4e3a-8f51-2d9c7b4a0e68", "kind": "STATUS", "uscc": "91330100MA27XL0Q3X",
              "enterpriseName": "杭州某某贸易有限公司（分公司）", "recordedRepresentative": "王*",
              "newRepresentative": null, "previousStatus": "IN_BUSINESS", "registryStatus": "REVOKED",
              "detectedAt": "2026-03-09T10:02:11+08:00", "detectedBy": "dsj.admin", "endedAt": null, "outcome": null},
             {"id": "1a7f3c5e-9d2b-4b60-a8e4-7c0f2e6d9b31", "kind": "REPRESENTATIVE", "uscc": "91330106MA2H00001E",
              "enterpriseName": "杭州数智科技有限公司", "recordedRepresentative": "张*", "newRepresentative": "李*",
              "previousStatus": null, "registryStatus": null, "detectedAt": "2026-03-09T10:02:11+08:00",
              "detectedBy": "dsj.admin", "endedAt": "2026-03-10T09:30:00+08:00", "outcome": "TAKEN_OVER"}]""";
    private static final String BAD_PAGE = """
            {"type": "urn:onenet:problem:validation", "title": "请求参数校验失败", "status": 400,
             "detail": "每页1-200条 / size must be 1..200", "field": "size",
             "errors": [{"field": "size", "message": "每页1-200条 / size must be 1..200"}]}""";
    private static final String BAD_ROW = """
            {"type": "urn:onenet:problem:validation", "title": "请求参数校验失败", "status": 400,
             "detail": "登记状态应为存续、吊销或注销 / status is one of 存续 (IN_BUSINESS), 吊销 (REVOKED), 注销 (DEREGISTERED)",
             "field": "rows[1].status", "errors": [{"field": "rows[1].status", "message": "登记状态应为存续、吊销或注销 / status is one of 存续 (IN_BUSINESS), 吊销 (REVOKED), 注销 (DEREGISTERED)"}]}""";

    private final LegalPersonRegistryLoader loader;
    private final LegalPersonRegistryListing listing;
    private final SecurityIdentity caller;

    public LegalPersonRegistryResource(LegalPersonRegistryLoader loader, LegalPersonRegistryListing listing,
            SecurityIdentity caller) {
        this.loader = loader;
        this.listing = listing;
        this.caller = caller;
    }

    @Schema(name = "LegalPersonRegistryLoad")
    public record Load(@Schema(description = "at most identity.legal-person-registry.max-rows") List<RowBody> rows) {
    }

    @Schema(name = "LegalPersonRegistryRow", description = "exactly one of representativeIdNumber and "
            + "representativeIdDigest")
    public record RowBody(@Schema(example = "91330106MA2H00001E") String uscc,
            @Schema(example = "杭州数智科技有限公司", maxLength = 200) String name,
            @Schema(description = "the legal representative's 公民身份号码; turned into its keyed digest, never stored",
                    example = "33010619850312001X") String representativeIdNumber,
            @Schema(description = "or the keyed digest this service keeps (43 base64url characters)")
            String representativeIdDigest,
            @Schema(description = "存续, 吊销 or 注销 (or IN_BUSINESS, REVOKED, DEREGISTERED)", example = "存续")
            String status) {
    }

    @Schema(name = "LegalPersonRegistryOutcome", example = OUTCOME)
    public record OutcomeView(int rows, int added, int replaced,
            @Schema(description = "registered enterprises whose account names another legal representative than "
                    + "this load: recorded, both persons told, the account not switched") List<String> representativeChanges,
            @Schema(description = "registered enterprises this load turned to 吊销 or 注销: recorded, the "
                    + "representative and the administrators told, the account not disabled") List<String> statusChanges) {

        static OutcomeView of(Outcome o) {
            return new OutcomeView(o.rows(), o.added(), o.replaced(), o.representativeChanges(), o.statusChanges());
        }
    }

    @Schema(name = "LegalPersonRegistryEntry", description = "a reference row: never the representative's ID "
            + "number nor its digest")
    public record EntryView(@Schema(example = "91330106MA2H00001E") String uscc,
            @Schema(example = "杭州数智科技有限公司") String name,
            @Schema(enumeration = { "IN_BUSINESS", "REVOKED", "DEREGISTERED" }) String status,
            @Schema(description = "存续, 吊销 or 注销", example = "存续") String statusLabel, OffsetDateTime loadedAt,
            @Schema(description = "the administrator who loaded it") String loadedBy,
            @Schema(description = "an enterprise account (not closed) has this code") boolean accountExists) {

        static EntryView of(LegalPersonRegistryListing.Entry e) {
            return new EntryView(e.uscc(), e.name(), e.status(), e.statusLabel(), e.loadedAt(), e.loadedBy(),
                    e.accountExists());
        }
    }

    @Schema(name = "LegalPersonRegistryChange", description = "a change a load recorded for a registered "
            + "enterprise: REPRESENTATIVE (the reference names another legal representative; open until taken over, "
            + "reverted or superseded) or STATUS (turned to 吊销 or 注销). Persons by masked name only")
    public record ChangeView(UUID id, @Schema(enumeration = { "REPRESENTATIVE", "STATUS" }) String kind,
            @Schema(example = "91330106MA2H00001E") String uscc, String enterpriseName,
            @Schema(description = "the account's legal representative when recorded, masked", example = "张*")
            String recordedRepresentative,
            @Schema(description = "REPRESENTATIVE: the person the reference names, masked; null when they have no "
                    + "account", example = "李*") String newRepresentative,
            @Schema(description = "STATUS: the status before the load; null when the reference had no row")
            String previousStatus,
            @Schema(description = "STATUS: REVOKED or DEREGISTERED") String registryStatus,
            OffsetDateTime detectedAt, String detectedBy,
            @Schema(description = "REPRESENTATIVE: when it ended; null while open") OffsetDateTime endedAt,
            @Schema(enumeration = { "TAKEN_OVER", "REVERTED", "SUPERSEDED" }) String outcome) {

        static ChangeView of(LegalPersonRegistryListing.Change c) {
            return new ChangeView(c.id(), c.kind(), c.uscc(), c.enterpriseName(), c.recordedRepresentative(),
                    c.newRepresentative(), c.previousStatus(), c.registryStatus(), c.detectedAt(), c.detectedBy(),
                    c.endedAt(), c.outcome());
        }
    }

    @GET
    @RolesAllowed({"admin", "auditor"})
    @Operation(summary = "The reference rows (法人库), by code, one page at a time; X-Total-Count counts every match. "
            + "Roles admin, auditor.", description = "No ID number nor digest of a representative is shown.")
    @APIResponse(responseCode = "200", description = "one page of rows",
            headers = @Header(name = "X-Total-Count", description = "how many rows match, on all pages",
                    schema = @Schema(type = SchemaType.INTEGER, example = "2")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = EntryView.class),
                    examples = @ExampleObject(name = "rows", value = ROWS)))
    @APIResponse(responseCode = "400", description = "a filter over 100 characters, a negative page or a size "
            + "outside 1..200; the problem names the parameter", content = @Content(
                    mediaType = "application/problem+json", examples = @ExampleObject(name = "bad size",
                            value = BAD_PAGE)))
    @APIResponse(responseCode = "403", description = "neither administrator nor auditor")
    public Response rows(
            @Parameter(description = "part of the 统一社会信用代码, any case", example = "MA2H")
            @QueryParam("uscc") String uscc,
            @Parameter(description = "page number from 0", example = "0") @QueryParam("page") Integer page,
            @Parameter(description = "page size, 1..200 (default 50)", example = "50") @QueryParam("size") Integer size) {
        ListPage<LegalPersonRegistryListing.Entry> found = listing.rows(uscc, page, size);
        return Response.ok(found.items().stream().map(EntryView::of).toList())
                .header("X-Total-Count", found.total()).build();
    }

    @GET
    @Path("changes")
    @RolesAllowed({"admin", "auditor"})
    @Operation(summary = "The changes registry loads recorded for registered enterprises, newest first; "
            + "X-Total-Count counts every match. Roles admin, auditor.",
            description = "REPRESENTATIVE: the reference names another legal representative than the account (the "
                    + "account is switched only when that person takes it over). STATUS: a load turned the "
                    + "enterprise to 吊销 or 注销 (the account is not disabled; an administrator decides). No ID "
                    + "number is shown; persons by masked name.")
    @APIResponse(responseCode = "200", description = "one page of changes",
            headers = @Header(name = "X-Total-Count", description = "how many changes match, on all pages",
                    schema = @Schema(type = SchemaType.INTEGER, example = "2")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ChangeView.class),
                    examples = @ExampleObject(name = "changes", value = CHANGES)))
    @APIResponse(responseCode = "400", description = "a bad kind, a filter over 100 characters, a negative page or "
            + "a size outside 1..200; the problem names the parameter")
    @APIResponse(responseCode = "403", description = "neither administrator nor auditor")
    public Response changes(
            @Parameter(description = "part of the 统一社会信用代码, any case", example = "91330106")
            @QueryParam("uscc") String uscc,
            @Parameter(description = "REPRESENTATIVE or STATUS", schema = @Schema(enumeration = { "REPRESENTATIVE",
                    "STATUS" })) @QueryParam("kind") String kind,
            @Parameter(description = "page number from 0", example = "0") @QueryParam("page") Integer page,
            @Parameter(description = "page size, 1..200 (default 50)", example = "50") @QueryParam("size") Integer size) {
        ListPage<LegalPersonRegistryListing.Change> found = listing.changes(uscc, kind, page, size);
        return Response.ok(found.items().stream().map(ChangeView::of).toList())
                .header("X-Total-Count", found.total()).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Load rows of the legal-person register (法人库), as JSON. Role admin.",
            description = "All rows or none: a bad row is a 400 naming it (rows[i].field). Each row is added or "
                    + "replaces the row of its code.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Load.class), examples = @ExampleObject(name = "rows", value = JSON_ROWS)))
    @APIResponse(responseCode = "200", description = "loaded", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OutcomeView.class),
            examples = @ExampleObject(name = "loaded", value = OUTCOME)))
    @APIResponse(responseCode = "400", description = "a bad row, none, or too many", content = @Content(
            mediaType = "application/problem+json", examples = @ExampleObject(name = "bad status", value = BAD_ROW)))
    @APIResponse(responseCode = "403", description = "not an administrator")
    public OutcomeView loadJson(Load body) {
        List<Row> rows = body == null || body.rows() == null ? null : body.rows().stream().map(r -> r == null ? null
                : new Row(r.uscc(), r.name(), r.representativeIdNumber(), r.representativeIdDigest(), r.status()))
                .toList();
        return OutcomeView.of(loader.load(rows, caller.getPrincipal().getName()));
    }

    @POST
    @Consumes("text/csv")
    @Operation(summary = "Load rows of the legal-person register (法人库), as CSV (UTF-8, or GBK as declared). Role "
            + "admin.", description = "The first line names the columns: uscc, name, representativeIdNumber or "
                    + "representativeIdDigest, status. Otherwise as the JSON load; rows[i] counts the data lines "
                    + "from 0. The charset parameter of Content-Type says how the bytes read: UTF-8 (the default), "
                    + "GBK, GB2312 or GB18030 (Excel saves \"CSV\" in GBK); bytes that are not text in it are a 400 "
                    + "naming the line (header or rows[i]).")
    @RequestBody(content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "rows", value = CSV_ROWS)))
    @APIResponse(responseCode = "200", description = "loaded", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OutcomeView.class)))
    @APIResponse(responseCode = "400", description = "a bad row or header, none, or too many")
    @APIResponse(responseCode = "403", description = "not an administrator")
    @APIResponse(responseCode = "415", description = "a charset other than UTF-8, GBK, GB2312 or GB18030")
    public OutcomeView loadCsv(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        // the bytes as sent: the declared charset decides how they read (Excel's "CSV" is GBK)
        return OutcomeView.of(loader.load(LegalPersonRegistryLoader.parseCsv(CsvText.decode(body, contentType)),
                caller.getPrincipal().getName()));
    }
}
