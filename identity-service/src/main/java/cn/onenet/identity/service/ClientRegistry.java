package cn.onenet.identity.service;

import java.text.ParseException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.nimbusds.jose.jwk.JWKSet;

import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.OAuthClient;

/**
 * Cache of registered clients for the token and authorization endpoints. Entries expire after a few seconds so
 * changes made on another replica take effect; changes made here invalidate at once, and again once their
 * transaction has ended, so a request that read the client meanwhile cannot keep the old registration cached.
 */
@ApplicationScoped
public class ClientRegistry {

    private static final long TTL_MILLIS = 10_000;

    private record Entry(Optional<RegisteredClient> client, long loadedAt) {
    }

    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
    /** Counts invalidations: a client loaded while one happened is used but not cached (it may predate the change). */
    private final AtomicLong invalidations = new AtomicLong();
    private final TransactionSynchronizationRegistry transactions;

    public ClientRegistry(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

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
            long seen = invalidations.get();
            entry = new Entry(load(clientId), now);
            if (cache.size() > 10_000) {
                cache.clear();
            }
            if (invalidations.get() == seen) {
                cache.put(clientId, entry);
            }
        }
        return entry.client().filter(RegisteredClient::enabled);
    }

    /**
     * Forgets the client now and, called in a transaction, again when it ends: until the commit, other requests
     * still read (and may cache) the registration as it was.
     */
    public void invalidate(String clientId) {
        forget(clientId);
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    forget(clientId);
                }
            });
        }
    }

    private void forget(String clientId) {
        invalidations.incrementAndGet();
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
                c.enabled, deactivated, c.pkceRequired));
    }
}
