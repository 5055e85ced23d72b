package cn.onenet.identity.model;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A validated authorization request waiting at the login or consent page, or a request POSTed without the session
 * cookie waiting for the same-site GET that carries it ({@link Page#POSTED}).
 */
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

    /** The page the request waits at; a form is accepted only from its own page. */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Page page;

    /** The SSO session the page was shown in (null: none yet, at a login page). */
    @Column(name = "session_id")
    public String sessionId;

    public enum Page {
        LOGIN, CONSENT,
        /** POSTed cross-site, so without the SameSite=Lax session cookie: taken out by {@code GET ?req=<id>}. */
        POSTED
    }
}
