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
 * One enterprise of the legal-person reference (法人库) as an administrator loaded it: name, status and the keyed
 * digest of its legal representative's ID number (never the number).
 */
@Entity
@Table(name = "legal_person_registry")
public class LegalPersonRecord extends PanacheEntityBase {

    /** 统一社会信用代码. */
    @Id
    public String uscc;

    @Column(nullable = false)
    public String name;

    @Column(name = "representative_id_digest", nullable = false)
    public String representativeIdDigest;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RegistryStatus status;

    @Column(name = "loaded_at", nullable = false)
    public OffsetDateTime loadedAt;

    @Column(name = "loaded_by", nullable = false)
    public String loadedBy;
}
