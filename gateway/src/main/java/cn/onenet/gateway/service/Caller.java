package cn.onenet.gateway.service;

import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import cn.onenet.common.security.RevokedTokens;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * What the edge needs to know about an authenticated caller, read once per token: the rate-limit key (client id,
 * else subject), the department, the audiences and what identity's revocation list names the token by (its
 * {@code jti}, grant and {@code client_id}; null without a token of its own).
 */
public record Caller(SecurityIdentity identity, String clientId, String personKey, String department,
        Set<String> audiences, long expiresAtMillis, boolean session, RevokedTokens.Key revocation) {

    /** Key of the caller in the routing context, set by {@link EdgeAuthentication}. */
    public static final String KEY = "gateway.caller";

    public static Caller of(SecurityIdentity identity) {
        // A console session: the principal is the ID token; the access token is relayed and checked upstream.
        boolean session = identity.getCredential(IdTokenCredential.class) != null;
        if (identity.getPrincipal() instanceof JsonWebToken token) {
            String clientId = token.getClaim("client_id");
            Object jti = token.getClaim("jti");
            // a session's principal is its ID token: the relayed access token is checked by the services
            RevokedTokens.Key revocation = session ? null
                    : RevokedTokens.key(jti instanceof String id ? id : null, clientId);
            String subject = token.getSubject();
            // a user's token names the app that asked for it (client_id) and the person (sub); a system's both alike.
            // Kept as the rate-limit bucket's id (built once per verified token, not per request).
            String person = clientId != null && subject != null && !subject.equals(clientId)
                    ? clientId + "/" + subject : null;
            if (clientId == null) {
                clientId = subject;
            }
            if (clientId == null) {
                clientId = token.getName();
            }
            Set<String> audiences = token.getAudience() == null ? Set.of() : Set.copyOf(token.getAudience());
            long exp = token.getExpirationTime();
            return new Caller(identity, clientId, person, token.getClaim("dept"), audiences,
                    exp <= 0 ? 0 : exp * 1000, session, revocation);
        }
        String name = identity.getPrincipal() == null ? null : identity.getPrincipal().getName();
        return new Caller(identity, name, null, null, Set.of(), Long.MAX_VALUE, session, null);
    }

    /** The same caller with another form of its identity (detached from, or re-bound to, a request). */
    public Caller withIdentity(SecurityIdentity other) {
        return new Caller(other, clientId, personKey, department, audiences, expiresAtMillis, session, revocation);
    }
}
