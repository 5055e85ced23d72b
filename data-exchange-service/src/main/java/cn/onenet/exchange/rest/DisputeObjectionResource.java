package cn.onenet.exchange.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

import cn.onenet.common.problem.Problem;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.rest.Views.DisputeView;
import cn.onenet.exchange.rest.Views.ObjectionView;
import cn.onenet.exchange.rest.Views.StateChangeView;
import cn.onenet.exchange.service.Fields;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.Commands.FileObjection;
import cn.onenet.exchange.service.Commands.ObjectionAnswer;
import cn.onenet.exchange.service.Commands.OpenDispute;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.DisputeService;
import cn.onenet.exchange.service.ObjectionService;
import cn.onenet.exchange.service.StateHistory;
import cn.onenet.exchange.service.TextLimits;

/** Disputes over refusals (R17) and data-quality objections (校核, R13). */
@Path("/api/exchange/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "disputes-objections", description = "争议协调与数据校核")
public class DisputeObjectionResource {

    public record Resolve(@Schema(example = "0") Integer version,
            @Schema(description = "SHARE or UPHOLD", maxLength = TextLimits.CODE, example = "SHARE") String outcome,
            @Schema(maxLength = TextLimits.TEXT, example = "提供部门应于 10 个工作日内重新答复") String resolution) {
    }

    /** A dispute's history: opened by the requester, referred up, decided for sharing. */
    static final String DISPUTE_HISTORY_EXAMPLE = "[{\"id\": 512, \"objectType\": \"DISPUTE\", \"objectId\": 3, "
            + "\"shareRequestId\": 57, \"action\": \"OPEN\", \"fromStatus\": null, \"toStatus\": \"OPEN\", "
            + "\"actor\": {\"subject\": \"4e7b2d9a-1c6f-4a38-b5e2-9f0d3c8a1b76\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"123300004701410503\", \"role\": \"operator\"}, \"automatic\": false, "
            + "\"decision\": false, \"reason\": \"住房公积金提取须核验不动产权属，拒绝理由不成立\", "
            + "\"legalBasis\": null, \"details\": {\"level\": \"COMPETENT_AUTHORITY\", "
            + "\"handlerDepartmentCode\": \"113300000024810109\"}, "
            + "\"requestId\": \"7c2e9a4b-6d1f-4e83-b0a5-2f8d6c3e9b17\", \"at\": \"2026-12-10T02:00:00Z\"}, "
            + "{\"id\": 530, \"objectType\": \"DISPUTE\", \"objectId\": 3, \"shareRequestId\": 57, "
            + "\"action\": \"RESOLVE\", \"fromStatus\": \"OPEN\", \"toStatus\": \"RESOLVED_SHARE\", "
            + "\"actor\": {\"subject\": \"c2b7e9d4-5f18-4a3c-9e60-7d1a4b8f2c53\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"113300000024810109\", \"role\": \"reviewer\"}, \"automatic\": false, "
            + "\"decision\": true, \"reason\": \"提供部门应于 10 个工作日内重新答复\", \"legalBasis\": null, "
            + "\"details\": {\"outcome\": \"SHARE\", \"level\": \"COMPETENT_AUTHORITY\"}, "
            + "\"requestId\": \"2b9f4c7e-0a3d-4e61-8c25-d6a1f3b8e904\", \"at\": \"2026-12-15T08:20:31Z\"}]";

    static final String DISPUTES_EXAMPLE = "[{\"id\": 3, \"version\": 0, \"requestId\": 57, "
            + "\"consumerDepartmentCode\": \"11330106MB00000010\", \"providerDepartmentCode\": \"11330100MB00000020\", "
            + "\"reason\": \"住房公积金提取须核验不动产权属，拒绝理由不成立\", \"level\": \"COMPETENT_AUTHORITY\", "
            + "\"handlerDepartmentCode\": \"113300000024810109\", \"status\": \"OPEN\", \"resolution\": null, "
            + "\"createdAt\": \"2026-12-10T02:00:00Z\", \"regionCode\": \"330100\", "
            + "\"consumerRegionCode\": \"330106\", \"providerRegionCode\": \"330100\"}]";

    /** An objection's history: filed by the consumer, answered by the provider. */
    static final String OBJECTION_HISTORY_EXAMPLE = "[{\"id\": 610, \"objectType\": \"OBJECTION\", "
            + "\"objectId\": 5, \"shareRequestId\": null, \"action\": \"FILE\", \"fromStatus\": null, "
            + "\"toStatus\": \"OPEN\", \"actor\": {\"subject\": \"3f2b8c1e-6d4a-4f0b-9a7e-2c5d1e8f4a10\", "
            + "\"clientId\": \"onenet-portal\", \"departmentCode\": \"11330000002481060E\", "
            + "\"role\": \"operator\"}, \"automatic\": false, \"decision\": false, "
            + "\"reason\": \"户籍地址与本人申报的现住址不一致，疑为迁移后未更新\", \"legalBasis\": null, "
            + "\"details\": {\"recordKey\": \"33010619850312001X\", \"dueOn\": \"2026-12-18\"}, "
            + "\"requestId\": \"8e1d5b3a-2c7f-4a96-b4e0-1f6c9d2a7e53\", "
            + "\"at\": \"2026-12-04T03:00:00Z\"}, {\"id\": 644, \"objectType\": \"OBJECTION\", "
            + "\"objectId\": 5, \"shareRequestId\": null, \"action\": \"ANSWER\", \"fromStatus\": \"OPEN\", "
            + "\"toStatus\": \"ANSWERED\", \"actor\": {\"subject\": \"9d6c2a8e-4b1f-4e37-a5d0-8c3b7e1f6a24\", "
            + "\"clientId\": \"onenet-portal\", \"departmentCode\": \"11330000002481020A\", "
            + "\"role\": \"operator\"}, \"automatic\": false, \"decision\": true, "
            + "\"reason\": \"经核实，该居民已于 2026 年 9 月迁入，户籍地址已更正\", \"legalBasis\": null, "
            + "\"details\": {\"outcome\": \"CORRECTED\"}, \"requestId\": \"3c8a6e2d-9f4b-4d15-a7c3-5e0b2d9f8a61\", "
            + "\"at\": \"2026-12-08T06:30:12Z\"}]";

    static final String OBJECTIONS_EXAMPLE = "[{\"id\": 5, \"version\": 1, \"resourceCode\": \"101001/000001\", "
            + "\"resourceName\": \"居民户籍信息\", \"itemNames\": {\"GMSFHM\": \"公民身份号码\", \"XM\": \"姓名\", "
            + "\"HJDZ\": \"户籍地址\"}, "
            + "\"recordKey\": \"33010619850312001X\", \"consumerDepartmentCode\": \"11330000002481060E\", "
            + "\"providerDepartmentCode\": \"11330000002481020A\", "
            + "\"description\": \"户籍地址与本人申报的现住址不一致，疑为迁移后未更新\", \"status\": \"ANSWERED\", "
            + "\"outcome\": \"CORRECTED\", \"answer\": \"经核实，该居民已于 2026 年 9 月迁入，户籍地址已更正\", "
            + "\"receivedOn\": \"2026-12-04\", "
            + "\"dueOn\": \"2026-12-18\", \"escalated\": false}]";

    private final DisputeService disputes;
    private final ObjectionService objections;
    private final StateHistory history;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public DisputeObjectionResource(DisputeService disputes, ObjectionService objections, StateHistory history,
            CurrentCaller caller, ExchangeConfig config) {
        this.disputes = disputes;
        this.objections = objections;
        this.history = history;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Path("/disputes")
    @RolesAllowed("operator")
    @Operation(summary = "The consumer department disputes a refusal, a late answer, the provider's suspension or "
            + "termination of its grant, or data not delivered in time (R17); it goes to the 主管部门 first.",
            description = "subject REFUSAL or LATE_ANSWER names requestId, SUSPENSION, TERMINATION or NON_DELIVERY "
                    + "grantId (a request or grant of another department 404). negotiation (协商记录: date, "
                    + "participants, outcome) is required for every subject but REFUSAL (400 naming negotiation or "
                    + "its field). The request or grant must be in the state disputed (409 otherwise): refused; "
                    + "answered after, or unanswered past, its dueOn; suspended by the provider; terminated by the "
                    + "provider; undelivered past deliveryDue.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "refusal", value = "{\"requestId\": 57, \"reason\": \"住房公积金提取须核验不动产权属，"
                    + "拒绝理由不成立\"}"),
            @ExampleObject(name = "termination", value = "{\"subject\": \"TERMINATION\", \"grantId\": 17, "
                    + "\"reason\": \"终止理由不成立，本部门仍须履行法定职责\", \"negotiation\": {\"date\": "
                    + "\"2026-12-03\", \"participants\": [\"市公积金中心 王科长\", \"市自然资源局 李处长\"], "
                    + "\"outcome\": \"提供部门坚持终止，双方未达成一致\"}}") }))
    @APIResponse(responseCode = "201", description = "the dispute; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DisputeView.class)))
    public Response open(@HeaderParam("Idempotency-Key") String key, OpenDispute body) {
        DisputeView v = DisputeView.of(disputes.open(caller.get(), body, key));
        return Created.at("disputes", v.id(), v).build();
    }

    @GET
    @Path("/disputes")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Disputes, newest first, one page at a time: an operator's department's (either side), a "
            + "reviewer's those routed to its region (token claim region), admins and auditors all; the X-Total-Count "
            + "header counts every match on all pages.")
    @APIResponse(responseCode = "200", description = "one page of disputes, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "1")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = DisputeView.class),
                    examples = @ExampleObject(name = "one dispute", value = DISPUTES_EXAMPLE)))
    @SharedAnswers.BadPage
    public Response disputes(
            @Parameter(description = "OPEN, RESOLVED_SHARE or RESOLVED_UPHELD") @QueryParam("status") String status, @BeanParam PageQuery pages) {
        ListPaging.requireKnownStatus(status, Fields.DISPUTE_STATUSES);
        ListPaging paging = pages.paging(config.maxPageSize());
        Caller c = caller.get();
        return ListPaging.answer(disputes.list(c, status, paging.page(), paging.size()).stream()
                .map(DisputeView::of).toList(), disputes.count(c, status));
    }

    @GET
    @Path("/disputes/{id}")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "One dispute (either party, the reviewers of its region, admins and auditors).")
    public DisputeView dispute(@PathParam("id") long id) {
        return DisputeView.of(disputes.view(caller.get(), id));
    }

    @GET
    @Path("/disputes/{id}/history")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Every state change of one dispute, oldest first: opened, referred up, resolved; who, when "
            + "and why (either party or the 主管部门, like the dispute itself).")
    @APIResponse(responseCode = "200", description = "the dispute's history (append-only)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StateChangeView.class),
                    examples = @ExampleObject(name = "opened and resolved", value = DISPUTE_HISTORY_EXAMPLE)))
    public List<StateChangeView> disputeHistory(@PathParam("id") long id) {
        disputes.view(caller.get(), id);
        return StateChangeView.of(history.of(StateHistory.DISPUTE, id));
    }

    @POST
    @Path("/disputes/{id}/escalate")
    @RolesAllowed("reviewer")
    @Operation(summary = "The 主管部门 of the dispute's region refers it to the people's government of that region "
            + "(reviewers of the 主管部门 of that region, token claim competent_authority; admins and reviewers of "
            + "other departments 403).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "escalate",
                    value = "{\"version\": 0, \"reason\": \"经主管部门协调未能达成一致，提请本级人民政府协调\"}")))
    public DisputeView escalate(@PathParam("id") long id, Reasoned body) {
        return DisputeView.of(disputes.escalate(caller.get(), id, body == null ? null : body.version(),
                body == null ? null : body.reason()));
    }

    @POST
    @Path("/disputes/{id}/resolve")
    @RolesAllowed("reviewer")
    @Operation(summary = "Decide: SHARE (the provider answers again within 10 working days) or UPHOLD (reviewers of "
            + "the 主管部门 of the dispute's region, token claim competent_authority; admins and reviewers of other "
            + "departments 403).", description = "For a dispute about a grant: SHARE on a SUSPENSION resumes the "
            + "grant if the provider's suspension is still in place; a TERMINATION decided either way starts the "
            + "grant's disposal deadline again from the day of the decision; for LATE_ANSWER and NON_DELIVERY the "
            + "decision is recorded and told to both parties.")
    public DisputeView resolve(@PathParam("id") long id, Resolve body) {
        return DisputeView.of(disputes.resolve(caller.get(), id, body == null ? null : body.version(),
                body == null ? null : body.outcome(), body == null ? null : body.resolution()));
    }

    @POST
    @Path("/objections")
    @RolesAllowed("operator")
    @Operation(summary = "A consumer with a grant flags a record as wrong; the provider answers within 10 working days.",
            description = "recordKey names the record (white space around it is not part of it). On a dataset the "
                    + "exchange hosts records of, a key with no such record (or one outside the regions the consumer's "
                    + "回流 grants are limited to) is 422 naming recordKey, nothing filed; a dataset served by the "
                    + "provider's own API (proxied) is not checked here.")
    @APIResponse(responseCode = "201", description = "the objection; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ObjectionView.class)))
    @APIResponse(responseCode = "422", description = "no hosted record has this key: field recordKey",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response object(@HeaderParam("Idempotency-Key") String key, FileObjection body) {
        ObjectionView v = ObjectionView.of(objections.file(caller.get(), body, key));
        return Created.at("objections", v.id(), v).header(DataResource.RESOURCE_CODE_HEADER, v.resourceCode())
                .build();
    }

    @GET
    @Path("/objections")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Objections, newest first, one page at a time: those the caller's department filed or must "
            + "answer; reviewers those of their region (regionCode: the lowest region containing both departments when "
            + "filed, R17) and their department's; admins and auditors all; ?status= keeps those of one status. The "
            + "X-Total-Count header counts every match on all pages.")
    @APIResponse(responseCode = "200", description = "one page of objections, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "1")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ObjectionView.class),
                    examples = @ExampleObject(name = "one objection", value = OBJECTIONS_EXAMPLE)))
    @SharedAnswers.BadPage
    public Response objections(@Parameter(description = "OPEN (awaiting the provider's answer, escalated or not) or "
            + "ANSWERED; another value 400 naming status", example = "OPEN") @QueryParam("status") String status,
            @BeanParam PageQuery pages) {
        ListPaging.requireKnownStatus(status, Fields.OBJECTION_STATUSES);
        ListPaging paging = pages.paging(config.maxPageSize());
        Caller c = caller.get();
        return ListPaging.answer(objections.list(c, status, paging.page(), paging.size()).stream()
                .map(ObjectionView::of).toList(), objections.count(c, status));
    }

    @GET
    @Path("/objections/{id}")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "One objection and its status: for either department, the reviewers of its region, admins "
            + "and auditors; others (reviewers of another region included) get 404.")
    public ObjectionView objection(@PathParam("id") long id) {
        return ObjectionView.of(objections.view(caller.get(), id));
    }

    @GET
    @Path("/objections/{id}/history")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Every state change of one objection, oldest first: filed, escalated when overdue, answered; "
            + "who, when and why (either party or the 主管部门, like the objection itself).")
    @APIResponse(responseCode = "200", description = "the objection's history (append-only)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StateChangeView.class),
                    examples = @ExampleObject(name = "filed and answered", value = OBJECTION_HISTORY_EXAMPLE)))
    public List<StateChangeView> objectionHistory(@PathParam("id") long id) {
        objections.view(caller.get(), id);
        return StateChangeView.of(history.of(StateHistory.OBJECTION, id));
    }

    @POST
    @Path("/objections/{id}/answer")
    @RolesAllowed("operator")
    @Operation(summary = "The provider answers (its operators): the outcome — CORRECTED 已更正, CONFIRMED_CORRECT "
            + "经核实无误 or PARTIALLY_CORRECTED 部分更正 (else 400 naming outcome) — and what it verified and corrected "
            + "(reason, required). The consumer is told.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "answer", value = "{\"version\": 0, \"outcome\": \"CORRECTED\", "
                    + "\"reason\": \"经核实，该居民已于 2026 年 9 月迁入，户籍地址已更正\"}")))
    public ObjectionView answer(@PathParam("id") long id, ObjectionAnswer body) {
        return ObjectionView.of(objections.answer(caller.get(), id, body == null ? null : body.version(),
                body == null ? null : body.outcome(), body == null ? null : body.reason()));
    }
}
