package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * RFC 8414: the authorization server metadata of the issuer {@code <host>/oidc} is served where §3 puts it,
 * {@code /.well-known/oauth-authorization-server/oidc}, and where OpenID Connect's placement leads clients (§5),
 * {@code /oidc/.well-known/oauth-authorization-server}; both are the discovery document, with the same issuer.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class AuthorizationServerMetadataTest {

    @Test
    void theMetadataIsServedAtBothWellKnownPlacesAsTheDiscoveryDocument() {
        Map<String, Object> discovery = given().get("/oidc/.well-known/openid-configuration").then().statusCode(200)
                .extract().jsonPath().getMap("$");
        for (String path : List.of("/.well-known/oauth-authorization-server/oidc",
                "/oidc/.well-known/oauth-authorization-server")) {
            Map<String, Object> metadata = given().get(path).then().statusCode(200)
                    .contentType("application/json").body("issuer", equalTo(CodeFlowConformanceTest.ISSUER))
                    .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                    .extract().jsonPath().getMap("$");
            assertEquals(discovery, metadata, path);
        }
        // another issuer path is not this issuer's metadata
        given().get("/.well-known/oauth-authorization-server").then().statusCode(404);
        given().get("/.well-known/oauth-authorization-server/other").then().statusCode(404);
    }
}
