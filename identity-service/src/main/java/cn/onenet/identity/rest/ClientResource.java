package cn.onenet.identity.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.rest.AdminViews.ClientCreated;
import cn.onenet.identity.rest.AdminViews.ClientView;
import cn.onenet.identity.service.ClientService;
import cn.onenet.identity.service.ListPage;
import io.quarkus.security.identity.SecurityIdentity;

/** Registration of department systems as OAuth clients. Admins only. */
@Path("/api/identity/v1/clients")
@Tag(name = "Clients")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ClientResource {

    /** A department system calling the suite's APIs, and a department's web application signing citizens in. */
    private static final String SYSTEM = """
            {"clientId": "rst-social-security", "name": "浙江省人力资源和社会保障厅社保经办系统",
             "authMethod": "client_secret_basic", "grantTypes": ["client_credentials"],
             "scopes": ["catalog", "exchange"], "audiences": ["onenet-catalog", "onenet-exchange"], "roles": ["system"],
             "departmentCode": "11330000002481060E", "firstParty": false, "minLevel": 1}""";
    private static final String WEB_APPLICATION = """
            {"clientId": "bdc-online-registration", "name": "浙江省不动产登记网上办事系统", "authMethod": "private_key_jwt",
             "grantTypes": ["authorization_code", "refresh_token"],
             "redirectUris": ["https://bdc.zj.gov.cn/oidc/callback"],
             "postLogoutRedirectUris": ["https://bdc.zj.gov.cn/"],
             "backchannelLogoutUri": "https://bdc.zj.gov.cn/oidc/backchannel-logout",
             "scopes": ["openid", "profile", "id_number", "offline_access"], "audiences": [],
             "departmentCode": "123300004701410402", "firstParty": false,
             "jwksUri": "https://bdc.zj.gov.cn/.well-known/jwks.json", "signingAlg": "RS256", "minLevel": 3}""";

    private final ClientService clients;
    private final SecurityIdentity caller;

    public ClientResource(ClientService clients, SecurityIdentity caller) {
        this.clients = clients;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List registered clients, one page at a time, by client id or name, department and status; "
            + "the X-Total-Count header counts every match. Role admin.")
    @APIResponse(responseCode = "200", description = "one page of clients, ordered by client id (no secrets)",
            headers = @Header(name = "X-Total-Count", description = "how many clients match, on all pages",
                    schema = @Schema(type = SchemaType.INTEGER, example = "12")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = ClientView.class),
                    examples = @ExampleObject(name = "a page of clients", value = "[" + AdminViews.WEB_CLIENT + ", "
                            + AdminViews.SYSTEM_CLIENT + "]")))
    @APIResponse(responseCode = "400", description = "a bad filter, a negative page or a size outside 1..200; "
            + "the problem names the field")
    public Response list(
            @Parameter(description = "part of the client id or the name, case-insensitive, at most 100 characters",
                    example = "bdc") @QueryParam("q") String q,
            @Parameter(description = "统一社会信用代码 of the client's department (deactivated ones too)",
                    example = "123300004701410402") @QueryParam("department") String department,
            @Parameter(description = "enabled or disabled (any case)", example = "enabled")
            @QueryParam("status") String status,
            @Parameter(description = "page number from 0", example = "0") @QueryParam("page") Integer page,
            @Parameter(description = "page size, 1..200 (default 50)", example = "50") @QueryParam("size") Integer size) {
        ListPage<OAuthClient> found = clients.search(new ClientService.ClientQuery(q, department, status, page, size));
        return Response.ok(found.items().stream().map(ClientView::of).toList())
                .header("X-Total-Count", found.total()).build();
    }

    @GET
    @Path("{clientId}")
    @Operation(summary = "One client. Role admin.")
    @APIResponse(responseCode = "200", description = "the client (never its secret)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClientView.class), examples = {
                            @ExampleObject(name = "department system", value = AdminViews.SYSTEM_CLIENT),
                            @ExampleObject(name = "web application", value = AdminViews.WEB_CLIENT) }))
    public ClientView get(@PathParam("clientId") String clientId) {
        return ClientView.of(clients.get(clientId));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a client; the secret (for client_secret_* methods) is returned once. Role admin.",
            description = "audiences: the suite APIs its tokens are for; none when omitted (its user tokens then serve "
                    + "only UserInfo). onenet-identity (this service's own API) only for a first-party client.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "department system", value = SYSTEM),
            @ExampleObject(name = "web application", value = WEB_APPLICATION) }))
    @APIResponse(responseCode = "201", description = "the client; its secret shown this once",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ClientCreated.class)))
    public Response create(@NotNull ClientService.Registration registration) {
        ClientService.Saved saved = clients.create(registration, null, caller.getPrincipal().getName());
        return Response.status(201).entity(new ClientCreated(ClientView.of(saved.client()), saved.secret())).build();
    }

    @PUT
    @Path("{clientId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update a client (optimistic locking with ?version=). Role admin.",
            description = "Replaces the registration, except that omitted audiences keep the registered ones; "
                    + "onenet-identity only for a first-party client.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "department system", value = SYSTEM),
            @ExampleObject(name = "web application", value = WEB_APPLICATION) }))
    public ClientCreated update(@PathParam("clientId") String clientId, @QueryParam("version") Long version,
            @NotNull ClientService.Registration registration) {
        ClientService.Saved saved = clients.update(clientId, registration, version, caller.getPrincipal().getName());
        return new ClientCreated(ClientView.of(saved.client()), saved.secret());
    }

    @POST
    @Path("{clientId}/secret")
    @Operation(summary = "Issue a new client secret (shown once); the old one stops working (optimistic locking with "
            + "?version=). Role admin.", description = "The client's client-credentials tokens obtained so far (with "
            + "the old secret, maybe by whoever it leaked to) are revoked at once: inactive at introspection and on "
            + "the revocation list. Users' grants stay: their refresh tokens need the client's authentication, "
            + "which now takes the new secret; disable the client to end them too.")
    public ClientCreated rotateSecret(@PathParam("clientId") String clientId, @QueryParam("version") Long version) {
        ClientService.Saved saved = clients.rotateSecret(clientId, version, caller.getPrincipal().getName());
        return new ClientCreated(ClientView.of(saved.client()), saved.secret());
    }

    @POST
    @Path("{clientId}/disable")
    @Operation(summary = "Disable a client (optimistic locking with ?version=). Role admin.")
    public ClientView disable(@PathParam("clientId") String clientId, @QueryParam("version") Long version) {
        return ClientView.of(clients.setEnabled(clientId, false, version, caller.getPrincipal().getName()));
    }

    @POST
    @Path("{clientId}/enable")
    @Operation(summary = "Enable a client (optimistic locking with ?version=). Role admin. A client whose id starts "
            + "with onenet- (registered before that prefix was reserved for the suite's APIs; disabled by the "
            + "migration V36) is not enabled again: 409 naming clientId.")
    public ClientView enable(@PathParam("clientId") String clientId, @QueryParam("version") Long version) {
        return ClientView.of(clients.setEnabled(clientId, true, version, caller.getPrincipal().getName()));
    }
}
