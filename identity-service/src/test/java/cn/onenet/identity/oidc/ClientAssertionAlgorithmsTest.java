package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;

import cn.onenet.identity.service.ClientService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * RFC 8414 §2: where {@code private_key_jwt} is listed for an endpoint, its {@code *_signing_alg_values_supported}
 * must be too, and they say what the provider really accepts.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ClientAssertionAlgorithmsTest {

    private static final List<String> ALGS = List.of("RS256", "PS256", "ES256");

    @Inject
    TestClients clients;
    @Inject
    ClientService clientService;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void everyEndpointThatTakesPrivateKeyJwtAdvertisesItsAlgorithms() {
        given().get("/oidc/.well-known/openid-configuration").then().statusCode(200)
                .body("token_endpoint_auth_signing_alg_values_supported", equalTo(ALGS))
                .body("introspection_endpoint_auth_signing_alg_values_supported", equalTo(ALGS))
                .body("revocation_endpoint_auth_signing_alg_values_supported", equalTo(ALGS));
    }

    @Test
    void anAssertionSignedWithAnAlgorithmNotAdvertisedIsRefused() throws Exception {
        // a client key registered without "alg" would verify any RSA algorithm: only the advertised ones are taken
        RSAKey key = new RSAKeyGenerator(2048).keyID("any-alg").keyUse(KeyUse.SIGNATURE).generate();
        String clientId = "test-jwt-" + System.nanoTime();
        QuarkusTransaction.requiringNew().run(() -> clientService.create(new ClientService.Registration(clientId,
                "private_key_jwt RP without alg", "private_key_jwt", List.of("client_credentials"), null, null, null,
                List.of("catalog"), List.of("onenet-catalog"), List.of("system"), "11330000002481020A", false,
                "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}", null, null, null), null, "test"));
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.RS384,
                JWSAlgorithm.PS512)) {
            PrivateKeyJWT assertion = new PrivateKeyJWT(new ClientID(clientId),
                    java.net.URI.create(CodeFlowConformanceTest.ISSUER + "/token"), alg, key.toRSAPrivateKey(),
                    "any-alg", null);
            TokenResponse response = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), assertion,
                    new ClientCredentialsGrant()));
            if (ALGS.contains(alg.getName())) {
                assertTrue(response.indicatesSuccess(), () -> alg + ": " + response.toErrorResponse().getErrorObject());
            } else {
                assertEquals("invalid_client", response.toErrorResponse().getErrorObject().getCode(), alg::getName);
            }
        }
    }
}
