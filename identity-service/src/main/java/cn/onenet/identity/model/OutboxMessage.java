package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A message to an account holder (SMS or e-mail) waiting in the outbox for the sender that delivers it and sets
 * {@link #sentAt}. The body may carry a one-time token: it is what the holder receives.
 */
@Entity
@Table(name = "notification_outbox")
public class OutboxMessage extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** PASSWORD_RESET, PASSWORD_CHANGED, REGISTRATION_CONFIRM, REGISTRATION_ATTEMPT. */
    @Column(nullable = false)
    public String kind;

    /** SMS or EMAIL. */
    @Column(nullable = false)
    public String channel;

    @Column(nullable = false)
    public String recipient;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String body;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;
}
