package cn.onenet.identity.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.rest.AdminViews.AuditView;
import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.AuditWords;
import cn.onenet.identity.service.ListPage;

/** The audit trail, for auditors: logins, tokens, consents, delegations, admin actions. */
@Path("/api/identity/v1/audit")
@Tag(name = "Audit")
@RolesAllowed("auditor")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditService audit;
    private final AuditWords words;

    public AuditResource(AuditService audit, AuditWords words) {
        this.audit = audit;
        this.words = words;
    }

    /** A deactivation as the audit log shows it: recorded, in words and as fields, with the names. */
    private static final String DEACTIVATED = """
            [{"id": 18342, "at": "2026-12-07T10:15:02.417+08:00", "type": "DEPARTMENT_DEACTIVATED",
              "outcome": "SUCCESS", "actor": "5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13", "actorName": "李明（大数据局管理员）",
              "subject": "113301000024910207", "subjectName": "杭州市公安局", "clientId": null, "ip": null,
              "detail": "name=杭州市公安局 grants revoked=3 accounts=2 client grants revoked=1; reason: 机构改革，职责划转",
              "summary": "名称：杭州市公安局；撤销令牌授权 3个；涉及账户 2个；撤销系统应用令牌授权 1个；理由：机构改革，职责划转",
              "fields": {"name": "杭州市公安局", "grantsRevoked": 3, "accounts": 2, "clientGrantsRevoked": 1,
                         "reason": "机构改革，职责划转"},
              "requestId": "c0a8012e-6f3d-4b7a-9e25-1d4f8b6a3c70"}]""";

    @GET
    @Operation(summary = "Query audit events, newest first, one page at a time; the X-Total-Count header counts every "
            + "match. Each event as recorded (detail), in words (summary, zh-CN) and as fields, with the names of its "
            + "actor and subject (a natural person's masked). Role auditor.")
    @APIResponse(responseCode = "200", description = "one page of events, newest first",
            headers = @Header(name = "X-Total-Count", description = "how many events match the filters, on all pages",
                    schema = @Schema(type = SchemaType.INTEGER, example = "5312")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AuditView.class),
                    examples = @ExampleObject(name = "a department deactivated", value = DEACTIVATED)))
    @APIResponse(responseCode = "400", description = "a bad from or to, a negative page, a size outside 1..500 or a "
            + "page whose first row is past 2147483647; the problem names the field",
            content = @Content(mediaType = "application/problem+json"))
    public Response query(@QueryParam("type") String type, @QueryParam("outcome") String outcome,
            @QueryParam("actor") String actor, @QueryParam("subject") String subject,
            @QueryParam("clientId") String clientId,
            @Parameter(description = "ISO-8601 time, inclusive", example = "2026-11-21T08:00:00Z")
            @QueryParam("from") String from,
            @Parameter(description = "ISO-8601 time, exclusive", example = "2026-11-22T08:00:00Z")
            @QueryParam("to") String to,
            @Parameter(description = "page number from 0", example = "0") @QueryParam("page") Integer page,
            @Parameter(description = "page size, 1..500 (default 100)", example = "100")
            @QueryParam("size") Integer size) {
        ListPage<AuditEvent> found = audit.search(new AuditService.AuditQuery(type, outcome, actor, subject,
                clientId, from, to, page, size));
        return Response.ok(words.describe(found.items()).stream().map(AuditView::of).toList())
                .header("X-Total-Count", found.total()).build();
    }
}
