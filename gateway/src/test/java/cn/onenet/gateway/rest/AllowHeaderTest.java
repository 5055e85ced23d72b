package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A 405 names the methods the path accepts in {@code Allow} (RFC 9110 §15.5.6): a service's passes the gateway as
 * the service sent it, and the gateway's own resources name theirs, as problem+json with the request id.
 */
@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class AllowHeaderTest {

    @Test
    void aServicesAllowReachesTheCaller() {
        String token = TestTokens.departmentClient("allow-client", "11330000002482170X", "onenet-catalog", "operator");
        given().auth().oauth2(token).queryParam("allow", "GET, HEAD, OPTIONS")
                .delete("/api/catalog/v1/entries/status/405").then().statusCode(405)
                .header("Allow", "GET, HEAD, OPTIONS");
    }

    @Test
    void theGatewaysOwnResourcesNameTheirMethods() {
        given().header("X-Request-Id", "allow-index").post("/api").then().statusCode(405)
                .contentType("application/problem+json").header("Allow", "GET, HEAD, OPTIONS")
                .body("type", equalTo("urn:onenet:problem:method-not-allowed"))
                .body("requestId", equalTo("allow-index"));
    }

    @Test
    void theTraceRefusalNamesTheMethodsTheGatewayForwards() {
        String token = TestTokens.departmentClient("allow-trace", "11330000002482170X", "onenet-catalog", "operator");
        given().auth().oauth2(token).header("X-Request-Id", "allow-trace").request("TRACE", "/api/catalog/v1/entries")
                .then().statusCode(405).contentType("application/problem+json")
                .header("Allow", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS")
                .body("type", equalTo("urn:onenet:problem:method-not-allowed"))
                .body("requestId", equalTo("allow-trace"));
        // the gateway's own resources name their own methods for TRACE too
        given().request("TRACE", "/api").then().statusCode(405).header("Allow", "GET, HEAD, OPTIONS");
    }
}
