package cn.onenet.identity.rest;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.RepresentativeChange;
import cn.onenet.identity.security.BearerTokenMechanism;
import cn.onenet.identity.service.Acr;
import cn.onenet.identity.service.EnterpriseRegistration;
import cn.onenet.identity.service.OwnLogin;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * 法人自助注册: the signed-in natural person registers the enterprise they are the legal representative of, and lists
 * the enterprises they represent. Any user's own login (an agent's token for an enterprise, {@code act}, and a
 * client-credentials token get 403); registering needs a natural person signed in at L3 or above.
 */
@Path("/api/identity/v1/me/enterprises")
@Tag(name = "Accounts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class EnterpriseResource {

    private static final String NEW_ENTERPRISE = """
            {"uscc": "91330106MA2H00001E", "name": "杭州数智科技有限公司", "englishName": "Hangzhou Shuzhi Technology Co., Ltd."}""";
    private static final String VIEW = """
            {"id": "9a4c7e21-3f5b-4d8a-b6e0-2c1f8d7a5e39", "uscc": "91330106MA2H00001E", "name": "杭州数智科技有限公司",
             "englishName": "Hangzhou Shuzhi Technology Co., Ltd.", "status": "ACTIVE", "level": 3,
             "levelSource": "法人库", "levelVerifiedAt": "2026-03-05T14:30:00+08:00",
             "representativeChangeRecordedAt": null}""";
    private static final String REGISTERED = """
            {"id": "9a4c7e21-3f5b-4d8a-b6e0-2c1f8d7a5e39", "uscc": "91330106MA2H00001E", "name": "杭州数智科技有限公司",
             "englishName": "Hangzhou Shuzhi Technology Co., Ltd.", "status": "ACTIVE", "level": 3,
             "levelSource": "法人库", "levelVerifiedAt": "2026-03-05T14:30:00+08:00",
             "representativeChangeRecordedAt": null, "delegationsEnded": 0}""";
    private static final String TAKEN_OVER = """
            {"id": "9a4c7e21-3f5b-4d8a-b6e0-2c1f8d7a5e39", "uscc": "91330106MA2H00001E", "name": "杭州数智科技有限公司",
             "englishName": "Hangzhou Shuzhi Technology Co., Ltd.", "status": "ACTIVE", "level": 3,
             "levelSource": "法人库", "levelVerifiedAt": "2025-11-20T09:12:00+08:00",
             "representativeChangeRecordedAt": null, "delegationsEnded": 2}""";
    private static final String NOT_NAMED = """
            {"type": "urn:onenet:problem:forbidden", "title": "无权执行此操作", "status": 403,
             "detail": "法人库未记载您为该企业的法定代表人 / the legal-person register does not name you as the legal representative of this enterprise"}""";
    private static final String LOW_LEVEL = """
            {"type": "urn:onenet:problem:forbidden", "title": "无权执行此操作", "status": 403,
             "detail": "注册企业须以实名等级L3或以上登录（本次登录为L2） / registering an enterprise needs a sign-in at real-name level L3 or above (this one is L2)",
             "requiredAcr": "urn:onenet:loa:3", "acr": "urn:onenet:loa:2"}""";
    private static final String BAD_CODE = """
            {"type": "urn:onenet:problem:validation", "title": "请求参数校验失败", "status": 400,
             "detail": "统一社会信用代码校验码错误 / wrong check character", "field": "uscc",
             "errors": [{"field": "uscc", "message": "统一社会信用代码校验码错误 / wrong check character"}]}""";
    private static final String NOT_IN_BUSINESS = """
            {"type": "urn:onenet:problem:unprocessable", "title": "请求无法处理", "status": 422,
             "detail": "法人库登记状态为吊销，只有存续企业可以注册 / the register lists the enterprise as REVOKED (吊销): only an enterprise in business (存续) can be registered",
             "registryStatus": "REVOKED"}""";

    private final EnterpriseRegistration registrations;
    private final SecurityIdentity caller;

    public EnterpriseResource(EnterpriseRegistration registrations, SecurityIdentity caller) {
        this.registrations = registrations;
        this.caller = caller;
    }

    @Schema(name = "NewEnterprise")
    public record NewEnterprise(
            @Schema(description = "统一社会信用代码 (GB 32100, check character verified)", example = "91330106MA2H00001E")
            String uscc,
            @Schema(description = "the name as registered; （） and () compare alike", example = "杭州数智科技有限公司",
                    maxLength = 200) String name,
            @Schema(description = "optional", example = "Hangzhou Shuzhi Technology Co., Ltd.", maxLength = 200)
            String englishName) {
    }

    @Schema(name = "Enterprise", example = VIEW)
    public record EnterpriseView(UUID id, String uscc, String name, String englishName,
            @Schema(description = "the account's status: ACTIVE, DISABLED or CLOSED") String status, int level,
            @Schema(description = "which reference checked it") String levelSource, OffsetDateTime levelVerifiedAt,
            @Schema(description = "when a registry load recorded that the register names another legal "
                    + "representative (the account still names the caller until they take it over); null: none")
            OffsetDateTime representativeChangeRecordedAt,
            @Schema(description = "only in the answer of a registration: how many delegations of the enterprise "
                    + "(active, or invitations pending) the takeover ended (法定代表人变更); 0 for a first "
                    + "registration", nullable = true)
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer delegationsEnded) {

        static EnterpriseView of(Account a) {
            return of(a, null);
        }

        static EnterpriseView of(Account a, Integer delegationsEnded) {
            RepresentativeChange change = RepresentativeChange.open(a.id);
            return new EnterpriseView(a.id, a.uscc, a.displayName, a.englishName, a.status, a.level, a.levelSource,
                    a.levelVerifiedAt, change == null ? null : change.detectedAt, delegationsEnded);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register the enterprise the caller is the legal representative of (法人自助注册)",
            description = "A natural person's own login at real-name level L3 or above (else 403 with requiredAcr). "
                    + "The legal-person register must name the caller as the legal representative (else 403, the "
                    + "same whether the code is unknown, someone else's or registered), list it as 存续 (else 422) "
                    + "under the name given (else 400 naming name). A code registered already is 409 — unless a "
                    + "registry load recorded that the register now names the caller instead of the account's "
                    + "representative: then the caller takes the enterprise over (200), and every delegation of the "
                    + "enterprise still active or pending ends (法定代表人变更: the agents' tokens in its name are "
                    + "revoked, the agents and the former representative told); delegationsEnded counts them.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = NewEnterprise.class),
            examples = @ExampleObject(name = "enterprise", value = NEW_ENTERPRISE)))
    @APIResponse(responseCode = "201", description = "the enterprise account, with the caller as legal representative",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EnterpriseView.class),
                    examples = @ExampleObject(name = "registered", value = REGISTERED)))
    @APIResponse(responseCode = "200", description = "taken over from the former legal representative; "
            + "delegationsEnded: how many of the enterprise's delegations ended with it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EnterpriseView.class),
                    examples = @ExampleObject(name = "taken over", value = TAKEN_OVER)))
    @APIResponse(responseCode = "400", description = "uscc, name or englishName missing or malformed, or the name "
            + "differs from the register's", content = @Content(mediaType = "application/problem+json",
                    examples = @ExampleObject(name = "bad check character", value = BAD_CODE)))
    @APIResponse(responseCode = "403", description = "not a natural person's own login, below L3, or not the "
            + "representative the register names", content = @Content(mediaType = "application/problem+json",
                    examples = { @ExampleObject(name = "not the representative", value = NOT_NAMED),
                            @ExampleObject(name = "sign-in below L3", value = LOW_LEVEL) }))
    @APIResponse(responseCode = "409", description = "registered already")
    @APIResponse(responseCode = "422", description = "the register lists it as 吊销 or 注销",
            content = @Content(mediaType = "application/problem+json",
                    examples = @ExampleObject(name = "revoked", value = NOT_IN_BUSINESS)))
    public Response register(@NotNull NewEnterprise r) {
        UUID self = OwnLogin.managing(BearerTokenMechanism.claims(caller));
        EnterpriseRegistration.Registered done = registrations.register(self, level(), r.uscc(), r.name(),
                r.englishName());
        return Response.status(done.created() ? 201 : 200)
                .entity(EnterpriseView.of(done.enterprise(), done.delegationsEnded())).build();
    }

    @GET
    @Operation(summary = "The enterprises the caller is the recorded legal representative of, by code")
    @APIResponse(responseCode = "200", description = "the enterprises (none: [])",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EnterpriseView[].class)))
    @APIResponse(responseCode = "403", description = "an agent's token (act), or not a user token")
    public List<EnterpriseView> mine() {
        UUID self = OwnLogin.managing(BearerTokenMechanism.claims(caller));
        return registrations.represented(self).stream().map(EnterpriseView::of).toList();
    }

    /** The real-name level of the caller's sign-in, from its {@code acr} (0 when it has none). */
    private int level() {
        Object acr = BearerTokenMechanism.claims(caller).getClaim("acr");
        return acr instanceof String value ? Acr.level(value).orElse(0) : 0;
    }
}
