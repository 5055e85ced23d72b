package cn.onenet.gateway.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class RoutingTest {

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL gateway;

    static String catalogToken(String client) {
        return TestTokens.departmentClient(client, "11330000002482170X", "onenet-catalog", "operator");
    }

    @Test
    void routesApiPathUnchangedWithRequestIdAndBearerToken() {
        String token = catalogToken("routing-client");
        Response response = given().auth().oauth2(token).header("X-Request-Id", "req-routing-1")
                .get("/api/catalog/v1/entries?q=hukou&page=2");
        response.then().statusCode(200)
                .header("X-Request-Id", "req-routing-1")
                .body("uri", equalTo("/api/catalog/v1/entries?q=hukou&page=2"))
                .body("headers.x-request-id", equalTo("req-routing-1"))
                .body("headers.authorization", equalTo("Bearer " + token))
                .body("headers.host", equalTo("127.0.0.1:" + UpstreamsResource.main.port()));
    }

    /** The services echo the request id the gateway sent them; the client still gets one X-Request-Id line. */
    @Test
    void theAnswerCarriesOneRequestId() throws Exception {
        try (RawHttp http = new RawHttp(gateway, 10_000)) {
            http.head("GET /api/catalog/v1/entries HTTP/1.1", "Host: localhost", "X-Request-Id: req-once-1",
                    "Authorization: Bearer " + catalogToken("request-id-once-client"));
            RawHttp.Answer answer = http.read();
            assertEquals(200, answer.status(), answer.body());
            assertEquals("req-once-1", new JsonObject(answer.body()).getJsonObject("headers").getString("x-request-id"));
            assertEquals(java.util.List.of("req-once-1"), answer.headers().get("x-request-id"));
        }
    }

    static final String CALLER_TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
    static final String CALLER_TRACEPARENT = "00-" + CALLER_TRACE_ID + "-" + CALLER_SPAN_ID + "-01";
    static final String CALLER_TRACESTATE = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
    static final String CALLER_BAGGAGE = "department=11330000002482170X";

    /** Sends the caller's trace context; the upstream's echo of the field lines it received. */
    static JsonObject tracedCallLines() {
        return new JsonObject(given().auth().oauth2(catalogToken("trace-client"))
                .header("traceparent", CALLER_TRACEPARENT).header("tracestate", CALLER_TRACESTATE)
                .header("baggage", CALLER_BAGGAGE)
                .get("/api/catalog/v1/entries").then().statusCode(200).extract().asString())
                .getJsonObject("headerLines");
    }

    /** The one line of a field the upstream received (W3C Trace Context: exactly one traceparent). */
    static String onlyLine(JsonObject lines, String name) {
        JsonArray values = lines.getJsonArray(name);
        assertNotNull(values, name + " reaches the upstream");
        assertEquals(1, values.size(), "exactly one " + name + " line upstream: " + values);
        return values.getString(0);
    }

    @Test
    void upstreamCallJoinsTheCallersTrace() {
        JsonObject lines = tracedCallLines();
        // Same trace id, a new parent span (the gateway's), so the service's spans hang under the gateway's; the
        // caller's own traceparent is not sent alongside it.
        String traceparent = onlyLine(lines, "traceparent");
        Matcher parts = TRACEPARENT.matcher(traceparent);
        assertTrue(parts.matches(), "one version-00 traceparent value: " + traceparent);
        assertEquals(CALLER_TRACE_ID, parts.group(1), "the caller's trace");
        assertNotEquals(CALLER_SPAN_ID, parts.group(2), "the gateway's span is the parent, not the caller's");
        assertEquals(CALLER_TRACESTATE, onlyLine(lines, "tracestate"), "tracestate carried once, unchanged");
        assertEquals(CALLER_BAGGAGE, onlyLine(lines, "baggage"), "baggage carried once, unchanged");
    }

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");

    @Test
    void spoofedForwardingHeadersAreReplaced() {
        given().auth().oauth2(catalogToken("forwarding-client"))
                .header("X-Forwarded-For", "6.6.6.6")
                .header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "https")
                .header("X-Real-IP", "6.6.6.6")
                .header("Forwarded", "for=6.6.6.6;host=evil.example")
                .get("/api/catalog/v1/entries")
                .then().statusCode(200)
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                .body("headers.x-forwarded-proto", equalTo("http"))
                .body("headers.x-forwarded-host", not(containsString("evil")))
                .body("headers.forwarded", containsString("for=127.0.0.1;proto=http"))
                .body("headers.forwarded", not(containsString("6.6.6.6")))
                .body("headers.x-real-ip", nullValue());
    }

    /**
     * The services' HTTP layer (Quarkus) believes more of the forwarding family than the gateway sets: X-Forwarded-Ssl
     * "on" makes a request https whatever X-Forwarded-Proto says. None of a client's own may reach them.
     */
    @Test
    void noForwardingHeaderOfTheClientsReachesTheServices() {
        JsonObject headers = new JsonObject(given().auth().oauth2(catalogToken("forwarding-family-client"))
                .header("X-Forwarded-Ssl", "on")
                .header("X-Forwarded-Scheme", "https")
                .header("X-Forwarded-Port", "443")
                .header("X-Forwarded-Prefix", "/evil")
                .header("X-Forwarded-Server", "evil.example")
                .header("X-Forwarded-Trusted-Proxy", "true")
                .header("X-Forwarded-Uri", "/api/identity/v1/accounts")
                .header("X-Original-Forwarded-For", "6.6.6.6")
                .header("True-Client-IP", "6.6.6.6")
                .header("X-Cluster-Client-IP", "6.6.6.6")
                .header("X-Client-IP", "6.6.6.6")
                .get("/api/catalog/v1/entries")
                .then().statusCode(200).extract().asString()).getJsonObject("headers");
        for (String name : new String[] { "x-forwarded-ssl", "x-forwarded-scheme", "x-forwarded-port",
                "x-forwarded-prefix", "x-forwarded-server", "x-forwarded-trusted-proxy", "x-forwarded-uri",
                "x-original-forwarded-for", "true-client-ip", "x-cluster-client-ip", "x-client-ip" }) {
            assertTrue(!headers.containsKey(name), name + " reached the upstream: " + headers);
        }
        assertEquals("http", headers.getString("x-forwarded-proto"));
        assertEquals("127.0.0.1", headers.getString("x-forwarded-for"));
    }

    @Test
    void hopByHopHeadersAreStrippedBothWays() {
        given().auth().oauth2(catalogToken("hop-client"))
                .header("Connection", "X-Client-Hop")
                .header("X-Client-Hop", "secret")
                .header("Proxy-Authorization", "Basic Zm9vOmJhcg==")
                .header("Cookie", "q_session=abc")
                .get("/api/catalog/v1/entries")
                .then().statusCode(200)
                .body("headers.x-client-hop", nullValue())
                .body("headers.proxy-authorization", nullValue())
                .body("headers.cookie", nullValue())
                .header("X-Upstream-Hop", nullValue())
                .header("X-Upstream-End", "kept");
    }

    /** The fields a client names in Connection are its own hop-by-hop ones, never the headers the gateway sets. */
    private static final String NAMING_GATEWAY_HEADERS = "close, X-Forwarded-For, Forwarded, X-Request-Id, "
            + "Authorization, X-Custom";

    @Test
    void connectionCannotRemoveTheGatewaysHeaders() {
        String token = catalogToken("connection-client");
        given().auth().oauth2(token).header("X-Request-Id", "req-connection-1")
                .header("Connection", NAMING_GATEWAY_HEADERS).header("X-Custom", "1")
                .header("X-Forwarded-For", "6.6.6.6")
                .get("/api/catalog/v1/entries")
                .then().statusCode(200)
                .header("X-Request-Id", "req-connection-1")
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                .body("headers.forwarded", containsString("for=127.0.0.1;proto=http"))
                .body("headers.x-request-id", equalTo("req-connection-1"))
                .body("headers.authorization", equalTo("Bearer " + token))
                .body("headers.x-custom", nullValue())
                .body("headers.connection", nullValue());
    }

    @Test
    void connectionCannotHideTheCallersAddressFromTheLoginPages() {
        // identity-service believes X-Forwarded-For from the gateway only: its per-address login throttle and audit.
        given().header("X-Request-Id", "req-login-1").header("Connection", NAMING_GATEWAY_HEADERS)
                .header("X-Custom", "1").contentType("application/x-www-form-urlencoded")
                .body("username=zhangsan&password=x")
                .post("/oidc/login")
                .then().statusCode(200)
                .body("method", equalTo("POST"))
                .body("headers.x-forwarded-for", equalTo("127.0.0.1"))
                .body("headers.forwarded", containsString("for=127.0.0.1;proto=http"))
                .body("headers.x-request-id", equalTo("req-login-1"))
                .body("headers.x-custom", nullValue())
                .body("bodyBytes", equalTo("username=zhangsan&password=x".length()));
    }

    @Test
    void oidcEndpointsArePublicAndKeepCookies() {
        given().cookie("idp_session", "s1").get("/oidc/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("uri", equalTo("/oidc/.well-known/openid-configuration"))
                .body("headers.cookie", containsString("idp_session=s1"));
    }

    @Test
    void theIssuersOAuthMetadataIsPublicAtItsRfc8414Path() {
        given().get("/.well-known/oauth-authorization-server/oidc")
                .then().statusCode(200)
                .body("method", equalTo("GET"))
                .body("uri", equalTo("/.well-known/oauth-authorization-server/oidc"))
                .body("headers.authorization", nullValue());
        // only the issuer's own metadata: other paths under /.well-known are not routed
        given().get("/.well-known/oauth-authorization-server/other").then().statusCode(404);
    }

    @Test
    void theRegistrationAndRecoveryPagesReachIdentityWithoutAToken() {
        // linked from the login page: whoever registers or recovers has no session yet
        for (String page : new String[] {"/oidc/register", "/oidc/register/confirm?token=t-1", "/oidc/recover",
            "/oidc/recover/reset?token=t-2"}) {
            given().get(page).then().statusCode(200).body("method", equalTo("GET")).body("uri", equalTo(page))
                    .body("headers.authorization", nullValue());
        }
        given().cookie("onenet_register_csrf", "c1").contentType("application/x-www-form-urlencoded")
                .body("csrf=c1&idNumber=x").post("/oidc/register").then().statusCode(200)
                .body("method", equalTo("POST")).body("headers.cookie", equalTo("onenet_register_csrf=c1"));
        given().contentType("application/x-www-form-urlencoded").body("csrf=c1&token=t-1")
                .post("/oidc/register/confirm").then().statusCode(200).body("uri", equalTo("/oidc/register/confirm"));
    }

    @Test
    void theConsolesOwnCookiesStayAtTheGateway() {
        // A browser signed in to the console sends its session, token and state cookies (path /) to the login
        // pages too: identity-service gets only its own.
        given().header("Cookie", "q_session_console=enc-id; idp_session=s1; q_session_at_console=enc-at")
                .header("Cookie", "q_session_rt_console=enc-rt; q_auth_console_4f2a=state; onenet_csrf=c1")
                .header("Cookie", "q_session_console_chunk_1=part; q_post_logout_console=x")
                .get("/oidc/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("headers.cookie", equalTo("idp_session=s1; onenet_csrf=c1"));
        given().header("Cookie", "q_session_console=enc-id; q_auth_console=state")
                .get("/oidc/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("headers.cookie", nullValue());
    }

    @Test
    void eachServiceContractIsServedUnderItsApi() {
        given().get("/api/exchange/openapi?format=json").then().statusCode(200)
                .body("uri", equalTo("/q/openapi?format=json"));
        given().get("/api").then().statusCode(200)
                .body("exchange.openapi", equalTo("/api/exchange/openapi"));
    }

    @Test
    void largeResponsesStreamThrough() {
        int size = 8 * 1024 * 1024;
        byte[] body = given().auth().oauth2(catalogToken("stream-client"))
                .get("/api/catalog/v1/export/big?bytes=" + size)
                .then().statusCode(200).header("Transfer-Encoding", "chunked")
                .extract().asByteArray();
        assertEquals(size, body.length);
    }

    @Test
    void bodiesReachTheUpstream() {
        given().auth().oauth2(catalogToken("body-client")).contentType("application/json")
                .body("{\"name\":\"户籍人口\"}")
                .post("/api/catalog/v1/entries")
                .then().statusCode(200)
                .body("method", equalTo("POST"))
                .body("bodyBytes", equalTo("{\"name\":\"户籍人口\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
    }

    @Test
    void theUpstreamsDateReachesTheClientAsTheProxyFormatsIt() {
        String token = catalogToken("date-client");
        // Twice: the second answer comes from the value remembered for the first.
        for (int i = 0; i < 2; i++) {
            given().auth().oauth2(token).queryParam("date", "Sun, 06 Nov 1994 08:49:37 GMT")
                    .get("/api/catalog/v1/entries").then().statusCode(200)
                    .header("Date", "Sun, 6 Nov 1994 08:49:37 GMT");
        }
        // Unparseable: the gateway's own clock, never the upstream's text.
        String own = given().auth().oauth2(token).queryParam("date", "yesterday")
                .get("/api/catalog/v1/entries").then().statusCode(200).extract().header("Date");
        assertNotEquals("yesterday", own);
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.parse(own);
        assertNotEquals("Sun, 6 Nov 1994 08:49:37 GMT", own);
    }

    @Test
    void securityHeadersOnEveryAnswer() {
        given().auth().oauth2(catalogToken("headers-client")).get("/api/catalog/v1/entries")
                .then().statusCode(200)
                .header("Strict-Transport-Security", containsString("max-age="))
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Request-Id", notNullValue());
    }
}
