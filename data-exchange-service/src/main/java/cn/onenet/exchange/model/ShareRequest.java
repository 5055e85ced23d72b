package cn.onenet.exchange.model;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** 共享申请: a consumer department's request for a catalogue entry. */
@Entity
@Table(name = "share_request")
public class ShareRequest extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Version
    public int version;
    @Column(name = "resource_code")
    public String resourceCode;
    @Column(name = "provider_department_code")
    public String providerDepartmentCode;
    @Column(name = "consumer_department_code")
    public String consumerDepartmentCode;
    /** The requesting department's GB/T 2260 region (token claim {@code region}), when known. */
    @Column(name = "consumer_region_code")
    public String consumerRegionCode;
    @Column(name = "filed_by")
    public String filedBy;
    @Column(name = "office_head_approver")
    public String officeHeadApprover;
    /** JSON array of item codes. */
    public String items;
    @Column(name = "legal_basis")
    public String legalBasis;
    public String scenario;
    public String purpose;
    public String scope;
    @Column(name = "delivery_method")
    public String deliveryMethod;
    @Column(name = "period_from")
    public LocalDate periodFrom;
    @Column(name = "period_to")
    public LocalDate periodTo;
    public boolean attested;
    @Column(name = "share_attribute")
    public String shareAttribute;
    public String status;
    @Column(name = "received_on")
    public LocalDate receivedOn;
    @Column(name = "due_on")
    public LocalDate dueOn;
    public boolean extended;
    @Column(name = "extension_reason")
    public String extensionReason;
    @Column(name = "extension_days")
    public Integer extensionDays;
    @Column(name = "extension_approved_by")
    public String extensionApprovedBy;
    /** 不予延期: the 主管部门 refused the extension; the original deadline stands. */
    @Column(name = "extension_refused")
    public boolean extensionRefused;
    @Column(name = "supplement_asked")
    public boolean supplementAsked;
    @Column(name = "supplement_note")
    public String supplementNote;
    @Column(name = "decision_reason")
    public String decisionReason;
    @Column(name = "refusal_legal_basis")
    public String refusalLegalBasis;
    public boolean escalated;
    @Column(name = "grant_id")
    public Long grantId;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "decided_at")
    public Instant decidedAt;
}
