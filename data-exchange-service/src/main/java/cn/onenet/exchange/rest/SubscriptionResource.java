package cn.onenet.exchange.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.exchange.service.Commands.RegisterWebhook;
import cn.onenet.exchange.service.WebhookService;
import cn.onenet.exchange.service.WebhookService.Subscription;

/**
 * Signed webhooks of subscriptions (push; the pull feed is {@code GET /data/subscriptions/{grantId}/changes}).
 * Each POST to the webhook carries the headers {@code X-Exchange-Seal} (detached JWS by the provider, with
 * {@code delivery}, {@code event} and {@code iat} in its protected header), {@code X-Exchange-Delivery-Id},
 * {@code X-Exchange-Event-Id} and {@code X-Exchange-Timestamp}.
 */
@Path("/api/exchange/v1/subscriptions/{grantId}/webhook")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "subscriptions", description = "订阅推送 (subscription webhooks)")
public class SubscriptionResource {

    /** A webhook just registered (only changes from now on are sent). */
    private static final String REGISTERED = "{\"id\": 4, \"grantId\": 23, \"resourceCode\": \"101001/000001\", "
            + "\"url\": \"https://mzt.zj.gov.cn/exchange/webhook\", \"status\": \"ACTIVE\", \"statusReason\": null, "
            + "\"createdAt\": \"2026-12-01T01:20:00Z\", \"updatedAt\": \"2026-12-01T01:20:00Z\", \"events\": {}, "
            + "\"recent\": []}";

    /** A webhook in use: one event delivered, the next one waiting for its retry after a 503. */
    private static final String IN_USE = "{\"id\": 4, \"grantId\": 23, \"resourceCode\": \"101001/000001\", "
            + "\"url\": \"https://mzt.zj.gov.cn/exchange/webhook\", \"status\": \"ACTIVE\", \"statusReason\": null, "
            + "\"createdAt\": \"2026-12-01T01:20:00Z\", \"updatedAt\": \"2026-12-01T01:20:00Z\", "
            + "\"events\": {\"DELIVERED\": 12, \"PENDING\": 1}, \"recent\": [{\"eventId\": "
            + "\"b3e1f0a2-7c4d-4e8b-9f61-2d5a8c3e7b90\", \"cursor\": 318, \"status\": \"PENDING\", \"attempts\": 1, "
            + "\"lastStatus\": 503, \"lastError\": \"HTTP_503\", \"nextAttemptAt\": \"2026-12-03T02:31:04Z\", "
            + "\"usageLogSeq\": 1031}, {\"eventId\": \"5d9a7c1e-0f3b-4a62-8e4d-7b1c9f2a6e35\", \"cursor\": 317, "
            + "\"status\": \"DELIVERED\", \"attempts\": 1, \"lastStatus\": 200, \"lastError\": null, "
            + "\"nextAttemptAt\": \"2026-12-03T02:29:40Z\", \"usageLogSeq\": 1027}]}";

    private final WebhookService webhooks;
    private final CurrentCaller caller;

    public SubscriptionResource(WebhookService webhooks, CurrentCaller caller) {
        this.webhooks = webhooks;
        this.caller = caller;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Registers or re-points the webhook of the caller department's active grant (201 when new). "
            + "A FAILING webhook restarts with its held events.", description = "The URL must be https and its host "
            + "must resolve to a public address: loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local "
            + "(169.254/16, fe80::/10), shared (100.64/10), multicast and reserved addresses are refused (400 naming "
            + "url), unless the host is in exchange.outbound.allowed-hosts. The address is checked again before every "
            + "delivery (refused: lastError REFUSED_ADDRESS, the webhook FAILING).")
    @APIResponse(responseCode = "201", description = "webhook registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Subscription.class),
                    examples = @ExampleObject(name = "registered", value = REGISTERED)))
    @APIResponse(responseCode = "200", description = "webhook re-pointed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Subscription.class),
                    examples = @ExampleObject(name = "re-pointed", value = IN_USE)))
    public Response register(@PathParam("grantId") long grantId, RegisterWebhook body) {
        boolean created = webhooks.register(caller.get(), grantId, body);
        Subscription s = webhooks.view(caller.get(), grantId);
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK).entity(s).build();
    }

    @GET
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "The webhook's state, event counts by status and the latest deliveries.",
            description = "recent[].lastError is a coarse category only: HTTP_<status> (the receiver answered), "
                    + "CONNECT_FAILED, TLS_FAILED, TIMEOUT, REFUSED_ADDRESS (the address is not one the exchange "
                    + "connects to) or INVALID_URL.")
    @APIResponse(responseCode = "200", description = "the webhook and its latest deliveries (20 at most)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Subscription.class),
                    examples = @ExampleObject(name = "in-use", value = IN_USE)))
    public Subscription get(@PathParam("grantId") long grantId) {
        return webhooks.view(caller.get(), grantId);
    }

    @POST
    @Path("/resume")
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Resumes a FAILING webhook: given-up and refused events are sent again, in order.")
    @APIResponse(responseCode = "200", description = "the webhook, ACTIVE again, its held events PENDING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = Subscription.class),
                    examples = @ExampleObject(name = "resumed", value = "{\"id\": 4, \"grantId\": 23, "
                            + "\"resourceCode\": \"101001/000001\", "
                            + "\"url\": \"https://mzt.zj.gov.cn/exchange/webhook\", \"status\": \"ACTIVE\", "
                            + "\"statusReason\": null, \"createdAt\": \"2026-12-01T01:20:00Z\", "
                            + "\"updatedAt\": \"2026-12-03T03:05:12Z\", \"events\": {\"DELIVERED\": 12, "
                            + "\"PENDING\": 1}, \"recent\": [{\"eventId\": \"b3e1f0a2-7c4d-4e8b-9f61-2d5a8c3e7b90\", "
                            + "\"cursor\": 318, \"status\": \"PENDING\", \"attempts\": 0, \"lastStatus\": 503, "
                            + "\"lastError\": \"HTTP_503\", \"nextAttemptAt\": \"2026-12-03T03:05:12Z\", "
                            + "\"usageLogSeq\": 1043}]}")))
    public Subscription resume(@PathParam("grantId") long grantId) {
        return webhooks.resume(caller.get(), grantId);
    }

    @DELETE
    @RolesAllowed({ "operator", "system" })
    @Operation(summary = "Stops the webhook; events not yet sent are dropped (the pull feed still has the changes).")
    @APIResponse(responseCode = "204", description = "webhook stopped")
    public Response stop(@PathParam("grantId") long grantId) {
        webhooks.stop(caller.get(), grantId);
        return Response.noContent().build();
    }
}
