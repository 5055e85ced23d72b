package cn.onenet.exchange.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.StateChange;
import cn.onenet.exchange.rest.Views.GrantView;
import cn.onenet.exchange.rest.Views.StateChangeView;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.Commands.ChangeGrant;
import cn.onenet.exchange.service.Commands.GrantReason;
import cn.onenet.exchange.service.Commands.Suspension;
import cn.onenet.exchange.service.Commands.Termination;
import cn.onenet.exchange.service.GrantService;
import cn.onenet.exchange.service.StateHistory;
import cn.onenet.exchange.service.TimeSource;

/** 共享授权: the grants, their suspension, change, termination and the consumer's disposal confirmation. */
@Path("/api/exchange/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "grants", description = "共享授权 (grants)")
public class GrantResource {

    /** A grant's history: issued on approval, suspended by the 主管部门, resumed by the provider. */
    static final String HISTORY_EXAMPLE = "[{\"id\": 323, \"objectType\": \"GRANT\", \"objectId\": 17, "
            + "\"shareRequestId\": 42, \"action\": \"CREATE\", \"fromStatus\": null, \"toStatus\": \"ACTIVE\", "
            + "\"actor\": {\"subject\": \"8a41d2c7-0b3e-4f9a-a6d5-1c7e2b9f3d08\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"11330000002481020A\", \"role\": \"operator\"}, \"automatic\": false, "
            + "\"decision\": true, \"reason\": \"同意共享，仅限养老保险待遇资格认证使用\", "
            + "\"legalBasis\": \"《社会保险法》第七十五条\", \"details\": {\"basis\": \"有条件共享\", "
            + "\"items\": [\"GMSFHM\", \"XM\"], \"validFrom\": \"2026-12-09\", \"validTo\": \"2027-12-31\", "
            + "\"quotaPerSecond\": 50, \"quotaPerDay\": 100000}, "
            + "\"requestId\": \"e7d04b9c-21fa-4c3e-9b86-5f0a3d7c1e42\", \"at\": \"2026-12-09T03:15:27Z\"}, "
            + "{\"id\": 410, \"objectType\": \"GRANT\", \"objectId\": 17, \"shareRequestId\": 42, "
            + "\"action\": \"SUSPEND\", \"fromStatus\": \"ACTIVE\", \"toStatus\": \"SUSPENDED\", "
            + "\"actor\": {\"subject\": \"c2b7e9d4-5f18-4a3c-9e60-7d1a4b8f2c53\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"113300000024810109\", \"role\": \"reviewer\"}, \"automatic\": false, "
            + "\"decision\": true, \"reason\": \"发现超出授权用途批量调用，暂停核查\", \"legalBasis\": null, "
            + "\"details\": null, \"requestId\": \"1f8c6a3e-7b2d-4e95-a0c4-9d5e2f7b1a68\", "
            + "\"at\": \"2027-02-03T07:40:02Z\"}, {\"id\": 436, \"objectType\": \"GRANT\", \"objectId\": 17, "
            + "\"shareRequestId\": 42, \"action\": \"RESUME\", \"fromStatus\": \"SUSPENDED\", "
            + "\"toStatus\": \"ACTIVE\", \"actor\": {\"subject\": \"8a41d2c7-0b3e-4f9a-a6d5-1c7e2b9f3d08\", "
            + "\"clientId\": \"onenet-portal\", \"departmentCode\": \"11330000002481020A\", "
            + "\"role\": \"operator\"}, \"automatic\": false, \"decision\": true, "
            + "\"reason\": \"核查完毕，使用部门已整改\", \"legalBasis\": null, \"details\": null, "
            + "\"requestId\": \"6d3a1e9b-8c4f-4b27-95e0-3a7f1c6d2b84\", \"at\": \"2027-02-10T01:05:49Z\"}]";

    private final GrantService grants;
    private final StateHistory history;
    private final CurrentCaller caller;
    private final ExchangeConfig config;
    private final TimeSource time;

    public GrantResource(GrantService grants, StateHistory history, CurrentCaller caller, ExchangeConfig config,
            TimeSource time) {
        this.time = time;
        this.grants = grants;
        this.history = history;
        this.caller = caller;
        this.config = config;
    }

    private GrantView view(ShareGrant g) {
        return GrantView.of(g, history.lastDecision(StateHistory.GRANT, g.id), time.today());
    }

    /** The header counting every grant that matches the list's filter, on all pages. */
    static final String TOTAL_COUNT = "X-Total-Count";

    @GET
    @Path("/grants")
    @RolesAllowed({ "operator", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "Grants where the caller's department provides or consumes; a reviewer those of its "
            + "region (whose 主管部门 governs them) and its department, admins and auditors all. Newest first, one page "
            + "at a time; the X-Total-Count header counts every match on all pages.")
    @APIResponse(responseCode = "200", description = "one page of grants, newest first",
            headers = @Header(name = TOTAL_COUNT, description = "how many grants match the filter, on all pages",
                    schema = @Schema(type = SchemaType.INTEGER, example = "73")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = GrantView.class)))
    @APIResponse(responseCode = "400", description = ListPaging.BAD_INPUT,
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "size",
                    value = ListPaging.BAD_SIZE_EXAMPLE)))
    public Response list(
            @Parameter(description = "only grants on this entry (an old code of a reclassified entry finds the "
                    + "grants on its current code)", example = "101001/000001")
            @QueryParam("resourceCode") String resourceCode,
            @Parameter(description = "only grants in this status (ACTIVE, SUSPENDED, TERMINATED, EXPIRED)",
                    example = "ACTIVE") @QueryParam("status") String status,
            @Parameter(description = "true: only ended grants whose disposal is unconfirmed after its due day (R14); "
                    + "a reviewer sees those of its region", example = "true")
            @QueryParam("disposalOverdue") Boolean disposalOverdue, @BeanParam PageQuery pages) {
        ListPaging paging = pages.paging(config.maxPageSize());
        boolean overdue = Boolean.TRUE.equals(disposalOverdue);
        Caller c = caller.get();
        List<ShareGrant> found = grants.list(c, resourceCode, status, overdue, paging.page(), paging.size());
        Map<Long, StateChange> decisions = history.lastDecisions(StateHistory.GRANT,
                found.stream().map(g -> g.id).toList());
        return ListPaging.answer(found.stream().map(g -> GrantView.of(g, decisions.get(g.id), time.today())).toList(),
                grants.count(c, resourceCode, status, overdue));
    }

    @GET
    @Path("/grants/{id}")
    @RolesAllowed({ "operator", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "One grant, to whom the list shows it: either party, a reviewer of the grant's region or of "
            + "one of its departments (another region's 404, a token without region 403), admins and auditors.")
    public GrantView get(@PathParam("id") long id) {
        return view(grants.view(caller.get(), id));
    }

    @GET
    @Path("/grants/{id}/history")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Every state change of one grant, oldest first: issued, suspended, resumed, changed, "
            + "terminated, expired, disposal confirmed; who (subject, department, role), when, from → to and why "
            + "(either party's operators, the reviewers of its region, admins and auditors; 404 for anyone who cannot "
            + "see the grant).")
    @APIResponse(responseCode = "200", description = "the grant's history (append-only)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StateChangeView.class),
                    examples = @ExampleObject(name = "issued, suspended, resumed", value = HISTORY_EXAMPLE)))
    public List<StateChangeView> stateChanges(@PathParam("id") long id) {
        ShareGrant g = grants.view(caller.get(), id);
        return StateChangeView.of(history.of(StateHistory.GRANT, g.id));
    }

    @POST
    @Path("/grants/{id}/suspend")
    @RolesAllowed({ "operator", "reviewer" })
    @Operation(summary = "Suspend for misuse (R14): provider or 主管部门, with a recorded reason; the consumer is notified.",
            description = "The suspension records who imposed it (suspendedBy AUTHORITY or PROVIDER). The 主管部门 may "
                    + "also take over a suspension the provider imposed. Who may, here and for resume, terminate and "
                    + "change: the provider's operators, and reviewers of the 主管部门 (token claim competent_authority) "
                    + "of the grant's region that are not a party; admins and reviewers of other departments 403, of "
                    + "other regions 404.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = { @ExampleObject(name = "suspend", value = "{\"version\": 1, \"reason\": \"发现超出授权用途批量调用，暂停核查\"}"),
                    @ExampleObject(name = "suspend with a rectification deadline", value = "{\"version\": 1, "
                            + "\"reason\": \"发现超出授权用途批量调用，限期整改\", \"rectificationWorkingDays\": 10}") }))
    public GrantView suspend(@PathParam("id") long id, Suspension body) {
        return view(grants.suspend(caller.get(), id, body));
    }

    @POST
    @Path("/grants/{id}/resume")
    @RolesAllowed({ "operator", "reviewer" })
    @Operation(summary = "Lift a suspension, with a recorded reason.", description = "A suspension the 主管部门 imposed "
            + "(suspendedBy AUTHORITY: directly, for a security incident or an upheld complaint) is lifted only by the "
            + "主管部门; the provider's operators get 403. The provider lifts its own suspensions.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "resume", value = "{\"version\": 2, \"reason\": \"核查完毕，使用部门已整改\"}")))
    public GrantView resume(@PathParam("id") long id, GrantReason body) {
        return view(grants.resume(caller.get(), id, body == null ? null : body.reasoned()));
    }

    @POST
    @Path("/grants/{id}/terminate")
    @RolesAllowed({ "operator", "reviewer" })
    @Operation(summary = "Stop a grant (R15): recorded reason and notice to the consumer.", description = "The "
            + "consumer's disposal is then due exchange.disposal.working-days working days on (disposalDue, R14). The "
            + "provider may state or change its disposalRequirement here (the 主管部门 giving one 403; a bad method "
            + "400 naming disposalRequirement.method).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = { @ExampleObject(name = "terminate", value = "{\"version\": 1, \"reason\": \"业务职能调整，共享用途已不存在\"}"),
                    @ExampleObject(name = "terminate, data to be returned", value = "{\"version\": 1, "
                            + "\"reason\": \"业务职能调整，共享用途已不存在\", \"disposalRequirement\": {\"method\": "
                            + "\"RETURN\", \"instructions\": \"交回全部导出文件介质，不得留存副本\"}}") }))
    public GrantView terminate(@PathParam("id") long id, Termination body) {
        return view(grants.terminate(caller.get(), id, body));
    }

    @POST
    @Path("/grants/{id}/relinquish")
    @RolesAllowed({ "operator", "head" })
    @Operation(summary = "放弃授权: the consumer department gives up its grant once the purpose is achieved or the data "
            + "is no longer needed (条例第二十七条第一款, R14).", description = "The consumer department's operators and "
            + "heads, with a reason; the grant is TERMINATED (history RELINQUISH), the provider is told "
            + "(GRANT_RELINQUISHED) and the disposal is then due as after any end, confirmed by POST /disposal. The "
            + "provider's staff 403, anyone who cannot see the grant 404, a grant already ended 409.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "relinquish",
                    value = "{\"version\": 1, \"reason\": \"使用目的已实现，不再需要该数据\"}")))
    public GrantView relinquish(@PathParam("id") long id, GrantReason body) {
        return view(grants.relinquish(caller.get(), id, body == null ? null : body.reasoned()));
    }

    @POST
    @Path("/grants/{id}/change")
    @RolesAllowed({ "operator", "reviewer" })
    @Operation(summary = "Change a grant (fewer items, a shorter period, another quota): recorded reason and "
            + "notice (R15). A validTo past the current one is 400: a change only narrows.")
    public GrantView change(@PathParam("id") long id, ChangeGrant body) {
        return view(grants.change(caller.get(), id, body));
    }

    @POST
    @Path("/grants/{id}/disposal")
    @RolesAllowed("operator")
    @Operation(summary = "The consumer confirms disposal of the data after the purpose ended (R14).", description = "As "
            + "the grant's disposalRequirement says, by its disposalDue; a later confirmation is still accepted (the "
            + "history's CONFIRM_DISPOSAL row says late).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "disposal",
                    value = "{\"version\": 3, \"reason\": \"已删除本部门系统中的全部共享数据并留存销毁记录\"}")))
    public GrantView disposal(@PathParam("id") long id, GrantReason body) {
        return view(grants.confirmDisposal(caller.get(), id, body == null ? null : body.reasoned()));
    }

    @GET
    @Path("/catalog-entries/{resourceCode: .+}/active-grants")
    @RolesAllowed({ "system", "reviewer" })
    @Operation(summary = "How many grants are in force on an entry (catalogue contract §2; the path segment is "
            + "URL-encoded). An old code of a reclassified entry counts the grants on its current code, which the "
            + "answer and its X-Resource-Code header name.")
    @APIResponse(responseCode = "200", description = "grants in force (ACTIVE or SUSPENDED, not past their end)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    examples = @ExampleObject(name = "two grants",
                            value = "{\"resourceCode\": \"101001/000001\", \"activeGrants\": 2}")))
    public Response activeGrants(@PathParam("resourceCode") String resourceCode) {
        String current = CatalogEntry.currentCode(resourceCode);
        return Response.ok(Map.of("resourceCode", current, "activeGrants", grants.activeGrants(current)))
                .header(DataResource.RESOURCE_CODE_HEADER, current).build();
    }
}
