package cn.onenet.common.problem;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * Refuses a request whose path or query carries an encoded NUL character ({@code %00}) with a problem+json 400 naming
 * the parameter. No identifier, code or search term contains one, and PostgreSQL refuses it in text: let through,
 * it would surface as a database error. Request bodies are checked as they are read ({@link NulCharacterModule}).
 */
@ApplicationScoped
public class NulCharacterRoutes {

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 12).handler(rc -> {
            String uri = rc.request().uri();
            int at = uri.indexOf("%00");
            if (at < 0) {
                rc.next();
                return;
            }
            String field = field(uri, at);
            ProblemResponses.end(rc, ProblemType.VALIDATION,
                    "不得包含空字符 (U+0000) / must not contain the NUL character",
                    List.of(new FieldError(field, "不得包含空字符 (U+0000) / must not contain the NUL character")),
                    Map.of(), false);
        });
    }

    /** The query parameter holding the NUL, else {@code path}. */
    static String field(String uri, int at) {
        int query = uri.indexOf('?');
        if (query < 0 || at < query) {
            return "path";
        }
        int start = uri.lastIndexOf('&', at) + 1;
        start = Math.max(start, query + 1);
        int equals = uri.indexOf('=', start);
        if (equals < 0 || equals > at) {
            return "query";
        }
        try {
            return URLDecoder.decode(uri.substring(start, equals), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "query";
        }
    }
}
