package cn.onenet.common.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.Credential;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Refuses (401) a bearer token the identity service has revoked ({@link RevokedTokens}), whether quarkus-oidc just
 * verified it or {@link VerifiedTokenCache} remembered it: it runs before every other augmentor. The claims are those
 * of the verified principal when it is this very token (a bearer token's identity); only otherwise is the token's
 * payload decoded again. A code-flow session is left to its application (see {@link #bearer}).
 */
@ApplicationScoped
public class RevokedTokenRefusal implements SecurityIdentityAugmentor {

    /** The message of the refusal, by which the gateway names it in its challenge. */
    public static final String REVOKED = "access token revoked";

    private final RevokedTokens revoked;

    public RevokedTokenRefusal(RevokedTokens revoked) {
        this.revoked = revoked;
    }

    @Override
    public int priority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !revoked.active()) {
            return Uni.createFrom().item(identity);
        }
        TokenCredential token = bearer(identity);
        if (token == null) {
            return Uni.createFrom().item(identity);
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && token.getToken() != null
                && token.getToken().equals(jwt.getRawToken())) {
            // the claims quarkus-oidc already parsed when it verified the token
            if (revoked.revoked(text(jwt.getClaim("jti")), text(jwt.getClaim("client_id")))) {
                return Uni.createFrom().failure(new AuthenticationFailedException(REVOKED));
            }
            return Uni.createFrom().item(identity);
        }
        RevokedTokens.Key key = RevokedTokens.keyOf(token.getToken());
        if (key != null && revoked.revoked(key)) {
            return Uni.createFrom().failure(new AuthenticationFailedException(REVOKED));
        }
        return Uni.createFrom().item(identity);
    }

    /**
     * The identity's bearer token, or null: none, or a code-flow session (an ID token next to its access token),
     * which the application that keeps the session judges itself (the gateway: a page load of a revoked session
     * starts a new sign-in, where a refusal here would end quarkus-oidc's verification with a 401). Looked for among
     * all credentials: they are a hash set, so {@code getCredential} would return either of a session's tokens.
     */
    static TokenCredential bearer(SecurityIdentity identity) {
        TokenCredential bearer = null;
        for (Credential credential : identity.getCredentials()) {
            if (credential instanceof TokenCredential token) {
                if (ID_TOKEN.equals(token.getType())) {
                    return null;
                }
                if (CachedTokenIdentityProvider.BEARER.equals(token.getType())) {
                    bearer = token;
                }
            }
        }
        return bearer;
    }

    /** The type quarkus-oidc gives a code-flow session's ID token credential. */
    private static final String ID_TOKEN = "id_token";

    /** A claim as the payload's text, or null when it is absent or not a string. */
    private static String text(Object claim) {
        return claim instanceof String value ? value : null;
    }
}
