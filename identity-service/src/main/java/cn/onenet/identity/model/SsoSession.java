package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A browser's single sign-on session at the provider. */
@Entity
@Table(name = "sso_session")
public class SsoSession extends PanacheEntityBase {

    /** SHA-256 of the cookie value; the cookie itself is never stored. */
    @Id
    public String id;

    @Column(nullable = false)
    public String sid;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "acr_level", nullable = false)
    public int acrLevel;

    @Column(nullable = false)
    public String amr;

    @Column(name = "acting_for")
    public UUID actingFor;

    @Column(name = "auth_time", nullable = false)
    public OffsetDateTime authTime;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    /** The address the session was signed in from (the holder sees its network only). */
    public String ip;

    /** The browser's User-Agent at sign-in, cut to 300 characters. */
    @Column(name = "user_agent")
    public String userAgent;

    /** The {@code sub} of the tokens issued in this session: the enterprise an agent acts for, else the account. */
    public String tokenSubject() {
        return (actingFor != null ? actingFor : accountId).toString();
    }

    public boolean live() {
        return endedAt == null && expiresAt.isAfter(OffsetDateTime.now());
    }
}
