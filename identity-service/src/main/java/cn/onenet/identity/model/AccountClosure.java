package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A holder's request to close their account (注销账户): cooling off until {@link #effectiveAt}, then carried out,
 * unless the holder signs in again or the cancel token sent to their contact is used first. At most one is open per
 * account ({@link #endedAt} null).
 */
@Entity
@Table(name = "account_closure")
public class AccountClosure extends PanacheEntityBase {

    public static final String CLOSED = "CLOSED";
    public static final String CANCELLED_BY_SIGN_IN = "CANCELLED_BY_SIGN_IN";
    public static final String CANCELLED_BY_TOKEN = "CANCELLED_BY_TOKEN";

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "requested_at", nullable = false)
    public OffsetDateTime requestedAt = OffsetDateTime.now();

    @Column(name = "effective_at", nullable = false)
    public OffsetDateTime effectiveAt;

    /** SHA-256 of the cancel token sent to the contact; the token itself is only in that message. */
    @Column(name = "cancel_hash")
    public String cancelHash;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    public String outcome;

    /** Keyed digest of the closed account's ID number (set when it is closed). */
    @Column(name = "id_digest")
    public String idDigest;

    /** The account's open request, or null. */
    public static AccountClosure open(UUID accountId) {
        return find("accountId = ?1 and endedAt is null", accountId).firstResult();
    }

    public void end(String how) {
        endedAt = OffsetDateTime.now();
        outcome = how;
    }
}
