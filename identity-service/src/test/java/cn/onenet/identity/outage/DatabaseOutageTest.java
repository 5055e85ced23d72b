package cn.onenet.identity.outage;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.identity.oidc.OidcFlow;
import cn.onenet.identity.oidc.TestClients;
import cn.onenet.testsupport.DatabaseOutage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * While PostgreSQL is down, callers are told to come back (503 with Retry-After), not that the service is broken
 * (500); a browser on a login page gets a page, not JSON. Nothing of the database's own message reaches them.
 */
@QuarkusTest
@TestProfile(DatabaseOutageTest.OwnDatabase.class)
class DatabaseOutageTest {

    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseOutage.class));
        }
    }

    @Inject
    TestClients clients;

    @Test
    void apiCallsAnswer503WithRetryAfterAndPagesAnswerAPage() {
        clients.ensure(null);
        String token = OidcFlow.accessToken("test-web", "dsj.admin");
        given().auth().oauth2(token).get("/api/identity/v1/accounts?size=1").then().statusCode(200);
        OidcFlow browser = new OidcFlow("test-web", TestClients.SECRET);
        Map<String, String> params = browser.params("openid");
        assertEquals(200, browser.authorize(params).statusCode(), "the login page, before the outage");

        DatabaseOutage.stopServer();

        Response api = given().auth().oauth2(token).header("X-Request-Id", "outage-accounts-1")
                .get("/api/identity/v1/accounts?size=1");
        assertUnavailable(api, "outage-accounts-1");

        Response english = given().auth().oauth2(token).header("Accept-Language", "en")
                .get("/api/identity/v1/accounts?size=1");
        assertEquals(503, english.statusCode(), english.asString());
        assertEquals("Service temporarily unavailable", english.jsonPath().getString("title"));

        Response page = given().redirects().follow(false).queryParams(params).get("/oidc/authorize");
        assertEquals(503, page.statusCode(), page.asString());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        assertRetryAfter(page);
        assertTrue(page.asString().contains("服务暂不可用"), page.asString());
        assertTrue(page.asString().contains("temporarily unavailable"), page.asString());
        assertNoDatabaseWords(page.asString());

        // the forgot-password form needs no database: it is shown as ever
        Response recovery = given().redirects().follow(false).get("/oidc/recover");
        assertEquals(200, recovery.statusCode(), recovery.asString());
        assertTrue(recovery.contentType().startsWith("text/html"), recovery.contentType());

        // the login form shown before the outage, submitted now: its pending request is read from the database
        Response login = browser.submitLogin("dsj.admin", OidcFlow.PASSWORD, null, null);
        assertEquals(503, login.statusCode(), login.asString());
        assertTrue(login.contentType().startsWith("text/html"), login.contentType());
        // a form submission may have taken effect before the connection dropped: no invitation to repeat it blindly
        assertNull(login.header("Retry-After"), "Retry-After after a POST");
        assertTrue(login.asString().contains("服务暂不可用"), login.asString());
        assertTrue(login.asString().contains("是否已生效无法确定"), login.asString());
        assertNoDatabaseWords(login.asString());

        given().get("/q/health/ready").then().statusCode(503);
    }

    static void assertUnavailable(Response r, String requestId) {
        assertEquals(503, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals("urn:onenet:problem:unavailable", r.jsonPath().getString("type"));
        assertEquals("服务暂不可用", r.jsonPath().getString("title"));
        assertEquals(requestId, r.jsonPath().getString("requestId"));
        assertRetryAfter(r);
        assertNoDatabaseWords(r.asString());
    }

    static void assertRetryAfter(Response r) {
        String retryAfter = r.header("Retry-After");
        assertNotNull(retryAfter, "Retry-After");
        int seconds = Integer.parseInt(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 30, retryAfter);
    }

    static void assertNoDatabaseWords(String body) {
        for (String word : List.of("SQL", "sql", "PSQL", "jdbc", "JDBC", "postgres", "Connection to", "Agroal")) {
            assertFalse(body.contains(word), word + " in " + body);
        }
    }
}
