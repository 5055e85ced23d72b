package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A token identity revokes stops working at the catalog and the exchange within seconds, not only when it expires:
 * both fetch identity's revocation list, and the gateway, which checks signatures only, forwards the token to them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class TokenRevocationTest {

    /** The services fetch the list every 5 s; this leaves room for a slow machine. */
    private static final Duration WITHIN = Duration.ofSeconds(45);

    private String gateway;

    @BeforeAll
    void start() {
        gateway = SharedSuite.gateway();
    }

    private int status(String token, String path) {
        return given().auth().oauth2(token).get(gateway + path).then().extract().statusCode();
    }

    private void awaitRefused(String token, String path) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        int status = status(token, path);
        while (status != 401 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = status(token, path);
        }
        assertEquals(401, status, path + " still accepts the revoked token after " + WITHIN);
    }

    @Test
    void aRevokedAccessTokenIsRefusedByTheCatalogAndTheExchange() throws Exception {
        String token = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken("gat.operator",
                DEMO_PASSWORD, "openid profile");
        String other = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken("gat.operator",
                DEMO_PASSWORD, "openid profile");
        assertEquals(200, status(token, "/api/catalog/v1/entries?size=1"));
        assertEquals(200, status(token, "/api/exchange/v1/grants?size=1"));
        given().auth().preemptive().basic("gateway", "demo-gateway-secret").formParam("token", token)
                .post(gateway + "/oidc/revoke").then().statusCode(200);
        awaitRefused(token, "/api/catalog/v1/entries?size=1");
        awaitRefused(token, "/api/exchange/v1/grants?size=1");
        given().auth().oauth2(token).get(gateway + "/api/exchange/v1/grants?size=1").then().statusCode(401)
                .contentType("application/problem+json");
        // the same person's other token, of another login, is not affected
        assertEquals(200, status(other, "/api/catalog/v1/entries?size=1"));
        assertEquals(200, status(other, "/api/exchange/v1/grants?size=1"));
    }
}
