package cn.onenet.identity.rest.oidc;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.service.AuthorizationService.ConsentPage;
import cn.onenet.identity.service.AuthorizationService.ErrorPage;
import cn.onenet.identity.service.AuthorizationService.Field;
import cn.onenet.identity.service.AuthorizationService.FormPost;
import cn.onenet.identity.service.AuthorizationService.LoginPage;
import cn.onenet.identity.service.AuthorizationService.Outcome;
import cn.onenet.identity.service.AuthorizationService.Redirect;
import cn.onenet.identity.service.DeviceCookie;
import cn.onenet.identity.service.ScopeDisclosure;
import cn.onenet.identity.service.SessionService;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;

@TemplateData(target = LoginPage.class)
@TemplateData(target = ConsentPage.class)
@TemplateData(target = Pages.Registered.class)
@TemplateData(target = Pages.Cancellation.class)
@TemplateData(target = ScopeDisclosure.class)
@TemplateData(target = FormPost.class)
@TemplateData(target = Field.class)
/** Renders the provider's pages (zh-CN first, English on request) with headers that forbid framing and caching. */
@ApplicationScoped
public class Pages {

    static final String CSRF_COOKIE = "onenet_csrf";
    /** The recovery pages' own CSRF cookie, so they never disturb a login form open in another tab. */
    static final String RECOVERY_CSRF_COOKIE = "onenet_recover_csrf";
    /** The registration pages' own CSRF cookie, for the same reason. */
    static final String REGISTRATION_CSRF_COOKIE = "onenet_register_csrf";
    /** The cancel pages' own CSRF cookie (contact change and account closure share it). */
    static final String CANCEL_CSRF_COOKIE = "onenet_cancel_csrf";

    private final Template login;
    private final Template consent;
    private final Template error;
    private final Template logout;
    private final Template recover;
    private final Template register;
    private final Template cancel;
    private final Template formPost;
    private final boolean secure;
    private final DeviceCookie devices;

    public Pages(@Location("login.html") Template login, @Location("consent.html") Template consent,
            @Location("error.html") Template error, @Location("logout.html") Template logout,
            @Location("recover.html") Template recover, @Location("register.html") Template register,
            @Location("cancel.html") Template cancel, @Location("form-post.html") Template formPost,
            IdentityConfig config, DeviceCookie devices) {
        this.devices = devices;
        this.login = login;
        this.consent = consent;
        this.error = error;
        this.logout = logout;
        this.recover = recover;
        this.register = register;
        this.cancel = cancel;
        this.formPost = formPost;
        this.secure = config.issuer().startsWith("https:");
    }

    Response render(Outcome outcome) {
        if (outcome instanceof Redirect redirect) {
            return Response.seeOther(redirect.location()).header("Cache-Control", "no-store").build();
        }
        if (outcome instanceof FormPost post) {
            return html(200, formPost.data("p", post).render());
        }
        if (outcome instanceof ErrorPage page) {
            return html(page.status(), error.data("zh", page.messageZh()).data("en", page.messageEn()).render());
        }
        if (outcome instanceof LoginPage page) {
            // a locked login (too many failures from the address or of the name) stays a page for the browser
            Response.ResponseBuilder answer = Response.fromResponse(html(page.retryAfterSeconds() == null ? 200 : 429,
                    login.data("p", page).data("english", page.english()).render())).cookie(csrfCookie(page.csrf()));
            if (page.retryAfterSeconds() != null) {
                answer.header("Retry-After", page.retryAfterSeconds());
            }
            return answer.build();
        }
        ConsentPage page = (ConsentPage) outcome;
        return Response.fromResponse(html(200, consent.data("p", page).data("english", page.english()).render()))
                .cookie(csrfCookie(page.csrf())).build();
    }

    Response logoutConfirm(String csrf, Map<String, String> hidden, boolean english) {
        return Response.fromResponse(html(200, logout.data("csrf", csrf).data("hidden", hidden)
                .data("english", english).data("done", false).render())).cookie(csrfCookie(csrf)).build();
    }

    Response loggedOut(boolean english) {
        return html(200, logout.data("csrf", "").data("hidden", Map.of()).data("english", english).data("done", true)
                .render());
    }

    /** A recovery page: mode request, requested, reset or done; forms carry {@code csrf}, also set as a cookie. */
    Response recovery(int status, String mode, boolean english, String csrf, String token, String error, long minutes) {
        return withCsrf(html(status, recover.data("mode", mode).data("english", english).data("csrf", csrf)
                .data("token", token).data("error", error).data("minutes", minutes).render()), csrf,
                RECOVERY_CSRF_COOKIE, "/oidc/recover");
    }

    /** What a registration form keeps after a refusal (never the password). */
    public record Registered(String idNumber, String name, String phone, String email) {
        static final Registered NONE = new Registered(null, null, null, null);
    }

    /**
     * A registration page: mode form, sent, confirm or done; forms carry {@code csrf}, also set as a cookie;
     * {@code field} names the input the error is about.
     */
    Response registration(int status, String mode, boolean english, String csrf, Registered given, String token,
            String error, String field, long hours) {
        return withCsrf(html(status, register.data("mode", mode).data("english", english).data("csrf", csrf)
                .data("given", given).data("token", token).data("error", error).data("field", field)
                .data("hours", hours).render()), csrf, REGISTRATION_CSRF_COOKIE, "/oidc/register");
    }

    /** What a cancel page offers to cancel, and what the done page says, in both languages. */
    public record Cancellation(String whatZh, String whatEn, String afterZh, String afterEn) {
    }

    /**
     * A cancel page (contact change or account closure): mode form, done or error; both languages on one page, as the
     * link in the notice carries no language. The token is in the URL of the form page, so no Referer leaves it.
     */
    Response cancellation(int status, String mode, Cancellation what, String csrf, String token, String errorZh,
            String errorEn) {
        Response page = withCsrf(html(status, cancel.data("mode", mode).data("what", what).data("csrf", csrf)
                .data("token", token).data("errorZh", errorZh).data("errorEn", errorEn).render()), csrf,
                CANCEL_CSRF_COOKIE, "/oidc");
        return Response.fromResponse(page).header("Referrer-Policy", null).header("Referrer-Policy", "no-referrer")
                .build();
    }

    private Response withCsrf(Response page, String csrf, String cookie, String path) {
        if (csrf == null) {
            return page;
        }
        return Response.fromResponse(page).cookie(new NewCookie.Builder(cookie).value(csrf).path(path).httpOnly(true)
                .secure(secure).sameSite(NewCookie.SameSite.STRICT).build()).build();
    }

    NewCookie sessionCookie(String value) {
        return new NewCookie.Builder(SessionService.COOKIE).value(value).path("/oidc").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    /** The trusted-device cookie: sent only to the login form. */
    NewCookie deviceCookie(String value) {
        return new NewCookie.Builder(DeviceCookie.COOKIE).value(value).path("/oidc/login").httpOnly(true)
                .secure(secure).maxAge((int) Math.min(Integer.MAX_VALUE, devices.maxAgeSeconds()))
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    NewCookie clearSession() {
        return new NewCookie.Builder(SessionService.COOKIE).value("").path("/oidc").httpOnly(true).secure(secure)
                .maxAge(0).sameSite(NewCookie.SameSite.LAX).build();
    }

    private NewCookie csrfCookie(String value) {
        return new NewCookie.Builder(CSRF_COOKIE).value(value).path("/oidc").httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    static Response html(int status, String body) {
        return Response.status(status).entity(body).type("text/html; charset=UTF-8")
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy",
                        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                + "frame-ancestors 'none'; base-uri 'none'")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin").build();
    }
}
