package cn.onenet.catalog.model;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One change of the working-day calendar: the day as it was and as it is now, who changed it, when and why. Written
 * in the transaction of the change and never changed afterwards.
 */
@Entity
@Table(name = "calendar_change")
public class CalendarChange extends PanacheEntityBase {

    /** A day set (added or changed) through the API. */
    public static final String SET = "SET";
    /** A day removed through the API. */
    public static final String REMOVE = "REMOVE";
    /** A day of the initial calendar the service ships (the State Council's notices), written at the first start. */
    public static final String SEED = "SEED";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public LocalDate day;

    public String action;

    @Column(name = "before_kind")
    public String beforeKind;

    @Column(name = "before_name")
    public String beforeName;

    @Column(name = "after_kind")
    public String afterKind;

    @Column(name = "after_name")
    public String afterName;

    public String reason;

    /** The account id (token subject) of whoever made the change; {@code catalog-service} for the seed. */
    public String actor;

    /** Their display name from the token, as it was then; none for department systems and the seed. */
    @Column(name = "actor_name")
    public String actorName;

    @Column(name = "actor_role")
    public String actorRole;

    /** The X-Request-Id of the call that made the change. */
    @Column(name = "request_id")
    public String requestId;

    @Column(name = "changed_at")
    public Instant changedAt;
}
