package cn.onenet.common.problem;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;

/**
 * Quarkus REST answers OPTIONS on a path of a resource class without an OPTIONS method of its own, listing in
 * {@code Allow} every method of the class, whatever its path ({@code OPTIONS /entries/overdue} named PUT and POST,
 * which are 405 there). That answer names the methods of the path asked instead, as a 405 does ({@link AllowedMethods}).
 */
public class OptionsAnswers {

    @ServerResponseFilter
    public void allowOfThePath(ContainerRequestContext request, ContainerResponseContext response) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod()) || !response.getHeaders().containsKey(HttpHeaders.ALLOW)) {
            return;
        }
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        if (context == null || context.getTarget() != null) {
            return; // a resource's own OPTIONS method said what it allows
        }
        String allow = AllowedMethods.forCurrentRequest();
        if (allow != null) {
            response.getHeaders().putSingle(HttpHeaders.ALLOW, allow);
        }
    }
}
