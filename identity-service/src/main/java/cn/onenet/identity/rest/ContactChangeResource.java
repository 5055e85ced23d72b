package cn.onenet.identity.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.rest.oidc.NimbusHttp;
import cn.onenet.identity.service.ContactService;
import io.vertx.core.http.HttpServerRequest;

/**
 * The old contact's answer to a change of phone or e-mail it did not ask for: the notice sent there during the
 * cooling-off carries a cancel token. Public: whoever holds the old phone or mailbox may not be able to sign in.
 */
@Path("/api/identity/v1/contact-changes")
@Tag(name = "Accounts")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class ContactChangeResource {

    private final ContactService contacts;

    public ContactChangeResource(ContactService contacts) {
        this.contacts = contacts;
    }

    @Schema(name = "ContactChangeCancellation")
    public record Cancellation(@NotNull @Schema(description = "the cancel token from the notice sent to the old contact",
            example = "kU3n0c0Yb2mI6w1l2V9yqzJw1HfS4oXo8QvQk0jzZ2Q") String token) {
    }

    @POST
    @Path("cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel a contact change during its cooling-off with the token sent to the old contact. "
            + "Public; wrong tokens count per address (429 after identity.contact.cancel-ip-max-failures).")
    @APIResponse(responseCode = "204", description = "cancelled: the account keeps its contacts")
    @APIResponse(responseCode = "400", description = "token missing, wrong, or the change already took effect or "
            + "ended (field token)", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "429", description = "too many wrong tokens from this address")
    public Response cancel(@NotNull Cancellation c, @Context HttpServerRequest http) {
        contacts.cancelWithToken(c.token(), NimbusHttp.ip(http));
        return Response.noContent().build();
    }
}
