package cn.onenet.identity.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * A client's client-credentials tokens as one grant (table {@code client_credentials_grant}): their {@code jti} is the
 * current grant's id, a dot and a random part, like a user token's, so revoking the grant ends every token issued
 * under it — at identity ({@link GrantStore#accessTokenRevoked}) and, through the revocation list's {@code grants}, at
 * the gateway and the services — without recording each token. A revoked grant is never current again: the client's
 * next token request starts a new one, so reactivating its department or enabling it again revives no earlier token.
 */
@ApplicationScoped
public class ClientCredentialsGrants {

    private final EntityManager em;

    public ClientCredentialsGrants(EntityManager em) {
        this.em = em;
    }

    /** The client's current grant, started if it has none (two requests at once start one: the unique index). */
    @Transactional
    @SuppressWarnings("unchecked")
    public UUID current(String clientId) {
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

    /** Revokes the client's current grant, in the caller's transaction; whether it had one. */
    @Transactional
    public boolean revokeClient(String clientId, String reason) {
        return em.createNativeQuery("UPDATE client_credentials_grant SET revoked_at = now(), revoke_reason = ?2 "
                + "WHERE client_id = ?1 AND revoked_at IS NULL").setParameter(1, clientId).setParameter(2, reason)
                .executeUpdate() > 0;
    }

    /** Revokes the current grants of the department's clients, in the caller's transaction; how many. */
    @Transactional
    public int revokeDepartment(long departmentId, String reason) {
        return em.createNativeQuery("UPDATE client_credentials_grant SET revoked_at = now(), revoke_reason = ?2 "
                + "WHERE client_id IN (SELECT client_id FROM oauth_client WHERE department_id = ?1) "
                + "AND revoked_at IS NULL").setParameter(1, departmentId).setParameter(2, reason).executeUpdate();
    }
}
