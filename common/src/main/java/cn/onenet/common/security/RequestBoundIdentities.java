package cn.onenet.common.security;

import java.util.Map;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * A verified identity kept beyond its request (a token cache) must not keep that request alive: quarkus-oidc stores
 * the routing context among the identity's attributes. Such attributes are replaced by a marker when the identity is
 * remembered and pointed at the current request when it is used again.
 */
public final class RequestBoundIdentities {

    private static final Object REQUEST_BOUND = new Object();

    private RequestBoundIdentities() {
    }

    /** The identity with every routing-context attribute replaced by the marker (the same object if it has none). */
    public static SecurityIdentity detached(SecurityIdentity identity) {
        QuarkusSecurityIdentity.Builder builder = null;
        for (Map.Entry<String, Object> attribute : identity.getAttributes().entrySet()) {
            if (attribute.getValue() instanceof RoutingContext) {
                builder = builder == null ? QuarkusSecurityIdentity.builder(identity) : builder;
                builder.addAttribute(attribute.getKey(), REQUEST_BOUND);
            }
        }
        return builder == null ? identity : builder.build();
    }

    /** A builder for a remembered identity with its marked attributes pointing at {@code current}. */
    public static QuarkusSecurityIdentity.Builder boundTo(SecurityIdentity identity, RoutingContext current) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder(identity);
        for (Map.Entry<String, Object> attribute : identity.getAttributes().entrySet()) {
            if (attribute.getValue() == REQUEST_BOUND) {
                builder.addAttribute(attribute.getKey(), current);
            }
        }
        return builder;
    }
}
