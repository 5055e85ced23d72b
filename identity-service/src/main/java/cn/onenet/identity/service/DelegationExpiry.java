package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The end of an authorisation's period (经办授权到期). Once its {@code validTo} has passed, an agent's codes, refresh
 * tokens and access tokens for the enterprise are refused at once (the checks compare with the time), but the agent's
 * SSO session for the enterprise and its grants would stay, and the applications signed in through it would not
 * hear of it. This step ends them as a revocation does ({@link DelegationService#endAgentSessions}): the grants in the
 * enterprise's name that no other delegation covers are revoked, and the agent's sessions acting for it end with
 * back-channel logout once no delegation between the two is in force. The delegation itself keeps its status
 * ({@code ACTIVE}, past its period); each end is audited as {@code DELEGATION_EXPIRED} by {@link AuditService#SYSTEM}.
 * <p>
 * Each delegation's end is handled once: it is claimed with {@code FOR UPDATE SKIP LOCKED} and marked
 * ({@code expiry_handled_at}) in the transaction that ends its sessions, so replicas running the step at the same
 * time share the work and a second run finds nothing. The mark is written in SQL without the row's version, so an
 * enterprise revoking the delegation meanwhile is not answered {@code 409}.
 */
@ApplicationScoped
public class DelegationExpiry {

    /** Delegations handled per transaction. */
    static final int BATCH = 50;

    private final EntityManager em;
    private final GrantStore grants;
    private final DelegationService delegations;
    private final AuditService audit;

    public DelegationExpiry(EntityManager em, GrantStore grants, DelegationService delegations, AuditService audit) {
        this.em = em;
        this.grants = grants;
        this.delegations = delegations;
        this.audit = audit;
    }

    @Scheduled(every = "${identity.delegation.expiry-interval:1m}", delayed = "40s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        endExpired();
    }

    /** Acts on every delegation whose period has ended and was not acted on yet; returns how many. */
    public int endExpired() {
        int total = 0;
        int handled;
        do {
            handled = QuarkusTransaction.requiringNew().call(this::endBatch);
            total += handled;
        } while (handled == BATCH);
        return total;
    }

    @SuppressWarnings("unchecked")
    private int endBatch() {
        List<Object[]> due = em.createNativeQuery("SELECT id, agent_id, enterprise_id FROM delegation"
                + " WHERE status = 'ACTIVE' AND expiry_handled_at IS NULL AND agent_id IS NOT NULL AND valid_to <= ?1"
                + " ORDER BY valid_to, id LIMIT " + BATCH + " FOR UPDATE SKIP LOCKED")
                .setParameter(1, OffsetDateTime.now()).getResultList();
        for (Object[] row : due) {
            UUID id = (UUID) row[0];
            UUID agentId = (UUID) row[1];
            UUID enterpriseId = (UUID) row[2];
            em.createNativeQuery("UPDATE delegation SET expiry_handled_at = now() WHERE id = ?1").setParameter(1, id)
                    .executeUpdate();
            int revoked = grants.revokeUncoveredAgentGrants(agentId, enterpriseId);
            int ended = delegations.endAgentSessions(agentId, enterpriseId);
            audit.recordInTransaction("DELEGATION_EXPIRED", AuditService.SYSTEM, agentId.toString(), null, null,
                    "delegation=" + id + " enterprise=" + enterpriseId + ": period ended; sessions ended=" + ended
                            + ", grants revoked=" + revoked);
        }
        return due.size();
    }
}
