package cn.onenet.identity.rest.oidc;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
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

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.service.RequestParameters;
import cn.onenet.identity.service.TokenService;
import cn.onenet.identity.service.TokenValidation;
import io.vertx.core.http.HttpServerRequest;

/**
 * UserInfo (OpenID Connect Core §5.3), GET or POST, token in the Authorization header or the form body; a token in
 * the URL query, or sent by two methods at once, is {@code 400 invalid_request} (RFC 6750 §2). An invalid
 * token is {@code 401 invalid_token}; a valid one without the {@code openid} scope (of no OpenID Connect login) is
 * {@code 403 insufficient_scope} (RFC 6750 §3.1).
 */
@Path("/oidc/userinfo")
@Tag(name = "OpenID Connect")
@PermitAll
public class UserInfoResource {

    /** Copied from the access token; the personal data the scopes disclose is read from the account. */
    private static final Set<String> USER_CLAIMS = Set.of("roles", "dept", "region", "competent_authority",
            "account_type", "uscc", "act", "acr");

    private final TokenValidation validation;

    public UserInfoResource(TokenValidation validation) {
        this.validation = validation;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "UserInfo by GET with a Bearer access token.")
    public Response get(@Context UriInfo uri, @Context HttpHeaders headers, @Context HttpServerRequest http) {
        return userInfo("GET", null, uri, headers);
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "UserInfo by POST, token in the header or as access_token form parameter.")
    public Response post(String body, @Context UriInfo uri, @Context HttpHeaders headers) {
        if (NimbusHttp.tooLarge(body)) {
            return error(BearerTokenError.INVALID_REQUEST);
        }
        return userInfo("POST", body, uri, headers);
    }

    private Response userInfo(String method, String body, UriInfo uri, HttpHeaders headers) {
        boolean inHeader = headers.getHeaderString(HttpHeaders.AUTHORIZATION) != null;
        boolean inBody = body != null && URLUtils.parseParameters(body).containsKey("access_token");
        if (uri.getQueryParameters().containsKey("access_token")) {
            // RFC 6750 §2.3 (URI query) is not offered: such tokens leak through history, logs and Referer
            return error(BearerTokenError.INVALID_REQUEST.setDescription(
                    "send the access token in the Authorization header or the form body, not in the URL"));
        }
        String repeated = body == null ? null : RequestParameters.repeated(URLUtils.parseParameters(body));
        if (repeated != null) {
            return error(BearerTokenError.INVALID_REQUEST.setDescription(RequestParameters.description(repeated)));
        }
        if (inHeader && inBody) {
            // RFC 6750 §2: clients MUST NOT use more than one method
            return error(BearerTokenError.INVALID_REQUEST.setDescription(
                    "the access token was sent by more than one method"));
        }
        UserInfoRequest request;
        try {
            request = UserInfoRequest.parse(NimbusHttp.request(method, uri, headers, body));
        } catch (ParseException | RuntimeException e) {
            return error(BearerTokenError.MISSING_TOKEN);
        }
        if (request.getAccessToken() == null) {
            return error(BearerTokenError.MISSING_TOKEN);
        }
        JWTClaimsSet claims = validation.activeAnyAudience(request.getAccessToken().getValue()).orElse(null);
        if (claims == null) {
            return error(BearerTokenError.INVALID_TOKEN);
        }
        if (!TokenValidation.openIdUserToken(claims)) {
            return error(BearerTokenError.INSUFFICIENT_SCOPE.setScope(new Scope("openid")));
        }
        UserInfo info = new UserInfo(new com.nimbusds.oauth2.sdk.id.Subject(claims.getSubject()));
        for (Map.Entry<String, Object> claim : claims.getClaims().entrySet()) {
            if (USER_CLAIMS.contains(claim.getKey())) {
                info.setClaim(claim.getKey(), claim.getValue());
            }
        }
        Account account = account(claims.getSubject());
        if (account != null) {
            Object scope = claims.getClaim("scope");
            Set<String> scopes = scope instanceof String s ? Set.copyOf(Scope.parse(s).toStringList()) : Set.of();
            TokenService.disclosed(account, scopes).forEach(info::setClaim);
        }
        return NimbusHttp.response(new UserInfoSuccessResponse(info).toHTTPResponse());
    }

    /** The account a user token's {@code sub} names (the enterprise's when an agent acts for it), or null. */
    @Transactional
    Account account(String subject) {
        try {
            return Account.findById(UUID.fromString(subject));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Response error(BearerTokenError error) {
        return NimbusHttp.response(new UserInfoErrorResponse(error).toHTTPResponse());
    }

}
