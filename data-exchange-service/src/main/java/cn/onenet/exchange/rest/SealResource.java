package cn.onenet.exchange.rest;

import java.util.Base64;
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
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.service.SealService;
import io.quarkus.security.Authenticated;

/** 电子印章 public keys (JWKS) and key rotation. */
@Path("/api/exchange/v1/seals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "seals", description = "电子印章 (seals)")
public class SealResource {

    public record Rotate(@Schema(example = "SM2SM3", enumeration = { "EdDSA", "ES256", "RS256", "SM2SM3" })
    String algorithm) {
    }

    @Schema(description = "A seal and the exact bytes it covers")
    public record VerifyBody(@Schema(description = "detached compact JWS (header..signature), e.g. the X-Exchange-Seal "
            + "header") String seal, @Schema(description = "the sealed bytes, base64") String payloadBase64) {
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
    @Operation(summary = "Issue a new seal key for a department (EdDSA default, ES256, RS256, SM2SM3); old keys stay "
            + "published.")
    public Map<String, String> rotate(@PathParam("department") String department, Rotate body) {
        if (!department.matches("[0-9A-Z]{18}")) {
            throw ApiException.field("department", "须为 18 位统一社会信用代码 / an 18-character credit code");
        }
        String alg = body == null || body.algorithm() == null ? "EdDSA" : body.algorithm();
        return Map.of("kid", seals.rotate(department, alg), "algorithm", alg);
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(summary = "Checks a seal (any algorithm, SM2SM3 included) over the given bytes with the published key "
            + "its kid names.")
    public SealService.Check verify(VerifyBody body) {
        if (body == null || body.seal() == null || body.seal().isBlank()) {
            throw ApiException.field("seal", "须提供印章 / the seal is required");
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(body.payloadBase64() == null ? "" : body.payloadBase64());
        } catch (IllegalArgumentException e) {
            throw ApiException.field("payloadBase64", "不是 base64 / not base64");
        }
        return seals.verify(body.seal().trim(), payload);
    }
}
