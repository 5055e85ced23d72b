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

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;

import cn.onenet.identity.service.ClientAuthenticator;
import cn.onenet.identity.service.OAuthFailure;
import cn.onenet.identity.service.RegisteredClient;
import cn.onenet.identity.service.TokenValidation;
import io.vertx.core.http.HttpServerRequest;

/** Token revocation (RFC 7009): a refresh token revokes its whole family; an access token is put on the deny list. */
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
    @Operation(summary = "Revoke an access or refresh token. Needs client authentication; unknown tokens answer 200.")
    public Response revoke(String body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        if (NimbusHttp.tooLarge(body)) {
            return NimbusHttp.tokenError(OAuth2Error.INVALID_REQUEST, headers);
        }
        TokenRevocationRequest request;
        try {
            request = TokenRevocationRequest.parse(NimbusHttp.request("POST", uri, headers, body));
        } catch (ParseException e) {
            return NimbusHttp.tokenError(e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject(),
                    headers);
        } catch (RuntimeException e) {
            return NimbusHttp.tokenError(OAuth2Error.INVALID_REQUEST, headers);
        }
        RegisteredClient client;
        try {
            client = authenticator.authenticate(request.getClientAuthentication());
        } catch (OAuthFailure e) {
            return NimbusHttp.tokenError(e.error(), headers);
        }
        validation.revoke(request.getToken().getValue(), client, NimbusHttp.ip(http));
        return Response.ok().header("Cache-Control", "no-store").build();
    }
}
