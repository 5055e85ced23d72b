package cn.onenet.identity.rest.oidc;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;

import cn.onenet.identity.service.ClientAuthenticator;
import cn.onenet.identity.service.TokenValidation;

/** Token introspection (RFC 7662) for authenticated clients. */
@Path("/oidc/introspect")
@Tag(name = "OpenID Connect")
@PermitAll
public class IntrospectionResource {

    private final ClientAuthenticator authenticator;
    private final TokenValidation validation;

    public IntrospectionResource(ClientAuthenticator authenticator, TokenValidation validation) {
        this.authenticator = authenticator;
        this.validation = validation;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Introspect an access or refresh token. Needs client authentication.")
    public Response introspect(String body, @Context UriInfo uri, @Context HttpHeaders headers) {
        NimbusHttp.Authenticated<TokenIntrospectionRequest> call = NimbusHttp.authenticated(body, uri, headers,
                TokenIntrospectionRequest::parse, authenticator);
        if (call.error() != null) {
            return call.error();
        }
        return NimbusHttp.response(validation.introspect(call.request().getToken().getValue(), call.client())
                .toHTTPResponse());
    }
}
