package cn.onenet.gateway.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

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
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger("cn.onenet.gateway.client.RouteInterceptor");
        Handler capture = capturing(logger, lines);
        try {
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
            long deadline = System.currentTimeMillis() + 5_000;
            while (lines.stream().noneMatch(l -> l.contains("upstream request")) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            logger.removeHandler(capture);
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
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger("gateway.access");
        Handler capture = capturing(logger, lines);
        String token = TestTokens.departmentClient("access-log-client", "11330000002482170X", "onenet-catalog",
                "operator");
        try {
            io.restassured.RestAssured.given().urlEncodingEnabled(false).auth().oauth2(token)
                    .cookie("session", "cookie-secret-0815")
                    .get("/api/catalog/v1/entries?access_token=query-secret-4711").then().statusCode(200);
            // a client that puts its token in a path parameter, as servlet containers once did with jsessionid
            io.restassured.RestAssured.given().urlEncodingEnabled(false).auth().oauth2(token)
                    .get("/api/catalog/v1/entries;access_token=matrix-secret-2342/x").then().statusCode(400);
            long deadline = System.currentTimeMillis() + 5_000;
            while (lines.stream().filter(l -> l.contains("access-log-client")).count() < 2
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            logger.removeHandler(capture);
        }
        List<String> mine = lines.stream().filter(l -> l.contains("access-log-client")).toList();
        assertEquals(2, mine.size(), lines.toString());
        assertTrue(mine.get(1).contains("\"path\":\"/api/catalog/v1/entries/x\""), mine.get(1));
        for (String logged : mine) {
            assertFalse(logged.contains("secret") || logged.contains(token), logged);
        }
    }

    /** Adds to the logger a handler that keeps each formatted message; the caller removes it. */
    private static Handler capturing(Logger logger, List<String> lines) {
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
        return capture;
    }
}
