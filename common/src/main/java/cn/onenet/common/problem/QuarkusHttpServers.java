package cn.onenet.common.problem;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.vertx.core.Verticle;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.Deployment;
import io.vertx.core.impl.VertxInternal;

/**
 * Quarkus's HTTP servers once they listen, and the handlers Vert.x copied from each into its connection handler as
 * it began listening. Quarkus (3.34) creates and starts its servers in one step and offers no hook to set a
 * server's handlers before (quarkusio/quarkus#55082): what must be set on them is set here, on the server and, by
 * reflection, in that connection handler (Vert.x 4.5: {@code TCPServerBase.childHandler}, an
 * {@code HttpServerWorker}, whose {@code connectionHandler} is an {@code HttpServerConnectionHandler}). Connections
 * accepted in the milliseconds before keep what Vert.x copied. If Vert.x's or Quarkus's internals change, a warning
 * at start-up says so.
 */
final class QuarkusHttpServers {

    private static final Logger LOG = Logger.getLogger(QuarkusHttpServers.class);
    private static final String TCP_SERVER = "io.vertx.core.net.impl.TCPServerBase";
    private static final String SERVER_WORKER = "io.vertx.core.http.impl.HttpServerWorker";
    private static final String CONNECTION_HANDLER = "io.vertx.core.http.impl.HttpServerConnectionHandler";
    private static final String QUARKUS_HTTP_VERTICLE = "io.quarkus.vertx.http.runtime.VertxHttpRecorder$WebDeploymentVerticle";

    /** What is set on a listening server. */
    interface SetUp {
        void apply(HttpServer server) throws ReflectiveOperationException;
    }

    private QuarkusHttpServers() {
    }

    /**
     * Applies {@code setUp} to each of Quarkus's HTTP servers as it begins listening (Quarkus opens them after the
     * start-up event, one per event loop); when that fails, a warning says that {@code what} keeps
     * {@code otherwise}.
     */
    static void whenListening(Vertx vertx, String what, String otherwise, SetUp setUp) {
        Set<Object> done = Collections.newSetFromMap(new IdentityHashMap<>());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        vertx.setPeriodic(10, timer -> {
            try {
                if (applyToListening(vertx, setUp, done)) {
                    vertx.cancelTimer(timer);
                    LOG.debugf("%s: set on %d HTTP servers", what, done.size());
                } else if (System.nanoTime() > deadline) {
                    vertx.cancelTimer(timer);
                    LOG.warnf("%s keep %s on some servers: only %d of Quarkus's HTTP servers found listening", what,
                            otherwise, done.size());
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                vertx.cancelTimer(timer);
                LOG.warnf("%s keep %s: %s", what, otherwise, e.toString());
            }
        });
    }

    /**
     * Applies {@code setUp} to the listening HTTP servers of Quarkus's HTTP verticles (found among Vert.x's
     * deployments) not in {@code done} yet; true once every such verticle has a server and all of them are done.
     */
    static boolean applyToListening(Vertx vertx, SetUp setUp, Set<Object> done) throws ReflectiveOperationException {
        VertxInternal internal = (VertxInternal) vertx;
        int verticles = 0;
        boolean complete = true;
        for (String id : vertx.deploymentIDs()) {
            Deployment deployment = internal.getDeployment(id);
            if (deployment == null) {
                continue;
            }
            for (Verticle verticle : deployment.getVerticles()) {
                if (!verticle.getClass().getName().equals(QUARKUS_HTTP_VERTICLE)) {
                    continue;
                }
                verticles++;
                boolean listening = false;
                for (Field field : verticle.getClass().getDeclaredFields()) {
                    if (!HttpServer.class.isAssignableFrom(field.getType())) {
                        continue;
                    }
                    field.setAccessible(true);
                    HttpServer server = (HttpServer) field.get(verticle);
                    if (server == null || read(server, TCP_SERVER, "childHandler") == null) {
                        continue;
                    }
                    listening = true;
                    if (!done.contains(server)) {
                        setUp.apply(server);
                        done.add(server);
                    }
                }
                complete &= listening;
            }
        }
        return verticles > 0 && complete;
    }

    /** The connection handler of a listening server, holding the handlers its listening copied. */
    static Object connectionHandler(HttpServer server) throws ReflectiveOperationException {
        Object worker = read(server, TCP_SERVER, "childHandler");
        if (worker == null) {
            throw new IllegalStateException("HTTP server not listening");
        }
        return read(worker, SERVER_WORKER, "connectionHandler");
    }

    /** A field of {@link #connectionHandler} ({@code invalidRequestHandler}, {@code requestHandler}), accessible. */
    static Field connectionHandlerField(HttpServer server, String name) throws ReflectiveOperationException {
        Field field = Class.forName(CONNECTION_HANDLER, false, server.getClass().getClassLoader())
                .getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    private static Object read(Object target, String className, String fieldName) throws ReflectiveOperationException {
        Class<?> type = Class.forName(className, false, target.getClass().getClassLoader());
        if (!type.isInstance(target)) {
            throw new IllegalStateException(target.getClass().getName() + " is no " + className);
        }
        Field field = type.getDeclaredField(fieldName);
        field.setAccessible(true);
        return field.get(target);
    }
}
