package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** RFC 6750 §2: UserInfo takes the token from the header or the form body, never the URL, and by one method only. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class UserInfoTokenMethodTest {

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void aTokenInTheQueryOrSentTwiceIsInvalidRequest() {
        String token = new OidcFlow("test-web", TestClients.SECRET).tokens(CodeFlowConformanceTest.CITIZEN,
                "openid profile").getOIDCTokens().getAccessToken().getValue();
        given().queryParam("access_token", token).get("/oidc/userinfo").then().statusCode(400)
                .header("WWW-Authenticate", containsString("error=\"invalid_request\""));
        given().queryParam("access_token", token).contentType("application/x-www-form-urlencoded").post("/oidc/userinfo")
                .then().statusCode(400).header("WWW-Authenticate", containsString("error=\"invalid_request\""));
        // header and body at once
        given().auth().oauth2(token).contentType("application/x-www-form-urlencoded").formParam("access_token", token)
                .post("/oidc/userinfo").then().statusCode(400)
                .header("WWW-Authenticate", containsString("error=\"invalid_request\""));
        // each method alone still works
        given().auth().oauth2(token).get("/oidc/userinfo").then().statusCode(200);
        given().contentType("application/x-www-form-urlencoded").formParam("access_token", token)
                .post("/oidc/userinfo").then().statusCode(200);
    }
}
