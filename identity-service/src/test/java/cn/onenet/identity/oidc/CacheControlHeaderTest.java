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

/** {@code Cache-Control: no-store} is sent once on the protocol endpoints' answers, errors included. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class CacheControlHeaderTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static void once(Response response, String what) {
        assertEquals(List.of("no-store"), response.headers().getValues("Cache-Control"), what);
    }

    @Test
    void noStoreIsSentOnce() {
        Response token = given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").post("/oidc/token");
        assertEquals(200, token.statusCode());
        once(token, "token");
        once(given().auth().preemptive().basic("test-web", "wrong").contentType(FORM)
                .formParam("grant_type", "client_credentials").post("/oidc/token"), "invalid_client");
        once(given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "password").post("/oidc/token"), "token error");
        once(given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("token", token.path("access_token").toString()).post("/oidc/introspect"), "introspection");
        String user = new OidcFlow("test-web", TestClients.SECRET).tokens(CodeFlowConformanceTest.CITIZEN, "openid")
                .getOIDCTokens().getAccessToken().getValue();
        once(given().auth().oauth2(user).get("/oidc/userinfo"), "userinfo");
        once(given().auth().oauth2(user + "x").get("/oidc/userinfo"), "userinfo error");
    }
}
