package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationCode;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * RFC 6749 §2.3.1: client credentials "MUST NOT be included in the request URI". A token, introspection or revocation
 * request carrying them in the query is {@code 400 invalid_request} naming the parameter, and does nothing even when
 * its body authenticates the client correctly.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CredentialsInQueryTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void aSecretInTheQueryIsRefusedEvenWhenTheBodyAuthenticates() {
        // the body is a correct client_secret_post request; the query repeats the secret
        given().contentType(FORM).queryParam("client_secret", TestClients.SECRET)
                .formParam("grant_type", "client_credentials").formParam("client_id", "test-post")
                .formParam("client_secret", TestClients.SECRET).post("/oidc/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", containsString("client_secret"))
                .body("$", not(hasKey("access_token")));
        // client_secret_basic in the header, the secret again in the query
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .queryParam("client_secret", TestClients.SECRET).formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("$", not(hasKey("access_token")));
    }

    @Test
    void clientIdAndSecretOnlyInTheQueryAreInvalidRequestNotAnUnauthenticatedForm() {
        given().contentType(FORM).queryParam("client_id", "test-post").queryParam("client_secret", TestClients.SECRET)
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(400)
                .body("error", equalTo("invalid_request")).body("error_description", containsString("client_"))
                .body("$", not(hasKey("access_token")));
        // a client assertion in the query is a credential too
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .queryParam("client_assertion", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("error_description", containsString("client_assertion"));
    }

    @Test
    void aRefusedCodeExchangeLeavesTheCodeForTheCorrectRequest() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationCode code = flow.code(CodeFlowConformanceTest.CITIZEN, "openid");
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .queryParam("client_id", "test-web").queryParam("client_secret", TestClients.SECRET)
                .formParam("grant_type", "authorization_code").formParam("code", code.getValue())
                .formParam("redirect_uri", OidcFlow.REDIRECT).formParam("code_verifier", flow.verifier.getValue())
                .post("/oidc/token").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("$", not(hasKey("id_token")));
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "authorization_code").formParam("code", code.getValue())
                .formParam("redirect_uri", OidcFlow.REDIRECT).formParam("code_verifier", flow.verifier.getValue())
                .post("/oidc/token").then().statusCode(200).body("$", hasKey("id_token"));
    }

    @Test
    void introspectionAndRevocationRefuseCredentialsInTheQuery() {
        String token = given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200)
                .extract().path("access_token");
        for (String endpoint : new String[] {"/oidc/introspect", "/oidc/revoke"}) {
            given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                    .queryParam("client_secret", TestClients.SECRET).formParam("token", token).post(endpoint).then()
                    .statusCode(400).body("error", equalTo("invalid_request"))
                    .body("error_description", containsString("client_secret")).body("$", not(hasKey("active")));
            given().contentType(FORM).queryParam("client_id", "test-post")
                    .formParam("client_id", "test-post").formParam("client_secret", TestClients.SECRET)
                    .formParam("token", token).post(endpoint).then().statusCode(400)
                    .body("error", equalTo("invalid_request")).body("error_description", containsString("client_id"));
        }
        // the refused revocations revoked nothing
        CodeFlowConformanceTest.introspect(token).then().body("active", equalTo(true));
    }
}
