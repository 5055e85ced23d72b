package cn.onenet.exchange.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.rest.Views.GrantView;
import cn.onenet.exchange.service.Commands.ChangeGrant;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.GrantService;

/** 共享授权: the grants, their suspension, change, termination and the consumer's disposal confirmation. */
@Path("/api/exchange/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "grants", description = "共享授权 (grants)")
public class GrantResource {

    private final GrantService grants;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public GrantResource(GrantService grants, CurrentCaller caller, ExchangeConfig config) {
        this.grants = grants;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @Path("/grants")
    @RolesAllowed({ "operator", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "Grants where the caller's department provides or consumes; the 主管部门 sees all.")
    public List<GrantView> list(@QueryParam("resourceCode") String resourceCode, @QueryParam("status") String status,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return grants.list(caller.get(), resourceCode, status, Math.max(0, page),
                Math.max(1, Math.min(size, config.maxPageSize()))).stream().map(GrantView::of).toList();
    }

    @GET
    @Path("/grants/{id}")
    @RolesAllowed({ "operator", "system", "reviewer", "admin", "auditor" })
    @Operation(summary = "One grant.")
    public GrantView get(@PathParam("id") long id) {
        return GrantView.of(grants.view(caller.get(), id));
    }

    @POST
    @Path("/grants/{id}/suspend")
    @RolesAllowed({ "operator", "reviewer", "admin" })
    @Operation(summary = "Suspend for misuse (R14): provider or 主管部门, with a recorded reason; the consumer is notified.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "suspend", value = "{\"version\": 1, \"reason\": \"发现超出授权用途批量调用，暂停核查\"}")))
    public GrantView suspend(@PathParam("id") long id, Reasoned body) {
        return GrantView.of(grants.suspend(caller.get(), id, body));
    }

    @POST
    @Path("/grants/{id}/resume")
    @RolesAllowed({ "operator", "reviewer", "admin" })
    @Operation(summary = "Lift a suspension, with a recorded reason.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "resume", value = "{\"version\": 2, \"reason\": \"核查完毕，使用部门已整改\"}")))
    public GrantView resume(@PathParam("id") long id, Reasoned body) {
        return GrantView.of(grants.resume(caller.get(), id, body));
    }

    @POST
    @Path("/grants/{id}/terminate")
    @RolesAllowed({ "operator", "reviewer", "admin" })
    @Operation(summary = "Stop a grant (R15): recorded reason and notice to the consumer.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "terminate", value = "{\"version\": 1, \"reason\": \"业务职能调整，共享用途已不存在\"}")))
    public GrantView terminate(@PathParam("id") long id, Reasoned body) {
        return GrantView.of(grants.terminate(caller.get(), id, body));
    }

    @POST
    @Path("/grants/{id}/change")
    @RolesAllowed({ "operator", "reviewer", "admin" })
    @Operation(summary = "Change a grant (fewer items, other period or quota): recorded reason and notice (R15).")
    public GrantView change(@PathParam("id") long id, ChangeGrant body) {
        return GrantView.of(grants.change(caller.get(), id, body));
    }

    @POST
    @Path("/grants/{id}/disposal")
    @RolesAllowed("operator")
    @Operation(summary = "The consumer confirms disposal of the data after the purpose ended (R14).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "disposal",
                    value = "{\"version\": 3, \"reason\": \"已删除本部门系统中的全部共享数据并留存销毁记录\"}")))
    public GrantView disposal(@PathParam("id") long id, Reasoned body) {
        return GrantView.of(grants.confirmDisposal(caller.get(), id, body));
    }

    @GET
    @Path("/catalog-entries/{resourceCode: .+}/active-grants")
    @RolesAllowed({ "system", "reviewer" })
    @Operation(summary = "How many grants are in force on an entry (catalogue contract §2; the path segment is "
            + "URL-encoded).")
    public Map<String, Object> activeGrants(@PathParam("resourceCode") String resourceCode) {
        return Map.of("resourceCode", resourceCode, "activeGrants", grants.activeGrants(resourceCode));
    }
}
