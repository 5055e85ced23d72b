package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A back-channel logout token owed to one client for one ended session: queued with the session's end, delivered
 * after commit and retried until {@link #outcome} is set. Rows are written and claimed with SQL (the database's clock
 * decides what is due); this mapping is for reading them.
 */
@Entity
@Table(name = "backchannel_logout")
public class BackchannelDelivery extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "account_id")
    public UUID accountId;

    public String subject;

    public String sid;

    @Column(name = "request_id")
    public String requestId;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "next_attempt_at")
    public OffsetDateTime nextAttemptAt;

    public int attempts;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    /** DELIVERED (2xx), REFUSED (any other final answer, e.g. 400), GAVE_UP (attempts or age used up), NO_CLIENT. */
    public String outcome;
}
