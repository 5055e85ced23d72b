package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * {@code prompt=select_account} shows the login page (OIDC Core 3.1.2.1), {@code prompt=create} is refused as not
 * offered (Initiating User Registration via OpenID Connect 1.0), and discovery lists the values that are.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class PromptValuesTest {

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void discoveryListsThePromptValuesOffered() {
        given().get("/oidc/.well-known/openid-configuration").then().statusCode(200)
                .body("prompt_values_supported", containsInAnyOrder("none", "login", "consent", "select_account"));
    }

    @Test
    void selectAccountShowsTheLoginPageWithTheSignedInUserAndAnotherAccountMayBeChosen() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.code(CodeFlowConformanceTest.CITIZEN, "openid");
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "select_account");
        Response page = flow.authorize(params);
        assertEquals(200, page.statusCode(), () -> page.getHeader("Location"));
        assertTrue(page.asString().contains("name=\"password\""));
        assertTrue(page.asString().contains(CodeFlowConformanceTest.CITIZEN), "the signed-in user is prefilled");
        // the same user confirms
        AuthorizationResponse same = OidcFlow.redirect(flow.submitLogin(CodeFlowConformanceTest.CITIZEN,
                OidcFlow.PASSWORD, null, null));
        String first = subject(flow, same);
        // or another account is chosen, which ends the first session
        params = flow.params("openid");
        params.put("prompt", "select_account");
        flow.authorize(params);
        AuthorizationResponse other = OidcFlow.redirect(flow.submitLogin("330110200102150052", OidcFlow.PASSWORD,
                null, null));
        assertNotEquals(first, subject(flow, other));
    }

    private static String subject(OidcFlow flow, AuthorizationResponse response) {
        assertTrue(response.indicatesSuccess());
        try {
            return ((com.nimbusds.openid.connect.sdk.OIDCTokenResponse) flow.exchange(
                    response.toSuccessResponse().getAuthorizationCode()).toSuccessResponse()).getOIDCTokens()
                    .getIDToken().getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void createIsRefusedAsNotSupported() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        flow.code(CodeFlowConformanceTest.CITIZEN, "openid");
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "create");
        AuthorizationResponse r = OidcFlow.redirect(flow.authorize(params));
        assertEquals("invalid_request", r.toErrorResponse().getErrorObject().getCode());
        assertEquals(flow.state, r.getState().getValue());
    }
}
