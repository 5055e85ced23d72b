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

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;

import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.ClientAuthenticator;
import cn.onenet.identity.service.OAuthFailure;
import cn.onenet.identity.service.RegisteredClient;
import cn.onenet.identity.service.TokenIssuer;
import io.vertx.core.http.HttpServerRequest;

/** The token endpoint (RFC 6749 §3.2): authorization_code, refresh_token, client_credentials. */
@Path("/oidc/token")
@Tag(name = "OpenID Connect")
@PermitAll
public class TokenResource {

    private final ClientAuthenticator authenticator;
    private final TokenIssuer issuer;
    private final AuditService audit;

    public TokenResource(ClientAuthenticator authenticator, TokenIssuer issuer, AuditService audit) {
        this.authenticator = authenticator;
        this.issuer = issuer;
        this.audit = audit;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Token endpoint. Client authentication: client_secret_basic, client_secret_post, private_key_jwt.")
    public Response token(String body, @Context UriInfo uri, @Context HttpHeaders headers,
            @Context HttpServerRequest http) {
        if (NimbusHttp.tooLarge(body)) {
            return NimbusHttp.tokenError(OAuth2Error.INVALID_REQUEST.setDescription("request too large"), headers);
        }
        String nul = FormBodies.nulField(body);
        if (nul != null) {
            return NimbusHttp.tokenError(OAuth2Error.INVALID_REQUEST.setDescription(FormBodies.description(nul)),
                    headers);
        }
        TokenRequest request;
        HTTPRequest httpRequest = NimbusHttp.request("POST", uri, headers, body);
        ErrorObject malformed = NimbusHttp.credentialsInQuery(uri);
        if (malformed != null) {
            // a secret in a URL has likely been logged on the way: the administrators learn of it from the audit trail
            audit.record("CLIENT_AUTH", false, null, null, null, NimbusHttp.ip(http), malformed.getDescription());
            return NimbusHttp.tokenError(malformed, headers);
        }
        malformed = NimbusHttp.malformedBasic(httpRequest);
        if (malformed != null) {
            audit.record("CLIENT_AUTH", false, null, null, null, NimbusHttp.ip(http), malformed.getDescription());
            return NimbusHttp.tokenError(malformed, headers);
        }
        malformed = NimbusHttp.severalAuthenticationMethods(httpRequest);
        if (malformed == null) {
            malformed = NimbusHttp.repeatedParameter(httpRequest);
        }
        if (malformed == null) {
            malformed = NimbusHttp.unsupportedGrantType(httpRequest);
        }
        if (malformed != null) {
            return NimbusHttp.tokenError(malformed, headers);
        }
        try {
            request = TokenRequest.parse(httpRequest);
        } catch (ParseException e) {
            return NimbusHttp.tokenError(NimbusHttp.parseError(httpRequest, e), headers);
        } catch (RuntimeException e) {
            return NimbusHttp.tokenError(OAuth2Error.INVALID_REQUEST, headers);
        }
        String ip = NimbusHttp.ip(http);
        ErrorObject conflict = NimbusHttp.clientIdConflict(httpRequest, request.getClientAuthentication());
        if (conflict != null) {
            audit.record("CLIENT_AUTH", false, null, null, request.getClientAuthentication().getClientID().getValue(),
                    ip, conflict.getDescription());
            return NimbusHttp.tokenError(conflict, headers);
        }
        RegisteredClient client;
        try {
            client = authenticator.authenticate(request.getClientAuthentication());
        } catch (OAuthFailure e) {
            audit.record("CLIENT_AUTH", false, null, null,
                    request.getClientAuthentication() == null ? null
                            : request.getClientAuthentication().getClientID().getValue(),
                    ip, e.detail());
            return NimbusHttp.tokenError(e.error(), headers);
        }
        try {
            return NimbusHttp.response(issuer.issue(client, request, ip).toHTTPResponse());
        } catch (OAuthFailure e) {
            return NimbusHttp.tokenError(e.error(), headers);
        }
    }
}
