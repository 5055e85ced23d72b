package cn.onenet.identity.rest;

import java.util.Optional;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;

/** Lets forms check an identifier before submitting it. Public: it reveals nothing about any account. */
@Path("/api/identity/v1/identifiers/check")
@Tag(name = "Identifiers")
@PermitAll
public class IdentifierResource {

    public enum IdentifierType {
        RESIDENT_ID, // 公民身份号码
        CREDIT_CODE  // 统一社会信用代码
    }

    @Schema(name = "IdentifierCheck")
    public record CheckRequest(
            @NotNull(message = "号码类型必填，允许的值：公民身份号码（RESIDENT_ID）、统一社会信用代码（CREDIT_CODE） / "
                    + "the kind of number is required: a resident ID number (RESIDENT_ID) or a unified social "
                    + "credit code (CREDIT_CODE)")
            @Schema(example = "RESIDENT_ID") IdentifierType type,
            @NotBlank(message = "号码必填 / the number is required")
            @Schema(example = "11010519491231002X") String value) {
    }

    @Schema(name = "IdentifierCheckResult", examples = { "{\"valid\": true, \"reason\": null}",
            "{\"valid\": false, \"reason\": \"公民身份号码校验码错误 / wrong check character\"}" })
    public record CheckResult(boolean valid, String reason) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Check the format and check character of a 公民身份号码 or 统一社会信用代码. Public.")
    public CheckResult check(
            @Valid @NotNull(message = "请求体必填 / a JSON body is required") CheckRequest request) {
        Optional<String> problem = request.type() == IdentifierType.RESIDENT_ID
                ? ResidentIdNumber.problem(request.value())
                : CreditCode.problem(request.value());
        return new CheckResult(problem.isEmpty(), problem.orElse(null));
    }
}
