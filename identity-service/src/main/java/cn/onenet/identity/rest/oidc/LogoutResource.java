package cn.onenet.identity.rest.oidc;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.LogoutRequest;

import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.service.AuthorizationService;
import cn.onenet.identity.service.ClientRegistry;
import cn.onenet.identity.service.LogoutService;
import cn.onenet.identity.service.RegisteredClient;
import cn.onenet.identity.service.RequestParameters;
import cn.onenet.identity.service.Secrets;
import cn.onenet.identity.service.SessionService;
import cn.onenet.identity.service.TokenService;
import io.vertx.core.http.HttpServerRequest;

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). With a valid {@code id_token_hint} for the current
 * session the user is logged out at once; without a session cookie (a cross-site POST does not carry it) the session
 * the hint's {@code sid} names is; otherwise the user confirms. A hint signed with a key rotated out since
 * counts as no hint (the user confirms); a forged one or one of another issuer is refused. {@code
 * post_logout_redirect_uri} must be registered exactly for the client named by the hint or {@code client_id}, else an
 * error page is shown.
 */
@Path("/oidc/logout")
@Tag(name = "OpenID Connect")
@PermitAll
public class LogoutResource {

    private final TokenService tokens;
    private final ClientRegistry clients;
    private final SessionService sessions;
    private final LogoutService logouts;
    private final Pages pages;

    public LogoutResource(TokenService tokens, ClientRegistry clients, SessionService sessions, LogoutService logouts,
            Pages pages) {
        this.tokens = tokens;
        this.clients = clients;
        this.sessions = sessions;
        this.logouts = logouts;
        this.pages = pages;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "End-session endpoint. Public.")
    public Response get(@Context UriInfo uri, @CookieParam(SessionService.COOKIE) String cookie,
            @Context HttpServerRequest http) {
        return logout(new LinkedHashMap<>(uri.getQueryParameters()), cookie, http);
    }

    @POST
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "End-session endpoint, form POST. Public.")
    public Response post(String body, @CookieParam(SessionService.COOKIE) String cookie,
            @Context HttpServerRequest http) {
        if (NimbusHttp.tooLarge(body)) {
            return Pages.html(413, "request too large");
        }
        String nul = FormBodies.nulField(body);
        if (nul != null) {
            return nulRefused(nul);
        }
        return logout(URLUtils.parseParameters(body), cookie, http);
    }

    private Response logout(Map<String, List<String>> params, String cookie, HttpServerRequest http) {
        String repeated = RequestParameters.repeated(params);
        if (repeated != null) {
            // which post_logout_redirect_uri, state or hint would it be: the error page, the session stays
            return error("请求参数 " + repeated + " 重复。", "The request parameter " + repeated
                    + " is given more than once.");
        }
        LogoutRequest request;
        try {
            request = LogoutRequest.parse(params);
        } catch (ParseException e) {
            return error("注销请求无效。", "Invalid logout request.");
        }
        boolean english = AuthorizationService.english(params.get("ui_locales"));
        JWTClaimsSet hint = null;
        String hintClient = null;
        if (request.getIDTokenHint() != null) {
            try {
                hint = tokens.verifyIdTokenHint(request.getIDTokenHint().serialize());
                hintClient = hint.getAudience().get(0);
            } catch (TokenService.KeyGoneException e) {
                // older than the keys kept: no proof of anything, so no hint, and the user confirms; its aud names
                // the client no more than a client_id parameter would (which anyone may send)
                hintClient = e.unverifiedClaims().getAudience().get(0);
            } catch (TokenService.BadTokenException | IllegalStateException e) {
                return error("登录凭证提示（id_token_hint）无效。", "The ID token hint (id_token_hint) is not valid.");
            }
        }
        // RP-Initiated Logout 1.0 §2: with both, the hint must have been issued to the client_id given
        String clientId = request.getClientID() != null ? request.getClientID().getValue() : hintClient;
        if (hint != null && !hint.getAudience().contains(clientId)) {
            return error("应用标识（client_id）与登录凭证提示（id_token_hint）不一致。",
                    "The client id (client_id) does not match the ID token hint (id_token_hint).");
        }
        RegisteredClient client = clientId == null ? null : clients.find(clientId).orElse(null);
        URI postLogout = request.getPostLogoutRedirectionURI();
        if (postLogout != null && (client == null || !client.postLogoutRedirectUris().contains(postLogout.toString()))) {
            return error("注销后跳转地址未登记。", "post_logout_redirect_uri is not registered for this client.");
        }
        String state = request.getState() == null ? null : request.getState().getValue();
        SsoSession session = sessions.find(cookie);
        if (session == null && hint != null) {
            // No cookie: a cross-site form POST does not carry the SameSite=Lax cookie (nor does a browser that blocks
            // it). A verified ID token names the session in its sid: that one ends, as it would with the cookie.
            session = hintedSession(hint);
        }
        boolean hintMatches = hint != null && session != null
                && (session.sid.equals(hint.getClaim("sid")) || session.tokenSubject().equals(hint.getSubject()));
        if (session == null || hintMatches) {
            return finish(session, postLogout, state, english, http);
        }
        Map<String, String> hidden = new LinkedHashMap<>();
        if (postLogout != null) {
            hidden.put("post_logout_redirect_uri", postLogout.toString());
            hidden.put("client_id", clientId);
        }
        if (state != null) {
            hidden.put("state", state);
        }
        if (english) {
            hidden.put("ui_locales", "en");
        }
        return pages.logoutConfirm(Secrets.random(24), hidden, english);
    }

    @POST
    @Path("confirm")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "The user confirmed the logout (CSRF-protected). Public.")
    public Response confirm(String body, @CookieParam(SessionService.COOKIE) String cookie,
            @CookieParam(Pages.CSRF_COOKIE) String csrfCookie, @Context HttpServerRequest http) {
        if (NimbusHttp.tooLarge(body)) {
            return Pages.html(413, "request too large");
        }
        String nul = FormBodies.nulField(body);
        if (nul != null) {
            return nulRefused(nul);
        }
        Map<String, List<String>> form = URLUtils.parseParameters(body);
        String csrf = first(form, "csrf");
        if (csrf == null || csrfCookie == null || !csrf.equals(csrfCookie)) {
            return error("页面已过期，请重试。", "The page expired; please try again.");
        }
        boolean english = "en".equals(first(form, "ui_locales"));
        URI postLogout = null;
        String target = first(form, "post_logout_redirect_uri");
        if (target != null) {
            RegisteredClient client = clients.find(first(form, "client_id")).orElse(null);
            if (client == null || !client.postLogoutRedirectUris().contains(target)) {
                return error("注销后跳转地址未登记。", "post_logout_redirect_uri is not registered for this client.");
            }
            postLogout = URI.create(target);
        }
        return finish(sessions.find(cookie), postLogout, first(form, "state"), english, http);
    }

    private Response finish(SsoSession session, URI postLogout, String state, boolean english,
            HttpServerRequest http) {
        if (session != null) {
            try {
                logouts.endSession(session, "rp-initiated logout", NimbusHttp.ip(http)).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // a first attempt that did not finish in time goes on (and is retried, if need be) after the answer
            }
        }
        Response response;
        if (postLogout != null) {
            String target = postLogout.toString();
            if (state != null) {
                target += (postLogout.getRawQuery() == null ? "?" : "&")
                        + URLUtils.serializeParameters(Map.of("state", List.of(state)));
            }
            response = Response.seeOther(URI.create(target)).header("Cache-Control", "no-store").build();
        } else {
            response = pages.loggedOut(english);
        }
        return Response.fromResponse(response).cookie(pages.clearSession()).build();
    }

    /** The live session a verified ID token names by its {@code sid}, when it is the token subject's; else null. */
    private SsoSession hintedSession(JWTClaimsSet hint) {
        if (!(hint.getClaim("sid") instanceof String sid) || sid.length() > 100) {
            return null;
        }
        SsoSession named = sessions.bySid(sid);
        return named != null && named.live() && named.tokenSubject().equals(hint.getSubject()) ? named : null;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private Response nulRefused(String field) {
        return error("请求参数 " + field + " 含空字符 (U+0000)。", "The request parameter " + field
                + " contains the NUL character (U+0000).");
    }

    /** The 400 page, the provider's error page (its icon and headers included). */
    private Response error(String zh, String en) {
        return pages.render(new AuthorizationService.ErrorPage(400, zh, en));
    }
}
