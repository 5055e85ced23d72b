package cn.onenet.identity.rest.oidc;

import static cn.onenet.identity.rest.oidc.RecoveryPageResource.csrfMatches;
import static cn.onenet.identity.rest.oidc.RecoveryPageResource.english;
import static cn.onenet.identity.rest.oidc.RecoveryPageResource.message;
import static cn.onenet.identity.rest.oidc.RecoveryPageResource.nulMessage;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.rest.oidc.Pages.Registered;
import cn.onenet.identity.service.RegistrationService;
import cn.onenet.identity.service.Secrets;
import io.vertx.core.http.HttpServerRequest;

/**
 * The "注册 / Register" pages linked from the login page: a citizen registers (L2), then confirms with the token sent
 * to the phone or e-mail given (the message links to the confirmation page). zh-CN by default, English with
 * {@code lang=en}; CSRF token in the form and in a SameSite=Strict cookie; not frameable. The same rules as the API
 * ({@link RegistrationService}): the same answer whether or not the ID number is registered.
 */
@Path("/oidc/register")
@Tag(name = "OpenID Connect")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class RegistrationPageResource {

    private final RegistrationService registrations;
    private final Pages pages;
    private final long hours;

    public RegistrationPageResource(RegistrationService registrations, Pages pages, IdentityConfig config) {
        this.registrations = registrations;
        this.pages = pages;
        this.hours = config.registration().confirmationLifetime().toHours();
    }

    @GET
    @Operation(summary = "Citizen registration page. Public.")
    public Response form(@QueryParam("lang") String lang) {
        return form(200, english(lang), Registered.NONE, null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Registration form submission (CSRF-protected). Public; the same answer whether or not the "
            + "ID number is registered.")
    public Response register(@FormParam("csrf") String csrf, @FormParam("idNumber") String idNumber,
            @FormParam("name") String name, @FormParam("password") String password,
            @FormParam("password2") String repeated, @FormParam("phone") String phone,
            @FormParam("email") String email, @FormParam("lang") String lang,
            @CookieParam(Pages.REGISTRATION_CSRF_COOKIE) String cookie, @Context HttpServerRequest http) {
        boolean english = english(lang);
        String nul = FormBodies.nulField(FormBodies.fields("csrf", csrf, "idNumber", idNumber, "name", name,
                "password", password, "password2", repeated, "phone", phone, "email", email, "lang", lang));
        if (nul != null) {
            return form(400, english, Registered.NONE, nulMessage(nul, english), nul);
        }
        Registered given = new Registered(shown(idNumber, 18), shown(name, 200), shown(phone, 21), shown(email, 200));
        if (!csrfMatches(csrf, cookie)) {
            return form(400, english, given, expired(english), null);
        }
        if (password == null || !password.equals(repeated)) {
            return form(400, english, given, english ? "The two passwords differ." : "两次输入的密码不一致。", "password2");
        }
        try {
            registrations.register(idNumber, name, password, email, phone, NimbusHttp.ip(http));
        } catch (ApiException e) {
            String field = e.errors() == null || e.errors().isEmpty() ? null : e.errors().get(0).field();
            return form(e.type().status(), english, given, message(e, english), field);
        }
        return pages.registration(200, "sent", english, null, Registered.NONE, null, null, null, hours);
    }

    @GET
    @Path("confirm")
    @Operation(summary = "Registration confirmation page; the link in the confirmation message carries the token. "
            + "Public.")
    public Response confirmForm(@QueryParam("token") String token, @QueryParam("lang") String lang) {
        return pages.registration(200, "confirm", english(lang), Secrets.random(24), Registered.NONE,
                shown(token, 100), null, null, hours);
    }

    @POST
    @Path("confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Registration confirmation form submission (CSRF-protected). Public.")
    public Response confirm(@FormParam("csrf") String csrf, @FormParam("token") String token,
            @FormParam("lang") String lang, @CookieParam(Pages.REGISTRATION_CSRF_COOKIE) String cookie,
            @Context HttpServerRequest http) {
        boolean english = english(lang);
        String nul = FormBodies.nulField(FormBodies.fields("csrf", csrf, "token", token, "lang", lang));
        if (nul != null) {
            return confirmPage(400, english, null, nulMessage(nul, english));
        }
        if (!csrfMatches(csrf, cookie)) {
            return confirmPage(400, english, shown(token, 100), expired(english));
        }
        try {
            registrations.confirm(token, NimbusHttp.ip(http));
        } catch (ApiException e) {
            return confirmPage(e.type().status(), english, shown(token, 100), message(e, english));
        }
        return pages.registration(200, "done", english, null, Registered.NONE, null, null, null, hours);
    }

    private Response form(int status, boolean english, Registered given, String error, String field) {
        return pages.registration(status, "form", english, Secrets.random(24), given, null, error, field, hours);
    }

    private Response confirmPage(int status, boolean english, String token, String error) {
        return pages.registration(status, "confirm", english, Secrets.random(24), Registered.NONE, token, error,
                "token", hours);
    }

    private static String expired(boolean english) {
        return english ? "The page expired; please submit it again." : "页面已过期，请重新提交。";
    }

    /** A value given back in the form after a refusal, if it is short enough to be one. */
    private static String shown(String value, int max) {
        return value == null || value.length() > max ? null : value;
    }
}
