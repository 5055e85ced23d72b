package cn.onenet.exchange.service;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;

/**
 * Where the exchange may connect on a department's behalf (webhook receivers, proxied providers' endpoints): public
 * addresses only, so that a registered URL cannot make the exchange call its own network (loopback, private,
 * link-local such as the cloud metadata address 169.254.169.254, shared 100.64/10, unique-local, multicast,
 * reserved, and the IPv4 forms embedded in IPv6 addresses). Checked when a URL is registered and again, on the
 * address actually resolved, before every connection, which then goes to the address checked ({@link Target},
 * {@link OutboundClient}). Loopback is allowed where configured (development, tests); hosts named in
 * {@code exchange.outbound.allowed-hosts} are exempt.
 */
@ApplicationScoped
public class OutboundAddresses {

    /** How an address is classed. */
    enum Kind {
        PUBLIC,
        LOOPBACK,
        NOT_PUBLIC
    }

    /** The host must not be connected to (or does not resolve). */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unresolved;

        Refused(String message, boolean unresolved) {
            super(message, null, false, false);
            this.unresolved = unresolved;
        }

        /** True when the name did not resolve, false when it resolved to a refused address. */
        public boolean unresolved() {
            return unresolved;
        }
    }

    private final boolean allowLoopback;
    private final Set<String> allowedHosts;

    public OutboundAddresses(ExchangeConfig config) {
        this.allowLoopback = config.outbound().allowLoopback();
        this.allowedHosts = config.outbound().allowedHosts().orElse(List.of()).stream()
                .map(h -> bare(h.trim())).filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * An absolute URL (at most 1000 characters) with a host, without user info or fragment: the URI, or a 400 naming
     * the field. The scheme is left to the caller.
     */
    public static URI absoluteUrl(Fields.Field named, String value) {
        String field = named.name();
        if (value == null || value.isBlank() || value.length() > 1000) {
            throw named.error(named.required("最长 1000 字符", "at most 1000 characters"));
        }
        URI u;
        try {
            u = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw ApiException.field(field, "不是合法的 URL / not a valid URL");
        }
        if (u.getScheme() == null || u.getHost() == null || u.getUserInfo() != null || u.getFragment() != null) {
            throw ApiException.field(field, "须为含主机名、不含用户信息和片段的绝对地址 / an absolute URL with a host, "
                    + "without user info or fragment");
        }
        if (!portUsable(u)) {
            // URI accepts any digits as a port; no connection can be made to one outside 1–65535
            throw ApiException.field(field, "端口须在 1–65535 之间 / the port must be 1 to 65535");
        }
        return u;
    }

    /** Whether the URL names no port (its scheme's default) or one a connection can be made to (1–65535). */
    public static boolean portUsable(URI u) {
        return u.getPort() == -1 || (u.getPort() >= 1 && u.getPort() <= 65535);
    }

    /** The URL's scheme in lower case ("" when it has none). */
    public static String scheme(URI u) {
        return u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    }

    /**
     * At registration: a 400 naming the field when the host resolves to an address the exchange does not connect to.
     * A name that does not resolve (yet) is accepted: it is checked again before every connection.
     */
    public void checkRegistered(String field, URI url) {
        try {
            resolve(url.getHost());
        } catch (Refused e) {
            if (!e.unresolved()) {
                throw ApiException.field(field, "地址指向内部网络，不予连接 / the host resolves to a loopback, private, "
                        + "link-local or otherwise non-public address");
            }
        }
    }

    /** Before connecting: the address to connect to, every address of the host having been checked. */
    public InetAddress resolve(String host) throws Refused {
        if (host == null || host.isBlank()) {
            throw new Refused("no host", true);
        }
        String name = bare(host);
        InetAddress[] all;
        try {
            all = lookup(name);
        } catch (UnknownHostException | SecurityException e) {
            throw new Refused("host does not resolve", true);
        }
        if (!allowedHosts.contains(name)) {
            for (InetAddress a : all) {
                Kind kind = kind(a);
                if (kind == Kind.NOT_PUBLIC || (kind == Kind.LOOPBACK && !allowLoopback)) {
                    throw new Refused("refused address", false);
                }
            }
        }
        return all[0];
    }

    /**
     * Where a call to a URL connects: the URL, whose host still names the server (Host header, TLS SNI, certificate
     * check), and the address checked for that host (null when the name did not resolve).
     */
    public record Target(URI url, InetAddress address) {
        /** The URL's port, or its scheme's default. */
        public int port() {
            return url.getPort() != -1 ? url.getPort() : "https".equals(scheme(url)) ? 443 : 80;
        }
    }

    /**
     * Before connecting to a URL: its host resolved and checked, the connection to go to the address returned.
     * Refused for an address the exchange does not connect to; a name that does not resolve has no address (a
     * connection failure, which the caller reports as one).
     */
    public Target target(URI url) throws Refused {
        try {
            return new Target(url, resolve(url.getHost()));
        } catch (Refused e) {
            if (e.unresolved()) {
                return new Target(url, null);
            }
            throw e;
        }
    }

    /** Every address of a name (without brackets); the one place names are resolved, replaced in tests. */
    protected InetAddress[] lookup(String name) throws UnknownHostException {
        return InetAddress.getAllByName(name);
    }

    private static String bare(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** Public, loopback or otherwise not public. */
    static Kind kind(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return Kind.LOOPBACK;
        }
        if (a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()) {
            return Kind.NOT_PUBLIC;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            InetAddress embedded = embeddedIpv4(b);
            if (embedded != null) {
                return kind(embedded);
            }
            // fc00::/7 unique-local
            return (b[0] & 0xfe) == 0xfc ? Kind.NOT_PUBLIC : Kind.PUBLIC;
        }
        int o0 = b[0] & 0xff;
        int o1 = b[1] & 0xff;
        boolean reserved = o0 == 0 // "this network"
                || (o0 == 100 && (o1 & 0xc0) == 64) // 100.64/10 shared (CGNAT)
                || (o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0) // 192.0.0/24 protocol assignments
                || (o0 == 198 && (o1 & 0xfe) == 18) // 198.18/15 benchmarking
                || o0 >= 240; // 240/4 reserved, broadcast
        return reserved ? Kind.NOT_PUBLIC : Kind.PUBLIC;
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
    private static InetAddress embeddedIpv4(byte[] b) {
        byte[] v4 = null;
        if (allZero(b, 0, 10) && ((b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff || allZero(b, 10, 12))) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12)) {
            v4 = Arrays.copyOfRange(b, 12, 16);
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = Arrays.copyOfRange(b, 2, 6);
        }
        if (v4 == null) {
            return null;
        }
        try {
            return Inet4Address.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
