package cn.onenet.identity.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.RefreshTokenRecord;
import cn.onenet.identity.model.TokenGrant;

/** Checks tokens this provider issued: for UserInfo, introspection, revocation and its own admin API. */
@ApplicationScoped
public class TokenValidation {

    private final TokenService tokens;
    private final GrantStore grants;
    private final AuditService audit;
    private final ClientRegistry clients;

    public TokenValidation(TokenService tokens, GrantStore grants, AuditService audit, ClientRegistry clients) {
        this.tokens = tokens;
        this.grants = grants;
        this.audit = audit;
        this.clients = clients;
    }

    /**
     * Whether the client a token was issued to is registered and enabled: a disabled client's tokens stop working
     * at once (client-credentials tokens belong to no grant that disabling could revoke).
     */
    private boolean clientEnabled(JWTClaimsSet claims) {
        return claims.getClaim("client_id") instanceof String clientId && clients.find(clientId).isPresent();
    }

    /** A valid, unrevoked access token with {@code onenet-identity} in its audience. */
    public Optional<JWTClaimsSet> activeAccessToken(String token) {
        return active(token, claims -> claims.getAudience().contains(TokenService.OWN_AUDIENCE));
    }

    /** A valid, unrevoked access token of this provider, whatever APIs it is for (UserInfo, OIDC Core §5.3). */
    public Optional<JWTClaimsSet> activeAnyAudience(String token) {
        return active(token, claims -> true);
    }

    /**
     * Whether the token was issued for a user through an OpenID Connect login (scope {@code openid}): what the
     * UserInfo endpoint answers. Any other valid token lacks that scope (RFC 6750 {@code insufficient_scope}).
     */
    public static boolean openIdUserToken(JWTClaimsSet claims) {
        return !"client".equals(claims.getClaim("account_type"))
                && claims.getClaim("scope") instanceof String s && Scope.parse(s).contains("openid");
    }

    /** A verified access token that passes {@code accepted}, then (a database look-up) is not revoked. */
    private Optional<JWTClaimsSet> active(String token, java.util.function.Predicate<JWTClaimsSet> accepted) {
        if (token == null || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            JWTClaimsSet claims = tokens.verifyAccessToken(token);
            if (!accepted.test(claims) || !clientEnabled(claims) || grants.accessTokenRevoked(claims.getJWTID())) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (TokenService.BadTokenException e) {
            return Optional.empty();
        }
    }

    /**
     * RFC 7662 with §4's rule on who learns what: an access token is active only for its own client or for a suite
     * service whose API is in its audience ({@link ClientService#SERVICE_AUDIENCES}), and only its own client sees
     * the ID number ({@code cn_id}); a refresh token only for its own client, and only while the token endpoint would
     * renew it ({@link GrantStore#refreshRefusal}: its SSO session lasts, its accounts are enabled, the level still
     * meets the client's minimum, an agent's delegation still covers it). Anyone else gets {@code active: false}. A refresh token shows the {@code sub} (and {@code act})
     * of the tokens it renews: the enterprise, with the agent as actor, when an agent acts for one.
     */
    public TokenIntrospectionSuccessResponse introspect(String token, RegisteredClient caller) {
        if (token == null || token.length() > 8192) {
            return inactive();
        }
        if (token.chars().filter(c -> c == '.').count() == 2) {
            try {
                JWTClaimsSet claims = tokens.verifyAccessToken(token);
                boolean ownClient = caller.clientId().equals(claims.getClaim("client_id"));
                String servedApi = ClientService.SERVICE_AUDIENCES.get(caller.clientId());
                if (!ownClient && (servedApi == null || !claims.getAudience().contains(servedApi))) {
                    return inactive();
                }
                if (!clientEnabled(claims) || grants.accessTokenRevoked(claims.getJWTID())) {
                    return inactive();
                }
                TokenIntrospectionSuccessResponse.Builder b = new TokenIntrospectionSuccessResponse.Builder(true)
                        .issuer(new Issuer(claims.getIssuer())).subject(new Subject(claims.getSubject()))
                        .audience(claims.getAudience().stream().map(Audience::new).toList())
                        .expirationTime(claims.getExpirationTime()).issueTime(claims.getIssueTime())
                        .jwtID(new JWTID(claims.getJWTID())).tokenType(AccessTokenType.BEARER)
                        .clientID(new ClientID((String) claims.getClaim("client_id")));
                Object scope = claims.getClaim("scope");
                if (scope instanceof String s && !s.isBlank()) {
                    b.scope(Scope.parse(s));
                }
                for (String name : List.of("roles", "dept", "region", "competent_authority", "account_type", "acr", "uscc", "act", "cn_id")) {
                    Object value = "cn_id".equals(name) && !ownClient ? null : claims.getClaim(name);
                    if (value != null) {
                        b.parameter(name, value instanceof Map<?, ?> m ? new net.minidev.json.JSONObject(
                                castMap(m)) : value);
                    }
                }
                return b.build();
            } catch (TokenService.BadTokenException e) {
                return inactive();
            }
        }
        RefreshTokenRecord record = grants.refreshRecord(token);
        if (record == null || record.usedAt != null) {
            return inactive();
        }
        // active exactly when the token endpoint would renew it for its client (GrantStore#refreshRefusal)
        TokenGrant grant = grants.grantOfRefreshToken(token);
        if (grant == null || !grant.clientId.equals(caller.clientId())
                || grants.refreshRefusal(caller, grant, record).isPresent()) {
            return inactive();
        }
        TokenIntrospectionSuccessResponse.Builder b = new TokenIntrospectionSuccessResponse.Builder(true)
                .clientID(new ClientID(grant.clientId))
                .subject(new Subject((grant.actingFor != null ? grant.actingFor : grant.accountId).toString()))
                .scope(Scope.parse(grant.scope)).expirationTime(Date.from(record.expiresAt.toInstant()))
                .tokenType(new AccessTokenType("refresh_token"));
        if (grant.actingFor != null) {
            Account agent = Account.findById(grant.accountId);
            if (agent != null) {
                b.parameter("act", new net.minidev.json.JSONObject(TokenService.actClaim(agent)));
            }
        }
        return b.build();
    }

    /**
     * RFC 7009: revokes a token of the calling client. A token issued to another client is refused ({@code
     * unauthorized_client}, §2.1) and stays valid; an unknown or expired one needs nothing (§2.2).
     */
    public void revoke(String token, RegisteredClient caller, String ip) throws OAuthFailure {
        if (token == null || token.length() > 8192) {
            return;
        }
        if (token.chars().filter(c -> c == '.').count() == 2) {
            JWTClaimsSet claims;
            try {
                claims = tokens.verifyAccessToken(token);
            } catch (TokenService.BadTokenException e) {
                return; // unknown or expired: nothing to revoke (RFC 7009 §2.2)
            }
            refuseOtherClients(caller, (String) claims.getClaim("client_id"), claims.getSubject(), ip);
            grants.revokeAccessToken(claims.getJWTID(),
                    OffsetDateTime.ofInstant(claims.getExpirationTime().toInstant(), ZoneOffset.UTC));
            audit.record("TOKEN_REVOKED", true, caller.clientId(), claims.getSubject(), caller.clientId(), ip,
                    "access token");
            return;
        }
        TokenGrant grant = grants.grantOfRefreshToken(token);
        if (grant != null) {
            refuseOtherClients(caller, grant.clientId, grant.accountId.toString(), ip);
            grants.revoke(grant, "revoked_by_client");
            audit.record("TOKEN_REVOKED", true, caller.clientId(), grant.accountId.toString(), caller.clientId(), ip,
                    "refresh token family");
        }
    }

    private void refuseOtherClients(RegisteredClient caller, String owner, String subject, String ip)
            throws OAuthFailure {
        if (!caller.clientId().equals(owner)) {
            audit.record("TOKEN_REVOKED", false, caller.clientId(), subject, caller.clientId(), ip,
                    "token of another client: refused");
            throw new OAuthFailure(OAuth2Error.UNAUTHORIZED_CLIENT
                    .setDescription("the token was not issued to this client"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static TokenIntrospectionSuccessResponse inactive() {
        return new TokenIntrospectionSuccessResponse.Builder(false).build();
    }
}
