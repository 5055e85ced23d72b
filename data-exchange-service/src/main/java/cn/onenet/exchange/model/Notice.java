package cn.onenet.exchange.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A notice to a department (extension, change, suspension, escalation ...), to the 主管部门 of a region the exchange
 * cannot name a department for (department null, {@code regionCode} set; read by that region's reviewers), or to a
 * citizen or an enterprise about its own correction request or complaint (only {@code subjectHash} set).
 */
@Entity
@Table(name = "notice")
public class Notice extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Column(name = "department_code")
    public String departmentCode;
    /** The region (6 digits) whose 主管部门 the notice is for, when no department is named; else null. */
    @Column(name = "region_code")
    public String regionCode;
    /**
     * The data subject (HMAC hash of the ID number or credit code, as its request keeps it) the notice is for; else
     * null. Read by the accounts acting with that cn_id or uscc.
     */
    @Column(name = "subject_hash")
    public String subjectHash;
    public String kind;
    @Column(name = "subject_type")
    public String subjectType;
    @Column(name = "subject_id")
    public Long subjectId;
    public String message;
    @Column(name = "created_at")
    public Instant createdAt;
}
