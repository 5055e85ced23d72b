package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.click;
import static cn.onenet.systemtests.ConsolePages.clientCredentials;
import static cn.onenet.systemtests.ConsolePages.confirmed;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.openAwaitingHead;
import static cn.onenet.systemtests.ConsolePages.submit;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;

import cn.onenet.common.identifiers.CreditCode;

/**
 * The suite working as one, started as {@code ./run} starts it: real tokens from the real identity-service, every
 * call through the gateway, the exchange following the real catalogue's change feed, a citizen seeing who used
 * their data, and a person logging in to the console in Chromium.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class CrossServiceTest {

    private static final String ZHANG_SAN = "33010619850312001X";
    private static final String LI_SI = "33010619920708002X";
    private static final String WANG_XIU_YING = "330282196509230044";

    private String gateway;

    @BeforeAll
    void start() {
        gateway = SharedSuite.gateway();
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
    void anOrdinaryRelyingPartyReadsUserInfoThroughTheGateway() throws Exception {
        // a department's web application as the client API's example registers one: no audience of the suite's APIs
        String admin = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken("dsj.admin",
                DEMO_PASSWORD, "openid profile");
        String clientId = "e2e-rp-" + System.nanoTime();
        String secret = given().auth().oauth2(admin).contentType("application/json").body(Map.of("clientId", clientId,
                "name", "测试依赖方", "authMethod", "client_secret_basic", "grantTypes", List.of("authorization_code"),
                "redirectUris", List.of(gateway + "/console/callback"), "scopes", List.of("openid", "profile"),
                "audiences", List.of(), "departmentCode", "123300004701410402", "firstParty", true, "minLevel", 1))
                .post(gateway + "/api/identity/v1/clients").then().statusCode(201).extract().path("clientSecret");
        String token = new CodeFlowClient(gateway, clientId, secret).accessToken(LI_SI, DEMO_PASSWORD,
                "openid profile");
        // UserInfo by GET with the header, as OIDC libraries call it: identity's answer
        given().auth().oauth2(token).get(gateway + "/oidc/userinfo").then().statusCode(200)
                .body("sub", notNullValue());
        given().auth().oauth2(token + "x").get(gateway + "/oidc/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        // the suite's APIs refuse the token at the edge, naming the error (RFC 6750 §3.1)
        given().auth().oauth2(token).get(gateway + "/api/identity/v1/me").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer error=\"invalid_token\""));
    }

    @Test
    void anonymousCallersReadTheOpenCatalogueThroughTheGateway() {
        long id = ((Number) given().get(gateway + "/api/catalog/v1/search?size=1").then().statusCode(200)
                .body("total", greaterThan(0)).extract().path("hits[0].id")).longValue();
        for (String path : new String[] { "/api/catalog/v1", "/api/exchange/v1", "/api/catalog/v1/entries/" + id,
            "/api/catalog/v1/entries/" + id + "/versions", "/api/catalog/v1/dcat/entries/" + id,
            "/api/catalog/v1/dcat/catalog?size=5", "/api/catalog/v1/classification" }) {
            given().get(gateway + path).then().statusCode(200);
        }
        // the work lists need a token
        given().get(gateway + "/api/catalog/v1/entries").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().get(gateway + "/api/catalog/v1/entries/" + id + "/history").then().statusCode(401);
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
        String requestId = lookUpZhangSanAsTheSocialSecurityOperator();
        String citizen = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken(ZHANG_SAN, DEMO_PASSWORD, "openid profile id_number");
        Map<String, Object> seen = given().auth().oauth2(citizen).get(gateway + "/api/exchange/v1/me/data-accesses")
                .then().statusCode(200).body("requestId", hasItem(requestId))
                .extract().jsonPath().getMap("find { it.requestId == '" + requestId + "' }");
        assertEquals("11330000002481060E", seen.get("consumerDepartmentCode"), seen.toString());
        // the items' names come from the exchange's replica of the real catalogue
        assertEquals(Map.of("GMSFHM", "公民身份号码", "XM", "姓名", "HJDZ", "户籍地址"), seen.get("itemNames"),
                seen.toString());
        // Another verified citizen (王秀英, an L4 account signing in with her password alone: L3) sees her own
        // accesses and not 张三's.
        String other = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken(WANG_XIU_YING, DEMO_PASSWORD, "openid profile id_number");
        List<String> seenByOther = given().auth().oauth2(other).get(gateway + "/api/exchange/v1/me/data-accesses")
                .then().statusCode(200).extract().jsonPath().getList("requestId");
        assertFalse(seenByOther.contains(requestId), "王秀英 sees an access to 张三's data");
        // 李四's account is self-registered level L2 (a phone and a typed ID number, which anyone could have typed): the
        // view keyed on cn_id needs L3, so it is refused with the level needed, whatever the ID number.
        String unverified = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken(LI_SI, DEMO_PASSWORD, "openid profile id_number");
        given().auth().oauth2(unverified).get(gateway + "/api/exchange/v1/me/data-accesses").then().statusCode(403)
                .contentType("application/problem+json").body("requiredAcr", equalTo("urn:onenet:loa:3"))
                .body("acr", equalTo("urn:onenet:loa:2")).body("requestId", notNullValue());
        // A civil servant's token is not a citizen's: the view is refused.
        String operator = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("rst.operator", DEMO_PASSWORD, "openid profile");
        given().auth().oauth2(operator).get(gateway + "/api/exchange/v1/me/data-accesses").then().statusCode(403);
    }

    /** 人社厅's operator looks up 张三 in 公安厅's data under the demo grant; returns the lookup's request id. */
    private String lookUpZhangSanAsTheSocialSecurityOperator() throws Exception {
        String admin = clientCredentials("gat-population-system", "demo-gat-population-secret");
        List<Map<String, Object>> grants = awaitGrants(admin, Duration.ofSeconds(120));
        Map<String, Object> grant = grants.stream()
                .filter(g -> "11330000002481060E".equals(g.get("consumerDepartmentCode"))
                        && "11330000002481020A".equals(g.get("providerDepartmentCode")))
                .findFirst().orElseThrow(() -> new AssertionError("no 公安厅→人社厅 demo grant: " + grants));
        String resourceCode = (String) grant.get("resourceCode");
        String operator = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("rst.operator", DEMO_PASSWORD, "openid profile");
        String requestId = "e2e-lookup-" + System.nanoTime();
        given().auth().oauth2(operator).header("X-Request-Id", requestId)
                .get(gateway + "/api/exchange/v1/data/" + resourceCode + "/records/" + ZHANG_SAN)
                .then().statusCode(200);
        return requestId;
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
        // The calls go out together: one after the other, a slow machine could stay under 20 a second.
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        java.net.http.HttpRequest call = java.net.http.HttpRequest.newBuilder(URI.create(gateway
                + "/api/exchange/v1/grants")).header("Authorization", "Bearer " + system).build();
        List<java.net.http.HttpResponse<String>> answers = java.util.stream.IntStream.range(0, 60)
                .mapToObj(i -> http.sendAsync(call, java.net.http.HttpResponse.BodyHandlers.ofString())).toList()
                .stream().map(java.util.concurrent.CompletableFuture::join).toList();
        List<java.net.http.HttpResponse<String>> limited = answers.stream().filter(r -> r.statusCode() == 429)
                .toList();
        assertFalse(limited.isEmpty(), "60 calls at once never reached the limit of 20 a second");
        // the others are the exchange's own answers (a service token of no department: 403), never the edge's 5xx
        assertTrue(answers.stream().allMatch(r -> r.statusCode() == 429 || r.statusCode() == 403),
                answers.stream().map(java.net.http.HttpResponse::statusCode).toList().toString());
        for (java.net.http.HttpResponse<String> r : limited) {
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            assertTrue(Integer.parseInt(r.headers().firstValue("Retry-After").orElseThrow()) >= 1, r.headers().toString());
            assertEquals("0", r.headers().firstValue("RateLimit-Remaining").orElseThrow());
            assertEquals("20", r.headers().firstValue("RateLimit-Limit").orElseThrow());
        }
        java.net.http.HttpResponse<String> served = answers.stream().filter(r -> r.statusCode() != 429).findFirst()
                .orElseThrow();
        assertTrue(Integer.parseInt(served.headers().firstValue("RateLimit-Remaining").orElseThrow()) < 20,
                served.headers().toString());
        Thread.sleep(1_500); // the bucket refills before the next test
    }

    @Test
    void citizenLogsInToTheConsoleInChromiumAndSeesWhoUsedTheirData() throws Exception {
        lookUpZhangSanAsTheSocialSecurityOperator();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, ZHANG_SAN);
            assertTrue(page.textContent("#user").contains("张三"), page.content());
            assertTrue(page.textContent("#relay").contains("HTTP 200"), page.content());
            // A citizen's console opens on "who used my data": the lookup above, by department name and resource.
            page.waitForSelector("main table td:has-text('浙江省人力资源和社会保障厅')");
            String table = page.textContent("main table");
            assertTrue(table.contains("户籍"), table);
            // the items used, by the names the catalogue gives them (姓名, not XM)
            String items = page.textContent("main table tr:has-text('浙江省人力资源和社会保障厅') td:nth-child(4)");
            assertTrue(items.contains("公民身份号码") && items.contains("姓名") && items.contains("户籍地址"), items);
            assertFalse(items.contains("GMSFHM") || items.contains("XM") || items.contains("HJDZ"), items);
            // Sections for civil servants are not offered to a citizen.
            assertFalse(page.textContent("#nav").contains("审核发布"), page.textContent("#nav"));

            // 条例 Art. 37: the citizen complains about the lookup; 人社厅 explains it without learning who
            // complained; the province's competent authority decides; the citizen sees each step.
            page.locator("main table tr:has-text('浙江省人力资源和社会保障厅') button[data-seq]").first().click();
            awaitOn(page, "#complaint-form");
            page.fill("#complaint-form [name=description]", "本人未在人社厅办理业务，不清楚为何查询本人户籍信息");
            page.fill("#complaint-form [name=requestedRemedy]", "说明查询理由");
            submit(page, "#complaint-form", "main table .complaint-status", "ok");
            String mine = page.locator("main table").last().textContent();
            assertTrue(mine.contains("待说明") && mine.contains("不清楚为何查询"), mine);

            Page operator = logIn(browser, "rst.operator");
            operator.click("#nav a[href='#/complaints']");
            String row = "main table tr:has-text('不清楚为何查询')";
            awaitOn(operator, row + " [data-complaint]");
            assertFalse(operator.textContent("main").contains(ZHANG_SAN), "the complainant is disclosed");
            operator.fill(row + " [name=reason]", "办理张三社保待遇资格认证时核验户籍，属履职所需");
            answer(operator, () -> operator.click(row + " button:has-text('说明')"), "explain", "ok");
            assertTrue(operator.textContent(row).contains("已说明"), operator.textContent(row));

            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/complaints");
            awaitOn(reviewer, row + " [data-complaint]");
            reviewer.fill(row + " [name=reason]", "查询有授权且用途相符，投诉不成立");
            answer(reviewer, () -> reviewer.click(row + " button:has-text('不成立')"), "dismiss", "ok");
            assertTrue(reviewer.textContent(row).contains("不成立"), reviewer.textContent(row));

            page.reload();
            awaitOn(page, "main table .complaint-status");
            mine = page.locator("main table").last().textContent();
            assertTrue(mine.contains("不成立") && mine.contains("属履职所需") && mine.contains("投诉不成立"), mine);

            // every complaint of the citizen, a page at a time, in its own section
            page.click("#nav a[href='#/my-complaints']");
            awaitOn(page, "main h2:has-text('我的投诉') ~ .pager");
            String all = page.textContent("main");
            assertTrue(all.contains("不清楚为何查询") && all.contains("in all"), all);

            // 李四's self-registered (L2) account opens on the same section: told which level it needs and how to
            // reach it (the service refuses the view below L3; the console knows the level and does not ask), not
            // shown a bare error.
            Page unverified = logIn(browser, LI_SI);
            awaitOn(unverified, "#level-needed");
            String told = unverified.textContent("#level-needed");
            assertTrue(told.contains("需要实名认证等级 L3") && told.contains("线下核验") && told.contains("刷脸认证"), told);
            assertEquals(0, unverified.locator("main table").count(), unverified.textContent("main"));
        }
    }

    @Test
    void anEditorDraftsAndSubmitsAnEntryAndAReviewerPublishesItInTheConsole() throws Exception {
        String name = "流动人口居住登记信息" + (System.nanoTime() % 100_000);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 公安厅's editor: a new draft, refused first for a malformed item code (the items table says why, the
            // notice gives the request id), then saved.
            Page editor = logIn(browser, "gat.operator");
            editor.click("#new-entry");
            awaitOn(editor, "#entry-form");
            assertEquals("浙江省公安厅", editor.inputValue("#entry-form [name=providerDepartmentName]"));
            editor.selectOption("#entry-form [name=resourceClass]", "BASE");
            editor.fill("#entry-form [name=category]", "人口");
            editor.fill("#entry-form [name=itemCode]", "01");
            editor.fill("#entry-form [name=catalogCode]", "021");
            editor.fill("#entry-form [name=abstract]", "全省流动人口居住登记及居住证办理信息");
            editor.fill("#entry-form [name=dataCategory]", "人口基础信息");
            editor.fill("#entry-form [name=keywords]", "流动人口、居住证");
            editor.fill("#entry-form [name=name]", name);
            editor.fill("tr.item [name=item-code]", "jzzbh");
            editor.fill("tr.item [name=item-name]", "居住证编号");
            editor.fill("tr.item [name=item-length]", "30");
            editor.click("#add-item");
            editor.fill("tr.item:nth-child(2) [name=item-code]", "JZDZ");
            editor.fill("tr.item:nth-child(2) [name=item-name]", "居住地址");
            editor.fill("tr.item:nth-child(2) [name=item-length]", "200");
            editor.check("tr.item:nth-child(2) [name=item-sensitive]");
            editor.click("#save-entry");
            awaitOn(editor, "[data-field=items].invalid");
            assertTrue(editor.textContent("[data-field=items] .error").contains("items[0].code"),
                    editor.textContent("#entry-form"));
            assertTrue(editor.textContent("#notice").contains("HTTP 400"), editor.textContent("#notice"));
            assertTrue(editor.textContent("#notice").contains("request id"), editor.textContent("#notice"));
            // For screen readers the error interrupts (role alert).
            assertEquals("alert", editor.getAttribute("#notice", "role"));
            editor.fill("tr.item [name=item-code]", "JZZBH");
            editor.click("#save-entry");
            awaitOn(editor, "#entry-state");
            assertEquals(name, editor.textContent("#entry-name"));
            assertTrue(editor.textContent("#entry-state").contains("草稿"), editor.textContent("main"));
            // Editing the draft: the form comes back filled in, the change is saved with the entry's lock version.
            editor.click("#edit-entry");
            awaitOn(editor, "#entry-form");
            assertEquals(name, editor.inputValue("#entry-form [name=name]"));
            assertEquals("JZDZ", editor.inputValue("tr.item:nth-child(2) [name=item-code]"));
            editor.fill("#entry-form [name=abstract]", "全省流动人口居住登记及居住证办理信息（含居住地址）");
            editor.click("#save-entry");
            awaitOn(editor, "#entry-state");
            assertTrue(editor.textContent("main").contains("含居住地址"), editor.textContent("main"));
            String events = editor.locator("main table").last().textContent();
            assertTrue(events.contains("修改") && events.contains("创建"), "history: " + events);
            // 条例 Art. 13: both assessments and the head's approval, then submission.
            sendForm(editor, "#assessment-secrecy", Map.of("reference", "GA-BM-2026-031", "conclusion",
                    "不涉及国家秘密和工作秘密"));
            sendForm(editor, "#assessment-personal-information", Map.of("reference", "GA-PIA-2026-017",
                    "conclusion", "个人信息处理限于履职所需，风险可控"));
            // the department's head approves it with the head's own account (R4)
            Page head = logIn(browser, "gat.head");
            head.navigate(editor.url());
            sendForm(head, "#head-approval", Map.of());
            editor.reload();
            sendForm(editor, "#submit-entry", Map.of());
            assertTrue(editor.textContent("#entry-state").contains("待审核"), editor.textContent("main"));
            String entryUrl = editor.url();

            // The province's reviewer finds it in the work list, approves and publishes it.
            Page reviewer = logIn(browser, "dsj.reviewer");
            awaitOn(reviewer, "main table");
            reviewer.click("main table a:text-is('" + name + "')");
            awaitOn(reviewer, "#approve-entry");
            sendForm(reviewer, "#approve-entry", Map.of());
            assertTrue(reviewer.textContent("#entry-state").contains("审核通过"), reviewer.textContent("main"));
            sendForm(reviewer, "#publish-entry", Map.of());
            assertTrue(reviewer.textContent("#entry-state").contains("已发布"), reviewer.textContent("main"));
            // Back to the work list the entry was opened from.
            reviewer.click("main a:text('返回 / back')");
            reviewer.waitForURL(url -> url.endsWith("#/review"), new Page.WaitForURLOptions().setTimeout(10_000));
            reviewer.goForward();
            awaitOn(reviewer, "#entry-state");
            // the reviewer sees who approved the submission: the head's own account, by name
            assertTrue(reviewer.textContent("main").contains("钱伟"), reviewer.textContent("main"));
            // The editor may not approve (no reviewer role): the page offers no such action to them.
            editor.reload();
            awaitOn(editor, "#entry-state");
            assertEquals(entryUrl, editor.url());
            assertTrue(editor.textContent("#entry-state").contains("已发布"), editor.textContent("main"));
            assertEquals(0, editor.locator("#approve-entry").count());
            assertEquals(0, editor.locator("#publish-entry").count());

            // Everyone finds it in the Chinese search once the index has it.
            awaitSearchHit("流动人口", name, Duration.ofSeconds(30));
            editor.navigate(gateway + "/console#/search?q=" + java.net.URLEncoder.encode("流动人口",
                    java.nio.charset.StandardCharsets.UTF_8));
            awaitOn(editor, "#hits li");
            assertTrue(editor.textContent("#hits").contains(name), editor.textContent("#hits"));

            // The published versions: one so far, compared with itself.
            reviewer.reload();
            awaitOn(reviewer, "#compare-versions");
            assertTrue(reviewer.textContent("#entry-versions").contains("1.0"), reviewer.textContent("#entry-versions"));
            click(reviewer, "#compare-versions");
            assertTrue(reviewer.textContent("#version-diff").contains("两个版本内容相同"),
                    reviewer.textContent("#version-diff"));

            // The admin reclassifies it (目 021 → 022): a new resource code.
            Page admin = logIn(browser, "dsj.admin");
            admin.navigate(entryUrl);
            awaitOn(admin, "#reclassify-entry");
            String codeBefore = admin.textContent("main .meta");
            admin.fill("#reclassify-entry [name=catalogCode]", "022");
            admin.fill("#reclassify-entry [name=opinion]", "按目录编制指南调整至流动人口目");
            submit(admin, "#reclassify-entry", "#entry-state", "ok");
            assertTrue(admin.textContent("#notice").contains("101022/"), admin.textContent("#notice"));
            assertFalse(admin.textContent("main .meta").equals(codeBefore), admin.textContent("main .meta"));

            // 注销: the editor asks, the reviewer refuses with an opinion, the entry stays published.
            editor.navigate(entryUrl);
            editor.reload();
            sendForm(editor, "#deregister-entry", Map.of("reason", "拟并入居民户籍信息统一提供"));
            assertTrue(editor.textContent("#entry-state").contains("注销"), editor.textContent("main"));
            assertTrue(editor.textContent("#entry-records").contains("拟并入居民户籍信息"), editor.textContent("main"));
            assertEquals(1, editor.locator("#deregistration-filing").count(), editor.textContent("main"));
            // ... who may not decide it
            assertEquals(0, editor.locator("#approve-deregistration, #reject-deregistration").count());
            reviewer.reload();
            awaitOn(reviewer, "#reject-deregistration");
            assertEquals(0, reviewer.locator("#deregistration-filing").count(), reviewer.textContent("main"));
            sendForm(reviewer, "#reject-deregistration", Map.of("opinion", "流动人口信息仍有独立共享需求"));
            assertTrue(reviewer.textContent("#entry-state").contains("已发布"), reviewer.textContent("main"));

            // A change: the editor starts it and files the 备案 (条例 Art. 27 ¶3); the reviewer accepts the record
            // and extends the change period once.
            editor.reload();
            sendForm(editor, "#change-entry", Map.of("cause", "《居住证暂行条例》实施细则修订"));
            assertTrue(editor.textContent("#entry-state").contains("变更"), editor.textContent("main"));
            sendForm(editor, "#change-filing", Map.of("filing", "已书面征求持有授权部门意见，均无异议"));
            assertTrue(editor.textContent("#entry-records").contains("待接受"), editor.textContent("#entry-records"));
            assertEquals(0, editor.locator("#accept-change-filing, #extend-change").count());
            reviewer.reload();
            sendForm(reviewer, "#accept-change-filing", Map.of());
            assertTrue(reviewer.textContent("#entry-records").contains("已接受"), reviewer.textContent("#entry-records"));
            sendForm(reviewer, "#extend-change", Map.of("opinion", "涉及多部门协调，延长五个工作日"));
            assertTrue(reviewer.textContent("#entry-records").contains("已延长"), reviewer.textContent("#entry-records"));
            assertEquals(0, reviewer.locator("#extend-change").count(), "offered a second extension");
            // The history names the people who acted (the display name from their token), not account ids, and
            // their roles in words.
            String steps = reviewer.locator("h3:has-text('办理记录') + table").textContent();
            assertTrue(steps.contains("王芳（大数据局审核员） (审核员（主管部门） / reviewer)")
                    && steps.contains("(管理员 / admin)"), steps);
            // Pictures of the pages for whoever reviews the console's look (target/console-*.png).
            reviewer.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-entry.png"))
                    .setFullPage(true));
            editor.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-search.png"))
                    .setFullPage(true));
        }
    }

    @Test
    void theConsoleFiltersTheCatalogueAndShowsFurtherSearchHitsOnRequest() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page auditor = logIn(browser, "dsj.auditor");
            // The work list filtered by state, kept in the address.
            auditor.navigate(gateway + "/console#/all-entries?state=SUBMITTED");
            // The auditor's first section is this list unfiltered: wait for the filtered one.
            awaitOn(auditor, "#entry-filters");
            auditor.waitForFunction("() => document.querySelector('#entry-filters [name=state]').value === 'SUBMITTED'",
                    null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            awaitOn(auditor, "main table tbody tr");
            List<String> states = auditor.locator("main table tbody tr td:nth-child(3)").allTextContents();
            assertFalse(states.isEmpty());
            assertTrue(states.stream().allMatch(text -> text.contains("待审核")), states.toString());
            auditor.selectOption("#entry-filters [name=state]", "PUBLISHED");
            auditor.click("#entry-filters button[type=submit]");
            auditor.waitForURL(url -> url.contains("state=PUBLISHED"), new Page.WaitForURLOptions().setTimeout(10_000));
            awaitOn(auditor, "main table tbody tr td:nth-child(3):has-text('已发布')");
            states = auditor.locator("main table tbody tr td:nth-child(3)").allTextContents();
            assertTrue(states.stream().allMatch(text -> text.contains("已发布")), states.toString());

            // The search shows 20 hits, then the next ones on request, until there are no more.
            auditor.navigate(gateway + "/console#/search?q=" + java.net.URLEncoder.encode("信息",
                    java.nio.charset.StandardCharsets.UTF_8));
            awaitOn(auditor, "#hits li");
            int total = Integer.parseInt(auditor.textContent("#total").replace(",", "")
                    .replaceAll("(?s)^\\D*(\\d+).*", "$1"));
            assertTrue(total > 20, "the demo catalogue should hold more than 20 hits for 信息: " + total);
            assertEquals(20, auditor.locator("#hits li").count());
            auditor.click("#more-hits");
            auditor.waitForFunction("() => document.querySelectorAll('#hits li').length > 20", null,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertEquals(Math.min(40, total), auditor.locator("#hits li").count());
            List<String> codes = auditor.locator("#hits li .code").allTextContents();
            assertEquals(codes.size(), new java.util.HashSet<>(codes).size(), "a hit shown twice: " + codes);
            assertEquals(total > 40, auditor.isVisible("#more-hits"));
        }
    }

    @Test
    void anEditorExportsItsCatalogueAndImportsASheetInTheConsole() throws Exception {
        String name = "居民户籍信息（导入）" + (System.nanoTime() % 100_000);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page editor = logIn(browser, "gat.operator");
            editor.navigate(gateway + "/console#/entries");
            awaitOn(editor, "#sheet-export a:text('CSV')");
            com.microsoft.playwright.Download download = editor.waitForDownload(
                    () -> editor.click("#sheet-export a:text('CSV')"));
            String exported = Files.readString(download.path(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(exported.startsWith("序号") || exported.startsWith("\uFEFF序号"), exported.lines().findFirst()
                    .orElse(""));
            assertTrue(exported.contains("居民户籍信息"), "the export lacks the department's entry");

            // A file that is not a catalogue sheet: refused, nothing stored, the reason shown.
            Path bad = Files.createTempFile("not-a-catalogue", ".csv");
            Files.writeString(bad, "名称,其他\nx,y\n");
            editor.setInputFiles("#import-form [name=file]", bad);
            answer(editor, () -> editor.click("#import-form button[type=submit]"), "bad import", "error");
            assertTrue(editor.textContent("#notice").contains("表头缺少列"), editor.textContent("#notice"));

            // The export again, with the entry renamed and its resource code cleared (a coded row is the entry of
            // that code): the renamed entry becomes a new draft, the rest are left as they are (published entries
            // are never overwritten by an import).
            Path sheet = Files.createTempFile("catalogue", ".csv");
            Files.writeString(sheet, withoutCode(exported.replace("居民户籍信息", name), name));
            editor.setInputFiles("#import-form [name=file]", sheet);
            answer(editor, () -> editor.click("#import-form button[type=submit]"), "import", "ok");
            assertTrue(editor.textContent("#notice").contains("新建 1"), editor.textContent("#notice"));
            String report = editor.textContent("#import-report");
            assertTrue(report.contains(name) && report.contains("新建草稿"), report);
            assertTrue(report.contains("未变"), report);
            editor.click("#import-report a:text-is('" + name + "')");
            awaitOn(editor, "#entry-state");
            assertEquals(name, editor.textContent("#entry-name"));
            assertTrue(editor.textContent("#entry-state").contains("草稿"), editor.textContent("main"));
        }
    }

    /** The CSV sheet with the 信息资源代码 of the rows of the entry named {@code name} left empty. */
    private static String withoutCode(String csv, String name) {
        String separator = csv.contains("\r\n") ? "\r\n" : "\n";
        String[] lines = csv.split("\r?\n", -1);
        String outsideQuotes = ",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)";
        List<String> header = List.of(lines[0].replace("\uFEFF", "").split(outsideQuotes, -1));
        int nameColumn = header.indexOf("信息资源名称");
        int codeColumn = header.indexOf("信息资源代码");
        assertTrue(nameColumn >= 0 && codeColumn >= 0, "columns of the sheet: " + header);
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(outsideQuotes, -1);
            if (cells.length > Math.max(nameColumn, codeColumn) && cells[nameColumn].replace("\"", "").equals(name)) {
                cells[codeColumn] = "";
                lines[i] = String.join(",", cells);
            }
        }
        return String.join(separator, lines);
    }

    @Test
    void aDepartmentRequestsDataInTheConsoleAndTheProviderApprovesIt() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 公积金中心's operator finds 公安厅's 居民户籍信息 and asks for two items of it.
            Page consumer = logIn(browser, "gjj.operator");
            consumer.navigate(gateway + "/console#/search?q=" + java.net.URLEncoder.encode("居民户籍",
                    java.nio.charset.StandardCharsets.UTF_8));
            awaitOn(consumer, "#hits li");
            // The hit's name carries the search's highlight marks, so it is matched by its text content.
            consumer.locator("#hits li > a", new Page.LocatorOptions().setHasText("居民户籍信息")).first().click();
            awaitOn(consumer, "#share-request");
            // Without the attestation the exchange refuses, and the form says so beside the attestation.
            consumer.check("#share-request input[name=items][value=GMSFHM]");
            consumer.check("#share-request input[name=items][value=XM]");
            // A conditionally shared entry offers only its permitted purposes.
            assertEquals(1, consumer.locator("#share-request select[name=purpose]").count());
            consumer.fill("#share-request [name=scenario]", "住房公积金提取业务身份核验");
            consumer.fill("#share-request [name=legalBasis]", "《住房公积金管理条例》第二十四条");
            consumer.fill("#share-request [name=scope]", "省住房公积金管理中心提取业务");
            // who approves the request: the department's head, with its own account (R7)
            assertTrue(consumer.textContent("#head-approval-note").contains("本部门负责人"),
                    consumer.textContent("#share-request"));
            // 隐蔽查询 is declared only on purpose: its legal basis and period show once the box is ticked
            assertFalse(consumer.isVisible("#share-request [name=covertLegalBasis]"));
            consumer.check("#covert-declared");
            assertTrue(consumer.isVisible("#share-request [name=covertLegalBasis]"));
            assertTrue(consumer.isVisible("#share-request [name=covertMaxPeriod]"));
            // declared without its legal basis, and without the attestation: the exchange names both beside them
            consumer.click("#share-request button[type=submit]");
            awaitOn(consumer, "[data-field=attestation].invalid");
            awaitOn(consumer, "[data-field='covertUse.legalBasis'].invalid");
            consumer.uncheck("#covert-declared");
            assertFalse(consumer.isVisible("#share-request [name=covertLegalBasis]"));
            consumer.check("#share-request [name=truthful]");
            consumer.check("#share-request [name=lawful]");
            consumer.check("#share-request [name=necessary]");
            consumer.click("#share-request button[type=submit]");
            awaitOn(consumer, "#notice.ok");
            assertTrue(consumer.textContent("#notice").contains("request filed"), consumer.textContent("#notice"));
            String filed = consumer.textContent("#notice").replaceAll("(?s).*#(\\d+).*", "$1");
            assertTrue(consumer.textContent("#notice").contains("待本部门负责人审核"), consumer.textContent("#notice"));

            // 公积金中心's head finds it awaiting its approval and approves it: only then does 公安厅 receive it.
            Page head = openAwaitingHead(browser, "gjj.head", "request-approvals", filed, "#head-approve");
            submit(head, "#head-approve", "#request-status", "ok");
            awaitOn(head, "main dl");
            assertTrue(head.textContent("main dl").contains("朱红"), head.textContent("main dl"));

            // 公安厅's operator sees it among the requests to 公安厅 and proposes to approve it: the answer goes to
            // 公安厅's head (条例第二十条第三款), the requester sees only that it awaits the provider's head.
            Page provider = logIn(browser, "gat.operator");
            provider.navigate(gateway + "/console#/requests");
            awaitOn(provider, "main table td:text-is('" + filed + "')");
            provider.click("main tr:has(td:text-is('" + filed + "')) button:has-text('拟同意')");
            provider.waitForFunction("id => [...document.querySelectorAll('main tr')].some(r =>"
                    + " r.firstChild && r.firstChild.textContent === id && /答复待提供部门负责人审核/.test(r.textContent))",
                    filed, new Page.WaitForFunctionOptions().setTimeout(20_000));
            consumer.navigate(gateway + "/console#/requests/" + filed);
            awaitOn(consumer, "#answer-approval-pending");
            assertEquals(0, consumer.locator("#proposed-answer, #answer-approve").count(), consumer.textContent("main"));

            // 公安厅's head finds the proposed answer awaiting its approval and approves it: the grant is issued.
            Page providerHead = openAwaitingHead(browser, "gat.head", "answer-approvals", filed, "#answer-approve");
            assertTrue(providerHead.textContent("#proposed-answer").contains("GMSFHM"),
                    providerHead.textContent("#proposed-answer"));
            submit(providerHead, "#answer-approve", "#request-grant", "ok");
            assertTrue(providerHead.textContent("#request-status").contains("已同意"), providerHead.textContent("main"));
            assertTrue(providerHead.textContent("main dl").contains("钱伟"), providerHead.textContent("main dl"));

            // The consumer now holds a grant on 居民户籍信息 for those items.
            consumer.navigate(gateway + "/console#/grants");
            try {
                consumer.waitForFunction("() => [...document.querySelectorAll('main tr')].some(r =>"
                        + " r.textContent.includes('浙江省公安厅') && r.textContent.includes('有效'))", null,
                        new Page.WaitForFunctionOptions().setTimeout(20_000));
            } catch (RuntimeException e) {
                throw new AssertionError("no active grant from 公安厅: " + consumer.textContent("main"), e);
            }
        }
    }

    @Test
    void aRefusedDepartmentDisputesTheRefusalAndTheAuthorityDecidesForSharingInTheConsole() throws Exception {
        // 公积金中心 asks 不动产登记中心 for its 查封 records (filed through the API, as a department system would).
        String gjj = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("gjj.operator", DEMO_PASSWORD, "openid profile");
        awaitSearchHit("不动产查封", "不动产查封登记信息", Duration.ofSeconds(60)); // the index fills after start-up
        List<Map<String, Object>> hits = given().auth().oauth2(gjj).get(gateway + "/api/catalog/v1/search?q=不动产查封&size=50")
                .then().statusCode(200).extract().jsonPath().getList("hits");
        long entryId = hits.stream().filter(hit -> "不动产查封登记信息".equals(hit.get("name")))
                .map(hit -> ((Number) hit.get("id")).longValue()).findFirst()
                .orElseThrow(() -> new AssertionError("不动产查封登记信息 not among " + hits));
        var entry = given().auth().oauth2(gjj).get(gateway + "/api/catalog/v1/entries/" + entryId).then()
                .statusCode(200).extract().jsonPath();
        List<String> purposes = entry.getList("published.permittedPurposes");
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("resourceCode", entry.getString("resourceCode"));
        body.put("items", List.of("BDCDYH", "CFJG"));
        // a conditionally shared entry is asked only for one of its permitted purposes
        body.put("purpose", purposes == null || purposes.isEmpty() ? "住房公积金贷款审批" : purposes.get(0));
        body.put("scenario", "公积金贷款抵押物查封状态核验");
        body.put("legalBasis", "《住房公积金管理条例》第二十六条");
        body.put("scope", "省住房公积金管理中心贷款业务");
        body.put("deliveryMethod", "API");
        body.put("periodFrom", java.time.LocalDate.now().toString());
        body.put("periodTo", java.time.LocalDate.now().plusYears(1).toString());
        body.put("attestation", Map.of("truthful", true, "lawful", true, "necessary", true));
        io.restassured.response.Response filing = given().auth().oauth2(gjj).contentType("application/json")
                .body(body).post(gateway + "/api/exchange/v1/requests");
        assertEquals(201, filing.statusCode(), filing.asString());
        assertEquals("AWAITING_HEAD_APPROVAL", filing.jsonPath().getString("status"), filing.asString());
        String filed = filing.jsonPath().getString("id");
        // 公积金中心's head approves it (R7), through the API as the department's system would pass it on
        String gjjHead = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("gjj.head", DEMO_PASSWORD, "openid profile");
        io.restassured.response.Response approval = given().auth().oauth2(gjjHead).contentType("application/json")
                .body(Map.of("version", filing.jsonPath().getInt("version"))).post(gateway
                        + "/api/exchange/v1/requests/" + filed + "/head-approval");
        assertEquals(200, approval.statusCode(), approval.asString());
        assertEquals("PENDING", approval.jsonPath().getString("status"), approval.asString());
        String row = "main tr:has(td:text-is('" + filed + "'))";
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 不动产登记中心 refuses it with a reason.
            Page provider = logIn(browser, "bdc.operator");
            provider.navigate(gateway + "/console#/requests");
            awaitOn(provider, row + " [data-request]");
            provider.fill(row + " [name=reason]", "查封信息仅限司法协助使用");
            answer(provider, () -> provider.click(row + " button:has-text('不予共享')"), "refuse", "ok");
            // the refusal is given once 不动产登记中心's head approves it (条例第二十条第三款)
            Page providerHead = logIn(browser, "bdc.head");
            providerHead.navigate(gateway + "/console#/requests/" + filed);
            awaitOn(providerHead, "#answer-approve");
            assertTrue(providerHead.textContent("#proposed-answer").contains("仅限司法协助"),
                    providerHead.textContent("main"));
            submit(providerHead, "#answer-approve", "#refusal", "ok");

            // 公积金中心 disputes the refusal (条例 Art. 28).
            Page consumer = logIn(browser, "gjj.operator");
            // the form typed in without its request says where disputes are opened, not "request #null"
            consumer.navigate(gateway + "/console#/disputes/new");
            awaitOn(consumer, "#dispute-without-subject");
            assertEquals(0, consumer.locator("#dispute-form").count());
            consumer.navigate(gateway + "/console#/requests");
            awaitOn(consumer, row + " [data-dispute-request] a.dispute-new");
            consumer.click(row + " [data-dispute-request] a.dispute-new");
            // the departments negotiate first: the form records that negotiation with the reason
            awaitOn(consumer, "#dispute-form");
            consumer.fill("#dispute-form [name=reason]", "贷款审批须核验抵押物是否被查封，属法定职责");
            answer(consumer, () -> consumer.click("#dispute-form button[type=submit]"), "dispute without negotiation",
                    "error");
            assertEquals(1, consumer.locator("#dispute-form [data-field='negotiation.participants'].invalid").count(),
                    consumer.textContent("#dispute-form"));
            assertEquals(1, consumer.locator("#dispute-form [data-field='negotiation.outcome'].invalid").count(),
                    consumer.textContent("#dispute-form"));
            consumer.fill("#dispute-form [name=negotiationParticipants]", "省公积金中心 吴科长\n省不动产登记中心 周科长");
            consumer.fill("#dispute-form [name=negotiationOutcome]", "提供部门坚持不予共享，双方未达成一致");
            answer(consumer, () -> consumer.click("#dispute-form button[type=submit]"), "dispute", "ok");
            String dispute = consumer.textContent("#notice").replaceAll("(?s).*#(\\d+).*", "$1");
            String disputeRow = "main tr:has(td:text-is('" + dispute + "'))";
            awaitOn(consumer, disputeRow);
            assertTrue(consumer.textContent(disputeRow).contains("协调中"), consumer.textContent(disputeRow));
            // The parties are offered no decision.
            assertEquals(0, consumer.locator(disputeRow + " [data-dispute]").count());
            // Back on its requests, the refusal now links to the open dispute instead of offering a second one.
            consumer.navigate(gateway + "/console#/requests");
            awaitOn(consumer, row + " a.dispute-open");
            assertTrue(consumer.textContent(row).contains("#" + dispute), consumer.textContent(row));
            assertEquals(0, consumer.locator(row + " a.dispute-new").count());

            // Both departments are provincial: the province's authority (大数据局) decides for sharing, and the
            // request goes back to the provider for a new answer.
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/disputes");
            awaitOn(reviewer, disputeRow + " [data-dispute]");
            assertTrue(reviewer.textContent(disputeRow).contains("330000"), reviewer.textContent(disputeRow));
            reviewer.fill(disputeRow + " [name=resolution]", "贷款审批核验查封状态属履职所需，提供部门应重新答复");
            answer(reviewer, () -> reviewer.click(disputeRow + " button:has-text('应予共享')"), "resolve", "ok");
            assertTrue(reviewer.textContent(disputeRow).contains("协调共享"), reviewer.textContent(disputeRow));

            provider.reload(); // the same address: only a reload reads the requests again
            awaitOn(provider, row + " [data-request]");
            assertTrue(provider.textContent(row).contains("待审核"), provider.textContent(row));
        }
    }

    @Test
    void aProviderReportsASecurityIncidentAndTheAuthorityHasItRectifiedInTheConsole() throws Exception {
        awaitSearchHit("居民户籍", "居民户籍信息", Duration.ofSeconds(60));
        // an entry not open to the public is found by logged-in callers only
        String system = clientCredentials("gat-population-system", "demo-gat-population-secret");
        // the exchange knows the entry once its replica took it from the catalogue's feed (its demo grant shows it)
        awaitGrants(system, Duration.ofSeconds(120));
        List<Map<String, Object>> hits = given().auth().oauth2(system)
                .get(gateway + "/api/catalog/v1/search?q=居民户籍&size=50").then()
                .statusCode(200).extract().jsonPath().getList("hits");
        String code = hits.stream().filter(hit -> "居民户籍信息".equals(hit.get("name")))
                .map(hit -> (String) hit.get("resourceCode")).findFirst()
                .orElseThrow(() -> new AssertionError("居民户籍信息 not among " + hits));
        String what = "测试：导出文件误发至外部邮箱" + (System.nanoTime() % 100_000);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 公安厅 reports a leak of its own data (条例 Arts. 34–35); refused first without the measures taken.
            Page provider = logIn(browser, "gat.operator");
            provider.navigate(gateway + "/console#/incidents");
            awaitOn(provider, "#incident-form");
            provider.fill("#incident-form [name=resourceCode]", code);
            provider.fill("#incident-form [name=description]", what);
            submit(provider, "#incident-form", "[data-field=measuresTaken].invalid", "error");
            provider.fill("#incident-form [name=measuresTaken]", "已撤回邮件并通知收件方删除");
            submit(provider, "#incident-form", "main tr:has-text('" + what + "')", "ok");
            String row = "main tr:has-text('" + what + "')";
            assertTrue(provider.textContent(row).contains("已报告") && provider.textContent(row).contains("重大"),
                    provider.textContent(row));

            // The province's authority requires a rectification report; 公安厅 files it; the authority closes.
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/incidents");
            awaitOn(reviewer, row + " [data-incident]");
            reviewer.fill(row + " [name=incident-text]", "查明原因，完善导出文件管理制度，十个工作日内报送整改报告");
            answer(reviewer, () -> reviewer.click(row + " button:has-text('责令整改')"), "require", "ok");
            assertTrue(reviewer.textContent(row).contains("整改中"), reviewer.textContent(row));

            provider.reload();
            awaitOn(provider, row + " [data-incident]");
            provider.fill(row + " [name=incident-text]", "已修订导出审批流程，对责任人批评教育");
            answer(provider, () -> provider.click(row + " button:has-text('报送整改报告')"), "report", "ok");
            assertTrue(provider.textContent(row).contains("已整改"), provider.textContent(row));

            reviewer.reload();
            awaitOn(reviewer, row + " [data-incident]");
            reviewer.fill(row + " [name=incident-text]", "整改到位，结案");
            answer(reviewer, () -> reviewer.click(row + " button:has-text('结案')"), "close", "ok");
            assertTrue(reviewer.textContent(row).contains("已结案") && reviewer.textContent(row).contains("整改到位"),
                    reviewer.textContent(row));
        }
    }

    @Test
    void anAdminRegistersADepartmentItsStaffAndASystemInTheConsoleAndTheAuditorSeesIt() throws Exception {
        String suffix = String.valueOf(System.nanoTime() % 1_000_000);
        String first17 = "12330000" + String.format("%09d", System.nanoTime() % 1_000_000_000L);
        String code = first17 + CreditCode.checkCharacter(first17);
        String wrongCode = first17 + (code.endsWith("0") ? "1" : "0");
        String department = "浙江省数据共享测试中心" + suffix;
        String username = "sjzx.editor" + suffix;
        String clientId = "sjzx-system-" + suffix;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page admin = logIn(browser, "dsj.admin");
            String nav = admin.textContent("#nav");
            assertTrue(nav.contains("账户") && nav.contains("部门") && nav.contains("接入应用") && nav.contains("同义词"), nav);

            // A department: refused first for a wrong check character (the message beside the code), then registered.
            admin.click("#nav a[href='#/departments']");
            admin.click("#new-department");
            awaitOn(admin, "#department-form");
            admin.fill("#department-form [name=code]", wrongCode);
            admin.fill("#department-form [name=name]", department);
            admin.fill("#department-form [name=regionCode]", "330000");
            admin.selectOption("#department-form [name=level]", "PROVINCE");
            admin.selectOption("#department-form [name=kind]", "AUTHORISED_ORGANISATION");
            admin.fill("#department-form [name=reason]", "浙编〔2026〕99号 设立");
            submit(admin, "#department-form", "[data-field=code].invalid", "error");
            assertTrue(admin.textContent("[data-field=code] .error").contains("校验码"),
                    admin.textContent("#department-form"));
            // The field the service named is marked invalid and has the focus (keyboard and screen-reader users).
            assertEquals(true, admin.evaluate("() => document.activeElement.name === 'code'"
                    + " && document.activeElement.getAttribute('aria-invalid') === 'true'"));
            admin.fill("#department-form [name=code]", code);
            submit(admin, "#department-form", "#department-name", "ok");
            assertEquals(department, admin.textContent("#department-name"));

            // A member of its staff, with roles, disabled and enabled again.
            admin.click("#nav a[href='#/accounts']");
            admin.click("#new-account");
            awaitOn(admin, "#account-form");
            admin.selectOption("#account-form [name=type]", "CIVIL_SERVANT");
            admin.fill("#account-form [name=username]", username);
            admin.fill("#account-form [name=displayName]", "测试编目员" + suffix);
            admin.selectOption("#account-form [name=departmentCode]", code);
            admin.check("#account-form [name=roles][value=catalog-editor]");
            admin.fill("#account-form [name=password]", "Zj@2026-console" + suffix);
            submit(admin, "#account-form", "#account-name", "ok");
            String accountUrl = admin.url();
            admin.check("#account-roles [name=roles][value=operator]");
            submit(admin, "#account-roles", "#account-name", "ok");
            assertTrue(admin.textContent("main dl").contains("共享专员"), admin.textContent("main dl"));
            click(admin, "#disable-account");
            assertTrue(admin.textContent("#account-status").contains("已停用"), admin.textContent("main"));
            click(admin, "#enable-account");
            assertTrue(admin.textContent("#account-status").contains("正常"), admin.textContent("main"));

            // A department system: its secret is shown once, and it is a real client of the real token endpoint.
            admin.click("#nav a[href='#/clients']");
            admin.click("#new-client");
            awaitOn(admin, "#client-form");
            admin.fill("#client-form [name=clientId]", clientId);
            admin.fill("#client-form [name=name]", department + "交换系统");
            admin.selectOption("#client-form [name=departmentCode]", code);
            submit(admin, "#client-form", "#client-name", "ok");
            String secret = admin.textContent("#client-secret");
            assertTrue(secret.length() >= 32, "secret: " + secret);
            String token = clientCredentials(clientId, secret);
            given().auth().oauth2(token).get(gateway + "/api/catalog/v1/search?q=" + "社保").then().statusCode(200);
            // A new secret ends the old one at once: the page asks first, and cancelled the old one still works.
            admin.click("#rotate-secret");
            awaitOn(admin, "#rotate-secret + [role=alertdialog]");
            assertTrue(admin.textContent("#rotate-secret + [role=alertdialog]").contains("旧密钥立即失效"),
                    admin.textContent("#rotate-secret + [role=alertdialog]"));
            admin.click("#rotate-secret + [role=alertdialog] button.confirm-no");
            assertEquals(0, admin.locator("[role=alertdialog]").count(), admin.textContent("main"));
            clientCredentials(clientId, secret);
            confirmed(admin, "#rotate-secret", "ok");
            String rotated = admin.textContent("#client-secret");
            assertNotEquals(secret, rotated);
            secret = rotated;
            // Changed twice in a row: each save shows the client again with its new version.
            admin.fill("#client-form [name=name]", department + "数据交换系统");
            submit(admin, "#client-form", "#client-name", "ok");
            assertTrue(admin.textContent("#client-name").contains("数据交换系统"), admin.textContent("#client-name"));
            admin.fill("#client-form [name=name]", department + "数据交换系统（二期）");
            submit(admin, "#client-form", "#client-name", "ok");
            assertTrue(admin.textContent("#client-name").contains("二期"), admin.textContent("#client-name"));
            click(admin, "#disable-client");
            assertTrue(admin.textContent("#client-status").contains("停用"), admin.textContent("main"));
            var refused = new TokenRequest(URI.create(gateway + "/oidc/token"), new ClientSecretBasic(
                    new ClientID(clientId), new Secret(secret)), new ClientCredentialsGrant(), new Scope("catalog"))
                    .toHTTPRequest().send();
            assertEquals(401, refused.getStatusCode(), refused.getBody());
            assertTrue(refused.getBody().contains("invalid_client"), refused.getBody());

            // The accounts list filtered by the new department shows its one member of staff.
            admin.navigate(gateway + "/console#/accounts?department=" + code);
            awaitOn(admin, "main table a:text-is('" + username + "')");
            assertEquals(1, admin.locator("main table tbody tr").count(), admin.textContent("main table"));

            // The working-day calendar: a holiday moves a deadline by a day, and removing it moves it back.
            admin.navigate(gateway + "/console#/calendar?year=2027");
            awaitOn(admin, "#calendar-day");
            admin.fill("#working-days [name=start]", "2027-06-29");
            admin.fill("#working-days [name=days]", "1");
            countWorkingDays(admin, "2027-06-30");
            // no 2027 notice is entered yet: the page says how far the notices reach, and 2027's counts are provisional
            assertTrue(admin.textContent("#calendar-coverage").contains("2026-12-31"), admin.textContent("main"));
            assertTrue(admin.textContent("#working-days-end").contains("暂定"), admin.textContent("#working-days-end"));
            admin.fill("#calendar-day [name=day]", "2027-06-30");
            admin.selectOption("#calendar-day [name=kind]", "holiday");
            admin.fill("#calendar-day [name=name]", "测试假日");
            admin.fill("#calendar-day [name=reason]", "系统测试：临时假日");
            submit(admin, "#calendar-day", "main table td:text-is('2027-06-30')", "ok");
            admin.fill("#working-days [name=start]", "2027-06-29");
            admin.fill("#working-days [name=days]", "1");
            countWorkingDays(admin, "2027-07-01");
            // one day is not the year's notice: 2027 stays provisional until its 春节 and 国庆节 week are entered
            assertTrue(admin.textContent("#calendar-coverage").contains("2026-12-31"), admin.textContent("main"));
            assertTrue(admin.textContent("#working-days-end").contains("暂定"), admin.textContent("#working-days-end"));
            // a removal needs its reason too, and both changes are on record with the admin and the reasons
            admin.fill("#calendar-day [name=reason]", "系统测试：撤销临时假日");
            click(admin, "#delete-day-2027-06-30");
            assertFalse(admin.textContent("main").contains("测试假日"), admin.textContent("main"));
            admin.navigate(gateway + "/console#/calendar/changes?day=2027-06-30");
            awaitOn(admin, "main table td:has-text('系统测试：撤销临时假日')");
            assertTrue(admin.textContent("main table").contains("系统测试：临时假日"), admin.textContent("main table"));

            // Curated search data: a synonym added and removed again.
            admin.click("#nav a[href='#/synonyms']");
            awaitOn(admin, "#synonym-form");
            admin.fill("#synonym-form [name=term]", "测流" + suffix);
            admin.fill("#synonym-form [name=expansion]", "流动人口");
            submit(admin, "#synonym-form", "main table td:text-is('测流" + suffix + "')", "ok");
            click(admin, "[id='delete-synonym-测流" + suffix + "']");
            assertFalse(admin.textContent("main table").contains("测流" + suffix), admin.textContent("main table"));

            // The clients list finds the system by its id.
            admin.navigate(gateway + "/console#/clients?q=" + clientId);
            awaitOn(admin, "main table a:text-is('" + clientId + "')");
            assertEquals(1, admin.locator("main table tbody tr").count(), admin.textContent("main table"));

            // The department is deactivated (撤销) and reactivated, each with its reason.
            admin.navigate(gateway + "/console#/departments/" + code);
            awaitOn(admin, "#department-deactivate");
            admin.fill("#department-deactivate [name=reason]", "机构改革：职责并入大数据局");
            submit(admin, "#department-deactivate", "#department-reactivate", "ok");
            assertTrue(admin.textContent("#department-status").contains("已撤销"), admin.textContent("main"));
            admin.fill("#department-reactivate [name=reason]", "撤销决定已撤回");
            submit(admin, "#department-reactivate", "#department-deactivate", "ok");
            assertTrue(admin.textContent("#department-status").contains("有效"), admin.textContent("main"));

            // The auditor reads the account and its audit trail, and is offered no client administration.
            Page auditor = logIn(browser, "dsj.auditor");
            assertFalse(auditor.textContent("#nav").contains("接入应用"), auditor.textContent("#nav"));
            auditor.navigate(accountUrl);
            // the page the login landed on has a table too: wait for the account's audit trail itself
            awaitOn(auditor, "main table:has-text('创建账户 / account created')");
            String trail = auditor.textContent("main table:has-text('创建账户 / account created')");
            assertTrue(trail.contains("创建账户 / account created") && trail.contains("变更角色 / roles changed"), trail);
            assertEquals(0, auditor.locator("#account-roles, #disable-account, #enable-account").count(),
                    "the auditor is offered changes: " + auditor.textContent("main"));
            admin.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/console-admin.png")));
        }
    }

    /** Fills the action form's fields, sends it and waits for the page to report this action's success. */
    private static void sendForm(Page page, String form, Map<String, String> fields) {
        awaitOn(page, form);
        fields.forEach((field, value) -> page.fill(form + " [name=" + field + "]", value));
        submit(page, form, "#entry-state", "ok");
    }

    /** Runs the calendar page's working-day counter and checks the end day it shows. */
    private static void countWorkingDays(Page page, String end) {
        page.click("#working-days button[type=submit]");
        try {
            page.waitForFunction("end => document.getElementById('working-days-end').textContent.includes(end)", end,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
        } catch (RuntimeException e) {
            throw new AssertionError("the counter did not show " + end + ": " + page.textContent("#working-days")
                    + "; notice: " + page.textContent("#notice"), e);
        }
    }

    private void awaitSearchHit(String query, String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String token = null;
        while (System.nanoTime() < deadline) {
            try {
                token = token == null ? clientCredentials("gat-population-system", "demo-gat-population-secret")
                        : token;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            List<String> names = given().auth().oauth2(token).get(gateway + "/api/catalog/v1/search?q=" + query)
                    .then().statusCode(200).extract().jsonPath().getList("hits.name");
            if (names.contains(name)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(name + " not found by the search within " + timeout.toSeconds() + " s");
    }

    /**
     * Waits for the exchange's demo grant 公安厅 → 人社厅, which it creates once 公安厅's entry reached its replica
     * through the catalogue's feed (other tests may create grants of their own meanwhile).
     */
    private List<Map<String, Object>> awaitGrants(String token, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map<String, Object>> grants = List.of();
        while (System.nanoTime() < deadline) {
            grants = given().auth().oauth2(token).get(gateway + "/api/exchange/v1/grants").then().statusCode(200)
                    .extract().jsonPath().getList("$");
            if (grants.stream().anyMatch(g -> "11330000002481060E".equals(g.get("consumerDepartmentCode"))
                    && "11330000002481020A".equals(g.get("providerDepartmentCode")))) {
                return grants;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("no demo grant 公安厅 → 人社厅 within " + timeout.toSeconds() + " s: " + grants);
    }
}
