package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;

import cn.onenet.launcher.Suite;

/**
 * The suite working as one, started as {@code ./run} starts it: real tokens from the real identity-service, every
 * call through the gateway, the exchange following the real catalogue's change feed, a citizen seeing who used
 * their data, and a person logging in to the console in Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossServiceTest {

    private static final int PORT_OFFSET = 11_000;
    private static final String DEMO_PASSWORD = "Zj@2026onenet";
    private static final String ZHANG_SAN = "33010619850312001X";
    private static final String LI_SI = "33010619920708002X";

    private Suite suite;
    private String gateway;

    @BeforeAll
    void start() throws Exception {
        Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
        Suite.Options defaults = Suite.Options.defaults(root);
        suite = Suite.start(new Suite.Options(root, Files.createTempDirectory("suite-e2e"), true, true, PORT_OFFSET,
                Duration.ofSeconds(180), defaults.jvmOptions()));
        gateway = suite.service("gateway").baseUrl();
    }

    @AfterAll
    void stop() {
        if (suite != null) {
            suite.close();
        }
    }

    private String clientCredentials(String clientId, String secret) throws Exception {
        TokenRequest request = new TokenRequest(URI.create(gateway + "/oidc/token"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), new ClientCredentialsGrant(),
                new Scope("catalog", "exchange"));
        return CodeFlowClient.parse(request).toSuccessResponse().getTokens().getAccessToken().getValue();
    }

    @Test
    void discoveryThroughTheGatewayNamesTheGatewayAsIssuer() {
        given().get(gateway + "/oidc/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo(gateway + "/oidc"))
                .body("token_endpoint", equalTo(gateway + "/oidc/token"))
                .body("code_challenge_methods_supported", hasItem("S256"));
        given().get(gateway + "/oidc/jwks").then().statusCode(200).body("keys.kid", hasItem(notNullValue()));
    }

    @Test
    void departmentSystemCallsProtectedApisWithARealClientCredentialsToken() throws Exception {
        String token = clientCredentials("gat-population-system", "demo-gat-population-secret");
        given().auth().oauth2(token).get(gateway + "/api/catalog/v1/search?q=户籍").then().statusCode(200)
                .body("hits.name", hasItem(containsString("户籍")));
        given().auth().oauth2(token).get(gateway + "/api/exchange/v1/grants").then().statusCode(200);
        // Deny: no token, a forged token, a wrong secret.
        given().get(gateway + "/api/exchange/v1/grants").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(token.substring(0, token.length() - 4) + "AAAA")
                .get(gateway + "/api/exchange/v1/grants").then().statusCode(401);
        given().auth().preemptive().basic("gat-population-system", "wrong-secret")
                .formParam("grant_type", "client_credentials").post(gateway + "/oidc/token").then().statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void exchangeFollowsTheRealCatalogueFeed() throws Exception {
        String token = clientCredentials("gat-population-system", "demo-gat-population-secret");
        // 公安厅 provides 居民户籍信息; the exchange creates the demo grant only once the entry reached its replica
        // through catalog-service's feed, fetched with the exchange's own client-credentials token.
        List<Map<String, Object>> grants = awaitGrants(token, Duration.ofSeconds(120));
        assertTrue(grants.stream().anyMatch(g -> "11330000002481020A".equals(g.get("providerDepartmentCode"))),
                "no grant on a 公安厅 entry: " + grants);
        String code = (String) grants.stream().filter(g -> "11330000002481020A".equals(g.get("providerDepartmentCode")))
                .findFirst().orElseThrow().get("resourceCode");
        given().get(gateway + "/api/catalog/v1/search?q=" + code).then().statusCode(200);
    }

    @Test
    void operatorLooksUpACitizenAndTheCitizenSeesItButNobodyElse() throws Exception {
        String admin = clientCredentials("gat-population-system", "demo-gat-population-secret");
        List<Map<String, Object>> grants = awaitGrants(admin, Duration.ofSeconds(120));
        Map<String, Object> grant = grants.stream()
                .filter(g -> "11330000002481060E".equals(g.get("consumerDepartmentCode"))
                        && "11330000002481020A".equals(g.get("providerDepartmentCode")))
                .findFirst().orElseThrow(() -> new AssertionError("no 公安厅→人社厅 demo grant: " + grants));
        String resourceCode = (String) grant.get("resourceCode");

        CodeFlowClient console = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret");
        String operator = console.accessToken("rst.operator", DEMO_PASSWORD, "openid profile");
        String requestId = "e2e-lookup-" + System.nanoTime();
        given().auth().oauth2(operator).header("X-Request-Id", requestId)
                .get(gateway + "/api/exchange/v1/data/" + resourceCode + "/records/" + ZHANG_SAN)
                .then().statusCode(200);

        String citizen = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken(ZHANG_SAN, DEMO_PASSWORD, "openid profile id_number");
        given().auth().oauth2(citizen).get(gateway + "/api/exchange/v1/me/data-accesses").then().statusCode(200)
                .body("requestId", hasItem(requestId))
                .body("find { it.requestId == '" + requestId + "' }.resourceCode", equalTo(resourceCode));
        String other = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken(LI_SI, DEMO_PASSWORD, "openid profile id_number");
        List<String> seenByOther = given().auth().oauth2(other).get(gateway + "/api/exchange/v1/me/data-accesses")
                .then().statusCode(200).extract().jsonPath().getList("requestId");
        assertFalse(seenByOther.contains(requestId), "李四 sees an access to 张三's data");
        // A civil servant's token is not a citizen's: the view is refused.
        given().auth().oauth2(operator).get(gateway + "/api/exchange/v1/me/data-accesses").then().statusCode(403);
    }

    @Test
    void theEdgeRulesHoldInFrontOfTheRealServices() throws Exception {
        // The wrong role: a service's real token (role system) on identity-service's admin API.
        String system = clientCredentials("catalog-service", "demo-catalog-secret");
        given().auth().oauth2(system).get(gateway + "/api/identity/v1/clients").then().statusCode(403)
                .contentType("application/problem+json");

        // A body over the exchange route's limit is refused at the edge from its Content-Length, unread.
        URI uri = URI.create(gateway);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/exchange/v1/requests HTTP/1.1\r\nHost: " + uri.getAuthority()
                    + "\r\nAuthorization: Bearer " + system + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (64L * 1024 * 1024) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String head = new String(socket.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 413", head);
        }

        // Forwarding headers a client sends are not believed: identity-service records the caller's real address.
        String requestId = "e2e-spoof-" + System.nanoTime();
        given().auth().preemptive().basic("gat-population-system", "wrong-secret").header("X-Request-Id", requestId)
                .header("X-Forwarded-For", "203.0.113.9").header("Forwarded", "for=203.0.113.9")
                .header("X-Real-IP", "203.0.113.9").formParam("grant_type", "client_credentials")
                .post(gateway + "/oidc/token").then().statusCode(401);
        String auditor = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("dsj.auditor", DEMO_PASSWORD, "openid profile");
        Map<String, Object> event = null;
        for (int i = 0; i < 20 && event == null; i++) {
            List<Map<String, Object>> events = given().auth().oauth2(auditor)
                    .get(gateway + "/api/identity/v1/audit?type=CLIENT_AUTH&clientId=gat-population-system&size=100")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            event = events.stream().filter(e -> requestId.equals(e.get("requestId"))).findFirst().orElse(null);
            if (event == null) {
                Thread.sleep(500); // audit events are written within a second
            }
        }
        assertTrue(event != null, "no audit event for request " + requestId);
        assertEquals("127.0.0.1", event.get("ip"), event.toString());

        // Per-client rate limit (default plan: 20 requests a second per client and API): 429 with Retry-After and
        // RateLimit-* once the budget is spent, the real service answering until then.
        int limited = 0;
        String remainingFirst = null;
        for (int i = 0; i < 60 && limited == 0; i++) {
            io.restassured.response.Response r = given().auth().oauth2(system)
                    .get(gateway + "/api/exchange/v1/grants");
            if (i == 0) {
                remainingFirst = r.header("RateLimit-Remaining");
                assertEquals("20", r.header("RateLimit-Limit"));
            }
            if (r.statusCode() == 429) {
                limited++;
                assertEquals("application/problem+json", r.contentType());
                assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1, r.headers().toString());
                assertEquals("0", r.header("RateLimit-Remaining"));
            }
        }
        assertTrue(remainingFirst != null && Integer.parseInt(remainingFirst) < 20, "first answer: " + remainingFirst);
        assertEquals(1, limited, "60 calls in a row never reached the limit of 20 a second");
        Thread.sleep(1_500); // the bucket refills before the next test
    }

    @Test
    void citizenLogsInToTheConsoleInChromiumAndTheTokenIsRelayed() {
        Path chromium = Paths.get(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assertTrue(Files.isExecutable(chromium),
                "Chromium not found at " + chromium + ": install it (apt-get install -y chromium) or set CHROMIUM");
        try (Playwright playwright = Playwright.create()) {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                    .setExecutablePath(chromium)
                    .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                            "--disable-component-update", "--disable-sync", "--no-first-run")));
            Page page = browser.newContext().newPage();
            page.navigate(gateway + "/console");
            assertTrue(page.url().startsWith(gateway + "/oidc/"), "not sent to the login page: " + page.url());
            page.fill("#username", ZHANG_SAN);
            page.fill("#password", DEMO_PASSWORD);
            page.click("#submit");
            try {
                page.waitForURL(url -> url.startsWith(gateway + "/console"),
                        new Page.WaitForURLOptions().setTimeout(30_000));
            } catch (RuntimeException e) {
                throw new AssertionError("after login the browser is at " + page.url() + ": " + page.content(), e);
            }
            assertTrue(page.textContent("#user").contains("张三"), page.content());
            assertTrue(page.textContent("#relay").contains("HTTP 200"), page.content());
            browser.close();
        }
    }

    private List<Map<String, Object>> awaitGrants(String token, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map<String, Object>> grants = List.of();
        while (System.nanoTime() < deadline) {
            grants = given().auth().oauth2(token).get(gateway + "/api/exchange/v1/grants").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            if (!grants.isEmpty()) {
                return grants;
            }
            Thread.sleep(2000);
        }
        assertEquals(List.of(), grants, "never saw a grant");
        throw new AssertionError("no grant appeared within " + timeout.toSeconds() + " s");
    }
}
