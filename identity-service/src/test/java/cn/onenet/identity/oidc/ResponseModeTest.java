package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.util.URLUtils;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The response modes discovery lists for {@code response_type=code}: {@code query} (the default), {@code fragment}
 * (OAuth 2.0 Multiple Response Type Encoding Practices §2.1) and {@code form_post} (OAuth 2.0 Form Post Response
 * Mode), for codes and errors alike; another mode is {@code invalid_request} in the query.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ResponseModeTest {

    private static final Pattern ACTION = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\"");
    private static final Pattern FIELD = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    /** The fields of a form-post page, after checking it posts to the client's redirect URI. */
    private static Map<String, String> posted(Response page) {
        page.then().statusCode(200).contentType(containsString("text/html")).header("Location", org.hamcrest.Matchers.nullValue())
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .body(containsString("<script src=\"assets/form-post.js\" defer></script>"));
        String html = page.asString();
        Matcher action = ACTION.matcher(html);
        assertTrue(action.find(), html);
        assertEquals(OidcFlow.REDIRECT, action.group(1));
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher field = FIELD.matcher(html);
        while (field.find()) {
            fields.put(field.group(1), field.group(2));
        }
        return fields;
    }

    /** The flow's parameters for {@code scope openid} in {@code mode}, with {@code prompt} when not null. */
    private static Map<String, String> in(OidcFlow flow, String mode, String prompt) {
        Map<String, String> params = flow.params("openid");
        params.put("response_mode", mode);
        if (prompt != null) {
            params.put("prompt", prompt);
        }
        return params;
    }

    @Test
    void discoveryListsTheResponseModesOffered() {
        given().get("/oidc/.well-known/openid-configuration").then().statusCode(200)
                .body("response_modes_supported", equalTo(List.of("query", "fragment", "form_post")));
        given().get("/oidc/assets/form-post.js").then().statusCode(200).body(containsString("form.submit()"));
    }

    @Test
    void formPostPostsTheCodeAndTheErrorsToTheClient() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        // no session and prompt=none: login_required, posted
        Map<String, String> error = posted(flow.authorize(in(flow, "form_post", "none")));
        assertEquals(Map.of("error", "login_required", "state", flow.state, "iss", CodeFlowConformanceTest.ISSUER),
                Map.of("error", error.get("error"), "state", error.get("state"), "iss", error.get("iss")));
        // the login page, then the code posted in answer to the login form
        flow.authorize(in(flow, "form_post", null)).then().statusCode(200).body(containsString("name=\"password\""));
        Map<String, String> success = posted(flow.submitLogin(CodeFlowConformanceTest.CITIZEN, OidcFlow.PASSWORD,
                null, null));
        assertEquals(java.util.Set.of("code", "state", "iss"), success.keySet());
        assertEquals(flow.state, success.get("state"));
        assertEquals(CodeFlowConformanceTest.ISSUER, success.get("iss"));
        assertTrue(flow.exchange(new AuthorizationCode(success.get("code"))).indicatesSuccess());
        // signed in already: posted at once
        assertTrue(flow.exchange(new AuthorizationCode(posted(flow.authorize(in(flow, "form_post", null))).get("code")))
                .indicatesSuccess());
    }

    @Test
    void fragmentCarriesTheCodeAndTheErrorsInTheFragment() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        URI location = URI.create(flow.authorize(in(flow, "fragment", "none")).then().statusCode(303).extract().header("Location"));
        assertNull(location.getRawQuery(), location.toString());
        assertEquals(List.of("login_required"), URLUtils.parseParameters(location.getRawFragment()).get("error"));

        assertTrue(flow.login(flow.params("openid"), CodeFlowConformanceTest.CITIZEN).indicatesSuccess());
        location = URI.create(flow.authorize(in(flow, "fragment", null)).then().statusCode(303).extract().header("Location"));
        assertNull(location.getRawQuery(), location.toString());
        Map<String, List<String>> fragment = URLUtils.parseParameters(location.getRawFragment());
        assertEquals(List.of(flow.state), fragment.get("state"));
        assertEquals(List.of(CodeFlowConformanceTest.ISSUER), fragment.get("iss"));
        assertTrue(flow.exchange(new AuthorizationCode(fragment.get("code").get(0))).indicatesSuccess());
    }

    @Test
    void aDeclinedConsentGoesBackInTheModeAskedFor() {
        OidcFlow flow = new OidcFlow("test-third", TestClients.SECRET);
        Map<String, String> params = flow.params("openid email");
        params.put("response_mode", "form_post");
        params.put("prompt", "consent");
        flow.authorize(params);
        flow.submitLogin(CodeFlowConformanceTest.CITIZEN, OidcFlow.PASSWORD, null, null).then().statusCode(200)
                .body(containsString("decision"));
        Map<String, String> denied = posted(flow.submitConsent(false));
        assertEquals("access_denied", denied.get("error"));
        assertEquals(flow.state, denied.get("state"));
    }
}
