package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.identity.service.ClientService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The list the catalog, the exchange and the gateway refuse tokens by: what identity itself already refuses shows up
 * in it, and only the suite's resource servers and its gateway may read it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RevocationListTest {

    @Inject
    TestClients clients;

    @Inject
    ClientService clientService;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static Response list(String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).get("/oidc/revocations");
    }

    private static String jti(String accessToken) throws Exception {
        return SignedJWT.parse(accessToken).getJWTClaimsSet().getJWTID();
    }

    @Test
    void aRevokedAccessTokenIsListedUntilItExpires() throws Exception {
        OIDCTokenResponse tokens = new OidcFlow("test-web", TestClients.SECRET)
                .tokens(CodeFlowConformanceTest.CITIZEN, "openid");
        String access = tokens.getOIDCTokens().getAccessToken().getValue();
        list("catalog-service", "demo-catalog-secret").then().statusCode(200)
                .body("tokens", not(hasItem(jti(access))));
        given().auth().preemptive().basic("test-web", TestClients.SECRET).formParam("token", access)
                .post("/oidc/revoke").then().statusCode(200);
        list("catalog-service", "demo-catalog-secret").then().statusCode(200)
                .header("Cache-Control", "no-store").body("tokens", hasItem(jti(access)));
        list("data-exchange-service", "demo-exchange-secret").then().statusCode(200)
                .body("tokens", hasItem(jti(access)));
        // the gateway refuses it at the edge, with its own client (the console's)
        list("gateway", "demo-gateway-secret").then().statusCode(200).header("Cache-Control", "no-store")
                .body("tokens", hasItem(jti(access)));
    }

    @Test
    void aRevokedGrantIsListedByTheIdItsAccessTokensStartWith() throws Exception {
        OIDCTokenResponse tokens = new OidcFlow("test-web", TestClients.SECRET)
                .tokens(CodeFlowConformanceTest.CITIZEN, "openid");
        String jti = jti(tokens.getOIDCTokens().getAccessToken().getValue());
        String grant = jti.substring(0, jti.indexOf('.'));
        list("catalog-service", "demo-catalog-secret").then().body("grants", not(hasItem(grant)));
        // revoking the refresh token revokes its whole family, the grant
        given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .formParam("token", tokens.getOIDCTokens().getRefreshToken().getValue()).post("/oidc/revoke").then()
                .statusCode(200);
        list("catalog-service", "demo-catalog-secret").then().statusCode(200).body("grants", hasItem(grant))
                .body("lookback", equalTo("PT6M"));
        CodeFlowConformanceTest.introspect(tokens.getOIDCTokens().getAccessToken().getValue()).then()
                .body("active", equalTo(false));
    }

    @Test
    void aDisabledClientIsListed() {
        clients.withSecret("revocation-listed", TestClients.SECRET);
        list("catalog-service", "demo-catalog-secret").then().body("clients", not(hasItem("revocation-listed")));
        clientService.setEnabled("revocation-listed", false, null, "test");
        list("catalog-service", "demo-catalog-secret").then().body("clients", hasItem("revocation-listed"));
        clientService.setEnabled("revocation-listed", true, null, "test");
        list("catalog-service", "demo-catalog-secret").then().body("clients", not(hasItem("revocation-listed")));
    }

    @Test
    void onlyTheSuitesResourceServersAndItsGatewayReadIt() {
        list("test-web", TestClients.SECRET).then().statusCode(403).body("error", equalTo("unauthorized_client"));
        list("gateway", "wrong-secret").then().statusCode(401).body("error", equalTo("invalid_client"));
        list("catalog-service", "wrong-secret").then().statusCode(401).body("error", equalTo("invalid_client"))
                .header("WWW-Authenticate", equalTo("Basic realm=\"onenet\""));
        given().get("/oidc/revocations").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().header("Authorization", "Basic !!!").get("/oidc/revocations").then().statusCode(401);
    }
}
