package cn.onenet.identity.rest.oidc;

import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;

import cn.onenet.identity.service.ClientAuthenticator;
import cn.onenet.identity.service.OAuthFailure;
import cn.onenet.identity.service.RegisteredClient;
import cn.onenet.identity.service.RevocationList;

/**
 * The revocation list for the suite's resource servers, the catalog and the exchange, and for the gateway (client
 * authentication with their own client's secret, HTTP Basic; {@link RevocationList#mayRead}); any other client 403
 * {@code unauthorized_client}.
 */
@Path("/oidc/revocations")
@Tag(name = "OpenID Connect")
@PermitAll
public class RevocationListResource {

    /** The list as served. */
    public record RevocationListView(String asOf, String lookback, List<String> grants, List<String> tokens,
            List<String> clients) {
    }

    private final ClientAuthenticator authenticator;
    private final RevocationList list;

    public RevocationListResource(ClientAuthenticator authenticator, RevocationList list) {
        this.authenticator = authenticator;
        this.list = list;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Access tokens to refuse although their signature verifies (suite services and gateway only)",
            description = "Grants revoked within one access-token lifetime (a user access token's jti starts with its "
                    + "grant id and a dot), single access tokens revoked until they expire, and disabled clients "
                    + "(their client-credentials tokens). Client authentication (HTTP Basic) of `catalog-service`, "
                    + "`data-exchange-service` or `gateway`; another client 403 `unauthorized_client`, bad credentials "
                    + "401 `invalid_client`.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "one account disabled, one token revoked", value = """
                    {"asOf":"2026-12-07T11:20:05.114+08:00","lookback":"PT6M",
                     "grants":["0b6f3c52-5d0e-4b8a-9a51-6f1c2d7e9a10"],
                     "tokens":["8d1e2f30-44a5-4b6c-8d7e-9f0a1b2c3d4e.3"],"clients":["old-portal"]}""")))
    public Response current(@Context HttpHeaders headers) {
        RegisteredClient client;
        ClientSecretBasic credentials = null;
        try {
            String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
            credentials = authorization == null ? null : ClientSecretBasic.parse(authorization);
            client = authenticator.authenticate(credentials);
        } catch (ParseException e) {
            return NimbusHttp.tokenError(OAuth2Error.INVALID_CLIENT.setDescription("malformed client authentication"),
                    headers);
        } catch (OAuthFailure e) {
            NimbusHttp.logFailedClientAuthentication("/oidc/revocations", credentials, e);
            return NimbusHttp.tokenError(e.error(), headers);
        }
        if (!RevocationList.mayRead(client.clientId())) {
            ErrorObject refused = OAuth2Error.UNAUTHORIZED_CLIENT.setHTTPStatusCode(403)
                    .setDescription("only the suite's resource servers and its gateway read the revocation list");
            return NimbusHttp.tokenError(refused, headers);
        }
        RevocationList.Snapshot now = list.current();
        return Response.ok(new RevocationListView(now.asOf().toString(), now.lookback().toString(), now.grants(),
                now.tokens(), now.clients())).header("Cache-Control", "no-store").build();
    }
}
