package cn.onenet.identity.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.rest.RegistrationResource.Accepted;
import cn.onenet.identity.rest.oidc.NimbusHttp;
import cn.onenet.identity.service.RecoveryService;
import io.vertx.core.http.HttpServerRequest;

/**
 * Account recovery (忘记密码) for citizens, enterprises and staff. Public. Starting recovery is answered 202 with the
 * same body for every identifier, account or not; the reset token reaches the account's registered phone or e-mail.
 */
@Path("/api/identity/v1/recovery")
@Tag(name = "Accounts")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class RecoveryResource {

    static final Accepted REQUESTED = new Accepted("ACCEPTED", "如该账户存在且登记了手机或电子邮箱，重置码已发送"
            + "（5分钟内仍有效的重置码不重复发送，每天最多3条）。/ If the account exists and has a registered phone or "
            + "e-mail, a reset token was sent to it (not again while a recent one is valid; at most 3 a day).");

    private final RecoveryService recovery;

    public RecoveryResource(RecoveryService recovery) {
        this.recovery = recovery;
    }

    @Schema(name = "RecoveryRequest")
    public record RecoveryRequest(@NotNull @Schema(description = "公民身份号码, 统一社会信用代码 or staff login",
            example = "33010619850312001X") String identifier) {
    }

    @Schema(name = "PasswordReset")
    public record PasswordReset(@NotNull @Schema(description = "the reset token from the SMS or e-mail",
            example = "kU3n0c0Yb2mI6w1l2V9yqzJw1HfS4oXo8QvQk0jzZ2Q") String token,
            @NotNull @Schema(example = "Zj@2026-new-pass") String password) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start account recovery. Public.", description = "The same 202 and body whether or not the "
            + "identifier names an account. Limited per identifier and per IP address (429 with Retry-After).")
    @APIResponse(responseCode = "202", description = "accepted", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = Accepted.class), examples = @ExampleObject(name = "accepted", value =
                    "{\"status\":\"ACCEPTED\",\"message\":\"如该账户存在且登记了手机或电子邮箱，重置码已发送。/ If the "
                            + "account exists and has a registered phone or e-mail, a reset token was sent to it.\"}")))
    @APIResponse(responseCode = "429", description = "too many requests for this identifier or from this address",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "rate limited",
                    value = "{\"type\":\"urn:onenet:problem:rate-limited\",\"title\":\"请求过于频繁\",\"status\":429,"
                            + "\"detail\":\"请求过于频繁，请稍后再试 / too many requests, try again later\","
                            + "\"retryAfterSeconds\":900}")))
    public Response request(@NotNull RecoveryRequest r, @HeaderParam("Accept-Language") String language,
            @Context HttpServerRequest http) {
        recovery.request(r.identifier(), NimbusHttp.ip(http), language != null && language.startsWith("en"));
        return Response.status(202).entity(REQUESTED).build();
    }

    @POST
    @Path("reset")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a new password with a reset token. Public.", description = "The token works once and "
            + "expires; the password must meet the policy (the token is kept when it does not). Every session and "
            + "refresh token of the account is revoked and its lockout cleared.")
    @APIResponse(responseCode = "200", description = "password changed", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class),
            examples = @ExampleObject(name = "done", value = "{\"status\":\"PASSWORD_RESET\",\"message\":\"密码已重置，"
                    + "请重新登录。/ Your password was reset; sign in again.\"}")))
    @APIResponse(responseCode = "400", description = "token invalid, expired or used; or password against the policy",
            content = @Content(mediaType = "application/problem+json", examples = @ExampleObject(name = "bad token",
                    value = "{\"type\":\"urn:onenet:problem:validation\",\"title\":\"请求参数校验失败\",\"status\":400,"
                            + "\"detail\":\"重置码无效、已过期或已使用 / the reset token is invalid, expired or already used\","
                            + "\"errors\":[{\"field\":\"token\",\"message\":\"重置码无效、已过期或已使用 / the reset token is "
                            + "invalid, expired or already used\"}]}")))
    @APIResponse(responseCode = "429", description = "too many wrong tokens from this address")
    public Accepted reset(@NotNull PasswordReset r, @Context HttpServerRequest http) {
        recovery.reset(r.token(), r.password(), NimbusHttp.ip(http));
        return new Accepted("PASSWORD_RESET", "密码已重置，请重新登录。/ Your password was reset; sign in again.");
    }
}
