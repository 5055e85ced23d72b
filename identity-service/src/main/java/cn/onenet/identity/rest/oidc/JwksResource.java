package cn.onenet.identity.rest.oidc;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.service.KeyService;

/** The provider's public signing keys: active, next (published before use) and retired (until their tokens expire). */
@Path("/oidc/jwks")
@Tag(name = "OpenID Connect")
@PermitAll
public class JwksResource {

    private final KeyService keys;

    public JwksResource(KeyService keys) {
        this.keys = keys;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "JSON Web Key Set (RFC 7517). Public.")
    public Response jwks() {
        return Response.ok(keys.publicKeys().toString(true)).header("Cache-Control", "public, max-age=60")
                .header("Access-Control-Allow-Origin", "*").build();
    }
}
