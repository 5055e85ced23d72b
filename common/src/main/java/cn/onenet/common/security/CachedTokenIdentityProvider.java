package cn.onenet.common.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs before quarkus-oidc's provider: a bearer token found in {@link VerifiedTokenCache} is answered with the
 * identity verified for it, bound to the current request; anything else (no entry, expired entry, other credential
 * types) returns nothing, so quarkus-oidc verifies it as usual.
 */
@ApplicationScoped
@IfBuildProperty(name = VerifiedTokenCache.ENABLED, stringValue = "true")
public class CachedTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    /** Marks identities served from the cache, so they are not stored again. */
    static final String FROM_CACHE = "cn.onenet.verified-token-cache.hit";
    static final String BEARER = "bearer";

    private final VerifiedTokenCache cache;

    public CachedTokenIdentityProvider(VerifiedTokenCache cache) {
        this.cache = cache;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return IdentityProvider.super.priority() + 1000; // ahead of quarkus-oidc's provider (the default, 1001)
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!BEARER.equals(request.getToken().getType())) {
            return Uni.createFrom().nullItem();
        }
        SecurityIdentity cached = cache.find(request.getToken().getToken());
        if (cached == null) {
            return Uni.createFrom().nullItem();
        }
        RoutingContext current = HttpSecurityUtils.getRoutingContextAttribute(request);
        return Uni.createFrom().item(RequestBoundIdentities.boundTo(cached, current).addAttribute(FROM_CACHE, true)
                .build());
    }
}
