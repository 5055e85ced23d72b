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

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.model.StateChange;
import cn.onenet.exchange.rest.Views.ComplaintView;
import cn.onenet.exchange.rest.Views.StateChangeView;
import cn.onenet.exchange.service.Fields;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.Commands.ComplaintDecision;
import cn.onenet.exchange.service.Commands.FileComplaint;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.ComplaintService;
import cn.onenet.exchange.service.StateHistory;

/**
 * 投诉 (R21, 条例第三十七条): citizens and enterprises complain about an access to their data; the consumer department
 * explains it within 10 working days; the 主管部门 upholds (optionally suspending the grant used) or dismisses it.
 */
@Path("/api/exchange/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "complaints", description = "数据使用投诉 (complaints of citizens and enterprises)")
public class ComplaintResource {

    static final String FILE_EXAMPLE = "{\"usageLogSeq\": 1043, "
            + "\"description\": \"本人未在该部门办理任何业务，该部门无正当理由查询本人户籍信息\", "
            + "\"requestedRemedy\": \"说明查询理由，停止无关查询\"}";

    static final String COMPLAINT_EXAMPLE = "{\"id\": 7, \"version\": 2, \"status\": \"UPHELD\", "
            + "\"complainantType\": \"CITIZEN\", \"complainant\": null, \"usageLogSeq\": 1043, "
            + "\"accessRequestId\": \"9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d\", "
            + "\"accessedAt\": \"2026-12-04T09:31:12.48Z\", \"resourceCode\": \"101001/000001\", "
            + "\"currentResourceCode\": \"101001/000001\", \"resourceName\": \"居民户籍信息\", "
            + "\"consumerDepartmentCode\": \"11330000002481060E\", \"providerDepartmentCode\": \"11330000002481020A\", "
            + "\"grantId\": 17, \"purpose\": \"社会保障待遇资格认证\", "
            + "\"description\": \"本人未在该部门办理任何业务，该部门无正当理由查询本人户籍信息\", "
            + "\"requestedRemedy\": \"说明查询理由，停止无关查询\", \"receivedOn\": \"2026-12-07\", "
            + "\"dueOn\": \"2026-12-21\", \"overdue\": false, \"escalated\": false, "
            + "\"answer\": \"系工作人员误查，已批评教育\", \"answeredAt\": \"2026-12-09T02:10:00Z\", "
            + "\"outcomeReason\": \"查询超出授权用途，投诉成立\", \"grantSuspended\": true, "
            + "\"decidedAt\": \"2026-12-11T07:45:00Z\", \"createdAt\": \"2026-12-07T01:02:03Z\"}";

    static final String HISTORY_EXAMPLE = "[{\"id\": 901, \"objectType\": \"COMPLAINT\", \"objectId\": 7, "
            + "\"shareRequestId\": null, \"action\": \"FILE\", \"fromStatus\": null, \"toStatus\": \"OPEN\", "
            + "\"actor\": {\"subject\": null, \"clientId\": null, \"departmentCode\": null, \"role\": \"citizen\"}, "
            + "\"actorName\": null, \"automatic\": false, \"decision\": false, "
            + "\"reason\": \"本人未在该部门办理任何业务，该部门无正当理由查询本人户籍信息\", \"legalBasis\": null, "
            + "\"details\": {\"usageLogSeq\": 1043, \"dueOn\": \"2026-12-21\"}, "
            + "\"requestId\": \"0c4e1b7a-3d92-4f58-b6a0-7e2d9c1f5a38\", \"at\": \"2026-12-07T01:02:03Z\"}, "
            + "{\"id\": 950, \"objectType\": \"COMPLAINT\", \"objectId\": 7, \"shareRequestId\": null, "
            + "\"action\": \"UPHOLD\", \"fromStatus\": \"ANSWERED\", \"toStatus\": \"UPHELD\", "
            + "\"actor\": {\"subject\": \"c2b7e9d4-5f18-4a3c-9e60-7d1a4b8f2c53\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"113300000024810109\", \"role\": \"reviewer\"}, \"actorName\": \"李明\", "
            + "\"automatic\": false, "
            + "\"decision\": true, \"reason\": \"查询超出授权用途，投诉成立\", \"legalBasis\": null, "
            + "\"details\": {\"grantId\": 17, \"grantSuspended\": true}, "
            + "\"requestId\": \"6a2f8d4c-1b7e-4c39-9d05-e8b3a7f2c61d\", \"at\": \"2026-12-11T07:45:00Z\"}]";

    private final ComplaintService complaints;
    private final StateHistory history;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public ComplaintResource(ComplaintService complaints, StateHistory history, CurrentCaller caller,
            ExchangeConfig config) {
        this.complaints = complaints;
        this.history = history;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Path("/me/complaints")
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "A citizen (cn_id) or an enterprise (uscc) complains about one access to its data, named by "
            + "the usageLogSeq (or requestId) of GET /me/data-accesses. Another person's access answers 404 and "
            + "nothing is recorded. The consumer department must explain it within 10 working days.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FileComplaint.class),
            examples = @ExampleObject(name = "complaint", value = FILE_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "the complaint; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ComplaintView.class),
                    examples = @ExampleObject(name = "filed", value = COMPLAINT_EXAMPLE)))
    @SharedAnswers.LevelNeeded
    public Response file(@HeaderParam("Idempotency-Key") String key, FileComplaint body) {
        Caller c = caller.dataSubject();
        ComplaintView v = view(complaints.file(c, body, key), c);
        return Created.at("complaints", v.id(), v).build();
    }

    @GET
    @Path("/me/complaints")
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "The caller's complaints, newest first, one page at a time: state, the department's answer, "
            + "the outcome. The X-Total-Count header counts them on all pages.")
    @APIResponse(responseCode = "200", description = "one page of the caller's complaints, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "1")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ComplaintView.class),
                    examples = @ExampleObject(name = "one complaint", value = "[" + COMPLAINT_EXAMPLE + "]")))
    @SharedAnswers.BadPage
    @SharedAnswers.LevelNeeded
    public Response mine(@BeanParam PageQuery pages) {
        Caller c = caller.dataSubject();
        ListPaging paging = pages.paging(config.maxPageSize());
        return ListPaging.answer(complaints.mine(c, paging.page(), paging.size()).stream().map(x -> view(x, c))
                .toList(), complaints.countMine(c));
    }

    @GET
    @Path("/complaints")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Complaints, newest first, one page at a time: the 主管部门 (reviewers, admins, auditors) sees "
            + "all, a department's operators those about its own accesses. overdue=true keeps those unanswered after "
            + "their deadline. The X-Total-Count header counts every match on all pages.")
    @APIResponse(responseCode = "200", description = "one page of complaints, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "1")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ComplaintView.class),
                    examples = @ExampleObject(name = "one complaint", value = "[" + COMPLAINT_EXAMPLE + "]")))
    @SharedAnswers.BadPage
    public Response list(
            @Parameter(description = "OPEN, ANSWERED, UPHELD or DISMISSED") @QueryParam("status") String status,
            @Parameter(description = "only unanswered complaints past their deadline") @QueryParam("overdue")
            Boolean overdue, @BeanParam PageQuery pages) {
        ListPaging.requireKnownStatus(status, Fields.COMPLAINT_STATUSES);
        ListPaging paging = pages.paging(config.maxPageSize());
        Caller c = caller.get();
        return ListPaging.answer(complaints.list(c, status, Boolean.TRUE.equals(overdue), paging.page(), paging.size()).stream()
                .map(x -> view(x, c)).toList(), complaints.count(c, status, Boolean.TRUE.equals(overdue)));
    }

    @GET
    @Path("/complaints/{id}")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor", "citizen", "enterprise" })
    @Operation(summary = "One complaint: for the complainant, the consumer department's operators and the 主管部门; "
            + "others get 404.")
    @APIResponse(responseCode = "200", description = "the complaint",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ComplaintView.class),
                    examples = @ExampleObject(name = "upheld", value = COMPLAINT_EXAMPLE)))
    public ComplaintView complaint(@PathParam("id") long id) {
        Caller c = caller.dataSubjectOrStaff();
        return view(complaints.view(c, id), c);
    }

    @GET
    @Path("/complaints/{id}/history")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor", "citizen", "enterprise" })
    @Operation(summary = "Every state change of one complaint, oldest first (for the same callers as the complaint). "
            + "The consumer department sees the complainant's steps without account ids, the complainant the "
            + "department's steps without its staff's account ids; the 主管部门 sees all.")
    @APIResponse(responseCode = "200", description = "the complaint's history (append-only)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StateChangeView.class),
                    examples = @ExampleObject(name = "filed and upheld", value = HISTORY_EXAMPLE)))
    public List<StateChangeView> history(@PathParam("id") long id) {
        Caller c = caller.dataSubjectOrStaff();
        Complaint complaint = complaints.view(c, id);
        boolean full = complaints.isAuthorityFor(c, complaint);
        boolean complainant = !full && complaints.isComplainant(c, complaint);
        return StateChangeView.of(history.of(StateHistory.COMPLAINT, id),
                row -> full || complainant == byComplainant(row));
    }

    @POST
    @Path("/complaints/{id}/answer")
    @RolesAllowed("operator")
    @Operation(summary = "The consumer department that made the access explains it (within 10 working days).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Reasoned.class),
            examples = @ExampleObject(name = "answer",
                    value = "{\"version\": 0, \"reason\": \"该查询系办理养老保险待遇资格认证时核验身份，已向本人说明\"}")))
    @APIResponse(responseCode = "200", description = "the complaint, ANSWERED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ComplaintView.class),
                    examples = @ExampleObject(name = "answered", value = COMPLAINT_EXAMPLE)))
    public ComplaintView answer(@PathParam("id") long id, Reasoned body) {
        Caller c = caller.get();
        return view(complaints.answer(c, id, body), c);
    }

    @POST
    @Path("/complaints/{id}/uphold")
    @RolesAllowed("reviewer")
    @Operation(summary = "The 主管部门 upholds the complaint with its reasons; suspendGrant also suspends the grant the "
            + "access used (its history names the complaint). Reviewers of the 主管部门 (token claim "
            + "competent_authority) of the region of the grant used (else of the configured 主管部门's region); admins, "
            + "reviewers of other departments or regions 403.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ComplaintDecision.class),
            examples = @ExampleObject(name = "uphold and suspend",
                    value = "{\"version\": 1, \"reason\": \"查询超出授权用途，投诉成立\", \"suspendGrant\": true}")))
    @APIResponse(responseCode = "200", description = "the complaint, UPHELD",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ComplaintView.class),
                    examples = @ExampleObject(name = "upheld", value = COMPLAINT_EXAMPLE)))
    public ComplaintView uphold(@PathParam("id") long id, ComplaintDecision body) {
        Caller c = caller.get();
        return view(complaints.uphold(c, id, body), c);
    }

    @POST
    @Path("/complaints/{id}/dismiss")
    @RolesAllowed("reviewer")
    @Operation(summary = "The 主管部门 dismisses the complaint with its reasons (who may: as for uphold).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ComplaintDecision.class),
            examples = @ExampleObject(name = "dismiss",
                    value = "{\"version\": 1, \"reason\": \"查询系办理本人申请的社保业务所需，符合授权用途\"}")))
    @APIResponse(responseCode = "200", description = "the complaint, DISMISSED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ComplaintView.class),
                    examples = @ExampleObject(name = "decided", value = COMPLAINT_EXAMPLE)))
    public ComplaintView dismiss(@PathParam("id") long id, ComplaintDecision body) {
        Caller c = caller.get();
        return view(complaints.dismiss(c, id, body), c);
    }

    private ComplaintView view(Complaint x, Caller c) {
        return ComplaintView.of(x, complaints.isAuthorityFor(c, x), complaints.overdue(x));
    }

    private static boolean byComplainant(StateChange row) {
        return "citizen".equals(row.actorRole) || "enterprise".equals(row.actorRole);
    }
}
