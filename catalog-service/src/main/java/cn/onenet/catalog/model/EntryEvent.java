package cn.onenet.catalog.model;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One recorded step in an entry's history: who, when, what, why. */
@Entity
@Table(name = "entry_event")
public class EntryEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "entry_id")
    public Long entryId;

    public String action;

    @Column(name = "from_state")
    public String fromState;

    @Column(name = "to_state")
    public String toState;

    /** The actor's account id (token subject). */
    public String actor;

    /** The actor's display name when the change was made; none for department systems and older rows. */
    @Column(name = "actor_name")
    public String actorName;

    @Column(name = "actor_role")
    public String actorRole;

    public String opinion;

    @JdbcTypeCode(SqlTypes.JSON)
    public String changes;

    public Instant at;
}
