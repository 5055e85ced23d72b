package cn.onenet.identity.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.service.LegalPersonRegistryLoader;
import cn.onenet.identity.service.LegalPersonRegistryLoader.Outcome;
import cn.onenet.identity.service.LegalPersonRegistryLoader.Row;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * 法人库: administrators load the legal-person reference enterprises are checked against at self-registration, as
 * JSON or CSV. Rows are added or replaced by code; the representative's ID number is kept only as a keyed digest.
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
            {"rows": 2, "added": 1, "replaced": 1, "representativeChanges": ["91330106MA2H00001E"]}""";
    private static final String BAD_ROW = """
            {"type": "urn:onenet:problem:validation", "title": "请求参数校验失败", "status": 400,
             "detail": "登记状态应为存续、吊销或注销 / status is one of 存续 (IN_BUSINESS), 吊销 (REVOKED), 注销 (DEREGISTERED)",
             "field": "rows[1].status", "errors": [{"field": "rows[1].status", "message": "登记状态应为存续、吊销或注销 / status is one of 存续 (IN_BUSINESS), 吊销 (REVOKED), 注销 (DEREGISTERED)"}]}""";

    private final LegalPersonRegistryLoader loader;
    private final SecurityIdentity caller;

    public LegalPersonRegistryResource(LegalPersonRegistryLoader loader, SecurityIdentity caller) {
        this.loader = loader;
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
                    + "this load: recorded, both persons told, the account not switched") List<String> representativeChanges) {

        static OutcomeView of(Outcome o) {
            return new OutcomeView(o.rows(), o.added(), o.replaced(), o.representativeChanges());
        }
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
    @Operation(summary = "Load rows of the legal-person register (法人库), as CSV (UTF-8). Role admin.",
            description = "The first line names the columns: uscc, name, representativeIdNumber or "
                    + "representativeIdDigest, status. Otherwise as the JSON load; rows[i] counts the data lines "
                    + "from 0.")
    @RequestBody(content = @Content(mediaType = "text/csv", examples = @ExampleObject(name = "rows", value = CSV_ROWS)))
    @APIResponse(responseCode = "200", description = "loaded", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OutcomeView.class)))
    @APIResponse(responseCode = "400", description = "a bad row or header, none, or too many")
    @APIResponse(responseCode = "403", description = "not an administrator")
    public OutcomeView loadCsv(String body) {
        return OutcomeView.of(loader.load(LegalPersonRegistryLoader.parseCsv(body), caller.getPrincipal().getName()));
    }
}
