package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An empty {@code scope=} at the token endpoint names no scope token (RFC 6749 §3.3 needs at least one), so it is read
 * as no {@code scope} parameter: a refresh keeps the grant's scope and its ID token (§6), client credentials get the
 * client's default scope, rather than a token for nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class EmptyScopeParameterTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void anEmptyScopeOnARefreshKeepsTheGrantsScopeAndItsIdToken() {
        String refresh = new OidcFlow("test-web", TestClients.SECRET)
                .tokens(CodeFlowConformanceTest.CITIZEN, "openid profile").getOIDCTokens().getRefreshToken().getValue();
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "refresh_token").formParam("refresh_token", refresh).formParam("scope", "")
                .post("/oidc/token").then().statusCode(200).body("scope", equalTo("openid profile"))
                .body("$", hasKey("id_token"));
    }

    @Test
    void anEmptyScopeForClientCredentialsGetsTheDefaultScope() {
        String defaults = given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200)
                .extract().path("scope");
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").formParam("scope", "").post("/oidc/token").then()
                .statusCode(200).body("scope", equalTo(defaults));
    }
}
