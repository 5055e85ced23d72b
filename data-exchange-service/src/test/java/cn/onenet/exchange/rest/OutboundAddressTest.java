package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Reply;
import cn.onenet.exchange.service.DemoData;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Webhook receivers and proxied providers' endpoints must resolve to public addresses (tests allow loopback, as the
 * local run does): refused at registration, and again before every connection; a webhook's errors are coarse
 * categories, never the connection's own message.
 */
@QuarkusTest
class OutboundAddressTest extends ExchangeTestBase {

    static final String CONSUMER = WebhookTest.CONSUMER;
    static final List<String> INTERNAL = List.of("169.254.169.254", "10.0.0.5:5432", "172.16.3.4", "192.168.1.10",
            "100.64.0.1", "0.0.0.0", "[::ffff:10.0.0.5]", "[fd00::1]", "[fe80::1]", "224.0.0.1");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aWebhookToAnInternalAddressIsRefusedAtRegistration() {
        long grant = WebhookTest.freshGrant(replica, "330000-01-02/900206");
        for (String host : INTERNAL) {
            WebhookTest.register(operator(CONSUMER), grant, "https://" + host + "/hook").then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("url"));
        }
        WebhookTest.register(operator(CONSUMER), grant, "https://user@hooks.example/x").then().statusCode(400)
                .body("field", equalTo("url"));
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/subscriptions/" + grant + "/webhook").then()
                .statusCode(404);
        // loopback, allowed here as in development and the local run
        WebhookTest.register(operator(CONSUMER), grant, "https://127.0.0.1:8443/hook").then().statusCode(201);
        given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
    }

    @Test
    void aStoredInternalAddressIsRefusedWhenDeliveringAndErrorsAreCoarse() throws Exception {
        String code = "330000-01-02/900207";
        long grant = WebhookTest.freshGrant(replica, code);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (WebhookReceiver rx = new WebhookReceiver(n -> Reply.of(200))) {
            WebhookTest.register(operator(CONSUMER), grant, rx.url()).then().statusCode(201);
            // a receiver on a port where nothing listens: the error says so in one word, not how the network answered
            sql("UPDATE webhook_subscription SET url = 'http://127.0.0.1:" + closed + "/hook' WHERE grant_id = "
                    + grant);
            WebhookTest.push(code, "330110200102150052", "刘洋");
            Map<String, Object> first = awaitRecent(grant, "lastError");
            assertEquals("CONNECT_FAILED", first.get("lastError"), first.toString());
            awaitFailing(grant);
            assertEquals("CONNECT_FAILED", recent(grant).get(0).get("lastError"));

            // an address stored before registration checked it (or a name now resolving inside): nothing is sent
            sql("UPDATE webhook_subscription SET url = 'http://10.0.0.5:5432/' WHERE grant_id = " + grant);
            given().auth().oauth2(operator(CONSUMER)).post("/api/exchange/v1/subscriptions/" + grant
                    + "/webhook/resume").then().statusCode(200).body("status", equalTo("ACTIVE"));
            awaitFailing(grant);
            Map<String, Object> refused = WebhookTest.webhook(grant);
            Map<?, ?> event = (Map<?, ?>) ((List<?>) refused.get("recent")).get(0);
            assertEquals("REJECTED", event.get("status"));
            assertEquals("REFUSED_ADDRESS", event.get("lastError"));
            assertEquals(Map.of("REJECTED", 1), refused.get("events"));
            assertFalse(refused.toString().contains("Connection refused"), refused.toString());
            assertEquals(0, rx.hits().size());
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
        }
    }

    @Test
    void aProxiedEndpointMustBeAValidUrlToAPublicAddress() {
        String code = proxiedEntry("330000-01-09/900032");
        String proxy = "/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/proxy";
        List<String> bad = List.of("http://x/^", "http://169.254.169.254/latest/meta-data/",
                "http://10.0.0.5:8080/lookup", "http://[::ffff:169.254.169.254]/", "https://user:pw@provider.example/",
                "https://provider.example/lookup#frag", "http:///lookup", "ftp://provider.example/lookup",
                "provider.example/lookup", "");
        for (String url : bad) {
            given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.EMERGENCY)).contentType(ContentType.JSON)
                    .body(Map.of("endpointUrl", url)).put(proxy).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("endpointUrl"));
        }
        // the local provider of the tests and the demo, on loopback
        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.EMERGENCY)).contentType(ContentType.JSON)
                .body(Map.of("endpointUrl", "http://127.0.0.1:" + RestAssured.port
                        + "/api/exchange/v1/demo-provider/licences"))
                .put(proxy).then().statusCode(200);
    }

    @Test
    void aStoredUnusableEndpointAnswers502NotA500() throws Exception {
        for (String[] c : List.of(new String[] { "330000-01-09/900033", "http://x/^" },
                new String[] { "330000-01-09/900034", "http://169.254.169.254/latest/meta-data/" })) {
            String code = proxiedEntry(c[0]);
            // stored before registration checked endpoints
            sql("INSERT INTO proxied_service (resource_code, endpoint_url, timeout_ms, registered_by) VALUES ('"
                    + code + "', '" + c[1] + "', 1000, 'legacy')");
            RequestWorkflowTest.file(operator(DemoData.CIVIL_AFFAIRS), RequestWorkflowTest.body(code,
                    List.of("GMSFHM"))).then().statusCode(201).body("status", equalTo("GRANTED"));
            Response r = DeliveryTest.lookup(operator(DemoData.CIVIL_AFFAIRS), code, "330110200102150052");
            r.then().statusCode(502).contentType("application/problem+json");
        }
    }

    private String proxiedEntry(String code) {
        FakeCatalog.add("PUBLISHED", code, "测试代理服务地址目录 " + code, DemoData.EMERGENCY, "UNCONDITIONAL", "LEVEL_2",
                "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        replica.pollOnce();
        return code;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> recent(long grant) {
        return (List<Map<String, Object>>) WebhookTest.webhook(grant).get("recent");
    }

    private static Map<String, Object> awaitRecent(long grant, String field) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            List<Map<String, Object>> recent = recent(grant);
            if (!recent.isEmpty() && recent.get(0).get(field) != null) {
                return recent.get(0);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + field + " recorded");
    }

    private static void awaitFailing(long grant) throws InterruptedException {
        String status = null;
        for (int i = 0; i < 150 && !"FAILING".equals(status); i++) {
            Thread.sleep(50);
            status = (String) WebhookTest.webhook(grant).get("status");
        }
        assertEquals("FAILING", status);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.executeUpdate();
        }
    }
}
