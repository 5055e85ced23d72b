package cn.onenet.gateway.service;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * identity's protocol surface as the rate limit sees it: which plan a path under the issuer ({@code /oidc}) falls
 * under, and which client a request to a client-authenticated endpoint names. The client is read, never verified
 * (the gateway holds no client secrets and keys): it only chooses the bucket of that client at the caller's address.
 */
public final class OidcEndpoints {

    /** The plan a path of identity's protocol surface falls under. */
    public enum Endpoint {
        /** The client-authenticated endpoints, and UserInfo, which a client calls with its user's token. */
        CLIENT,
        /** The browser pages: authorize, login, consent, logout, registration, recovery, cancel links. */
        PAGE,
        /** The public keys and the discovery metadata. */
        METADATA
    }

    /** Longest client id taken from a request; identity's are at most 100 characters. */
    static final int MAX_CLIENT_ID = 100;

    private OidcEndpoints() {
    }

    /**
     * The address a protocol-surface bucket is keyed by: an IPv4 address as it is, an IPv6 address by its /64 (one
     * subscriber's or one LAN's prefix, from which a caller can take any of 2^64 addresses, so per /128 there would
     * be no ceiling at all). An IPv4-mapped IPv6 address counts as its IPv4 address; anything unparsable as it is.
     */
    public static String addressKey(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address;
        }
        int scope = address.indexOf('%');
        byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(scope < 0 ? address
                : address.substring(0, scope));
        if (bytes == null) {
            return address;
        }
        int v4 = bytes.length == 4 ? 0 : ipv4Mapped(bytes) ? 12 : -1;
        if (v4 >= 0) {
            return (bytes[v4] & 0xff) + "." + (bytes[v4 + 1] & 0xff) + "." + (bytes[v4 + 2] & 0xff) + "."
                    + (bytes[v4 + 3] & 0xff);
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /** {@code ::ffff:a.b.c.d}. */
    private static boolean ipv4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    /** The endpoint of a normalised path below the issuer's prefix ({@code rest}: the path after {@code /oidc}). */
    public static Endpoint classify(String rest) {
        String path = rest.length() > 1 && rest.endsWith("/") ? rest.substring(0, rest.length() - 1) : rest;
        return switch (path) {
            case "/token", "/introspect", "/revoke", "/revocations", "/userinfo" -> Endpoint.CLIENT;
            case "/jwks" -> Endpoint.METADATA;
            default -> path.startsWith("/.well-known/") ? Endpoint.METADATA : Endpoint.PAGE;
        };
    }

    /**
     * The client an {@code Authorization} header names: a Basic user name (RFC 6749 §2.3.1, form-encoded), or the
     * {@code client_id} (else {@code azp}) of a bearer token's payload. Null when it names none that could be a client.
     */
    public static String fromAuthorization(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon <= 0 ? null : clientId(formDecode(decoded.substring(0, colon)));
        }
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return tokenClient(authorization.substring(7).trim());
        }
        return null;
    }

    /**
     * The client a form body names: {@code client_id}, else the subject (else the issuer) of a
     * {@code client_assertion} (RFC 7523 §3: both are the client's id), else the client of an {@code access_token}
     * (UserInfo's form parameter, RFC 6750 §2.2). Null when it names none that could be a client.
     */
    public static String fromForm(Buffer body) {
        String clientId = null;
        String assertion = null;
        String accessToken = null;
        for (String pair : body.toString(StandardCharsets.ISO_8859_1).split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = pair.substring(0, eq);
            if (clientId == null && name.equals("client_id")) {
                clientId = clientId(formDecode(pair.substring(eq + 1)));
            } else if (assertion == null && name.equals("client_assertion")) {
                assertion = formDecode(pair.substring(eq + 1));
            } else if (accessToken == null && name.equals("access_token")) {
                accessToken = formDecode(pair.substring(eq + 1));
            }
        }
        if (clientId != null) {
            return clientId;
        }
        if (assertion != null) {
            JsonObject claims = claims(assertion);
            if (claims != null) {
                String subject = clientId(claims.getValue("sub") instanceof String s ? s : null);
                return subject != null ? subject : clientId(claims.getValue("iss") instanceof String s ? s : null);
            }
        }
        return accessToken == null ? null : tokenClient(accessToken);
    }

    /** Whether a {@code Content-Type} is a form ({@code application/x-www-form-urlencoded}, any parameters). */
    public static boolean form(String contentType) {
        return contentType != null && contentType.regionMatches(true, 0, "application/x-www-form-urlencoded", 0,
                "application/x-www-form-urlencoded".length());
    }

    private static String tokenClient(String token) {
        JsonObject claims = claims(token);
        if (claims == null) {
            return null;
        }
        String clientId = clientId(claims.getValue("client_id") instanceof String s ? s : null);
        return clientId != null ? clientId : clientId(claims.getValue("azp") instanceof String s ? s : null);
    }

    /** The payload of a compact JWS, unverified; null if it is none. */
    private static JsonObject claims(String jwt) {
        int first = jwt.indexOf('.');
        int second = first < 0 ? -1 : jwt.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.substring(first + 1, second)),
                    StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * A name that could be a client id (identity's: lower-case letters, digits, {@code . _ -}; here any of RFC 3986's
     * unreserved characters, at most {@value #MAX_CLIENT_ID}), else null: anything else is no client's, and names no
     * bucket of its own (so a long or strange name cannot bloat the buckets).
     */
    static String clientId(String candidate) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > MAX_CLIENT_ID) {
            return null;
        }
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~';
            if (!unreserved) {
                return null;
            }
        }
        return candidate;
    }

    private static String formDecode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
