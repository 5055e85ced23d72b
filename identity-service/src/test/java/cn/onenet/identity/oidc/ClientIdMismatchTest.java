package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A request authenticated as one client whose body names another {@code client_id} gets nothing for either. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ClientIdMismatchTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void basicAuthenticationWithAnotherClientIdInTheBodyIsInvalidRequest() {
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").formParam("client_id", "test-post")
                .post("/oidc/token").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("$", not(hasKey("access_token")));
        String token = given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200)
                .extract().path("access_token");
        for (String endpoint : new String[] {"/oidc/introspect", "/oidc/revoke"}) {
            given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                    .formParam("token", token).formParam("client_id", "test-post").post(endpoint).then()
                    .statusCode(400).body("error", equalTo("invalid_request"));
        }
        // its own client_id in the body is fine
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").formParam("client_id", "test-web")
                .post("/oidc/token").then().statusCode(200);
        // the token was neither introspected away nor revoked by the refused requests
        CodeFlowConformanceTest.introspect(token).then().body("active", equalTo(true));
    }
}
