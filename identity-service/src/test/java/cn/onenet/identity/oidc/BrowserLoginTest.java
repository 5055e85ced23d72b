package cn.onenet.identity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * A citizen logs in through the real login page in headless Chromium; the relying party (this test, with Nimbus)
 * exchanges the code and validates the ID token and access token against the JWKS.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class BrowserLoginTest {

    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("Chromium is required at /usr/bin/chromium for the browser test: apt-get install -y chromium fonts-noto-cjk");
        }
    }

    private static Browser launch(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                .setExecutablePath(CHROMIUM).setArgs(List.of("--no-sandbox", "--disable-gpu",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run")));
    }

    private static String authorizeUrl(Map<String, String> params) {
        return "http://127.0.0.1:" + RestAssured.port + "/oidc/authorize?" + params.entrySet().stream()
                .map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Test
    void citizenLogsInThroughTheLoginPageInChromium() throws Exception {
        requireChromium();
        OidcFlow flow = new OidcFlow("test-third", TestClients.SECRET);
        Map<String, String> params = flow.params("openid profile");
        String authorize = authorizeUrl(params);
        AtomicReference<String> callback = new AtomicReference<>();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            Browser browser = launch(playwright);
            Page page = browser.newPage();
            page.route("http://127.0.0.1:9/**", route -> {
                callback.set(route.request().url());
                route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setStatus(200).setBody("ok"));
            });
            page.navigate(authorize);
            assertTrue(page.title().contains("统一身份认证"), page.title());
            assertEquals("测试应用 test-third", page.textContent("#client-name"));
            page.fill("#username", CodeFlowConformanceTest.CITIZEN);
            page.fill("#password", "wrong-password-1A");
            page.click("#submit");
            assertTrue(page.textContent("#login-error").contains("用户名或密码错误"));
            page.fill("#password", OidcFlow.PASSWORD);
            page.click("#submit");
            // a third-party client: the citizen consents
            page.waitForSelector("#approve");
            assertTrue(page.content().contains("profile"));
            page.click("#approve");
            page.waitForCondition(() -> callback.get() != null);
            browser.close();
        }
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(callback.get()));
        assertTrue(response.indicatesSuccess(), callback.get());
        assertEquals(flow.state, response.getState().getValue());
        assertEquals(CodeFlowConformanceTest.ISSUER, response.getIssuer().getValue());
        OIDCTokenResponse tokens = (OIDCTokenResponse) flow.exchange(response.toSuccessResponse()
                .getAuthorizationCode()).toSuccessResponse();
        IDTokenClaimsSet id = new IDTokenValidator(new Issuer(CodeFlowConformanceTest.ISSUER),
                new ClientID("test-third"), JWSAlgorithm.RS256, OidcFlow.endpoint("jwks").toURL())
                .validate(tokens.getOIDCTokens().getIDToken(), new Nonce(flow.nonce));
        assertEquals("张三", id.getStringClaim("name"));
        JWTClaimsSet at = CodeFlowConformanceTest.resourceServer("onenet-catalog")
                .process(tokens.getOIDCTokens().getAccessToken().getValue(), null);
        assertNotNull(at.getJWTID());
        assertEquals(List.of("citizen"), at.getStringListClaim("roles"));

        // consent remembered: no consent page the second time; withdrawn: the page comes back
        OidcFlow again = new OidcFlow("test-third", TestClients.SECRET);
        again.authorize(again.params("openid profile"));
        again.submitLogin(CodeFlowConformanceTest.CITIZEN, OidcFlow.PASSWORD, null, null);
        assertEquals(303, again.last.statusCode());
        // The citizen manages consents through an app registered for identity's own API (the console), not
        // through the third-party app's token, which that API refuses.
        RestAssured.given().auth().oauth2(tokens.getOIDCTokens().getAccessToken().getValue())
                .get("/api/identity/v1/me/consents").then().statusCode(401);
        String token = OidcFlow.accessToken("test-web", CodeFlowConformanceTest.CITIZEN);
        RestAssured.given().auth().oauth2(token).get("/api/identity/v1/me/consents").then().statusCode(200)
                .body("clientId", org.hamcrest.Matchers.hasItem("test-third"));
        RestAssured.given().auth().oauth2(token).delete("/api/identity/v1/me/consents/test-third").then()
                .statusCode(204);
        again.authorize(again.params("openid profile"));
        assertTrue(again.last.asString().contains("id=\"approve\""));
        assertTrue(again.submitConsent(false).header("Location").contains("error=access_denied"));
    }

    @Test
    void aFormPostResponseIsPostedToTheClientByTheBrowser() throws Exception {
        requireChromium();
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> params = flow.params("openid");
        params.put("response_mode", "form_post");
        AtomicReference<String> method = new AtomicReference<>();
        AtomicReference<String> body = new AtomicReference<>();
        try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
            Browser browser = launch(playwright);
            Page page = browser.newPage();
            page.route("http://127.0.0.1:9/**", route -> {
                method.set(route.request().method());
                body.set(route.request().postData());
                route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setStatus(200).setBody("ok"));
            });
            page.navigate(authorizeUrl(params));
            page.fill("#username", CodeFlowConformanceTest.CITIZEN);
            page.fill("#password", OidcFlow.PASSWORD);
            page.click("#submit");
            // the page's script submits the form under the page's own Content-Security-Policy
            page.waitForCondition(() -> body.get() != null);
            browser.close();
        }
        assertEquals("POST", method.get());
        Map<String, List<String>> posted = com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(body.get());
        assertEquals(List.of(flow.state), posted.get("state"));
        assertEquals(List.of(CodeFlowConformanceTest.ISSUER), posted.get("iss"));
        assertTrue(flow.exchange(new com.nimbusds.oauth2.sdk.AuthorizationCode(posted.get("code").get(0)))
                .indicatesSuccess());
    }
}
