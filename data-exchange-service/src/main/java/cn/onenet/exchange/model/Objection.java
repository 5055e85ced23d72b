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

/** 校核: a consumer's objection to a record it believes wrong (R13). */
// only changed columns are written: a deadline moved by DeadlineRecount (which keeps the version) is not
// written back by a transaction that read the row before
@DynamicUpdate
@Entity
@Table(name = "objection")
public class Objection extends CountedDeadlineEntity {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    @Version
    public int version;
    @Column(name = "resource_code")
    public String resourceCode;
    /** The catalogue entry's name when the objection was filed (V75; null for those filed before). */
    @Column(name = "resource_name")
    public String resourceName;
    /** JSON object, item code → the entry's name of it when the objection was filed (V75; null for those filed before). */
    @Column(name = "item_names")
    public String itemNames;
    @Column(name = "record_key_hash")
    public String recordKeyHash;
    /** The key of the record objected to, as the consumer gave it (V71; null on older ones no hosted record has). */
    @Column(name = "record_key")
    public String recordKey;
    @Column(name = "consumer_department_code")
    public String consumerDepartmentCode;
    @Column(name = "provider_department_code")
    public String providerDepartmentCode;
    public String description;
    /** OPEN, ANSWERED. */
    public String status;
    public String answer;
    /** What the provider found (V71): CORRECTED 已更正, CONFIRMED_CORRECT 经核实无误, PARTIALLY_CORRECTED 部分更正. */
    public String outcome;
    public boolean escalated;
    @Column(name = "created_at")
    public Instant createdAt;
    /** The region (6 digits) whose 主管部门 handles it: the lowest containing its parties when filed (V31). */
    @Column(name = "region_code")
    public String regionCode;
}
