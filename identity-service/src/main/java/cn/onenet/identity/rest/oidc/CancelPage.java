package cn.onenet.identity.rest.oidc;

import static cn.onenet.identity.rest.oidc.RecoveryPageResource.csrfMatches;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.rest.oidc.Pages.Cancellation;
import cn.onenet.identity.service.Secrets;
import io.vertx.core.http.HttpServerRequest;

/**
 * A page opened from the link in a notice that carries a cancel token: it says what the token would cancel and asks
 * (a mail scanner fetching the link cancels nothing), and the form's POST cancels through the service, as the JSON
 * API does. Both languages on one page, zh-CN first. CSRF token in the form and in a SameSite=Strict cookie; not
 * frameable; {@code Referrer-Policy: no-referrer}, as the token is in the URL. A wrong, spent or missing token is a
 * 400 page, counted per address as at the API (429 page with {@code Retry-After} after the limit), on the GET too, so
 * the page is no way of trying tokens past the limit.
 */
@Produces(MediaType.TEXT_HTML)
public abstract class CancelPage {

    private final Pages pages;

    protected CancelPage(Pages pages) {
        this.pages = pages;
    }

    /** What the token would cancel; throws the service's problem for a wrong token. */
    protected abstract Cancellation describe(String token, String ip);

    /** Cancels with the token; throws the service's problem for a wrong token. */
    protected abstract void cancel(String token, String ip);

    /** What the done page says, without looking the token up again. */
    protected abstract Cancellation cancelled();

    @GET
    @Operation(summary = "Page opened from the link in the notice (the token in the query): what will be cancelled, "
            + "with a button. Public; a wrong token is a 400 page and counts per address like the API's.")
    public Response form(@QueryParam("token") String token, @Context HttpServerRequest http) {
        Cancellation what;
        try {
            what = describe(token, NimbusHttp.ip(http));
        } catch (ApiException e) {
            return refused(e);
        }
        return pages.cancellation(200, "form", what, Secrets.random(24), token.trim(), null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "The page's cancel button (CSRF-protected). Public; a result page, 400 page for a wrong or "
            + "spent token, 429 page after too many from the address.")
    public Response submit(@FormParam("csrf") String csrf, @FormParam("token") String token,
            @CookieParam(Pages.CANCEL_CSRF_COOKIE) String cookie, @Context HttpServerRequest http) {
        String nul = FormBodies.nulField(FormBodies.fields("csrf", csrf, "token", token));
        if (nul != null) {
            return error(400, RecoveryPageResource.nulMessage(nul, false), RecoveryPageResource.nulMessage(nul, true));
        }
        if (!csrfMatches(csrf, cookie)) {
            return error(400, "页面已过期，请重新打开通知中的链接。", "The page expired; open the link in the notice again.");
        }
        try {
            cancel(token, NimbusHttp.ip(http));
        } catch (ApiException e) {
            return refused(e);
        }
        return pages.cancellation(200, "done", cancelled(), null, null, null, null);
    }

    private Response refused(ApiException e) {
        Response page = error(e.type().status(), RecoveryPageResource.message(e, false),
                RecoveryPageResource.message(e, true));
        Response.ResponseBuilder answer = Response.fromResponse(page);
        e.headers().forEach(answer::header);
        return answer.build();
    }

    private Response error(int status, String zh, String en) {
        return pages.cancellation(status, "error", null, null, null, zh, en);
    }
}
