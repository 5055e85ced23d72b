package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.DataSharing;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * First-party (government) applications get a citizen's data without a consent page, but the citizen still sees
 * them among the applications that received it, with the scopes received, and can sign out of them. And PKCE is
 * required per client unless an administrator exempted a confidential client (conformance testing).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class FirstPartySharingAndPkceTest {

    private static final String CONSENTS = "/api/identity/v1/me/consents";

    @Inject
    TestClients clients;
    @Inject
    AccountService accounts;
    @Inject
    EntityManager em;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static TokenResponse refresh(OidcFlow flow, OIDCTokenResponse tokens) {
        return OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new RefreshTokenGrant(tokens.getOIDCTokens().getRefreshToken())));
    }

    private long sharingRows(Account account, String clientId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM "
                + "data_sharing WHERE account_id = ?1 AND client_id = ?2").setParameter(1, account.id)
                .setParameter(2, clientId).getSingleResult()).longValue());
    }

    @Test
    void aFirstPartyApplicationIsListedWithTheScopesItReceivedAndTheHolderCanSignOutOfIt() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "政府应用列表测试");
        OidcFlow web = new OidcFlow("test-web", TestClients.SECRET);
        OIDCTokenResponse tokens = web.tokens(citizen.username, "openid profile");
        // no consent page was shown, but the receipt is recorded and listed
        String console = OidcFlow.accessToken("test-es256", citizen.username);
        given().auth().oauth2(console).get(CONSENTS).then().statusCode(200)
                .body("find { it.clientId == 'test-web' }.firstParty", equalTo(true))
                .body("find { it.clientId == 'test-web' }.label", equalTo(DataSharing.FIRST_PARTY_LABEL))
                .body("find { it.clientId == 'test-web' }.label", equalTo("由政府部门应用获取 (无需同意)"))
                .body("find { it.clientId == 'test-web' }.scope", equalTo("openid profile"))
                .body("find { it.clientId == 'test-web' }.signedIn", equalTo(true));
        // a later sign-in with another scope adds what it received
        new OidcFlow("test-web", TestClients.SECRET).tokens(citizen.username, "openid email");
        given().auth().oauth2(console).get(CONSENTS).then().statusCode(200)
                .body("find { it.clientId == 'test-web' }.scope", equalTo("email openid profile"));

        // signing out of it revokes its grants: its refresh tokens stop working
        given().auth().oauth2(console).delete(CONSENTS + "/test-web").then().statusCode(204);
        TokenResponse refused = refresh(web, tokens);
        assertFalse(refused.indicatesSuccess());
        assertEquals(OAuth2Error.INVALID_GRANT.getCode(), refused.toErrorResponse().getErrorObject().getCode());
        // it stays listed (it did receive the data), no longer signed in
        given().auth().oauth2(console).get(CONSENTS).then().statusCode(200)
                .body("find { it.clientId == 'test-web' }.signedIn", equalTo(false))
                .body("find { it.clientId == 'test-web' }.firstParty", equalTo(true));
        // an application that never received the data: 404
        given().auth().oauth2(console).delete(CONSENTS + "/test-jwt").then().statusCode(404)
                .contentType("application/problem+json");
        // nobody else's list shows it
        Account other = TotpLifecycleTest.newCitizen(accounts, "政府应用列表他人");
        given().auth().oauth2(OidcFlow.accessToken("test-es256", other.username)).get(CONSENTS).then()
                .statusCode(200).body("clientId", not(hasItem("test-web")));
    }

    @Test
    void aThirdPartyApplicationIsListedByItsConsentNotAsAFirstPartyReceipt() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "第三方应用列表测试");
        OidcFlow third = new OidcFlow("test-third", TestClients.SECRET);
        third.authorize(third.params("openid profile"));
        third.submitLogin(citizen.username, OidcFlow.PASSWORD, null, null);
        AuthorizationResponse answer = OidcFlow.redirect(third.submitConsent(true));
        assertTrue(third.exchange(answer.toSuccessResponse().getAuthorizationCode()).indicatesSuccess());
        assertEquals(0, sharingRows(citizen, "test-third"));
        assertEquals(0, sharingRows(citizen, "test-es256"));
        given().auth().oauth2(OidcFlow.accessToken("test-es256", citizen.username)).get(CONSENTS).then()
                .statusCode(200).body("find { it.clientId == 'test-third' }.firstParty", equalTo(false))
                .body("find { it.clientId == 'test-third' }.label", equalTo(DataSharing.CONSENT_LABEL));
        assertEquals(1, sharingRows(citizen, "test-es256"));
    }

    // ---- PKCE per client ----

    /** Registers a confidential web client through the admin API; returns its secret. */
    private static String register(String admin, String clientId, Boolean pkceRequired) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("clientId", clientId, "name", "PKCE 测试 " + clientId,
                "authMethod", "client_secret_basic", "grantTypes", List.of("authorization_code", "refresh_token"),
                "redirectUris", List.of(OidcFlow.REDIRECT), "scopes", List.of("openid", "profile"),
                "firstParty", true));
        if (pkceRequired != null) {
            body.put("pkceRequired", pkceRequired);
        }
        return given().auth().oauth2(admin).contentType("application/json").body(body)
                .post("/api/identity/v1/clients").then().statusCode(201)
                .body("client.pkceRequired", equalTo(pkceRequired == null || pkceRequired)).extract()
                .path("clientSecret");
    }

    private static Map<String, String> withoutPkce(OidcFlow flow) {
        Map<String, String> params = flow.params("openid profile");
        params.remove("code_challenge");
        params.remove("code_challenge_method");
        return params;
    }

    @Test
    void aClientExemptedByAnAdministratorMayOmitPkceButOthersMayNot() {
        String admin = OidcFlow.accessToken("test-web", "dsj.admin");
        String exempt = "pkce-off-" + System.nanoTime();
        String secret = register(admin, exempt, false);
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "PKCE测试");

        // exempted: a request without a challenge gets a code, redeemed without a verifier
        OidcFlow flow = new OidcFlow(exempt, secret);
        AuthorizationResponse answer = flow.login(withoutPkce(flow), citizen.username);
        assertTrue(answer.indicatesSuccess(), String.valueOf(answer));
        TokenResponse tokens = flow.exchange(answer.toSuccessResponse().getAuthorizationCode(), null);
        assertTrue(tokens.indicatesSuccess(), String.valueOf(tokens));
        // a verifier for a code issued without a challenge means the challenge was stripped: refused
        OidcFlow stripped = new OidcFlow(exempt, secret);
        AuthorizationResponse second = stripped.login(withoutPkce(stripped), citizen.username);
        TokenResponse downgraded = stripped.exchange(second.toSuccessResponse().getAuthorizationCode(),
                new CodeVerifier());
        assertEquals(OAuth2Error.INVALID_GRANT.getCode(), downgraded.toErrorResponse().getErrorObject().getCode());
        // a challenge sent anyway is still checked
        OidcFlow checked = new OidcFlow(exempt, secret);
        AuthorizationResponse third = checked.login(checked.params("openid"), citizen.username);
        assertFalse(checked.exchange(third.toSuccessResponse().getAuthorizationCode(), new CodeVerifier())
                .indicatesSuccess());

        // the default: PKCE required, the request without a challenge is refused
        String strict = "pkce-on-" + System.nanoTime();
        String strictSecret = register(admin, strict, null);
        OidcFlow refused = new OidcFlow(strict, strictSecret);
        AuthorizationResponse error = refused.login(withoutPkce(refused), citizen.username);
        assertFalse(error.indicatesSuccess());
        assertEquals(OAuth2Error.INVALID_REQUEST.getCode(), error.toErrorResponse().getErrorObject().getCode());
        // an update that does not name the setting leaves PKCE required
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("name", "PKCE 测试",
                "authMethod", "client_secret_basic", "grantTypes", List.of("authorization_code"),
                "redirectUris", List.of(OidcFlow.REDIRECT), "scopes", List.of("openid")))
                .put("/api/identity/v1/clients/" + exempt).then().statusCode(200)
                .body("client.pkceRequired", equalTo(true));
    }

    @Test
    void onlyAnAdministratorMayTurnPkceOff() {
        Account citizen = TotpLifecycleTest.newCitizen(accounts, "PKCE权限测试");
        String token = OidcFlow.accessToken("test-web", citizen.username);
        given().auth().oauth2(token).contentType("application/json").body(Map.of("clientId",
                "pkce-citizen-" + System.nanoTime(), "name", "x", "grantTypes", List.of("authorization_code"),
                "redirectUris", List.of(OidcFlow.REDIRECT), "pkceRequired", false))
                .post("/api/identity/v1/clients").then().statusCode(403);
        given().auth().oauth2(token).contentType("application/json").body(Map.of("name", "x",
                "grantTypes", List.of("authorization_code"), "redirectUris", List.of(OidcFlow.REDIRECT),
                "pkceRequired", false)).put("/api/identity/v1/clients/test-web").then().statusCode(403);
        given().auth().oauth2(OidcFlow.accessToken("test-web", "dsj.admin")).get("/api/identity/v1/clients/test-web")
                .then().statusCode(200).body("pkceRequired", equalTo(true));
    }
}
