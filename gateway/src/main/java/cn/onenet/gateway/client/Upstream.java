package cn.onenet.gateway.client;

import java.net.URI;

import io.vertx.core.net.SocketAddress;

/** One upstream service: where it is (from configuration only, never from the request) and its circuit breaker. */
public record Upstream(String name, String host, int port, boolean ssl, SocketAddress address,
        Breaker breaker) {

    public static Upstream of(String name, String url, Breaker breaker) {
        URI uri = URI.create(url);
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
        return new Upstream(name, uri.getHost(), port, ssl, SocketAddress.inetSocketAddress(port, uri.getHost()),
                breaker);
    }
}
