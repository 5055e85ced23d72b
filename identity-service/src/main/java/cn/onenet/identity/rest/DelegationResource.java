package cn.onenet.identity.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.rest.AdminViews.DelegationView;
import cn.onenet.identity.security.BearerTokenMechanism;
import cn.onenet.identity.service.DelegationService;
import cn.onenet.identity.service.OwnLogin;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * 经办人授权: enterprises authorise agents; agents accept or decline; either side revokes. Every operation needs the
 * party's own login: a token in which an agent acts for the enterprise ({@code act}) is refused with 403.
 */
@Path("/api/identity/v1/delegations")
@Tag(name = "Delegations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class DelegationResource {

    /** The demo enterprise's legal representative (张三) authorises 赵六 for the console, a year to the day. */
    private static final String BY_REPRESENTATIVE = """
            {"enterpriseUscc": "91330106MA2H00001E", "agentIdNumber": "330110200102150052", "agentName": "赵六",
             "clientIds": ["gateway"], "validFrom": "2027-01-01T00:00:00+08:00",
             "validTo": "2027-12-31T23:59:59+08:00"}""";
    /** The enterprise's own login: no enterpriseUscc; from now (no validFrom). */
    private static final String BY_ENTERPRISE = """
            {"agentIdNumber": "330110200102150052", "agentName": "赵六", "clientIds": [],
             "validTo": "2027-06-30T23:59:59+08:00"}""";
    /** The invitation as the representative sees it: only what was typed, the agent's account not shown yet. */
    private static final String INVITED = """
            {"id": "7c1e4b2a-9d3f-4e8a-b6c5-2f1a0d9e8b74", "enterpriseUscc": "91330106MA2H00001E",
             "enterpriseName": "杭州数智科技有限公司", "agentId": null, "agentName": "赵六",
             "agentIdNumberMasked": "330110********0052", "clientIds": ["gateway"],
             "validFrom": "2027-01-01T00:00:00+08:00", "validTo": "2027-12-31T23:59:59+08:00", "status": "PENDING",
             "acceptedAt": null, "revokedAt": null, "version": 0, "callerRole": "LEGAL_REPRESENTATIVE"}""";
    /** The agent's list: the accepted authorisation, with their own account id. */
    private static final String AGENTS_LIST = """
            [{"id": "3f8a2c6e-1b4d-4e9a-8c7f-5d2e0a9b6c13", "enterpriseUscc": "91330106MA2H00001E",
              "enterpriseName": "杭州数智科技有限公司", "agentId": "9a4d2e7b-6c1f-4b8e-a3d5-0f7c2b9e1a64",
              "agentName": "赵六", "agentIdNumberMasked": "330110********0052", "clientIds": [],
              "validFrom": "2026-12-06T09:12:44+08:00", "validTo": "2027-12-06T09:12:44+08:00", "status": "ACTIVE",
              "acceptedAt": "2026-12-06T09:12:44+08:00", "revokedAt": null, "version": 1, "callerRole": "AGENT"}]""";

    private final DelegationService delegations;
    private final SecurityIdentity caller;

    public DelegationResource(DelegationService delegations, SecurityIdentity caller) {
        this.delegations = delegations;
        this.caller = caller;
    }

    @Schema(name = "NewDelegation")
    public record NewDelegation(
            @Schema(description = "the enterprise, when the caller is its legal representative", example = "91330106MA2H00001E") String enterpriseUscc,
            @NotNull @Schema(description = "the agent's 公民身份号码", example = "330110200102150052")
            String agentIdNumber,
            @Schema(description = "the agent's name as on their ID card (required): with the ID number, it names the "
                    + "person invited", example = "赵六") String agentName,
            @Schema(description = "services the agent may use; empty = all", example = "[\"gateway\"]")
            List<String> clientIds,
            @Schema(example = "2026-03-01T00:00:00+08:00") OffsetDateTime validFrom,
            @NotNull @Schema(example = "2027-02-28T23:59:59+08:00") OffsetDateTime validTo) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorise an agent for a period. The enterprise's own login (not an agent's token) "
            + "or its legal representative, signed in at real-name level L3 or above (else 403 naming requiredAcr).",
            description = "The agent is named by ID number and name. The answer "
            + "is the same whether or not they match an account: a PENDING invitation showing only what was typed "
            + "(agentId null, the ID number masked). It is bound to the person with that ID number and name when "
            + "they accept or decline; if they have an account they are notified.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewDelegation.class), examples = {
                    @ExampleObject(name = "by the legal representative", value = BY_REPRESENTATIVE),
                    @ExampleObject(name = "by the enterprise's own login", value = BY_ENTERPRISE) }))
    @APIResponse(responseCode = "201", description = "the invitation, waiting for the agent",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DelegationView.class),
                    examples = @ExampleObject(name = "invited", value = INVITED)))
    public Response create(@NotNull NewDelegation r) {
        UUID caller = self();
        return Response.status(201).entity(view(delegations.create(caller, level(), r.enterpriseUscc(), r.agentIdNumber(),
                r.agentName(), r.clientIds(), r.validFrom(), r.validTo()), caller)).build();
    }

    @GET
    @Operation(summary = "Authorisations the caller gave, received or created, and those of the enterprises the "
            + "caller is the legal representative of (whoever created them: the representative may revoke them), "
            + "newest first; callerRole says which side the caller is on.")
    @APIResponse(responseCode = "200", description = "the caller's authorisations, newest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.ARRAY,
                            implementation = DelegationView.class),
                    examples = @ExampleObject(name = "the agent's", value = AGENTS_LIST)))
    public List<DelegationView> mine() {
        UUID caller = self();
        return delegations.mine(caller).stream().map(d -> view(d, caller)).toList();
    }

    @POST
    @Path("{id}/accept")
    @Operation(summary = "The agent accepts: needs a sign-in at real-name level L3 or above (else 403).")
    public DelegationView accept(@PathParam("id") String id) {
        UUID caller = self();
        return view(delegations.respond(caller, level(), AccountResource.uuid(id), true), caller);
    }

    @POST
    @Path("{id}/decline")
    @Operation(summary = "The agent declines.")
    public DelegationView decline(@PathParam("id") String id) {
        UUID caller = self();
        return view(delegations.respond(caller, level(), AccountResource.uuid(id), false), caller);
    }

    @POST
    @Path("{id}/revoke")
    @Operation(summary = "Either side revokes; the enterprise's side needs a sign-in at real-name level L3 or above "
            + "(else 403), the agent may always give it up.")
    public DelegationView revoke(@PathParam("id") String id) {
        UUID caller = self();
        return view(delegations.revoke(caller, level(), AccountResource.uuid(id)), caller);
    }

    /** The real-name level of the caller's sign-in, from its {@code acr} (0 when it has none). */
    private int level() {
        Object acr = BearerTokenMechanism.claims(caller).getClaim("acr");
        return acr instanceof String value ? cn.onenet.identity.service.Acr.level(value).orElse(0) : 0;
    }

    private DelegationView view(cn.onenet.identity.model.Delegation d, UUID caller) {
        return DelegationView.of(d, caller, delegations.isAgent(d, caller));
    }

    /** The caller's own login; an agent's token acting for an enterprise does not manage its delegations. */
    private UUID self() {
        return OwnLogin.managing(BearerTokenMechanism.claims(caller));
    }
}
