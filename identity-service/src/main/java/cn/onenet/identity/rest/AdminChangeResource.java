package cn.onenet.identity.rest;

import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.model.AdminChange;
import cn.onenet.identity.rest.AdminViews.AdminChangeView;
import cn.onenet.identity.service.AdminChanges;
import cn.onenet.identity.service.ListPage;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * 双人复核: the changes of administrators' accounts (roles, real-name level, counter verification, disabling, second
 * factor reset), the creations of administrators (or grants of the role admin) and the deactivations and reactivations
 * of departments other administrators work in that one administrator asked for and a second one confirms or rejects.
 * The requests themselves are made at the accounts' and departments' own endpoints, which answer {@code 202} with the
 * change when it concerns another administrator.
 */
@Path("/api/identity/v1/admin-changes")
@Tag(name = "Accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AdminChangeResource {

    private static final String CREATED = """
            {"id": "7c2e4b90-1d3f-4a6e-9b58-2f0a6c8d1e34", "accountId": "4f8a2c6e-0b1d-4e3f-9a57-c2d4e6f8a0b1",
             "accountName": "孙丽（人社厅管理员）", "kind": "CREATE", "roles": ["admin"], "level": null,
             "levelMethod": null, "phoneMasked": null, "emailMasked": null, "reason": null, "username": "rst.admin",
             "departmentCode": "11330000002481060E", "requestedBy": "5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13",
             "requestedByName": "陈明（大数据局管理员）", "requestedAt": "2026-03-02T09:15:00+08:00",
             "expiresAt": "2026-03-03T09:15:00+08:00", "status": "APPLIED",
             "decidedBy": "8d3e1f5a-7c2b-4a9e-b6d0-3f1e5a7c9b24", "decidedByName": "周强（大数据局管理员）",
             "decidedAt": "2026-03-02T10:02:00+08:00", "version": 1}""";

    private final AdminChanges changes;
    private final SecurityIdentity caller;

    public AdminChangeResource(AdminChanges changes, SecurityIdentity caller) {
        this.changes = changes;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({"admin", "auditor"})
    @Operation(summary = "Changes of administrators' accounts asked for, newest first, one page at a time: waiting for "
            + "a second administrator or decided; the X-Total-Count header counts every match. Roles admin, auditor.")
    @APIResponse(responseCode = "200", description = "one page of changes, newest first",
            headers = @Header(name = "X-Total-Count", description = "how many changes match the filters, on all pages",
                    schema = @Schema(type = SchemaType.INTEGER, example = "12")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AdminChangeView.class)))
    @APIResponse(responseCode = "400", description = "a bad status, account or department, a negative page, a size "
            + "outside 1..200 or a page whose first row is past 2147483647 (the field named)",
            content = @Content(mediaType = "application/problem+json"))
    public Response list(
            @Parameter(description = "as it stands now: PENDING, APPLIED, REJECTED or EXPIRED (any letter case)",
                    example = "PENDING")
            @QueryParam("status") String status,
            @Parameter(description = "the account changed") @QueryParam("account") String account,
            @Parameter(description = "the department (统一社会信用代码) deactivated or reactivated, or an administrator "
                    + "is created in", example = "113301000024910207") @QueryParam("department") String department,
            @Parameter(description = "page number from 0", example = "0") @QueryParam("page") Integer page,
            @Parameter(description = "page size, 1..200 (default 50)", example = "50")
            @QueryParam("size") Integer size) {
        ListPage<AdminChange> found = changes.list(status, account, department, page, size);
        return Response.ok(found.items().stream().map(AdminChangeView::of).toList())
                .header("X-Total-Count", found.total()).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"admin", "auditor"})
    @Operation(summary = "One change. Roles admin, auditor.")
    public AdminChangeView get(@PathParam("id") String id) {
        return AdminChangeView.of(changes.get(AccountResource.uuid(id)));
    }

    @POST
    @Path("{id}/confirm")
    @RolesAllowed("admin")
    @Operation(summary = "A second administrator confirms the change, which is applied as the requester asked for it "
            + "(the checks of the single-step change are made again; a CREATE creates the account then). Role admin; "
            + "not the requester nor the account's holder, nor for a department's change an administrator of that "
            + "department (403, audited as a failure).")
    @APIResponse(responseCode = "200", description = "the change, APPLIED (a CREATE now names the account created)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AdminChangeView.class), examples = @ExampleObject(
                            name = "administrator created", value = CREATED)))
    @APIResponse(responseCode = "403", description = "not an administrator, the requester or the account's holder",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "already decided or expired",
            content = @Content(mediaType = "application/problem+json"))
    public AdminChangeView confirm(@PathParam("id") String id) {
        return AdminChangeView.of(changes.confirm(AccountResource.uuid(id), caller.getPrincipal().getName()));
    }

    @POST
    @Path("{id}/reject")
    @RolesAllowed("admin")
    @Operation(summary = "A second administrator rejects the change, or its requester withdraws it; nothing is "
            + "applied. Role admin; not the account's holder (403, audited as a failure).")
    @APIResponse(responseCode = "200", description = "the change, REJECTED")
    @APIResponse(responseCode = "403", description = "not an administrator, or the account's holder",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "409", description = "already decided or expired",
            content = @Content(mediaType = "application/problem+json"))
    public AdminChangeView reject(@PathParam("id") String id) {
        return AdminChangeView.of(changes.reject(AccountResource.uuid(id), caller.getPrincipal().getName()));
    }
}
