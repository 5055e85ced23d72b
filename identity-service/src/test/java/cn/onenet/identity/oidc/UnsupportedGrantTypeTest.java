package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A grant type this provider does not offer is {@code unsupported_grant_type} (RFC 6749 §5.2), also when the SDK knows
 * it and would first miss one of its parameters: client developers are told the grant is not offered, not sent
 * looking for an {@code assertion} or a {@code device_code}.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class UnsupportedGrantTypeTest {

    private static final List<String> NOT_OFFERED = List.of("urn:ietf:params:oauth:grant-type:jwt-bearer",
            "urn:ietf:params:oauth:grant-type:saml2-bearer", "urn:ietf:params:oauth:grant-type:device_code",
            "urn:ietf:params:oauth:grant-type:token-exchange", "urn:openid:params:grant-type:ciba", "password",
            "implicit", "foo");

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void unsupportedGrantTypesSayUnsupportedGrantType() {
        for (String grant : NOT_OFFERED) {
            Response r = given().auth().preemptive().basic("test-web", TestClients.SECRET)
                    .formParam("grant_type", grant).post("/oidc/token");
            assertEquals(400, r.statusCode(), grant + ": " + r.asString());
            assertEquals("unsupported_grant_type", r.jsonPath().getString("error"), grant + ": " + r.asString());
            assertEquals("no-store", r.header("Cache-Control"), grant);
        }
        // with the parameters such a grant would carry, the same
        Response r = given().auth().preemptive().basic("test-web", TestClients.SECRET).formParam("grant_type",
                "password").formParam("username", "33010619850312001X").formParam("password", OidcFlow.PASSWORD)
                .post("/oidc/token");
        assertEquals("unsupported_grant_type", r.jsonPath().getString("error"), r.asString());
    }

    @Test
    void aRequestNamingNoClientIsStillInvalidClient() {
        Response r = given().formParam("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .post("/oidc/token");
        assertEquals(401, r.statusCode(), r.asString());
        assertEquals("invalid_client", r.jsonPath().getString("error"));
        // a supported grant with a parameter missing stays invalid_request
        r = given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .formParam("grant_type", "authorization_code").post("/oidc/token");
        assertEquals("invalid_request", r.jsonPath().getString("error"), r.asString());
        r = given().auth().preemptive().basic("test-web", TestClients.SECRET).formParam("scope", "openid")
                .post("/oidc/token");
        assertEquals("invalid_request", r.jsonPath().getString("error"), r.asString());
    }
}
