package cn.onenet.identity.rest;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.rest.AdminViews.AccountView;
import cn.onenet.identity.service.AccountService;

/** Self-registration of citizens: the 公民身份号码 is format-checked, so the account starts at L2. Public. */
@Path("/api/identity/v1/registrations")
@Tag(name = "Accounts")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class RegistrationResource {

    private final AccountService accounts;

    public RegistrationResource(AccountService accounts) {
        this.accounts = accounts;
    }

    @Schema(name = "CitizenRegistration")
    public record Registration(@NotNull @Schema(example = "33010619850312001X") String idNumber,
            @NotNull @Schema(example = "张三") String name, @NotNull String password, String email, String phone) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a citizen account (L2). Public.")
    public Response register(@NotNull Registration r) {
        AccountView view = AccountView.of(accounts.create(new AccountService.NewAccount(AccountType.NATURAL_PERSON, null,
                r.name(), r.idNumber(), null, null, null, null, r.password(), r.email(), r.phone()), "self"));
        return Response.status(201).entity(view).build();
    }
}
