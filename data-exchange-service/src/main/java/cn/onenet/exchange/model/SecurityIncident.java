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

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * 数据安全事件 (R20, 条例第三十四条、第三十五条): a security incident concerning shared data, reported by the provider, a
 * consumer or the 主管部门, and handled by the 主管部门 (suspension of the grants concerned, rectification, conclusion).
 */
// only changed columns are written: a deadline moved by DeadlineRecount (which keeps the version) is not
// written back by a transaction that read the row before
@DynamicUpdate
@Entity
@Table(name = "security_incident")
public class SecurityIncident extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Version
    public int version;
    /** LEAK 泄露, MISUSE 滥用, TAMPERING 篡改, UNAVAILABILITY 不可用. */
    @Column(name = "incident_type")
    public String type;
    /** The entry's code when reported (the current one, also when an old code was given). */
    @Column(name = "resource_code")
    public String resourceCode;
    /** The entry's name when reported (V76; null on incidents reported before). */
    @Column(name = "resource_name")
    public String resourceName;
    @Column(name = "provider_department_code")
    public String providerDepartmentCode;
    /** The entry's grade (LEVEL_1 … LEVEL_4) when reported. */
    @Column(name = "data_grade")
    public String dataGrade;
    /** GENERAL 一般, SERIOUS 较大, MAJOR 重大, EXTRAORDINARY 特别重大: from the grade of the data. */
    public String severity;
    @Column(name = "grant_ids")
    public Long[] grantIds = new Long[0];
    /** Departments that read the incident: provider, reporter, consumers of the grants concerned, responsible. */
    @Column(name = "party_departments")
    public String[] partyDepartments = new String[0];
    @Column(name = "reporter_department_code")
    public String reporterDepartmentCode;
    @Column(name = "reporter_sub")
    public String reporterSub;
    /** operator (of the provider or a consumer), reviewer or admin (the 主管部门). */
    @Column(name = "reporter_role")
    public String reporterRole;
    @Column(name = "discovered_at")
    public Instant discoveredAt;
    public String description;
    @Column(name = "measures_taken")
    public String measuresTaken;
    /** REPORTED, RECTIFYING, RECTIFIED, CLOSED. */
    public String status;
    @Column(name = "suspended_grant_ids")
    public Long[] suspendedGrantIds = new Long[0];
    @Column(name = "responsible_department_code")
    public String responsibleDepartmentCode;
    @Column(name = "rectification_requirement")
    public String rectificationRequirement;
    @Column(name = "rectification_due_on")
    public LocalDate rectificationDueOn;
    /** The day rectification was required and the working days given: a calendar change counts the date again. */
    @Column(name = "rectification_required_on")
    public LocalDate rectificationRequiredOn;
    @Column(name = "rectification_working_days")
    public Integer rectificationWorkingDays;
    @Column(name = "rectification_report")
    public String rectificationReport;
    @Column(name = "rectified_at")
    public Instant rectifiedAt;
    public String conclusion;
    @Column(name = "closed_at")
    public Instant closedAt;
    @Column(name = "reported_at")
    public Instant reportedAt;
    /** The region (6 digits) whose 主管部门 handles it: the lowest containing its parties when filed (V31). */
    @Column(name = "region_code")
    public String regionCode;
}
