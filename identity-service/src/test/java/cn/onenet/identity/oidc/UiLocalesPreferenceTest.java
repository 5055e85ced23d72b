package cn.onenet.identity.oidc;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@code ui_locales} lists the user's languages in order of preference (OIDC Core 3.1.2.1, RP-Initiated Logout 1.0
 * §2): the first one offered (zh-CN, en, as discovery says) is the pages' language, not only the first one listed.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
class UiLocalesPreferenceTest {

    @Inject
    TestClients clients;

    @BeforeEach
    void clients() {
        clients.ensure(null);
    }

    private static Response loginPage(OidcFlow flow, String uiLocales) {
        Map<String, String> params = flow.params("openid");
        params.put("ui_locales", uiLocales);
        Response page = flow.authorize(params);
        assertEquals(200, page.statusCode(), () -> page.getHeader("Location"));
        return page;
    }

    @Test
    void theLoginPageIsInTheFirstOfferedLanguageTheUserPrefers() {
        OidcFlow flow = new OidcFlow("test-web", TestClients.SECRET);
        assertTrue(loginPage(flow, "fr en").asString().contains("<html lang=\"en\">"));
        assertTrue(loginPage(flow, "de-DE en-GB zh-CN").asString().contains("<html lang=\"en\">"));
        assertTrue(loginPage(flow, "fr zh-CN en").asString().contains("<html lang=\"zh-CN\">"));
        // a refused login answers in that language too
        String html = loginPage(flow, "fr en").asString();
        Response refused = given().redirects().follow(false).cookies(flow.cookies)
                .header("X-Forwarded-For", "10.78." + System.nanoTime() % 250 + ".9")
                .contentType("application/x-www-form-urlencoded").formParam("req", OidcFlow.hidden(html, "req"))
                .formParam("csrf", OidcFlow.hidden(html, "csrf")).formParam("username", CodeFlowConformanceTest.CITIZEN)
                .formParam("password", "not-the-password-1A").post("/oidc/login");
        assertTrue(refused.asString().contains("Wrong login name or password."), refused::asString);
    }

    @Test
    void theLogoutPageIsInTheFirstOfferedLanguageTheUserPrefers() {
        given().queryParam("ui_locales", "fr en").get("/oidc/logout").then().statusCode(200)
                .body(containsString("<html lang=\"en\">"));
        given().queryParam("ui_locales", "fr zh-CN").get("/oidc/logout").then().statusCode(200)
                .body(containsString("<html lang=\"zh-CN\">"));
    }
}
