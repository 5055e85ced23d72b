package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An enterprise's authorisation of an agent (经办人) for a period, optionally for named clients. */
@Entity
public class Delegation extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "enterprise_id", nullable = false)
    public UUID enterpriseId;

    /** The agent's account: null until the person the invitation names responds to it. */
    @Column(name = "agent_id")
    public UUID agentId;

    /** The agent's name as the enterprise's side typed it. */
    @Column(name = "agent_name", nullable = false)
    public String agentName;

    /** The agent's ID number as typed, masked (330106********001X). */
    @Column(name = "agent_id_masked", nullable = false)
    public String agentIdMasked;

    /** Keyed digest of the agent's ID number as typed (matched when the person responds); never the number itself. */
    @Column(name = "agent_id_digest")
    public String agentIdDigest;

    /** Space separated client ids; empty means every service. */
    @Column(name = "client_ids", nullable = false)
    public String clientIds = "";

    @Column(name = "valid_from", nullable = false)
    public OffsetDateTime validFrom;

    @Column(name = "valid_to", nullable = false)
    public OffsetDateTime validTo;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DelegationStatus status;

    @Column(name = "created_by", nullable = false)
    public UUID createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "accepted_at")
    public OffsetDateTime acceptedAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    @Column(name = "revoked_by")
    public UUID revokedBy;

    /**
     * When the scheduled step acted on the end of the period (the agent's sign-ins for the enterprise ended); null
     * before. Written by that step alone, in SQL, so a revocation saving the row meanwhile does not clear it.
     */
    @Column(name = "expiry_handled_at", insertable = false, updatable = false)
    public OffsetDateTime expiryHandledAt;

    @Version
    public long version;

    /** Whether an active delegation lets the agent act for the enterprise at the client now. */
    public static boolean coveredNow(UUID agentId, UUID enterpriseId, String clientId) {
        return Delegation.<Delegation>list("agentId = ?1 and enterpriseId = ?2 and status = ?3", agentId,
                enterpriseId, DelegationStatus.ACTIVE).stream().anyMatch(d -> d.coversNow(clientId));
    }

    public boolean coversNow(String clientId) {
        OffsetDateTime now = OffsetDateTime.now();
        return status == DelegationStatus.ACTIVE && !now.isBefore(validFrom) && now.isBefore(validTo)
                && (clientIds.isBlank() || OAuthClient.split(clientIds).contains(clientId));
    }
}
