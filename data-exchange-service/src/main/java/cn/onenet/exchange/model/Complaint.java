package cn.onenet.exchange.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.DynamicUpdate;

/**
 * 投诉 (R21, 条例第三十七条): a citizen's or an enterprise's complaint about one access to its data (a usage-log entry
 * of the citizens' view). The access is copied as the log shows it; the complainant is kept as account id and subject
 * hash, never as ID number or credit code.
 */
@Entity
@Table(name = "complaint")
@DynamicUpdate // an update writes only what it changed: an answer does not write back the escalation flag it read
public class Complaint extends CountedDeadlineEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Version
    public int version;
    /** CITIZEN (cn_id) or ENTERPRISE (uscc). */
    @Column(name = "complainant_type")
    public String complainantType;
    /** The complainant's account id (token sub). */
    @Column(name = "complainant_sub")
    public String complainantSub;
    /** HMAC hash of the ID number or credit code, as in the usage log. */
    @Column(name = "subject_hash")
    public String subjectHash;
    @Column(name = "usage_log_seq")
    public long usageLogSeq;
    @Column(name = "access_request_id")
    public String accessRequestId;
    @Column(name = "accessed_at")
    public Instant accessedAt;
    /** The code the access was logged under (kept after a reclassification, like the log). */
    @Column(name = "resource_code")
    public String resourceCode;
    /** The entry's name when the complaint was filed (V76; null on complaints filed before). */
    @Column(name = "resource_name")
    public String resourceName;
    @Column(name = "consumer_department_code")
    public String consumerDepartmentCode;
    @Column(name = "provider_department_code")
    public String providerDepartmentCode;
    @Column(name = "grant_id")
    public Long grantId;
    public String purpose;
    public String description;
    @Column(name = "requested_remedy")
    public String requestedRemedy;
    /** OPEN, ANSWERED, UPHELD, DISMISSED. */
    public String status;
    /** Set by the overdue escalation, which leaves {@link #version} as it is (no change the parties act on). */
    public boolean escalated;
    public String answer;
    @Column(name = "answered_at")
    public Instant answeredAt;
    @Column(name = "outcome_reason")
    public String outcomeReason;
    @Column(name = "grant_suspended")
    public boolean grantSuspended;
    @Column(name = "decided_at")
    public Instant decidedAt;
    @Column(name = "created_at")
    public Instant createdAt;
}
