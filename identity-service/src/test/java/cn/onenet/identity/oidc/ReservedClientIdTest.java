package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * No client may be registered under the name of one of the suite's APIs (an audience such as {@code onenet-exchange})
 * or any name starting with {@code onenet-}: an ID token's {@code aud} is its client's id, so such a client would
 * receive, at each user's sign-in, tokens addressed to that API. 400 naming {@code clientId}, nothing stored. One
 * registered before the rule, disabled by V36 ({@link ReservedClientIdMigrationTest}), is not enabled again.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ReservedClientIdTest extends WithTestClients {

    private static Map<String, Object> thirdPartyApp(String clientId) {
        return Map.of("clientId", clientId, "name", "测试应用", "authMethod", "client_secret_basic",
                "grantTypes", List.of("authorization_code"), "redirectUris", List.of("https://rp.example.cn/cb"),
                "scopes", List.of("openid", "profile"), "audiences", List.of(), "roles", List.of(),
                "firstParty", false, "minLevel", 1);
    }

    @Inject
    EntityManager em;

    @Test
    void aClientRegisteredUnderThePrefixBeforeTheRuleIsNotEnabledAgain() {
        String reserved = "onenet-legacy-" + System.nanoTime() % 1_000_000;
        // as V36 left it: registered before the rule, disabled
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("INSERT INTO oauth_client (client_id, name, "
                + "secret_hash, auth_method, grant_types, scopes, audiences, enabled) VALUES (?1, '旧门户应用', 'hash', "
                + "'client_secret_basic', 'client_credentials', 'catalog', 'onenet-catalog', false)")
                .setParameter(1, reserved).executeUpdate());
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        given().auth().oauth2(admin).header("X-Request-Id", "enable-" + reserved).post(CLIENTS + "/" + reserved
                + "/enable").then().statusCode(409).contentType("application/problem+json")
                .body("errors.field", hasItem("clientId"))
                .body("detail", containsString("onenet-"))
                .body("requestId", equalTo("enable-" + reserved));
        given().auth().oauth2(admin).get(CLIENTS + "/" + reserved).then().statusCode(200)
                .body("enabled", equalTo(false));
    }

    @Test
    void theSuitesApiNamesAndTheirPrefixAreRefused() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        for (String reserved : List.of("onenet-exchange", "onenet-catalog", "onenet-identity", "onenet-portal",
                "onenet-exchange2")) {
            given().auth().oauth2(admin).contentType("application/json").header("X-Request-Id", "reserved-" + reserved)
                    .body(thirdPartyApp(reserved)).post(CLIENTS).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem("clientId"))
                    .body("detail", containsString("onenet-"))
                    .body("requestId", equalTo("reserved-" + reserved));
            given().auth().oauth2(admin).get(CLIENTS + "/" + reserved).then().statusCode(404);
        }
        // the same registration under an ordinary name is accepted
        String ordinary = "rp-onenet-" + System.nanoTime();
        given().auth().oauth2(admin).contentType("application/json").body(thirdPartyApp(ordinary)).post(CLIENTS)
                .then().statusCode(201).body("client.clientId", equalTo(ordinary))
                .body("clientSecret", notNullValue());
    }
}
