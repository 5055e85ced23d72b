package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationResponse;

import cn.onenet.identity.model.Account;
import cn.onenet.identity.service.AccountService;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A person's consents name whom they allowed: the application's registered name and its department, if any; a later
 * consent to the same application adds to the earlier one.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class ConsentListTest {

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

    @Test
    void eachConsentNamesTheApplicationAndItsDepartment() {
        Account account = TotpLifecycleTest.newCitizen(accounts, "授权列表测试");
        // test-jwt belongs to 浙江省公安厅; test-third to no department
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("INSERT INTO consent (account_id, client_id, scope, granted_at) VALUES "
                    + "(?1, 'test-third', 'openid profile', now() - interval '1 day'), "
                    + "(?1, 'test-jwt', 'openid', now())").setParameter(1, account.id).executeUpdate();
        });
        String token = OidcFlow.accessToken("test-web", account.username);
        // the console itself (first-party) received the data without a consent page: listed first, as the latest
        given().auth().oauth2(token).get("/api/identity/v1/me/consents").then().statusCode(200)
                .body("clientId", contains("test-web", "test-jwt", "test-third"))
                .body("[0].firstParty", equalTo(true))
                .body("[0].label", equalTo("由政府部门应用获取 (无需同意)"))
                .body("[1].clientName", equalTo("private_key_jwt RP"))
                .body("[1].departmentCode", equalTo("11330000002481020A"))
                .body("[1].departmentName", equalTo("浙江省公安厅"))
                .body("[1].scope", equalTo("openid"))
                .body("[1].firstParty", equalTo(false))
                .body("[2].clientName", equalTo("测试应用 test-third"))
                .body("[2].departmentCode", nullValue())
                .body("[2].departmentName", nullValue())
                .body("[2].scope", equalTo("openid profile"));
    }

    @Test
    void aLaterConsentAddsToTheEarlierOne() {
        Account account = TotpLifecycleTest.newCitizen(accounts, "授权合并测试");
        OidcFlow flow = new OidcFlow("test-third", TestClients.SECRET);
        flow.authorize(flow.params("openid profile"));
        assertConsentPage(flow.submitLogin(account.username, OidcFlow.PASSWORD, null, null));
        assertTrue(OidcFlow.redirect(flow.submitConsent(true)).indicatesSuccess());
        // one more scope: the page asks for it, and the consent given adds it
        assertConsentPage(flow.authorize(flow.params("openid email")));
        assertTrue(OidcFlow.redirect(flow.submitConsent(true)).indicatesSuccess());

        String token = OidcFlow.accessToken("test-web", account.username);
        given().auth().oauth2(token).get("/api/identity/v1/me/consents").then().statusCode(200)
                .body("find { it.clientId == 'test-third' }.scope", equalTo("email openid profile"));
        // the first scopes, the later ones and all of them need no page, prompt=none included
        for (String scope : new String[] {"openid profile", "openid email", "openid profile email"}) {
            Map<String, String> params = flow.params(scope);
            params.put("prompt", "none");
            AuthorizationResponse answer = OidcFlow.redirect(flow.authorize(params));
            assertTrue(answer.indicatesSuccess(), () -> scope + ": " + answer.toErrorResponse().getErrorObject());
        }
        // a scope never consented to still asks
        Map<String, String> more = flow.params("openid id_number");
        more.put("prompt", "none");
        assertEquals("consent_required",
                OidcFlow.redirect(flow.authorize(more)).toErrorResponse().getErrorObject().getCode());

        // withdrawing the consent withdraws all of it
        given().auth().oauth2(token).delete("/api/identity/v1/me/consents/test-third").then().statusCode(204);
        Map<String, String> first = flow.params("openid profile");
        first.put("prompt", "none");
        assertEquals("consent_required",
                OidcFlow.redirect(flow.authorize(first)).toErrorResponse().getErrorObject().getCode());
    }

    private static void assertConsentPage(Response page) {
        assertEquals(200, page.statusCode(), page::asString);
        assertTrue(page.asString().contains("name=\"decision\""), page::asString);
    }
}
