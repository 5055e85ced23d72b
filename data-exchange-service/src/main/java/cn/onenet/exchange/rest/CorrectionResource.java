package cn.onenet.exchange.rest;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
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
import cn.onenet.exchange.model.Correction;
import cn.onenet.exchange.model.StateChange;
import cn.onenet.exchange.rest.Views.CorrectionView;
import cn.onenet.exchange.rest.Views.StateChangeView;
import cn.onenet.exchange.service.Fields;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.Commands.CorrectionAnswer;
import cn.onenet.exchange.service.Commands.FileCorrection;
import cn.onenet.exchange.service.CorrectionService;
import cn.onenet.exchange.service.CorrectionSteps;
import cn.onenet.exchange.service.StateHistory;

/**
 * 个人信息更正补充申请 (PIPL 第四十六条): citizens and enterprises ask the 数源部门 of a catalogue entry to correct or
 * complete data about them; the provider department verifies and answers within its working days; overdue requests
 * are escalated to the 主管部门.
 */
@Path("/api/exchange/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "corrections", description = "个人信息更正补充申请 (correction requests of citizens and enterprises)")
public class CorrectionResource {

    static final String FILE_EXAMPLE = "{\"resourceCode\": \"101001/000001\", \"item\": \"HJDZ\", "
            + "\"currentValue\": \"杭州市西湖区文三路 90 号\", \"correctValue\": \"杭州市西湖区文三路 98 号\", "
            + "\"description\": \"门牌号登记错误，本人户口簿记载为 98 号\", "
            + "\"evidence\": \"户口簿首页及本人页，编号 330106-2019-004512\"}";

    static final String CORRECTION_EXAMPLE = "{\"id\": 5, \"version\": 1, \"status\": \"CORRECTED\", "
            + "\"requesterType\": \"CITIZEN\", \"requester\": null, \"subjectIdentifier\": \"330282196509230044\", "
            + "\"resourceCode\": \"101001/000001\", "
            + "\"currentResourceCode\": \"101001/000001\", \"resourceName\": \"居民户籍信息\", "
            + "\"providerDepartmentCode\": \"11330000002481020A\", \"item\": \"HJDZ\", \"itemName\": \"户籍地址\", "
            + "\"currentValue\": \"杭州市西湖区文三路 90 号\", \"correctValue\": \"杭州市西湖区文三路 98 号\", "
            + "\"description\": \"门牌号登记错误，本人户口簿记载为 98 号\", "
            + "\"evidence\": \"户口簿首页及本人页，编号 330106-2019-004512\", \"receivedOn\": \"2026-12-07\", "
            + "\"dueOn\": \"2026-12-21\", \"dueOnProvisional\": false, \"overdue\": false, \"escalated\": false, "
            + "\"reason\": \"经核对户籍档案，门牌号录入有误，已更正为 98 号\", \"legalBasis\": null, "
            + "\"explanation\": null, \"answeredAt\": \"2026-12-09T02:10:00Z\", "
            + "\"createdAt\": \"2026-12-07T01:02:03Z\", \"regionCode\": \"330000\"}";

    static final String HISTORY_EXAMPLE = "[{\"id\": 1201, \"objectType\": \"CORRECTION\", \"objectId\": 5, "
            + "\"shareRequestId\": null, \"action\": \"FILE\", \"fromStatus\": null, \"toStatus\": \"OPEN\", "
            + "\"actor\": {\"subject\": null, \"clientId\": null, \"departmentCode\": null, \"role\": \"citizen\"}, "
            + "\"actorName\": null, \"automatic\": false, \"decision\": false, "
            + "\"reason\": \"门牌号登记错误，本人户口簿记载为 98 号\", \"legalBasis\": null, "
            + "\"details\": {\"item\": \"HJDZ\", \"dueOn\": \"2026-12-21\", \"regionCode\": \"330000\"}, "
            + "\"requestId\": \"0c4e1b7a-3d92-4f58-b6a0-7e2d9c1f5a38\", \"at\": \"2026-12-07T01:02:03Z\"}, "
            + "{\"id\": 1230, \"objectType\": \"CORRECTION\", \"objectId\": 5, \"shareRequestId\": null, "
            + "\"action\": \"ANSWER\", \"fromStatus\": \"OPEN\", \"toStatus\": \"CORRECTED\", "
            + "\"actor\": {\"subject\": \"op-11330000002481020A\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"11330000002481020A\", \"role\": \"operator\"}, \"actorName\": \"张华\", "
            + "\"automatic\": false, \"decision\": true, \"reason\": \"经核对户籍档案，门牌号录入有误，已更正为 98 号\", "
            + "\"legalBasis\": null, \"details\": null, "
            + "\"requestId\": \"6a2f8d4c-1b7e-4c39-9d05-e8b3a7f2c61d\", \"at\": \"2026-12-09T02:10:00Z\"}]";

    static final String BAD_ITEM_EXAMPLE = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"须为资源 101001/000001 的数据项之一：GMSFHM、XM、XB、CSRQ、MZ、HJDZ / "
            + "item must be one of the entry's data items: GMSFHM, XM, XB, CSRQ, MZ, HJDZ\", \"field\": \"item\", "
            + "\"errors\": [{\"field\": \"item\", \"message\": \"须为资源 101001/000001 的数据项之一：GMSFHM、XM、XB、"
            + "CSRQ、MZ、HJDZ / item must be one of the entry's data items: GMSFHM, XM, XB, CSRQ, MZ, HJDZ\"}], "
            + "\"items\": [\"GMSFHM\", \"XM\", \"XB\", \"CSRQ\", \"MZ\", \"HJDZ\"], "
            + "\"requestId\": \"5a0c7e3b-9d14-4f62-8b1e-2c6f4a9d7e30\"}";

    static final String STEPS_EXAMPLE = "[{\"action\": \"FILE\", \"at\": \"2026-12-07T01:02:03Z\", "
            + "\"actor\": \"REQUESTER\", \"department\": {\"code\": \"11330000002481020A\", "
            + "\"name\": \"浙江省公安厅\"}, \"status\": \"OPEN\", \"outcome\": null, "
            + "\"reason\": \"门牌号登记错误，本人户口簿记载为 98 号\", \"legalBasis\": null, \"explanation\": null, "
            + "\"dueOn\": \"2026-12-21\", \"previousDueOn\": null}, "
            + "{\"action\": \"ESCALATE_OVERDUE\", \"at\": \"2026-12-22T00:25:00Z\", \"actor\": \"SYSTEM\", "
            + "\"department\": {\"code\": \"113300000024810109\", \"name\": \"浙江省大数据发展管理局\"}, "
            + "\"status\": \"OPEN\", \"outcome\": null, "
            + "\"reason\": \"逾期未答复，提请主管部门督办 / overdue, escalated to the 主管部门\", \"legalBasis\": null, "
            + "\"explanation\": null, \"dueOn\": \"2026-12-21\", \"previousDueOn\": null}, "
            + "{\"action\": \"ANSWER\", \"at\": \"2026-12-23T02:10:00Z\", \"actor\": \"DEPARTMENT\", "
            + "\"department\": {\"code\": \"11330000002481020A\", \"name\": \"浙江省公安厅\"}, "
            + "\"status\": \"CORRECTED\", \"outcome\": \"CORRECTED\", "
            + "\"reason\": \"经核对户籍档案，门牌号录入有误，已更正为 98 号\", \"legalBasis\": null, "
            + "\"explanation\": null, \"dueOn\": null, \"previousDueOn\": null}]";

    static final String ID_DOC = "the correction request's id, a positive whole number";

    static final String BAD_ID_EXAMPLE = "{\"type\": \"urn:onenet:problem:validation\", \"title\": \"请求参数校验失败\", "
            + "\"status\": 400, \"detail\": \"编号须为正整数 / the id must be a positive whole number\", "
            + "\"field\": \"id\", \"errors\": [{\"field\": \"id\", "
            + "\"message\": \"编号须为正整数 / the id must be a positive whole number\"}], "
            + "\"requestId\": \"5a0c7e3b-9d14-4f62-8b1e-2c6f4a9d7e30\"}";

    static final String NOT_MINE_EXAMPLE = "{\"type\": \"urn:onenet:problem:not-found\", \"title\": \"资源不存在\", "
            + "\"status\": 404, \"detail\": \"没有该更正申请 / no correction request 5\", "
            + "\"requestId\": \"5a0c7e3b-9d14-4f62-8b1e-2c6f4a9d7e30\"}";

    /** 400 for an id that is not a positive whole number; 404 for another person's request and an unknown id alike. */
    @Retention(RUNTIME)
    @Target(METHOD)
    @APIResponse(responseCode = "400", description = "id is not a positive whole number; named in field",
            content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "bad id", value = BAD_ID_EXAMPLE)))
    @APIResponse(responseCode = "404", description = "no request of the caller's with this id (another person's "
            + "request answers the same)", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "not the caller's", value = NOT_MINE_EXAMPLE)))
    @interface OwnRequestAnswers {
    }

    /** 200 with one correction request: the requester's own view and the staff's answer alike. */
    @Retention(RUNTIME)
    @Target(METHOD)
    @APIResponse(responseCode = "200", description = "the correction request",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CorrectionView.class),
                    examples = @ExampleObject(name = "corrected", value = CORRECTION_EXAMPLE)))
    @interface OneRequest {
    }

    private final CorrectionService corrections;
    private final CorrectionSteps steps;
    private final StateHistory history;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public CorrectionResource(CorrectionService corrections, CorrectionSteps steps, StateHistory history,
            CurrentCaller caller, ExchangeConfig config) {
        this.corrections = corrections;
        this.steps = steps;
        this.history = history;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Path("/me/corrections")
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "A citizen (cn_id) or an enterprise (uscc) asks the 数源部门 of a published catalogue entry to "
            + "correct or complete one data item of data about it (PIPL 第四十六条): correctValue and/or description "
            + "required. The person is the token's cn_id or uscc, never the body. The provider department answers "
            + "within EXCHANGE_CORRECTION_ANSWER_WORKING_DAYS working days (10 by default).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = FileCorrection.class),
            examples = @ExampleObject(name = "correction", value = FILE_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "the correction request; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CorrectionView.class),
                    examples = @ExampleObject(name = "filed", value = CORRECTION_EXAMPLE)))
    @APIResponse(responseCode = "400", description = "an unknown or deregistered resourceCode, an item the entry does "
            + "not list (items names those it does), neither correctValue nor description, a text too long; named in "
            + "field", content = @Content(mediaType = Problem.MEDIA_TYPE,
                    examples = @ExampleObject(name = "unknown item", value = BAD_ITEM_EXAMPLE)))
    @SharedAnswers.LevelNeeded
    public Response file(@HeaderParam("Idempotency-Key") String key, FileCorrection body) {
        Caller c = caller.dataSubject();
        CorrectionView v = view(corrections.file(c, body, key), c);
        return Created.at("me/corrections", v.id(), v).build();
    }

    @GET
    @Path("/me/corrections")
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "The caller's correction requests, newest first, one page at a time: state, deadline and "
            + "the provider department's answer. The X-Total-Count header counts them on all pages.")
    @APIResponse(responseCode = "200", description = "one page of the caller's correction requests, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "1")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = CorrectionView.class),
                    examples = @ExampleObject(name = "one request", value = "[" + CORRECTION_EXAMPLE + "]")))
    @SharedAnswers.BadPage
    @SharedAnswers.LevelNeeded
    public Response mine(@BeanParam PageQuery pages) {
        Caller c = caller.dataSubject();
        ListPaging paging = pages.paging(config.maxPageSize());
        return ListPaging.answer(corrections.mine(c, paging.page(), paging.size()).stream().map(x -> view(x, c))
                .toList(), corrections.countMine(c));
    }

    @GET
    @Path("/me/corrections/{id}")
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "One of the caller's correction requests (an enterprise's: for any account acting with its "
            + "uscc), with the provider department's answer; another person's answers 404 like an unknown id.")
    @OneRequest
    @OwnRequestAnswers
    @SharedAnswers.LevelNeeded
    public CorrectionView own(@Parameter(description = ID_DOC, schema = @Schema(type = SchemaType.INTEGER,
            format = "int64"), example = "5") @PathParam("id") String id) {
        Caller c = caller.dataSubject();
        return view(corrections.mine(c, requestId(id)), c);
    }

    @GET
    @Path("/me/corrections/{id}/history")
    @RolesAllowed({ "citizen", "enterprise" })
    @Operation(summary = "How one of the caller's correction requests was handled, oldest first: filed, answered "
            + "(CORRECTED, SUPPLEMENTED or NOT_CORRECTED with the reasons, legal basis or explanation), escalated to "
            + "the 主管部门 when overdue, deadline recounted; each step with its time and the department that acted "
            + "or that it went to (code and name). No civil servant's account id or name, nor the requester's ID "
            + "number or credit code. Another person's request answers 404 like an unknown id.")
    @APIResponse(responseCode = "200", description = "the request's steps, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = CorrectionSteps.Step.class),
                    examples = @ExampleObject(name = "filed, escalated and corrected", value = STEPS_EXAMPLE)))
    @OwnRequestAnswers
    @SharedAnswers.LevelNeeded
    public List<CorrectionSteps.Step> ownHistory(@Parameter(description = ID_DOC, schema = @Schema(
            type = SchemaType.INTEGER, format = "int64"), example = "5") @PathParam("id") String id) {
        Caller c = caller.dataSubject();
        return steps.of(corrections.mine(c, requestId(id)));
    }

    @GET
    @Path("/corrections")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Correction requests, newest first, one page at a time: a provider department's staff see "
            + "those it must answer, reviewers those of their token's region and of their own department, admins and "
            + "auditors all. overdue=true keeps those unanswered after their deadline. The X-Total-Count header "
            + "counts every match on all pages.")
    @APIResponse(responseCode = "200", description = "one page of correction requests, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "1")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = CorrectionView.class),
                    examples = @ExampleObject(name = "one request", value = "[" + CORRECTION_EXAMPLE + "]")))
    @SharedAnswers.BadPage
    public Response list(
            @Parameter(description = "OPEN, CORRECTED, SUPPLEMENTED or NOT_CORRECTED") @QueryParam("status")
            String status,
            @Parameter(description = "true: only unanswered requests past their deadline") @QueryParam("overdue")
            Boolean overdue, @BeanParam PageQuery pages) {
        ListPaging.requireKnownStatus(status, Fields.CORRECTION_STATUSES);
        boolean onlyOverdue = Boolean.TRUE.equals(overdue);
        ListPaging paging = pages.paging(config.maxPageSize());
        Caller c = caller.get();
        return ListPaging.answer(corrections.list(c, status, onlyOverdue, paging.page(), paging.size()).stream()
                .map(x -> view(x, c)).toList(), corrections.count(c, status, onlyOverdue));
    }

    @GET
    @Path("/corrections/{id}")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "One correction request: for the provider department's staff, reviewers of its region, "
            + "admins and auditors; others get 404. Only the 主管部门 sees the requester's account id, only the "
            + "provider department the requester's ID number or credit code (subjectIdentifier).")
    @OneRequest
    public CorrectionView correction(@PathParam("id") long id) {
        Caller c = caller.get();
        return view(corrections.view(c, id), c);
    }

    @GET
    @Path("/corrections/{id}/history")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Every state change of one correction request, oldest first (for the same callers as the "
            + "request). The provider department sees the requester's steps without account ids; the 主管部门 sees "
            + "all.")
    @APIResponse(responseCode = "200", description = "the request's history (append-only)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StateChangeView.class),
                    examples = @ExampleObject(name = "filed and corrected", value = HISTORY_EXAMPLE)))
    public List<StateChangeView> history(@PathParam("id") long id) {
        Caller c = caller.get();
        Correction correction = corrections.view(c, id);
        boolean full = corrections.isAuthorityFor(c, correction);
        return StateChangeView.of(history.of(StateHistory.CORRECTION, id), row -> full || !byRequester(row));
    }

    @POST
    @Path("/corrections/{id}/answer")
    @RolesAllowed("operator")
    @Operation(summary = "An operator of the entry's 数源部门 answers: CORRECTED, SUPPLEMENTED or NOT_CORRECTED, with "
            + "its reasons (NOT_CORRECTED also with legalBasis or explanation) and the version it read (409 when "
            + "stale). Another department's operator 403.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CorrectionAnswer.class),
            examples = { @ExampleObject(name = "corrected", value = "{\"version\": 0, \"outcome\": \"CORRECTED\", "
                    + "\"reason\": \"经核对户籍档案，门牌号录入有误，已更正为 98 号\"}"),
                    @ExampleObject(name = "not corrected", value = "{\"version\": 0, \"outcome\": \"NOT_CORRECTED\", "
                            + "\"reason\": \"登记地址与迁入档案一致，无需更正\", "
                            + "\"explanation\": \"经核对 2019 年迁入登记原始档案，登记地址与档案一致\"}") }))
    @APIResponse(responseCode = "200", description = "the correction request, answered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CorrectionView.class),
                    examples = @ExampleObject(name = "corrected", value = CORRECTION_EXAMPLE)))
    public CorrectionView answer(@PathParam("id") long id, CorrectionAnswer body) {
        Caller c = caller.get();
        return view(corrections.answer(c, id, body), c);
    }

    private CorrectionView view(Correction x, Caller c) {
        return CorrectionView.of(x, corrections.isAuthorityFor(c, x), corrections.isProviderStaff(c, x),
                corrections.overdue(x));
    }

    private static boolean byRequester(StateChange row) {
        return "citizen".equals(row.actorRole) || "enterprise".equals(row.actorRole);
    }

    /**
     * The path's id as a positive whole number; anything else 400 naming {@code id} (not the 404 of a path that does
     * not match, which would read as "no such request").
     */
    static long requestId(String id) {
        String v = id == null ? "" : id.trim();
        if (v.matches("[0-9]{1,18}")) {
            long n = Long.parseLong(v);
            if (n > 0) {
                return n;
            }
        }
        throw Fields.ID.notPositive();
    }

}
