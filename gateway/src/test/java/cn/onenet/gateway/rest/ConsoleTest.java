package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.TestUpstream;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class ConsoleTest {

    @TestHTTPResource("/")
    URL gateway;

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

        // Naming Authorization in Connection does not keep the relayed token from the service.
        given().cookies(session).header("Connection", "close, Authorization, X-Forwarded-For")
                .get("/api/identity/v1/me")
                .then().statusCode(200)
                .body("headers.authorization", startsWith("Bearer ey"))
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"));
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
    void theConsolePageLoadsItsScriptAndKnowsTheUser() {
        Map<String, String> session = login("code-page");
        // The console's pages carry the edge's security headers like every other answer.
        given().cookies(session).get("/console").then().statusCode(200)
                .header("Strict-Transport-Security", containsString("max-age="))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Frame-Options", equalTo("DENY"))
                .body(containsString("<script type=\"module\" src=\"/console/assets/console.js\"></script>"))
                .body(containsString("<main id=\"app\">"))
                // with scripts blocked the page says why it stays empty instead of "loading" for ever
                .body(containsString("<noscript><p id=\"noscript\">"))
                // its icon named, so browsers do not ask for /favicon.ico, which nothing serves
                .body(containsString("<link rel=\"icon\" type=\"image/svg+xml\" href=\"/console/assets/icon.svg\">"));
        // The script and style sheet come from the gateway itself, under the same CSP (no inline script).
        given().cookies(session).get("/console/assets/console.js").then().statusCode(200)
                .contentType(startsWith("text/javascript"))
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .body(containsString("/console/session"));
        // ... and the modules it imports: what every section shares, administration, the exchange, one's own account
        given().cookies(session).get("/console/assets/ui.js").then().statusCode(200)
                .contentType(startsWith("text/javascript")).body(containsString("export async function api("));
        given().cookies(session).get("/console/assets/admin.js").then().statusCode(200)
                .contentType(startsWith("text/javascript")).body(containsString("export const ADMIN_SECTIONS"));
        given().cookies(session).get("/console/assets/exchange.js").then().statusCode(200)
                .contentType(startsWith("text/javascript")).body(containsString("export const EXCHANGE_SECTIONS"));
        given().cookies(session).get("/console/assets/selfservice.js").then().statusCode(200)
                .contentType(startsWith("text/javascript")).body(containsString("export const SELF_SECTIONS"));
        given().cookies(session).get("/console/assets/corrections.js").then().statusCode(200)
                .contentType(startsWith("text/javascript")).body(containsString("export const CORRECTION_SECTIONS"));
        given().cookies(session).get("/console/assets/inbox.js").then().statusCode(200)
                .contentType(startsWith("text/javascript")).body(containsString("export const INBOX_SECTIONS"));
        given().cookies(session).get("/console/assets/console.css").then().statusCode(200)
                .contentType(startsWith("text/css"));
        given().cookies(session).get("/console/assets/icon.svg").then().statusCode(200)
                .contentType(startsWith("image/svg+xml")).body(startsWith("<svg"));
        given().cookies(session).get("/console/assets/application.properties").then().statusCode(404);
        given().cookies(session).get("/console/assets/..%2Fapplication.properties").then().statusCode(404);
        // Who the user is, from the session's access token: the page shows the sections the roles open.
        given().cookies(session).get("/console/session").then().statusCode(200)
                .body("name", equalTo("张三"))
                .body("subject", equalTo("u-console"))
                .body("roles", equalTo(List.of("operator")))
                .body("competentAuthority", equalTo(false))
                .body("actor", nullValue());
        // Not logged in: nothing of the console, the browser goes to the login page.
        given().redirects().follow(false).get("/console/session").then().statusCode(302)
                .header("Location", containsString("/authorize"));
        given().redirects().follow(false).get("/console/assets/console.js").then().statusCode(302);
    }

    @Test
    void aReviewerOfTheCompetentAuthorityIsToldSoForThePageToOfferDecisions() {
        Map<String, String> session = login(TestUpstream.AUTHORITY_CODE);
        given().cookies(session).get("/console/session").then().statusCode(200)
                .body("roles", equalTo(List.of("reviewer")))
                .body("department", equalTo("11330000002482170X"))
                .body("region", equalTo("330000"))
                .body("competentAuthority", equalTo(true));
    }

    @Test
    void anAgentsSessionNamesBothTheAgentAndThePrincipal() {
        Map<String, String> session = login(TestUpstream.AGENT_CODE);
        given().cookies(session).get("/console/session").then().statusCode(200)
                .body("subject", equalTo("u-enterprise"))
                .body("name", equalTo("杭州某某科技有限公司"))
                .body("accountType", equalTo("legal_person"))
                .body("actor.subject", equalTo("u-agent"))
                .body("actor.name", equalTo("李四"));
        given().cookies(session).get("/console").then().statusCode(200)
                .body(containsString("杭州某某科技有限公司（经办人 李四 代为办理"));
    }

    @Test
    void aBackChannelLogoutEndsTheConsoleSession() {
        Map<String, String> session = login(TestUpstream.BACKCHANNEL_CODE);
        given().cookies(session).redirects().follow(false).get("/console/session").then().statusCode(200);
        String logoutToken = cn.onenet.testsupport.TestTokens.typed(Map.of("sub", "u-console", "aud", "gateway",
                "sid", TestUpstream.BACKCHANNEL_SID, "jti", "logout-1", "events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of())),
                java.time.Duration.ofMinutes(5), cn.onenet.testsupport.TestTokens.LOGOUT_TOKEN);
        given().contentType("application/x-www-form-urlencoded").formParam("logout_token", logoutToken)
                .post("/console/backchannel-logout").then().statusCode(200);
        // The browser's next request finds the session ended: 401 and the session cookie cleared (the page offers
        // the login link), after which the console sends the browser to the login page again.
        Response ended = given().cookies(session).redirects().follow(false).get("/console/session");
        assertEquals(401, ended.statusCode(), ended.asString());
        assertTrue(ended.headers().getValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith("q_session_console") && c.contains("Max-Age=0")),
                ended.headers().getValues("Set-Cookie").toString());
        given().redirects().follow(false).get("/console").then().statusCode(302)
                .header("Location", containsString("/authorize"));
        // a copy of the old cookies stays refused after that first refusal (quarkus-oidc's own record of the logout
        // is used up by it); another session of the same person is not ended
        for (int replay = 0; replay < 2; replay++) {
            given().cookies(session).redirects().follow(false).get("/console/session").then()
                    .statusCode(org.hamcrest.Matchers.not(200));
            given().cookies(session).get("/api/identity/v1/me").then().statusCode(401);
        }
        given().cookies(login("code-after-backchannel")).redirects().follow(false).get("/console/session").then()
                .statusCode(200);
    }

    /** What Chromium sends when the user loads or reloads a page. */
    static io.restassured.specification.RequestSpecification pageLoad(Map<String, String> cookies) {
        return given().redirects().follow(false).cookies(cookies)
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                        + "*/*;q=0.8")
                .header("Sec-Fetch-Mode", "navigate").header("Sec-Fetch-Dest", "document");
    }

    /** What the console's script sends ({@code fetch} with {@code Accept: application/json}). */
    static io.restassured.specification.RequestSpecification scriptCall(Map<String, String> cookies) {
        return given().redirects().follow(false).cookies(cookies).header("Accept", "application/json")
                .header("Sec-Fetch-Mode", "cors").header("Sec-Fetch-Dest", "empty");
    }

    private static void backChannelLogout(String sid, String jti) {
        String logoutToken = cn.onenet.testsupport.TestTokens.typed(Map.of("sub", "u-console", "aud", "gateway",
                "sid", sid, "jti", jti, "events", Map.of("http://schemas.openid.net/event/backchannel-logout",
                        Map.of())), java.time.Duration.ofMinutes(5), cn.onenet.testsupport.TestTokens.LOGOUT_TOKEN);
        given().contentType("application/x-www-form-urlencoded").formParam("logout_token", logoutToken)
                .post("/console/backchannel-logout").then().statusCode(200);
    }

    @Test
    void aPageLoadOfASessionEndedByBackChannelLogoutStartsANewSignIn() {
        // quarkus-oidc refuses the first request of a session identity-service logged out over the back channel
        // (its own record, used up by that request); a browser's page load gets the code flow's redirect from it,
        // not the 401 problem+json it raised as a failure
        Map<String, String> session = login(TestUpstream.SESSION_CODE_PREFIX + "reload");
        pageLoad(session).get("/console").then().statusCode(200).contentType(containsString("text/html"));
        backChannelLogout("sid-reload", "logout-reload");
        Response reload = pageLoad(session).get("/console");
        assertEquals(302, reload.statusCode(), reload.contentType() + " " + reload.asString());
        assertTrue(reload.header("Location").contains("/authorize"), reload.header("Location"));
        assertTrue(reload.headers().getValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith("q_session_console") && c.contains("Max-Age=0")),
                reload.headers().getValues("Set-Cookie").toString());
        // and again, once quarkus-oidc's record is used up (the gateway's own record of the logout refuses it)
        pageLoad(session).get("/console").then().statusCode(302).header("Location", containsString("/authorize"));
        // without Fetch Metadata, an Accept that ranks HTML first is a page load too
        given().redirects().follow(false).cookies(session).header("Accept", "text/html,*/*;q=0.8").get("/console")
                .then().statusCode(302).header("Location", containsString("/authorize"));
    }

    @Test
    void theConsolesScriptGets401ProblemsFromASessionEndedByBackChannelLogout() {
        Map<String, String> session = login(TestUpstream.SESSION_CODE_PREFIX + "script");
        scriptCall(session).get("/console/session").then().statusCode(200);
        backChannelLogout("sid-script", "logout-script");
        scriptCall(session).get("/console/session").then().statusCode(401)
                .contentType("application/problem+json").body("requestId", notNullValue());
        scriptCall(session).get("/api/identity/v1/me").then().statusCode(401)
                .contentType("application/problem+json").body("requestId", notNullValue());
        // the page loaded after that refusal is a new sign-in
        pageLoad(session).get("/console").then().statusCode(302).header("Location", containsString("/authorize"));
    }

    @Test
    void aPageLoadWhoseSignInFailedGetsAPageNotJson() {
        // identity-service sends the browser back with an error (the user declined, the request was refused):
        // quarkus-oidc ends the code flow with 401, which a browser gets as a page linking to a new sign-in
        Declined declined = declined();
        Response callback = pageLoad(declined.cookies()).queryParams(declined.query()).get("/console/callback");
        assertEquals(401, callback.statusCode(), callback.asString());
        assertTrue(callback.contentType().startsWith("text/html"), callback.contentType());
        assertTrue(callback.asString().contains("登录已失效") && callback.asString().contains("href=\"/console\""),
                callback.asString());
        assertTrue(callback.header("X-Request-Id") != null && callback.asString().contains(callback.header(
                "X-Request-Id")), callback.asString());
        assertEquals("no-store", callback.header("Cache-Control"));
        // the same failure of a script's call stays problem+json
        Declined again = declined();
        scriptCall(again.cookies()).queryParams(again.query()).get("/console/callback").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void aPageLoadComingFromTheLoginPageWithoutTheConsolesCookiesGetsAPage() {
        // quarkus-oidc answers an empty 401 rather than redirect a browser back to the login page it came from (a
        // reload of the console after its session cookie was cleared, or cookies the browser dropped)
        String loginPage = given().redirects().follow(false).get("/console").header("Location");
        Response page = pageLoad(Map.of()).header("Referer", loginPage).get("/console");
        assertEquals(401, page.statusCode(), page.asString());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        assertTrue(page.asString().contains("登录已失效") && page.asString().contains("href=\"/console\""),
                page.asString());
        // any other page load: the code flow's redirect
        pageLoad(Map.of()).get("/console").then().statusCode(302).header("Location", containsString("/authorize"));
    }

    /** A code flow started, and identity-service's answer declining it: the state cookie and the callback's query. */
    private record Declined(Map<String, String> cookies, Map<String, String> query) {
    }

    private static Declined declined() {
        Response login = given().redirects().follow(false).get("/console");
        String state = query(URI.create(login.header("Location"))).get("state");
        return new Declined(login.cookies(), Map.of("error", "access_denied", "state", state));
    }

    @Test
    void logoutClearsEveryConsoleCookieAndEndsTheSessionAtIdentity() {
        Map<String, String> session = login("code-logout");
        Response logout = given().cookies(session).redirects().follow(false).get("/console/logout");
        assertEquals(302, logout.statusCode(), logout.asString());
        URI endSession = URI.create(logout.header("Location"));
        assertEquals("/logout", endSession.getPath(), logout.header("Location"));
        assertTrue(query(endSession).get("post_logout_redirect_uri").endsWith("/console/"), endSession.toString());
        List<String> cleared = logout.headers().getValues("Set-Cookie");
        // the session cookie and, split off it, the access and refresh token cookies
        List<String> sessionCookies = session.keySet().stream().filter(n -> n.startsWith("q_session")).toList();
        assertEquals(3, sessionCookies.size(), session.keySet().toString());
        for (String name : sessionCookies) {
            assertTrue(cleared.stream().anyMatch(c -> c.startsWith(name + "=") && c.contains("Max-Age=0")),
                    name + " is not cleared: " + cleared);
        }
    }

    @Test
    void thePostLogoutCookieIsSameSiteLaxAndProtectedLikeTheSession() {
        Map<String, String> session = login("code-post-logout");
        Response logout = given().cookies(session).redirects().follow(false).get("/console/logout");
        assertEquals(302, logout.statusCode(), logout.asString());
        List<String> cookies = logout.headers().getValues("Set-Cookie");
        String postLogout = cookies.stream().filter(c -> c.startsWith("q_post_logout_console=")).findFirst()
                .orElseThrow(() -> new AssertionError("no post-logout cookie: " + cookies));
        assertTrue(postLogout.contains("SameSite=Lax"), postLogout);
        assertTrue(postLogout.toLowerCase().contains("httponly"), postLogout);
        // Secure exactly when the session cookie is (forced outside demo/dev/test)
        Response relogin = given().redirects().follow(false).get("/console");
        String state = relogin.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("q_auth_console"))
                .findFirst().orElseThrow();
        assertEquals(state.contains("Secure"), postLogout.contains("Secure"), state + " / " + postLogout);
    }

    @Test
    void aCopyOfTheSessionCookieIsRefusedOnceTheSessionLoggedOut() {
        Map<String, String> session = login("code-copied");
        Map<String, String> copy = new HashMap<>(session);
        Map<String, String> other = login("code-other-device");
        given().cookies(copy).redirects().follow(false).get("/console/session").then().statusCode(200);
        given().cookies(session).redirects().follow(false).get("/console/logout").then().statusCode(302)
                .header("Location", containsString("/logout"));
        // identity-service's back-channel logout has not come (the browser did not follow the redirect): the copy
        // is refused at once all the same, on the console's pages and on API calls
        Response page = given().cookies(copy).redirects().follow(false).get("/console");
        assertEquals(302, page.statusCode(), page.asString());
        assertTrue(page.header("Location").contains("/authorize"), page.header("Location"));
        Response xhr = given().cookies(copy).redirects().follow(false).get("/console/session");
        assertTrue(xhr.statusCode() == 302 || xhr.statusCode() == 401, "session accepted: " + xhr.statusCode());
        given().cookies(copy).get("/api/identity/v1/me").then().statusCode(401)
                .contentType("application/problem+json").body("requestId", notNullValue());
        // and again: not a one-time refusal
        given().cookies(copy).redirects().follow(false).get("/console/session").then()
                .statusCode(org.hamcrest.Matchers.not(200));
        // another session of the same user goes on
        given().cookies(other).redirects().follow(false).get("/console/session").then().statusCode(200);
        given().cookies(other).get("/api/identity/v1/me").then().statusCode(200);
    }

    @Test
    void aSessionChangesDataOnlyFromTheConsolesOwnPages() {
        Map<String, String> session = login("code-csrf");
        String self = "http://localhost:" + io.restassured.RestAssured.port;
        // A cross-site form or script carrying the session cookie is refused before it reaches a service.
        Response foreign = given().cookies(session).header("Origin", "https://evil.example")
                .contentType("application/json").body("{}").post("/api/identity/v1/me/totp");
        foreign.then().statusCode(403).contentType("application/problem+json")
                .body("origin", equalTo("https://evil.example"))
                .body("requestId", notNullValue());
        // Browsers that omit Origin still say where the call comes from.
        given().cookies(session).header("Sec-Fetch-Site", "cross-site").contentType("application/json").body("{}")
                .post("/api/identity/v1/me/totp").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("same-origin"))
                .body("requestId", notNullValue());
        given().cookies(session).header("Sec-Fetch-Site", "same-site").contentType("application/json").body("{}")
                .put("/api/catalog/v1/entries/1").then().statusCode(403);
        // Without any origin information (not a browser page of ours) a session may still read, not write.
        given().cookies(session).contentType("application/json").body("{}").delete("/api/identity/v1/me/totp")
                .then().statusCode(403);
        given().cookies(session).get("/api/identity/v1/me").then().statusCode(200);
        // The console's own pages: same origin, the call goes upstream with the relayed token.
        given().cookies(session).header("Origin", self).contentType("application/json").body("{}")
                .post("/api/identity/v1/me/totp").then().statusCode(200)
                .body("method", equalTo("POST"))
                .body("headers.authorization", startsWith("Bearer ey"));
        given().cookies(session).header("Sec-Fetch-Site", "same-origin").header("Origin", self)
                .contentType("application/json").body("{}").put("/api/catalog/v1/entries/1").then().statusCode(200);
    }

    @Test
    void aConsolePathThatNormalisesToAnApiIsAnApiCallAndItsAuthorizationIsChecked() throws Exception {
        Map<String, String> session = login("code-dotdot");
        String cookies = session.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(java.util.stream.Collectors.joining("; "));
        for (String path : List.of("/console/../api/identity/v1/me", "/console/%2e%2e/api/identity/v1/me",
                "/console/%2E%2E/api/identity/v1/me")) {
            // The router and the permissions see /api/identity/v1/me: the bearer token is the credential, and an
            // unverified one is refused, session cookie or not.
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head("GET " + path + " HTTP/1.1", "Host: localhost:" + gateway.getPort(), "Cookie: " + cookies,
                        "Authorization: Bearer not-a-token-of-identity-service", "Connection: close");
                RawHttp.Answer answer = http.read();
                assertEquals(401, answer.status(), path + ": " + answer.body());
                assertTrue(!answer.body().contains("not-a-token"), answer.body());
            }
            // Authenticated by the session, the call is still not forwarded with the dot segments the edge removed
            // before deciding: the upstream would resolve them itself.
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head("GET " + path + " HTTP/1.1", "Host: localhost:" + gateway.getPort(), "Cookie: " + cookies,
                        "Connection: close");
                RawHttp.Answer answer = http.read();
                assertEquals(400, answer.status(), path + ": " + answer.body());
                assertTrue(answer.body().contains("\"field\":\"path\""), answer.body());
                assertTrue(!answer.body().contains("authorization"), answer.body());
            }
        }
        // the same call in normal form is relayed with the session's access token
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("GET /api/identity/v1/me HTTP/1.1", "Host: localhost:" + gateway.getPort(),
                    "Cookie: " + cookies, "Connection: close");
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            assertTrue(answer.body().contains("\"authorization\":\"Bearer ey"), answer.body());
        }
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
    /** A console session after the code flow with this code at the test token endpoint: its cookies. */
    static Map<String, String> login(String code) {
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
