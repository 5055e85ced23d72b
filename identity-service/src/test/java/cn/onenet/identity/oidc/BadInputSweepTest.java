package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import cn.onenet.testsupport.BadInputSweep;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every operation of the OpenAPI document, called with malformed input: 4xx problem+json, never a 500. The OpenID
 * Connect endpoints answer errors in OAuth 2.0's own format (or as a login page), still never 5xx.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class BadInputSweepTest {

    @Inject
    TestClients clients;

    @Test
    void everyOperationAnswersBadInputWithAProblem() {
        clients.ensure(null);
        BadInputSweep.ofTestApplication()
                // real tokens of the demo staff: the administrator, else the auditor
                .tokens(roles -> OidcFlow.accessToken("test-web", roles.contains("admin") ? "dsj.admin" : "dsj.auditor"))
                .otherErrorFormat(path -> path.startsWith("/oidc/"))
                // a department needs a name and a reason, an account a display name, that show something
                .refuseBlankLooking(operation -> operation.equals("POST /api/identity/v1/departments")
                        || operation.equals("POST /api/identity/v1/accounts"))
                .assertNoFindings();
    }

    private static final String FORM = "application/x-www-form-urlencoded";

    /** A NUL character in a form body is refused before the form is handled: no lookup, no 500. */
    @Test
    void aNulCharacterInAFormBodyIsRefusedInTheEndpointsOwnFormat() {
        for (String endpoint : new String[] { "/oidc/token", "/oidc/introspect", "/oidc/revoke" }) {
            given().contentType(FORM).body("grant_type=client_credentials&token=x&client_id=a%00b&client_secret=x")
                    .post(endpoint).then().statusCode(400).body("error", equalTo("invalid_request"))
                    .body("error_description", containsString("client_id"));
        }
        given().contentType(FORM).body("client_id=a%00b&response_type=code").post("/oidc/authorize").then()
                .statusCode(400).contentType(containsString("text/html")).body(containsString("client_id"));
        given().contentType(FORM).body("client_id=a%00b").post("/oidc/logout").then().statusCode(400)
                .body(containsString("client_id"));
        given().contentType(FORM).body("csrf=x&client_id=a%00b").post("/oidc/logout/confirm").then().statusCode(400);
        // the login and consent forms, with a CSRF cookie the caller set itself
        given().contentType(FORM).cookie("onenet_csrf", "x").formParam("req", "a\0b").formParam("csrf", "x")
                .formParam("username", "u").formParam("password", "p").post("/oidc/login").then().statusCode(400)
                .body(containsString("req"));
        given().contentType(FORM).cookie("onenet_csrf", "x").formParam("req", "a\0b").formParam("csrf", "x")
                .formParam("decision", "approve").post("/oidc/consent").then().statusCode(400)
                .body(containsString("req"));
        given().contentType(FORM).cookie("onenet_recover_csrf", "x").formParam("csrf", "x")
                .formParam("identifier", "a\0b").post("/oidc/recover").then().statusCode(400);
    }

    /** A client id with a control character, from a Basic header (not a form field), is an unknown client. */
    @Test
    void aClientIdWithANulCharacterIsAnUnknownClient() {
        String basic = Base64.getEncoder().encodeToString("a%00b:x".getBytes(StandardCharsets.UTF_8));
        given().header("Authorization", "Basic " + basic).contentType(FORM).body("grant_type=client_credentials")
                .post("/oidc/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().header("Authorization", "Basic " + basic).contentType(FORM).body("token=x").post("/oidc/introspect")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    /**
     * An id_token_hint signed with a key this provider does not hold counts as no hint, its aud naming the client:
     * an aud with a NUL character names none.
     */
    @Test
    void aLogoutHintOfAGoneKeyWhoseAudienceHoldsANulNamesNoClient() throws Exception {
        SignedJWT hint = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rotated-out-long-ago").build(),
                new JWTClaimsSet.Builder().issuer(CodeFlowConformanceTest.ISSUER).subject("someone")
                        .audience("a\0b").issueTime(new Date()).expirationTime(new Date()).build());
        hint.sign(new RSASSASigner(new RSAKeyGenerator(2048).generate()));
        int status = given().redirects().follow(false).queryParam("id_token_hint", hint.serialize())
                .get("/oidc/logout").statusCode();
        assertEquals(200, status);
    }

    /** An audit filter outside the years 1900 to 9999 (PostgreSQL keeps up to 294276) is a 400 naming it. */
    @Test
    void anAuditFilterOutsideTheYearRangeIsRefused() {
        String auditor = OidcFlow.accessToken("test-web", "dsj.auditor");
        given().auth().oauth2(auditor).queryParam("from", "+300000-01-01T00:00:00Z").get("/api/identity/v1/audit")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("from"));
        given().auth().oauth2(auditor).queryParam("to", "1000-01-01T00:00:00Z").get("/api/identity/v1/audit")
                .then().statusCode(400).body("field", equalTo("to"));
        given().auth().oauth2(auditor).queryParam("from", "2026-01-01T00:00:00Z").get("/api/identity/v1/audit")
                .then().statusCode(200);
    }
}
