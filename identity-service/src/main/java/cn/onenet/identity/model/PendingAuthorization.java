package cn.onenet.identity.model;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A validated authorization request waiting at the login or consent page. */
@Entity
@Table(name = "pending_authorization")
public class PendingAuthorization extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    /** The original request parameters, as a query string. */
    @Column(nullable = false)
    public String query;

    @Column(nullable = false)
    public String csrf;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;
}
