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
        // Only an upstream the gateway routes /api/<name> to has an API here: one that serves other paths alone
        // (login pages, say) would be listed with a base path that leads nowhere.
        config.routes().values().forEach(route -> {
            String name = route.upstream();
            String path = route.path().endsWith("/") ? route.path().substring(0, route.path().length() - 1)
                    : route.path();
            if (path.equals("/api/" + name)) {
                apis.put(name, Map.of("basePath", path + "/v1", "openapi", path + "/openapi"));
            }
        });
        return apis;
    }
}
