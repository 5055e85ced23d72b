package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * RFC 7636 §4.1: a {@code code_verifier} is 43 to 128 characters of {@code [A-Z] [a-z] [0-9] - . _ ~}. One outside
 * that form is refused even when its S256 hash matches the challenge; each form the RFC allows, the limits included,
 * is accepted.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class PkceVerifierFormTest {

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** Signs in with the challenge of {@code verifier} and redeems the code with it. */
    private static ValidatableResponse redeemWith(OidcFlow flow, String verifier) throws NoSuchAlgorithmException {
        Map<String, String> params = flow.params("openid");
        params.put("code_challenge", Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII))));
        String code = flow.login(params, CodeFlowConformanceTest.CITIZEN).toSuccessResponse().getAuthorizationCode()
                .getValue();
        return given().auth().preemptive().basic("test-web", TestClients.SECRET)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", code).formParam("redirect_uri", OidcFlow.REDIRECT)
                .formParam("code_verifier", verifier).post("/oidc/token").then();
    }

    @Test
    void verifiersOutsideTheRfcFormAreRefusedEvenWhenTheirHashMatches() throws Exception {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        for (String verifier : new String[] {"a".repeat(42), "a".repeat(129), "abc+" + "d".repeat(40),
                "abc " + "d".repeat(40), "abc=" + "d".repeat(40)}) {
            redeemWith(flow, verifier).statusCode(400).body("error", equalTo("invalid_request"))
                    .body("$", not(hasKey("access_token")));
        }
    }

    @Test
    void verifiersOfTheRfcFormAreAccepted() throws Exception {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        for (String verifier : new String[] {"a".repeat(43), "Z9".repeat(64), "abc~def.ghi_jkl-mno~pqr.stu_vwx-yz0~12.AB"
                + "_9"}) {
            redeemWith(flow, verifier).statusCode(200).body("$", hasKey("id_token"));
        }
    }
}
