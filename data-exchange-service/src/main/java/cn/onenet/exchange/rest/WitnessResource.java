package cn.onenet.exchange.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.Problem;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Commands.RegisterWitness;
import cn.onenet.exchange.service.UsageLogWitnessService;
import cn.onenet.exchange.service.UsageLogWitnessService.ChangePage;
import cn.onenet.exchange.service.UsageLogWitnessService.ReceiptPage;
import cn.onenet.exchange.service.UsageLogWitnessService.Witness;

/**
 * Witnesses of the usage log (见证): department systems that receive every signed checkpoint and keep it outside the
 * exchange. Registered by the platform's admins; read by admins and auditors.
 */
@Path("/api/exchange/v1/usage-log/witnesses")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage-log", description = "使用记录 (usage log)")
public class WitnessResource {

    static final String WITNESS = "{\"departmentCode\": \"11330000002481060E\", "
            + "\"url\": \"https://audit.rsj.zj.gov.cn/usage-log-witness\", \"status\": \"ACTIVE\", "
            + "\"statusReason\": null, \"registeredBy\": \"admin-1\", \"createdAt\": \"2026-12-04T09:00:00Z\", "
            + "\"updatedBy\": \"admin-1\", \"updatedAt\": \"2026-12-04T09:00:00Z\", \"acknowledged\": 212, "
            + "\"pending\": 0, "
            + "\"lastAcknowledgedSeq\": 1043, \"lastError\": null}";

    static final String BAD_URL = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"须为 https 地址 / must be an https URL\", \"field\": \"url\", "
            + "\"errors\": [{\"field\": \"url\", \"message\": \"须为 https 地址 / must be an https URL\"}], "
            + "\"requestId\": \"2f6d1c3a-8b4e-4f71-9a02-5e7c3b1d9f84\"}";

    static final String BAD_CODE = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"须为 18 位统一社会信用代码 / must be an 18-character unified social "
            + "credit code\", \"field\": \"departmentCode\", \"errors\": [{\"field\": \"departmentCode\", "
            + "\"message\": \"须为 18 位统一社会信用代码 / must be an 18-character unified social credit code\"}], "
            + "\"requestId\": \"2f6d1c3a-8b4e-4f71-9a02-5e7c3b1d9f84\"}";

    static final String PUSHED = "{\"format\":\"onenet-usage-log-witness/1\",\"checkpointId\":212,\"lastSeq\":1043,"
            + "\"lastHash\":\"5c1f0e7a9b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e\",\"entryCount\":1043,"
            + "\"createdAt\":\"2026-12-04T09:35:00.123456Z\",\"kid\":\"113300000024810109-mwrn2xvk\","
            + "\"payloadFormat\":2,\"payload\":\"{...}\",\"signature\":\"eyJ...Bw\",\"timestampToken\":null}";

    private final UsageLogWitnessService witnesses;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public WitnessResource(UsageLogWitnessService witnesses, CurrentCaller caller, ExchangeConfig config) {
        this.witnesses = witnesses;
        this.caller = caller;
        this.config = config;
    }

    @PUT
    @Path("/{departmentCode}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Registers a department system as a witness of the usage log (201), or re-points it and "
            + "resumes it (200): every signed checkpoint is POSTed to it, in order, and its acknowledgement kept.",
            description = "The department must be an active department of the register identity-service publishes "
                    + "(else 400 naming departmentCode). The URL follows the webhooks' rules: https, its host "
                    + "resolving to a public address (400 naming url), unless in exchange.outbound.allowed-hosts; "
                    + "plain http to loopback only where exchange.webhook.allow-loopback-http is set (development, "
                    + "tests). A new witness is sent the latest checkpoint first, then each one signed after it. "
                    + "Each POST's body is the checkpoint record the witness keeps (and hands to usage-log-verifier "
                    + "--witness as one NDJSON line, unchanged): " + PUSHED + "; X-Exchange-Seal is a detached JWS "
                    + "over it by the 主管部门's seal (JWKS at /usage-log/checkpoint-keys) with the delivery id, the "
                    + "time (iat) and the witness in its protected header. A 2xx acknowledges it; the answer's "
                    + "{\"receipt\": \"…\"} (or its plain text), up to 4096 characters, is kept as the receipt. "
                    + "Other answers are retried with back-off (5xx, 408, 429, no connection) or refused; after "
                    + "exchange.usage-log.witness.max-attempts, or a refusal, the witness is FAILING until it is "
                    + "registered again. Each registration, re-pointing (another URL) and resumption (the same URL) "
                    + "is kept in the witness's history with who made it; a re-pointing is told to the witness "
                    + "department and the 主管部门 (notice WITNESS_CHANGED).")
    @APIResponse(responseCode = "201", description = "witness registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Witness.class),
                    examples = @ExampleObject(name = "registered", value = WITNESS)))
    @APIResponse(responseCode = "200", description = "witness re-pointed and resumed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Witness.class),
                    examples = @ExampleObject(name = "re-pointed", value = WITNESS)))
    @APIResponse(responseCode = "400", description = "departmentCode not an active department of the register, or url "
            + "missing, not https or not a public address, named in field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not https",
                    value = BAD_URL)))
    public Response register(
            @Parameter(description = "统一社会信用代码 of the witness department", example = "11330000002481060E")
            @PathParam("departmentCode") String departmentCode, RegisterWitness body) {
        boolean created = witnesses.register(caller.get(), departmentCode, body);
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(witnesses.view(departmentCode)).build();
    }

    @GET
    @RolesAllowed({ "admin", "auditor" })
    @Operation(summary = "The registered witnesses: state, how many checkpoints each acknowledged and has pending, "
            + "the newest acknowledged sequence number and the last failure's category.")
    @APIResponse(responseCode = "200", description = "every witness, by department code",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = Witness.class),
                    examples = @ExampleObject(name = "one witness", value = "[" + WITNESS + "]")))
    public List<Witness> list() {
        return witnesses.list();
    }

    @DELETE
    @Path("/{departmentCode}")
    @RolesAllowed("admin")
    @Operation(summary = "Removes a witness: nothing more is sent to it; its receipts and its history are kept. The "
            + "removal is kept in its history with who made it and told to the witness department and the 主管部门 "
            + "(notice WITNESS_CHANGED).")
    @APIResponse(responseCode = "204", description = "removed")
    @APIResponse(responseCode = "404", description = "no witness registered for the department",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response remove(@PathParam("departmentCode") String departmentCode) {
        witnesses.remove(caller.get(), departmentCode);
        return Response.noContent().build();
    }

    @GET
    @Path("/{departmentCode}/history")
    @RolesAllowed({ "admin", "auditor" })
    @Operation(summary = "Every change of a witness's registration, newest first: registered, re-pointed, resumed, "
            + "removed, with the URL before and after, who (subject and name), when and the request id; also after "
            + "the witness was removed. Append-only: no change is ever edited or deleted.")
    @APIResponse(responseCode = "200", description = "one page of changes and how many there are",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ChangePage.class),
                    examples = @ExampleObject(name = "re-pointed", value = "{\"page\": 0, \"size\": 50, "
                            + "\"total\": 2, \"changes\": [{\"id\": 3, \"action\": \"REPOINTED\", "
                            + "\"previousUrl\": \"https://audit.rsj.zj.gov.cn/usage-log-witness\", "
                            + "\"url\": \"https://audit2.rsj.zj.gov.cn/usage-log-witness\", "
                            + "\"previousStatus\": \"ACTIVE\", \"actorSubject\": \"admin-2\", "
                            + "\"actorName\": \"王五\", \"requestId\": \"2f6d1c3a-8b4e-4f71-9a02-5e7c3b1d9f84\", "
                            + "\"changedAt\": \"2026-12-05T10:12:00Z\"}, {\"id\": 1, \"action\": \"REGISTERED\", "
                            + "\"previousUrl\": null, \"url\": \"https://audit.rsj.zj.gov.cn/usage-log-witness\", "
                            + "\"previousStatus\": null, \"actorSubject\": \"admin-1\", \"actorName\": \"张三\", "
                            + "\"requestId\": \"9b2e4d6f-1a3c-4e5f-8a7b-0c1d2e3f4a5b\", "
                            + "\"changedAt\": \"2026-12-04T09:00:00Z\"}]}")))
    @APIResponse(responseCode = "400", description = "departmentCode not an 18-character 统一社会信用代码, or a bad "
            + "page or size, named in field", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "not a code", value = BAD_CODE)))
    @APIResponse(responseCode = "404", description = "the department's witness was never registered",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ChangePage history(
            @Parameter(description = "统一社会信用代码 of the witness department", example = "11330000002481060E")
            @PathParam("departmentCode") String departmentCode, @BeanParam PageQuery pages) {
        ListPaging paging = pages.paging(config.maxPageSize());
        return witnesses.history(departmentCode, paging.page(), paging.size());
    }

    @GET
    @Path("/{departmentCode}/receipts")
    @RolesAllowed({ "admin", "auditor" })
    @Operation(summary = "The checkpoints a witness acknowledged, newest first, with when and its receipt; also after "
            + "the witness was removed.")
    @APIResponse(responseCode = "200", description = "one page of receipts and how many there are",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReceiptPage.class),
                    examples = @ExampleObject(name = "a page", value = "{\"page\": 0, \"size\": 50, \"total\": 212, "
                            + "\"receipts\": [{\"checkpointId\": 212, \"lastSeq\": 1043, "
                            + "\"acknowledgedAt\": \"2026-12-04T09:35:00.412Z\", "
                            + "\"receipt\": \"rsj-witness-0000212\"}]}")))
    @SharedAnswers.BadPage
    @APIResponse(responseCode = "404", description = "the department is no witness and never acknowledged anything",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public ReceiptPage receipts(@PathParam("departmentCode") String departmentCode, @BeanParam PageQuery pages) {
        ListPaging paging = pages.paging(config.maxPageSize());
        return witnesses.receipts(departmentCode, paging.page(), paging.size());
    }
}
