package cn.onenet.common.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.vertx.ext.web.RoutingContext;

/** A cached identity never keeps the request that verified it, and is bound to the request that uses it. */
class RequestBindingTest {

    private final VerifiedTokenCache cache = new VerifiedTokenCache(Duration.ofSeconds(60), 100,
            java.time.Clock.systemUTC());
    private final VerifiedTokenRecorder recorder = new VerifiedTokenRecorder(cache);
    private final CachedTokenIdentityProvider provider = new CachedTokenIdentityProvider(cache);

    @Test
    void theVerifyingRequestIsNotKeptAndTheCurrentOneIsBound() {
        RoutingContext first = routingContext();
        SecurityIdentity verified = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("client"))
                .addRole("operator").addCredential(new TokenCredential("tok", "bearer"))
                .addAttribute(VerifiedTokenCache.EXPIRE_TIME, Instant.now().plusSeconds(300).getEpochSecond())
                .addAttribute(HttpSecurityUtils.ROUTING_CONTEXT_ATTRIBUTE, first).build();
        recorder.augment(verified, null).await().indefinitely();

        SecurityIdentity stored = cache.find("tok");
        assertFalse(stored.getAttribute(HttpSecurityUtils.ROUTING_CONTEXT_ATTRIBUTE) instanceof RoutingContext,
                "the cache must not pin the request that verified the token");

        RoutingContext second = routingContext();
        TokenAuthenticationRequest request = new TokenAuthenticationRequest(new TokenCredential("tok", "bearer"));
        HttpSecurityUtils.setRoutingContextAttribute(request, second);
        SecurityIdentity served = provider.authenticate(request, null).await().indefinitely();
        assertSame(second, served.getAttribute(HttpSecurityUtils.ROUTING_CONTEXT_ATTRIBUTE));
        assertSame(Boolean.TRUE, served.getAttribute(CachedTokenIdentityProvider.FROM_CACHE));

        TokenAuthenticationRequest other = new TokenAuthenticationRequest(new TokenCredential("tok", "id_token"));
        assertNull(provider.authenticate(other, null).await().indefinitely(), "only bearer tokens are answered");
    }

    private static RoutingContext routingContext() {
        return (RoutingContext) Proxy.newProxyInstance(RoutingContext.class.getClassLoader(),
                new Class<?>[] { RoutingContext.class }, (proxy, method, args) -> method.getName().equals("hashCode")
                        ? System.identityHashCode(proxy) : method.getName().equals("equals") ? proxy == args[0] : null);
    }
}
