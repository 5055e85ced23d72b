package cn.onenet.identity.service;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.identity.config.IdentityConfig;

/**
 * What the other services must refuse although its signature still verifies: the access tokens identity itself
 * already refuses ({@link GrantStore#accessTokenRevoked}, {@link TokenValidation}). The catalog and the exchange verify
 * access tokens on their own and would otherwise accept a token until it expires; they fetch this list every few
 * seconds ({@code onenet.security.revocations} in common).
 * <p>
 * Only what can still be presented is listed: grants revoked within one access-token lifetime (plus a minute of clock
 * skew; an older grant's tokens have all expired) — users' grants and clients' client-credentials grants
 * ({@link ClientCredentialsGrants}: a deactivated department's systems, a disabled client) —, single access tokens on
 * the deny list until their expiry, and the disabled clients (every token issued to them, users' too).
 * <p>
 * Read by the suite's resource servers and by the gateway, which refuses such tokens at the edge: each with its own
 * client ({@link #mayRead}).
 */
@ApplicationScoped
public class RevocationList {

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final EntityManager em;
    private final IdentityConfig config;

    public RevocationList(EntityManager em, IdentityConfig config) {
        this.em = em;
        this.config = config;
    }

    /**
     * Who may read the list: the clients of the catalog and the exchange, which verify access tokens themselves, and
     * the gateway's ({@code gateway}, the console's client), which verifies them at the edge.
     */
    public static boolean mayRead(String clientId) {
        return ClientService.SERVICE_AUDIENCES.containsKey(clientId) || SuiteClients.GATEWAY.equals(clientId);
    }

    /** The list as of now, and the lookback it covers. */
    public record Snapshot(OffsetDateTime asOf, Duration lookback, List<String> grants, List<String> tokens,
            List<String> clients) {
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public Snapshot current() {
        OffsetDateTime now = OffsetDateTime.now();
        Duration lookback = config.tokens().accessTokenLifetime().plus(CLOCK_SKEW);
        // users' grants and clients' client-credentials grants alike: both name the start of their tokens' jti
        List<String> grants = em.createNativeQuery("SELECT CAST(id AS VARCHAR) FROM (SELECT id, revoked_at "
                + "FROM token_grant WHERE revoked_at > ?1 UNION ALL SELECT id, revoked_at FROM client_credentials_grant "
                + "WHERE revoked_at > ?1) g ORDER BY revoked_at").setParameter(1, now.minus(lookback)).getResultList();
        List<String> tokens = em.createNativeQuery("SELECT jti FROM revoked_access_token WHERE expires_at > ?1 "
                + "ORDER BY jti").setParameter(1, now).getResultList();
        List<String> clients = em.createNativeQuery("SELECT client_id FROM oauth_client WHERE NOT enabled "
                + "ORDER BY client_id").getResultList();
        return new Snapshot(now, lookback, grants, tokens, clients);
    }
}
