package cn.onenet.exchange.rest;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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

import cn.onenet.exchange.rest.Views.DisputeView;
import cn.onenet.exchange.rest.Views.ObjectionView;
import cn.onenet.exchange.service.Commands.FileObjection;
import cn.onenet.exchange.service.Commands.OpenDispute;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.DisputeService;
import cn.onenet.exchange.service.ObjectionService;

/** Disputes over refusals (R17) and data-quality objections (校核, R13). */
@Path("/api/exchange/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "disputes-objections", description = "争议协调与数据校核")
public class DisputeObjectionResource {

    public record Resolve(@Schema(example = "0") Integer version,
            @Schema(description = "SHARE or UPHOLD", example = "SHARE") String outcome,
            @Schema(example = "提供部门应于 10 个工作日内重新答复") String resolution) {
    }

    private final DisputeService disputes;
    private final ObjectionService objections;
    private final CurrentCaller caller;

    public DisputeObjectionResource(DisputeService disputes, ObjectionService objections, CurrentCaller caller) {
        this.disputes = disputes;
        this.objections = objections;
        this.caller = caller;
    }

    @POST
    @Path("/disputes")
    @RolesAllowed("operator")
    @Operation(summary = "The requester disputes a refusal; it goes to the 主管部门 first.")
    @APIResponse(responseCode = "201", description = "the dispute; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DisputeView.class)))
    public Response open(@HeaderParam("Idempotency-Key") String key, OpenDispute body) {
        DisputeView v = DisputeView.of(disputes.open(caller.get(), body, key));
        return Response.created(URI.create("/api/exchange/v1/disputes/" + v.id())).entity(v).build();
    }

    @GET
    @Path("/disputes/{id}")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "One dispute (either party or the 主管部门).")
    public DisputeView dispute(@PathParam("id") long id) {
        return DisputeView.of(disputes.view(caller.get(), id));
    }

    @POST
    @Path("/disputes/{id}/escalate")
    @RolesAllowed({ "reviewer", "admin" })
    @Operation(summary = "The 主管部门 refers the dispute to the people's government at the same level.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "escalate",
                    value = "{\"version\": 0, \"reason\": \"经主管部门协调未能达成一致，提请本级人民政府协调\"}")))
    public DisputeView escalate(@PathParam("id") long id, Reasoned body) {
        return DisputeView.of(disputes.escalate(caller.get(), id, body == null ? null : body.version(),
                body == null ? null : body.reason()));
    }

    @POST
    @Path("/disputes/{id}/resolve")
    @RolesAllowed({ "reviewer", "admin" })
    @Operation(summary = "Decide: SHARE (the provider answers again within 10 working days) or UPHOLD.")
    public DisputeView resolve(@PathParam("id") long id, Resolve body) {
        return DisputeView.of(disputes.resolve(caller.get(), id, body == null ? null : body.version(),
                body == null ? null : body.outcome(), body == null ? null : body.resolution()));
    }

    @POST
    @Path("/objections")
    @RolesAllowed("operator")
    @Operation(summary = "A consumer with a grant flags a record as wrong; the provider answers within 10 working days.")
    @APIResponse(responseCode = "201", description = "the objection; Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ObjectionView.class)))
    public Response object(@HeaderParam("Idempotency-Key") String key, FileObjection body) {
        ObjectionView v = ObjectionView.of(objections.file(caller.get(), body, key));
        return Response.created(URI.create("/api/exchange/v1/objections/" + v.id())).entity(v).build();
    }

    @GET
    @Path("/objections")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Objections the caller's department filed or must answer.")
    public List<ObjectionView> objections() {
        return objections.list(caller.get()).stream().map(ObjectionView::of).toList();
    }

    @GET
    @Path("/objections/{id}")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "One objection and its status.")
    public ObjectionView objection(@PathParam("id") long id) {
        return ObjectionView.of(objections.view(caller.get(), id));
    }

    @POST
    @Path("/objections/{id}/answer")
    @RolesAllowed("operator")
    @Operation(summary = "The provider answers: what it verified and corrected.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "answer",
                    value = "{\"version\": 0, \"reason\": \"经核实，该居民已于 2026 年 9 月迁入，户籍地址已更正\"}")))
    public ObjectionView answer(@PathParam("id") long id, Reasoned body) {
        return ObjectionView.of(objections.answer(caller.get(), id, body == null ? null : body.version(),
                body == null ? null : body.reason()));
    }
}
