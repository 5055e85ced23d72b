package cn.onenet.identity.service;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;

import cn.onenet.identity.config.IdentityConfig;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.AuthorizationCodeRecord;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.RefreshTokenRecord;
import cn.onenet.identity.model.SsoSession;
import cn.onenet.identity.model.TokenGrant;

/**
 * The token endpoint's rules: authorization_code (single use, bound to client, redirect URI and PKCE S256; a reused
 * code revokes what it issued), refresh_token (rotation; a reused refresh token revokes its whole family) and
 * client_credentials. Other grants are refused.
 */
@ApplicationScoped
public class TokenIssuer {

    /** The grant types offered (discovery's grant_types_supported); any other is unsupported_grant_type. */
    public static final Set<String> SUPPORTED = Set.of("authorization_code", "refresh_token", "client_credentials");

    private final IdentityConfig config;
    private final TokenService tokens;
    private final GrantStore grants;
    private final AuditService audit;
    private final DataSharing sharing;
    private final ClientCredentialsGrants clientCredentials;

    public TokenIssuer(IdentityConfig config, TokenService tokens, GrantStore grants, AuditService audit,
            DataSharing sharing, ClientCredentialsGrants clientCredentials) {
        this.config = config;
        this.tokens = tokens;
        this.grants = grants;
        this.audit = audit;
        this.sharing = sharing;
        this.clientCredentials = clientCredentials;
    }

    public AccessTokenResponse issue(RegisteredClient client, TokenRequest request, String ip) throws OAuthFailure {
        AuthorizationGrant grant = request.getAuthorizationGrant();
        GrantType type = grant.getType();
        // an empty scope= names no scope token (RFC 6749 §3.3 needs one at least): read as no scope parameter, so
        // a refresh keeps the grant's scope (and its ID token) and client credentials get the client's defaults
        Scope requested = request.getScope() == null || request.getScope().isEmpty() ? null : request.getScope();
        try {
            if (!SUPPORTED.contains(type.getValue())) {
                throw new OAuthFailure(OAuth2Error.UNSUPPORTED_GRANT_TYPE
                        .setDescription("supported: authorization_code, refresh_token, client_credentials"));
            }
            if (!client.allowsGrant(type.getValue())) {
                throw new OAuthFailure(OAuth2Error.UNAUTHORIZED_CLIENT
                        .setDescription("client may not use grant type " + type.getValue()));
            }
            AccessTokenResponse response;
            if (grant instanceof ClientCredentialsGrant) {
                response = clientCredentials(client, requested);
            } else if (grant instanceof AuthorizationCodeGrant code) {
                response = grants.redeemCode(client, code, this);
            } else if (grant instanceof RefreshTokenGrant refresh) {
                response = grants.refresh(client, refresh, requested, this);
            } else {
                throw new OAuthFailure(OAuth2Error.UNSUPPORTED_GRANT_TYPE);
            }
            audit.record("TOKEN_ISSUED", true, client.clientId(), null, client.clientId(), ip, "grant=" + type);
            return response;
        } catch (OAuthFailure e) {
            audit.record("TOKEN_REFUSED", false, client.clientId(), null, client.clientId(), ip,
                    "grant=" + type + " error=" + e.error().getCode() + " " + e.error().getDescription());
            throw e;
        }
    }

    private AccessTokenResponse clientCredentials(RegisteredClient client, Scope requested) throws OAuthFailure {
        if (client.departmentDeactivated()) {
            // Its roles were granted for the department; without a dept claim a system client reads as a suite service.
            throw new OAuthFailure(OAuth2Error.UNAUTHORIZED_CLIENT.setDescription(
                    ClientCredentialsGrants.DEPARTMENT_DEACTIVATED));
        }
        Set<String> scope = new LinkedHashSet<>();
        if (requested == null) {
            client.scopes().stream().filter(s -> !"openid".equals(s)).forEach(scope::add);
        } else {
            for (String s : requested.toStringList()) {
                if (!client.scopes().contains(s) || "openid".equals(s)) {
                    throw new OAuthFailure(OAuth2Error.INVALID_SCOPE.setDescription("scope not allowed: " + s));
                }
                scope.add(s);
            }
        }
        // the jti names the client's client-credentials grant: revoking that ends the token before its exp; the grant
        // is current only while the database (not the cached registration) shows the client and its department in use
        // and the secret it authenticated with still registered
        String token = tokens.accessToken(client, null, clientCredentials.current(client.clientId(),
                client.secretHash()), scope, 0, null, null);
        BearerAccessToken access = new BearerAccessToken(token, config.tokens().accessTokenLifetime().toSeconds(),
                Scope.parse(String.join(" ", scope)));
        return new AccessTokenResponse(new Tokens(access, null));
    }

    /**
     * Tokens for a user grant: access token, ID token when {@code openid} was granted, rotated refresh token. The
     * refresh token expires with the SSO session at the latest: it renews the sign-in's tokens, not the sign-in.
     */
    AccessTokenResponse userTokens(RegisteredClient client, TokenGrant grant, Set<String> scope, boolean withIdToken) {
        Account account = Account.findById(grant.accountId);
        Principal principal = principal(account, grant.actingFor);
        int acrLevel = acrLevel(grant, account);
        Instant authTime = grant.authTime.toInstant();
        SsoSession session = grant.sessionId == null ? null : SsoSession.findById(grant.sessionId);
        String sid = session == null ? null : session.sid;
        String access = tokens.accessToken(client, principal, grant.id, scope, acrLevel, authTime, sid);
        BearerAccessToken bearer = new BearerAccessToken(access, config.tokens().accessTokenLifetime().toSeconds(),
                Scope.parse(String.join(" ", scope)));
        RefreshToken refresh = null;
        if (client.allowsGrant("refresh_token")) {
            refresh = new RefreshToken(Secrets.random(32));
            RefreshTokenRecord record = new RefreshTokenRecord();
            record.tokenHash = Secrets.sha256(refresh.getValue());
            record.grantId = grant.id;
            OffsetDateTime expiresAt = OffsetDateTime.now().plus(config.tokens().refreshTokenLifetime());
            record.expiresAt = session != null && session.expiresAt.isBefore(expiresAt) ? session.expiresAt
                    : expiresAt;
            record.persist();
        }
        if (client.firstParty()) {
            // no consent page was shown: the holder sees the receipt in their list of applications instead
            sharing.received(principal.subject().id, client.clientId(), scope);
        }
        if (withIdToken && scope.contains("openid")) {
            String idToken = tokens.idToken(client, principal, scope, acrLevel, List.of(grant.amr.split(" ")),
                    authTime, grant.nonce, sid, access);
            return new OIDCTokenResponse(new OIDCTokens(idToken, bearer, refresh));
        }
        return new AccessTokenResponse(new Tokens(bearer, refresh));
    }

    /**
     * The level the grant's tokens carry: the sign-in's, capped at what the account can reach now, so that a level
     * lowered or a second factor reset since then (AccountService.verifyLevel, TotpFactor.reset) shows at the next
     * code redemption or refresh.
     */
    static int acrLevel(TokenGrant grant, Account account) {
        return Math.min(grant.acrLevel, AuthorizationService.achievable(account));
    }

    /** The token subject: the account, or the enterprise with the account as actor (经办人). */
    public static Principal principal(Account account, UUID actingFor) {
        if (actingFor != null) {
            Account enterprise = Account.findById(actingFor);
            return new Principal(enterprise, null, account);
        }
        Department department = account.departmentId == null ? null : Department.findById(account.departmentId);
        return new Principal(account, department, null);
    }

    /**
     * A code issued with a challenge needs its verifier; one issued without (a client exempted from PKCE) must come
     * without one: a verifier there means the challenge was stripped on the way (RFC 9700 §4.8.2, PKCE downgrade).
     */
    static boolean pkceMatches(String challenge, CodeVerifier verifier) {
        if (challenge == null) {
            return verifier == null;
        }
        return verifier != null
                && CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue().equals(challenge);
    }

    /** Marks a code record; exposed for the store. */
    static boolean expired(AuthorizationCodeRecord record) {
        return record.expiresAt.isBefore(OffsetDateTime.now());
    }
}
