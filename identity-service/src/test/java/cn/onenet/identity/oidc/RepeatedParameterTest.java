package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.util.URLUtils;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * RFC 6749 §3.1 and §3.2: request parameters "MUST NOT be included more than once". A parameter given twice, even
 * with the same value, is {@code invalid_request} at the authorization endpoint (back to the client, which is known),
 * the token, introspection and revocation endpoints and UserInfo, the error page at the logout endpoint, and the
 * refused request changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class RepeatedParameterTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** The flow's parameters with {@code name} given twice with its value (or, when absent, {@code value}). */
    private static Map<String, List<String>> twice(Map<String, String> params, String name, String value) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        params.forEach((k, v) -> query.put(k, new ArrayList<>(List.of(v))));
        String repeated = params.getOrDefault(name, value);
        query.put(name, List.of(repeated, repeated));
        return query;
    }

    private static Response authorize(OidcFlow flow, Map<String, List<String>> query) {
        Response r = given().redirects().follow(false).cookies(flow.cookies).urlEncodingEnabled(false)
                .get("/oidc/authorize?" + URLUtils.serializeParameters(query));
        flow.last = r;
        return r;
    }

    @Test
    void anAuthorizationParameterGivenTwiceWithTheSameValueIsInvalidRequest() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> values = Map.of("prompt", "login", "login_hint", CodeFlowConformanceTest.CITIZEN,
                "ui_locales", "en", "max_age", "600", "unknown_extension", "1");
        for (String name : List.of("response_type", "scope", "nonce", "code_challenge", "code_challenge_method",
                "prompt", "login_hint", "ui_locales", "max_age", "unknown_extension")) {
            Map<String, String> params = flow.params("openid profile");
            Response r = authorize(flow, twice(params, name, values.get(name)));
            assertEquals(303, r.statusCode(), () -> name + ": " + r.statusCode() + " " + r.asString());
            AuthorizationResponse answer = OidcFlow.redirect(r);
            assertEquals("invalid_request", answer.indicatesSuccess() ? "a code"
                    : answer.toErrorResponse().getErrorObject().getCode(), name);
            assertTrue(answer.toErrorResponse().getErrorObject().getDescription().contains(name), name);
            assertEquals(flow.state, answer.getState().getValue(), name);
            assertEquals(CodeFlowConformanceTest.ISSUER, answer.getIssuer().getValue(), name);
        }
        // state itself twice: refused, and no state is echoed (which one would it be)
        Map<String, String> params = flow.params("openid");
        AuthorizationResponse answer = OidcFlow.redirect(authorize(flow, twice(params, "state", null)));
        assertEquals("invalid_request", answer.toErrorResponse().getErrorObject().getCode());
        assertNull(answer.getState());
        // client_id or redirect_uri twice: the client cannot be trusted, so the error page, never a redirect
        for (String name : List.of("client_id", "redirect_uri")) {
            authorize(flow, twice(flow.params("openid"), name, null)).then().statusCode(400)
                    .contentType(containsString("text/html"));
        }
        // each once, an unknown one included (ignored, RFC 6749 §3.1): the login page, then a code
        Map<String, String> once = flow.params("openid");
        once.put("unknown_extension", "1");
        assertTrue(flow.login(once, CodeFlowConformanceTest.CITIZEN).indicatesSuccess());
    }

    @Test
    void aSignedInUserGetsNoCodeForARepeatedParameter() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        assertTrue(flow.login(flow.params("openid"), CodeFlowConformanceTest.CITIZEN).indicatesSuccess());
        AuthorizationResponse answer = OidcFlow.redirect(authorize(flow, twice(flow.params("openid"), "nonce", null)));
        assertEquals("invalid_request", answer.indicatesSuccess() ? "a code"
                : answer.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void aTokenRequestParameterGivenTwiceIsInvalidRequestAndTheCodeStaysUnused() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        AuthorizationCode code = flow.code(CodeFlowConformanceTest.CITIZEN, "openid");
        for (String repeated : List.of("code", "grant_type", "redirect_uri", "code_verifier")) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "authorization_code");
            form.put("code", code.getValue());
            form.put("redirect_uri", OidcFlow.REDIRECT);
            form.put("code_verifier", flow.verifier.getValue());
            String body = URLUtils.serializeParameters(twice(form, repeated, null));
            given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM).body(body)
                    .post("/oidc/token").then().statusCode(400).header("Cache-Control", containsString("no-store"))
                    .body("error", equalTo("invalid_request"))
                    .body("error_description", containsString(repeated));
        }
        // the refused requests did not use the code up: its first proper redemption works
        assertTrue(flow.exchange(code).indicatesSuccess());
    }

    @Test
    void introspectionRevocationAndUserInfoRefuseARepeatedTokenAndChangeNothing() {
        String token = new OidcFlow("test-web", TestClients.SECRET).tokens(CodeFlowConformanceTest.CITIZEN,
                "openid profile").getOIDCTokens().getAccessToken().getValue();
        String body = "token=" + token + "&token=" + token;
        for (String endpoint : List.of("/oidc/introspect", "/oidc/revoke")) {
            given().auth().preemptive().basic("test-web", TestClients.SECRET).contentType(FORM).body(body)
                    .post(endpoint).then().statusCode(400).body("error", equalTo("invalid_request"));
        }
        // not revoked
        CodeFlowConformanceTest.introspect(token).then().statusCode(200).body("active", equalTo(true));
        given().contentType(FORM).body("access_token=" + token + "&access_token=" + token).post("/oidc/userinfo")
                .then().statusCode(400).header("WWW-Authenticate", containsString("error=\"invalid_request\""));
        given().contentType(FORM).body("access_token=" + token).post("/oidc/userinfo").then().statusCode(200);
    }

    @Test
    void aLogoutParameterGivenTwiceIsTheErrorPageAndTheSessionStays() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        String hint = flow.tokens(CodeFlowConformanceTest.CITIZEN, "openid").getOIDCTokens().getIDTokenString();
        Map<String, List<String>> query = new LinkedHashMap<>();
        query.put("id_token_hint", List.of(hint));
        query.put("post_logout_redirect_uri", List.of("http://127.0.0.1:9/bye"));
        query.put("state", List.of("s1", "s1"));
        given().redirects().follow(false).cookies(flow.cookies).urlEncodingEnabled(false)
                .get("/oidc/logout?" + URLUtils.serializeParameters(query)).then().statusCode(400)
                .contentType(containsString("text/html")).body(containsString("state"));
        // still signed in
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "none");
        assertTrue(OidcFlow.redirect(flow.authorize(params)).indicatesSuccess());
        // once each: signed out and sent back with the state
        query.put("state", List.of("s1"));
        given().redirects().follow(false).cookies(flow.cookies).urlEncodingEnabled(false)
                .get("/oidc/logout?" + URLUtils.serializeParameters(query)).then().statusCode(303)
                .header("Location", equalTo("http://127.0.0.1:9/bye?state=s1"));
    }
}
