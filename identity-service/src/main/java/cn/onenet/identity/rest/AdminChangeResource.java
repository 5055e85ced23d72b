package cn.onenet.identity.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.rest.AdminViews.AdminChangeView;
import cn.onenet.identity.service.AdminChanges;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * 双人复核: the changes of administrators' accounts (roles, real-name level, counter verification) that one
 * administrator asked for and a second one confirms or rejects. The requests themselves are made at the accounts'
 * own endpoints, which answer {@code 202} with the change when the account holds the role admin.
 */
@Path("/api/identity/v1/admin-changes")
@Tag(name = "Accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AdminChangeResource {

    private final AdminChanges changes;
    private final SecurityIdentity caller;

    public AdminChangeResource(AdminChanges changes, SecurityIdentity caller) {
        this.changes = changes;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({"admin", "auditor"})
    @Operation(summary = "Changes of administrators' accounts asked for, newest first (at most 200): waiting for a "
            + "second administrator or decided. Roles admin, auditor.")
    @APIResponse(responseCode = "200", description = "the changes, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AdminChangeView.class)))
    @APIResponse(responseCode = "400", description = "a bad status or account (the field named)",
            content = @Content(mediaType = "application/problem+json"))
    public List<AdminChangeView> list(
            @Parameter(description = "as it stands now: PENDING, APPLIED, REJECTED or EXPIRED", example = "PENDING")
            @QueryParam("status") String status,
            @Parameter(description = "the account changed") @QueryParam("account") String account) {
        return changes.list(status, account).stream().map(AdminChangeView::of).toList();
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
            + "(the checks of the single-step change are made again). Role admin; not the requester nor the account's "
            + "holder (403, audited as a failure).")
    @APIResponse(responseCode = "200", description = "the change, APPLIED")
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
