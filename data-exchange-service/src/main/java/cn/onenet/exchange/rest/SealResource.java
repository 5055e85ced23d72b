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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.service.SealService;
import cn.onenet.exchange.service.TextLimits;
import io.quarkus.security.Authenticated;

/** 电子印章 public keys (JWKS) and key rotation. */
@Path("/api/exchange/v1/seals")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "seals", description = "电子印章 (seals)")
public class SealResource {

    public record Rotate(@Schema(maxLength = TextLimits.CODE, example = "SM2SM3",
            enumeration = { "EdDSA", "ES256", "RS256", "SM2SM3" }) String algorithm) {
    }

    @Schema(description = "A seal and the exact bytes it covers")
    public record VerifyBody(@Schema(description = "detached compact JWS (header..signature), e.g. the X-Exchange-Seal "
            + "header", maxLength = TextLimits.ENCODED, example = SEAL) String seal,
            @Schema(description = "the sealed bytes, base64", maxLength = TextLimits.ENCODED, example = SEALED_BYTES)
            String payloadBase64) {
    }

    /** An EdDSA seal by the police department's key (the header's kid and dept) over the bytes below. */
    private static final String SEAL =
            "eyJhbGciOiJFZERTQSIsImtpZCI6IjExMzMwMDAwMDAyNDgxMDIwQS1td3JuMnh2ayIsImRlcHQiOiIxMTMzMDAwMDAwMjQ4MTAy"
            + "MEEifQ..MMyhxipGeAuHsHfQYi9lCjlo8ZYrMuesMOcG0U-Gq_FvC5SxdwCWRAJN2mMazz4nxQJ1Cluwd0cXuV__g8NwAA";

    /** A lookup answer of 居民户籍信息, the key masked (base64 of its UTF-8 JSON). */
    private static final String SEALED_BYTES =
            "eyJyZXNvdXJjZUNvZGUiOiIzMzAwMDAtMDEtMDIvMDAwMTIzIiwia2V5IjoiMzMwKioqKioqKioqKiowMDFYIiwiZ3JhbnRJZCI6"
            + "MTcsInB1cnBvc2UiOiLnpL7kvJrkv53pmpzlvoXpgYfotYTmoLzorqTor4EiLCJyZXF1ZXN0SWQiOiI2ZjFjMmQ5ZS00YjdhLTRl"
            + "MjEtOWMzZC04YTVlN2IyZjFjMDQiLCJ1c2FnZUxvZ1NlcSI6MTAyNCwiZGVsaXZlcmVkQXQiOiIyMDI2LTEyLTAzVDAyOjExOjA5"
            + "LjQxOFoiLCJyZWNvcmQiOnsiR01TRkhNIjoiMzMwKioqKioqKioqKiowMDFYIiwiWE0iOiLlvKDkvJ8ifSwibWFza2VkSXRlbXMi"
            + "OlsiR01TRkhNIl19";

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
        // in any letter case: the key is the department's in the form its tokens carry
        String code = CreditCode.normalise(department);
        if (!code.matches("[0-9A-Z]{18}")) {
            throw ApiException.field("department", "须为 18 位统一社会信用代码 / an 18-character credit code");
        }
        String alg = body == null || body.algorithm() == null ? "EdDSA" : body.algorithm();
        return Map.of("kid", seals.rotate(code, alg), "algorithm", alg);
    }

    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Authenticated
    @Operation(summary = "Checks a seal (any algorithm, SM2SM3 included) over the given bytes with the published key "
            + "its kid names.")
    @APIResponse(responseCode = "200", description = "whether the seal is valid, and whose key made it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = SealService.Check.class),
                    examples = @ExampleObject(name = "valid", value = "{\"valid\": true, "
                            + "\"kid\": \"11330000002481020A-mwrn2xvk\", \"algorithm\": \"EdDSA\", "
                            + "\"department\": \"11330000002481020A\", \"problem\": null}")))
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
