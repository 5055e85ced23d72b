package cn.onenet.identity.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.audit.DurableAuditTest;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.service.AuditService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The clients the suite itself runs on ({@code identity.system-clients}: the console's {@code gateway} and the two
 * services' clients) cannot be disabled, re-keyed or re-registered through the API: one administrator would otherwise
 * sign everybody out, themselves included, with no way back through the product.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class SystemClientsTest {

    private static final String CLIENTS = "/api/identity/v1/clients/";

    @Inject
    AuditService audit;

    private static OAuthClient stored(String clientId) {
        return ClientRolesTest.stored(clientId);
    }

    private static void refusedNaming(Response response, String clientId, String requestId) {
        response.then().statusCode(409).contentType("application/problem+json").body("field", equalTo("clientId"))
                .body("errors[0].field", equalTo("clientId")).body("clientId", equalTo(clientId))
                .body("requestId", equalTo(requestId))
                .body("detail", containsString(clientId)).body("detail", containsString("locking everybody out"))
                .body("detail", containsString("系统应用"));
    }

    @Test
    void theSuitesOwnClientsCannotBeDisabledOrReKeyedThroughTheApi() {
        for (String clientId : List.of("gateway", "catalog-service", "data-exchange-service")) {
            OAuthClient before = stored(clientId);
            String request = UUID.randomUUID().toString();
            refusedNaming(AccountListTest.as("dsj.admin").header("X-Request-Id", request)
                    .post(CLIENTS + clientId + "/disable"), clientId, request);
            refusedNaming(AccountListTest.as("dsj.admin").header("X-Request-Id", request)
                    .post(CLIENTS + clientId + "/disable?version=" + before.version), clientId, request);
            refusedNaming(AccountListTest.as("dsj.admin").header("X-Request-Id", request)
                    .post(CLIENTS + clientId + "/secret"), clientId, request);
            refusedNaming(AccountListTest.as("dsj.admin").header("X-Request-Id", request)
                    .contentType("application/json")
                    .body(Map.of("clientId", clientId, "name", "改名", "authMethod", "private_key_jwt", "jwksUri",
                            "https://example.gov.cn/jwks.json", "grantTypes", List.of("client_credentials")))
                    .put(CLIENTS + clientId), clientId, request);
            OAuthClient after = stored(clientId);
            assertTrue(after.enabled, clientId + " still enabled");
            assertEquals(before.secretHash, after.secretHash, clientId + " keeps its secret");
            assertEquals(before.authMethod, after.authMethod);
            assertEquals(before.name, after.name);
            assertEquals(before.version, after.version);
            audit.flush();
            for (String type : List.of("CLIENT_DISABLED", "CLIENT_SECRET_ROTATED", "CLIENT_UPDATED")) {
                assertEquals(List.of(), DurableAuditTest.rows(type, clientId).stream()
                        .filter(row -> "SUCCESS".equals(row.outcome)).toList(), "nothing done, nothing audited");
            }
            // enabling is not refused: it is how one switched off before the rule comes back
            AccountListTest.as("dsj.admin").post(CLIENTS + clientId + "/enable").then().statusCode(200)
                    .body("enabled", equalTo(true));
        }
        // the console's client still signs people in, and the services still get their tokens with their secrets
        AccountListTest.as("dsj.admin").get(CLIENTS + "gateway").then().statusCode(200);
        given().auth().preemptive().basic("catalog-service", "demo-catalog-secret")
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200);
        given().auth().preemptive().basic("data-exchange-service", "demo-exchange-secret")
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200);
    }

    @Test
    void otherClientsAreStillDisabledAndReKeyed() {
        String clientId = "ordinary-" + System.nanoTime() % 1_000_000;
        AccountListTest.as("dsj.admin").contentType("application/json")
                .body(Map.of("clientId", clientId, "name", "普通系统", "grantTypes", List.of("client_credentials"),
                        "scopes", List.of("catalog"), "audiences", List.of("onenet-catalog"), "roles",
                        List.of("system")))
                .post("/api/identity/v1/clients").then().statusCode(201);
        AccountListTest.as("dsj.admin").post(CLIENTS + clientId + "/secret").then().statusCode(200);
        AccountListTest.as("dsj.admin").post(CLIENTS + clientId + "/disable").then().statusCode(200)
                .body("enabled", equalTo(false));
    }

    @Test
    void onlyAdministratorsAsk() {
        AccountListTest.as("dsj.auditor").post(CLIENTS + "gateway/disable").then().statusCode(403);
        given().post(CLIENTS + "gateway/disable").then().statusCode(401);
        assertTrue(stored("gateway").enabled);
    }
}
