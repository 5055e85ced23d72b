package cn.onenet.exchange.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A dispute between a consumer and a provider department (R17): over a refusal, a grant, a late answer. */
@Entity
@Table(name = "dispute")
public class Dispute extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Version
    public int version;
    @Column(name = "request_id")
    public Long requestId;
    /** REFUSAL, SUSPENSION, TERMINATION, LATE_ANSWER or NON_DELIVERY ({@code DisputeService.SUBJECTS}). */
    public String subject = "REFUSAL";
    /** The grant disputed (suspension, termination, non-delivery); null for a dispute about a request. */
    @Column(name = "grant_id")
    public Long grantId;
    /** 协商记录: the day the departments negotiated, who took part (JSON array), the outcome; null before V57. */
    @Column(name = "negotiated_on")
    public java.time.LocalDate negotiatedOn;
    @Column(name = "negotiation_participants")
    public String negotiationParticipants;
    @Column(name = "negotiation_outcome")
    public String negotiationOutcome;
    @Column(name = "opened_by")
    public String openedBy;
    @Column(name = "consumer_department_code")
    public String consumerDepartmentCode;
    @Column(name = "provider_department_code")
    public String providerDepartmentCode;
    public String reason;
    public String level;
    /** The configured 主管部门 when the dispute is routed to its region, else null (V17). */
    @Column(name = "handler_department_code")
    public String handlerDepartmentCode;
    /**
     * The region whose 主管部门 (level COMPETENT_AUTHORITY) and then people's government (PEOPLES_GOVERNMENT) handle the
     * dispute: the lowest common region of the two departments (R17); for disputes opened before it was routed, the
     * region of the 主管部门 they were assigned to (V17).
     */
    @Column(name = "region_code")
    public String regionCode;
    @Column(name = "consumer_region_code")
    public String consumerRegionCode;
    @Column(name = "provider_region_code")
    public String providerRegionCode;
    public String status;
    public String resolution;
    @Column(name = "created_at")
    public Instant createdAt;
}
