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
import cn.onenet.identity.service.AccountClosureService;
import io.vertx.core.http.HttpServerRequest;

/**
 * Cancelling an account closure (注销) during its cooling-off with the token sent to the contact on file. Public:
 * every sign-in of the account ended with the request, and whoever holds the contact may not know the password.
 * Signing in again cancels it too.
 */
@Path("/api/identity/v1/account-closures")
@Tag(name = "Accounts")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class AccountClosureResource {

    private final AccountClosureService closures;

    public AccountClosureResource(AccountClosureService closures) {
        this.closures = closures;
    }

    @Schema(name = "AccountClosureCancellation")
    public record Cancellation(@NotNull @Schema(description = "the cancel token from the notice sent to the contact",
            example = "kU3n0c0Yb2mI6w1l2V9yqzJw1HfS4oXo8QvQk0jzZ2Q") String token) {
    }

    @POST
    @Path("cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel an account closure during its cooling-off with the token sent to the contact. "
            + "Public; wrong tokens count per address (429 after identity.closure.cancel-ip-max-failures).")
    @APIResponse(responseCode = "204", description = "cancelled: the account stays open")
    @APIResponse(responseCode = "400", description = "token missing, wrong, or the account already closed (field "
            + "token)", content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "429", description = "too many wrong tokens from this address")
    public Response cancel(@NotNull Cancellation c, @Context HttpServerRequest http) {
        closures.cancelWithToken(c.token(), NimbusHttp.ip(http));
        return Response.noContent().build();
    }
}
