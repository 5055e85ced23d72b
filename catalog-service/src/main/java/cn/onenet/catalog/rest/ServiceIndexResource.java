package cn.onenet.catalog.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import cn.onenet.catalog.config.CatalogConfig;

/** The API root: names the service and where its contract lives. Public. */
@Path("/api/catalog/v1")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class ServiceIndexResource {

    private final CatalogConfig config;

    public ServiceIndexResource(CatalogConfig config) {
        this.config = config;
    }

    @GET
    @Operation(summary = "Service name and links to its OpenAPI document. Public.")
    public Map<String, String> index() {
        return Map.of("service", config.serviceName(), "openapi", "/q/openapi", "health", "/q/health");
    }
}
