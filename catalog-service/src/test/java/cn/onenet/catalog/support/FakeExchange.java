package cn.onenet.catalog.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.config.ConfigProvider;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;

/**
 * Stands in for the exchange's active-grants call (docs/catalog-exchange-contract.md §2), for the token endpoint
 * the oidc-client uses and for identity-service's department register ({@code /api/identity/v1/departments/{code}},
 * the test departments of {@link Fixtures} and the deactivated {@link Fixtures#DISSOLVED}), on a random port of
 * 127.0.0.1. Tests set answers through {@code /control/...}.
 */
public class FakeExchange implements QuarkusTestResourceLifecycleManager {

    private HttpServer server;
    private final Map<String, Integer> grants = new ConcurrentHashMap<>();
    /** Departments a test adds to the register, by code: their names. */
    private final Map<String, String> registered = new ConcurrentHashMap<>();
    private volatile boolean down;
    private volatile boolean registerDown;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/token", this::token);
        server.createContext("/api/exchange/v1/catalog-entries/", this::activeGrants);
        server.createContext("/api/identity/v1/departments/", this::department);
        server.createContext("/api/identity/v1/regions", this::regions);
        server.createContext("/control/", this::control);
        server.start();
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        return Map.of("quarkus.rest-client.exchange.url", base, "quarkus.rest-client.identity.url", base,
                "quarkus.oidc-client.auth-server-url", base,
                "quarkus.oidc-client.token-path", "/token",
                "quarkus.oidc-client.credentials.secret", "test-secret",
                "test.fake-exchange.url", base);
    }

    private void token(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!body.contains("grant_type=client_credentials")) {
            send(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        String token = TestTokens.departmentClient("catalog-service", "113300000024810109", "onenet-exchange",
                "system");
        send(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    }

    private void activeGrants(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            send(ex, 401, "{}");
            return;
        }
        if (down) {
            send(ex, 503, "{}");
            return;
        }
        String raw = ex.getRequestURI().getRawPath();
        String encoded = raw.substring("/api/exchange/v1/catalog-entries/".length(), raw.lastIndexOf("/active-grants"));
        String code = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        send(ex, 200, "{\"resourceCode\":\"" + code + "\",\"activeGrants\":" + grants.getOrDefault(code, 0) + "}");
    }

    /** identity-service's region register (the regions of the test departments; 330300 is left out). */
    private void regions(HttpExchange ex) throws IOException {
        send(ex, 200, "[{\"code\":\"330000\",\"name\":\"浙江省\",\"level\":\"PROVINCE\",\"parentCode\":null},"
                + "{\"code\":\"330100\",\"name\":\"杭州市\",\"level\":\"CITY\",\"parentCode\":\"330000\"},"
                + "{\"code\":\"330106\",\"name\":\"西湖区\",\"level\":\"COUNTY\",\"parentCode\":\"330100\"},"
                + "{\"code\":\"330200\",\"name\":\"宁波市\",\"level\":\"CITY\",\"parentCode\":\"330000\"}]");
    }

    /** identity-service's answer for one department: its view, or 404 problem+json when none has the code. */
    private void department(HttpExchange ex) throws IOException {
        if (registerDown) {
            send(ex, 503, "{}");
            return;
        }
        String code = ex.getRequestURI().getPath().substring("/api/identity/v1/departments/".length());
        String name = registered.containsKey(code) ? registered.get(code) : Fixtures.departmentName(code);
        if (name == null) {
            send(ex, 404, "{\"type\":\"urn:onenet:problem:not-found\",\"status\":404}");
            return;
        }
        String json = name.replace("\\", "\\\\").replace("\"", "\\\"");
        send(ex, 200, "{\"code\":\"" + code + "\",\"name\":\"" + json + "\",\"nameEn\":null,\"regionCode\":\""
                + Fixtures.regionOf(code) + "\",\"parentCode\":null,\"level\":\"PROVINCE\",\"kind\":"
                + "\"GOVERNMENT_DEPARTMENT\",\"competentAuthority\":" + Fixtures.AUTHORITIES.contains(code)
                + ",\"active\":" + !code.equals(Fixtures.DISSOLVED) + ",\"version\":0}");
    }

    /**
     * PUT /control/grants?code=...&n=2 ; PUT /control/down?value=true ; PUT /control/register-down?value=true ;
     * PUT /control/department?code=...&name=...
     */
    private void control(HttpExchange ex) throws IOException {
        Map<String, String> q = new ConcurrentHashMap<>();
        String query = ex.getRequestURI().getRawQuery();
        if (query != null) {
            for (String p : query.split("&")) {
                String[] kv = p.split("=", 2);
                q.put(kv[0], URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
        }
        String path = ex.getRequestURI().getPath();
        if (path.endsWith("/department")) {
            registered.put(q.get("code"), q.get("name"));
        } else if (path.endsWith("/grants")) {
            grants.put(q.get("code"), Integer.parseInt(q.get("n")));
        } else if (path.endsWith("/register-down")) {
            registerDown = Boolean.parseBoolean(q.get("value"));
        } else if (path.endsWith("/down")) {
            down = Boolean.parseBoolean(q.get("value"));
        }
        send(ex, 204, null);
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Sets the exchange's answer: {@code n} active grants on {@code code}. */
    public static void grants(String code, int n) {
        RestAssured.given().queryParam("code", code).queryParam("n", n).put(url() + "/control/grants").then()
                .statusCode(204);
    }

    /** Adds a department of {@code code} (in the region its code gives) named {@code name} to the register. */
    public static void registerDepartment(String code, String name) {
        RestAssured.given().queryParam("code", code).queryParam("name", name).put(url() + "/control/department").then()
                .statusCode(204);
    }

    /** Makes the active-grants call answer 503 ({@code true}) or normally again. */
    public static void exchangeDown(boolean down) {
        RestAssured.given().queryParam("value", down).put(url() + "/control/down").then().statusCode(204);
    }

    /** Makes identity-service's department register answer 503 ({@code true}) or normally again. */
    public static void registerDown(boolean down) {
        RestAssured.given().queryParam("value", down).put(url() + "/control/register-down").then().statusCode(204);
    }

    private static String url() {
        return ConfigProvider.getConfig().getValue("test.fake-exchange.url", String.class);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
