package cn.onenet.launcher;

import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a service's jar in launcher tests: listens where the launcher tells a service to
 * ({@code QUARKUS_HTTP_PORT}) and reports ready, until it is stopped; {@code GET /env/NAME} answers the value of its
 * environment variable NAME (404 when unset).
 */
public final class StandInService {

    private StandInService() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        // what the launcher put into this service's environment, for the tests that check it (127.0.0.1 only)
        server.createContext("/env/", exchange -> {
            String value = System.getenv(exchange.getRequestURI().getPath().substring("/env/".length()));
            byte[] body = (value == null ? "" : value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(value == null ? 404 : 200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }
}
