package cn.onenet.exchange.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.RealNameLevel;
import io.quarkus.security.Authenticated;

/**
 * Deployment settings a client needs before it asks (read only): the real-name level the views keyed on the caller's
 * own identifier need, so that the console does not ask them below it and says which level it needs instead.
 */
@Path("/api/exchange/v1/settings")
@Tag(name = "settings", description = "部署设置 (deployment settings a client reads)")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final ExchangeConfig config;

    public SettingsResource(ExchangeConfig config) {
        this.config = config;
    }

    @Schema(name = "ExchangeSettings")
    public record Settings(
            @Schema(description = "exchange.citizens-view.min-acr: the lowest acr that reads me/data-accesses, "
                    + "me/complaints, me/corrections and me/notices (for an agent, the agent's own)",
                    example = RealNameLevel.PREFIX + "3") String citizensViewMinAcr,
            @Schema(description = "the same as a level, 1–4", example = "3") int citizensViewMinLevel) {
    }

    @GET
    @Operation(summary = "Settings a client needs (read only). Any valid token, a person's or a department "
            + "system's; without one 401.")
    @APIResponse(responseCode = "200", description = "the settings",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Settings.class)))
    @APIResponse(responseCode = "401", description = "no valid token")
    public Settings settings() {
        // the service does not start with a minimum that is not a level (RealNameLevel)
        String minAcr = config.citizensView().minAcr();
        return new Settings(minAcr, RealNameLevel.level(minAcr));
    }
}
