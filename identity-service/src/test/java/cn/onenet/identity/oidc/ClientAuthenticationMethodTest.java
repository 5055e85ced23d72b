package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationCode;

import cn.onenet.identity.model.AuditEvent;
import cn.onenet.identity.service.AuditService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * RFC 6749 §2.3 and §5.2 at the token, introspection and revocation endpoints: a client authenticates by one method
 * per request (credentials by two are {@code invalid_request}), and a request that carries no client authentication
 * at all is {@code invalid_client}, {@code 401} with {@code WWW-Authenticate}, as is a malformed {@code Basic}
 * header. A failed authentication does not tell whether the client id exists.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ClientAuthenticationMethodTest {

    private static final String FORM = "application/x-www-form-urlencoded";
    /** A client assertion that would not verify; refused before it is looked at. */
    private static final String ASSERTION = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ0ZXN0LXdlYiJ9.c2ln";
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Inject
    TestClients clients;
    @Inject
    AuditService audit;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void credentialsSentByTwoMethodsAreInvalidRequestAndGetNothing() {
        // the Authorization header and client_secret in the body, both right
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").formParam("client_secret", TestClients.SECRET)
                .post("/oidc/token").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("$", not(hasKey("access_token")));
        // the Authorization header and a client assertion
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").formParam("client_assertion_type", ASSERTION_TYPE)
                .formParam("client_assertion", ASSERTION).post("/oidc/token").then().statusCode(400)
                .body("error", equalTo("invalid_request")).body("$", not(hasKey("access_token")));
        // client_secret and a client assertion in the body
        given().contentType(FORM).formParam("grant_type", "client_credentials").formParam("client_id", "test-post")
                .formParam("client_secret", TestClients.SECRET).formParam("client_assertion_type", ASSERTION_TYPE)
                .formParam("client_assertion", ASSERTION).post("/oidc/token").then().statusCode(400)
                .body("error", equalTo("invalid_request")).body("$", not(hasKey("access_token")));

        String token = given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(200)
                .extract().path("access_token");
        for (String endpoint : new String[] {"/oidc/introspect", "/oidc/revoke"}) {
            given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                    .formParam("token", token).formParam("client_secret", TestClients.SECRET).post(endpoint).then()
                    .statusCode(400).body("error", equalTo("invalid_request")).body("$", not(hasKey("active")));
        }
        // the refused revocation revoked nothing
        CodeFlowConformanceTest.introspect(token).then().body("active", equalTo(true));
    }

    @Test
    void aRequestWithoutClientAuthenticationIsInvalidClientWith401() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationCode code = flow.code(CodeFlowConformanceTest.CITIZEN, "openid");
        // a code grant naming no client at all
        given().contentType(FORM).formParam("grant_type", "authorization_code").formParam("code", code.getValue())
                .formParam("redirect_uri", OidcFlow.REDIRECT).formParam("code_verifier", flow.verifier.getValue())
                .post("/oidc/token").then().statusCode(401).body("error", equalTo("invalid_client"))
                .header("WWW-Authenticate", startsWith("Basic")).body("$", not(hasKey("access_token")));
        // a revocation and an introspection without client authentication
        for (String endpoint : new String[] {"/oidc/revoke", "/oidc/introspect"}) {
            given().contentType(FORM).formParam("token", "some-token").post(endpoint).then().statusCode(401)
                    .body("error", equalTo("invalid_client")).header("WWW-Authenticate", startsWith("Basic"));
        }
        // the code was not used up by the request that named no client
        given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM)
                .formParam("grant_type", "authorization_code").formParam("code", code.getValue())
                .formParam("redirect_uri", OidcFlow.REDIRECT).formParam("code_verifier", flow.verifier.getValue())
                .post("/oidc/token").then().statusCode(200).body("$", hasKey("id_token"));
    }

    @Test
    void aMalformedBasicHeaderIsInvalidClientWith401LikeAWrongSecret() {
        String noColon = "Basic " + java.util.Base64.getEncoder().encodeToString(
                "test-web".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String header : new String[] {"Basic !!!", noColon, "Basic", "basic  "}) {
            given().header("Authorization", header).contentType(FORM).formParam("grant_type", "client_credentials")
                    .post("/oidc/token").then().statusCode(401).body("error", equalTo("invalid_client"))
                    .header("WWW-Authenticate", startsWith("Basic realm=")).body("$", not(hasKey("access_token")));
            for (String endpoint : new String[] {"/oidc/introspect", "/oidc/revoke"}) {
                given().header("Authorization", header).contentType(FORM).formParam("token", "some-token")
                        .post(endpoint).then().statusCode(401).body("error", equalTo("invalid_client"))
                        .header("WWW-Authenticate", startsWith("Basic realm=")).body("$", not(hasKey("active")));
            }
        }
    }

    @Test
    void theAnswerDoesNotTellWhetherAClientIdExists() {
        // test-post exists and is registered for client_secret_post; no-such-client does not exist
        for (String endpoint : new String[] {"/oidc/token", "/oidc/introspect", "/oidc/revoke"}) {
            io.restassured.response.Response wrongMethod = given().auth().preemptive()
                    .basic("test-post", TestClients.SECRET).contentType(FORM)
                    .formParam("grant_type", "client_credentials").formParam("token", "some-token").post(endpoint);
            io.restassured.response.Response unknown = given().auth().preemptive()
                    .basic("no-such-client", TestClients.SECRET).contentType(FORM)
                    .formParam("grant_type", "client_credentials").formParam("token", "some-token").post(endpoint);
            io.restassured.response.Response wrongSecret = given().auth().preemptive()
                    .basic("test-web", "not-the-secret").contentType(FORM)
                    .formParam("grant_type", "client_credentials").formParam("token", "some-token").post(endpoint);
            for (io.restassured.response.Response answer : List.of(wrongMethod, unknown, wrongSecret)) {
                answer.then().statusCode(401).body("error", equalTo("invalid_client"))
                        .body("error_description", equalTo("client authentication failed"))
                        .header("WWW-Authenticate", startsWith("Basic"));
            }
            // the same with the credentials in the body (client_secret_post) for a client_secret_basic client
            given().contentType(FORM).formParam("client_id", "test-web").formParam("client_secret", TestClients.SECRET)
                    .formParam("grant_type", "client_credentials").formParam("token", "some-token").post(endpoint)
                    .then().statusCode(401).body("error", equalTo("invalid_client"))
                    .body("error_description", equalTo("client authentication failed"));
        }
        // the audit trail keeps the precise reason
        audit.flush();
        String detail = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>find(
                "eventType = ?1 and clientId = ?2 order by id desc", "CLIENT_AUTH", "test-post").firstResult().detail);
        assertEquals("client is registered for client_secret_post, not client_secret_basic", detail);
    }

    @Test
    void aSecretWithReservedCharactersIsFormEncodedInTheBasicHeader() {
        // RFC 6749 §2.3.1: client_secret_basic sends the id and secret application/x-www-form-urlencoded, then Base64
        String secret = "p@ss:w+rd/%=&?# 密";
        clients.withSecret("test-encoded", secret);
        String encoded = java.net.URLEncoder.encode("test-encoded", java.nio.charset.StandardCharsets.UTF_8) + ":"
                + java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8);
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(
                encoded.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        given().header("Authorization", basic).contentType(FORM).formParam("grant_type", "client_credentials")
                .post("/oidc/token").then().statusCode(200).body("token_type", equalTo("Bearer"));
        // the SDK a relying party uses encodes the same way
        OidcFlow flow = new OidcFlow("test-encoded", secret);
        org.junit.jupiter.api.Assertions.assertTrue(flow.exchange(flow.code(CodeFlowConformanceTest.CITIZEN, "openid"))
                .indicatesSuccess());
        // a wrong secret is still 401 invalid_client with the challenge
        given().header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                "test-encoded:p%40ss".getBytes(java.nio.charset.StandardCharsets.UTF_8))).contentType(FORM)
                .formParam("grant_type", "client_credentials").post("/oidc/token").then().statusCode(401)
                .body("error", equalTo("invalid_client")).header("WWW-Authenticate", startsWith("Basic"));
    }
}
