package cn.onenet.gateway.rest;

import java.net.InetAddress;
import java.net.UnknownHostException;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Who may read {@code /q/metrics}: a scraper inside the cluster or on the host, talking to the gateway directly. A
 * request that came through a proxy (the ingress controller always sets {@code X-Forwarded-For}) or from a public
 * address gets 404: the metrics name every client id and route, and are no business of the Internet.
 */
final class MetricsAccess {

    private MetricsAccess() {
    }

    static boolean internal(HttpServerRequest request) {
        if (request.headers().contains("X-Forwarded-For") || request.headers().contains("Forwarded")
                || request.headers().contains("X-Real-IP")) {
            return false;
        }
        // The connection's own peer, not an address taken from forwarding headers.
        SocketAddress peer = request.connection() == null ? null : request.connection().remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return false;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(peer.hostAddress());
        } catch (UnknownHostException e) {
            return false;
        }
        byte[] bytes = address.getAddress();
        return address.isLoopbackAddress() || address.isSiteLocalAddress()
                // 100.64.0.0/10 (carrier-grade NAT, some clusters' pod networks)
                || (bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64)
                // fc00::/7 (IPv6 unique local)
                || (bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc);
    }
}
