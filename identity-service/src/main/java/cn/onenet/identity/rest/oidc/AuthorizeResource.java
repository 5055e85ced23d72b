package cn.onenet.identity.rest.oidc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
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

import com.nimbusds.oauth2.sdk.util.URLUtils;

import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.service.AuthorizationService;
import cn.onenet.identity.service.DeviceCookie;
import cn.onenet.identity.service.SessionService;
import io.vertx.core.http.HttpServerRequest;

/** The authorization endpoint and the login and consent pages it leads to. */
@Path("/oidc")
@Tag(name = "OpenID Connect")
@PermitAll
public class AuthorizeResource {

    private final AuthorizationService authorization;
    private final SessionService sessions;
    private final Pages pages;

    public AuthorizeResource(AuthorizationService authorization, SessionService sessions, Pages pages) {
        this.authorization = authorization;
        this.sessions = sessions;
        this.pages = pages;
    }

    @GET
    @Path("authorize")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Authorization endpoint (code flow with PKCE S256). Public.")
    public Response authorizeGet(@Context UriInfo uri, @CookieParam(SessionService.COOKIE) String cookie,
            @Context HttpServerRequest http) {
        Map<String, List<String>> params = new LinkedHashMap<>(uri.getQueryParameters());
        List<String> resume = params.get(AuthorizationService.RESUME_PARAMETER);
        if (params.size() == 1 && resume != null && resume.size() == 1) {
            // the same-site GET after a POST that came without the session cookie (see authorizePost)
            return pages.render(authorization.resume(resume.get(0), sessions.find(cookie), NimbusHttp.ip(http)));
        }
        return authorize(params, cookie, http);
    }

    @POST
    @Path("authorize")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Authorization endpoint, form-encoded POST. Public. Without the session cookie (a cross-site "
            + "POST) the request is kept for 2 minutes and answered at the 303 to GET /oidc/authorize?req=<id>.")
    public Response authorizePost(String body, @CookieParam(SessionService.COOKIE) String cookie,
            @Context HttpServerRequest http) {
        if (NimbusHttp.tooLarge(body)) {
            return Pages.html(413, "request too large");
        }
        String nul = FormBodies.nulField(body);
        if (nul != null) {
            return pages.render(nulRefused(nul));
        }
        Map<String, List<String>> params = URLUtils.parseParameters(body);
        SsoSession session = sessions.find(cookie);
        if (session == null) {
            // A cross-site POST does not carry the SameSite=Lax session cookie: keep the request briefly and answer
            // it at the same-site GET it redirects to, which does (OIDC Core 3.1.2.1: GET and POST alike).
            return pages.render(authorization.park(params, NimbusHttp.ip(http)));
        }
        return pages.render(authorization.authorize(params, session, NimbusHttp.ip(http)));
    }

    private Response authorize(Map<String, List<String>> params, String cookie, HttpServerRequest http) {
        SsoSession session = sessions.find(cookie);
        return pages.render(authorization.authorize(params, session, NimbusHttp.ip(http)));
    }

    @POST
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Login form submission (CSRF-protected). Public.")
    public Response login(@FormParam("req") String req, @FormParam("csrf") String csrf,
            @FormParam("username") String username, @FormParam("password") String password,
            @FormParam("otp") String otp, @FormParam("enterprise") String enterprise,
            @CookieParam(Pages.CSRF_COOKIE) String csrfCookie, @CookieParam(SessionService.COOKIE) String cookie,
            @CookieParam(DeviceCookie.COOKIE) String deviceCookie, @Context HttpServerRequest http) {
        String nul = FormBodies.nulField(FormBodies.fields("req", req, "csrf", csrf, "username", username,
                "password", password, "otp", otp, "enterprise", enterprise));
        if (nul != null) {
            return pages.render(nulRefused(nul));
        }
        SsoSession current = sessions.find(cookie);
        AuthorizationService.Step step = authorization.login(req, csrf, csrfCookie, username, password, otp,
                enterprise, current, NimbusHttp.ip(http), deviceCookie);
        Response response = pages.render(step.outcome());
        if (step.sessionCookie() != null) {
            sessions.noteDevice(step.sessionCookie(), NimbusHttp.ip(http), http.getHeader("User-Agent"));
            Response.ResponseBuilder withCookies = Response.fromResponse(response)
                    .cookie(pages.sessionCookie(step.sessionCookie()));
            if (step.deviceCookie() != null) {
                withCookies.cookie(pages.deviceCookie(step.deviceCookie()));
            }
            return withCookies.build();
        }
        return response;
    }

    @POST
    @Path("consent")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Consent form submission (CSRF-protected). Public.")
    public Response consent(@FormParam("req") String req, @FormParam("csrf") String csrf,
            @FormParam("decision") String decision, @CookieParam(Pages.CSRF_COOKIE) String csrfCookie,
            @CookieParam(SessionService.COOKIE) String cookie, @Context HttpServerRequest http) {
        String nul = FormBodies.nulField(FormBodies.fields("req", req, "csrf", csrf, "decision", decision));
        if (nul != null) {
            return pages.render(nulRefused(nul));
        }
        SsoSession session = sessions.find(cookie);
        return pages.render(authorization.consent(req, csrf, csrfCookie, "approve".equals(decision), session,
                NimbusHttp.ip(http)));
    }

    /** The error page for a form with a NUL character in {@code field}. */
    private static AuthorizationService.ErrorPage nulRefused(String field) {
        return new AuthorizationService.ErrorPage(400, "请求参数 " + field + " 含空字符 (U+0000)，请返回应用重新登录。",
                "The request parameter " + field + " contains the NUL character (U+0000); go back to the application "
                        + "and sign in again.");
    }
}
