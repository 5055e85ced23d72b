package cn.onenet.common.security;

import java.io.IOException;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Refuses (401) a bearer token the identity service has revoked ({@link RevokedTokens}), whether quarkus-oidc just
 * verified it or {@link VerifiedTokenCache} remembered it: it runs before every other augmentor. The claims are those
 * of the verified principal when it is this very token (a bearer token's identity); only otherwise is the token's
 * payload decoded again.
 */
@ApplicationScoped
public class RevokedTokenRefusal implements SecurityIdentityAugmentor {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        TokenCredential token = identity.getCredential(TokenCredential.class);
        if (token == null || !CachedTokenIdentityProvider.BEARER.equals(token.getType())) {
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
        JsonNode claims = claims(token.getToken());
        if (claims != null && revoked.revoked(text(claims, "jti"), text(claims, "client_id"))) {
            return Uni.createFrom().failure(new AuthenticationFailedException(REVOKED));
        }
        return Uni.createFrom().item(identity);
    }

    /** A claim as the payload's text, or null when it is absent or not a string. */
    private static String text(Object claim) {
        return claim instanceof String value ? value : null;
    }

    private static JsonNode claims(String jwt) {
        int first = jwt.indexOf('.');
        int second = jwt.indexOf('.', first + 1);
        if (first < 0 || second < 0) {
            return null;
        }
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(jwt.substring(first + 1, second)));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(JsonNode claims, String name) {
        JsonNode value = claims.get(name);
        return value != null && value.isTextual() ? value.asText() : null;
    }
}
