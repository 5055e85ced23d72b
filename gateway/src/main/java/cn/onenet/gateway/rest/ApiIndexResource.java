package cn.onenet.gateway.rest;

import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import cn.onenet.gateway.config.GatewayConfig;

/** The combined API index: which APIs the suite offers and where each one's contract is. Public. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class ApiIndexResource {

    private final GatewayConfig config;

    public ApiIndexResource(GatewayConfig config) {
        this.config = config;
    }

    @GET
    @Operation(summary = "Index of the suite's APIs with their base paths. Public.")
    public Map<String, Map<String, String>> index() {
        Map<String, Map<String, String>> apis = new TreeMap<>();
        config.upstreams().keySet().forEach(name -> apis.put(name,
                Map.of("basePath", "/api/" + name + "/v1", "openapi", "/api/" + name + "/openapi")));
        return apis;
    }
}
