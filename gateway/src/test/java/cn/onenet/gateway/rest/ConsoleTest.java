package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.TestUpstream;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class ConsoleTest {

    @Test
    void theConsoleStateCookieDoesNotCaptureTheLoginPages() {
        // A browser on its way to the login page carries the console's state cookie on every path.
        int status = given().redirects().follow(false).cookie("q_auth_console_abc", "abc|state")
                .get("/oidc/authorize").statusCode();
        org.junit.jupiter.api.Assertions.assertNotEquals(401, status, "the login route was taken by the console tenant");
    }

    @Test
    void codeFlowLogsInAndRelaysTheAccessToken() {
        int grantsBefore = TestUpstream.TOKEN_GRANTS.size();
        Response login = given().redirects().follow(false).get("/console");
        assertEquals(302, login.statusCode());
        URI authorize = URI.create(login.header("Location"));
        assertEquals("/authorize", authorize.getPath());
        Map<String, String> query = query(authorize);
        assertEquals("gateway", query.get("client_id"));
        assertEquals("code", query.get("response_type"));
        assertTrue(query.get("redirect_uri").endsWith("/console/callback"), query.get("redirect_uri"));
        // identity-service refuses any authorization request without PKCE S256.
        assertEquals("S256", query.get("code_challenge_method"));
        assertTrue(query.get("code_challenge") != null && query.get("code_challenge").length() >= 43, query.toString());
        String stateCookie = login.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("q_auth_console")).findFirst().orElseThrow();
        // The state cookie must survive the redirect back from the login page: HttpOnly, SameSite=Lax.
        assertTrue(stateCookie.toLowerCase().contains("httponly"), stateCookie);

        Response callback = given().redirects().follow(false).cookies(login.cookies())
                .queryParam("code", "code-1").queryParam("state", query.get("state"))
                .get("/console/callback");
        assertEquals(302, callback.statusCode(), callback.asString());
        assertTrue(callback.header("Location").endsWith("/console"), callback.header("Location"));
        Map<String, String> session = callback.cookies();
        assertTrue(session.keySet().stream().anyMatch(k -> k.startsWith("q_session_console")), session.toString());
        String sessionCookie = callback.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("q_session_console")).findFirst().orElseThrow();
        assertTrue(sessionCookie.toLowerCase().contains("httponly") && sessionCookie.contains("SameSite=Strict"),
                sessionCookie);

        given().cookies(session).get("/console").then().statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("张三"))
                .body(containsString("HTTP 200"));

        // The console's session cookie on an API call: the access token goes upstream, the cookies do not.
        Response relayed = given().cookies(session).get("/api/identity/v1/me");
        relayed.then().statusCode(200)
                .body("headers.authorization", startsWith("Bearer ey"))
                .body("headers.cookie", nullValue())
                .body("uri", equalTo("/api/identity/v1/me"));
        // Five minutes left: the login's own token goes up, nothing is refreshed.
        assertEquals(1, generation(relayed.path("headers.authorization")));
        List<Map<String, String>> grants = TestUpstream.TOKEN_GRANTS.subList(grantsBefore,
                TestUpstream.TOKEN_GRANTS.size());
        assertEquals(1, grants.size(), grants.toString());
        assertEquals("authorization_code", grants.get(0).get("grant_type"));
    }

    @Test
    void aTokenAboutToExpireIsRefreshedBeforeItIsRelayed() {
        int grantsBefore = TestUpstream.TOKEN_GRANTS.size();
        Map<String, String> session = login(TestUpstream.SHORT_LIVED_CODE);
        // 30 s left, within the one-minute refresh skew: the gateway refreshes the session with the refresh token
        // before relaying, so the service never receives a token that expires under it.
        Response relayed = given().cookies(session).get("/api/identity/v1/me");
        relayed.then().statusCode(200).body("headers.authorization", startsWith("Bearer ey"));
        assertEquals(2, generation(relayed.path("headers.authorization")));
        List<Map<String, String>> grants = TestUpstream.TOKEN_GRANTS.subList(grantsBefore,
                TestUpstream.TOKEN_GRANTS.size());
        assertEquals(2, grants.size(), grants.toString());
        assertEquals("refresh_token", grants.get(1).get("grant_type"));
        assertEquals("refresh-1", grants.get(1).get("refresh_token"));
        // The browser receives the renewed session.
        assertTrue(relayed.cookies().keySet().stream().anyMatch(k -> k.startsWith("q_session_console")),
                relayed.cookies().toString());
    }

    @Test
    void callbackWithoutStateIsRefused() {
        int status = given().redirects().follow(false).queryParam("code", "x").get("/console/callback")
                .statusCode();
        assertTrue(status == 401 || status == 302, "no session is created without the state cookie: " + status);
        given().redirects().follow(false).get("/console").then().statusCode(302)
                .header("Location", containsString("/authorize"));
    }

    /** Logs in through the code flow with the given authorization code; returns the session cookies. */
    private static Map<String, String> login(String code) {
        Response login = given().redirects().follow(false).get("/console");
        assertEquals(302, login.statusCode());
        Map<String, String> query = query(URI.create(login.header("Location")));
        Response callback = given().redirects().follow(false).cookies(login.cookies())
                .queryParam("code", code).queryParam("state", query.get("state"))
                .get("/console/callback");
        assertEquals(302, callback.statusCode(), callback.asString());
        return callback.cookies();
    }

    /** The test token endpoint's generation claim of a relayed bearer token. */
    private static int generation(String authorization) {
        String payload = authorization.substring("Bearer ".length()).split("\\.")[1];
        return new io.vertx.core.json.JsonObject(new String(java.util.Base64.getUrlDecoder().decode(payload),
                StandardCharsets.UTF_8)).getInteger("generation");
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
