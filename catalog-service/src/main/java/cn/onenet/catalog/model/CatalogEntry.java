package cn.onenet.catalog.model;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One catalogue entry: its editable draft, its live published copy, and its workflow state. */
@Entity
@Table(name = "catalog_entry")
public class CatalogEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "metadata_id")
    public String metadataId;

    @Column(name = "resource_code")
    public String resourceCode;

    @Column(name = "classification_code")
    public String classificationCode;

    @Column(name = "provider_code")
    public String providerCode;

    /** The draft's GB/T 2260 region code: the region whose 主管部门 reviews the entry (R5). */
    @Column(name = "region_code")
    public String regionCode;

    public String name;

    /**
     * The name as entries are told apart by it within their department and classification (NFKC-folded, stripped:
     * {@link #nameKey(String)}); unique among the department's current entries of the class (V12).
     */
    @Column(name = "name_key")
    public String nameKey;

    /**
     * For an entry registered before V12 with the name and classification of an earlier current entry of its
     * department: that entry's id. It stays outside the uniqueness index until it is renamed.
     */
    @Column(name = "duplicate_of")
    public Long duplicateOf;

    @Enumerated(EnumType.STRING)
    public EntryState state;

    @JdbcTypeCode(SqlTypes.JSON)
    public String draft;

    @JdbcTypeCode(SqlTypes.JSON)
    public String published;

    @Column(name = "published_version")
    public int publishedVersion;

    @Column(name = "version_label")
    public String versionLabel;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "secrecy_assessment")
    public String secrecyAssessment;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "pi_assessment")
    public String piAssessment;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "head_approval")
    public String headApproval;

    @JdbcTypeCode(SqlTypes.JSON)
    public String deregistration;

    /** The 备案 for a change that narrows what is shared while grants are active (条例 Art. 27 ¶3). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "change_filing")
    public String changeFiling;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "change_trigger")
    public String changeTrigger;

    @Column(name = "review_due")
    public LocalDate reviewDue;

    @Column(name = "change_due")
    public LocalDate changeDue;

    @Column(name = "change_extended")
    public boolean changeExtended;

    @Column(name = "submitted_at")
    public Instant submittedAt;

    /**
     * The account that last put the entry into review (its submission or its deregistration request): it never
     * decides on the entry itself.
     */
    @Column(name = "submitted_by")
    public String submittedBy;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    /**
     * 登记日期: the Beijing date the entry was registered, the day it was created unless an admin's spreadsheet import
     * gave the date it was first registered in the catalogue the department kept before (V13). Dates of later steps
     * on the entry may not lie before it.
     */
    @Column(name = "registered_on")
    public LocalDate registeredOn;

    @Column(name = "updated_by")
    public String updatedBy;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * The name as it is compared: a name typed with full-width letters or digits or with an ideographic space (U+3000)
     * around it is the same name, folded like a code ({@link Codes#normalize}).
     */
    public static String nameKey(String name) {
        return Codes.normalize(name);
    }

    @Version
    @Column(name = "lock_version")
    public int lockVersion;
}
