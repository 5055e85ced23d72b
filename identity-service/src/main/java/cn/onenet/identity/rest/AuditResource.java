package cn.onenet.identity.rest;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.rest.AdminViews.AuditView;
import cn.onenet.identity.service.AuditService;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

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
        audit.flush();
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        add(q, params, "eventType", type);
        add(q, params, "outcome", outcome);
        add(q, params, "actor", actor);
        add(q, params, "subject", subject);
        add(q, params, "clientId", clientId);
        if (from != null) {
            q.append(" and at >= :from");
            params.put("from", time("from", from));
        }
        if (to != null) {
            q.append(" and at < :to");
            params.put("to", time("to", to));
        }
        int p = page == null || page < 0 ? 0 : page;
        int s = size == null || size < 1 ? 100 : Math.min(size, 500);
        return AuditEvent.<AuditEvent>find(q.toString(), Sort.descending("id"), params).page(Page.of(p, s)).list()
                .stream().map(AuditView::of).toList();
    }

    private static void add(StringBuilder q, Map<String, Object> params, String field, String value) {
        if (value != null && !value.isBlank()) {
            q.append(" and ").append(field).append(" = :").append(field);
            params.put(field, value);
        }
    }

    private static OffsetDateTime time(String field, String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.field(field, "须为 ISO-8601 时间，如 2026-11-21T08:00:00Z / must be an ISO-8601 timestamp");
        }
    }
}
