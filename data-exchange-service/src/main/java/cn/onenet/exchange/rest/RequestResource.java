package cn.onenet.exchange.rest;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.rest.Views.RequestView;
import cn.onenet.exchange.service.Commands.Approve;
import cn.onenet.exchange.service.Commands.Extension;
import cn.onenet.exchange.service.Commands.FileRequest;
import cn.onenet.exchange.service.Commands.Reasoned;
import cn.onenet.exchange.service.Commands.Resubmit;
import cn.onenet.exchange.service.RequestService;

/** 共享申请: filing, the provider's answer, extensions and the 主管部门's oversight. */
@Path("/api/exchange/v1/requests")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "requests", description = "共享申请 (share requests)")
public class RequestResource {

    private final RequestService requests;
    private final CurrentCaller caller;
    private final ExchangeConfig config;

    public RequestResource(RequestService requests, CurrentCaller caller, ExchangeConfig config) {
        this.requests = requests;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @RolesAllowed("operator")
    @Operation(summary = "File a request (operator of the consumer department, approved by its sharing-office "
            + "head). 无条件共享 is granted at once; 不予共享 is refused with the catalogue's legal basis.")
    @APIResponse(responseCode = "201",
            description = "the request (granted, refused at filing, or waiting); Location names it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RequestView.class)))
    public Response file(@HeaderParam("Idempotency-Key") String idempotencyKey, FileRequest body) {
        RequestView v = RequestView.of(requests.file(caller.get(), body, idempotencyKey));
        return Response.created(URI.create("/api/exchange/v1/requests/" + v.id())).entity(v).build();
    }

    @GET
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "Requests of the caller's department (side=provider|consumer); the 主管部门 sees all.")
    public List<RequestView> list(@QueryParam("side") String side, @QueryParam("status") String status,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        return requests.list(caller.get(), side, status, Math.max(0, page),
                Math.max(1, Math.min(size, config.maxPageSize()))).stream().map(RequestView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ "operator", "reviewer", "admin", "auditor" })
    @Operation(summary = "One request (either party or the 主管部门).")
    public RequestView get(@PathParam("id") long id) {
        return RequestView.of(requests.view(caller.get(), id));
    }

    @POST
    @Path("/{id}/approve")
    @RolesAllowed("operator")
    @Operation(summary = "Provider approves, possibly with fewer items or a shorter period; creates the grant.")
    public RequestView approve(@PathParam("id") long id, Approve body) {
        return RequestView.of(requests.approve(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/refuse")
    @RolesAllowed("operator")
    @Operation(summary = "Provider refuses, with reasons (never a bare rejection, R9).")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "refuse", value = "{\"version\": 0, \"reason\": \"申请用途与目录所列共享条件不符\"}")))
    public RequestView refuse(@PathParam("id") long id, Reasoned body) {
        return RequestView.of(requests.refuse(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/supplement")
    @RolesAllowed("operator")
    @Operation(summary = "Provider asks, once, for everything missing.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "supplement",
                    value = "{\"version\": 0, \"reason\": \"请一次性补充：养老保险待遇领取人员范围说明、数据安全保护措施\"}")))
    public RequestView supplement(@PathParam("id") long id, Reasoned body) {
        return RequestView.of(requests.askSupplement(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/resubmit")
    @RolesAllowed("operator")
    @Operation(summary = "Consumer resubmits with the missing material; the 10-working-day clock restarts.")
    public RequestView resubmit(@PathParam("id") long id, Resubmit body) {
        return RequestView.of(requests.resubmit(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/extension")
    @RolesAllowed("operator")
    @Operation(summary = "Provider asks for the one extension of up to 10 working days (R8).")
    public RequestView extension(@PathParam("id") long id, Extension body) {
        return RequestView.of(requests.requestExtension(caller.get(), id, body));
    }

    @POST
    @Path("/{id}/extension/approve")
    @RolesAllowed({ "reviewer", "admin" })
    @Operation(summary = "The 主管部门 approves the extension; the requester is notified.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "approve-extension", value = "{\"version\": 1}")))
    public RequestView approveExtension(@PathParam("id") long id, Reasoned body) {
        return RequestView.of(requests.approveExtension(caller.get(), id, body == null ? null : body.version()));
    }
}
