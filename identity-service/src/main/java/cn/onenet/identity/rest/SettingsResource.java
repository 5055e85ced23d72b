package cn.onenet.identity.rest;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.common.problem.ApiException;
import cn.onenet.identity.service.DelegationLimits;
import io.quarkus.security.Authenticated;

/**
 * Deployment settings a client form needs before it sends anything (read only): the longest period of an agent
 * authorisation, so that the console's date field offers no {@code validTo} the service would refuse.
 */
@Path("/api/identity/v1/settings")
@Tag(name = "Settings")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private static final String VALID_FROM = "delegationValidFrom";

    private final DelegationLimits limits;

    public SettingsResource(DelegationLimits limits) {
        this.limits = limits;
    }

    @Schema(name = "Settings")
    public record Settings(
            @Schema(description = "identity.delegation.max-period: the longest period of an agent authorisation "
                    + "(经办人授权), ISO 8601", example = "P1Y") String delegationMaxPeriod,
            @Schema(description = "the Beijing day the periods below start on (today unless delegationValidFrom was "
                    + "given)", example = "2026-12-08") LocalDate delegationValidFrom,
            @Schema(description = "the last Beijing day an authorisation starting on delegationValidFrom may cover, "
                    + "inclusive", example = "2027-12-08") LocalDate delegationLastDay,
            @Schema(description = "the latest validTo accepted for it to the second (the end of delegationLastDay "
                    + "in Beijing)", example = "2027-12-08T23:59:59+08:00") OffsetDateTime delegationLatestValidTo,
            @Schema(description = "validTo must be before this instant", example = "2027-12-09T00:00:00+08:00")
            OffsetDateTime delegationValidToBefore) {
    }

    @GET
    @Operation(summary = "Settings a client form needs (read only). Any valid token, a person's or a client's; "
            + "without one 401.", description = "The limit of an agent authorisation's period as POST delegations "
            + "applies it: validTo must be before delegationValidToBefore, which the same rule computes.")
    @APIResponse(responseCode = "200", description = "the settings",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Settings.class)))
    @APIResponse(responseCode = "400", description = "delegationValidFrom is not a date (yyyy-MM-dd, years 1900–9999)")
    @APIResponse(responseCode = "401", description = "no valid token")
    public Settings settings(@Parameter(description = "the Beijing day an authorisation would start on (yyyy-MM-dd); "
            + "default today") @QueryParam(VALID_FROM) String validFrom) {
        LocalDate from = validFrom == null || validFrom.isBlank() ? LocalDate.now(DelegationLimits.BEIJING)
                : day(validFrom);
        OffsetDateTime before = limits.validToBefore(from);
        return new Settings(limits.maxPeriod().toString(), from, limits.lastDay(from), before.minusSeconds(1), before);
    }

    private static LocalDate day(String value) {
        try {
            LocalDate day = LocalDate.parse(value);
            if (day.getYear() >= 1900 && day.getYear() <= 9999) {
                return day;
            }
        } catch (DateTimeParseException e) {
            // named below
        }
        throw ApiException.field(VALID_FROM, "应为日期 yyyy-MM-dd（1900–9999 年） / must be a date, yyyy-MM-dd, years "
                + "1900–9999");
    }
}
