package cn.onenet.exchange.rest;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.requestid.RequestIds;
import cn.onenet.exchange.service.ExportService;
import cn.onenet.exchange.service.ExportService.Download;
import cn.onenet.exchange.service.ExportService.Job;
import cn.onenet.exchange.service.TextLimits;

/** Bulk export jobs (CSV / JSON Lines) with a manifest sealed by the provider. */
@Path("/api/exchange/v1/exports")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "exports", description = "批量导出 (bulk export)")
public class ExportResource {

    public record StartExport(@Schema(example = "17") Long grantId,
            @Schema(description = "CSV or JSONL", maxLength = TextLimits.CODE, example = "CSV") String format) {
    }

    private static final String PENDING = "{\"id\": 8, \"grantId\": 17, \"consumer\": \"11330000002481060E\", "
            + "\"format\": \"CSV\", \"status\": \"PENDING\", \"records\": null, \"manifest\": null, "
            + "\"manifestJson\": null, \"manifestSeal\": null, \"failure\": null, "
            + "\"createdAt\": \"2026-12-03T02:30:00Z\"}";

    private static final String READY = "{\"id\": 8, \"grantId\": 17, \"consumer\": \"11330000002481060E\", "
            + "\"format\": \"CSV\", \"status\": \"READY\", \"records\": 4, \"manifest\": {\"exportId\": 8, "
            + "\"resourceCode\": \"101001/000001\", \"grantId\": 17, "
            + "\"consumerDepartmentCode\": \"11330000002481060E\", \"providerDepartmentCode\": \"11330000002481020A\", "
            + "\"purpose\": \"社会保障待遇资格认证\", \"format\": \"CSV\", "
            + "\"csvFormulaEscaping\": \"apostrophe-prefix\", \"csvFormulaEscapedCells\": 0, "
            + "\"items\": [\"GMSFHM\", \"XM\"], "
            + "\"maskedItems\": [\"GMSFHM\"], \"records\": 4, "
            + "\"sha256\": \"a1b7e8a17e5d6bbc9549bd2825e5d479425d396a3c7a0557880111d39c6ae487\"}, "
            + "\"manifestJson\": \"{\\\"exportId\\\":8,\\\"resourceCode\\\":\\\"101001/000001\\\","
            + "\\\"grantId\\\":17,\\\"consumerDepartmentCode\\\":\\\"11330000002481060E\\\","
            + "\\\"providerDepartmentCode\\\":\\\"11330000002481020A\\\",\\\"purpose\\\":"
            + "\\\"社会保障待遇资格认证\\\",\\\"format\\\":\\\"CSV\\\",\\\"csvFormulaEscaping\\\":"
            + "\\\"apostrophe-prefix\\\",\\\"csvFormulaEscapedCells\\\":0,\\\"items\\\":[\\\"GMSFHM\\\","
            + "\\\"XM\\\"],\\\"maskedItems\\\":[\\\"GMSFHM\\\"],\\\"records\\\":4,\\\"sha256\\\":"
            + "\\\"a1b7e8a17e5d6bbc9549bd2825e5d479425d396a3c7a0557880111d39c6ae487\\\"}\", "
            + "\"manifestSeal\": \"eyJhbGciOiJFZERTQSIsImtpZCI6IjExMzMwMDAwMDAyNDgxMDIwQS1td3JuMnh2ayIs"
            + "ImRlcHQiOiIxMTMzMDAwMDAwMjQ4MTAyMEEifQ..wHYZeZ6hjtX5jGFw8o2g9mdUAlKIyIdDDtW4AiEovIVY3suPW9b5lFn2_"
            + "sO5stqrbRR4yclo7D59QJi_RYGtDA\", "
            + "\"failure\": null, \"createdAt\": \"2026-12-03T02:30:00Z\"}";

    private final ExportService exports;
    private final CurrentCaller caller;

    public ExportResource(ExportService exports, CurrentCaller caller) {
        this.exports = exports;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Start an export of the grant's resource (format CSV or JSONL); poll the job until READY.")
    @APIResponse(responseCode = "202", description = "the export job; Location names it, poll it until READY",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Job.class),
                    examples = @ExampleObject(name = "pending", value = PENDING)))
    public Response start(@HeaderParam("Idempotency-Key") String key, StartExport body) {
        Job job = exports.create(caller.get(), body == null ? null : body.grantId(), body == null ? null : body.format(),
                key);
        return Response.status(202).location(URI.create("/api/exchange/v1/exports/" + job.id())).entity(job).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Job status and, when READY, the manifest (records, SHA-256 of the file) and its seal "
            + "(detached JWS over manifestJson, the manifest exactly as sealed, in UTF-8; manifest is the same, "
            + "parsed).")
    @APIResponse(responseCode = "200", description = "the export job; READY once the file can be downloaded",
            content = @org.eclipse.microprofile.openapi.annotations.media.Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Job.class),
                    examples = @ExampleObject(name = "ready", value = READY)))
    public Job job(@PathParam("id") long id) {
        return exports.view(caller.get(), id);
    }

    @GET
    @Path("/{id}/content")
    @Produces({ "text/csv", "application/x-ndjson", MediaType.APPLICATION_JSON })
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Download the file, streamed part by part (at most exchange.export.part-records records "
            + "each); every part is logged before it leaves. X-Usage-Log-Seq names the first part's entry, "
            + "X-Export-Parts the number of parts (and of usage-log entries). Check the whole body against the "
            + "manifest's sha256 and the manifest against its seal.")
    @APIResponse(responseCode = "200", description = "the file (CSV or JSON Lines), exactly the bytes the manifest's "
            + "sha256 covers")
    @APIResponse(responseCode = "409", description = "not READY yet, or the grant changed since the export was made "
            + "and no longer allows every item the file holds (or holds in clear): create a new export")
    @APIResponse(responseCode = "410", description = "the file of a READY export is missing: the export is FAILED "
            + "now, nothing was logged or sent; create it again (the same Idempotency-Key starts a new job)")
    public Response content(@PathParam("id") long id) {
        Download d = exports.download(caller.get(), id, RequestIds.current());
        StreamingOutput body = d.body()::writeTo;
        return Response.ok(body, "CSV".equals(d.format()) ? "text/csv; charset=UTF-8" : "application/x-ndjson")
                .header("X-Usage-Log-Seq", d.logSeq()).header("X-Export-Parts", d.parts()).build();
    }
}
