package cn.onenet.identity.rest.oidc;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.nimbusds.oauth2.sdk.TokenRevocationRequest;

import cn.onenet.identity.service.ClientAuthenticator;
import cn.onenet.identity.service.OAuthFailure;
import cn.onenet.identity.service.TokenValidation;
import io.vertx.core.http.HttpServerRequest;

/**
 * Token revocation (RFC 7009): a refresh token revokes its whole family; an access token is put on the deny list. A
 * token of another client is refused with {@code unauthorized_client} and stays valid.
 */
@Path("/oidc/revoke")
@Tag(name = "OpenID Connect")
@PermitAll
public class RevocationResource {

    private final ClientAuthenticator authenticator;
    private final TokenValidation validation;

    public RevocationResource(ClientAuthenticator authenticator, TokenValidation validation) {
        this.authenticator = authenticator;
        this.validation = validation;
    }

    @POST
    @Operation(summary = "Revoke an access or refresh token. Needs client authentication; unknown tokens answer 200, "
            + "another client's token 400 unauthorized_client.")
    public Response revoke(String body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        NimbusHttp.Authenticated<TokenRevocationRequest> call = NimbusHttp.authenticated(body, uri, headers,
                TokenRevocationRequest::parse, authenticator);
        if (call.error() != null) {
            return call.error();
        }
        try {
            validation.revoke(call.request().getToken().getValue(), call.client(), NimbusHttp.ip(http));
        } catch (OAuthFailure e) {
            return NimbusHttp.tokenError(e.error(), headers);
        }
        return Response.ok().header("Cache-Control", "no-store").build();
    }
}
