package cn.onenet.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The sweep against a small server that keeps the rules on one operation and breaks them on others. */
class BadInputSweepTest {

    private static final String DOCUMENT = """
            {"openapi": "3.0.3", "paths": {
              "/good/{id}": {"post": {
                "parameters": [{"name": "id", "in": "path", "required": true,
                                "schema": {"type": "integer", "format": "int64"}}],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body"}}}},
                "security": [{"SecurityScheme": ["admin"]}]}},
              "/leaky/{id}": {"get": {
                "parameters": [{"name": "id", "in": "path", "required": true,
                                "schema": {"type": "integer", "format": "int64"}}],
                "security": [{"SecurityScheme": ["admin"]}]}},
              "/lenient": {"post": {
                "requestBody": {"required": true,
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body"}}}}}},
              "/open-by-mistake": {"get": {"security": [{"SecurityScheme": ["operator"]}]}},
              "/public": {"get": {"parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}]}}
            },
            "components": {"schemas": {"Body": {"type": "object", "properties": {"name": {"type": "string"}}}}}}
            """;

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/openapi", ex -> send(ex, 200, "application/json", DOCUMENT));
        server.createContext("/good/", ex -> {
            if (refused(ex, "admin")) {
                return;
            }
            ex.getRequestBody().readAllBytes();
            problem(ex, 400);
        });
        server.createContext("/leaky/", ex -> {
            if (refused(ex, "admin")) {
                return;
            }
            String id = ex.getRequestURI().getPath().substring("/leaky/".length());
            if (id.chars().allMatch(Character::isDigit) && id.length() < 19) {
                problem(ex, 404);
            } else {
                send(ex, 500, "text/plain",
                        "java.lang.NumberFormatException: " + id + "\n\tat java.lang.Long.parseLong(Long.java:1)");
            }
        });
        server.createContext("/lenient", ex -> {
            ex.getRequestBody().readAllBytes();
            send(ex, 201, "application/json", "{}");
        });
        server.createContext("/open-by-mistake", ex -> send(ex, 200, "application/json", "{}"));
        server.createContext("/public", ex -> {
            String query = ex.getRequestURI().getRawQuery();
            if (query != null && query.length() > 1_000) {
                send(ex, 414, "text/html", "<h1>too long</h1>");
            } else {
                send(ex, 200, "application/json", "[]");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void reportsEachBrokenRuleAndNothingElse() {
        BadInputSweep sweep = BadInputSweep.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "/openapi").tokens(roles -> "roles:" + String.join(",", roles));
        List<String> findings = sweep.refuseBlankLooking(op -> op.equals("POST /lenient")).run();

        assertTrue(findings.stream().noneMatch(f -> f.contains("/good/")), () -> String.join("\n", findings));
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("server error: GET /leaky/abc [path id=abc] → 500")),
                () -> String.join("\n", findings));
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("leaks internals: GET /leaky/abc")),
                () -> String.join("\n", findings));
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("expected 401: GET /open-by-mistake [no token] → 200")),
                () -> String.join("\n", findings));
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("expected 403: GET /open-by-mistake [roles [admin]]")),
                () -> String.join("\n", findings));
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("not problem+json: GET /public?q=xxx")),
                () -> String.join("\n", findings));
        for (String variant : List.of("body not JSON", "body empty", "body null", "body wrong types",
                "body NUL characters", "body as text/plain")) {
            assertTrue(findings.stream().anyMatch(f -> f.startsWith("accepted: POST /lenient [" + variant + "]")),
                    () -> variant + "\n" + String.join("\n", findings));
        }
        // a name made of a no-break space or a zero-width space only, taken
        for (String variant : List.of("body NBSP-only texts", "body ZWSP-only texts")) {
            assertTrue(findings.stream().anyMatch(f -> f.startsWith("accepted: POST /lenient [" + variant + "]")),
                    () -> variant + "\n" + String.join("\n", findings));
        }
        assertTrue(findings.stream().noneMatch(f -> f.startsWith("accepted: POST /lenient [body {}]")),
                () -> String.join("\n", findings));
        assertEquals(0, findings.stream().filter(f -> f.contains("/leaky/987654321")).count(),
                () -> String.join("\n", findings));
        assertTrue(sweep.requests() > 40, "requests sent: " + sweep.requests());
        AssertionError failure = assertThrows(AssertionError.class, sweep::assertNoFindings);
        assertTrue(failure.getMessage().contains("server error: GET /leaky/abc"), failure.getMessage());
    }

    @Test
    void otherErrorFormatsAndSkippedOperationsAreLeftOut() {
        List<String> findings = BadInputSweep.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                "/openapi").tokens(roles -> "roles:" + String.join(",", roles))
                .otherErrorFormat(path -> path.equals("/public"))
                .skip(op -> op.startsWith("GET /leaky") || op.startsWith("GET /open-by-mistake")
                        || op.startsWith("POST /lenient"))
                .run();
        assertEquals(List.of(), findings);
    }

    /** Answers 401 without a token and 403 without the role, as problem+json; false when the caller may go on. */
    private static boolean refused(HttpExchange ex, String role) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
            problem(ex, 401);
            return true;
        }
        if (!List.of(auth.substring("Bearer roles:".length()).split(",")).contains(role)) {
            problem(ex, 403);
            return true;
        }
        return false;
    }

    private static void problem(HttpExchange ex, int status) throws IOException {
        send(ex, status, "application/problem+json", "{\"status\": " + status + ", \"requestId\": \"r-1\"}");
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
