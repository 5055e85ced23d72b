package cn.onenet.exchange.rest;

import java.util.List;
import java.util.Map;

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
import cn.onenet.exchange.model.ShareRequest;
import cn.onenet.exchange.model.StateChange;
import cn.onenet.exchange.rest.Views.RequestView;
import cn.onenet.exchange.rest.Views.StateChangeView;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.Commands.AnswerApproval;
import cn.onenet.exchange.service.Commands.Approve;
import cn.onenet.exchange.service.Commands.Extension;
import cn.onenet.exchange.service.Commands.FileRequest;
import cn.onenet.exchange.service.Commands.HeadApproval;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.Commands.Refusal;
import cn.onenet.exchange.service.Commands.Resubmit;
import cn.onenet.exchange.service.RequestService;
import cn.onenet.exchange.service.StateHistory;

/** 共享申请: filing, the provider's answer, extensions and the 主管部门's oversight. */
@Path("/api/exchange/v1/requests")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "requests", description = "共享申请 (share requests)")
public class RequestResource {

    /** A request's history: filed, refused, resubmitted after a supplement was asked for, then approved. */
    static final String HISTORY_EXAMPLE = "[{\"id\": 301, \"objectType\": \"REQUEST\", \"objectId\": 42, "
            + "\"shareRequestId\": 42, \"action\": \"FILE\", \"fromStatus\": null, \"toStatus\": \"PENDING\", "
            + "\"actor\": {\"subject\": \"3f2b8c1e-6d4a-4f0b-9a7e-2c5d1e8f4a10\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"11330000002481060E\", \"role\": \"operator\"}, \"automatic\": false, "
            + "\"decision\": false, \"reason\": null, \"legalBasis\": \"《社会保险法》第七十五条\", "
            + "\"details\": {\"path\": \"CONDITIONAL\", \"dueOn\": \"2026-12-18\"}, "
            + "\"requestId\": \"9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d\", \"at\": \"2026-12-04T01:10:00Z\"}, "
            + "{\"id\": 305, \"objectType\": \"REQUEST\", \"objectId\": 42, \"shareRequestId\": 42, "
            + "\"action\": \"ASK_SUPPLEMENT\", \"fromStatus\": \"PENDING\", "
            + "\"toStatus\": \"SUPPLEMENT_REQUESTED\", \"actor\": {\"subject\": "
            + "\"8a41d2c7-0b3e-4f9a-a6d5-1c7e2b9f3d08\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"11330000002481020A\", \"role\": \"operator\"}, \"automatic\": false, "
            + "\"decision\": false, \"reason\": \"请一次性补充：养老保险待遇领取人员范围说明\", \"legalBasis\": null, "
            + "\"details\": null, \"requestId\": \"0c6e3b2a-9d71-4f58-b3a4-6e2d8c1f7a95\", "
            + "\"at\": \"2026-12-07T02:45:10Z\"}, {\"id\": 318, \"objectType\": \"REQUEST\", "
            + "\"objectId\": 42, \"shareRequestId\": 42, \"action\": \"RESUBMIT\", "
            + "\"fromStatus\": \"SUPPLEMENT_REQUESTED\", \"toStatus\": \"PENDING\", \"actor\": {\"subject\": "
            + "\"3f2b8c1e-6d4a-4f0b-9a7e-2c5d1e8f4a10\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"11330000002481060E\", \"role\": \"operator\"}, \"automatic\": false, "
            + "\"decision\": false, \"reason\": \"已补充待遇领取人员范围说明\", "
            + "\"legalBasis\": \"《社会保险法》第七十五条\", \"details\": {\"dueOn\": \"2026-12-22\"}, "
            + "\"requestId\": \"5a2f9e1d-3b7c-4d60-8e15-c4a9b7d2f036\", \"at\": \"2026-12-08T06:02:44Z\"}, "
            + "{\"id\": 322, \"objectType\": \"REQUEST\", \"objectId\": 42, \"shareRequestId\": 42, "
            + "\"action\": \"APPROVE\", \"fromStatus\": \"PENDING\", \"toStatus\": \"APPROVED\", "
            + "\"actor\": {\"subject\": \"8a41d2c7-0b3e-4f9a-a6d5-1c7e2b9f3d08\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"11330000002481020A\", \"role\": \"operator\"}, \"automatic\": false, "
            + "\"decision\": true, \"reason\": \"同意共享，仅限养老保险待遇资格认证使用\", \"legalBasis\": null, "
            + "\"details\": {\"grantId\": 17, \"items\": [\"GMSFHM\", \"XM\"], \"periodTo\": \"2027-12-31\"}, "
            + "\"requestId\": \"e7d04b9c-21fa-4c3e-9b86-5f0a3d7c1e42\", \"at\": \"2026-12-09T03:15:27Z\"}]";

    private final RequestService requests;
    private final StateHistory history;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public RequestResource(RequestService requests, StateHistory history, CurrentCaller caller,
            ExchangeConfig config) {
        this.requests = requests;
        this.history = history;
        this.caller = caller;
        this.config = config;
    }

    private RequestView view(ShareRequest r) {
        return RequestView.of(r, history.lastDecision(StateHistory.REQUEST, r.id), provider(caller.get(), r));
    }

    /** Whether the caller is of the providing department: it alone is shown the answer its operator proposed. */
    private static boolean provider(Caller c, ShareRequest r) {
        return r.providerDepartmentCode.equals(c.department());
    }

    @POST
    @RolesAllowed("operator")
    @Operation(summary = "File a request (operator of the consumer department). Filed by an operator who also holds "
            + "head, it is approved by the filer and goes to the provider at once: 无条件共享 is granted at once, 不予共享 "
            + "refused with the catalogue's legal basis, 有条件共享 waits for the provider. Filed by any other operator it "
            + "is AWAITING_HEAD_APPROVAL until the department's head approves or returns it (receivedOn null until then). A "
            + "body naming officeHeadApprover is refused (400 naming the field): the approver is the head's account. "
            + "covertUse (optional) declares 隐蔽查询 (依法不告知当事人): its legalBasis cites a law in 《》 or an article "
            + "(400 naming covertUse.legalBasis otherwise), its maxPeriod (ISO 8601, default and at most "
            + "exchange.covert.max-period) bounds how long a covert query stays hidden (400 naming "
            + "covertUse.maxPeriod); "
            + "the grant issued from the request permits covert use only when it was declared; a declaration on "
            + "无条件共享 or 回流 data sends the request to the provider's review (PENDING) instead of a grant by rule.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "request", value = "{\"resourceCode\": \"101001/000001\", \"items\": "
                    + "[\"GMSFHM\", \"XM\"], \"legalBasis\": \"《社会保险法》第七十五条\", \"scenario\": \"养老保险待遇资格认证\", "
                    + "\"purpose\": \"政务服务事项办理\", \"scope\": \"本部门社保经办机构\", \"deliveryMethod\": \"API\", "
                    + "\"periodFrom\": \"2026-12-01\", \"periodTo\": \"2027-11-30\", "
                    + "\"attestation\": {\"truthful\": true, "
                    + "\"lawful\": true, \"necessary\": true}}"),
            @ExampleObject(name = "declaring covert use", value = "{\"resourceCode\": \"101001/000001\", "
                    + "\"items\": [\"GMSFHM\", \"XM\", \"HJDZ\"], \"legalBasis\": \"《中华人民共和国刑事诉讼法》第五十四条\", "
                    + "\"scenario\": \"刑事案件侦查\", \"purpose\": \"监管执法核查\", "
                    + "\"scope\": \"本厅刑事侦查部门\", \"deliveryMethod\": \"API\", \"periodFrom\": \"2026-12-01\", "
                    + "\"periodTo\": \"2027-05-31\", \"attestation\": {\"truthful\": true, \"lawful\": true, "
                    + "\"necessary\": true}, \"covertUse\": {\"legalBasis\": \"《中华人民共和国刑事诉讼法》第一百五十条\", "
                    + "\"maxPeriod\": \"P6M\"}}") }))
    @APIResponse(responseCode = "201",
            description = "the request (granted, refused at filing, or waiting); Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RequestView.class)))
    public Response file(@HeaderParam("Idempotency-Key") String idempotencyKey, FileRequest body) {
        RequestView v = view(requests.file(caller.get(), body, idempotencyKey));
        return Created.at("requests", v.id(), v).header(DataResource.RESOURCE_CODE_HEADER, v.resourceCode())
                .build();
    }

    @GET
    @RolesAllowed({ "operator", "head", "reviewer", "admin", "auditor" })
    @Operation(summary = "Requests of the caller's department (side=provider|consumer); without side a reviewer "
            + "sees those of its region and its department, admins and auditors all. A request no head approved "
            + "(AWAITING_HEAD_APPROVAL, RETURNED_BY_HEAD, withdrawn before approval) is listed to the requesting "
            + "department only (its reviewers and admins too). Newest first, one page at a "
            + "time; the X-Total-Count header counts every match on all pages. awaiting=answer-approval: the requests "
            + "of the caller's department as provider whose answer awaits the department's head "
            + "(ANSWER_AWAITING_HEAD), the provider head's list (with side other than provider, or another status, "
            + "400 naming the field).")
    @APIResponse(responseCode = "200", description = "one page of requests, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "128")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = RequestView.class)))
    @APIResponse(responseCode = "400", description = ListPaging.BAD_INPUT,
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "size",
                    value = ListPaging.BAD_SIZE_EXAMPLE)))
    public Response list(
            @Parameter(description = "provider: requests to the caller's department; consumer: its own requests",
                    example = "provider") @QueryParam("side") String side,
            @Parameter(description = "AWAITING_HEAD_APPROVAL, RETURNED_BY_HEAD, PENDING, ANSWER_AWAITING_HEAD, "
                    + "SUPPLEMENT_REQUESTED, APPROVED, GRANTED, REFUSED, NOT_SHARED or WITHDRAWN", example = "PENDING")
            @QueryParam("status") String status,
            @Parameter(description = "answer-approval: the provider's requests whose answer awaits the caller's "
                    + "department's head", example = "answer-approval") @QueryParam("awaiting") String awaiting, @BeanParam PageQuery pages) {
        ListPaging paging = pages.paging(config.maxPageSize());
        Caller c = caller.get();
        List<ShareRequest> found = requests.list(c, side, status, awaiting, paging.page(), paging.size());
        Map<Long, StateChange> decisions = history.lastDecisions(StateHistory.REQUEST,
                found.stream().map(r -> r.id).toList());
        return ListPaging.answer(
                found.stream().map(r -> RequestView.of(r, decisions.get(r.id), provider(c, r))).toList(),
                requests.count(c, side, status, awaiting));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "operator", "head", "reviewer", "admin", "auditor" })
    @Operation(summary = "One request, to whom the list shows it: either party, a reviewer of the request's region "
            + "or of one of its departments (another region's 404, a token without region 403), admins and auditors; "
            + "a request no head approved only to the requesting department (others 404).")
    public RequestView get(@PathParam("id") long id) {
        return view(requests.view(caller.get(), id));
    }

    @GET
    @Path("/{id}/history")
    @RolesAllowed({ "operator", "head", "reviewer", "admin", "auditor" })
    @Operation(summary = "Every state change of one request, oldest first: who (subject, department, role), when, "
            + "from → to, the action, the reason or opinion and legal basis as given (either party's operators, the "
            + "reviewers of its region, admins and auditors; 404 for anyone who cannot see the request). A proposed "
            + "answer (PROPOSE_ANSWER) and the head's return of it (ANSWER_RETURN) are shown in full to the providing "
            + "department only; anyone else sees the step without reason, legal basis and details.")
    @APIResponse(responseCode = "200", description = "the request's history (append-only)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StateChangeView.class),
                    examples = @ExampleObject(name = "filed, supplemented, approved", value = HISTORY_EXAMPLE)))
    public List<StateChangeView> stateChanges(@PathParam("id") long id) {
        Caller c = caller.get();
        ShareRequest r = requests.view(c, id);
        List<StateChangeView> all = StateChangeView.of(history.of(StateHistory.REQUEST, r.id));
        if (provider(c, r)) {
            return all;
        }
        return all.stream().map(v -> RequestService.PROPOSE_ANSWER.equals(v.action())
                || RequestService.ANSWER_RETURN.equals(v.action()) ? v.withoutContent() : v).toList();
    }

    @POST
    @Path("/{id}/head-approval")
    @RolesAllowed("head")
    @Operation(summary = "负责人审核同意 (R7): the head of the requesting department (role head), not the filer, approves "
            + "a request AWAITING_HEAD_APPROVAL; it is then filed with the provider from today, the catalogue checked "
            + "again (409 when the entry is deregistered or gone, lacks a requested item, or the consumer's grant on it "
            + "is suspended; when the requested periodTo is before today). officeHeadApprover becomes the head's name. "
            + "Whoever does not see the request (other departments' heads; the provider while it awaits the head) 404; "
            + "the requesting department's other staff and the filer 403; a request not awaiting its head 409 "
            + "illegal-transition; version required (stale 409).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = {
                    @ExampleObject(name = "approve", value = "{\"version\": 0}"),
                    @ExampleObject(name = "approve with an opinion",
                            value = "{\"version\": 0, \"opinion\": \"同意申请，用于养老保险待遇资格认证\"}") }))
    public RequestView headApproval(@PathParam("id") long id, HeadApproval body) {
        return view(requests.approveAsHead(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/head-return")
    @RolesAllowed("head")
    @Operation(summary = "负责人退回: the head of the requesting department, not the filer, returns a request "
            + "AWAITING_HEAD_APPROVAL with its reasons (400 naming reason if blank); RETURNED_BY_HEAD is final and the "
            + "provider never sees it. Who may and the errors as for head-approval.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "return",
                    value = "{\"version\": 0, \"reason\": \"申请的数据项超出本次业务所需，请缩减后重新申请\"}")))
    public RequestView headReturn(@PathParam("id") long id, Reasoned body) {
        return view(requests.returnAsHead(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed("operator")
    @Operation(summary = "Provider approves a PENDING request, possibly with fewer items, a shorter period, plain "
            + "items and quotas (400 naming the field). An operator of the provider who also holds head answers at "
            + "once (providerHeadApprover is itself): the grant is created. Any other operator's approval is the "
            + "proposed answer: the request becomes ANSWER_AWAITING_HEAD (its deadline running) until the providing "
            + "department's head approves it (answer-approval) or returns it (answer-return); the heads are notified. "
            + "409 while the consumer's grant on the entry is suspended, the entry is deregistered or now 不予共享, or "
            + "the answer already awaits the head. A body naming providerHeadApprover is refused (400 naming it). "
            + "Approving a request that declares covertUse approves its covert use (the grant permits 隐蔽查询 on the "
            + "declared basis, for at most its maxPeriod); a provider that does not agree refuses with its reasons.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = {
                    @ExampleObject(name = "approve", value = "{\"version\": 0, "
                            + "\"note\": \"同意共享，仅限养老保险待遇资格认证使用\"}"),
                    @ExampleObject(name = "approve fewer items, a shorter period", value = "{\"version\": 0, "
                            + "\"items\": [\"GMSFHM\", \"XM\"], \"periodTo\": \"2027-06-30\", "
                            + "\"clearItems\": [\"XM\"], \"quotaPerSecond\": 10, \"quotaPerDay\": 20000, "
                            + "\"note\": \"仅批准身份核验所需数据项\"}") }))
    public RequestView approve(@PathParam("id") long id, Approve body) {
        return view(requests.approve(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/refuse")
    @RolesAllowed("operator")
    @Operation(summary = "Provider refuses a PENDING request, with reasons (never a bare rejection, R9; 400 naming "
            + "reason) and, where it relies on one, the legal basis it cites; both are kept in the request's history. "
            + "As for approve: an operator holding head refuses at once, any other operator's refusal awaits the "
            + "providing department's head (ANSWER_AWAITING_HEAD); a body naming providerHeadApprover is 400.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = {
                    @ExampleObject(name = "refuse", value = "{\"version\": 0, \"reason\": \"申请用途与目录所列共享条件不符\"}"),
                    @ExampleObject(name = "refuse citing a legal basis", value = "{\"version\": 0, "
                            + "\"reason\": \"申请的数据项超出履行法定职责所必需的范围\", "
                            + "\"legalBasis\": \"《中华人民共和国个人信息保护法》第三十四条\"}") }))
    public RequestView refuse(@PathParam("id") long id, Refusal body) {
        return view(requests.refuse(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/answer-approval")
    @RolesAllowed("head")
    @Operation(summary = "提供部门负责人审核同意答复 (条例第二十条第三款): the head of the providing department (role head), "
            + "not the operator who prepared it, approves the answer of a request ANSWER_AWAITING_HEAD; it is applied "
            + "as the operator proposed it: an approval creates the grant with the proposed items, period, plain items "
            + "and quotas (the catalogue checked again: 409 while the consumer's grant on the entry is suspended, when "
            + "the entry is deregistered or now 不予共享, or the period to grant ended before today), a refusal refuses "
            + "with the proposed reasons and legal basis. providerHeadApprover becomes the head's name. Whoever does "
            + "not see the request 404; the requesting department and the provider's other staff 403, the operator "
            + "who prepared the answer 403; no answer awaiting the head 409 illegal-transition; version required "
            + "(stale 409).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = {
                    @ExampleObject(name = "approve the answer", value = "{\"version\": 1}"),
                    @ExampleObject(name = "approve the answer with an opinion",
                            value = "{\"version\": 1, \"opinion\": \"同意按拟答复意见办理\"}") }))
    @APIResponse(responseCode = "200", description = "the request, APPROVED (with its grant) or REFUSED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RequestView.class)))
    @APIResponse(responseCode = "409", description = "no answer awaits the head, stale version, or the approval can "
            + "no longer be given", content = @Content(mediaType = "application/problem+json",
                    examples = @ExampleObject(name = "period ended", value = ANSWER_PERIOD_ENDED_EXAMPLE)))
    public RequestView answerApproval(@PathParam("id") long id, AnswerApproval body) {
        return view(requests.approveAnswer(caller.get(), id, body));
    }

    static final String ANSWER_PERIOD_ENDED_EXAMPLE = "{\"type\": \"urn:onenet:problem:illegal-transition\", "
            + "\"title\": \"当前状态不允许此操作\", \"status\": 409, \"detail\": \"拟批准的使用期限已于 2026-11-30 届满，"
            + "不能审核同意；请退回后重新答复 / the period to grant ended on 2026-11-30: the answer cannot be approved; "
            + "return it\", \"field\": \"periodTo\", \"errors\": [{\"field\": \"periodTo\", \"message\": "
            + "\"拟批准的使用期限已于 2026-11-30 届满，不能审核同意；请退回后重新答复 / the period to grant ended on 2026-11-30: "
            + "the answer cannot be approved; return it\"}], \"periodTo\": \"2026-11-30\"}";

    @POST
    @Path("/{id}/answer-return")
    @RolesAllowed("head")
    @Operation(summary = "提供部门负责人退回答复: the head of the providing department, not the operator who prepared it, "
            + "returns the proposed answer of a request ANSWER_AWAITING_HEAD with its reasons (400 naming reason if "
            + "blank); the request is PENDING again with its deadline unchanged, the proposal kept in the history "
            + "(shown to the provider only), and the provider's operators notified. Who may and the errors as for "
            + "answer-approval.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "return the answer",
                    value = "{\"version\": 1, \"reason\": \"拟批准的数据项超出申请用途所需，请缩减后重新答复\"}")))
    public RequestView answerReturn(@PathParam("id") long id, Reasoned body) {
        return view(requests.returnAnswer(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/supplement")
    @RolesAllowed("operator")
    @Operation(summary = "Provider asks, once, for everything missing (PENDING only: while the answer awaits the "
            + "provider's head 409, the head returns it first).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "supplement",
                    value = "{\"version\": 0, \"reason\": \"请一次性补充：养老保险待遇领取人员范围说明、数据安全保护措施\"}")))
    public RequestView supplement(@PathParam("id") long id, Reasoned body) {
        return view(requests.askSupplement(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/resubmit")
    @RolesAllowed("operator")
    @Operation(summary = "Consumer resubmits with the missing material; the 10-working-day clock restarts. Anyone "
            + "else who sees the request 403, whoever does not see it 404.")
    public RequestView resubmit(@PathParam("id") long id, Resubmit body) {
        return view(requests.resubmit(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/extension")
    @RolesAllowed("operator")
    @Operation(summary = "Provider asks for the one extension of up to 10 working days (R8); PENDING only: while the "
            + "answer awaits the provider's head 409, the head returns it first.")
    public RequestView extension(@PathParam("id") long id, Extension body) {
        return view(requests.requestExtension(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/extension/approve")
    @RolesAllowed("reviewer")
    @Operation(summary = "The 主管部门 approves the extension, with an optional opinion (kept in the history); the "
            + "requester is notified. Reviewers of the 主管部门 (token claim competent_authority) of the request's "
            + "region; admins and reviewers of other departments 403, of other regions 404.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = {
                    @ExampleObject(name = "approve-extension", value = "{\"version\": 1}"),
                    @ExampleObject(name = "approve-extension with an opinion",
                            value = "{\"version\": 1, \"reason\": \"涉及跨部门历史档案核查，同意延期\"}") }))
    public RequestView approveExtension(@PathParam("id") long id, Reasoned body) {
        return view(requests.approveExtension(caller.get(), id, body == null ? null : body.version(),
                body == null ? null : body.reason()));
    }

    @POST
    @Path("/{id}/extension/refuse")
    @RolesAllowed("reviewer")
    @Operation(summary = "不予延期: the 主管部门 (who may: as for an approval) refuses the extension, with its reasons (400 naming "
            + "reason if blank); the request keeps its original deadline (past it, it is overdue and escalates) and "
            + "no other extension can be asked; provider and requester are notified.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "refuse-extension",
                    value = "{\"version\": 1, \"reason\": \"所述核查事项不构成延期的特殊原因，请按期答复\"}")))
    public RequestView refuseExtension(@PathParam("id") long id, Reasoned body) {
        return view(requests.refuseExtension(caller.get(), id, body == null ? null : body.version(),
                body == null ? null : body.reason()));
    }

    @POST
    @Path("/{id}/withdraw")
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "撤回申请: the requesting department withdraws its request while it waits (AWAITING_HEAD_APPROVAL, "
            + "PENDING, also with an extension awaiting the 主管部门, ANSWER_AWAITING_HEAD, or SUPPLEMENT_REQUESTED), "
            + "with an optional reason "
            + "kept in the history; WITHDRAWN is final and the provider is notified (unless it never received it). Anyone else who sees the request 403, a "
            + "decided request 409 illegal-transition.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = {
                    @ExampleObject(name = "withdraw", value = "{\"version\": 0}"),
                    @ExampleObject(name = "withdraw with a reason",
                            value = "{\"version\": 1, \"reason\": \"业务调整，已改由省级平台统一核验\"}") }))
    public RequestView withdraw(@PathParam("id") long id, Reasoned body) {
        return view(requests.withdraw(caller.get(), id, body));
    }
}
