package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A registry load that names another legal representative (法定代表人变更, kind {@code REPRESENTATIVE}) for a
 * registered enterprise: the account keeps its representative; this records the difference until the new one takes
 * it over. Or one that turned its status to 吊销 or 注销 (kind {@code STATUS}): a record only, the account stays as
 * it is until an administrator decides.
 */
@Entity
@Table(name = "legal_representative_change")
public class RepresentativeChange extends PanacheEntityBase {

    public static final String REPRESENTATIVE = "REPRESENTATIVE";
    public static final String STATUS = "STATUS";

    public static final String TAKEN_OVER = "TAKEN_OVER";
    /** A later load named the recorded representative again. */
    public static final String REVERTED = "REVERTED";
    /** A later load named yet another person: a new record replaces this one. */
    public static final String SUPERSEDED = "SUPERSEDED";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind = REPRESENTATIVE;

    @Column(name = "enterprise_id", nullable = false)
    public UUID enterpriseId;

    @Column(nullable = false)
    public String uscc;

    @Column(name = "recorded_representative_id")
    public UUID recordedRepresentativeId;

    /** STATUS: the status before the load (null when the reference had no row) and the one it loaded. */
    @Enumerated(EnumType.STRING)
    @Column(name = "previous_status")
    public RegistryStatus previousStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "registry_status")
    public RegistryStatus registryStatus;

    @Column(name = "new_representative_digest")
    public String newRepresentativeDigest;

    @Column(name = "new_representative_id")
    public UUID newRepresentativeId;

    @Column(name = "detected_at", nullable = false)
    public OffsetDateTime detectedAt;

    @Column(name = "detected_by", nullable = false)
    public String detectedBy;

    @Column(name = "ended_at")
    public OffsetDateTime endedAt;

    public String outcome;

    /** The open change of representative of the enterprise, if any. */
    public static RepresentativeChange open(UUID enterpriseId) {
        return find("enterpriseId = ?1 and kind = ?2 and endedAt is null", enterpriseId, REPRESENTATIVE).firstResult();
    }
}
