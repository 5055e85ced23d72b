package cn.onenet.gateway.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.httpproxy.HttpProxy;

/**
 * The benchmark's floor (gateway/bench/bench.sh): a bare Vert.x HTTP server handing every request to
 * vertx-http-proxy's {@code HttpProxy.reverseProxy}, on epoll, with the gateway's event-loop count and upstream pool
 * settings, and nothing else (no Quarkus, no router, no authentication, no rate limit, no headers of its own). What
 * the JVM HTTP stack alone costs per proxied request on this machine.
 *
 * <pre>java -cp gateway/target/test-classes:gateway/target/quarkus-app/lib/main/* \
 *     cn.onenet.gateway.bench.ProxyFloor &lt;listen port&gt; &lt;backend port&gt; [event loops]</pre>
 */
public final class ProxyFloor {

    private ProxyFloor() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int backendPort = Integer.parseInt(args[1]);
        int loops = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(loops));
        if (!vertx.isNativeTransportEnabled()) {
            throw new IllegalStateException("epoll transport not available", vertx.unavailableNativeTransportCause());
        }
        CountDownLatch started = new CountDownLatch(1);
        // One verticle per event loop: each has its own server instance (connections spread over them) and its own
        // upstream client and keep-alive pool, as the gateway has one per loop.
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start(Promise<Void> done) {
                HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                        .setMaxPoolSize(32).setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(false));
                HttpProxy proxy = HttpProxy.reverseProxy(client).origin(backendPort, "127.0.0.1");
                vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
                        .requestHandler(proxy)
                        .listen()
                        .<Void>mapEmpty()
                        .onComplete(done);
            }
        }, new DeploymentOptions().setInstances(loops)).onSuccess(id -> started.countDown()).onFailure(e -> {
            e.printStackTrace();
            System.exit(1);
        });
        if (!started.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("floor proxy did not start");
        }
        System.out.println("floor proxy on 127.0.0.1:" + port + " -> 127.0.0.1:" + backendPort + ", " + loops
                + " event loops, epoll");
    }
}
