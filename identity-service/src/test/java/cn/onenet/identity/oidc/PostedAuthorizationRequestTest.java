package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Authorization requests sent by POST from the relying party's site. The browser does not send the SameSite=Lax
 * session cookie with a cross-site POST, so the provider keeps the request and answers it at the same-site GET it
 * redirects to, which does carry the cookie (OIDC Core 3.1.2.1: GET and POST alike).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class PostedAuthorizationRequestTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** The cross-site POST as the browser sends it: no cookie. */
    private static Response crossSitePost(Map<String, String> params) {
        return given().redirects().follow(false).contentType(FORM).formParams(params).post("/oidc/authorize");
    }

    /** The same-site GET the POST redirects to, as the browser follows it (relative to this test's port). */
    private static Response follow(Response posted, Map<String, String> cookies) {
        assertEquals(303, posted.statusCode(), posted::asString);
        String location = posted.header("Location");
        assertTrue(location.startsWith(CodeFlowConformanceTest.ISSUER + "/authorize?req="), location);
        return given().redirects().follow(false).cookies(cookies)
                .get("/oidc/authorize?" + URI.create(location).getRawQuery());
    }

    @Test
    void promptNoneByPostFromAnotherSiteAnswersWithACodeWhenSignedIn() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.code(CodeFlowConformanceTest.CITIZEN, "openid"); // signed in: flow.cookies holds the session
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        Response posted = crossSitePost(params);
        Response answered = follow(posted, flow.cookies);
        AuthorizationResponse response = OidcFlow.redirect(answered);
        assertTrue(response.indicatesSuccess(), answered.header("Location"));
        assertEquals(flow.state, response.getState().getValue());
        assertTrue(flow.exchange(response.toSuccessResponse().getAuthorizationCode()).indicatesSuccess());
        // the kept request is answered once
        given().redirects().follow(false).cookies(flow.cookies)
                .get("/oidc/authorize?" + URI.create(posted.header("Location")).getRawQuery()).then().statusCode(400);
    }

    @Test
    void withoutASessionAtTheGetTheLoginPageOrLoginRequiredFollows() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> silent = flow.params("openid");
        silent.put("prompt", "none");
        AuthorizationResponse refused = OidcFlow.redirect(follow(crossSitePost(silent), flow.cookies));
        assertEquals("login_required", refused.toErrorResponse().getErrorObject().getCode());
        assertEquals(flow.state, refused.getState().getValue());

        Map<String, String> params = flow.params("openid");
        flow.last = follow(crossSitePost(params), flow.cookies);
        assertEquals(200, flow.last.statusCode());
        for (io.restassured.http.Cookie c : flow.last.getDetailedCookies()) {
            flow.cookies.put(c.getName(), c.getValue());
        }
        AuthorizationResponse signedIn = OidcFlow.redirect(
                flow.submitLogin(CodeFlowConformanceTest.CITIZEN, OidcFlow.PASSWORD, null, null));
        assertTrue(signedIn.indicatesSuccess());
        assertEquals(flow.state, signedIn.getState().getValue());
    }

    @Test
    void aSameSitePostWithTheCookieIsAnsweredAtOnceAndBadRequestsAreNotKept() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.code(CodeFlowConformanceTest.CITIZEN, "openid");
        Map<String, String> params = flow.params("openid");
        Response direct = given().redirects().follow(false).cookies(flow.cookies).contentType(FORM)
                .formParams(params).post("/oidc/authorize");
        assertTrue(OidcFlow.redirect(direct).indicatesSuccess());
        // an unregistered redirect_uri is the error page at once, never kept or redirected
        Map<String, String> bad = flow.params("openid");
        bad.put("redirect_uri", "https://attacker.example/cb");
        crossSitePost(bad).then().statusCode(400);
        // an id that names no kept request
        given().redirects().follow(false).get("/oidc/authorize?req=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").then()
                .statusCode(400);
    }
}
