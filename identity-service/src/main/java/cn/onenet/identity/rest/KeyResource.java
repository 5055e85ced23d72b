package cn.onenet.identity.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.identity.service.AuditService;
import cn.onenet.identity.service.KeyService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;

/** Signing-key rotation on demand (it also happens on schedule). */
@Path("/api/identity/v1/keys")
@Tag(name = "Keys")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class KeyResource {

    private final KeyService keys;
    private final AuditService audit;
    private final SecurityIdentity caller;

    public KeyResource(KeyService keys, AuditService audit, SecurityIdentity caller) {
        this.keys = keys;
        this.audit = audit;
        this.caller = caller;
    }

    @POST
    @Path("rotate")
    @Operation(summary = "Publish new signing keys now; they sign after the publish lead. Role admin.")
    public Map<String, List<String>> rotate() {
        String actor = caller.getPrincipal().getName();
        // the new keys and their audit record commit together; the keys in memory are reloaded after the commit
        List<String> kids = QuarkusTransaction.requiringNew().call(() -> {
            List<String> published = keys.rotate();
            audit.recordInTransaction("KEYS_ROTATED", actor, null, null, null, "next=" + published);
            return published;
        });
        keys.reload();
        return Map.of("published", kids);
    }
}
