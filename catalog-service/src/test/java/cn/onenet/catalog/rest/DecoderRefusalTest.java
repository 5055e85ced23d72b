package cn.onenet.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What the HTTP decoder refuses before any resource runs (a request line over 8192 bytes, header lines over 32K, a
 * malformed request line) is problem+json with the request id, as every other error; a search of several hundred
 * Chinese characters, percent-encoded, still reaches the resource, which names {@code q}.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class DecoderRefusalTest {

    @TestHTTPResource("/")
    URL base;

    @Test
    void aRequestLineOverTheLimitIsA414ProblemNamingTheLimit() throws IOException {
        aSearchStillWorks();
        String answer = send("GET /api/catalog/v1/entries/" + "1".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Request-Id: refused-line-1\r\n\r\n");
        assertEquals(414, status(answer), answer);
        JsonNode problem = problem(answer);
        assertEquals("urn:onenet:problem:uri-too-long", problem.get("type").asText());
        assertEquals(8192, problem.get("maxRequestLineBytes").asInt());
        assertTrue(problem.get("detail").asText().contains("8192"), answer);
        // the request line was not read, nor the header lines after it: the id is made
        assertNotNull(header(answer, "x-request-id"), answer);
        assertEquals(header(answer, "x-request-id"), problem.get("requestId").asText());
        assertEquals("close", header(answer, "connection"));
        aSearchStillWorks();
    }

    @Test
    void headerLinesOverTheLimitAreA431Problem() throws IOException {
        aSearchStillWorks();
        String answer = send("GET /api/catalog/v1/search HTTP/1.1\r\nHost: localhost\r\nX-Request-Id: refused-head-1"
                + "\r\nAccept: */*\r\nX-Big: " + "b".repeat(40_000) + "\r\n\r\n");
        assertEquals(431, status(answer), answer);
        JsonNode problem = problem(answer);
        assertEquals("urn:onenet:problem:headers-too-large", problem.get("type").asText());
        assertEquals(32 * 1024, problem.get("maxHeaderBytes").asInt());
        assertEquals("refused-head-1", header(answer, "x-request-id"));
        assertEquals("refused-head-1", problem.get("requestId").asText());
        aSearchStillWorks();
    }

    @Test
    void aMalformedRequestLineIsA400Problem() throws IOException {
        aSearchStillWorks();
        String answer = send("GET /api/catalog/v1/search HTTP/1.1 x\r\nHost: localhost\r\n\r\n");
        assertEquals(400, status(answer), answer);
        assertEquals("urn:onenet:problem:bad-request", problem(answer).get("type").asText());
        assertNotNull(problem(answer).get("requestId"));
        aSearchStillWorks();
    }

    @Test
    void aSearchOfSeveralHundredChineseCharactersReachesTheResource() {
        // 800 characters, 7200 bytes percent-encoded: over the former 4096-byte limit, within 8192
        String q = "户籍人口信息".repeat(134).substring(0, 800);
        String target = "/api/catalog/v1/search?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8);
        assertTrue(target.length() > 7000 && target.length() < 8100, "length " + target.length());
        given().urlEncodingEnabled(false).get(target).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("q"));
        String shorter = URLEncoder.encode(q.substring(0, 200), StandardCharsets.UTF_8);
        given().urlEncodingEnabled(false).get("/api/catalog/v1/search?q=" + shorter).then().statusCode(200);
    }

    /** Also before a refusal: the handler is set once the HTTP server listens, just after start-up. */
    private void aSearchStillWorks() {
        given().get("/api/catalog/v1/search?q=户籍").then().statusCode(200);
    }

    /** Writes the request and reads until the server closes the connection, which a refusal must do. */
    private String send(String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the server may answer and close before it has read all of an over-long request
            }
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    private static String header(String answer, String name) {
        for (String line : answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static JsonNode problem(String answer) throws IOException {
        assertEquals("application/problem+json", header(answer, "content-type"), answer);
        return new ObjectMapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
    }
}
