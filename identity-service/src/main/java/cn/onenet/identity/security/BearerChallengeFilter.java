package cn.onenet.identity.security;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every 401 of identity-service's own API carries the challenge of {@link BearerTokenMechanism} (RFC 6750 §3): the
 * suite's problem mapper writes a bare {@code Bearer}, which does not tell a client that the token it sent was
 * refused. The OpenID Connect endpoints under {@code /oidc} write their own challenges.
 */
public class BearerChallengeFilter {

    @ServerResponseFilter
    public void challenge(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (response.getStatus() == 401 && (path.startsWith("/api/") || path.startsWith("api/"))) {
            response.getHeaders().putSingle(HttpHeaders.WWW_AUTHENTICATE,
                    BearerTokenMechanism.challenge(request.getHeaderString(HttpHeaders.AUTHORIZATION)));
        }
    }
}
