package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The gateway starts while identity-service is down; the console's login then answers 503 problem+json (the tenant
 * is set up again on the next request), never a 500.
 */
@QuarkusTest
@TestProfile(ConsoleIdentityDownTest.IdentityDown.class)
@QuarkusTestResource(TestOidcResource.class)
class ConsoleIdentityDownTest {

    public static class IdentityDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // Nothing listens on the discard port.
            return Map.of("quarkus.oidc.console.auth-server-url", "http://127.0.0.1:9/oidc",
                    "gateway.console.client-secret", "test-console-secret");
        }
    }

    @Test
    void theConsoleAnswers503WhileTheIdentityServiceIsUnreachable() {
        given().redirects().follow(false).get("/console").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", equalTo("5"))
                .body("detail", containsString("identity service is unavailable"))
                .body("requestId", notNullValue());
        // The rest of the edge keeps working meanwhile.
        given().get("/q/health/live").then().statusCode(200);
    }
}
