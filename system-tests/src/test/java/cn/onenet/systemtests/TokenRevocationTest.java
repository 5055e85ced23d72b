package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.response.Response;

/**
 * A token identity revokes stops working within seconds, not only when it expires: the gateway refuses it at the
 * edge, and the catalog and the exchange, reached past the gateway, refuse it too. All three fetch identity's
 * revocation list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class TokenRevocationTest {

    /** The gateway and the services fetch the list every 5 s; this leaves room for a slow machine. */
    private static final Duration WITHIN = Duration.ofSeconds(45);

    /** The gateway's challenge for a revoked token; the services' own 401 says {@code Bearer} alone. */
    private static final String EDGE_REFUSAL = "Bearer error=\"invalid_token\", error_description=\"the access "
            + "token was revoked\"";

    private static final String CATALOG = "/api/catalog/v1/entries?size=1";
    private static final String EXCHANGE = "/api/exchange/v1/grants?size=1";

    private String gateway;
    private String catalog;
    private String exchange;

    @BeforeAll
    void start() {
        gateway = SharedSuite.gateway();
        catalog = SharedSuite.service("catalog-service");
        exchange = SharedSuite.service("data-exchange-service");
    }

    private static Response get(String token, String url) {
        return given().auth().oauth2(token).get(url);
    }

    /** Waits until the answer is a 401 whose challenge contains {@code challenge} (any 401 when null). */
    private static void awaitRefused(String token, String url, String challenge) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        Response answer = get(token, url);
        while (!refused(answer, challenge) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            answer = get(token, url);
        }
        assertEquals(401, answer.statusCode(), url + " still accepts the revoked token after " + WITHIN);
        if (challenge != null) {
            assertEquals(challenge, answer.header("WWW-Authenticate"), url + " refused it, but not at the edge");
        }
    }

    private static boolean refused(Response answer, String challenge) {
        return answer.statusCode() == 401 && (challenge == null || challenge.equals(answer.header("WWW-Authenticate")));
    }

    @Test
    void aRevokedAccessTokenIsRefusedByTheGatewayTheCatalogAndTheExchange() throws Exception {
        String token = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken("gat.operator",
                DEMO_PASSWORD, "openid profile");
        String other = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken("gat.operator",
                DEMO_PASSWORD, "openid profile");
        // twice each through the gateway: the second time the token is known there and takes its fast path
        for (int i = 0; i < 2; i++) {
            assertEquals(200, get(token, gateway + CATALOG).statusCode());
            assertEquals(200, get(token, gateway + EXCHANGE).statusCode());
        }
        assertEquals(200, get(token, catalog + CATALOG).statusCode());
        assertEquals(200, get(token, exchange + EXCHANGE).statusCode());
        given().auth().preemptive().basic("gateway", "demo-gateway-secret").formParam("token", token)
                .post(gateway + "/oidc/revoke").then().statusCode(200);

        awaitRefused(token, gateway + CATALOG, EDGE_REFUSAL);
        awaitRefused(token, gateway + EXCHANGE, EDGE_REFUSAL);
        get(token, gateway + EXCHANGE).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("invalid_token"));
        // the services refuse it on their own as well (a caller inside the cluster, past the gateway)
        awaitRefused(token, catalog + CATALOG, null);
        awaitRefused(token, exchange + EXCHANGE, null);
        // the same person's other token, of another login, is not affected
        assertEquals(200, get(other, gateway + CATALOG).statusCode());
        assertEquals(200, get(other, gateway + EXCHANGE).statusCode());
        assertEquals(200, get(other, catalog + CATALOG).statusCode());
    }
}
