package cn.onenet.common.requestid;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.MDC;

import io.vertx.ext.web.Router;

/**
 * Gives every HTTP request (API, health, metrics, OpenAPI alike) a request id before any other handler runs,
 * echoes it in the response and puts it in the MDC so each log line of the request carries it.
 */
@ApplicationScoped
public class RequestIdRoutes {

    public static final String CONTEXT_KEY = "onenet.requestId";

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 10).handler(rc -> {
            String id = RequestIds.acceptOrCreate(rc.request().getHeader(RequestIds.HEADER));
            rc.put(CONTEXT_KEY, id);
            MDC.put(RequestIds.MDC_KEY, id);
            rc.response().putHeader(RequestIds.HEADER, id);
            rc.next();
        });
    }
}
