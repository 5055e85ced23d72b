package cn.onenet.identity.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.jwt.SignedJWT;

import cn.onenet.identity.demo.DemoDataLoader;
import cn.onenet.identity.model.Account;
import cn.onenet.identity.model.Department;
import cn.onenet.identity.model.OAuthClient;
import cn.onenet.identity.model.Region;
import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A production install without demo data gets its first administrator and the suite's clients from the settings. */
@QuarkusTest
@TestProfile(BootstrapTest.Production.class)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class BootstrapTest {

    static final String ADMIN_PASSWORD = DemoDataLoader.DEMO_PASSWORD;
    static final String CATALOG_SECRET = "bootstrap-catalog-secret-0123456789";
    static final String GATEWAY_SECRET = "bootstrap-gateway-secret-0123456789";
    static final String ORIGIN = "http://127.0.0.1:9";

    public static class Production implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("identity.demo.enabled", "false"),
                    Map.entry("identity.bootstrap.admin.login-name", "province.admin"),
                    Map.entry("identity.bootstrap.admin.password", ADMIN_PASSWORD),
                    Map.entry("identity.bootstrap.admin.name", "首任管理员"),
                    Map.entry("identity.bootstrap.department.code", "113300000024810109"),
                    Map.entry("identity.bootstrap.department.name", "浙江省大数据发展管理局"),
                    Map.entry("identity.bootstrap.department.region-code", "330000"),
                    Map.entry("identity.bootstrap.department.region-name", "浙江省"),
                    Map.entry("identity.bootstrap.public-base-url", ORIGIN),
                    Map.entry("identity.bootstrap.clients.catalog-service-secret", CATALOG_SECRET),
                    Map.entry("identity.bootstrap.clients.gateway-secret", GATEWAY_SECRET));
        }
    }

    @Inject
    Bootstrap bootstrap;

    @Test
    @Transactional
    void theFirstAdministratorAndTheirDepartmentAndRegionExist() {
        Account admin = Account.byUsername("province.admin");
        assertNotNull(admin);
        assertEquals(List.of("admin"), List.copyOf(admin.roles));
        assertEquals(1, Account.count(), "only the administrator: no demo data");
        Department department = Department.find("code", "113300000024810109").firstResult();
        assertEquals(department.id, admin.departmentId);
        assertTrue(department.competentAuthority);
        assertEquals("浙江省", ((Region) Region.findById("330000")).name);
        given().get("/api/identity/v1/regions/330000").then().statusCode(200).body("level", equalTo("PROVINCE"));
    }

    @Test
    void theAdministratorSignsInToTheConsoleAndAdministers() throws Exception {
        String redirect = ORIGIN + "/console/callback";
        OidcFlow flow = new OidcFlow("gateway", GATEWAY_SECRET);
        Map<String, String> params = flow.params("openid profile");
        params.put("redirect_uri", redirect);
        flow.authorize(params);
        AuthorizationCode code = OidcFlow.redirect(flow.submitLogin("province.admin", ADMIN_PASSWORD, null, null))
                .toSuccessResponse().getAuthorizationCode();
        TokenResponse tokens = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"), flow.auth(),
                new AuthorizationCodeGrant(code, URI.create(redirect), flow.verifier)));
        assertTrue(tokens.indicatesSuccess(), () -> tokens.toErrorResponse().getErrorObject().toString());
        String accessToken = tokens.toSuccessResponse().getTokens().getAccessToken().getValue();
        given().auth().oauth2(accessToken).get("/api/identity/v1/clients").then().statusCode(200)
                .body("clientId", hasItem("catalog-service"));
    }

    @Test
    @Transactional
    void aSuiteServiceGetsAClientCredentialsTokenWithTheConfiguredSecret() throws Exception {
        TokenResponse response = OidcFlow.send(new TokenRequest(OidcFlow.endpoint("token"),
                new ClientSecretBasic(new ClientID("catalog-service"), new Secret(CATALOG_SECRET)),
                new ClientCredentialsGrant(), null));
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        SignedJWT token = SignedJWT.parse(response.toSuccessResponse().getTokens().getAccessToken().getValue());
        assertEquals("catalog-service", token.getJWTClaimsSet().getStringClaim("client_id"));
        assertTrue(token.getJWTClaimsSet().getAudience().contains("onenet-exchange"));
        // no secret configured for the exchange: its client is left for the administrator
        assertEquals(null, OAuthClient.findById("data-exchange-service"));
        OAuthClient gateway = OAuthClient.findById("gateway");
        assertEquals(ORIGIN + "/console/backchannel-logout", gateway.backchannelLogoutUri);
    }

    @Test
    @Transactional
    void aSecondRunCreatesNothing() {
        long accounts = Account.count();
        long departments = Department.count();
        long clients = OAuthClient.count();
        assertEquals(List.of(), bootstrap.run());
        assertEquals(accounts, Account.count());
        assertEquals(departments, Department.count());
        assertEquals(clients, OAuthClient.count());
    }
}
