package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/** The combined API index names only APIs the gateway routes. */
@QuarkusTest
@TestProfile(ApiIndexTest.WithAnUpstreamWithoutApiRoute.class)
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class ApiIndexTest {

    /** An upstream reached by no /api route of its own (e.g. one that serves only login pages). */
    public static class WithAnUpstreamWithoutApiRoute implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.upstreams.pages", "http://127.0.0.1:1", "gateway.routes.pages.path", "/pages",
                    "gateway.routes.pages.upstream", "pages");
        }
    }

    @Test
    void theIndexListsOnlyApisTheGatewayRoutes() {
        JsonObject index = new JsonObject(given().get("/api").then().statusCode(200).extract().asString());
        assertFalse(index.containsKey("pages"), "no /api/pages route: " + index);
        assertEquals("/api/catalog/v1", index.getJsonObject("catalog").getString("basePath"));
        assertEquals("/api/catalog/openapi", index.getJsonObject("catalog").getString("openapi"));
        for (String name : index.fieldNames()) {
            JsonObject api = index.getJsonObject(name);
            // every contract and base path listed is routed (the test upstream answers whatever reaches it)
            given().get(api.getString("openapi")).then().statusCode(200);
            assertTrue(api.getString("basePath").startsWith("/api/" + name + "/"), api.encode());
        }
    }
}
