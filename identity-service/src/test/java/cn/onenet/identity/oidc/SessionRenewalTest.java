package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.service.SessionService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Signing in again in a live session gives it a new cookie; what was issued in it moves along. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class SessionRenewalTest {

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    @Test
    void reauthenticationRenewsTheSessionCookieAndKeepsTheGrantsAndSid() throws Exception {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse first = flow.tokens(CodeFlowConformanceTest.CITIZEN, "openid");
        String before = flow.cookies.get(SessionService.COOKIE);
        assertNotNull(before);
        String sid = first.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid");

        // prompt=login: the user signs in again in the same session
        Map<String, String> params = flow.params("openid");
        params.put("prompt", "login");
        assertTrue(flow.authorize(params).asString().contains("name=\"password\""));
        AuthorizationResponse again = OidcFlow.redirect(flow.submitLogin(CodeFlowConformanceTest.CITIZEN,
                OidcFlow.PASSWORD, null, null));
        assertTrue(again.indicatesSuccess());
        String after = flow.cookies.get(SessionService.COOKIE);
        assertNotEquals(before, after);
        OIDCTokenResponse second = (OIDCTokenResponse) flow.exchange(again.toSuccessResponse().getAuthorizationCode())
                .toSuccessResponse();
        // the same session to relying parties
        assertEquals(sid, second.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("sid"));

        // the cookie from before the sign-in opens nothing now; the new one does
        Map<String, String> silent = flow.params("openid");
        silent.put("prompt", "none");
        AuthorizationResponse withOld = OidcFlow.redirect(given().redirects().follow(false)
                .cookie(SessionService.COOKIE, before).queryParams(silent).get("/oidc/authorize"));
        assertEquals("login_required", withOld.indicatesSuccess() ? "code issued"
                : withOld.toErrorResponse().getErrorObject().getCode());
        silent = flow.params("openid");
        silent.put("prompt", "none");
        assertTrue(OidcFlow.redirect(flow.authorize(silent)).indicatesSuccess());
        // the refresh token issued before the sign-in goes on with the session
        TokenResponse refreshed = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(first.getOIDCTokens().getRefreshToken())));
        assertTrue(refreshed.indicatesSuccess(), () -> refreshed.toErrorResponse().getErrorObject().toString());
    }
}
