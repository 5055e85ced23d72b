package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class EdgeAuthTest {

    @Test
    void apiWithoutTokenIsRefusedAtTheEdge() {
        given().get("/api/exchange/v1/requests").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("urn:onenet:problem:unauthorized"))
                .body("requestId", notNullValue());
    }

    @Test
    void expiredTokenIsRefused() {
        String expired = TestTokens.expired("c-1", "onenet-exchange", "operator");
        given().auth().oauth2(expired).get("/api/exchange/v1/requests").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void tamperedSignatureIsRefused() {
        String token = TestTokens.departmentClient("tamper-client", "11330000002482170X", "onenet-exchange",
                "operator");
        String tampered = token.substring(0, token.length() - 4)
                + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().auth().oauth2(tampered).get("/api/exchange/v1/requests").then().statusCode(401);
    }

    @Test
    void tokenOfAnotherIssuerOrAudienceIsRefused() {
        String foreignAudience = TestTokens.departmentClient("aud-client", "11330000002482170X", "someone-else",
                "operator");
        given().auth().oauth2(foreignAudience).get("/api/exchange/v1/requests").then().statusCode(401);
    }

    @Test
    void validTokenPasses() {
        given().auth().oauth2(TestTokens.departmentClient("valid-client", "11330000002482170X", "onenet-exchange",
                "operator")).get("/api/exchange/v1/requests").then().statusCode(200)
                .body("uri", equalTo("/api/exchange/v1/requests"));
    }

    @Test
    void tokenForAnotherApiIsForbiddenOnThisOne() {
        String catalogOnly = TestTokens.departmentClient("catalog-only", "11330000002482170X", "onenet-catalog",
                "operator");
        given().auth().oauth2(catalogOnly).get("/api/exchange/v1/requests").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:onenet:problem:forbidden"));
        given().auth().oauth2(catalogOnly).get("/api/catalog/v1/entries").then().statusCode(200);
    }

    @Test
    void adminAreaNeedsTheAdminRole() {
        given().auth().oauth2(TestTokens.civilServant("u-staff", "11330000002482170X", "onenet-identity", "operator"))
                .get("/api/identity/v1/admin/accounts").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(TestTokens.civilServant("u-admin", "11330000002482170X", "onenet-identity", "admin"))
                .get("/api/identity/v1/admin/accounts").then().statusCode(200);
    }

    @Test
    void openDataViewIsPublicButTokensThereAreStillChecked() {
        given().get("/api/catalog/v1/open/entries").then().statusCode(200);
        given().get("/api/catalog/v1/search?q=x").then().statusCode(200);
        given().post("/api/catalog/v1/search").then().statusCode(401);
        given().get("/api/catalog/v1/entries").then().statusCode(401);
        given().auth().oauth2(TestTokens.expired("c-2", "onenet-catalog", "operator"))
                .get("/api/catalog/v1/open/entries").then().statusCode(401);
        given().auth().oauth2(TestTokens.custom(Map.of("sub", "x", "aud", "onenet-catalog")))
                .get("/api/catalog/v1/open/entries").then().statusCode(200);
    }

    @Test
    void theExchangesSealKeysArePublicTheRestOfItsSealApiIsNot() {
        given().get("/api/exchange/v1/seals/jwks").then().statusCode(200)
                .body("uri", org.hamcrest.Matchers.equalTo("/api/exchange/v1/seals/jwks"));
        given().post("/api/exchange/v1/seals/jwks").then().statusCode(401);
        given().get("/api/exchange/v1/seals/jwks/other").then().statusCode(401);
        given().post("/api/exchange/v1/seals/departments/11330000002482170X/keys").then().statusCode(401);
        given().post("/api/exchange/v1/seals/verify").then().statusCode(401);
    }
}
