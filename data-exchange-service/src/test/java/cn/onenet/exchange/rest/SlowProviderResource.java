package cn.onenet.exchange.rest;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Test-only provider endpoint that answers too late (proxied-provider timeout). */
@Path("/test-provider/slow")
@PermitAll
public class SlowProviderResource {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> slow(@QueryParam("key") String key) throws InterruptedException {
        Thread.sleep(1500);
        return Map.of("GMSFHM", key);
    }
}
