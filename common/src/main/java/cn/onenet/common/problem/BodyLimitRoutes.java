package cn.onenet.common.problem;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.common.requestid.RequestIdRoutes;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;

/**
 * Refuses a request whose declared Content-Length exceeds {@code quarkus.http.limits.max-body-size} with a
 * problem+json 413 before any of the body is read (the HTTP layer's own 413 has no body to explain itself).
 */
@ApplicationScoped
public class BodyLimitRoutes {

    private final ObjectMapper json = new ObjectMapper();

    /** The HTTP layer's body limit ({@code quarkus.http.limits.max-body-size}, Quarkus's default 10 MB). */
    public static long httpLimit() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(10L * 1024 * 1024);
    }

    void register(@Observes Router router) {
        long limit = httpLimit();
        router.route().order(Integer.MIN_VALUE + 11).handler(rc -> {
            String declared = rc.request().getHeader("Content-Length");
            long length;
            try {
                length = declared == null ? -1 : Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length <= limit) {
                rc.next();
                return;
            }
            boolean english = String.valueOf(rc.request().getHeader("Accept-Language")).startsWith("en");
            Problem problem = ProblemResponses.problem(ProblemType.PAYLOAD_TOO_LARGE,
                    "请求体超过上限 / request body exceeds " + limit + " bytes", rc.request().path(), List.of(),
                    Map.of("maxBodyBytes", limit), english, rc.get(RequestIdRoutes.CONTEXT_KEY));
            String body;
            try {
                body = json.writeValueAsString(problem);
            } catch (JsonProcessingException e) {
                body = "{\"status\":413}";
            }
            rc.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close").end(body);
        });
    }
}
