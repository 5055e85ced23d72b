package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.common.problem.FailureOrigin;
import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Hit;
import cn.onenet.exchange.WebhookReceiver.Reply;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.OutboundAddresses;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Webhook receivers and proxied providers' endpoints must resolve to public addresses (tests allow loopback, as the
 * local run does): refused at registration, and again before every connection, which goes to the address checked
 * (a name answering differently the next time reaches nothing unchecked); a webhook's errors are coarse categories,
 * never the connection's own message.
 */
@QuarkusTest
class OutboundAddressTest extends ExchangeTestBase {

    static final String CONSUMER = WebhookTest.CONSUMER;
    static final List<String> INTERNAL = List.of("169.254.169.254", "10.0.0.5:5432", "172.16.3.4", "192.168.1.10",
            "100.64.0.1", "0.0.0.0", "[::ffff:10.0.0.5]", "[fd00::1]", "[fe80::1]", "224.0.0.1");

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ExchangeConfig config;

    /** What the name server answers the exchange's address check, by name; other names resolve as usual. */
    private final Map<String, List<String>> dns = new ConcurrentHashMap<>();

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

    /**
     * DNS rebinding: localhost answers the check with 127.0.0.2, and anyone resolving it again (the JVM's resolver)
     * with 127.0.0.1, where another server listens on the same port. The lookup goes to the address checked, under
     * the name of the URL; nothing reaches the other address.
     */
    @Test
    void aProxiedLookupConnectsToTheAddressCheckedNotToTheNextAnswer() throws Exception {
        checksAnsweredByDns();
        dns.put("localhost", List.of("127.0.0.2"));
        String code = proxiedEntry("330000-01-09/900035");
        WebhookReceiver[] rx = samePort(n -> Reply.json("{\"GMSFHM\": \"330110200102150052\"}"), n -> Reply.of(404));
        try {
            int port = rx[0].port();
            registerEndpoint(code, "http://localhost:" + port + "/licences");
            grant(code);
            DeliveryTest.lookup(operator(DemoData.CIVIL_AFFAIRS), code, "330110200102150052").then().statusCode(200)
                    .body("record.GMSFHM", equalTo("330***********0052"));
            assertEquals(1, rx[0].hits().size());
            Hit hit = rx[0].hits().get(0);
            assertEquals("localhost:" + port, hit.header("Host"));
            assertEquals(DemoData.CIVIL_AFFAIRS, hit.header("X-Consumer-Department"));
            assertEquals("application/json", hit.header("Accept"));
            assertEquals(0, rx[1].hits().size());
        } finally {
            rx[0].close();
            rx[1].close();
        }
    }

    /**
     * https: the TLS handshake happens at the address checked and names the host of the URL (SNI; the certificate is
     * verified for that name). The server here has no certificate, so the lookup fails with 502 after the hello.
     */
    @Test
    void anHttpsLookupNamesTheHostInTlsAtTheAddressChecked() throws Exception {
        checksAnsweredByDns();
        dns.put("localhost", List.of("127.0.0.2"));
        String code = proxiedEntry("330000-01-09/900036");
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, null, null);
        List<String> serverNames = new CopyOnWriteArrayList<>();
        try (SSLServerSocket server = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket(0, 10,
                InetAddress.getByName("127.0.0.2"))) {
            SSLParameters params = server.getSSLParameters();
            params.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                @Override
                public boolean matches(SNIServerName name) {
                    serverNames.add(((SNIHostName) name).getAsciiName());
                    return true;
                }
            }));
            server.setSSLParameters(params);
            Thread accepting = new Thread(() -> {
                while (!server.isClosed()) {
                    try (SSLSocket s = (SSLSocket) server.accept()) {
                        s.startHandshake();
                    } catch (IOException e) {
                        // no certificate to offer: the handshake ends after the client's hello
                    }
                }
            });
            accepting.setDaemon(true);
            accepting.start();
            registerEndpoint(code, "https://localhost:" + server.getLocalPort() + "/licences");
            grant(code);
            DeliveryTest.lookup(operator(DemoData.CIVIL_AFFAIRS), code, "330110200102150052").then().statusCode(502)
                    .contentType("application/problem+json").header(FailureOrigin.HEADER, FailureOrigin.DOWNSTREAM);
            assertEquals(List.of("localhost"), serverNames);
        }
    }

    /**
     * A registered name that now answers an internal address, alone or among public ones, is refused before anything
     * connects (502); such refusals are the provider's misconfiguration and do not open its circuit.
     */
    @Test
    void aProxiedNameNowAnsweringAnInternalAddressIsRefusedBeforeConnecting() throws Exception {
        checksAnsweredByDns();
        dns.put("localhost", List.of("127.0.0.2"));
        String code = proxiedEntry("330000-01-09/900037");
        try (WebhookReceiver provider = new WebhookReceiver("127.0.0.2", 0,
                n -> Reply.json("{\"GMSFHM\": \"330110200102150052\"}"))) {
            registerEndpoint(code, "http://localhost:" + provider.port() + "/licences");
            grant(code);
            DeliveryTest.lookup(operator(DemoData.CIVIL_AFFAIRS), code, "330110200102150052").then().statusCode(200);
            for (int round = 0; round < 2; round++) {
                for (List<String> answer : List.of(List.of("10.0.0.5"), List.of("59.202.1.1", "169.254.169.254"),
                        List.of("::ffff:192.168.1.10"))) {
                    dns.put("localhost", answer);
                    DeliveryTest.lookup(operator(DemoData.CIVIL_AFFAIRS), code, "330110200102150052").then()
                            .statusCode(502).contentType("application/problem+json")
                            .header(FailureOrigin.HEADER, FailureOrigin.DOWNSTREAM);
                }
            }
            assertEquals(1, provider.hits().size());
            dns.put("localhost", List.of("127.0.0.2"));
            DeliveryTest.lookup(operator(DemoData.CIVIL_AFFAIRS), code, "330110200102150052").then().statusCode(200);
            assertEquals(2, provider.hits().size());
        }
    }

    /** Webhook deliveries connect to the address checked too, under the name of the URL. */
    @Test
    void aWebhookConnectsToTheAddressCheckedNotToTheNextAnswer() throws Exception {
        checksAnsweredByDns();
        dns.put("localhost", List.of("127.0.0.2"));
        String code = "330000-01-02/900208";
        long grant = WebhookTest.freshGrant(replica, code);
        WebhookReceiver[] rx = samePort(n -> Reply.of(204), n -> Reply.of(204));
        try {
            int port = rx[0].port();
            WebhookTest.register(operator(CONSUMER), grant, "http://localhost:" + port + "/hook").then()
                    .statusCode(201);
            WebhookTest.push(code, "330110200102150052", "刘洋");
            Hit hit = rx[0].await(1).get(0);
            assertEquals("localhost:" + port, hit.header("Host"));
            assertEquals(0, rx[1].hits().size());
        } finally {
            given().auth().oauth2(operator(CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant + "/webhook");
            rx[0].close();
            rx[1].close();
        }
    }

    /** For this test, the address check resolves names through {@link #dns}; the JVM's resolver does not. */
    private void checksAnsweredByDns() {
        QuarkusMock.installMockForType(new OutboundAddresses(config) {
            @Override
            protected InetAddress[] lookup(String name) throws UnknownHostException {
                List<String> answer = dns.get(name);
                if (answer == null) {
                    return super.lookup(name);
                }
                InetAddress[] all = new InetAddress[answer.size()];
                for (int i = 0; i < all.length; i++) {
                    all[i] = InetAddress.getByName(answer.get(i)); // literals: nothing looked up
                }
                return all;
            }
        }, OutboundAddresses.class);
    }

    /** A server on 127.0.0.2 (the address checked) and one on 127.0.0.1 (where localhost resolves), same port. */
    private static WebhookReceiver[] samePort(IntFunction<Reply> checked, IntFunction<Reply> other) throws Exception {
        for (int attempt = 1;; attempt++) {
            WebhookReceiver a = new WebhookReceiver("127.0.0.2", 0, checked);
            try {
                return new WebhookReceiver[] { a, new WebhookReceiver("127.0.0.1", a.port(), other) };
            } catch (Exception e) {
                a.close(); // the port is taken on 127.0.0.1: another one
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static void registerEndpoint(String code, String url) {
        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.EMERGENCY)).contentType(ContentType.JSON)
                .body(Map.of("endpointUrl", url, "timeoutMs", 2000))
                .put("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/proxy").then().statusCode(200);
    }

    private static void grant(String code) {
        RequestWorkflowTest.file(operator(DemoData.CIVIL_AFFAIRS), RequestWorkflowTest.body(code, List.of("GMSFHM")))
                .then().statusCode(201).body("status", equalTo("GRANTED"));
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
