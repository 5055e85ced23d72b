package cn.onenet.identity.rest;

import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AccountType;
import cn.onenet.identity.rest.AdminViews.AccountView;
import cn.onenet.identity.rest.AdminViews.AdminChangeView;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.AdminChanges;
import cn.onenet.identity.service.IdNumberLookup;
import cn.onenet.identity.service.ListPage;
import cn.onenet.identity.service.TotpFactor;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Account administration: create, roles, real-name level, second factor, enable/disable. Roles, level, counter
 * verification, disabling, enabling and second-factor reset of another administrator's account, creating an
 * administrator and giving an account the role admin wait for a second administrator ({@link AdminChanges}).
 */
@Path("/api/identity/v1/accounts")
@Tag(name = "Accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;
    private final TotpFactor totp;
    private final SecurityIdentity caller;
    private final AdminChanges changes;
    private final IdNumberLookup lookup;

    public AccountResource(AccountService accounts, TotpFactor totp, SecurityIdentity caller, AdminChanges changes,
            IdNumberLookup lookup) {
        this.accounts = accounts;
        this.lookup = lookup;
        this.totp = totp;
        this.caller = caller;
        this.changes = changes;
    }

    /** New accounts of each type: which fields apply depends on it. */
    private static final String NEW_STAFF = """
            {"type": "CIVIL_SERVANT", "username": "rst.editor", "displayName": "钱宇（人社厅数据专员）",
             "departmentCode": "11330000002481060E", "roles": ["operator", "catalog-editor"],
             "password": "Zj@2026-onenet", "email": "qianyu@rst.zj.gov.cn", "phone": "13800000001"}""";
    private static final String NEW_CITIZEN = """
            {"type": "NATURAL_PERSON", "displayName": "钱敏", "idNumber": "330203199003071232",
             "password": "Zj@2026-onenet", "phone": "13800000002"}""";
    private static final String NEW_ENTERPRISE = """
            {"type": "LEGAL_PERSON", "displayName": "宁波海曙云帆贸易有限公司", "uscc": "91330203MA2J7K5Q1F",
             "legalRepresentativeId": "5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13", "password": "Zj@2026-onenet",
             "email": "office@yunfan-trade.cn"}""";

    @Schema(name = "NewAccount")
    public record NewAccountRequest(@NotNull @Schema(example = "NATURAL_PERSON") AccountType type,
            @Schema(example = "zhang.wei") String username, @Schema(example = "张三") String displayName,
            @Schema(example = "33010619850312001X") String idNumber, @Schema(example = "91330106MA2H00001E") String uscc,
            @Schema(example = "11330000002481020A") String departmentCode, UUID legalRepresentativeId,
            Set<String> roles, String password, String email, String phone) {
    }

    @Schema(name = "LevelVerification")
    public record LevelRequest(@Schema(example = "3") int level, @Schema(example = "population-register") String method,
            @Schema(description = "name as on the ID card, record number or certificate serial; not stored",
                    example = "张三") String evidence) {
    }

    private static final String NEW_ADMIN = """
            {"type": "CIVIL_SERVANT", "username": "rst.admin", "displayName": "孙丽（人社厅管理员）",
             "departmentCode": "11330000002481060E", "roles": ["admin"], "password": "Zj@2026-onenet",
             "phone": "13800000003"}""";
    /** The 202 answers: a change of each kind waiting for a second administrator. */
    private static final String CREATION_WAITS = """
            {"id": "7c2e4b90-1d3f-4a6e-9b58-2f0a6c8d1e34", "accountId": null, "accountName": "孙丽（人社厅管理员）",
             "kind": "CREATE", "roles": ["admin"], "level": null, "levelMethod": null, "phoneMasked": "138****0003",
             "emailMasked": null, "reason": null, "username": "rst.admin", "departmentCode": "11330000002481060E",
             "requestedBy": "5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13", "requestedByName": "陈明（大数据局管理员）",
             "requestedAt": "2026-03-02T09:15:00+08:00", "expiresAt": "2026-03-03T09:15:00+08:00",
             "status": "PENDING", "decidedBy": null, "decidedByName": null, "decidedAt": null, "version": 0}""";
    /** A change of another administrator's account, waiting: its kind goes between the two. */
    private static final String WAITING_HEAD = "{\"id\": \"1a5f8e27-3c9b-4d60-b7e2-8f4c0a6d2b91\", "
            + "\"accountId\": \"0d6e2f4a-8b3c-4e1d-a5f7-9c2b6e8d4a10\", \"accountName\": \"孙丽（人社厅管理员）\", "
            + "\"kind\": ";
    private static final String WAITING_TAIL = ", \"roles\": null, \"level\": null, \"levelMethod\": null, "
            + "\"phoneMasked\": null, \"emailMasked\": null, \"reason\": null, \"username\": null, "
            + "\"departmentCode\": null, \"requestedBy\": \"5b1f0c8e-2a47-4d3b-9c61-7e8a4f2d9b13\", "
            + "\"requestedByName\": \"陈明（大数据局管理员）\", \"requestedAt\": \"2026-03-02T09:15:00+08:00\", "
            + "\"expiresAt\": \"2026-03-03T09:15:00+08:00\", \"status\": \"PENDING\", \"decidedBy\": null, "
            + "\"decidedByName\": null, \"decidedAt\": null, \"version\": 0}";
    private static final String DISABLING_WAITS = WAITING_HEAD + "\"DISABLE\"" + WAITING_TAIL;
    private static final String ENABLING_WAITS = WAITING_HEAD + "\"ENABLE\"" + WAITING_TAIL;
    private static final String RESET_WAITS = WAITING_HEAD + "\"TOTP_RESET\"" + WAITING_TAIL;

    @POST
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account (natural person, legal person or civil servant). Role admin. A civil "
            + "servant with the role admin is not created at once: the request, checked, waits for a second "
            + "administrator (双人复核: 202 with the change, kind CREATE), who confirms it at admin-changes/{id}/confirm; "
            + "the account exists from then. While the caller is the only administrator who can act it is created at "
            + "once (201), audited ADMIN_CHANGE_APPLIED_ALONE.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "civil servant", value = NEW_STAFF),
            @ExampleObject(name = "natural person", value = NEW_CITIZEN),
            @ExampleObject(name = "legal person", value = NEW_ENTERPRISE),
            @ExampleObject(name = "administrator (waits for a second administrator)", value = NEW_ADMIN) }))
    @APIResponse(responseCode = "201", description = "the account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "202", description = "the account would hold the role admin: its creation, checked, "
            + "waits for a second administrator (status PENDING, accountId null until confirmed)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AdminChangeView.class),
                    examples = @ExampleObject(name = "waits", value = CREATION_WAITS)))
    @APIResponse(responseCode = "409", description = "the login name is taken, or its creation already waits",
            content = @Content(mediaType = "application/problem+json"))
    public Response create(@NotNull NewAccountRequest r) {
        AdminChanges.Outcome outcome = changes.create(new AccountService.NewAccount(r.type(), r.username(),
                r.displayName(), r.idNumber(), r.uscc(), r.departmentCode(), r.legalRepresentativeId(), r.roles(),
                r.password(), r.email(), r.phone()), caller.getPrincipal().getName());
        return outcome.pending() != null ? Response.status(202).entity(AdminChangeView.of(outcome.pending())).build()
                : Response.status(201).entity(AccountView.of(outcome.applied(), totp)).build();
    }

    @GET
    @RolesAllowed({"admin", "auditor"})
    @Operation(summary = "List accounts, one page at a time, by type, name, department, role and status, or find "
            + "them by the exact 公民身份号码 (idNumber, audited); the X-Total-Count header counts every match. "
            + "Identity numbers appear masked only; q never matches one. Roles admin, auditor.")
    @APIResponse(responseCode = "200", description = "one page of accounts, ordered by login name",
            headers = @Header(name = "X-Total-Count", description = "how many accounts match, on all pages",
                    schema = @Schema(type = SchemaType.INTEGER, example = "137")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = AccountView.class),
                    examples = @ExampleObject(name = "a page of accounts", value = "[" + AdminViews.CITIZEN + ", "
                            + AdminViews.ENTERPRISE + ", " + AdminViews.STAFF + "]")))
    @APIResponse(responseCode = "400", description = "a bad filter, an idNumber that is not a complete valid number, "
            + "a negative page or a size outside 1..200; the problem names the field")
    @APIResponse(responseCode = "429", description = "the caller's idNumber lookups of the last hour reached the "
            + "limit: try again after Retry-After")
    public Response list(@Context UriInfo uri,
            @Parameter(description = "account type", example = "CIVIL_SERVANT",
                    schema = @Schema(enumeration = { "NATURAL_PERSON", "LEGAL_PERSON", "CIVIL_SERVANT" }))
            @QueryParam("type") String type,
            @Parameter(description = "part of the display name, or of the login name of staff and enterprises; "
                    + "case-insensitive, at most 100 characters. A natural person's login name (the 公民身份号码) "
                    + "is not searched: use idNumber", example = "赵")
            @QueryParam("q") String q,
            @Parameter(description = "统一社会信用代码 of the staff's department (deactivated ones too)",
                    example = "11330000002481020A")
            @QueryParam("department") String department,
            @Parameter(description = "a staff role", example = "operator", schema = @Schema(enumeration = {
                    "operator", "catalog-editor", "reviewer", "head", "auditor", "admin" }))
            @QueryParam("role") String role,
            @Parameter(description = "enabled or disabled (any case; ACTIVE, the status an account shows, also "
                    + "reads as enabled)", example = "enabled")
            @QueryParam("status") String status,
            @Parameter(description = "a complete 公民身份号码 (18 characters, right check character; x for X and "
                    + "full-width digits accepted), compared whole: never a part of one. Each lookup is audited "
                    + "(ACCOUNT_ID_NUMBER_LOOKUP, the number masked) and limited per caller "
                    + "(identity.id-number-lookup.max-per-hour, then 429 with Retry-After)",
                    example = "33010619850312001X")
            @QueryParam("idNumber") String idNumber,
            @Parameter(description = "page number from 0", example = "0") @QueryParam("page") Integer page,
            @Parameter(description = "page size, 1..200 (default 50)", example = "50") @QueryParam("size") Integer size) {
        // an empty idNumber= is a lookup of nothing (400), not the list without the filter
        String typed = idNumber == null && uri.getQueryParameters().containsKey("idNumber") ? "" : idNumber;
        AccountService.AccountQuery query = new AccountService.AccountQuery(type, q, department, role, status,
                typed, page, size);
        ListPage<Account> found = typed == null ? accounts.search(query)
                : lookup.search(query, caller.getPrincipal().getName());
        return Response.ok(found.items().stream().map(a -> AccountView.of(a, totp)).toList())
                .header("X-Total-Count", found.total()).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"admin", "auditor"})
    @Operation(summary = "One account. Roles admin, auditor.")
    @APIResponse(responseCode = "200", description = "the account (identity numbers masked, never a password or a "
            + "second factor's secret)", content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountView.class), examples = {
                            @ExampleObject(name = "citizen", value = AdminViews.CITIZEN),
                            @ExampleObject(name = "civil servant", value = AdminViews.STAFF),
                            @ExampleObject(name = "enterprise", value = AdminViews.ENTERPRISE) }))
    public AccountView get(@PathParam("id") String id) {
        return AccountView.of(accounts.get(uuid(id)), totp);
    }

    @PUT
    @Path("{id}/roles")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a civil servant's roles in their department. Role admin. Taking the role admin from the "
            + "last enabled account with it in an active department is 409. " + FOUR_EYES)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(
            name = "operator and catalog editor", value = "[\"operator\", \"catalog-editor\"]")))
    @APIResponse(responseCode = "200", description = "the account, changed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "202", description = WAITS, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminChangeView.class)))
    public Response roles(@PathParam("id") String id, @NotNull Set<String> roles) {
        return answer(changes.roles(uuid(id), roles, caller.getPrincipal().getName()));
    }

    /** What the changes of another administrator's account say about the second administrator. */
    private static final String FOUR_EYES = "For an account with the role admin (not the caller's own) the change "
            + "waits for a second administrator (双人复核): 202 with the change, which another administrator, neither "
            + "the caller nor the account's holder, confirms at admin-changes/{id}/confirm. Giving an account the "
            + "role admin waits as well. While the caller is the only administrator who can act it is applied at "
            + "once, audited ADMIN_CHANGE_APPLIED_ALONE.";
    private static final String WAITS = "the account holds the role admin: the change, checked, waits for a second "
            + "administrator (status PENDING)";

    /** 200 with the account changed, or 202 with the change waiting for a second administrator. */
    private Response answer(AdminChanges.Outcome outcome) {
        return outcome.pending() != null ? Response.status(202).entity(AdminChangeView.of(outcome.pending())).build()
                : Response.ok(AccountView.of(outcome.applied(), totp)).build();
    }

    @POST
    @Path("{id}/level")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify and set the real-name level (L3 register check, L4 in person or certificate). Role "
            + "admin. " + FOUR_EYES + " The level is verified when asked for; the evidence is not kept.")
    @APIResponse(responseCode = "200", description = "the account, changed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "202", description = WAITS, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminChangeView.class)))
    public Response level(@PathParam("id") String id, @NotNull LevelRequest r) {
        return answer(changes.level(uuid(id), r.level(), r.method(), r.evidence(), caller.getPrincipal().getName()));
    }

    @Schema(name = "CounterVerification", description = "the contacts the holder brought to the counter (at least "
            + "one) and why; the contacts on file are replaced by these")
    public record CounterRequest(@Schema(example = "13800000000") String phone,
            @Schema(example = "zhangsan@example.cn") String email,
            @Schema(description = "1-500 characters: the case, the documents checked",
                    example = "受理单 HZ-2026-031204：身份证原件核验，本人到场") String reason) {
    }

    @POST
    @Path("{id}/counter-verification")
    @RolesAllowed("admin")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "柜台核验: after checking the holder in person, give the account the contacts they brought and "
            + "take it back from whoever held it. The contacts on file are replaced by those given (a change in progress "
            + "ends). Every session of the account and of agents acting for it ends (back-channel logout) and every "
            + "grant and refresh token is revoked. The second factor is reset, the delegations it gave or received "
            + "are revoked, and the password is replaced by a random one (the holder sets theirs through recovery, "
            + "which now reaches them). The old and new contacts are told; audited as COUNTER_VERIFICATION with the "
            + "administrator and the reason. Role admin. " + FOUR_EYES)
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = CounterRequest.class), examples = @ExampleObject(name = "reclaim",
                    value = "{\"phone\": \"13800000000\", \"reason\": \"受理单 HZ-2026-031204：身份证原件核验，本人到场\"}")))
    @APIResponse(responseCode = "200", description = "the account, its contacts masked",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "202", description = WAITS, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminChangeView.class)))
    @APIResponse(responseCode = "400", description = "no contact, a malformed one, or no reason (field named)",
            content = @Content(mediaType = "application/problem+json"))
    @APIResponse(responseCode = "403", description = "not an administrator, or one's own account")
    @APIResponse(responseCode = "404", description = "no such account")
    @APIResponse(responseCode = "409", description = "a change of this administrator's account already waits")
    public Response counterVerification(@PathParam("id") String id, CounterRequest r) {
        UUID account = uuid(id);
        return answer(changes.counterVerification(account, r == null ? null : r.phone(), r == null ? null : r.email(),
                r == null ? null : r.reason(), caller.getPrincipal().getName()));
    }

    @POST
    @Path("{id}/disable")
    @RolesAllowed("admin")
    @Operation(summary = "Disable an account. Role admin. The last enabled account with role admin in an active "
            + "department (the caller's own too) is not disabled: 409. " + FOUR_EYES + " One's own account is "
            + "disabled at once.")
    @APIResponse(responseCode = "200", description = "the account, disabled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "202", description = WAITS, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminChangeView.class),
            examples = @ExampleObject(name = "waits", value = DISABLING_WAITS)))
    @APIResponse(responseCode = "409", description = "the last administrator who can act, a closed account, or a "
            + "change of this administrator's account already waits",
            content = @Content(mediaType = "application/problem+json"))
    public Response disable(@PathParam("id") String id) {
        return answer(changes.disable(uuid(id), caller.getPrincipal().getName()));
    }

    @POST
    @Path("{id}/enable")
    @RolesAllowed("admin")
    @Operation(summary = "Enable an account. Role admin. A closed account is not enabled: 409. Enabling a disabled "
            + "account with the role admin gives its power back: " + FOUR_EYES)
    @APIResponse(responseCode = "200", description = "the account, enabled",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = AccountView.class)))
    @APIResponse(responseCode = "202", description = WAITS, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminChangeView.class),
            examples = @ExampleObject(name = "waits", value = ENABLING_WAITS)))
    @APIResponse(responseCode = "409", description = "a closed account, or a change of this administrator's account "
            + "already waits", content = @Content(mediaType = "application/problem+json"))
    public Response enable(@PathParam("id") String id) {
        return answer(changes.enable(uuid(id), caller.getPrincipal().getName()));
    }

    @DELETE
    @Path("{id}/totp")
    @RolesAllowed("admin")
    @Operation(summary = "Reset the account's TOTP second factor (lost device, after the holder's identity was "
            + "checked): the holder may then enrol a new one without a code. Role admin; not one's own (403). "
            + FOUR_EYES)
    @APIResponse(responseCode = "204", description = "reset")
    @APIResponse(responseCode = "202", description = WAITS, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = AdminChangeView.class),
            examples = @ExampleObject(name = "waits", value = RESET_WAITS)))
    @APIResponse(responseCode = "404", description = "no such account, or it has no second factor")
    @APIResponse(responseCode = "409", description = "a change of this administrator's account already waits",
            content = @Content(mediaType = "application/problem+json"))
    public Response resetTotp(@PathParam("id") String id) {
        AdminChanges.Outcome outcome = changes.totpReset(uuid(id), caller.getPrincipal().getName());
        return outcome.pending() != null ? Response.status(202).entity(AdminChangeView.of(outcome.pending())).build()
                : Response.noContent().build();
    }

    @DELETE
    @Path("{id}/login-lock")
    @RolesAllowed("admin")
    @Operation(summary = "Lift every lock of the account's password login: its login name's soft delay and the "
            + "locks of the name from each source (after the holder's identity was checked). Role admin.")
    @APIResponse(responseCode = "204", description = "lifted, or there was none")
    @APIResponse(responseCode = "404", description = "no such account")
    public Response unlockLogin(@PathParam("id") String id) {
        accounts.unlockLogin(uuid(id), caller.getPrincipal().getName());
        return Response.noContent().build();
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("id", "不是有效的账户编号 / not a valid account id");
        }
    }
}
