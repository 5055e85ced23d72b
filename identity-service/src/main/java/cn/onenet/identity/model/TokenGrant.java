package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * What a user authorised a client to have: one per authorization code. Its refresh tokens form one family;
 * revoking the grant revokes them all.
 */
@Entity
@Table(name = "token_grant")
public class TokenGrant extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "session_id")
    public String sessionId;

    @Column(nullable = false)
    public String scope;

    @Column(name = "acr_level", nullable = false)
    public int acrLevel;

    @Column(nullable = false)
    public String amr;

    @Column(name = "acting_for")
    public UUID actingFor;

    @Column(name = "auth_time", nullable = false)
    public OffsetDateTime authTime;

    public String nonce;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    @Column(name = "revoke_reason")
    public String revokeReason;
}
