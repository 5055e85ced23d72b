package cn.onenet.exchange.model;

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

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** 共享授权: purpose-bound, item-scoped, time-limited, with a quota. */
// only changed columns are written: a deadline moved by DeadlineRecount (which keeps the version) is not
// written back by a transaction that read the row before
@DynamicUpdate
@Entity
@Table(name = "share_grant")
public class ShareGrant extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Version
    public int version;
    @Column(name = "request_id")
    public Long requestId;
    @Column(name = "resource_code")
    public String resourceCode;
    /** The catalogue entry's name when the grant's request was filed (V75; null for those filed before). */
    @Column(name = "resource_name")
    public String resourceName;
    /** JSON object, item code → the entry's name of it when the grant's request was filed (V75; null for those filed before). */
    @Column(name = "item_names")
    public String itemNames;
    @Column(name = "provider_department_code")
    public String providerDepartmentCode;
    @Column(name = "consumer_department_code")
    public String consumerDepartmentCode;
    /** JSON array of granted item codes. */
    public String items;
    /** JSON array of sensitive item codes the consumer may receive unmasked. */
    @Column(name = "clear_items")
    public String clearItems;
    /**
     * JSON array of granted items the grant delivers masked whatever the catalogue says of them later: those masked
     * when it was issued, and those a later catalogue version masked (an item once masked never comes out clear).
     */
    @Column(name = "masked_items")
    public String maskedItems = "[]";
    public String purpose;
    @Column(name = "legal_basis")
    public String legalBasis;
    @Column(name = "delivery_method")
    public String deliveryMethod;
    /**
     * 允许隐蔽查询: the request declared covert use and was granted with it (X-Covert-Until is refused otherwise, 403);
     * its legal basis and the longest a covert query may stay hidden (ISO 8601 period) as declared. False for grants
     * issued before V43.
     */
    @Column(name = "covert_use_permitted")
    public boolean covertUsePermitted;
    @Column(name = "covert_legal_basis")
    public String covertLegalBasis;
    @Column(name = "covert_max_period")
    public String covertMaxPeriod;
    @Column(name = "valid_from")
    public LocalDate validFrom;
    @Column(name = "valid_to")
    public LocalDate validTo;
    @Column(name = "quota_per_second")
    public int quotaPerSecond;
    @Column(name = "quota_per_day")
    public int quotaPerDay;
    /** Why the grant exists: 无条件共享, 有条件共享 (approved), or 回流 (条例第二十四条). */
    public String basis;
    /** Region prefix the records are limited to (回流 grants on datasets with a region key), else null. */
    @Column(name = "region_scope")
    public String regionScope;
    /**
     * The region whose 主管部门 governs the grant, as on its request ({@code Jurisdiction.commonRegion}); null when a
     * side has no region (the configured 主管部门's). Set at creation; afterwards only the exchange's bulk updates change
     * it ({@code AuthorityRegions}), never a write of the entity.
     */
    @Column(name = "authority_region", updatable = false)
    public String authorityRegion;
    /** ACTIVE, SUSPENDED, TERMINATED, EXPIRED. */
    public String status;
    @Column(name = "status_reason")
    public String statusReason;
    /**
     * While SUSPENDED: who imposed the suspension. {@code AUTHORITY} (the 主管部门: a reviewer or admin, for a security
     * incident, an upheld complaint or on its own) is lifted only by the 主管部门; {@code PROVIDER} (the providing
     * department's operators) by them or the 主管部门. Null once lifted or when never suspended; an ended grant keeps
     * the value it had.
     */
    @Column(name = "suspended_by")
    public String suspendedBy;
    /** The grant was SUSPENDED when it reached its end date (a new filing then waits for the provider's review). */
    @Column(name = "expired_while_suspended")
    public boolean expiredWhileSuspended;
    /** The day the provider's data is due (R10: 20 working days after its approval); null for grants by rule. */
    @Column(name = "delivery_due")
    public LocalDate deliveryDue;
    /**
     * The first delivery under the grant; written only by {@code DeliveryDeadlines} (a single SQL update), never by a
     * write of the entity, so a concurrent change of the grant does not erase it.
     */
    @Column(name = "first_delivered_at", updatable = false)
    public Instant firstDeliveredAt;
    /** The grant was still undelivered after {@link #deliveryDue}: the provider and the 主管部门 were told. */
    @Column(name = "delivery_escalated")
    public boolean deliveryEscalated;
    @Column(name = "disposal_confirmed_at")
    public Instant disposalConfirmedAt;
    @Column(name = "disposal_confirmed_by")
    public String disposalConfirmedBy;
    /**
     * How the provider requires the data disposed of when the grant ends (R14, 按照提供部门的要求): stated at approval,
     * changeable by the provider at termination; null when none was stated (deletion).
     */
    @Enumerated(EnumType.STRING)
    @Column(name = "disposal_method")
    public DisposalMethod disposalMethod;
    /** The provider's instructions beside the method (free text), or null. */
    @Column(name = "disposal_instructions")
    public String disposalInstructions;
    /** The day the grant was terminated or expired: the disposal deadline counts from it. */
    @Column(name = "disposal_started_on")
    public LocalDate disposalStartedOn;
    /** Working days from {@link #disposalStartedOn} to {@link #disposalDue} (kept for a calendar change). */
    @Column(name = "disposal_working_days")
    public Integer disposalWorkingDays;
    /** The day the consumer's confirmation of disposal is due. */
    @Column(name = "disposal_due")
    public LocalDate disposalDue;
    /** The consumer was reminded before {@link #disposalDue}. */
    @Column(name = "disposal_reminded")
    public boolean disposalReminded;
    /** Unconfirmed after {@link #disposalDue}: the consumer, the provider and the 主管部门 were told. */
    @Column(name = "disposal_escalated")
    public boolean disposalEscalated;
    /** 整改期限 of a suspension: the day it was required and its working days; null when none was set. */
    @Column(name = "rectification_required_on")
    public LocalDate rectificationRequiredOn;
    @Column(name = "rectification_working_days")
    public Integer rectificationWorkingDays;
    @Column(name = "rectification_due")
    public LocalDate rectificationDue;
    /** Still suspended after {@link #rectificationDue}: the 主管部门 was told. */
    @Column(name = "rectification_escalated")
    public boolean rectificationEscalated;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "updated_at")
    public Instant updatedAt;

    /**
     * The grants on a resource code take the authority region of their request (the same sides, hence the same
     * region), leaving their version alone; returns how many changed.
     */
    public static int followRequestsAuthorityRegion(String resourceCode) {
        return getEntityManager().createNativeQuery("UPDATE share_grant g SET authority_region = r.authority_region "
                + "FROM share_request r WHERE r.id = g.request_id AND g.resource_code = :code "
                + "AND g.authority_region IS DISTINCT FROM r.authority_region")
                .setParameter("code", resourceCode).executeUpdate();
    }
}
