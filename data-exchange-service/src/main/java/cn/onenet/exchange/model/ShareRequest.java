package cn.onenet.exchange.model;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.DynamicUpdate;

/** 共享申请: a consumer department's request for a catalogue entry. */
// only changed columns are written: a deadline moved by DeadlineRecount (which keeps the version) is not
// written back by a transaction that read the row before
@DynamicUpdate
@Entity
@Table(name = "share_request")
public class ShareRequest extends CountedDeadlineEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Version
    public int version;
    @Column(name = "resource_code")
    public String resourceCode;
    /** The catalogue entry's name when the request was filed (V75; null for those filed before). */
    @Column(name = "resource_name")
    public String resourceName;
    /** JSON object, item code → the entry's name of it when the request was filed (V75; null for those filed before). */
    @Column(name = "item_names")
    public String itemNames;
    @Column(name = "provider_department_code")
    public String providerDepartmentCode;
    @Column(name = "consumer_department_code")
    public String consumerDepartmentCode;
    /** The requesting department's GB/T 2260 region (token claim {@code region}), when known. */
    @Column(name = "consumer_region_code")
    public String consumerRegionCode;
    /**
     * The region whose 主管部门 acts on the request ({@code Jurisdiction.commonRegion}), 6 digits; null when a side has
     * no region (the configured 主管部门's). Set at filing; afterwards only the exchange's bulk updates change it, when
     * the entry's region changes or the resource moves ({@code AuthorityRegions}), never a write of the entity.
     */
    @Column(name = "authority_region", updatable = false)
    public String authorityRegion;
    @Column(name = "filed_by")
    public String filedBy;
    /**
     * The requesting department's head (role {@code head}) who approved the request, by the name in the head's token
     * (else its subject); null while the request waits for the head's approval or after the head returned it. Requests
     * filed before V39 keep the name the operator typed.
     */
    @Column(name = "office_head_approver")
    public String officeHeadApprover;
    /** The approving head's subject (null before V39 and while no head approved). */
    @Column(name = "office_head_approver_subject")
    public String officeHeadApproverSubject;
    /**
     * 提供部门拟答复: the answer an operator of the provider who is not its head prepared (JSON: {@code decision} APPROVE
     * with items, periodTo, clearItems, quotas and note, or REFUSE with reason and legalBasis), kept while the request
     * is {@code ANSWER_AWAITING_HEAD}; null otherwise.
     */
    @Column(name = "proposed_answer")
    public String proposedAnswer;
    /** The subject of the operator who prepared {@link #proposedAnswer}. */
    @Column(name = "answer_proposed_by")
    public String answerProposedBy;
    @Column(name = "answer_proposed_at")
    public Instant answerProposedAt;
    /**
     * The providing department's head (role {@code head}) who approved the provider's answer, by the name in the head's
     * token (else its subject); the answering operator itself when it holds {@code head}. Null while unanswered and for
     * answers given before V42.
     */
    @Column(name = "provider_head_approver")
    public String providerHeadApprover;
    /** The subject of {@link #providerHeadApprover}. */
    @Column(name = "provider_head_approver_subject")
    public String providerHeadApproverSubject;
    /** JSON array of item codes. */
    public String items;
    @Column(name = "legal_basis")
    public String legalBasis;
    public String scenario;
    public String purpose;
    public String scope;
    @Column(name = "delivery_method")
    public String deliveryMethod;
    /**
     * 隐蔽查询声明: the legal basis of the covert use declared at filing (null: none declared) and the longest a covert
     * query may stay hidden (ISO 8601 period). The provider's approval of the request approves it.
     */
    @Column(name = "covert_legal_basis")
    public String covertLegalBasis;
    @Column(name = "covert_max_period")
    public String covertMaxPeriod;
    @Column(name = "period_from")
    public LocalDate periodFrom;
    @Column(name = "period_to")
    public LocalDate periodTo;
    public boolean attested;
    @Column(name = "share_attribute")
    public String shareAttribute;
    public String status;
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

    /**
     * The sides of the requests on a resource code, each once: {@code [consumer region recorded at filing (or null),
     * consumer department, provider department]}.
     */
    public static List<Object[]> sidesOn(String resourceCode) {
        return getEntityManager().createQuery("select distinct r.consumerRegionCode, r.consumerDepartmentCode, "
                + "r.providerDepartmentCode from ShareRequest r where r.resourceCode = :code", Object[].class)
                .setParameter("code", resourceCode).getResultList();
    }

    /**
     * Stores {@code region} (null: none) as the authority region of the requests on a resource code between these
     * sides, leaving their version alone; returns how many changed.
     */
    public static int storeAuthorityRegion(String resourceCode, String consumerRegion, String consumer, String provider,
            String region) {
        var update = getEntityManager().createNativeQuery("UPDATE share_request SET authority_region = "
                + (region == null ? "NULL" : ":region") + " WHERE resource_code = :code AND consumer_department_code = "
                + ":consumer AND provider_department_code = :provider AND consumer_region_code "
                + (consumerRegion == null ? "IS NULL" : "= :consumerRegion") + " AND authority_region IS DISTINCT FROM "
                + (region == null ? "NULL" : ":region"));
        update.setParameter("code", resourceCode).setParameter("consumer", consumer).setParameter("provider", provider);
        if (region != null) {
            update.setParameter("region", region);
        }
        if (consumerRegion != null) {
            update.setParameter("consumerRegion", consumerRegion);
        }
        return update.executeUpdate();
    }
}
