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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.rest.AdminViews.AccountView;
import cn.onenet.identity.rest.oidc.NimbusHttp;
import cn.onenet.identity.service.RegistrationService;
import cn.onenet.identity.service.TotpFactor;
import io.vertx.core.http.HttpServerRequest;

/**
 * Self-registration of citizens (L2: the 公民身份号码 is format-checked). Public. A valid registration is always
 * answered 202 with the same body, whether or not the ID number is registered already; the account is created when
 * the token sent to the phone or e-mail given is confirmed.
 */
@Path("/api/identity/v1/registrations")
@Tag(name = "Accounts")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class RegistrationResource {

    private final RegistrationService registrations;
    private final TotpFactor totp;

    public RegistrationResource(RegistrationService registrations, TotpFactor totp) {
        this.registrations = registrations;
        this.totp = totp;
    }

    @Schema(name = "CitizenRegistration", description = "At least one of phone and email receives the confirmation token.")
    public record Registration(@NotNull @Schema(example = "33010619850312001X") String idNumber,
            @NotNull @Schema(example = "张三") String name, @NotNull @Schema(example = "Zj@2026-onenet") String password,
            @Schema(example = "zhangsan@example.cn") String email, @Schema(example = "13800000000") String phone) {
    }

    @Schema(name = "RegistrationConfirmation")
    public record Confirmation(@NotNull @Schema(description = "the token from the SMS or e-mail",
            example = "kU3n0c0Yb2mI6w1l2V9yqzJw1HfS4oXo8QvQk0jzZ2Q") String token) {
    }

    @Schema(name = "Accepted")
    public record Accepted(@Schema(example = "ACCEPTED") String status,
            @Schema(example = "请查收短信或电子邮件以完成注册。/ Check your SMS or e-mail to complete the registration.")
            String message) {
    }

    static final Accepted ACCEPTED = new Accepted("ACCEPTED",
            "请查收短信或电子邮件以完成注册。/ Check your SMS or e-mail to complete the registration.");

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a citizen account (L2). Public.", description = "Answered 202 with the same body "
            + "whether or not the ID number is registered already (the holder of an existing account is notified "
            + "instead). Invalid ID-number check digits, a weak password or no contact: 400 problem+json.")
    @APIResponse(responseCode = "202", description = "accepted; the confirmation token goes to the contact given",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Accepted.class),
                    examples = @ExampleObject(name = "accepted", value = "{\"status\":\"ACCEPTED\",\"message\":"
                            + "\"请查收短信或电子邮件以完成注册。/ Check your SMS or e-mail to complete the registration.\"}")))
    @APIResponse(responseCode = "400", description = "invalid input", content = @Content(
            mediaType = "application/problem+json", examples = @ExampleObject(name = "bad check digit", value =
                    "{\"type\":\"urn:onenet:problem:validation\",\"title\":\"请求参数校验失败\",\"status\":400,"
                            + "\"detail\":\"公民身份号码校验码错误\",\"errors\":[{\"field\":\"idNumber\","
                            + "\"message\":\"公民身份号码校验码错误\"}]}")))
    @APIResponse(responseCode = "429", description = "too many registrations from this address or for this ID number")
    public Response register(@NotNull Registration r, @Context HttpServerRequest http) {
        registrations.register(r.idNumber(), r.name(), r.password(), r.email(), r.phone(), NimbusHttp.ip(http));
        return Response.status(202).entity(ACCEPTED).build();
    }

    @POST
    @Path("confirm")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Complete a registration with the token sent to the contact given. Public.")
    @APIResponse(responseCode = "201", description = "the account, at real-name level L2",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "400", description = "token invalid, expired or already used", content = @Content(
            mediaType = "application/problem+json", examples = @ExampleObject(name = "bad token", value =
                    "{\"type\":\"urn:onenet:problem:validation\",\"title\":\"请求参数校验失败\",\"status\":400,"
                            + "\"detail\":\"确认码无效或已过期 / the confirmation token is invalid or expired\","
                            + "\"errors\":[{\"field\":\"token\",\"message\":\"确认码无效或已过期 / the confirmation token "
                            + "is invalid or expired\"}]}")))
    public Response confirm(@NotNull Confirmation c, @Context HttpServerRequest http) {
        AccountView view = AccountView.of(registrations.confirm(c.token(), NimbusHttp.ip(http)), totp);
        return Response.status(201).entity(view).build();
    }
}
