package cn.onenet.identity.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.nimbusds.oauth2.sdk.OAuth2Error;

/**
 * A client's client-credentials tokens as one grant (table {@code client_credentials_grant}): their {@code jti} is the
 * current grant's id, a dot and a random part, like a user token's, so revoking the grant ends every token issued
 * under it — at identity ({@link GrantStore#accessTokenRevoked}) and, through the revocation list's {@code grants}, at
 * the gateway and the services — without recording each token. A revoked grant is never current again: the client's
 * next token request starts a new one, so reactivating its department or enabling it again revives no earlier token.
 */
@ApplicationScoped
public class ClientCredentialsGrants {

    /** Why a client of a deactivated department gets no token. */
    static final String DEPARTMENT_DEACTIVATED = "the client's department is deactivated: move the client to an "
            + "active department";

    private final EntityManager em;

    public ClientCredentialsGrants(EntityManager em) {
        this.em = em;
    }

    /**
     * The client's current grant, started if it has none (two requests at once start one: the unique index). Only
     * while the database shows the client enabled and its department, if any, active: the token endpoint decides from
     * a cached registration, which a disabling or a deactivation committed meanwhile (on this replica or another) has
     * not reached yet, and a grant started after their revocation would be on no revocation list. The rows are read
     * {@code FOR SHARE}: a disabling or deactivation under way ({@link #revokeClient}, {@link #revokeDepartment})
     * holds them for update, so this waits for its commit and reads its outcome; one that starts later waits for this
     * transaction and then revokes the grant started here. Likewise for a new secret ({@code secretHash}: the hash
     * the caller authenticated the client by, null for a signed assertion): a registration cached before the secret
     * was replaced still lets the old secret in, and a grant started for it would outlive the rotation's revocation.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public UUID current(String clientId, String secretHash) throws OAuthFailure {
        List<Object[]> client = em.createNativeQuery("SELECT enabled, department_id, secret_hash FROM oauth_client "
                + "WHERE client_id = ?1 FOR SHARE").setParameter(1, clientId).getResultList();
        if (client.isEmpty() || !Boolean.TRUE.equals(client.get(0)[0])
                || secretHash != null && !secretHash.equals(client.get(0)[2])) {
            // as the token endpoint answers a disabled client it has read as such
            throw new OAuthFailure(OAuth2Error.INVALID_CLIENT.setDescription("client authentication failed"));
        }
        if (client.get(0)[1] != null) {
            List<Object> active = em.createNativeQuery("SELECT active FROM department WHERE id = ?1 FOR SHARE")
                    .setParameter(1, ((Number) client.get(0)[1]).longValue()).getResultList();
            if (active.isEmpty() || !Boolean.TRUE.equals(active.get(0))) {
                throw new OAuthFailure(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription(DEPARTMENT_DEACTIVATED));
            }
        }
        List<Object> found = em.createNativeQuery("SELECT CAST(id AS VARCHAR) FROM client_credentials_grant "
                + "WHERE client_id = ?1 AND revoked_at IS NULL").setParameter(1, clientId).getResultList();
        if (found.isEmpty()) {
            em.createNativeQuery("INSERT INTO client_credentials_grant (id, client_id) VALUES (?1, ?2) "
                    + "ON CONFLICT (client_id) WHERE revoked_at IS NULL DO NOTHING")
                    .setParameter(1, UUID.randomUUID()).setParameter(2, clientId).executeUpdate();
            found = em.createNativeQuery("SELECT CAST(id AS VARCHAR) FROM client_credentials_grant "
                    + "WHERE client_id = ?1 AND revoked_at IS NULL").setParameter(1, clientId).getResultList();
        }
        return UUID.fromString((String) found.get(0));
    }

    /**
     * Whether the tokens of this grant id are refused: it is revoked, or it is no client-credentials grant at all
     * (a jti naming nothing identity issued).
     */
    @Transactional
    public boolean revoked(UUID id) {
        List<?> rows = em.createNativeQuery("SELECT 1 FROM client_credentials_grant WHERE id = ?1 "
                + "AND revoked_at IS NULL").setParameter(1, id).getResultList();
        return rows.isEmpty();
    }

    /**
     * Revokes the client's current grant, in the caller's transaction; whether it had one. The client's row is locked
     * first, until the caller's commit: a grant being started ({@link #current}) is committed before, so revoked here,
     * and none starts until the caller's change is committed.
     */
    @Transactional
    public boolean revokeClient(String clientId, String reason) {
        em.createNativeQuery("SELECT 1 FROM oauth_client WHERE client_id = ?1 FOR UPDATE").setParameter(1, clientId)
                .getResultList();
        return em.createNativeQuery("UPDATE client_credentials_grant SET revoked_at = now(), revoke_reason = ?2 "
                + "WHERE client_id = ?1 AND revoked_at IS NULL").setParameter(1, clientId).setParameter(2, reason)
                .executeUpdate() > 0;
    }

    /**
     * Revokes the current grants of the department's clients, in the caller's transaction; how many. The department's
     * row is locked first, as {@link #revokeClient} locks the client's.
     */
    @Transactional
    public int revokeDepartment(long departmentId, String reason) {
        em.createNativeQuery("SELECT 1 FROM department WHERE id = ?1 FOR UPDATE").setParameter(1, departmentId)
                .getResultList();
        return em.createNativeQuery("UPDATE client_credentials_grant SET revoked_at = now(), revoke_reason = ?2 "
                + "WHERE client_id IN (SELECT client_id FROM oauth_client WHERE department_id = ?1) "
                + "AND revoked_at IS NULL").setParameter(1, departmentId).setParameter(2, reason).executeUpdate();
    }
}
