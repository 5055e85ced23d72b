package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

/**
 * Driving the console in Chromium against the {@link SharedSuite}: logging in through the real login page, waiting
 * for what a page shows, and for the page's own answer to an action (its notice). Also real client-credentials
 * tokens for calls a department's system makes.
 */
public final class ConsolePages {

    /** The demo accounts' password (the local run's demo data). */
    public static final String DEMO_PASSWORD = "Zj@2026onenet";

    private ConsolePages() {
    }

    public static Browser chromium(Playwright playwright) {
        Path chromium = Paths.get(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        assertTrue(Files.isExecutable(chromium),
                "Chromium not found at " + chromium + ": install it (apt-get install -y chromium) or set CHROMIUM");
        return playwright.chromium().launch(new BrowserType.LaunchOptions().setHeadless(true)
                .setExecutablePath(chromium)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run")));
    }

    /** A new browser session logged in to the console through the real login page; waits for the page's script. */
    public static Page logIn(Browser browser, String username) {
        return logIn(browser, username, new Browser.NewContextOptions());
    }

    /** The same, in a browser context of its own options (e.g. another time zone). */
    public static Page logIn(Browser browser, String username, Browser.NewContextOptions options) {
        String gateway = SharedSuite.gateway();
        Page page = browser.newContext(options).newPage();
        page.navigate(gateway + "/console");
        assertTrue(page.url().startsWith(gateway + "/oidc/"), "not sent to the login page: " + page.url());
        page.fill("#username", username);
        page.fill("#password", DEMO_PASSWORD);
        page.click("#submit");
        try {
            page.waitForURL(url -> url.startsWith(gateway + "/console"), new Page.WaitForURLOptions().setTimeout(30_000));
            page.waitForSelector("#nav li");
        } catch (RuntimeException e) {
            throw new AssertionError("after login the browser is at " + page.url() + ": " + page.content(), e);
        }
        return page;
    }

    /**
     * Logs a head in and opens, from its work list ({@code request-approvals}: requests awaiting its approval;
     * {@code answer-approvals}: answers awaiting it), the request with this id; waits for the form it decides with.
     */
    public static Page openAwaitingHead(Browser browser, String head, String list, String id, String form) {
        Page page = logIn(browser, head);
        page.navigate(SharedSuite.gateway() + "/console#/" + list);
        String row = "#" + list + " tr:has(td:text-is('" + id + "'))";
        awaitOn(page, row);
        page.click(row + " a.open");
        awaitOn(page, form);
        return page;
    }

    /** Sends the form and waits for the page's answer (the notice of the given kind) and then for the selector. */
    public static void submit(Page page, String form, String then, String kind) {
        answer(page, () -> page.click(form + " button[type=submit]"), form, kind);
        awaitOn(page, then);
    }

    /**
     * Sends a form whose action cannot be undone: the page first asks beside its button (an alert dialog), nothing
     * being sent yet; confirmed, waits for the page's answer (the notice of the given kind) and then for the selector.
     */
    public static void submitConfirmed(Page page, String form, String then, String kind) {
        confirmed(page, form + " button[type=submit]", kind);
        awaitOn(page, then);
    }

    /** Clicks a button whose action cannot be undone, confirms what the page asks and waits for its answer. */
    public static void confirmed(Page page, String button, String kind) {
        awaitOn(page, button);
        page.click(button);
        String yes = button + " + [role=alertdialog] button.confirm-yes";
        awaitOn(page, yes);
        answer(page, () -> page.click(yes), button, kind);
    }

    /** Clicks an action button and waits for the page to report its success. */
    public static void click(Page page, String button) {
        awaitOn(page, button);
        answer(page, () -> page.click(button), button, "ok");
    }

    /** Runs the action and waits for the page's notice to change; asserts its kind (ok, error). */
    public static void answer(Page page, Runnable action, String what, String kind) {
        String before = String.valueOf(page.getAttribute("#notice", "data-seq"));
        action.run();
        try {
            page.waitForFunction("before => { const n = document.getElementById('notice');"
                    + " return String(n.dataset.seq) !== before && n.className !== 'info'; }", before,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
        } catch (RuntimeException e) {
            throw new AssertionError("no answer to " + what + ": " + page.textContent("main"), e);
        }
        assertEquals(kind, page.getAttribute("#notice", "class"), what + ": " + page.textContent("#notice"));
    }

    /** Waits for the selector; on a timeout the failure shows what the page said (the notice, the main part). */
    public static void awaitOn(Page page, String selector) {
        try {
            page.waitForSelector(selector, new Page.WaitForSelectorOptions().setTimeout(20_000));
        } catch (RuntimeException e) {
            throw new AssertionError("no " + selector + " at " + page.url() + "; notice: "
                    + page.textContent("#notice") + "; page: " + page.textContent("main"), e);
        }
    }

    /** A real access token for a department's system (client credentials through the gateway). */
    public static String clientCredentials(String clientId, String secret) throws Exception {
        TokenRequest request = new TokenRequest(URI.create(SharedSuite.gateway() + "/oidc/token"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), new ClientCredentialsGrant(),
                new Scope("catalog", "exchange"));
        return CodeFlowClient.parse(request).toSuccessResponse().getTokens().getAccessToken().getValue();
    }

    /** The resource of the demo grant 公安厅 → 人社厅, once the exchange has created it from the catalogue's feed. */
    public static String demoGrantResource(String token) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        List<Map<String, Object>> grants = List.of();
        while (System.nanoTime() < deadline) {
            grants = given().auth().oauth2(token).get(SharedSuite.gateway() + "/api/exchange/v1/grants").then()
                    .statusCode(200).extract().jsonPath().getList("$");
            for (Map<String, Object> g : grants) {
                // 人社厅 the consumer, 公安厅 the provider
                if ("11330000002481060E".equals(g.get("consumerDepartmentCode"))
                        && "11330000002481020A".equals(g.get("providerDepartmentCode"))) {
                    return (String) g.get("resourceCode");
                }
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("no demo grant 公安厅 → 人社厅: " + grants);
    }

    /**
     * Files a request for items of a published entry found by the search (for one of its permitted purposes, if it
     * names any), as an operator without the head's role does: it awaits the department head's approval.
     */
    public static long fileAwaiting(String token, String query, String name, List<String> items)
            throws InterruptedException {
        String gateway = SharedSuite.gateway();
        var entry = given().auth().oauth2(token).get(gateway + "/api/catalog/v1/entries/"
                + requestableEntryId(token, query, name)).then().statusCode(200).extract().jsonPath();
        List<String> purposes = entry.getList("published.permittedPurposes");
        Map<String, Object> body = new HashMap<>(Map.of("resourceCode", entry.getString("resourceCode"),
                "items", items, "legalBasis", "《社会保险法》第七十五条", "scenario", "社会保险待遇资格核验",
                "scope", "省社会保险经办机构", "deliveryMethod", "API",
                "attestation", Map.of("truthful", true, "lawful", true, "necessary", true)));
        body.put("purpose", purposes == null || purposes.isEmpty() ? "政务服务事项办理" : purposes.get(0));
        body.put("periodFrom", LocalDate.now().toString());
        body.put("periodTo", LocalDate.now().plusYears(1).toString());
        var filed = given().auth().oauth2(token).contentType("application/json").body(body)
                .post(gateway + "/api/exchange/v1/requests");
        assertEquals(201, filed.statusCode(), filed.asString());
        assertEquals("AWAITING_HEAD_APPROVAL", filed.jsonPath().getString("status"), filed.asString());
        return filed.jsonPath().getLong("id");
    }

    /**
     * The id of the published entry of this name once a share request for it can be filed: the catalogue's search
     * finds it ({@link #publishedEntryId}) and the exchange's copy of the catalogue holds it. The exchange reads the
     * catalogue's change feed every few seconds (its first reads fail while identity-service is still starting), and a
     * filing that names an entry it does not hold yet reads the feed only when no read is under way; else it answers
     * 404 (目录中没有该资源). Right after the suite starts, a filing may come before the exchange's copy has the entry.
     */
    public static Object requestableEntryId(String token, String query, String name) throws InterruptedException {
        Object id = publishedEntryId(token, query, name);
        String code = given().auth().oauth2(token).get(SharedSuite.gateway() + "/api/catalog/v1/entries/" + id).then()
                .statusCode(200).extract().jsonPath().getString("resourceCode");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            // the exchange's view of the entry: 404 until its copy of the catalogue holds it
            int status = given().auth().oauth2(token).urlEncodingEnabled(false)
                    .get(SharedSuite.gateway() + "/api/exchange/v1/datasets/" + code + "/freshness").statusCode();
            if (status == 200) {
                return id;
            }
            assertEquals(404, status, "the exchange's view of " + code);
            assertTrue(System.nanoTime() < deadline, code + " not in the exchange's copy of the catalogue");
            Thread.sleep(500);
        }
    }

    /** The id of the published entry of this name, once the search finds it (the index fills after start-up). */
    public static Object publishedEntryId(String token, String query, String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<Map<String, Object>> hits = given().auth().oauth2(token)
                    .get(SharedSuite.gateway() + "/api/catalog/v1/search?size=50&q=" + query).then().statusCode(200)
                    .extract().jsonPath().getList("hits");
            var hit = hits.stream().filter(x -> name.equals(x.get("name"))).findFirst();
            if (hit.isPresent()) {
                return hit.get().get("id");
            }
            assertTrue(System.nanoTime() < deadline, name + " not found by the search: " + hits);
            Thread.sleep(500);
        }
    }

    /** A catalogue entry's body (a registration of natural resources, two data items) as a department's system sends it. */
    public static Map<String, Object> entry(String name, String provider, String providerName, String region) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("classification", Map.of("resourceClass", "BASE", "category", "人口", "itemCode", "01",
                "catalogCode", "001"));
        m.put("name", name);
        m.put("providerDepartmentCode", provider);
        m.put("providerDepartmentName", providerName);
        m.put("regionCode", region);
        m.put("abstract", "全省自然资源统一确权登记的登记单元及权属信息");
        m.put("format", Map.of("formatClass", "DATABASE", "formatType", "PostgreSQL"));
        List<Map<String, Object>> items = new ArrayList<>();
        items.add(Map.of("code", "DJDYH", "name", "登记单元号", "dataType", "C", "length", 28, "sensitive", false));
        items.add(Map.of("code", "ZRZYLX", "name", "自然资源类型", "dataType", "C", "length", 20, "sensitive", false));
        m.put("items", items);
        m.put("keyItem", "DJDYH");
        m.put("shareAttribute", "UNCONDITIONAL");
        m.put("shareMethod", Map.of("methodClass", "PLATFORM", "methodType", "API"));
        m.put("openAttribute", "NOT_OPEN");
        m.put("updateCycle", "MONTHLY");
        m.put("dataCategory", "自然资源信息");
        m.put("grade", "LEVEL_2");
        m.put("keywords", List.of("确权登记", "自然资源"));
        return m;
    }

    /** Today in Beijing, as the catalogue dates an assessment (not before the entry was registered, never ahead). */
    static String beijingToday() {
        return java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
    }
}
