package cn.onenet.common.problem;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.ConfigProvider;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;

/**
 * Refuses a request holding a malformed percent-escape ({@link MalformedEscapes}) with a problem+json 400 naming
 * the parameter, before any other route reads it: in the path ({@code path}) or the query (the parameter) — escapes
 * whose bytes are not UTF-8 ({@code %E4%B8}); those not of the form {@code %XX} never reach a route, see
 * {@link UnparsableTargetRefusals#refusal} — and in a form-encoded body (the field), which Quarkus REST's form reader
 * fails with a 500 and a String body's reader does not check. Such a body is read here, at most {@code quarkus.http.limits.max-body-size},
 * and handed on to the resource as read; {@code onenet.problem.form-escapes=false} leaves bodies alone (the gateway,
 * which streams them to the services).
 * A module whose endpoints answer bad input in a format of their own (the OAuth endpoints) answers such requests
 * with an {@link OwnAnswer} bean.
 */
@ApplicationScoped
public class MalformedEscapeRoutes {

    private static final String FORM = "application/x-www-form-urlencoded";

    /**
     * Answers a malformed escape on some paths in the module's own format, here or before any route
     * ({@link UnparsableTargetRefusals#refusal}); the response carries the request id already.
     */
    public interface OwnAnswer {
        /**
         * Ends the request and returns true, or returns false to leave it to the problem+json answer; {@code field}
         * is the parameter, {@code path}, the form field or {@code body}.
         */
        boolean answer(HttpServerRequest request, String field);
    }

    void register(@Observes Router router, Instance<OwnAnswer> ownAnswers) {
        List<OwnAnswer> owners = ownAnswers.stream().toList();
        boolean forms = ConfigProvider.getConfig().getOptionalValue("onenet.problem.form-escapes", Boolean.class)
                .orElse(true);
        long limit = BodyLimitRoutes.httpLimit();
        router.route().order(Integer.MIN_VALUE + 13).handler(rc -> {
            String field = MalformedEscapes.inTarget(rc.request().uri());
            if (field != null) {
                refuse(rc, field, owners);
            } else if (forms && isForm(rc)) {
                readForm(rc, limit, owners);
            } else {
                rc.next();
            }
        });
    }

    private static boolean isForm(RoutingContext rc) {
        HttpMethod method = rc.request().method();
        String type = rc.request().getHeader("Content-Type");
        return (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) && type != null
                && type.toLowerCase(Locale.ROOT).startsWith(FORM);
    }

    /** Reads the form, checks it and hands it on (the resources read the buffered body, as after a body handler). */
    private static void readForm(RoutingContext rc, long limit, List<OwnAnswer> owners) {
        if (rc.request().isEnded()) {
            // nothing left to read (an empty body): nothing to check
            rc.next();
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] over = { false };
        rc.request().handler(chunk -> {
            if (!over[0] && body.length() + chunk.length() <= limit) {
                body.appendBuffer(chunk);
            } else {
                over[0] = true;
            }
        });
        rc.request().exceptionHandler(rc::fail);
        rc.request().endHandler(end -> {
            if (over[0]) {
                ProblemResponses.end(rc, ProblemType.PAYLOAD_TOO_LARGE,
                        "请求体超过上限 / request body exceeds " + limit + " bytes", List.of(),
                        Map.of("maxBodyBytes", limit), false);
                return;
            }
            String field = MalformedEscapes.inForm(body.toString(StandardCharsets.UTF_8), MalformedEscapes.BODY,
                    declaresUtf8OrNothing(rc.request().getHeader("Content-Type")));
            if (field != null) {
                refuse(rc, field, owners);
                return;
            }
            ((RoutingContextInternal) rc).setBody(body);
            rc.next();
        });
        rc.request().resume();
        if ("100-continue".equalsIgnoreCase(rc.request().getHeader("Expect")) && !rc.response().headWritten()) {
            // the client waits for this before it sends the body we now read
            rc.response().writeContinue();
        }
    }

    /** Whether a form's Content-Type names UTF-8 as its charset, or no charset (then UTF-8 is read). */
    static boolean declaresUtf8OrNothing(String contentType) {
        String lower = contentType.toLowerCase(Locale.ROOT).replace(" ", "").replace("\"", "");
        int at = lower.indexOf("charset=");
        return at < 0 || lower.startsWith("utf-8", at + "charset=".length());
    }

    private static void refuse(RoutingContext rc, String field, List<OwnAnswer> owners) {
        for (OwnAnswer owner : owners) {
            if (owner.answer(rc.request(), field)) {
                return;
            }
        }
        ProblemResponses.end(rc, ProblemType.VALIDATION, MalformedEscapes.detail(field),
                List.of(new FieldError(field, MalformedEscapes.MESSAGE)), Map.of(), false);
    }
}
