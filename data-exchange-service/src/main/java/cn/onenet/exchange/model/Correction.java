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
 * 个人信息更正补充申请 (PIPL 第四十六条): a citizen's or an enterprise's request that data about it in a catalogue
 * entry's dataset be corrected or completed, answered by the entry's 数源部门 (provider department). The requester is
 * kept as account id and subject hash (for the requester's own lists, as for complaints) and with the ID number or
 * credit code that the provider department needs to find the record (shown to it only).
 */
@Entity
@Table(name = "correction")
@DynamicUpdate // an answer does not write back the escalation flag it read, nor a deadline DeadlineRecount moved
public class Correction extends CountedDeadlineEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Version
    public int version;
    /** CITIZEN (cn_id) or ENTERPRISE (uscc). */
    @Column(name = "requester_type")
    public String requesterType;
    /** The requester's account id (token sub). */
    @Column(name = "requester_sub")
    public String requesterSub;
    /** HMAC hash of the ID number or credit code, as in the usage log. */
    @Column(name = "subject_hash")
    public String subjectHash;

    /** 公民身份号码 or 统一社会信用代码 from the token: for the provider department only. */
    @Column(name = "subject_identifier")
    public String subjectIdentifier;
    /** The entry's code when filed. */
    @Column(name = "resource_code")
    public String resourceCode;
    /** The entry's name when filed (V76; null on requests filed before). */
    @Column(name = "resource_name")
    public String resourceName;
    /** The data item (its code in the catalogue entry) said to be wrong or missing. */
    public String item;
    /** The item's name in the entry when filed (V76; null on requests filed before). */
    @Column(name = "item_name")
    public String itemName;
    @Column(name = "current_value")
    public String currentValue;
    @Column(name = "correct_value")
    public String correctValue;
    public String description;
    public String evidence;
    /** The entry's 数源部门 when filed: it verifies and answers. */
    @Column(name = "provider_department_code")
    public String providerDepartmentCode;
    /** The region (6 digits) whose 主管部门 is told when the answer is overdue: the provider's, fixed when filed. */
    @Column(name = "region_code")
    public String regionCode;
    /** OPEN, then CORRECTED 已更正, SUPPLEMENTED 已补充 or NOT_CORRECTED 不予更正. */
    public String status;
    /** Set by the overdue escalation, which leaves {@link #version} as it is (no change the provider acts on). */
    public boolean escalated;
    /** The provider's reasons: what was corrected or supplemented, or why not. */
    @Column(name = "answer_reason")
    public String answerReason;
    @Column(name = "legal_basis")
    public String legalBasis;
    /** For NOT_CORRECTED without a legal basis: how the data was verified (the source record checked). */
    public String explanation;
    @Column(name = "answered_at")
    public Instant answeredAt;
    @Column(name = "created_at")
    public Instant createdAt;
}
