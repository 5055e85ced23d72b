package cn.onenet.common.security;

import java.io.IOException;
import java.util.Base64;
import java.util.Locale;

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
 * Accepts as a bearer token only an access token: JWS header {@code typ} {@code at+jwt} (RFC 9068 §4, also
 * {@code application/at+jwt}, any letter case). identity-service signs its ID tokens ({@code typ} {@code JWT}) and
 * logout tokens with the same keys, and an ID token's {@code aud} is the client it was issued to: a client whose
 * client_id is a service audience would otherwise receive, at every sign-in, a token that the service takes for an
 * access token carrying the user's roles. quarkus-oidc's {@code quarkus.oidc.token.token-type} compares a {@code typ}
 * claim of the payload, when there is one, not the header, so it cannot tell the two apart.
 * <p>
 * Runs first among the augmentors, after quarkus-oidc has verified the signature (so the header read here is the
 * signed one) and before any cache keeps the identity ({@link VerifiedTokenRecorder}, the gateway's edge cache): a
 * refused token is never remembered. Code-flow sessions (the gateway's console: an ID token next to its access token)
 * are the web-app tenant's business and are left alone, as in {@link RevokedTokenRefusal}.
 */
@ApplicationScoped
public class AccessTokenTypeRefusal implements SecurityIdentityAugmentor {

    /** The message of the refusal. */
    public static final String NOT_ACCESS_TOKEN = "not an access token";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public int priority() {
        return Integer.MAX_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(CachedTokenIdentityProvider.FROM_CACHE) != null) {
            return Uni.createFrom().item(identity); // a cached identity was checked when it was verified
        }
        TokenCredential token = RevokedTokenRefusal.bearer(identity);
        if (token == null || !(identity.getPrincipal() instanceof JsonWebToken)) {
            return Uni.createFrom().item(identity);
        }
        if (!accessToken(token.getToken())) {
            return Uni.createFrom().failure(new AuthenticationFailedException(NOT_ACCESS_TOKEN));
        }
        return Uni.createFrom().item(identity);
    }

    /** Whether the compact JWS's protected header says {@code typ: at+jwt} (or {@code application/at+jwt}). */
    public static boolean accessToken(String compact) {
        if (compact == null) {
            return false;
        }
        int dot = compact.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(compact.substring(0, dot)));
            JsonNode typ = header == null ? null : header.get("typ");
            if (typ == null || !typ.isTextual()) {
                return false;
            }
            String type = typ.asText().toLowerCase(Locale.ROOT);
            return "at+jwt".equals(type) || "application/at+jwt".equals(type);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }
}
