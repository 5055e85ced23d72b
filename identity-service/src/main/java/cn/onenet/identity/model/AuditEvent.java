package cn.onenet.identity.model;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One audit record. Never holds a password, secret or token. */
@Entity
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public OffsetDateTime at;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Column(nullable = false)
    public String outcome;

    public String actor;

    public String subject;

    @Column(name = "client_id")
    public String clientId;

    public String ip;

    public String detail;

    @Column(name = "request_id")
    public String requestId;
}
