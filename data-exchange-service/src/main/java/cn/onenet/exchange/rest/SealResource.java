package cn.onenet.exchange.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.service.SealService;

/** 电子印章 public keys (JWKS) and key rotation. */
@Path("/api/exchange/v1/seals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "seals", description = "电子印章 (seals)")
public class SealResource {

    public record Rotate(String algorithm) {
    }

    private final SealService seals;

    public SealResource(SealService seals) {
        this.seals = seals;
    }

    @GET
    @Path("/jwks")
    @PermitAll
    @Operation(summary = "Public keys of every provider department's seal (JWKS). Public.")
    public Map<String, Object> jwks() {
        return seals.jwks();
    }

    @POST
    @Path("/departments/{department}/keys")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("admin")
    @Operation(summary = "Issue a new seal key for a department (EdDSA default, ES256, RS256); old keys stay published.")
    public Map<String, String> rotate(@PathParam("department") String department, Rotate body) {
        if (!department.matches("[0-9A-Z]{18}")) {
            throw ApiException.field("department", "须为 18 位统一社会信用代码 / an 18-character credit code");
        }
        String alg = body == null || body.algorithm() == null ? "EdDSA" : body.algorithm();
        return Map.of("kid", seals.rotate(department, alg), "algorithm", alg);
    }
}
