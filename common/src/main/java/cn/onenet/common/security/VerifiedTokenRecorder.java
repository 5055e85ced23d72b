package cn.onenet.common.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

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
                // the cache must not pin this request: its routing context is replaced by a marker, re-bound on use
                QuarkusSecurityIdentity.Builder detached = QuarkusSecurityIdentity.builder(identity);
                identity.getAttributes().forEach((name, value) -> {
                    if (value instanceof RoutingContext) {
                        detached.addAttribute(name, CachedTokenIdentityProvider.REQUEST_BOUND);
                    }
                });
                cache.keep(token.getToken(), detached.build());
            }
        }
        return Uni.createFrom().item(identity);
    }
}
