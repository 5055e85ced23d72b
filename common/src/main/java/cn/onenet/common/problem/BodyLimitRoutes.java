package cn.onenet.common.problem;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;

/**
 * Refuses a request whose declared Content-Length exceeds {@code quarkus.http.limits.max-body-size} with a
 * problem+json 413 before any of the body is read (the HTTP layer's own 413 has no body to explain itself).
 */
@ApplicationScoped
public class BodyLimitRoutes {

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
            ProblemResponses.end(rc, ProblemType.PAYLOAD_TOO_LARGE,
                    "请求体超过上限 / request body exceeds " + limit + " bytes", List.of(),
                    Map.of("maxBodyBytes", limit), true);
        });
    }
}
