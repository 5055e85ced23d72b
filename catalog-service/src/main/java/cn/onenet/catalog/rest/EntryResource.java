package cn.onenet.catalog.rest;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
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

import cn.onenet.catalog.config.CatalogConfig;
import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.model.Codes;
import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.EntryEvent;
import cn.onenet.catalog.model.EntryState;
import cn.onenet.catalog.model.EntryVersion;
import cn.onenet.catalog.model.FilingStatus;
import cn.onenet.catalog.service.Caller;
import cn.onenet.catalog.service.CatalogService;
import cn.onenet.catalog.service.DcatExporter;
import cn.onenet.catalog.service.Paging;
import cn.onenet.catalog.service.VersionDiff;
import cn.onenet.catalog.service.Workflow;
import cn.onenet.catalog.service.search.SearchService;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.Problem;
import cn.onenet.common.problem.ProblemResponses;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.common.requestid.RequestIds;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** Catalogue entries and their review-and-publish lifecycle (条例 Arts. 13–17, 27). */
@Path("/api/catalog/v1/entries")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "entries", description = "政务数据目录条目及其审核发布流程 / catalogue entries and their lifecycle")
public class EntryResource {

    /** The header of a paged list that counts every item matching its filter. */
    static final String TOTAL_COUNT = "X-Total-Count";

    /** The work list filter {@code awaiting=head-approval}: the drafts waiting for the department head (R4). */
    static final String AWAITING_HEAD_APPROVAL = "head-approval";

    private static final String HISTORY_EXAMPLE = """
            [{"id":1001,"entryId":1,"action":"CREATE","fromState":null,"toState":"DRAFT",
              "actor":"editor-police","actorName":"赵敏","actorRole":"catalog-editor","opinion":null,
              "changes":null,"at":"2026-10-19T01:12:40Z"},
             {"id":1002,"entryId":1,"action":"ASSESSMENT_SECRECY","fromState":"DRAFT","toState":"DRAFT",
              "actor":"editor-police","actorName":"赵敏","actorRole":"catalog-editor","opinion":"不涉及国家秘密和工作秘密",
              "changes":null,"at":"2026-10-20T02:05:16Z"},
             {"id":1003,"entryId":1,"action":"ASSESSMENT_PERSONAL_INFORMATION","fromState":"DRAFT","toState":"DRAFT",
              "actor":"editor-police","actorName":"赵敏","actorRole":"catalog-editor","opinion":"个人信息处理限于履职所需，风险可控",
              "changes":null,"at":"2026-10-21T01:48:03Z"},
             {"id":1004,"entryId":1,"action":"HEAD_APPROVAL","fromState":"DRAFT","toState":"DRAFT",
              "actor":"editor-police","actorName":"赵敏","actorRole":"catalog-editor","opinion":"同意报送",
              "changes":null,"at":"2026-10-21T05:30:27Z"},
             {"id":1005,"entryId":1,"action":"SUBMIT","fromState":"DRAFT","toState":"SUBMITTED",
              "actor":"editor-police","actorName":"赵敏","actorRole":"catalog-editor","opinion":"报送审核",
              "changes":null,"at":"2026-10-21T06:02:11Z"},
             {"id":1006,"entryId":1,"action":"APPROVE","fromState":"SUBMITTED","toState":"APPROVED",
              "actor":"reviewer-1","actorName":"王芳","actorRole":"reviewer","opinion":"同意",
              "changes":null,"at":"2026-10-22T02:40:05Z"},
             {"id":1007,"entryId":1,"action":"PUBLISH","fromState":"APPROVED","toState":"PUBLISHED",
              "actor":"reviewer-1","actorName":"王芳","actorRole":"reviewer","opinion":"统一通告发布",
              "changes":null,"at":"2026-10-23T01:30:00Z"}]""";

    private static final String DIFF_EXAMPLE = """
            [{"field":"updateCycle","kind":"CHANGED","before":"MONTHLY","after":"DAILY"},
             {"field":"items[HJDZ].code","kind":"ADDED","before":null,"after":"HJDZ"},
             {"field":"items[HJDZ].name","kind":"ADDED","before":null,"after":"户籍地址"},
             {"field":"items[HJDZ].dataType","kind":"ADDED","before":null,"after":"C"},
             {"field":"items[HJDZ].length","kind":"ADDED","before":null,"after":200},
             {"field":"items[HJDZ].sensitive","kind":"ADDED","before":null,"after":true}]""";

    private final CatalogService catalog;
    private final EntryViews views;
    private final SearchService search;
    private final SecurityIdentity identity;
    private final CatalogConfig config;
    private final DcatExporter dcat;

    public EntryResource(CatalogService catalog, EntryViews views, SearchService search, SecurityIdentity identity,
            CatalogConfig config, DcatExporter dcat) {
        this.catalog = catalog;
        this.views = views;
        this.search = search;
        this.identity = identity;
        this.config = config;
        this.dcat = dcat;
    }

    private Caller caller() {
        return Callers.of(identity);
    }

    @POST
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Create a draft entry of the caller's own department (catalog-editor).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "居民户籍信息", value = EntryContent.EXAMPLE)))
    @APIResponse(responseCode = "201", description = "the draft entry",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EntryView.class)))
    public Response create(EntryContent content) {
        Caller c = caller();
        CatalogEntry e = catalog.create(c, content);
        return Response.status(201).entity(views.of(c, e)).build();
    }

    @GET
    @RolesAllowed({"catalog-editor", "head", "reviewer", "admin", "auditor"})
    @Operation(summary = "Work list: editors and department heads see their department's entries in every state, "
            + "reviewers those of their region (R5), admins and auditors all; one page at a time (by id), the "
            + "X-Total-Count header counts every entry matching the filter.")
    @APIResponse(responseCode = "200", description = "one page of entries, ordered by id",
            headers = @Header(name = TOTAL_COUNT, description = "how many entries match the filter (state, provider, "
                    + "changeFiling, awaiting, the caller's department or region), on all pages",
                    schema = @Schema(type = SchemaType.INTEGER, example = "137")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = EntryView.class)))
    public Response list(
            @Parameter(description = "only entries in this state, e.g. DEREGISTER_PENDING for the deregistration "
                    + "requests awaiting the 主管部门's decision") @QueryParam("state") EntryState state,
            @Parameter(description = "only entries of this provider (统一社会信用代码, any letter case); reviewers, "
                    + "admins and auditors", example = "11330000002481020A")
            @QueryParam("provider") String provider,
            @Parameter(description = "only changes of published entries whose 备案 for narrowing what is shared (条例 "
                    + "Art. 27 ¶3) is filed and AWAITING_ACCEPTANCE by the 主管部门 (备案待接收), or ACCEPTED")
            @QueryParam("changeFiling") FilingStatus changeFiling,
            @Parameter(description = "head-approval: only the drafts being edited (草稿, 退回修改, 变更中) that have both "
                    + "assessments and no department head's approval yet, what waits for the head (待部门负责人审核, R4); "
                    + "any other value is refused with 400")
            @QueryParam("awaiting") String awaiting,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        if (awaiting != null && !AWAITING_HEAD_APPROVAL.equals(awaiting)) {
            throw ApiException.field("awaiting", "应为 " + AWAITING_HEAD_APPROVAL + " / must be " + AWAITING_HEAD_APPROVAL);
        }
        Caller c = caller();
        int s = Paging.size(size, 50, config.maxPageSize());
        int p = Paging.page(page);
        CatalogService.Page<CatalogEntry> found = catalog.list(c, state, Codes.department(provider), changeFiling, awaiting != null, p,
                s);
        return Response.ok(found.items().stream().map(e -> views.of(c, e)).toList())
                .header(TOTAL_COUNT, found.total()).build();
    }

    @GET
    @Path("/overdue")
    @RolesAllowed({"reviewer", "admin", "auditor"})
    @Operation(summary = "Entries past a statutory working-day deadline (review 2 WD, change 10 WD + 5): reviewers see "
            + "those of their region, admins and auditors all; every one at once, counted in X-Total-Count too.")
    @APIResponse(responseCode = "200", description = "the overdue entries, ordered by id",
            headers = @Header(name = TOTAL_COUNT, description = "how many entries are overdue",
                    schema = @Schema(type = SchemaType.INTEGER, example = "3")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = EntryView.class)))
    public Response overdue() {
        Caller c = caller();
        List<EntryView> overdue = catalog.overdue(c).stream().map(e -> views.of(c, e)).toList();
        return Response.ok(overdue).header(TOTAL_COUNT, overdue.size()).build();
    }

    @GET
    @Path("/{id}")
    @PermitAll
    @Operation(summary = "One entry. Anonymous callers, citizens and enterprises see only published, open entries; "
            + "government callers (a department or a staff role) all published ones; editors and heads their own department's drafts; reviewers the drafts of their "
            + "region (R5); admins and auditors everything. A draft the caller may not read is answered 404.")
    public EntryView get(@PathParam("id") long id) {
        Caller c = caller();
        return views.of(c, catalog.get(c, id));
    }

    @GET
    @Path("/by-code")
    @PermitAll
    @Operation(summary = "Look an entry up by its resource code (分类码/顺序码), e.g. ?code=101001/000001; typed "
            + "full-width (１０１００１／００００００１) or with ideographic spaces around it, it is the same code.")
    public EntryView byCode(@QueryParam("code") String code) {
        String normalized = Codes.normalize(code);
        if (normalized == null || normalized.isEmpty()) {
            throw ApiException.field("code", "资源代码必填 / code required");
        }
        Caller c = caller();
        return views.of(c, catalog.byCode(c, normalized));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Replace the draft (own department, states DRAFT/RETURNED/CHANGE_PENDING). "
            + "Send If-Match with the lockVersion you read (required: 428 naming If-Match without it); a stale one "
            + "gets 409.")
    @APIResponse(responseCode = "200", description = "the entry with its new draft",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EntryView.class)))
    @APIResponse(responseCode = "428", description = "no If-Match: send the lockVersion of the draft you edited",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response update(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("reason") String reason, @Context HttpHeaders headers, EntryContent content) {
        Integer expected = lockVersion(ifMatch);
        if (expected == null) {
            // an edit replaces the whole draft: without the version read, it could silently undo another's edit
            return preconditionRequired(headers);
        }
        Caller c = caller();
        return Response.ok(views.of(c, catalog.update(c, id, content, expected, reason))).build();
    }

    /** 428 Precondition Required (RFC 6585) as problem+json naming If-Match. */
    private static Response preconditionRequired(HttpHeaders headers) {
        boolean english = ProblemResponses.prefersEnglish(headers);
        String message = "须以 If-Match 提交所编辑草稿的版本号 / send the version number of the draft you edit as If-Match";
        String requestId = RequestIds.current() != null ? RequestIds.current()
                : headers == null ? null : headers.getHeaderString(RequestIds.HEADER);
        Problem problem = new Problem(ProblemType.URI_PREFIX + "precondition-required",
                english ? "Precondition required" : "缺少前提条件", 428, message, null, "If-Match",
                List.of(new FieldError("If-Match", message)), requestId, Map.of());
        return Response.status(428).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The lockVersion an If-Match header names ({@code 7}, {@code "7"} or {@code W/"7"}), or null without one. */
    private static Integer lockVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(ifMatch.replace("\"", "").replace("W/", "").trim());
        } catch (NumberFormatException e) {
            throw ApiException.field("If-Match", "应为条目的版本号 / must be the entry's version number");
        }
    }

    @POST
    @Path("/{id}/assessments/{kind}")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Attach the secrecy (kind=secrecy) or personal-information impact assessment "
            + "(kind=personal-information) required before submission (条例 Art. 13). assessedOn is not after today "
            + "and not before the day the entry was registered. The assessment is recorded as the caller's, at the "
            + "time of the request (recordedBy, recordedAt in the entry's view); a body field recordedBy, recordedAt "
            + "or any other than reference, conclusion and assessedOn is refused with 400 naming it.")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "secrecy", summary = "保密风险评估",
                    value = "{\"reference\":\"BM-2026-101\",\"conclusion\":\"不涉及国家秘密和工作秘密\","
                            + "\"assessedOn\":\"2026-10-20\"}"),
            @ExampleObject(name = "personal-information", summary = "个人信息保护影响评估",
                    value = "{\"reference\":\"PIA-2026-101\",\"conclusion\":\"个人信息处理限于履职所需，风险可控\","
                            + "\"assessedOn\":\"2026-10-21\"}")}))
    public EntryView assessment(@PathParam("id") long id, @PathParam("kind") String kind,
            Requests.Assessment body) {
        if (body != null && body.otherFields() != null && !body.otherFields().isEmpty()) {
            // the recorder is the caller signed in: a recordedBy sent would otherwise be silently replaced
            throw ApiException.fields(body.otherFields().keySet().stream().sorted().map(f -> new FieldError(f,
                    f.equals("recordedBy") || f.equals("recordedAt")
                            ? "记录人和记录时间取自登录账号和提交时间，请勿填写 / the recorder and the time are the caller "
                                    + "signed in and the time of the request; leave " + f + " out"
                            : "未知字段 / unknown field")).toList());
        }
        Caller c = caller();
        return views.of(c, catalog.attachAssessment(c, id, kind, body == null ? null
                : new Workflow.Assessment(body.reference(), body.conclusion(), body.assessedOn(), null, null)));
    }

    @POST
    @Path("/{id}/head-approval")
    @Authenticated
    @Operation(summary = "部门负责人审核 (R4, 条例 Art. 13): the head of the entry's provider department (role head) "
            + "approves the draft with their own account, after both assessments; the approval records the head's "
            + "name and account from the token. Send If-Match with the lockVersion of the draft you read (required: "
            + "400 without it, 409 when the entry changed since). 404 for callers who may not see the draft (as GET "
            + "answers them), 403 for those who see it and may not approve it (editors, reviewers, another "
            + "department's head on a published entry) and for a head who edited or assessed this draft; 409 when an "
            + "approval is already on record; approvedOn neither in the future nor before the assessments' dates; a "
            + "body field approver is refused with 400.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "部门负责人审核",
            value = "{\"opinion\":\"同意报送\",\"approvedOn\":\"2026-10-21\"}")))
    public EntryView headApproval(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch,
            Requests.HeadApproval body) {
        if (body != null && body.approver() != null) {
            throw ApiException.field("approver", "审核人取自登录的部门负责人账号，请勿填写 / the approver is the head "
                    + "signed in; leave approver out");
        }
        Integer expected = lockVersion(ifMatch);
        Caller c = caller();
        return views.of(c, catalog.recordHeadApproval(c, id, body == null ? null : body.opinion(),
                body == null ? null : body.approvedOn(), expected));
    }

    @POST
    @Path("/{id}/submit")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Submit to the 主管部门 for review; starts the 2-working-day review timer.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "报送审核",
            value = "{\"opinion\":\"报送审核\"}")))
    public EntryView submit(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.submit(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/recall")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "撤回报送: an editor of the entry's department takes a submission back while it is SUBMITTED "
            + "(待审核: the reviewer has not acted yet). The entry returns to the state it was submitted from (DRAFT, "
            + "RETURNED, or CHANGE_PENDING for a change of a published entry), the review timer stops (reviewDue "
            + "null), the reviewer's work list no longer holds it, and the history records a RECALL step. The "
            + "assessments and the head's approval stay with the unchanged draft. opinion is optional, as for submit. "
            + "If-Match with the lockVersion read is optional: when sent, a stale one gets 409. Any other state: 409 "
            + "naming it; another department's editor: 404 for a draft it may not see, 403 otherwise.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "撤回报送",
            value = "{\"opinion\":\"报送有误，撤回修改共享条件\"}")))
    @APIResponse(responseCode = "200", description = "the entry, back in the state it was submitted from",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EntryView.class)))
    @APIResponse(responseCode = "409", description = "not SUBMITTED (the reviewer acted already, or it was never "
            + "submitted), or the If-Match version is stale",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "已审核通过",
                    value = "{\"type\":\"urn:onenet:problem:illegal-transition\",\"title\":\"当前状态不允许此操作\","
                            + "\"status\":409,\"detail\":\"当前状态（审核通过）不允许撤回报送 / not allowed in state "
                            + "APPROVED\",\"state\":\"APPROVED\",\"requestId\":\"3f6c1a2e9b7d4c05\"}")))
    public EntryView recall(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch,
            Requests.Opinion body) {
        Integer expected = lockVersion(ifMatch);
        return act(c -> catalog.recall(c, id, opinion(body), expected));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "删除草稿: an editor of the entry's department deletes a draft that was never published (state "
            + "DRAFT, no published version); any other state (in review, returned, published ...) gets 409 naming "
            + "it. Send If-Match with the lockVersion read (required: 428 naming If-Match without it; a stale one "
            + "gets 409); ?reason= is optional. Afterwards the entry answers 404 and is in no list; its name and "
            + "classification are free again. The history is kept, ending with a DISCARD step (who, when, the "
            + "entry's metadata identifier and name), which admins and auditors still read at /{id}/history.")
    @APIResponse(responseCode = "204", description = "the draft is deleted")
    @APIResponse(responseCode = "409", description = "not a draft that was never published, or a stale If-Match",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "待审核",
                    value = "{\"type\":\"urn:onenet:problem:illegal-transition\",\"title\":\"当前状态不允许此操作\","
                            + "\"status\":409,\"detail\":\"当前状态（待审核）不允许删除，只能删除从未发布的草稿 / not allowed in "
                            + "state SUBMITTED: only a draft never published is deleted\",\"state\":\"SUBMITTED\","
                            + "\"requestId\":\"3f6c1a2e9b7d4c05\"}")))
    @APIResponse(responseCode = "428", description = "no If-Match: send the lockVersion of the draft you read",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public Response discard(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch,
            @QueryParam("reason") String reason, @Context HttpHeaders headers) {
        Integer expected = lockVersion(ifMatch);
        if (expected == null) {
            return preconditionRequired(headers);
        }
        catalog.discard(caller(), id, expected, reason);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/return")
    @RolesAllowed("reviewer")
    @Operation(summary = "Return a submitted entry with an opinion (退回修改).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "退回修改",
            value = "{\"opinion\":\"共享条件表述不够具体，请明确使用范围\"}")))
    public EntryView returnEntry(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.returnWithOpinion(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed("reviewer")
    @Operation(summary = "Approve a submitted entry; assigns its resource code on first approval. A change that narrows "
            + "what is shared needs an accepted change 备案 while the exchange reports active grants (409 changeFiling; "
            + "503 when the exchange cannot answer).")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "审核通过",
            value = "{\"opinion\":\"同意\"}")))
    public EntryView approve(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.approve(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/publish")
    @RolesAllowed("reviewer")
    @Operation(summary = "Publish an approved entry as its next numbered version (统一通告); appears in the feed. "
            + "Checks the change 备案 again as approval does.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "统一通告",
            value = "{\"opinion\":\"统一通告发布\"}")))
    public EntryView publish(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.publish(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/change")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Start a change of a published entry after a legal or duty change; 10 working days "
            + "from the trigger date (条例 Art. 17). The published version stays live meanwhile. triggeredOn "
            + "(default today) may be neither after today nor before the day the entry was registered: 400 naming it.")
    public EntryView change(@PathParam("id") long id, Requests.Change body) {
        return act(c -> catalog.startChange(c, id, body == null ? null : body.cause(),
                body == null ? null : body.triggeredOn()));
    }

    @POST
    @Path("/{id}/change-extension")
    @RolesAllowed("reviewer")
    @Operation(summary = "Extend the change period once by 5 working days.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "延期",
            value = "{\"opinion\":\"涉及下级部门信息项调整，同意延长5个工作日\"}")))
    public EntryView extend(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.extendChange(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/change/filing")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "File the 备案 for a change that narrows what is shared (items removed or renamed, a stricter "
            + "share attribute, fewer permitted purposes) while other departments hold active grants (条例 Art. 27 "
            + "¶3). Editing the draft afterwards withdraws it.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "变更备案",
            value = "{\"filing\":\"已书面征求持有授权的省人力资源和社会保障厅、省民政厅意见，两部门同意停用“户籍地址”信息项\"}")))
    public EntryView changeFiling(@PathParam("id") long id, Requests.Filing body) {
        return act(c -> catalog.fileChangeRecord(c, id, filing(body)));
    }

    @POST
    @Path("/{id}/change/filing-acceptance")
    @RolesAllowed("reviewer")
    @Operation(summary = "Accept the provider's 备案 for a narrowing change; without it approval and publication of "
            + "such a change are refused (409, field changeFiling, activeGrants) while grants are active.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "接受变更备案",
            value = "{\"opinion\":\"已与使用部门协商一致，同意备案\"}")))
    public EntryView acceptChangeFiling(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.acceptChangeFiling(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/deregistration")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "Ask to deregister (注销) a published entry.")
    public EntryView deregistration(@PathParam("id") long id, Requests.DeregistrationRequest body) {
        return act(c -> catalog.requestDeregistration(c, id, body == null ? null : body.reason()));
    }

    @POST
    @Path("/{id}/deregistration/filing")
    @RolesAllowed("catalog-editor")
    @Operation(summary = "File the 备案: consultation with the requesters holding grants (条例 Art. 27 ¶3).")
    public EntryView filing(@PathParam("id") long id, Requests.Filing body) {
        return act(c -> catalog.fileRecord(c, id, filing(body)));
    }

    @POST
    @Path("/{id}/deregistration/filing-acceptance")
    @RolesAllowed("reviewer")
    @Operation(summary = "Accept the provider's 备案, allowing deregistration despite active grants.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "接受备案",
            value = "{\"opinion\":\"已与申请方协商一致，同意备案\"}")))
    public EntryView acceptFiling(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.acceptFiling(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/deregistration/approval")
    @RolesAllowed("reviewer")
    @Operation(summary = "Deregister. Asks the exchange for active grants first: refused (409) while any exist and "
            + "no 备案 is accepted, and refused (503) when the exchange cannot answer.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "同意注销",
            value = "{\"opinion\":\"同意注销，改由“居民户籍信息”统一提供\"}")))
    public EntryView approveDeregistration(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.approveDeregistration(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/deregistration/rejection")
    @RolesAllowed("reviewer")
    @Operation(summary = "Refuse a deregistration; the entry stays published.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "不同意注销",
            value = "{\"opinion\":\"仍有部门依托该资源办理政务服务，暂不同意注销\"}")))
    public EntryView rejectDeregistration(@PathParam("id") long id, Requests.Opinion body) {
        return act(c -> catalog.rejectDeregistration(c, id, opinion(body)));
    }

    @POST
    @Path("/{id}/reclassification")
    @RolesAllowed("admin")
    @Operation(summary = "Reclassify a published entry (admin): new classification, new resource code, "
            + "old code kept in the history and the feed.")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "就业登记信息",
            value = "{\"classification\":{\"resourceClass\":\"THEMATIC\",\"category\":\"社会保障\",\"itemCode\":\"03\","
                    + "\"catalogCode\":\"011\"},\"opinion\":\"按编制指南调整至社会保障主题\"}")))
    public EntryView reclassify(@PathParam("id") long id, Requests.Reclassification body) {
        return act(c -> catalog.reclassify(c, id, body == null ? null : body.classification(),
                body == null ? null : body.opinion()));
    }

    @GET
    @Path("/{id}/versions")
    @PermitAll
    @Operation(summary = "The published versions of an entry the caller may see (anonymous callers, citizens and enterprises: the open ones).")
    public List<VersionView> versions(@PathParam("id") long id) {
        Caller c = caller();
        return catalog.versions(c, id).stream().map(v -> VersionView.of(c, v, catalog.content(v.content), false))
                .toList();
    }

    @GET
    @Path("/{id}/versions/{version}")
    @PermitAll
    @Operation(summary = "One published version with its full content; 404 for a version the caller could not "
            + "read while it was live (anonymous callers, citizens and enterprises: one that was not open).")
    public VersionView version(@PathParam("id") long id, @PathParam("version") int version) {
        Caller c = caller();
        EntryVersion v = catalog.version(c, id, version);
        return VersionView.of(c, v, catalog.content(v.content), true);
    }

    @GET
    @Path("/{id}/diff")
    @PermitAll
    @Operation(summary = "Field-by-field difference between two published versions the caller may see (?from=1&to=3).")
    @APIResponse(responseCode = "200", description = "the changes, data items matched by their code",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = VersionDiff.Change.class),
                    examples = @ExampleObject(name = "版本1→2", value = DIFF_EXAMPLE)))
    public List<VersionDiff.Change> diff(@PathParam("id") long id, @QueryParam("from") Integer from,
            @QueryParam("to") Integer to) {
        if (from == null || to == null) {
            throw ApiException.field(from == null ? "from" : "to", "版本号必填 / version required");
        }
        return catalog.diff(caller(), id, from, to);
    }

    @GET
    @Path("/{id}/distribution")
    @Produces({Rdf.TURTLE, Rdf.JSONLD})
    @PermitAll
    @Operation(summary = "The distribution of an entry's published copy as the DCAT-AP export names it "
            + "(dcat:distribution), Turtle or JSON-LD; to whoever reads the entry (anonymous callers, citizens and "
            + "enterprises: open entries only), 404 for an entry never published.")
    public Response distribution(@PathParam("id") long id, @Context HttpHeaders headers) {
        return Rdf.render(headers, dcat.distribution(dcat.published(caller(), id)));
    }

    @GET
    @Path("/{id}/items/{code}")
    @Produces({Rdf.TURTLE, Rdf.JSONLD})
    @PermitAll
    @Operation(summary = "A data item of an entry's published copy as the DCAT-AP export names it (zwml:dataItem), "
            + "Turtle or JSON-LD; to whoever reads the entry (anonymous callers, citizens and enterprises: open "
            + "entries only), 404 for an entry never published or an item its published copy does not hold.")
    public Response item(@PathParam("id") long id, @PathParam("code") String code, @Context HttpHeaders headers) {
        return Rdf.render(headers, dcat.item(dcat.published(caller(), id), code));
    }

    @GET
    @Path("/{id}/history")
    @RolesAllowed({"catalog-editor", "head", "reviewer", "admin", "auditor"})
    @Operation(summary = "Who changed what, when and why: every recorded step of the entry, for those who may read its "
            + "drafts (its department's editors and head, its region's reviewers, admins and auditors; 403 for other "
            + "readers of "
            + "a published entry, 404 for an unpublished one).")
    @APIResponse(responseCode = "200", description = "the recorded steps, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = EntryEvent.class),
                    examples = @ExampleObject(name = "居民户籍信息", value = HISTORY_EXAMPLE)))
    public List<EntryEvent> history(@PathParam("id") long id) {
        Caller c = caller();
        CatalogEntry e;
        try {
            e = catalog.get(c, id);
        } catch (ApiException notFound) {
            // a deleted draft's history stays readable for admins and auditors
            return catalog.discardedHistory(c, id);
        }
        if (!CatalogService.mayReadDrafts(c, e)) {
            throw ApiException.forbidden("无权查看该条目历史 / not allowed to read this entry's history");
        }
        return catalog.history(id);
    }

    private EntryView act(Function<Caller, CatalogEntry> action) {
        Caller c = caller();
        CatalogEntry e = action.apply(c);
        search.catchUp();
        return views.of(c, e);
    }

    private static String opinion(Requests.Opinion body) {
        return body == null ? null : body.opinion();
    }

    private static String filing(Requests.Filing body) {
        return body == null ? null : body.filing();
    }

    /**
     * A published version: the publishing body (the 主管部门 of the version's region, R5) and the time for everyone,
     * the publisher's name for reviewers, admins and auditors only, and never the publisher's account id.
     */
    public record VersionView(@Schema(example = "2") int version, @Schema(example = "1.1") String label, boolean major,
            @Schema(example = "330000", description = "发布机关: the GB/T 2260 code of the region whose 政务数据主管部门 "
                    + "reviewed and published this version (R5, 条例 Art. 16)") String publishingRegionCode,
            @Schema(example = "王芳", description = "the publishing reviewer's name as it was at publication; for "
                    + "reviewers, admins and auditors only, null for everyone else and where none was recorded")
            String publishedByName,
            @Schema(example = "2026-10-30T07:45:12Z") java.time.Instant publishedAt,
            @Schema(description = "the version's full content (one version only; null in the list)")
            EntryContent content) {
        static VersionView of(Caller caller, EntryVersion v, EntryContent content, boolean withContent) {
            return new VersionView(v.version, v.label, v.major, content.regionCode(),
                    caller.seesPublisherName() ? v.publishedByName : null, v.publishedAt,
                    withContent ? content : null);
        }
    }
}
