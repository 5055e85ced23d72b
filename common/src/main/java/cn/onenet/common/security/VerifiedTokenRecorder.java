package cn.onenet.common.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Runs after every other augmentor: keeps each identity that quarkus-oidc has just verified from a bearer token in
 * {@link VerifiedTokenCache}, as the application sees it (roles and attributes added by other augmentors included).
 */
@ApplicationScoped
@IfBuildProperty(name = VerifiedTokenCache.ENABLED, stringValue = "true")
public class VerifiedTokenRecorder implements SecurityIdentityAugmentor {

    private final VerifiedTokenCache cache;

    public VerifiedTokenRecorder(VerifiedTokenCache cache) {
        this.cache = cache;
    }

    @Override
    public int priority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous() && identity.getAttribute(CachedTokenIdentityProvider.FROM_CACHE) == null) {
            TokenCredential token = identity.getCredential(TokenCredential.class);
            if (token != null && CachedTokenIdentityProvider.BEARER.equals(token.getType())) {
                cache.keep(token.getToken(), RequestBoundIdentities.detached(identity));
            }
        }
        return Uni.createFrom().item(identity);
    }
}
