package cn.onenet.common.security;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The identity service's revocation list ({@code GET <issuer>/revocations}), fetched every
 * {@code onenet.security.revocations.interval} (default 5 s) with this service's client credentials: access tokens
 * of revoked grants, single revoked access tokens and disabled clients, which a signature check alone would accept
 * until they expire (at most the access-token lifetime, 5 minutes). {@link RevokedTokenRefusal} refuses them. Vert.x's
 * own HTTP client and timer fetch it: no thread of its own.
 * <p>
 * Without {@code onenet.security.revocations.url} nothing is fetched and nothing refused. When identity cannot be
 * reached the last list received stays in force (tokens are still verified as before) and a warning is logged once
 * until a fetch succeeds again; before the first list arrives (identity still starting) none is, and the warning
 * says so.
 */
@ApplicationScoped
public class RevokedTokens {

    private static final Logger LOG = Logger.getLogger(RevokedTokens.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One list as fetched. */
    record Snapshot(Set<String> grants, Set<String> tokens, Set<String> clients) {
        static final Snapshot EMPTY = new Snapshot(Set.of(), Set.of(), Set.of());
    }

    private final Vertx vertx;
    private final Optional<URI> url;
    private final String authorization;
    private final Duration interval;
    private volatile Snapshot current = Snapshot.EMPTY;
    private volatile boolean failing;
    /** Whether a list was ever received: until then a failed fetch leaves no list in force. */
    private volatile boolean received;
    private HttpClient http;
    private long timer = -1;

    public RevokedTokens(Vertx vertx, @ConfigProperty(name = "onenet.security.revocations.url") Optional<String> url,
            @ConfigProperty(name = "onenet.security.revocations.client-id") Optional<String> clientId,
            @ConfigProperty(name = "onenet.security.revocations.client-secret") Optional<String> secret,
            @ConfigProperty(name = "onenet.security.revocations.interval", defaultValue = "5s") Duration interval) {
        this.vertx = vertx;
        // an address without scheme and host (e.g. "/revocations" from an empty auth-server-url) names no list
        this.url = url.filter(u -> !u.isBlank()).map(URI::create).filter(u -> {
            if (!u.isAbsolute()) {
                LOG.warnf("onenet.security.revocations.url %s is not an absolute URL: no revocation list is fetched", u);
            }
            return u.isAbsolute();
        });
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (clientId.orElse("") + ":" + secret.orElse("")).getBytes(StandardCharsets.UTF_8));
        this.interval = interval;
    }

    void start(@Observes StartupEvent event) {
        if (url.isPresent()) {
            refresh();
            timer = vertx.setPeriodic(interval.toMillis(), id -> refresh());
        }
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (http != null) {
            http.close();
        }
    }

    /** Whether a list is fetched at all. */
    public boolean active() {
        return url.isPresent();
    }

    /** Whether the list in force names nothing (none fetched, or an empty one): nothing to look up. */
    public boolean none() {
        Snapshot list = current;
        return list.grants().isEmpty() && list.tokens().isEmpty() && list.clients().isEmpty();
    }

    /** Fetches the list once; false (the previous list kept) when identity did not answer it. */
    public synchronized Future<Boolean> refresh() {
        URI target = url.orElseThrow();
        if (http == null) {
            http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(3000).setMaxPoolSize(1));
        }
        // the connect timeout also bounds the wait for the client's one connection: a fetch never waits for ever
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(target.toString())
                .setConnectTimeout(5000).setTimeout(5000).putHeader("Authorization", authorization).putHeader("Accept", "application/json");
        return http.request(request).compose(r -> r.send()).compose(response -> response.body().map(body -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode());
            }
            return body;
        })).map(body -> {
            try {
                JsonNode json = JSON.readTree(body.getBytes());
                current = new Snapshot(strings(json, "grants"), strings(json, "tokens"), strings(json, "clients"));
                received = true;
            } catch (IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
            if (failing) {
                LOG.infof("revocation list fetched again from %s", target);
                failing = false;
            }
            return true;
        }).otherwise(e -> {
            if (!failing) {
                LOG.warn(failureMessage(target, e, received));
                failing = true;
            }
            return false;
        });
    }

    /**
     * The warning of a failed fetch: the last list stays in force if there is one; before the first, no token is
     * refused as revoked (identity-service starting in parallel is the usual reason).
     */
    static String failureMessage(URI target, Throwable failure, boolean received) {
        return received
                ? "revocation list not fetched from " + target + " (" + failure + "): the last list received stays in "
                        + "force"
                : "no revocation list received yet from " + target + " (" + failure + "): no token is refused as "
                        + "revoked until one is";
    }

    private static Set<String> strings(JsonNode body, String field) throws IOException {
        JsonNode values = body.get(field);
        if (values == null || !values.isArray()) {
            throw new IOException("revocation list without " + field);
        }
        Set<String> set = new HashSet<>();
        values.forEach(v -> set.add(v.asText()));
        return Set.copyOf(set);
    }

    /**
     * Whether an access token with this {@code jti} and {@code client_id} is revoked: listed itself, issued for a
     * revoked grant (a token's jti is its grant id, a dot and a further part: a user grant's or a client's
     * client-credentials grant; client-credentials tokens issued before that grant existed start with {@code cc.}
     * and name none) or to a disabled client.
     */
    public boolean revoked(String jti, String clientId) {
        return revoked(key(jti, clientId));
    }

    /**
     * What a token is looked up by, read once from its claims: callers that keep a verified token's identity keep its
     * key too, so that checking it on every request takes three set lookups and allocates nothing.
     */
    public record Key(String jti, String grant, String clientId) {
    }

    /** The key of an access token with this {@code jti} and {@code client_id} (either may be null). */
    public static Key key(String jti, String clientId) {
        String grant = null;
        if (jti != null) {
            int dot = jti.indexOf('.');
            if (dot > 0 && !jti.startsWith("cc.")) {
                grant = jti.substring(0, dot);
            }
        }
        return new Key(jti, grant, clientId);
    }

    /**
     * The key of a JWT access token, read from its payload ({@code jti}, {@code client_id}) without checking its
     * signature: for a token already verified, such as a console session's; null if it does not parse.
     */
    public static Key keyOf(String token) {
        if (token == null) {
            return null;
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second < 0) {
            return null;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.substring(first + 1, second)));
            JsonNode jti = claims.get("jti");
            JsonNode clientId = claims.get("client_id");
            return key(jti != null && jti.isTextual() ? jti.asText() : null,
                    clientId != null && clientId.isTextual() ? clientId.asText() : null);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the token of this key is revoked, as {@link #revoked(String, String)}. */
    public boolean revoked(Key key) {
        Snapshot list = current;
        return key.clientId() != null && list.clients().contains(key.clientId())
                || key.jti() != null && list.tokens().contains(key.jti())
                || key.grant() != null && list.grants().contains(key.grant());
    }
}
