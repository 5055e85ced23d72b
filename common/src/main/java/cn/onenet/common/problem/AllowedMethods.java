package cn.onenet.common.problem;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.HttpMethod;

import org.jboss.resteasy.reactive.server.core.CurrentRequestManager;
import org.jboss.resteasy.reactive.server.core.Deployment;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.handlers.ClassRoutingHandler;
import org.jboss.resteasy.reactive.server.handlers.RestInitialHandler.InitialMatch;
import org.jboss.resteasy.reactive.server.mapping.RequestMapper;
import org.jboss.resteasy.reactive.server.mapping.RuntimeResource;
import org.jboss.resteasy.reactive.server.spi.ServerRestHandler;

import io.quarkus.resteasy.reactive.server.runtime.ResteasyReactiveRecorder;

/**
 * The methods the JAX-RS resources accept on a path, for the {@code Allow} header RFC 9110 §15.5.6 requires on a
 * 405 (and §9.3.7 expects on an answer to OPTIONS). Quarkus REST (3.34) refuses a method a path does not serve with
 * a {@code NotAllowedException} without one, and answers OPTIONS with every method of the resource class, whatever
 * its path. The path is matched here as Quarkus REST's router matches it, with its own tables (the deployment's
 * class mappers, then each class's mapper per method): the methods found are those a request would reach, plus
 * HEAD where GET is served and OPTIONS where the class has no OPTIONS method of its own (the router answers both).
 */
public final class AllowedMethods {

    /** The router's class-level table, built once per deployment (a dev-mode reload makes a new one). */
    private static volatile ClassTable classes;

    private record ClassTable(Deployment deployment, RequestMapper<InitialMatch> mapper) {
    }

    private AllowedMethods() {
    }

    /**
     * The value of {@code Allow} for the path of the request being answered ({@code "GET, HEAD, OPTIONS"}), or null
     * when no resource serves that path or there is no request of Quarkus REST's under way.
     */
    public static String forCurrentRequest() {
        ResteasyReactiveRequestContext context = CurrentRequestManager.get();
        Deployment deployment = ResteasyReactiveRecorder.getCurrentDeployment();
        if (context == null || deployment == null) {
            return null;
        }
        Set<String> methods = onPath(deployment, context.getPathWithoutPrefix());
        return methods.isEmpty() ? null : String.join(", ", methods);
    }

    /** The methods accepted on {@code path} (without the application's prefix), in alphabetical order. */
    static Set<String> onPath(Deployment deployment, String path) {
        RequestMapper<InitialMatch> mapper = classTable(deployment);
        Set<String> methods = new TreeSet<>();
        boolean implicitOptions = false;
        // Several classes may match a path (/a and /a/{id} at class level): the router tries them in turn.
        RequestMapper.RequestMatch<InitialMatch> match = mapper.map(path);
        for (int tried = 0; match != null && tried < 1_000; tried++) {
            String remaining = match.remaining.isEmpty() ? "/" : match.remaining;
            for (ServerRestHandler handler : match.value.handlers) {
                if (handler instanceof ClassRoutingHandler routing) {
                    Map<String, RequestMapper<RuntimeResource>> byMethod = routing.getMappers();
                    boolean served = false;
                    for (Map.Entry<String, RequestMapper<RuntimeResource>> entry : byMethod.entrySet()) {
                        if (entry.getKey() != null && entry.getValue().map(remaining) != null) {
                            methods.add(entry.getKey());
                            served = true;
                        }
                    }
                    implicitOptions |= served && !byMethod.containsKey(HttpMethod.OPTIONS);
                }
            }
            match = mapper.continueMatching(path, match);
        }
        if (methods.contains(HttpMethod.GET)) {
            methods.add(HttpMethod.HEAD);
        }
        if (implicitOptions) {
            methods.add(HttpMethod.OPTIONS);
        }
        return methods;
    }

    private static RequestMapper<InitialMatch> classTable(Deployment deployment) {
        ClassTable table = classes;
        if (table == null || table.deployment() != deployment) {
            table = new ClassTable(deployment, new RequestMapper<>(deployment.getClassMappers()));
            classes = table;
        }
        return table.mapper();
    }
}
