package cn.onenet.exchange.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.DemoData;

/**
 * The demo proxied provider (a department's own 电子证照 service, run by the suite): the exchange forwards keyed
 * lookups here. Only in demo mode.
 */
@Path("/api/exchange/v1/demo-provider/licences")
@Produces(MediaType.APPLICATION_JSON)
public class DemoProviderResource {

    private final ExchangeConfig config;

    public DemoProviderResource(ExchangeConfig config) {
        this.config = config;
    }

    @GET
    @PermitAll
    @Operation(summary = "Demo 电子证照 provider endpoint (demo mode only).")
    public Response licence(@QueryParam("key") String key) {
        if (!config.demo().enabled()) {
            throw ApiException.notFound("演示服务未启用 / demo provider disabled");
        }
        if (key == null || key.isBlank()) {
            throw ApiException.field("key", "须给出证照号码 / the licence key is required");
        }
        Map<String, Object> licence = DemoData.LICENCES.get(key);
        if (licence == null) {
            throw ApiException.notFound("没有该证照 / no licence with this key");
        }
        return Response.ok(licence).build();
    }
}
