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
import java.util.Map;

import org.junit.jupiter.api.Test;

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
        given().cookies(session).get("/api/identity/v1/me").then().statusCode(200)
                .body("headers.authorization", startsWith("Bearer ey"))
                .body("headers.cookie", nullValue())
                .body("uri", equalTo("/api/identity/v1/me"));
    }

    @Test
    void callbackWithoutStateIsRefused() {
        int status = given().redirects().follow(false).queryParam("code", "x").get("/console/callback")
                .statusCode();
        assertTrue(status == 401 || status == 302, "no session is created without the state cookie: " + status);
        given().redirects().follow(false).get("/console").then().statusCode(302)
                .header("Location", containsString("/authorize"));
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
