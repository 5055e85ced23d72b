package cn.onenet.identity.oidc;

import static cn.onenet.testsupport.RawTarget.refusedEscape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.RawTarget;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A percent-escape that does not decode ({@code %}, {@code %ZZ}, {@code %E4%B8}: not UTF-8) is refused naming the
 * parameter, each endpoint in its own format: the API's problem+json, the token, introspection and revocation
 * endpoints' RFC 6749 {@code invalid_request}, the authorization and login pages' 400 error page. Before, the query
 * got an empty 400 and the login form a 500.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class MalformedEscapeTest {

    private static final String FORM = "Content-Type: application/x-www-form-urlencoded";

    @Inject
    TestClients clients;

    @TestHTTPResource("/")
    URL base;

    private static String basic() {
        return "Authorization: Basic " + Base64.getEncoder()
                .encodeToString(("test-web:" + TestClients.SECRET).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theApiNamesTheParameterInAProblem() {
        refusedEscape(base, "GET", "/api/identity/v1/accounts?q=%ZZ", null, "q");
        refusedEscape(base, "GET", "/api/identity/v1/accounts/%E4%B8", null, "path");
    }

    @Test
    void theTokenEndpointsAnswerInvalidRequestNamingTheField() {
        clients.ensure(null);
        invalidRequest(RawTarget.send(base, "POST", "/oidc/token", "grant_type=%", FORM, basic()), "grant_type");
        invalidRequest(RawTarget.send(base, "POST", "/oidc/token", "grant_type=client_credentials&scope=%E4%B8",
                FORM, basic()), "scope");
        invalidRequest(RawTarget.send(base, "POST", "/oidc/introspect", "token=%ZZ", FORM, basic()), "token");
        invalidRequest(RawTarget.send(base, "POST", "/oidc/revoke", "token=a%2", FORM, basic()), "token");
        // in the query of the token endpoint too
        invalidRequest(RawTarget.send(base, "POST", "/oidc/token?x=%ZZ", "grant_type=client_credentials", FORM,
                basic()), "x");
        // the well-formed request is answered
        assertEquals(200, RawTarget.send(base, "POST", "/oidc/token", "grant_type=client_credentials", FORM, basic())
                .status());
    }

    @Test
    void theAuthorizationAndLoginPagesAnswerTheErrorPageNamingTheField() {
        clients.ensure(null);
        errorPage(RawTarget.send(base, "GET", "/oidc/authorize?response_type=code&client_id=test-web&redirect_uri="
                + "http%3A%2F%2F127.0.0.1%3A9%2Fcb&scope=openid&state=%ZZ", null), "state");
        errorPage(RawTarget.send(base, "POST", "/oidc/authorize", "client_id=test-web&response_type=code&state=%E4%B8",
                FORM), "state");
        errorPage(RawTarget.send(base, "POST", "/oidc/login", "req=x&csrf=x&username=%ZZ&password=p", FORM,
                "Cookie: onenet_csrf=x"), "username");
    }

    private static void invalidRequest(RawTarget.Answer answer, String field) {
        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.header("Content-Type").startsWith("application/json"), answer.toString());
        assertEquals("invalid_request", answer.json().path("error").asText(), answer.toString());
        assertTrue(answer.json().path("error_description").asText().startsWith(field + " "), answer.toString());
        assertEquals("no-store", answer.header("Cache-Control"), answer.toString());
        assertNotNull(answer.header("X-Request-Id"), answer.toString());
    }

    private static void errorPage(RawTarget.Answer answer, String field) {
        assertEquals(400, answer.status(), answer.toString());
        assertTrue(answer.header("Content-Type").startsWith("text/html"), answer.toString());
        assertTrue(answer.body().contains(field), answer.toString());
        assertEquals("DENY", answer.header("X-Frame-Options"), answer.toString());
        assertNotNull(answer.header("X-Request-Id"), answer.toString());
    }
}
