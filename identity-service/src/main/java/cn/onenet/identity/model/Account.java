package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Version;

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A natural person, a legal person (enterprise) or a civil servant. Updates write only the columns changed, so an
 * edit does not put back a stale copy of what SQL writes beside the entity (the login failure count, see
 * LoginCounter).
 */
@Entity
@DynamicUpdate
public class Account extends PanacheEntityBase {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(name = "account_type", nullable = false)
    public AccountType type;

    @Column(nullable = false, unique = true)
    public String username;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    /** 公民身份号码. */
    @Column(name = "id_number")
    public String idNumber;

    /** 统一社会信用代码 of a legal person. */
    public String uscc;

    /** An enterprise's name in English (optional). */
    @Column(name = "english_name")
    public String englishName;

    @Column(name = "department_id")
    public Long departmentId;

    /** 法定代表人 of a legal person. */
    @Column(name = "legal_representative_id")
    public UUID legalRepresentativeId;

    public String email;

    public String phone;

    /**
     * When {@link #email} was shown to reach the holder (the {@code email_verified} claim); null when it was not.
     * Set with the contact where it is verified (Contacts#verify); a change of the contact that does not set it
     * clears it (the database does, whatever the path).
     */
    @Column(name = "email_verified_at")
    public OffsetDateTime emailVerifiedAt;

    /** When {@link #phone} was shown to reach the holder (the {@code phone_number_verified} claim), as above. */
    @Column(name = "phone_verified_at")
    public OffsetDateTime phoneVerifiedAt;

    @Column(name = "password_hash")
    public String passwordHash;

    /** Real-name level 1..4 (实名等级). */
    @Column(nullable = false)
    public int level = 1;

    @Column(name = "level_method")
    public String levelMethod;

    @Column(name = "level_source")
    public String levelSource;

    @Column(name = "level_verified_at")
    public OffsetDateTime levelVerifiedAt;

    /** The TOTP secret, sealed ({@code enc:v1:…}, see TotpFactor); null without a second factor. */
    @Column(name = "totp_secret")
    public String totpSecret;

    /**
     * A TOTP secret issued but not yet confirmed with a code from it (sealed like {@link #totpSecret}); login does
     * not ask for it. Confirming it makes it the account's factor (TotpFactor).
     */
    @Column(name = "totp_pending")
    public String totpPending;

    /** When {@link #totpPending} was issued: it can be confirmed only within the configured lifetime after. */
    @Column(name = "totp_pending_issued_at")
    public OffsetDateTime totpPendingIssuedAt;

    /**
     * The time step of the last one-time code accepted; codes of it or earlier steps are not accepted again. Written
     * only by SQL (TotpFactor), never with the entity: a stale copy must not undo a newer step.
     */
    @Column(name = "totp_last_step", insertable = false, updatable = false)
    public Long totpLastStep;

    @Column(nullable = false)
    public String status = "ACTIVE";

    @Column(name = "failed_logins", nullable = false)
    public int failedLogins;

    @Column(name = "locked_until")
    public OffsetDateTime lockedUntil;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "account_role", joinColumns = @JoinColumn(name = "account_id"))
    @Column(name = "role")
    public Set<String> roles = new HashSet<>();

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt = OffsetDateTime.now();

    @Version
    public long version;

    public boolean active() {
        return "ACTIVE".equals(status);
    }

    /** Whether the account with this id exists and is enabled. */
    public static boolean active(UUID id) {
        Account account = findById(id);
        return account != null && account.active();
    }

    public static Account byUsername(String username) {
        return find("lower(username) = ?1", username.trim().toLowerCase()).firstResult();
    }
}
