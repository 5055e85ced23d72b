package cn.onenet.identity.rest.oidc;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.config.IdentityConfig;

/**
 * RFC 8414 §3: the metadata of the issuer {@code <host>/oidc} is at {@code <host>/.well-known/oauth-authorization-server}
 * followed by the issuer's path. The same document as the OpenID Connect discovery.
 */
@Path("/.well-known/oauth-authorization-server")
@Tag(name = "OpenID Connect")
@PermitAll
public class WellKnownResource {

    private final String json;

    public WellKnownResource(IdentityConfig config) {
        this.json = DiscoveryResource.json(config);
    }

    @GET
    @Path("oidc")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorization server metadata (RFC 8414) of the issuer <host>/oidc. Public.")
    public Response metadata() {
        return DiscoveryResource.document(json);
    }
}
