package cn.onenet.identity.service;

import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.nimbusds.jose.jwk.JWKSet;

import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.OAuthClient;

/**
 * Cache of registered clients for the token and authorization endpoints. Entries expire after a few seconds so
 * changes made on another replica take effect; changes made here invalidate at once.
 */
@ApplicationScoped
public class ClientRegistry {

    private static final long TTL_MILLIS = 10_000;

    private record Entry(Optional<RegisteredClient> client, long loadedAt) {
    }

    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    /**
     * The enabled client registered with this id. An id no client can have (blank, longer than the column, or with a
     * control character such as NUL, which PostgreSQL refuses in text) is unknown without a lookup.
     */
    public Optional<RegisteredClient> find(String clientId) {
        if (clientId == null || clientId.isBlank() || clientId.length() > 100
                || clientId.chars().anyMatch(Character::isISOControl)) {
            return Optional.empty();
        }
        Entry entry = cache.get(clientId);
        long now = System.currentTimeMillis();
        if (entry == null || now - entry.loadedAt() > TTL_MILLIS) {
            entry = new Entry(load(clientId), now);
            if (cache.size() > 10_000) {
                cache.clear();
            }
            cache.put(clientId, entry);
        }
        return entry.client().filter(RegisteredClient::enabled);
    }

    public void invalidate(String clientId) {
        cache.remove(clientId);
    }

    @Transactional
    Optional<RegisteredClient> load(String clientId) {
        OAuthClient c = OAuthClient.findById(clientId);
        if (c == null) {
            return Optional.empty();
        }
        String dept = null;
        String region = null;
        boolean deactivated = false;
        if (c.departmentId != null) {
            Department d = Department.findById(c.departmentId);
            if (d != null && d.active) {
                dept = d.code;
                region = d.regionCode;
            }
            deactivated = d != null && !d.active;
        }
        JWKSet jwks = null;
        if (c.jwks != null && !c.jwks.isBlank()) {
            try {
                jwks = JWKSet.parse(c.jwks);
            } catch (ParseException e) {
                jwks = null;
            }
        }
        return Optional.of(new RegisteredClient(c.clientId, c.name, c.secretHash, c.authMethod,
                new LinkedHashSet<>(OAuthClient.split(c.grantTypes)), OAuthClient.split(c.redirectUris),
                OAuthClient.split(c.postLogoutRedirectUris), c.backchannelLogoutUri,
                new LinkedHashSet<>(OAuthClient.split(c.scopes)), OAuthClient.split(c.audiences),
                OAuthClient.split(c.roles), dept, region, c.firstParty, jwks, c.jwksUri, c.signingAlg, c.minLevel,
                c.enabled, deactivated));
    }
}
