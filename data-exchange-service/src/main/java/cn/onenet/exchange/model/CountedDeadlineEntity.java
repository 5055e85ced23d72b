package cn.onenet.exchange.model;

import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.EntityListeners;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.Transient;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A matter due a number of working days after the day it was received (a request, an objection, a complaint): the
 * columns {@link DeadlineCount} keeps and {@code DeadlineRecount} moves, the same in each table.
 */
@MappedSuperclass
@EntityListeners(DeadlineCount.class)
public abstract class CountedDeadlineEntity extends PanacheEntityBase {

    @Column(name = "received_on")
    public LocalDate receivedOn;
    @Column(name = "due_on")
    public LocalDate dueOn;
    /** The working days {@code dueOn} is after {@code receivedOn} (kept by {@link DeadlineCount}; null: not counted). */
    @Column(name = "due_working_days")
    public Integer dueWorkingDays;
    @Transient
    DeadlineCount.Basis countedFor;
}
