package cn.onenet.identity.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.rest.AdminViews.AuditView;
import cn.onenet.identity.service.AuditService;

/** The audit trail, for auditors: logins, tokens, consents, delegations, admin actions. */
@Path("/api/identity/v1/audit")
@Tag(name = "Audit")
@RolesAllowed("auditor")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditService audit;

    public AuditResource(AuditService audit) {
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Query audit events, newest first. Role auditor.")
    public List<AuditView> query(@QueryParam("type") String type, @QueryParam("outcome") String outcome,
            @QueryParam("actor") String actor, @QueryParam("subject") String subject,
            @QueryParam("clientId") String clientId, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        return audit.search(new AuditService.AuditQuery(type, outcome, actor, subject, clientId, from, to, page,
                size)).stream().map(AuditView::of).toList();
    }
}
