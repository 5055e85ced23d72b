package cn.onenet.exchange.model;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One usage record (使用记录, 条例第二十九条第二款, R16) the consumer department keeps under a grant: the usage scenario,
 * the processing, the storage, the outcomes or the destruction of the shared data. Written once and never changed
 * (Hibernate treats it as immutable; a trigger refuses UPDATE, and DELETE or TRUNCATE of records younger than the
 * retention period). {@link #digest} is the SHA-256 of its canonical form, which its usage-log entry
 * ({@link #usageLogSeq}) carries into the hash chain.
 */
@Entity
@Immutable
@Table(name = "usage_record")
public class UsageRecord extends PanacheEntityBase {

    /** What a record is about. */
    public enum Kind {
        /** 使用场景: the business scenario the data serves. */
        SCENARIO,
        /** 使用过程/加工处理: how the data is used and processed. */
        PROCESSING,
        /** 存储（位置、方式、安全措施）: where and how the data is kept, and the safeguards. */
        STORAGE,
        /** 应用成效: the outcomes of the use over a period (periodic statement). */
        OUTCOME,
        /** 销毁: the destruction of the data. */
        DESTRUCTION
    }

    @Id
    public Long id;
    @Column(name = "grant_id")
    public long grantId;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    public String description;
    /** STORAGE: where the data is kept. */
    public String location;
    /** STORAGE: how it is kept safe. */
    public String safeguards;
    /** OUTCOME: the period the statement covers. */
    @Column(name = "period_from")
    public LocalDate periodFrom;
    @Column(name = "period_to")
    public LocalDate periodTo;
    /** OUTCOME: what the use achieved. */
    public String outcome;
    /** DESTRUCTION: how the data was destroyed. */
    public String method;
    /** DESTRUCTION: the day it was destroyed. */
    @Column(name = "destroyed_on")
    public LocalDate destroyedOn;
    /** Token subject of who recorded it. */
    @Column(name = "recorded_by")
    public String recordedBy;
    /** Display name of who recorded it, when the token carries one. */
    @Column(name = "recorded_by_name")
    public String recordedByName;
    @Column(name = "client_id")
    public String clientId;
    /** The consumer department the record is kept by. */
    @Column(name = "department_code")
    public String departmentCode;
    /** Left by the exchange itself (the disposal confirmation), not entered as a record. */
    public boolean automatic;
    @Column(name = "recorded_at")
    public Instant recordedAt;
    public String digest;
    @Column(name = "usage_log_seq")
    public long usageLogSeq;
}
