package cn.onenet.exchange.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One state change of a share request, grant, dispute or objection: who, when, from → to, what and why. Written once
 * in the transaction of the change and never updated or deleted (Hibernate treats it as immutable; a trigger refuses
 * UPDATE, DELETE and TRUNCATE).
 */
@Entity
@Immutable
@Table(name = "state_change")
public class StateChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    /** REQUEST, GRANT, DISPUTE, OBJECTION. */
    @Column(name = "object_type")
    public String objectType;
    @Column(name = "object_id")
    public long objectId;
    /** The share request the object belongs to (itself, the grant's, the dispute's); null for objections. */
    @Column(name = "share_request_id")
    public Long shareRequestId;
    public String action;
    @Column(name = "from_status")
    public String fromStatus;
    @Column(name = "to_status")
    public String toStatus;
    @Column(name = "actor_subject")
    public String actorSubject;
    @Column(name = "actor_client_id")
    public String actorClientId;
    @Column(name = "actor_department")
    public String actorDepartment;
    /** The role the change was accepted under (operator, reviewer, admin; scheduler for the exchange's own jobs). */
    @Column(name = "actor_role")
    public String actorRole;
    /** The actor's display name from its token (name, else preferred_username); null before V14 and without one. */
    @Column(name = "actor_name")
    public String actorName;
    /** Made by the exchange's rules (无条件共享, 不予共享, 回流 at filing, expiry, overdue escalation). */
    public boolean automatic;
    /** A decision on the object (approval, refusal, grant issued, suspended, resumed, terminated, changed ...). */
    public boolean decision;
    public String reason;
    @Column(name = "legal_basis")
    public String legalBasis;
    /** JSON object with what the action set (items, period, quotas, changed values ...). */
    public String details;
    /** X-Request-Id of the call that made the change; null for scheduled jobs. */
    @Column(name = "request_id")
    public String requestId;
    @Column(name = "changed_at")
    public Instant changedAt;
}
