package cn.onenet.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.Test;

import cn.onenet.gateway.support.LogCapture;
import cn.onenet.gateway.support.RawHttp;
import cn.onenet.gateway.support.UpstreamsResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(UpstreamsResource.class)
@QuarkusTestResource(TestOidcResource.class)
class UpstreamErrorLogTest {

    @TestHTTPResource("/")
    URL gateway;

    @Test
    void aFailedUpstreamRequestIsLoggedWithoutItsQueryString() throws Exception {
        List<String> lines;
        try (LogCapture log = new LogCapture("cn.onenet.gateway.client.RouteInterceptor")) {
            // An upstream that drops the connection while the body is on its way; the query string is like the
            // recovery page's reset link or an account search by name.
            try (RawHttp http = new RawHttp(gateway, 10_000)) {
                http.head("POST /api/slow/v1/recover/hangup?token=reset-secret-4711&q=%E5%BC%A0%E4%B8%89 HTTP/1.1",
                        "Host: localhost", "Authorization: Bearer " + TestTokens.departmentClient("log-client",
                                "11330000002482170X", "onenet-catalog", "operator"),
                        "Content-Type: application/octet-stream", "Content-Length: 100");
                http.write(new byte[10]);
                assertEquals(502, http.read().status());
            }
            log.await(l -> l.contains("upstream request"), 1);
            lines = List.copyOf(log.lines());
        }
        String line = lines.stream().filter(l -> l.contains("upstream request")).findFirst().orElse(null);
        assertTrue(line != null, "the failure is logged: " + lines);
        assertTrue(line.contains("route slow") && line.contains("POST /api/slow/v1/recover/hangup"), line);
        assertTrue(line.contains("Exception"), line);
        for (String logged : lines) {
            assertFalse(logged.contains("reset-secret") || logged.contains("%E5") || logged.contains("?"), logged);
        }
    }

    @Test
    void theAccessLogHasNoTokenFromTheQueryStringCookiesOrMatrixParameters() throws Exception {
        String token = TestTokens.departmentClient("access-log-client", "11330000002482170X", "onenet-catalog",
                "operator");
        List<String> mine;
        try (LogCapture log = new LogCapture("gateway.access")) {
            io.restassured.RestAssured.given().urlEncodingEnabled(false).auth().oauth2(token)
                    .cookie("session", "cookie-secret-0815")
                    .get("/api/catalog/v1/entries?access_token=query-secret-4711").then().statusCode(200);
            // a client that puts its token in a path parameter, as servlet containers once did with jsessionid
            io.restassured.RestAssured.given().urlEncodingEnabled(false).auth().oauth2(token)
                    .get("/api/catalog/v1/entries;access_token=matrix-secret-2342/x").then().statusCode(400);
            mine = log.await(l -> l.contains("access-log-client"), 2);
        }
        assertEquals(2, mine.size(), mine.toString());
        assertTrue(mine.get(1).contains("\"path\":\"/api/catalog/v1/entries/x\""), mine.get(1));
        for (String logged : mine) {
            assertFalse(logged.contains("secret") || logged.contains(token), logged);
        }
    }
}
