package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A registry load that names another legal representative (法定代表人变更) for a registered enterprise. The
 * enterprise's account keeps its representative; this records the difference until the new one takes it over.
 */
@Entity
@Table(name = "legal_representative_change")
public class RepresentativeChange extends PanacheEntityBase {

    public static final String TAKEN_OVER = "TAKEN_OVER";
    /** A later load named the recorded representative again. */
    public static final String REVERTED = "REVERTED";
    /** A later load named yet another person: a new record replaces this one. */
    public static final String SUPERSEDED = "SUPERSEDED";

    @Id
    public UUID id;

    @Column(name = "enterprise_id", nullable = false)
    public UUID enterpriseId;

    @Column(nullable = false)
    public String uscc;

    @Column(name = "recorded_representative_id")
    public UUID recordedRepresentativeId;

    @Column(name = "new_representative_digest", nullable = false)
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

    public static RepresentativeChange open(UUID enterpriseId) {
        return find("enterpriseId = ?1 and endedAt is null", enterpriseId).firstResult();
    }
}
