package cn.onenet.exchange.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.UsageLogService;
import cn.onenet.exchange.service.UsageLogService.Verification;

/** The usage log: inspection (providers, 主管部门), chain verification, checkpoints, evidence bundles. No delete. */
@Path("/api/exchange/v1/usage-log")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "usage-log", description = "使用记录 (usage log)")
public class UsageLogResource {

    private final UsageLogService log;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public UsageLogResource(UsageLogService log, CurrentCaller caller, ExchangeConfig config) {
        this.log = log;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Entries after a sequence number: a provider's operator sees its own resources, the 主管部门 all.")
    public List<Map<String, Object>> list(@QueryParam("after") @DefaultValue("0") long after,
            @QueryParam("limit") @DefaultValue("100") int limit, @QueryParam("resourceCode") String resourceCode) {
        Caller c = caller.get();
        String provider = c.isAuthority() ? null : c.departmentOrFail();
        return log.list(provider, resourceCode, after, Math.max(1, Math.min(limit, config.maxPageSize())));
    }

    @GET
    @Path("/verify")
    @RolesAllowed({ "reviewer", "admin", "auditor" })
    @Operation(summary = "Checks the whole hash chain: any edited, deleted or reordered row is reported.")
    @APIResponse(responseCode = "200", description = "the result; when not valid, the first entry that does not fit",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Verification.class),
                    examples = {
                            @ExampleObject(name = "intact", value = "{\"valid\": true, \"checked\": 1043, "
                                    + "\"lastSeq\": 1043, \"firstBadSeq\": null, \"problem\": null, "
                                    + "\"checkpointsChecked\": 6}"),
                            @ExampleObject(name = "edited", value = "{\"valid\": false, \"checked\": 517, "
                                    + "\"lastSeq\": 517, \"firstBadSeq\": 517, "
                                    + "\"problem\": \"记录内容被修改 / entry content was changed\", "
                                    + "\"checkpointsChecked\": 0}") }))
    public Verification verify() {
        return log.verify();
    }

    @POST
    @Path("/checkpoints")
    @RolesAllowed({ "reviewer", "admin", "auditor" })
    @Operation(summary = "Signs the current chain head (also done on a schedule).")
    public Map<String, Object> checkpoint() {
        return log.checkpoint();
    }

    @GET
    @Path("/{seq}/evidence")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Evidence bundle for one entry, verifiable offline (entry, chain to a signed checkpoint, JWKS).")
    public Map<String, Object> evidence(@PathParam("seq") long seq) {
        Map<String, Object> bundle = log.evidence(seq);
        Caller c = caller.get();
        @SuppressWarnings("unchecked")
        Map<String, Object> entry = (Map<String, Object>) bundle.get("entry");
        if (!c.isAuthority() && entry != null && !c.departmentOrFail().equals(entry.get("providerDepartmentCode"))
                && !c.departmentOrFail().equals(entry.get("consumerDepartmentCode"))) {
            throw cn.onenet.common.problem.ApiException.notFound("没有该使用记录 / no usage-log entry " + seq);
        }
        return bundle;
    }
}
