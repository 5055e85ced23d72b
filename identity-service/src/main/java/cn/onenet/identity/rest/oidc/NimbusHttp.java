package cn.onenet.identity.rest.oidc;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.nimbusds.oauth2.sdk.AbstractOptionallyAuthenticatedRequest;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.JWTAuthentication;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;

import org.jboss.logging.Logger;

import cn.onenet.common.logging.LogText;
import cn.onenet.identity.service.ClientAuthenticator;
import cn.onenet.identity.service.OAuthFailure;
import cn.onenet.identity.service.RegisteredClient;
import cn.onenet.identity.service.RequestParameters;
import io.vertx.core.http.HttpServerRequest;

/** Bridges JAX-RS and the Nimbus HTTP model, so every protocol message is parsed and written by the SDK. */
public final class NimbusHttp {

    private static final Logger LOG = Logger.getLogger(NimbusHttp.class);

    /** Largest form body the protocol endpoints read. */
    static final int MAX_BODY = 64 * 1024;

    private NimbusHttp() {
    }

    static HTTPRequest request(String method, UriInfo uri, HttpHeaders headers, String body) {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.valueOf(method), uri.getRequestUri());
        String contentType = headers.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            try {
                request.setContentType(contentType);
            } catch (ParseException e) {
                // an unparseable content type stays unset; the SDK then refuses the body
            }
        }
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            request.setAuthorization(authorization);
        }
        if (body != null && !body.isEmpty()) {
            request.setBody(body);
        }
        return request;
    }

    static Response response(HTTPResponse http) {
        Response.ResponseBuilder builder = Response.status(http.getStatusCode());
        for (Map.Entry<String, List<String>> header : http.getHeaderMap().entrySet()) {
            for (String value : header.getValue()) {
                builder.header(header.getKey(), value);
            }
        }
        if (http.getBody() != null) {
            builder.entity(http.getBody());
        }
        if (http.getHeaderValue("Cache-Control") == null) {
            // the SDK sets it on token and error responses; added once where it does not
            builder.header("Cache-Control", "no-store");
        }
        return builder.build();
    }

    static Response tokenError(ErrorObject error, HttpHeaders headers) {
        HTTPResponse http = new TokenErrorResponse(error).toHTTPResponse();
        Response response = response(http);
        if (error.getHTTPStatusCode() == 401) {
            // RFC 6749 §5.2: the client_secret_basic scheme, whichever method the client used
            return Response.fromResponse(response).header("WWW-Authenticate", "Basic realm=\"onenet\"").build();
        }
        return response;
    }

    /**
     * The OAuth error for a body the SDK refuses to parse. A client assertion it cannot read (one without {@code exp},
     * say) is a failed client authentication, so {@code invalid_client} (RFC 7523 §3.2), not {@code invalid_request};
     * so is a form that names no client at all (RFC 6749 §5.2).
     */
    static ErrorObject parseError(HTTPRequest request, ParseException e) {
        if (namesNoClient(request)) {
            // RFC 6749 §5.2: "no client authentication included" is invalid_client (401), whatever else is missing
            return OAuth2Error.INVALID_CLIENT.setDescription("client authentication required");
        }
        if (form(request).containsKey("client_assertion")) {
            try {
                JWTAuthentication.parse(request);
            } catch (ParseException | RuntimeException bad) {
                return OAuth2Error.INVALID_CLIENT.setDescription("client assertion refused: " + bad.getMessage());
            }
        }
        return e.getErrorObject() == null ? OAuth2Error.INVALID_REQUEST : e.getErrorObject();
    }

    /**
     * Whether a form request names no client at all: no {@code Authorization} header, and no {@code client_id},
     * {@code client_secret} or {@code client_assertion} among its parameters. An empty body, or one that is not a
     * form, is malformed ({@code invalid_request}) before anything can be said about its client.
     */
    private static boolean namesNoClient(HTTPRequest request) {
        if (request.getAuthorization() != null) {
            return false;
        }
        Map<String, List<String>> form;
        try {
            form = request.getBodyAsFormParameters();
        } catch (ParseException | RuntimeException notAForm) {
            return false;
        }
        return form != null && !form.isEmpty() && !form.containsKey("client_id") && !form.containsKey("client_secret")
                && !form.containsKey("client_assertion");
    }

    /**
     * An {@code Authorization: Basic} header that does not hold a client id and secret ({@code Basic !!!}, or Base64
     * without a colon): {@code invalid_client}, which {@link #tokenError} answers 401 with {@code WWW-Authenticate},
     * since RFC 6749 §5.2 asks for that whenever the client tried to authenticate by the header, like a wrong secret.
     * Null when there is no such header or it parses.
     */
    static ErrorObject malformedBasic(HTTPRequest request) {
        String authorization = request.getAuthorization();
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic", 0, 5)
                || authorization.length() > 5 && !Character.isWhitespace(authorization.charAt(5))) {
            return null;
        }
        try {
            ClientSecretBasic.parse(authorization);
            return null;
        } catch (ParseException | RuntimeException e) {
            return OAuth2Error.INVALID_CLIENT.setDescription("malformed client authentication");
        }
    }

    /** The client authentication parameters, which RFC 6749 §2.3.1 and RFC 7523 §2.2 allow in the body only. */
    private static final List<String> CLIENT_AUTH_PARAMETERS = List.of("client_id", "client_secret",
            "client_assertion", "client_assertion_type");

    /**
     * Client authentication parameters in the request URI's query: {@code invalid_request} naming the first, even when
     * the body authenticates the client correctly. RFC 6749 §2.3.1 says they "MUST NOT be included in the request URI"
     * (the URI ends up in access logs, proxies and browser history), and ignoring them would let a client keep leaking
     * its secret unnoticed. Null when the query holds none.
     */
    static ErrorObject credentialsInQuery(UriInfo uri) {
        Map<String, List<String>> query = uri.getQueryParameters();
        for (String name : CLIENT_AUTH_PARAMETERS) {
            if (query.containsKey(name)) {
                return OAuth2Error.INVALID_REQUEST.setDescription(name
                        + " must not be sent in the request URI: client authentication goes in the Authorization "
                        + "header or the form body (RFC 6749 section 2.3.1)");
            }
        }
        return null;
    }

    /**
     * Credentials sent by more than one method (the {@code Authorization} header and a {@code client_secret} or
     * {@code client_assertion} in the body, or both of those): {@code invalid_request}, since RFC 6749 §2.3 allows one
     * method per request and §5.2 names this case. Null when there is at most one.
     */
    static ErrorObject severalAuthenticationMethods(HTTPRequest request) {
        Map<String, List<String>> form = form(request);
        int methods = (request.getAuthorization() != null ? 1 : 0) + (form.containsKey("client_secret") ? 1 : 0)
                + (form.containsKey("client_assertion") ? 1 : 0);
        return methods > 1 ? OAuth2Error.INVALID_REQUEST.setDescription(
                "client credentials sent by more than one authentication method") : null;
    }

    /**
     * A form parameter given more than once, even with the same value: {@code invalid_request} (RFC 6749 §3.2), which
     * the SDK would let through for equal values. Null when there is none.
     */
    static ErrorObject repeatedParameter(HTTPRequest request) {
        String name = RequestParameters.repeated(form(request));
        return name == null ? null : OAuth2Error.INVALID_REQUEST.setDescription(RequestParameters.description(name));
    }

    /**
     * A {@code grant_type} this provider does not offer: {@code unsupported_grant_type} (RFC 6749 §5.2), read before
     * the request is parsed, since the SDK knows grants we do not offer (jwt-bearer, device_code, token-exchange,
     * password, …) and would first answer {@code invalid_request} about one of their parameters. Null when the grant
     * type is offered or missing (the parse says what is wrong then), and for a request naming no client, which
     * stays {@code invalid_client}.
     */
    static ErrorObject unsupportedGrantType(HTTPRequest request) {
        List<String> grant = form(request).get("grant_type");
        if (grant == null || grant.size() != 1 || grant.get(0).isBlank()
                || cn.onenet.identity.service.TokenIssuer.SUPPORTED.contains(grant.get(0)) || namesNoClient(request)) {
            return null;
        }
        return OAuth2Error.UNSUPPORTED_GRANT_TYPE.setDescription(
                "supported: authorization_code, refresh_token, client_credentials");
    }

    /** The form body's parameters; empty when the body is not a form. */
    private static Map<String, List<String>> form(HTTPRequest request) {
        try {
            Map<String, List<String>> form = request.getBodyAsFormParameters();
            return form == null ? Map.of() : form;
        } catch (ParseException | RuntimeException notAForm) {
            return Map.of();
        }
    }

    /**
     * A {@code client_id} in the body that names another client than the request authenticates as (with
     * {@code client_secret_basic}, say): {@code invalid_request}, so neither client gets tokens or answers from a
     * request that names both. Null when there is none.
     */
    static ErrorObject clientIdConflict(HTTPRequest request, ClientAuthentication auth) {
        if (auth == null) {
            return null;
        }
        List<String> named = form(request).get("client_id");
        if (named == null || named.stream().allMatch(auth.getClientID().getValue()::equals)) {
            return null;
        }
        return OAuth2Error.INVALID_REQUEST.setDescription("client_id does not name the authenticated client");
    }

    /** A parser of one kind of Nimbus request, e.g. {@code TokenRevocationRequest::parse}. */
    interface Parser<T> {
        T parse(HTTPRequest request) throws ParseException;
    }

    /** Either a parsed request with its authenticated client, or the OAuth error response to send instead. */
    record Authenticated<T>(T request, RegisteredClient client, Response error) {
    }

    /**
     * Parses a client-authenticated endpoint's body (introspection, revocation) and authenticates the client:
     * oversized, malformed (a NUL character included) or unauthenticated requests get the RFC 6749 §5.2 error, never
     * an exception.
     */
    static <T extends AbstractOptionallyAuthenticatedRequest> Authenticated<T> authenticated(String body, UriInfo uri,
            HttpHeaders headers, Parser<T> parser, ClientAuthenticator authenticator) {
        if (tooLarge(body)) {
            return new Authenticated<>(null, null, tokenError(OAuth2Error.INVALID_REQUEST, headers));
        }
        String nul = FormBodies.nulField(body);
        if (nul != null) {
            return new Authenticated<>(null, null,
                    tokenError(OAuth2Error.INVALID_REQUEST.setDescription(FormBodies.description(nul)), headers));
        }
        T request;
        HTTPRequest http = request("POST", uri, headers, body);
        ErrorObject malformed = credentialsInQuery(uri);
        if (malformed == null) {
            malformed = malformedBasic(http);
        }
        if (malformed == null) {
            malformed = severalAuthenticationMethods(http);
        }
        if (malformed == null) {
            malformed = repeatedParameter(http);
        }
        if (malformed != null) {
            return new Authenticated<>(null, null, tokenError(malformed, headers));
        }
        try {
            request = parser.parse(http);
        } catch (ParseException e) {
            return new Authenticated<>(null, null, tokenError(parseError(http, e), headers));
        } catch (RuntimeException e) {
            return new Authenticated<>(null, null, tokenError(OAuth2Error.INVALID_REQUEST, headers));
        }
        ErrorObject conflict = clientIdConflict(http, request.getClientAuthentication());
        if (conflict != null) {
            return new Authenticated<>(null, null, tokenError(conflict, headers));
        }
        try {
            return new Authenticated<>(request, authenticator.authenticate(request.getClientAuthentication()), null);
        } catch (OAuthFailure e) {
            logFailedClientAuthentication(uri.getPath(), request.getClientAuthentication(), e);
            return new Authenticated<>(null, null, tokenError(e.error(), headers));
        }
    }

    /**
     * The answer says only "client authentication failed" (it must not tell which client ids exist); the precise
     * reason goes to the service log here, as the token endpoint keeps it in its {@code CLIENT_AUTH} audit row. Not
     * audited: resource servers poll these endpoints, and a misconfigured one would fill the audit log.
     */
    static void logFailedClientAuthentication(String endpoint, ClientAuthentication authentication, OAuthFailure e) {
        LOG.infof("client authentication failed at %s for client %s: %s", LogText.escaped(endpoint),
                authentication == null ? "(none)" : LogText.escaped(authentication.getClientID().getValue()),
                LogText.escaped(e.detail()));
    }

    static boolean tooLarge(String body) {
        return body != null && body.length() > MAX_BODY;
    }

    public static String ip(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    static URI uri(String value) {
        return URI.create(value);
    }
}
