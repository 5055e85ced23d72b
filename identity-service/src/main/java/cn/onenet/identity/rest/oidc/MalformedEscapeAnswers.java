package cn.onenet.identity.rest.oidc;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerTokenError;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;

import cn.onenet.common.problem.MalformedEscapeRoutes;
import cn.onenet.identity.service.AuthorizationService;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * A malformed percent-escape in the URL or form body of a protocol endpoint or page is answered in its own format,
 * as a NUL character is: the token, introspection and revocation endpoints with RFC 6749 {@code invalid_request}
 * naming the field, UserInfo with RFC 6750's, the pages (authorization, login, consent, logout, recovery,
 * registration, cancel) with the 400 error page naming it. The key set and discovery keep the problem+json.
 */
@ApplicationScoped
public class MalformedEscapeAnswers implements MalformedEscapeRoutes.OwnAnswer {

    private static final Set<String> TOKEN_ENDPOINTS = Set.of("/oidc/token", "/oidc/introspect", "/oidc/revoke");

    private final Pages pages;

    public MalformedEscapeAnswers(Pages pages) {
        this.pages = pages;
    }

    @Override
    public boolean answer(HttpServerRequest request, String field) {
        String path = request.path();
        if (!path.startsWith("/oidc/") || path.equals("/oidc/jwks") || path.startsWith("/oidc/.well-known/")) {
            return false;
        }
        // the field's name as sent may hold anything: named only when it is a plain name (OAuth descriptions are ASCII)
        String name = FormBodies.plainName(field);
        String description = name + " holds a malformed percent-escape (% and two hexadecimal digits, encoding UTF-8)";
        if (TOKEN_ENDPOINTS.contains(path)) {
            send(request, new TokenErrorResponse(OAuth2Error.INVALID_REQUEST.setDescription(description)).toHTTPResponse());
        } else if (path.equals("/oidc/userinfo")) {
            send(request, new UserInfoErrorResponse(BearerTokenError.INVALID_REQUEST.setDescription(description))
                    .toHTTPResponse());
        } else {
            send(request, pages.render(new AuthorizationService.ErrorPage(400,
                    "请求参数 " + name + " 的百分号编码无效，请返回应用重试。",
                    "The request parameter " + name + " holds a malformed percent-escape; go back to the "
                            + "application and try again.")));
        }
        return true;
    }

    private static void send(HttpServerRequest request, HTTPResponse http) {
        HttpServerResponse response = request.response().setStatusCode(http.getStatusCode());
        for (Map.Entry<String, List<String>> header : http.getHeaderMap().entrySet()) {
            response.putHeader(header.getKey(), header.getValue());
        }
        if (http.getHeaderValue("Cache-Control") == null) {
            response.putHeader("Cache-Control", "no-store");
        }
        response.end(http.getBody() == null ? "" : http.getBody());
    }

    private static void send(HttpServerRequest request, Response page) {
        HttpServerResponse response = request.response().setStatusCode(page.getStatus());
        page.getStringHeaders().forEach(response::putHeader);
        response.end(String.valueOf(page.getEntity()));
    }
}
