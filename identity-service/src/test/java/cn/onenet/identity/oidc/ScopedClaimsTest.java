package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.service.AccountService;
import cn.onenet.identity.service.ClientService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Personal data only with the scope that names it (OIDC Core §5.4): {@code name} with {@code profile},
 * {@code email}, {@code phone_number} (E.164) and {@code cn_id} with theirs, the contacts with whether they were
 * verified. Access tokens, readable JWTs sent to every API
 * in their audience, carry {@code name} (with {@code profile}) and {@code cn_id} only when the exchange is in the
 * audience; UserInfo serves the rest. The consent page names the data in plain language.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ScopedClaimsTest {

    /** First-party, for the catalogue's API only (not the exchange), with every personal-data scope. */
    private static final String CATALOG_ONLY = "test-claims-catalog";

    @Inject
    TestClients clients;
    @Inject
    ClientService clientService;
    @Inject
    AccountService accounts;

    private static Account citizen;

    @BeforeEach
    void setUp() {
        clients.ensure(null);
        QuarkusTransaction.requiringNew().run(() -> {
            if (OAuthClient.findById(CATALOG_ONLY) == null) {
                clientService.create(new ClientService.Registration(CATALOG_ONLY, "目录应用", "client_secret_basic",
                        List.of("authorization_code", "refresh_token"), List.of(OidcFlow.REDIRECT), null, null,
                        List.of("openid", "profile", "email", "phone", "id_number"), List.of("onenet-catalog"),
                        List.of(), null, true, null, null, null, null), TestClients.SECRET, "test");
            }
        });
        if (citizen == null) {
            citizen = QuarkusTransaction.requiringNew().call(() -> TotpLifecycleTest.newCitizen(accounts, "周九",
                    "zhoujiu@example.cn", "13900000009"));
        }
    }

    private static JWTClaimsSet claims(String jwt) throws Exception {
        return SignedJWT.parse(jwt).getJWTClaimsSet();
    }

    @Test
    void withOpenidAloneNoPersonalDataIsReleased() throws Exception {
        OIDCTokenResponse tokens = new OidcFlow(CATALOG_ONLY, TestClients.SECRET).tokens(citizen.username, "openid");
        JWTClaimsSet id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
        String access = tokens.getOIDCTokens().getAccessToken().getValue();
        for (JWTClaimsSet set : List.of(id, claims(access))) {
            for (String claim : List.of("name", "cn_id", "email", "email_verified", "phone_number",
                    "phone_number_verified")) {
                assertNull(set.getClaim(claim), claim + " in " + set);
            }
            assertEquals(List.of("citizen"), set.getStringListClaim("roles"));
        }
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(200)
                .body("sub", equalTo(citizen.id.toString())).body("$", not(hasKey("name")))
                .body("$", not(hasKey("cn_id"))).body("$", not(hasKey("email")))
                .body("$", not(hasKey("phone_number")));
    }

    @Test
    void eachScopeReleasesItsClaimsAndAccessTokensCarryOnlyWhatTheirApisNeed() throws Exception {
        OIDCTokenResponse tokens = new OidcFlow(CATALOG_ONLY, TestClients.SECRET).tokens(citizen.username,
                "openid profile email phone id_number");
        JWTClaimsSet id = tokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
        assertEquals("周九", id.getStringClaim("name"));
        assertEquals(citizen.username, id.getStringClaim("cn_id"));
        assertEquals("zhoujiu@example.cn", id.getStringClaim("email"));
        // E.164 (OIDC Core §5.1); contacts an administrator entered are not verified
        assertEquals("+8613900000009", id.getStringClaim("phone_number"));
        assertEquals(Boolean.FALSE, id.getBooleanClaim("email_verified"));
        assertEquals(Boolean.FALSE, id.getBooleanClaim("phone_number_verified"));
        String access = tokens.getOIDCTokens().getAccessToken().getValue();
        JWTClaimsSet at = claims(access);
        assertEquals("周九", at.getStringClaim("name"));
        // not for the exchange: no cn_id; e-mail and phone never in access tokens
        assertNull(at.getClaim("cn_id"));
        assertNull(at.getClaim("email"));
        assertNull(at.getClaim("phone_number"));
        assertNull(at.getClaim("email_verified"));
        assertNull(at.getClaim("phone_number_verified"));
        given().auth().oauth2(access).get("/oidc/userinfo").then().statusCode(200).body("name", equalTo("周九"))
                .body("cn_id", equalTo(citizen.username)).body("email", equalTo("zhoujiu@example.cn"))
                .body("email_verified", equalTo(false)).body("phone_number", equalTo("+8613900000009"))
                .body("phone_number_verified", equalTo(false));
        // UserInfo by scope too: profile alone gives the name and nothing else
        String profileOnly = new OidcFlow(CATALOG_ONLY, TestClients.SECRET).tokens(citizen.username,
                "openid profile").getOIDCTokens().getAccessToken().getValue();
        given().auth().oauth2(profileOnly).get("/oidc/userinfo").then().statusCode(200).body("name", equalTo("周九"))
                .body("$", not(hasKey("cn_id"))).body("$", not(hasKey("email")))
                .body("$", not(hasKey("email_verified"))).body("$", not(hasKey("phone_number_verified")));
    }

    @Test
    void cnIdIsInAccessTokensForTheExchangeOnly() throws Exception {
        // test-web's tokens are for the catalogue, the exchange and identity-service
        String access = new OidcFlow("test-web", TestClients.SECRET).tokens(citizen.username, "openid id_number email")
                .getOIDCTokens().getAccessToken().getValue();
        JWTClaimsSet at = claims(access);
        assertTrue(at.getAudience().contains("onenet-exchange"));
        assertEquals(citizen.username, at.getStringClaim("cn_id"));
        assertNull(at.getClaim("name"));
        assertNull(at.getClaim("email"));
    }

    @Test
    void theConsentPageNamesTheDataInPlainLanguage() {
        OidcFlow flow = new OidcFlow("test-third", TestClients.SECRET);
        Response page = flow.authorize(flow.params("openid profile id_number email"));
        page = flow.submitLogin(citizen.username, OidcFlow.PASSWORD, null, null);
        String html = page.asString();
        assertTrue(html.contains("姓名"), html);
        assertTrue(html.contains("公民身份号码"), html);
        assertTrue(html.contains("电子邮箱"), html);
        assertFalse(html.contains("<li>openid</li>"), html);
        assertFalse(html.contains("<li>id_number</li>"), html);
        Response english = flow.authorize(withEnglish(flow.params("openid profile id_number")));
        assertTrue(english.asString().contains("citizen identity number"), english.asString());
    }

    private static java.util.Map<String, String> withEnglish(java.util.Map<String, String> params) {
        params.put("ui_locales", "en");
        return params;
    }
}
