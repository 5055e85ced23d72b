package cn.onenet.identity.model;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A token signing key pair (private JWK JSON, sealed: {@code KeyEncryption}) and where it is in its life: NEXT, ACTIVE, RETIRED. */
@Entity
@Table(name = "signing_key")
public class SigningKey extends PanacheEntityBase {

    @Id
    public String kid;

    @Column(nullable = false)
    public String alg;

    @Column(nullable = false)
    public String jwk;

    @Column(nullable = false)
    public String status;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt = OffsetDateTime.now();

    @Column(name = "activated_at")
    public OffsetDateTime activatedAt;

    @Column(name = "retired_at")
    public OffsetDateTime retiredAt;

    @Column(name = "remove_after")
    public OffsetDateTime removeAfter;
}
