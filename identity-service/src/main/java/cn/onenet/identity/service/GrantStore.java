package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuthorizationCodeRecord;
import cn.onenet.identity.model.Delegation;
import cn.onenet.identity.model.RefreshTokenRecord;
import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.model.TokenGrant;

/** Grants, their codes and refresh-token families; single use enforced by conditional updates in PostgreSQL. */
@ApplicationScoped
public class GrantStore {

    private static final String SESSION_ENDED = "the sign-in session has ended";
    private static final String ACCOUNT_DISABLED = "account disabled";

    private final IdentityConfig config;
    private final EntityManager em;
    private final AuditService audit;
    private final ClientCredentialsGrants clientCredentials;

    public GrantStore(IdentityConfig config, EntityManager em, AuditService audit,
            ClientCredentialsGrants clientCredentials) {
        this.config = config;
        this.em = em;
        this.audit = audit;
        this.clientCredentials = clientCredentials;
    }

    /** Creates the grant and its code; returns the code (only its hash is stored). */
    @Transactional
    public String createCode(TokenGrant grant, String redirectUri, String codeChallenge) {
        grant.persist();
        String code = Secrets.random(32);
        AuthorizationCodeRecord record = new AuthorizationCodeRecord();
        record.codeHash = Secrets.sha256(code);
        record.grantId = grant.id;
        record.redirectUri = redirectUri;
        record.codeChallenge = codeChallenge;
        record.expiresAt = OffsetDateTime.now().plus(config.tokens().codeLifetime());
        record.persist();
        return code;
    }

    @Transactional(dontRollbackOn = OAuthFailure.class)
    AccessTokenResponse redeemCode(RegisteredClient client, AuthorizationCodeGrant grantRequest, TokenIssuer issuer)
            throws OAuthFailure {
        String hash = Secrets.sha256(grantRequest.getAuthorizationCode().getValue());
        AuthorizationCodeRecord record = AuthorizationCodeRecord.findById(hash);
        if (record == null) {
            throw invalidGrant("unknown authorization code");
        }
        TokenGrant grant = TokenGrant.findById(record.grantId);
        // Checked before the code is claimed (RFC 6749 §4.1.3): another client presenting it, or a redirect_uri other
        // than the request's, neither uses it up nor counts as reuse, so the rightful redemption still works.
        if (!grant.clientId.equals(client.clientId())) {
            audit.record("CODE_REFUSED", false, client.clientId(), grant.accountId.toString(), client.clientId(), null,
                    "authorization code of another client");
            throw invalidGrant("authorization code was issued to another client");
        }
        if (grantRequest.getRedirectionURI() == null
                || !record.redirectUri.equals(grantRequest.getRedirectionURI().toString())) {
            throw invalidGrant("redirect_uri does not match the authorization request");
        }
        int claimed = em.createNativeQuery("UPDATE authorization_code SET used_at = now() "
                + "WHERE code_hash = ?1 AND used_at IS NULL").setParameter(1, hash).executeUpdate();
        if (claimed == 0) {
            revoke(grant, "code_reuse");
            audit.record("CODE_REUSE", false, client.clientId(), grant.accountId.toString(), client.clientId(), null,
                    "authorization code used twice; grant revoked");
            throw invalidGrant("authorization code already used");
        }
        if (TokenIssuer.expired(record)) {
            throw invalidGrant("authorization code expired");
        }
        if (!TokenIssuer.pkceMatches(record.codeChallenge, grantRequest.getCodeVerifier())) {
            throw invalidGrant("PKCE code_verifier missing or wrong");
        }
        if (grant.revokedAt != null) {
            throw invalidGrant("grant revoked");
        }
        checkSession(grant);
        checkAccount(grant);
        if (!agentInForce(grant)) {
            // issued while the authorisation was in force, which has run out since: nothing in the enterprise's name
            revoke(grant, "delegation_ended");
            throw invalidGrant("the agent authorisation is no longer in force");
        }
        return issuer.userTokens(client, grant, scope(grant.scope), true);
    }

    @Transactional(dontRollbackOn = OAuthFailure.class)
    AccessTokenResponse refresh(RegisteredClient client, RefreshTokenGrant refreshGrant, Scope requested,
            TokenIssuer issuer) throws OAuthFailure {
        String hash = Secrets.sha256(refreshGrant.getRefreshToken().getValue());
        RefreshTokenRecord record = RefreshTokenRecord.findById(hash);
        if (record == null) {
            throw invalidGrant("unknown refresh token");
        }
        TokenGrant grant = TokenGrant.findById(record.grantId);
        if (!grant.clientId.equals(client.clientId())) {
            throw invalidGrant("refresh token was issued to another client");
        }
        // Checked before the token is claimed: a request asking too much is refused and leaves the token unused, so
        // the client's corrected retry is not taken for reuse (which would revoke the grant).
        Set<String> granted = scope(grant.scope);
        Set<String> scope = granted;
        if (requested != null) {
            scope = new LinkedHashSet<>(requested.toStringList());
            if (!granted.containsAll(scope)) {
                throw new OAuthFailure(OAuth2Error.INVALID_SCOPE.setDescription("scope exceeds the original grant"));
            }
        }
        int claimed = em.createNativeQuery("UPDATE refresh_token SET used_at = now() "
                + "WHERE token_hash = ?1 AND used_at IS NULL").setParameter(1, hash).executeUpdate();
        if (claimed == 0) {
            revoke(grant, "refresh_reuse");
            audit.record("REFRESH_REUSE", false, client.clientId(), grant.accountId.toString(), client.clientId(),
                    null, "refresh token used twice; token family revoked");
            throw invalidGrant("refresh token already used");
        }
        Optional<RefreshRefusal> refusal = refreshRefusal(client, grant, record);
        if (refusal.isPresent()) {
            if (refusal.get().delegationEnded()) {
                revoke(grant, "delegation_ended");
            }
            throw invalidGrant(refusal.get().description());
        }
        return issuer.userTokens(client, grant, scope, true);
    }

    /** Why a grant's refresh token renews nothing now; {@code delegationEnded}: the grant is to be revoked too. */
    public record RefreshRefusal(String description, boolean delegationEnded) {

        static RefreshRefusal of(String description) {
            return new RefreshRefusal(description, false);
        }
    }

    /**
     * The one rule of whether the grant's refresh token (its {@code record}) renews tokens for {@code client}, its own
     * client, now: the token endpoint refuses it for the reason returned, and introspection reports it inactive then.
     * Not checked here: the client binding, the requested scope and single use, which the callers check themselves.
     */
    @Transactional
    public Optional<RefreshRefusal> refreshRefusal(RegisteredClient client, TokenGrant grant,
            RefreshTokenRecord record) {
        if (grant.revokedAt != null) {
            return Optional.of(RefreshRefusal.of("refresh token revoked"));
        }
        if (record.expiresAt.isBefore(OffsetDateTime.now())) {
            return Optional.of(RefreshRefusal.of("refresh token expired"));
        }
        if (!liveSession(grant.sessionId)) {
            return Optional.of(RefreshRefusal.of(SESSION_ENDED));
        }
        if (!accountsActive(grant)) {
            return Optional.of(RefreshRefusal.of(ACCOUNT_DISABLED));
        }
        if (TokenIssuer.acrLevel(grant, Account.findById(grant.accountId)) < client.minLevel()) {
            // the account's level was lowered, or its second factor reset, below what the client requires
            return Optional.of(RefreshRefusal.of("real-name level below " + Acr.of(client.minLevel())
                    + ", which the client requires"));
        }
        if (!agentInForce(grant)) {
            // the agent's authorisation was revoked or ran out: no more tokens in the enterprise's name
            return Optional.of(new RefreshRefusal("the agent authorisation is no longer in force", true));
        }
        return Optional.empty();
    }

    /**
     * Whether a delegation in force covers the grant now, for an agent's grant in an enterprise's name; true for any
     * other grant. An authorisation that runs out (its {@code validTo} passes) is revoked by nobody, so this is what
     * ends the grant's code, refresh and access tokens then.
     */
    private static boolean agentInForce(TokenGrant grant) {
        return grant.actingFor == null || Delegation.coveredNow(grant.accountId, grant.actingFor, grant.clientId);
    }

    /**
     * Revokes the agent's grants in the enterprise's name that no active delegation covers any more (after a
     * delegation was revoked): their refresh tokens stop working, their access tokens fail introspection.
     */
    @Transactional
    public int revokeUncoveredAgentGrants(UUID agentId, UUID enterpriseId) {
        int revoked = 0;
        for (TokenGrant grant : TokenGrant.<TokenGrant>list("accountId = ?1 and actingFor = ?2 and revokedAt is null",
                agentId, enterpriseId)) {
            if (!Delegation.coveredNow(agentId, enterpriseId, grant.clientId)) {
                revoke(grant, "delegation_revoked");
                revoked++;
            }
        }
        return revoked;
    }

    /**
     * The SSO session a grant was issued in bounds it: once the session has expired (the sign-in's length,
     * {@code SESSION_LIFETIME}) or ended, no more tokens come from the grant. Logout, which ends a session, also
     * revokes its grants; expiry does not touch them, so this check is what ends them then.
     */
    private static void checkSession(TokenGrant grant) throws OAuthFailure {
        if (!liveSession(grant.sessionId)) {
            throw invalidGrant(SESSION_ENDED);
        }
    }

    /** Whether the SSO session is live (a grant without one has no session to end). */
    private static boolean liveSession(String sessionId) {
        if (sessionId == null) {
            return true;
        }
        SsoSession session = SsoSession.findById(sessionId);
        return session != null && session.live();
    }

    /** The grant's account, and the enterprise an agent acts for, must both be enabled. */
    private static void checkAccount(TokenGrant grant) throws OAuthFailure {
        if (!accountsActive(grant)) {
            throw invalidGrant(ACCOUNT_DISABLED);
        }
    }

    private static boolean accountsActive(TokenGrant grant) {
        return Account.active(grant.accountId) && (grant.actingFor == null || Account.active(grant.actingFor));
    }

    /**
     * Revokes every grant of the account (and, with {@code agentsToo}, every grant of an agent acting for it): their
     * refresh tokens stop working and their access tokens fail introspection. Returns how many were revoked.
     */
    @Transactional
    public int revokeAccount(UUID accountId, boolean agentsToo, String reason) {
        return revokeAccount(accountId, agentsToo, null, reason);
    }

    /**
     * As {@link #revokeAccount(UUID, boolean, String)}, but the grants issued in the session of {@code kept} (or, when
     * it has no session, {@code kept} itself) stay: the caller's own sign-in (null: none stays).
     */
    @Transactional
    public int revokeAccount(UUID accountId, boolean agentsToo, TokenGrant kept, String reason) {
        String keeping = kept == null ? "" : kept.sessionId == null ? " AND id <> ?3"
                : " AND session_id IS DISTINCT FROM ?3";
        Query update = em.createNativeQuery("UPDATE token_grant SET revoked_at = now(), "
                + "revoke_reason = ?2 WHERE (account_id = ?1" + (agentsToo ? " OR acting_for = ?1" : "")
                + ") AND revoked_at IS NULL" + keeping).setParameter(1, accountId).setParameter(2, reason);
        if (kept != null) {
            update.setParameter(3, kept.sessionId == null ? kept.id : kept.sessionId);
        }
        return update.executeUpdate();
    }

    /**
     * Revokes every grant of the accounts working in the department (its staff), in the caller's transaction: their
     * refresh tokens stop working and their access tokens fail introspection and are on the revocation list. Returns
     * the grants revoked, by account, in the order of the accounts' ids.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public java.util.SortedMap<UUID, java.util.List<UUID>> revokeDepartmentStaff(long departmentId, String reason) {
        java.util.List<Object[]> rows = em.createNativeQuery("UPDATE token_grant SET revoked_at = now(), "
                + "revoke_reason = ?2 WHERE account_id IN (SELECT id FROM account WHERE department_id = ?1) "
                + "AND revoked_at IS NULL RETURNING CAST(account_id AS VARCHAR), CAST(id AS VARCHAR)")
                .setParameter(1, departmentId).setParameter(2, reason).getResultList();
        java.util.SortedMap<UUID, java.util.List<UUID>> revoked = new java.util.TreeMap<>();
        for (Object[] row : rows) {
            revoked.computeIfAbsent(UUID.fromString((String) row[0]), a -> new java.util.ArrayList<>())
                    .add(UUID.fromString((String) row[1]));
        }
        revoked.values().forEach(java.util.Collections::sort);
        return revoked;
    }

    /** Revokes a grant and with it every refresh token of its family (access tokens fail introspection). */
    @Transactional
    public void revoke(TokenGrant grant, String reason) {
        if (grant != null && grant.revokedAt == null) {
            em.createNativeQuery("UPDATE token_grant SET revoked_at = now(), revoke_reason = ?2 "
                    + "WHERE id = ?1 AND revoked_at IS NULL").setParameter(1, grant.id).setParameter(2, reason)
                    .executeUpdate();
            grant.revokedAt = OffsetDateTime.now();
            grant.revokeReason = reason;
        }
    }

    /**
     * Revokes every grant of the client (its refresh tokens stop working for good), its client-credentials grant
     * included (its tokens are refused for good, also once it is enabled again); returns how many user grants.
     */
    @Transactional
    public int revokeClient(String clientId, String reason) {
        clientCredentials.revokeClient(clientId, reason);
        return em.createNativeQuery("UPDATE token_grant SET revoked_at = now(), revoke_reason = ?2 "
                + "WHERE client_id = ?1 AND revoked_at IS NULL").setParameter(1, clientId).setParameter(2, reason)
                .executeUpdate();
    }

    @Transactional
    public int revokeSession(String sessionId, String reason) {
        return em.createNativeQuery("UPDATE token_grant SET revoked_at = now(), revoke_reason = ?2 "
                + "WHERE session_id = ?1 AND revoked_at IS NULL").setParameter(1, sessionId).setParameter(2, reason)
                .executeUpdate();
    }

    /**
     * Whether an access token's grant (encoded at the start of its jti) or the token itself was revoked; an agent's
     * token counts as revoked too once the enterprise's account is disabled or no delegation in force covers it (the
     * authorisation ran out), so it stops speaking for the enterprise before its own {@code exp}. A client-credentials
     * token's jti starts with its client's grant ({@link ClientCredentialsGrants}); the older ones, {@code cc.} and a
     * random part, are refused only with their client.
     */
    @Transactional
    public boolean accessTokenRevoked(String jti) {
        if (jti == null) {
            return true;
        }
        if (RevokedTokens.count(em, jti) > 0) {
            return true;
        }
        Optional<String> grantId = grantPart(jti);
        if (grantId.isPresent()) {
            try {
                UUID id = UUID.fromString(grantId.get());
                TokenGrant grant = TokenGrant.findById(id);
                if (grant == null) {
                    return clientCredentials.revoked(id);
                }
                return grant.revokedAt != null
                        || grant.actingFor != null && (!Account.active(grant.actingFor) || !agentInForce(grant));
            } catch (IllegalArgumentException e) {
                return true;
            }
        }
        return false;
    }

    /** The grant a user access token was issued for (its id starts the jti); null for any other token. */
    @Transactional
    public TokenGrant grantOfAccessToken(String jti) {
        try {
            return grantPart(jti).map(id -> TokenGrant.<TokenGrant>findById(UUID.fromString(id))).orElse(null);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The part of a jti naming the grant: before the first dot, except in client-credentials tokens. */
    private static Optional<String> grantPart(String jti) {
        int dot = jti == null ? -1 : jti.indexOf('.');
        return dot > 0 && !jti.startsWith("cc.") ? Optional.of(jti.substring(0, dot)) : Optional.empty();
    }

    @Transactional
    public void revokeAccessToken(String jti, OffsetDateTime expiresAt) {
        em.createNativeQuery("INSERT INTO revoked_access_token (jti, expires_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING")
                .setParameter(1, jti).setParameter(2, expiresAt).executeUpdate();
    }

    /** The grant behind a refresh token, if the token is known. */
    @Transactional
    public TokenGrant grantOfRefreshToken(String token) {
        RefreshTokenRecord record = RefreshTokenRecord.findById(Secrets.sha256(token));
        return record == null ? null : TokenGrant.findById(record.grantId);
    }

    @Transactional
    public RefreshTokenRecord refreshRecord(String token) {
        return RefreshTokenRecord.findById(Secrets.sha256(token));
    }

    /** Drops expired codes, assertion ids, revoked-token entries and refresh tokens. */
    @io.quarkus.scheduler.Scheduled(every = "10m", delayed = "1m")
    @Transactional
    public void purge() {
        em.createNativeQuery("DELETE FROM authorization_code WHERE expires_at < now() - interval '1 hour'").executeUpdate();
        em.createNativeQuery("DELETE FROM client_assertion_jti WHERE expires_at < now()").executeUpdate();
        em.createNativeQuery("DELETE FROM revoked_access_token WHERE expires_at < now()").executeUpdate();
        em.createNativeQuery("DELETE FROM refresh_token WHERE expires_at < now()").executeUpdate();
        em.createNativeQuery("DELETE FROM pending_authorization WHERE expires_at < now()").executeUpdate();
    }

    static Set<String> scope(String value) {
        return new LinkedHashSet<>(Arrays.asList(value.split(" ")));
    }

    private static OAuthFailure invalidGrant(String description) {
        return new OAuthFailure(OAuth2Error.INVALID_GRANT.setDescription(description));
    }

    /** Small helper for the revoked-token table. */
    static final class RevokedTokens {
        private RevokedTokens() {
        }

        static long count(EntityManager em, String jti) {
            return ((Number) em.createNativeQuery("SELECT count(*) FROM revoked_access_token WHERE jti = ?1")
                    .setParameter(1, jti).getSingleResult()).longValue();
        }
    }
}
