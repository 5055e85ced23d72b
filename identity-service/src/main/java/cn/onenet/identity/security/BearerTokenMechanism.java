package cn.onenet.identity.security;

import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.nimbusds.jwt.JWTClaimsSet;

import cn.onenet.identity.service.TokenValidation;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Protects identity-service's own API with its own access tokens: signature against the provider's keys, issuer,
 * expiry, audience {@code onenet-identity}, revocation. Roles come from the {@code roles} claim, as in every
 * other service. A missing or invalid token leaves the caller anonymous, so {@code @RolesAllowed} answers 401; its
 * challenge says {@code error="invalid_token"} when a token was presented (RFC 6750 §3), nothing more when none was.
 */
@ApplicationScoped
public class BearerTokenMechanism implements HttpAuthenticationMechanism {

    public static final String CLAIMS = "claims";

    private final TokenValidation validation;

    public BearerTokenMechanism(TokenValidation validation) {
        this.validation = validation;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = bearerToken(context.request().getHeader("Authorization"));
        if (token == null || context.normalizedPath().startsWith("/oidc/")) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        return Uni.createFrom().item(() -> validation.activeAccessToken(token).map(BearerTokenMechanism::identity)
                .orElse(null)).runSubscriptionOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool());
    }

    /** The verified claims of the caller's token, or null for an anonymous caller. */
    public static JWTClaimsSet claims(SecurityIdentity caller) {
        return caller.getAttribute(CLAIMS);
    }

    private static SecurityIdentity identity(JWTClaimsSet claims) {
        Set<String> roles = new HashSet<>();
        Object value = claims.getClaim("roles");
        if (value instanceof List<?> list) {
            list.forEach(r -> roles.add(String.valueOf(r)));
        }
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(claims.getSubject()))
                .addRoles(roles).addAttribute(CLAIMS, claims).build();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate",
                challenge(context.request().getHeader("Authorization"))));
    }

    /**
     * The {@code WWW-Authenticate} value of a 401 (RFC 6750 §3): the realm, and {@code error="invalid_token"} when
     * the request presented a token (none when it sent no token at all).
     */
    static String challenge(String authorization) {
        return "Bearer realm=\"onenet-identity\"" + (bearerToken(authorization) != null ? ", error=\"invalid_token\"" : "");
    }

    /** The token of an {@code Authorization: Bearer} header, or null when none was sent. */
    private static String bearerToken(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Collections.emptySet();
    }
}
