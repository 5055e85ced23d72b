package cn.onenet.exchange.service;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import io.netty.util.NetUtil;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * HTTP calls the exchange makes on a department's behalf (webhook deliveries, proxied providers' lookups). Each call
 * connects to the address {@link OutboundAddresses} checked for the URL's host and never resolves the name again, so
 * a DNS answer that changes between the check and the connection (DNS rebinding) reaches nothing unchecked; the name
 * still goes in the Host header and, for https, in TLS SNI and the certificate's hostname verification. Connections
 * are pooled per address. Redirects are not followed: the next location was not checked.
 */
final class OutboundClient implements AutoCloseable {

    /** How a call failed, coarsely. */
    enum Failure {
        /**
         * No connection within the connect timeout (the TCP connect, or waiting for a pooled connection): nothing was
         * sent.
         */
        CONNECT_TIMEOUT,
        /** Connected and sent, but no answer within the call's timeout. */
        TIMEOUT,
        /** The TLS handshake failed (certificate not trusted or not for the name, no common protocol). */
        TLS,
        /** Refused, no route: nothing listens there; nothing was sent. */
        UNREACHABLE,
        /** Connected, but the answer was unusable (reset, closed, not HTTP). */
        BROKEN
    }

    /** For host names: SNI names the host (the TLS engine would leave out names without a dot). */
    private final WebClient byName;
    /** For IP literals, which SNI may not carry. */
    private final WebClient byAddress;

    OutboundClient(Vertx vertx, WebClientOptions options) {
        WebClientOptions common = new WebClientOptions(options).setFollowRedirects(false).setVerifyHost(true);
        this.byName = WebClient.create(vertx, new WebClientOptions(common).setForceSni(true));
        this.byAddress = WebClient.create(vertx, new WebClientOptions(common).setForceSni(false));
    }

    /** A request to the target's URL, over a connection to its checked address (the target must have one). */
    HttpRequest<Buffer> request(HttpMethod method, OutboundAddresses.Target target) {
        if (target.address() == null) {
            throw new IllegalArgumentException("no checked address for " + target.url().getHost());
        }
        String host = target.url().getHost();
        boolean literal = host.startsWith("[") || NetUtil.isValidIpV4Address(host);
        return (literal ? byAddress : byName).requestAbs(method, server(target), target.url().toString());
    }

    /** The checked address without a name attached: the client connects to it and keys its pool by it. */
    private static SocketAddress server(OutboundAddresses.Target target) {
        try {
            InetAddress bare = InetAddress.getByAddress(target.address().getAddress());
            return SocketAddress.inetSocketAddress(new InetSocketAddress(bare, target.port()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("not an IP address", e); // 4 or 16 bytes from an InetAddress
        }
    }

    /**
     * The coarse failure behind a call's exception (its causes looked through). A failure before a connection was
     * had is told apart from one after it: a connect timeout (Netty's {@code ConnectTimeoutException} is a
     * {@link ConnectException}; Vert.x's "timeout … exceeded when getting a connection" ends the wait for a pooled
     * connection) is {@link Failure#CONNECT_TIMEOUT}, never the {@link Failure#TIMEOUT} of a request that was sent.
     */
    static Failure failure(Throwable failure) {
        boolean unreachable = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException || t instanceof java.security.cert.CertificateException) {
                return Failure.TLS;
            }
            if (t instanceof ConnectException && isTimeout(t)) {
                return Failure.CONNECT_TIMEOUT;
            }
            if (isTimeout(t)) {
                return gettingAConnection(t) ? Failure.CONNECT_TIMEOUT : Failure.TIMEOUT;
            }
            unreachable |= t instanceof ConnectException || t instanceof NoRouteToHostException;
        }
        return unreachable ? Failure.UNREACHABLE : Failure.BROKEN;
    }

    /** Whether the call never had a connection, so its request was not sent (refused, unreachable, connect timeout). */
    static boolean unsent(Failure failure) {
        return failure == Failure.UNREACHABLE || failure == Failure.CONNECT_TIMEOUT || failure == Failure.TLS;
    }

    private static boolean isTimeout(Throwable t) {
        return t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                || t.getClass().getSimpleName().contains("Timeout");
    }

    /** Vert.x's failure of a request that waited for a connection (the TCP connect or a free pooled one) too long. */
    private static boolean gettingAConnection(Throwable t) {
        String message = t.getMessage();
        return message != null && message.contains("getting a connection");
    }

    @Override
    public void close() {
        byName.close();
        byAddress.close();
    }
}
