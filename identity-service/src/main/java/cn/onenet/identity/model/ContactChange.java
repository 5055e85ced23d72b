package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A change of an account's phone or e-mail asked for by its holder: waiting for the code sent to the new contact,
 * then cooling off until {@link #effectiveAt}, when the account takes the new contact. At most one is open per
 * account ({@link #endedAt} null).
 */
@Entity
@Table(name = "contact_change")
public class ContactChange extends PanacheEntityBase {

    public static final String PHONE = "PHONE";
    public static final String EMAIL = "EMAIL";

    @Id
    public UUID id;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    /** {@link #PHONE} or {@link #EMAIL}. */
    @Column(nullable = false)
    public String channel;

    @Column(name = "new_value", nullable = false)
    public String newValue;

    @Column(name = "code_hash", nullable = false)
    public String codeHash;

    @Column(name = "code_expires_at", nullable = false)
    public OffsetDateTime codeExpiresAt;

    @Column(name = "code_failures", nullable = false)
    public int codeFailures;

    @Column(name = "cancel_hash")
    public String cancelHash;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "confirmed_at")
    public OffsetDateTime confirmedAt;

    @Column(name = "effective_at")
    public OffsetDateTime effectiveAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    public String outcome;

    /** The account's open change, or null. */
    public static ContactChange open(UUID accountId) {
        return find("accountId = ?1 and endedAt is null", accountId).firstResult();
    }

    public void end(String how) {
        endedAt = OffsetDateTime.now();
        outcome = how;
    }
}
