package cn.onenet.identity.rest.oidc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

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
import cn.onenet.identity.service.RecoveryService;
import cn.onenet.identity.service.Secrets;
import io.vertx.core.http.HttpServerRequest;

/**
 * The "忘记密码 / Forgot password" pages linked from the login page: ask for a reset token, then set a new password
 * with it. zh-CN by default, English with {@code lang=en}; CSRF token in the form and in a SameSite=Strict cookie;
 * not frameable. The same rules as the API ({@link RecoveryService}).
 */
@Path("/oidc/recover")
@Tag(name = "OpenID Connect")
@PermitAll
@Produces(MediaType.TEXT_HTML)
public class RecoveryPageResource {

    private final RecoveryService recovery;
    private final Pages pages;
    private final long minutes;

    public RecoveryPageResource(RecoveryService recovery, Pages pages, IdentityConfig config) {
        this.recovery = recovery;
        this.pages = pages;
        this.minutes = config.recovery().tokenLifetime().toMinutes();
    }

    @GET
    @Operation(summary = "Forgot-password page. Public.")
    public Response form(@QueryParam("lang") String lang) {
        return pages.recovery(200, "request", english(lang), Secrets.random(24), null, null, minutes);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Forgot-password form submission (CSRF-protected). Public; same answer for every identifier.")
    public Response request(@FormParam("csrf") String csrf, @FormParam("identifier") String identifier,
            @FormParam("lang") String lang, @CookieParam(Pages.RECOVERY_CSRF_COOKIE) String cookie,
            @Context HttpServerRequest http) {
        boolean english = english(lang);
        String nul = FormBodies.nulField(FormBodies.fields("csrf", csrf, "identifier", identifier, "lang",
                lang));
        if (nul != null) {
            return pages.recovery(400, "request", english, Secrets.random(24), null, nulMessage(nul, english),
                    minutes);
        }
        if (!csrfMatches(csrf, cookie)) {
            return expired(english);
        }
        try {
            recovery.request(identifier, NimbusHttp.ip(http), english);
        } catch (ApiException e) {
            return pages.recovery(e.type().status(), "request", english, Secrets.random(24), null,
                    message(e, english), minutes);
        }
        return pages.recovery(200, "requested", english, null, null, null, minutes);
    }

    @GET
    @Path("reset")
    @Operation(summary = "New-password page; the link in the reset message carries the token. Public.")
    public Response resetForm(@QueryParam("token") String token, @QueryParam("lang") String lang) {
        String shown = token == null || token.length() > 100 ? null : token;
        return pages.recovery(200, "reset", english(lang), Secrets.random(24), shown, null, minutes);
    }

    @POST
    @Path("reset")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "New-password form submission (CSRF-protected). Public.")
    public Response reset(@FormParam("csrf") String csrf, @FormParam("token") String token,
            @FormParam("password") String password, @FormParam("password2") String repeated,
            @FormParam("lang") String lang, @CookieParam(Pages.RECOVERY_CSRF_COOKIE) String cookie,
            @Context HttpServerRequest http) {
        boolean english = english(lang);
        String nul = FormBodies.nulField(FormBodies.fields("csrf", csrf, "token", token, "password", password,
                "password2", repeated, "lang", lang));
        if (nul != null) {
            return pages.recovery(400, "reset", english, Secrets.random(24), null, nulMessage(nul, english),
                    minutes);
        }
        if (!csrfMatches(csrf, cookie)) {
            return expired(english);
        }
        String shown = token == null || token.length() > 100 ? null : token;
        if (password == null || !password.equals(repeated)) {
            return pages.recovery(400, "reset", english, Secrets.random(24), shown,
                    english ? "The two passwords differ." : "两次输入的密码不一致。", minutes);
        }
        try {
            recovery.reset(token, password, NimbusHttp.ip(http));
        } catch (ApiException e) {
            return pages.recovery(e.type().status(), "reset", english, Secrets.random(24), shown,
                    message(e, english), minutes);
        }
        return pages.recovery(200, "done", english, null, null, null, minutes);
    }

    static String nulMessage(String field, boolean english) {
        return english ? "The field " + field + " contains the NUL character (U+0000)."
                : "字段 " + field + " 含空字符 (U+0000)。";
    }

    private Response expired(boolean english) {
        return pages.recovery(400, "request", english, Secrets.random(24), null,
                english ? "The page expired; please submit it again." : "页面已过期，请重新提交。", minutes);
    }

    static boolean csrfMatches(String form, String cookie) {
        return form != null && cookie != null && !form.isEmpty() && form.length() <= 64
                && MessageDigest.isEqual(form.getBytes(StandardCharsets.UTF_8), cookie.getBytes(StandardCharsets.UTF_8));
    }

    /** Problem messages are "中文 / English": the page shows the half in its language. */
    static String message(ApiException e, boolean english) {
        String text = e.getMessage() == null ? "" : e.getMessage();
        int slash = text.indexOf(" / ");
        if (slash < 0) {
            return text;
        }
        return english ? text.substring(slash + 3) : text.substring(0, slash);
    }

    static boolean english(String lang) {
        return lang != null && lang.startsWith("en");
    }
}
