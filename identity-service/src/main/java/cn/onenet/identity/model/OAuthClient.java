package cn.onenet.identity.model;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A registered OAuth client: a department system, a suite service or the console. */
@Entity
@Table(name = "oauth_client")
public class OAuthClient extends PanacheEntityBase {

    @Id
    @Column(name = "client_id")
    public String clientId;

    @Column(nullable = false)
    public String name;

    @Column(name = "secret_hash")
    public String secretHash;

    @Column(name = "auth_method", nullable = false)
    public String authMethod;

    /** Space separated. */
    @Column(name = "grant_types", nullable = false)
    public String grantTypes;

    /** One per line. */
    @Column(name = "redirect_uris", nullable = false)
    public String redirectUris = "";

    @Column(name = "post_logout_redirect_uris", nullable = false)
    public String postLogoutRedirectUris = "";

    @Column(name = "backchannel_logout_uri")
    public String backchannelLogoutUri;

    /** Space separated. */
    @Column(nullable = false)
    public String scopes;

    /** Space separated. */
    @Column(nullable = false)
    public String audiences;

    /** Space separated roles of a client-credentials token. */
    @Column(nullable = false)
    public String roles = "";

    @Column(name = "department_id")
    public Long departmentId;

    @Column(name = "first_party", nullable = false)
    public boolean firstParty;

    public String jwks;

    @Column(name = "jwks_uri")
    public String jwksUri;

    @Column(name = "signing_alg", nullable = false)
    public String signingAlg = "RS256";

    @Column(name = "min_level", nullable = false)
    public int minLevel = 1;

    /**
     * Whether an authorization request must carry a PKCE challenge (RFC 7636). Only an administrator turns it off, for
     * a confidential client (one that authenticates at the token endpoint), e.g. a conformance test plan that sends no
     * challenge.
     */
    @Column(name = "pkce_required", nullable = false)
    public boolean pkceRequired = true;

    @Column(nullable = false)
    public boolean enabled = true;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt = OffsetDateTime.now();

    @Version
    public long version;

    public static List<String> split(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.split("[\\s]+")).filter(s -> !s.isBlank()).toList();
    }
}
