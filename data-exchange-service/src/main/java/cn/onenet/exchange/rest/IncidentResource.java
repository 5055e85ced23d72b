package cn.onenet.exchange.rest;

import java.util.List;
import java.util.Objects;

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
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.rest.Views.IncidentView;
import cn.onenet.exchange.rest.Views.StateChangeView;
import cn.onenet.exchange.service.Fields;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.Commands.CloseIncident;
import cn.onenet.exchange.service.Commands.IncidentSuspension;
import cn.onenet.exchange.service.Commands.RectificationReport;
import cn.onenet.exchange.service.Commands.ReportIncident;
import cn.onenet.exchange.service.Commands.RequireRectification;
import cn.onenet.exchange.service.IncidentService;
import cn.onenet.exchange.service.StateHistory;

/**
 * 数据安全事件 (R20, 条例第三十四条、第三十五条): the provider, a department using the data or the 主管部门 reports an
 * incident; the 主管部门 suspends the grants concerned, requires rectification within working days and closes it.
 */
@Path("/api/exchange/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "incidents", description = "数据安全事件 (security incidents concerning shared data)")
public class IncidentResource {

    static final String REPORT_EXAMPLE = "{\"type\": \"LEAK\", \"resourceCode\": \"101001/000001\", "
            + "\"grantIds\": [17], \"discoveredAt\": \"2026-12-04T08:30:00+08:00\", "
            + "\"description\": \"经办人员将含有居民身份证号的导出文件上传至互联网网盘，已被他人下载\", "
            + "\"measuresTaken\": \"已启动应急预案，删除网盘文件，停用该经办人员账号\"}";

    static final String INCIDENT_EXAMPLE = "{\"id\": 12, \"version\": 2, \"status\": \"RECTIFYING\", "
            + "\"type\": \"LEAK\", \"resourceCode\": \"101001/000001\", "
            + "\"currentResourceCode\": \"101001/000001\", \"resourceName\": \"居民户籍信息\", "
            + "\"providerDepartmentCode\": \"11330000002481020A\", \"dataGrade\": \"LEVEL_3\", \"severity\": \"MAJOR\", "
            + "\"grantIds\": [17], \"suspendedGrantIds\": [17], "
            + "\"partyDepartments\": [\"11330000002481020A\", \"11330000002481060E\"], "
            + "\"reporterDepartmentCode\": \"11330000002481060E\", \"reporterRole\": \"operator\", "
            + "\"reporter\": \"op-11330000002481060E\", \"discoveredAt\": \"2026-12-04T00:30:00Z\", "
            + "\"description\": \"经办人员将含有居民身份证号的导出文件上传至互联网网盘，已被他人下载\", "
            + "\"measuresTaken\": \"已启动应急预案，删除网盘文件，停用该经办人员账号\", "
            + "\"responsibleDepartmentCode\": \"11330000002481060E\", "
            + "\"rectificationRequirement\": \"查明泄露范围，追究责任人，完善导出文件管理制度并报送整改报告\", "
            + "\"rectificationDueOn\": \"2026-12-18\", \"overdue\": false, \"rectificationReport\": null, "
            + "\"rectifiedAt\": null, \"conclusion\": null, \"closedAt\": null, "
            + "\"reportedAt\": \"2026-12-04T01:05:00Z\"}";

    static final String HISTORY_EXAMPLE = "[{\"id\": 1201, \"objectType\": \"INCIDENT\", \"objectId\": 12, "
            + "\"shareRequestId\": null, \"action\": \"REPORT\", \"fromStatus\": null, \"toStatus\": \"REPORTED\", "
            + "\"actor\": {\"subject\": \"op-11330000002481060E\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"11330000002481060E\", \"role\": \"operator\"}, \"actorName\": \"王芳\", "
            + "\"automatic\": false, \"decision\": false, "
            + "\"reason\": \"经办人员将含有居民身份证号的导出文件上传至互联网网盘，已被他人下载\", \"legalBasis\": null, "
            + "\"details\": {\"type\": \"LEAK\", \"resourceCode\": \"101001/000001\", \"severity\": \"MAJOR\", "
            + "\"dataGrade\": \"LEVEL_3\", \"grantIds\": [17], \"discoveredAt\": \"2026-12-04T00:30:00Z\", "
            + "\"measuresTaken\": \"已启动应急预案，删除网盘文件，停用该经办人员账号\"}, "
            + "\"requestId\": \"3f6c1d2e-8a94-4b57-a0e3-5c7d9b1f2a64\", \"at\": \"2026-12-04T01:05:00Z\"}, "
            + "{\"id\": 1207, \"objectType\": \"INCIDENT\", \"objectId\": 12, \"shareRequestId\": null, "
            + "\"action\": \"SUSPEND_GRANTS\", \"fromStatus\": \"REPORTED\", \"toStatus\": \"REPORTED\", "
            + "\"actor\": {\"subject\": \"c2b7e9d4-5f18-4a3c-9e60-7d1a4b8f2c53\", \"clientId\": \"onenet-portal\", "
            + "\"departmentCode\": \"113300000024810109\", \"role\": \"reviewer\"}, \"actorName\": \"李明\", "
            + "\"automatic\": false, \"decision\": true, \"reason\": \"疑似数据泄露，暂停使用待查\", \"legalBasis\": null, "
            + "\"details\": {\"grantIds\": [17]}, \"requestId\": \"7b2e4c6a-1d3f-4e58-9a0b-c2d4e6f8a1b3\", "
            + "\"at\": \"2026-12-04T02:00:00Z\"}]";

    private final IncidentService incidents;
    private final StateHistory history;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public IncidentResource(IncidentService incidents, StateHistory history, CurrentCaller caller,
            ExchangeConfig config) {
        this.incidents = incidents;
        this.history = history;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @RolesAllowed({ "operator", "reviewer", "admin" })
    @Operation(summary = "Report a security incident concerning shared data (条例第三十五条): the provider of the data, "
            + "a department holding a grant on it (naming only its own grants), the 主管部门 (its reviewers, token "
            + "claim competent_authority) or the platform's admin. Severity follows the "
            + "data's grade. The 主管部门 and the other parties are notified.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ReportIncident.class),
            examples = @ExampleObject(name = "leak", value = REPORT_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "the incident, REPORTED; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IncidentView.class),
                    examples = @ExampleObject(name = "incident", value = INCIDENT_EXAMPLE)))
    public Response report(@HeaderParam("Idempotency-Key") String key, ReportIncident body) {
        Caller c = caller.get();
        IncidentView v = view(incidents.report(c, body, key), c);
        return Created.at("incidents", v.id(), v).build();
    }

    @GET
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Incidents, newest first, one page at a time: admins and auditors see all, reviewers those of "
            + "their region (regionCode: the lowest region containing the parties when reported, R17) and those their "
            + "department reported or is a party to, a department's operators those it is a party to. overdue=true keeps those whose rectification "
            + "report is past due. The X-Total-Count header counts every match on all pages.")
    @APIResponse(responseCode = "200", description = "one page of incidents, newest first",
            headers = @Header(name = GrantResource.TOTAL_COUNT, description = ListPaging.TOTAL_DOC,
                    schema = @Schema(type = SchemaType.INTEGER, example = "1")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = IncidentView.class),
                    examples = @ExampleObject(name = "one incident", value = "[" + INCIDENT_EXAMPLE + "]")))
    @SharedAnswers.BadPage
    public Response list(
            @Parameter(description = "REPORTED, RECTIFYING, RECTIFIED or CLOSED") @QueryParam("status") String status,
            @Parameter(description = "only incidents whose rectification report is overdue") @QueryParam("overdue")
            Boolean overdue, @BeanParam PageQuery pages) {
        ListPaging.requireKnownStatus(status, Fields.INCIDENT_STATUSES);
        ListPaging paging = pages.paging(config.maxPageSize());
        Caller c = caller.get();
        return ListPaging.answer(incidents.list(c, status, Boolean.TRUE.equals(overdue), paging.page(), paging.size()).stream()
                .map(x -> view(x, c)).toList(), incidents.count(c, status, Boolean.TRUE.equals(overdue)));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "One incident: for the parties' operators (provider, reporter, the consumers of the grants "
            + "concerned, the responsible department), the reviewers of its region, admins and auditors; others "
            + "(reviewers of another region included) get 404.")
    @APIResponse(responseCode = "200", description = "the incident",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IncidentView.class),
                    examples = @ExampleObject(name = "incident", value = INCIDENT_EXAMPLE)))
    public IncidentView incident(@PathParam("id") long id) {
        Caller c = caller.get();
        return view(incidents.view(c, id), c);
    }

    @GET
    @Path("/{id}/history")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Every state change of one incident, oldest first (for the same callers as the incident). "
            + "Parties other than the reporting department see the steps of other departments and of the 主管部门 "
            + "without account ids and names, so not who reported.")
    @APIResponse(responseCode = "200", description = "the incident's history (append-only)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = StateChangeView.class),
                    examples = @ExampleObject(name = "reported and grants suspended", value = HISTORY_EXAMPLE)))
    public List<StateChangeView> history(@PathParam("id") long id) {
        Caller c = caller.get();
        SecurityIncident incident = incidents.view(c, id);
        boolean full = showsReporter(incident, c);
        // the other parties do not learn who reported (as in the incident's view), nor other departments' staff
        return StateChangeView.of(history.of(StateHistory.INCIDENT, id),
                row -> full || Objects.equals(row.actorDepartment, c.department())
                        // the history keeps the code as recorded (append-only), perhaps in lower case
                        || row.actorDepartment != null && row.actorDepartment.equalsIgnoreCase(c.department()));
    }

    @POST
    @Path("/{id}/suspend-grants")
    @RolesAllowed("reviewer")
    @Operation(summary = "The 主管部门 (reviewers of the 主管部门 of the incident's region, token claim "
            + "competent_authority; admins and reviewers of other departments 403) suspends the grants concerned (or those named, on the incident's resource) "
            + "through the grant workflow; each grant's reason names the incident. A grant that cannot be suspended "
            + "answers 409 and nothing changes.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = IncidentSuspension.class),
            examples = @ExampleObject(name = "suspend",
                    value = "{\"version\": 0, \"grantIds\": [17], \"reason\": \"疑似数据泄露，暂停使用待查\"}")))
    @APIResponse(responseCode = "200", description = "the incident with the suspended grants",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IncidentView.class),
                    examples = @ExampleObject(name = "incident", value = INCIDENT_EXAMPLE)))
    public IncidentView suspendGrants(@PathParam("id") long id, IncidentSuspension body) {
        Caller c = caller.get();
        return view(incidents.suspendGrants(c, id, body), c);
    }

    @POST
    @Path("/{id}/require-rectification")
    @RolesAllowed("reviewer")
    @Operation(summary = "The 主管部门 of the incident's region (its reviewers, token claim competent_authority; a "
            + "reviewer of another region gets 404, admins and reviewers of other departments 403) requires a rectification report from a party (default: the reporting department) within "
            + "working days (default 10, at most 60); the department is notified.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RequireRectification.class),
            examples = @ExampleObject(name = "rectify", value = "{\"version\": 1, "
                    + "\"responsibleDepartmentCode\": \"11330000002481060E\", \"workingDays\": 10, "
                    + "\"requirement\": \"查明泄露范围，追究责任人，完善导出文件管理制度并报送整改报告\"}")))
    @APIResponse(responseCode = "200", description = "the incident, RECTIFYING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IncidentView.class),
                    examples = @ExampleObject(name = "incident", value = INCIDENT_EXAMPLE)))
    public IncidentView requireRectification(@PathParam("id") long id, RequireRectification body) {
        Caller c = caller.get();
        return view(incidents.requireRectification(c, id, body), c);
    }

    @POST
    @Path("/{id}/rectification-report")
    @RolesAllowed("operator")
    @Operation(summary = "The responsible department files its rectification report (late ones are accepted and "
            + "recorded as late).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = RectificationReport.class),
            examples = @ExampleObject(name = "report", value = "{\"version\": 2, "
                    + "\"report\": \"已查明涉及 312 条记录，责任人已停职，导出文件改为加密存储并按月审计\"}")))
    @APIResponse(responseCode = "200", description = "the incident, RECTIFIED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IncidentView.class),
                    examples = @ExampleObject(name = "incident", value = INCIDENT_EXAMPLE)))
    public IncidentView fileRectification(@PathParam("id") long id, RectificationReport body) {
        Caller c = caller.get();
        return view(incidents.fileRectification(c, id, body), c);
    }

    @POST
    @Path("/{id}/close")
    @RolesAllowed("reviewer")
    @Operation(summary = "The 主管部门 closes the incident with its conclusion; the parties are notified (who may: as "
            + "for require-rectification).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CloseIncident.class),
            examples = @ExampleObject(name = "close",
                    value = "{\"version\": 3, \"conclusion\": \"整改到位，恢复授权另行审批\"}")))
    @APIResponse(responseCode = "200", description = "the incident, CLOSED",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = IncidentView.class),
                    examples = @ExampleObject(name = "incident", value = INCIDENT_EXAMPLE)))
    public IncidentView close(@PathParam("id") long id, CloseIncident body) {
        Caller c = caller.get();
        return view(incidents.close(c, id, body), c);
    }

    private IncidentView view(SecurityIncident i, Caller c) {
        return IncidentView.of(i, showsReporter(i, c), incidents.overdue(i));
    }

    /** The reporter's identity is for the 主管部门 and the reporting department only. */
    private static boolean showsReporter(SecurityIncident i, Caller c) {
        return c.isAuthority() || i.reporterDepartmentCode.equals(c.department());
    }
}
