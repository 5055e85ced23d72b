package cn.onenet.identity.rest.oidc;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.langtag.LangTag;
import com.nimbusds.langtag.LangTagException;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.claims.ACR;
import com.nimbusds.openid.connect.sdk.claims.ClaimType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.service.Acr;
import cn.onenet.identity.service.ClientAuthenticator;

/**
 * OpenID Connect Discovery, and the same metadata as RFC 8414 authorization server metadata: every URL is built from
 * the configured issuer. RFC 8414 §3 puts it at {@code /.well-known/oauth-authorization-server/oidc} for the issuer
 * {@code <host>/oidc} ({@link WellKnownResource}); {@code /oidc/.well-known/oauth-authorization-server} is where
 * clients written for OpenID Connect's placement look (RFC 8414 §5, as Keycloak serves it under the realm).
 */
@Path("/oidc/.well-known")
@Tag(name = "OpenID Connect")
@PermitAll
public class DiscoveryResource {

    private final String json;

    public DiscoveryResource(IdentityConfig config) {
        this.json = json(config);
    }

    static OIDCProviderMetadata metadata(String issuer) {
        OIDCProviderMetadata m = new OIDCProviderMetadata(new Issuer(issuer), List.of(SubjectType.PUBLIC),
                URI.create(issuer + "/jwks"));
        m.setAuthorizationEndpointURI(URI.create(issuer + "/authorize"));
        m.setTokenEndpointURI(URI.create(issuer + "/token"));
        m.setUserInfoEndpointURI(URI.create(issuer + "/userinfo"));
        m.setIntrospectionEndpointURI(URI.create(issuer + "/introspect"));
        m.setRevocationEndpointURI(URI.create(issuer + "/revoke"));
        m.setEndSessionEndpointURI(URI.create(issuer + "/logout"));
        m.setScopes(Scope.parse("openid profile email phone id_number offline_access"));
        m.setResponseTypes(List.of(ResponseType.CODE));
        m.setResponseModes(List.of(ResponseMode.QUERY, ResponseMode.FRAGMENT, ResponseMode.FORM_POST));
        m.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS));
        m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        // create is not offered (no registration page): prompt=create is answered invalid_request
        m.setPromptTypes(List.of(Prompt.Type.NONE, Prompt.Type.LOGIN, Prompt.Type.CONSENT, Prompt.Type.SELECT_ACCOUNT));
        List<ClientAuthenticationMethod> auth = List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.PRIVATE_KEY_JWT);
        m.setTokenEndpointAuthMethods(auth);
        // RFC 8414 §2: required wherever private_key_jwt is listed; the same check serves all three endpoints
        m.setTokenEndpointJWSAlgs(ClientAuthenticator.ASSERTION_ALGS);
        m.setIntrospectionEndpointAuthMethods(auth);
        m.setIntrospectionEndpointJWSAlgs(ClientAuthenticator.ASSERTION_ALGS);
        m.setRevocationEndpointAuthMethods(auth);
        m.setRevocationEndpointJWSAlgs(ClientAuthenticator.ASSERTION_ALGS);
        m.setIDTokenJWSAlgs(List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256));
        m.setSupportsAuthorizationResponseIssuerParam(true);
        m.setACRs(Acr.VALUES.stream().map(ACR::new).toList());
        m.setClaimTypes(List.of(ClaimType.NORMAL));
        m.setClaims(List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "sid",
                "name", "email", "email_verified", "phone_number", "phone_number_verified", "roles", "dept", "region",
                "competent_authority", "account_type", "cn_id", "uscc", "act"));
        try {
            m.setUILocales(List.of(LangTag.parse("zh-CN"), LangTag.parse("en")));
        } catch (LangTagException e) {
            throw new IllegalStateException(e);
        }
        m.setSupportsBackChannelLogout(true);
        m.setSupportsBackChannelLogoutSession(true);
        m.setSupportsRequestParam(false);
        m.setSupportsRequestURIParam(false);
        m.setSupportsClaimsParams(false);
        return m;
    }

    @GET
    @Path("openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "OpenID Provider metadata (OpenID Connect Discovery 1.0). Public.")
    public Response discovery() {
        return document(json);
    }

    @GET
    @Path("oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorization server metadata (RFC 8414), the same document. Public.")
    public Response authorizationServer() {
        return document(json);
    }

    static String json(IdentityConfig config) {
        return metadata(config.issuer()).toJSONObject().toJSONString();
    }

    static Response document(String json) {
        return Response.ok(json).header("Cache-Control", "public, max-age=300")
                .header("Access-Control-Allow-Origin", "*").build();
    }
}
