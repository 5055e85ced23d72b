package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.click;
import static cn.onenet.systemtests.ConsolePages.clientCredentials;
import static cn.onenet.systemtests.ConsolePages.demoGrantResource;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The console's usage log (使用记录) in Chromium against the {@link SharedSuite}: a real lookup of a citizen's
 * record appears for the 主管部门's auditor — without the citizen's identity — who verifies the chain, signs a
 * checkpoint, downloads the entry's evidence bundle and sees the covert queries (made under a grant whose request
 * declared covert use and was approved with it); an entry newer than the last
 * checkpoint gets its bundle once the auditor signs one from the page; a provider's operator sees the uses of
 * its own resources only and is offered none of the 主管部门's controls; a citizen has no such section.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class UsageLogConsoleTest {

    private static final String ZHANG_SAN = "33010619850312001X";
    private static final String MARKET = "11330000002481070F"; // 市场监管局, the covert consumer

    private String gateway;
    private String operator;
    private String resourceCode;
    private long seq;
    private long covertSeq;
    private String covertBasis;
    private LocalDate covertUntil;
    private Playwright playwright;
    private Browser browser;

    @BeforeAll
    void start() throws Exception {
        gateway = SharedSuite.gateway();
        // 人社厅's operator looks up 张三 in 公安厅's data under the demo grant: one plain lookup, one covert.
        String system = clientCredentials("gat-population-system", "demo-gat-population-secret");
        resourceCode = demoGrantResource(system);
        operator = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("rst.operator", DEMO_PASSWORD, "openid profile");
        seq = lookUp(operator, Map.of());
        // 市场监管局 investigates under its own grant, whose request declared covert use (隐蔽查询) and was approved
        // by its head and by 公安厅; the demo grants permit none
        String market = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("scjgj.operator", DEMO_PASSWORD, "openid profile");
        long covertGrant = covertGrant(market);
        covertUntil = LocalDate.now(ZoneId.of("Asia/Shanghai")).plusDays(97);
        covertBasis = "《中华人民共和国个人信息保护法》第三十五条（案件" + System.nanoTime() + "）";
        covertSeq = lookUp(market, Map.of("X-Grant-Id", String.valueOf(covertGrant),
                "X-Covert-Until", covertUntil.toString(),
                "X-Covert-Legal-Basis", URLEncoder.encode(covertBasis, StandardCharsets.UTF_8).replace("+", "%20")));
        playwright = Playwright.create();
        browser = chromium(playwright);
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void theAuditorSeesTheLookupWithoutTheCitizenSignsACheckpointDownloadsEvidenceAndVerifies() throws Exception {
        Page page = logIn(browser, "dsj.auditor");
        page.click("#nav a[href='#/usage-log']");
        awaitOn(page, "#usage-filter");
        // Newest first: the latest entries (the lookups just made among them), highest sequence number first.
        awaitOn(page, "main table tbody tr");
        List<Long> newest = page.locator("main table tbody tr td:first-child").allTextContents().stream()
                .map(Long::parseLong).toList();
        assertTrue(newest.get(0) >= covertSeq, newest.toString());
        for (int i = 1; i < newest.size(); i++) {
            assertTrue(newest.get(i - 1) > newest.get(i), "not newest first: " + newest);
        }
        String row = showFrom(page, seq);
        String text = page.textContent(row);
        assertTrue(text.contains(resourceCode) && text.contains("浙江省人力资源和社会保障厅"), text);
        assertTrue(text.contains("已提供"), text);

        // A signed checkpoint: the head it signs, at or after the lookups.
        click(page, "#usage-checkpoint");
        String head = page.textContent("#usage-checkpoint-result");
        assertTrue(head.contains("链头"), head);
        assertTrue(page.textContent("#usage-checkpoint-result code.head-hash").matches("[0-9a-f]{64}"), head);
        long signed = Long.parseLong(head.replaceAll("(?s).*第 (\\d+) 号.*", "$1"));
        assertTrue(signed >= covertSeq, head);

        // The evidence bundle of the entry (up to a checkpoint covering it), downloaded as a file, with a summary of
        // what it holds.
        click(page, row + " [data-evidence]");
        awaitOn(page, "#evidence-summary");
        assertTrue(page.textContent("#evidence-summary").contains("#" + seq), page.textContent("#evidence-summary"));
        Download download = page.waitForDownload(() -> page.click("#evidence-download"));
        assertEquals("usage-log-" + seq + "-evidence.json", download.suggestedFilename());
        JsonPath bundle = JsonPath.from(Files.readString(download.path()));
        assertEquals(seq, bundle.getLong("entry.seq"));
        assertEquals(resourceCode, bundle.getString("entry.resourceCode"));
        assertTrue(bundle.getLong("checkpoint.lastSeq") >= seq, bundle.prettify());
        assertFalse(bundle.getList("jwks.keys").isEmpty(), bundle.prettify());

        // Nothing in the page identifies the citizen: no ID number, no subject hash, no user id.
        String main = page.textContent("main");
        assertFalse(main.contains(ZHANG_SAN), "the ID number is shown");
        List<String> hashes = bundle.getList("entry.subjectHashes");
        assertFalse(hashes.isEmpty(), bundle.prettify());
        for (String hash : hashes) {
            assertFalse(main.contains(hash), "a subject hash is shown: " + hash);
        }
        String userSub = bundle.getString("entry.userSub");
        assertTrue(userSub != null && !main.contains(userSub), "the user id is shown: " + userSub);

        // The chain check, answered in words.
        click(page, "#usage-verify");
        assertTrue(page.textContent("#usage-verification").contains("链完整"), page.textContent("#usage-chain"));

        // The covert lookup: who asked, on which basis, until when.
        page.click("#covert-link");
        awaitOn(page, "#covert-filter");
        page.fill("#covert-filter [name=department]", MARKET);
        page.click("#covert-filter button[type=submit]");
        String hiding = "main table tr:has-text('" + covertBasis + "')";
        awaitOn(page, hiding);
        String covert = page.textContent(hiding);
        assertTrue(covert.contains("#" + covertSeq) && covert.contains(covertUntil.toString())
                && covert.contains("浙江省市场监督管理局"), covert);
        assertFalse(page.textContent("main").contains(ZHANG_SAN), "the ID number is shown");
        page.context().close();
    }

    @Test
    void anEntryNewerThanTheLastCheckpointGetsItsBundleOnceTheAuditorSignsOne() throws Exception {
        Page page = logIn(browser, "dsj.auditor");
        page.click("#nav a[href='#/usage-log']");
        awaitOn(page, "#usage-filter");
        // A new lookup is newer than the last checkpoint, unless the scheduled one signs the head just then: the next
        // lookup is taken in that case.
        for (int attempt = 0;; attempt++) {
            long fresh = lookUp(operator, Map.of());
            String row = showFrom(page, fresh);
            page.click(row + " [data-evidence]");
            awaitOn(page, "#evidence-uncovered, #evidence-summary");
            if (page.locator("#evidence-summary").count() > 0) {
                assertTrue(attempt < 2, "the bundle of each new entry came without a checkpoint to sign: "
                        + page.textContent("#usage-evidence"));
                continue;
            }
            // The exchange names the entry and who can sign; the page offers the auditor to sign one.
            String said = page.textContent("#evidence-uncovered");
            assertTrue(said.contains("第 " + fresh + " 号记录") && said.contains("主管部门")
                    && said.contains("POST /api/exchange/v1/usage-log/checkpoints"), said);
            assertEquals("error", page.getAttribute("#notice", "class"), page.textContent("#notice"));
            click(page, "#evidence-sign");
            awaitOn(page, "#evidence-summary");
            assertTrue(page.textContent("#evidence-summary").contains("#" + fresh), page.textContent("#evidence-summary"));
            Download download = page.waitForDownload(() -> page.click("#evidence-download"));
            JsonPath bundle = JsonPath.from(Files.readString(download.path()));
            assertEquals(fresh, bundle.getLong("entry.seq"));
            assertTrue(bundle.getLong("checkpoint.lastSeq") >= fresh, bundle.prettify());
            break;
        }
        page.context().close();
    }

    @Test
    void aProviderSeesTheUsesOfItsOwnResourcesOnlyAndNoneOfTheAuthoritysControls() {
        // 公安厅 provides the resource: its operator sees both lookups, not until when the covert one is hidden.
        Page provider = logIn(browser, "gat.operator");
        provider.navigate(gateway + "/console#/usage-log/covert-hidings");
        awaitOn(provider, "#usage-filter");
        assertEquals(0, provider.locator("#covert-filter, #covert-link").count(), "covert queries offered");
        String row = showFrom(provider, seq);
        assertTrue(provider.textContent(row).contains(resourceCode), provider.textContent(row));
        awaitOn(provider, seqRow(covertSeq));
        // Evidence bundles hold every field of the chained entries: only the 主管部门 is offered them.
        assertEquals(0, provider.locator("[data-evidence]").count(), provider.textContent("main"));
        String main = provider.textContent("main");
        assertFalse(main.contains(covertUntil.toString()), "the covert query's date is shown to the provider");
        assertFalse(main.contains(ZHANG_SAN), "the ID number is shown");
        assertEquals(0, provider.locator("#usage-verify, #usage-checkpoint").count(), "authority controls offered");

        // 人社厅 consumed, not provided, the data: its log of its own resources does not list the lookup.
        Page consumer = logIn(browser, "rst.operator");
        consumer.navigate(gateway + "/console#/usage-log?resourceCode="
                + URLEncoder.encode(resourceCode, StandardCharsets.UTF_8) + "&after=" + (seq - 1));
        awaitOn(consumer, "#usage-filter");
        awaitOn(consumer, "#no-usage");
        assertEquals(0, consumer.locator("[data-evidence], #usage-verify, #usage-checkpoint, #covert-link").count(),
                consumer.textContent("main"));

        // The 主管部门's reviewer reads its region's entries and signs a checkpoint; the whole chain (verification,
        // evidence bundles) holds every region's entries and is the auditors', and covert queries are not shown.
        Page reviewer = logIn(browser, "dsj.reviewer");
        reviewer.click("#nav a[href='#/usage-log']");
        awaitOn(reviewer, "#usage-checkpoint");
        showFrom(reviewer, seq);
        assertEquals(0, reviewer.locator("#usage-verify, [data-evidence]").count(), reviewer.textContent("main"));
        assertEquals(0, reviewer.locator("#covert-link").count(), "covert queries offered to a reviewer");
        provider.context().close();
        consumer.context().close();
        reviewer.context().close();
    }

    @Test
    void aCitizenHasNoUsageLog() {
        Page citizen = logIn(browser, ZHANG_SAN);
        assertFalse(citizen.textContent("#nav").contains("使用记录 / Usage log"), citizen.textContent("#nav"));
        assertEquals(0, citizen.locator("#nav a[href='#/usage-log']").count());
        citizen.navigate(gateway + "/console#/usage-log");
        citizen.waitForURL(url -> !url.contains("usage-log"));
        assertEquals(0, citizen.locator("#usage-filter, #usage-verify").count(), citizen.textContent("main"));
        citizen.context().close();
    }

    /** Filters the log on the page to the resource from the given entry on; returns the entry's row. */
    private String showFrom(Page page, long from) {
        page.fill("#usage-filter [name=resourceCode]", resourceCode);
        page.fill("#usage-filter [name=after]", String.valueOf(from - 1));
        page.click("#usage-filter button[type=submit]");
        // The filtered page (in sequence order), not the newest-first page it replaces, which may hold the row too.
        page.waitForURL(url -> url.contains("after=" + (from - 1)), new Page.WaitForURLOptions().setTimeout(20_000));
        awaitOn(page, "main p.meta:has-text('按序号排列')");
        String row = seqRow(from);
        awaitOn(page, row);
        return row;
    }

    private static String seqRow(long seq) {
        return "main table tbody tr:has(td:first-child:text-is('" + seq + "'))";
    }

    /** A lookup of 张三 under the demo grant (retried while the grant's per-second quota answers 429). */
    private long lookUp(String token, Map<String, String> headers) throws InterruptedException {
        for (int attempt = 0;; attempt++) {
            Response r = given().auth().oauth2(token).headers(headers)
                    .get(gateway + "/api/exchange/v1/data/" + resourceCode + "/records/" + ZHANG_SAN);
            if (r.statusCode() != 429 || attempt == 5) {
                assertEquals(200, r.statusCode(), r.asString());
                return r.jsonPath().getLong("usageLogSeq");
            }
            Thread.sleep(1_100);
        }
    }

    /**
     * 市场监管局's grant on the resource, filed by its operator declaring covert use, approved by its head (R7) and by
     * 公安厅, whose approval of the request approves the covert use.
     */
    private long covertGrant(String market) throws Exception {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("resourceCode", resourceCode);
        body.put("items", List.of("GMSFHM", "XM"));
        body.put("purpose", "涉嫌传销案件调查，核实当事人身份");
        body.put("scenario", "市场监管行政执法案件调查");
        body.put("legalBasis", "《禁止传销条例》第十四条");
        body.put("scope", "本局执法稽查部门");
        body.put("deliveryMethod", "API");
        body.put("periodFrom", LocalDate.now(ZoneId.of("Asia/Shanghai")).toString());
        body.put("periodTo", LocalDate.now(ZoneId.of("Asia/Shanghai")).plusMonths(6).toString());
        body.put("attestation", Map.of("truthful", true, "lawful", true, "necessary", true));
        body.put("covertUse", Map.of("legalBasis", "《中华人民共和国个人信息保护法》第三十五条", "maxPeriod", "P6M"));
        Response filed = given().auth().oauth2(market).contentType("application/json").body(body)
                .post(gateway + "/api/exchange/v1/requests");
        assertEquals(201, filed.statusCode(), filed.asString());
        String id = filed.jsonPath().getString("id");
        String head = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("scjgj.head", DEMO_PASSWORD, "openid profile");
        Response approved = given().auth().oauth2(head).contentType("application/json")
                .body(Map.of("version", filed.jsonPath().getInt("version")))
                .post(gateway + "/api/exchange/v1/requests/" + id + "/head-approval");
        assertEquals("PENDING", approved.jsonPath().getString("status"), approved.asString());
        String provider = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("gat.operator", DEMO_PASSWORD, "openid profile");
        // 公安厅 sees the declaration with the request it approves
        Response seen = given().auth().oauth2(provider).get(gateway + "/api/exchange/v1/requests/" + id);
        assertEquals("P6M", seen.jsonPath().getString("covertUse.maxPeriod"), seen.asString());
        Response granted = given().auth().oauth2(provider).contentType("application/json")
                .body(Map.of("version", approved.jsonPath().getInt("version"), "note", "同意，含所声明的隐蔽查询"))
                .post(gateway + "/api/exchange/v1/requests/" + id + "/approve");
        assertEquals("ANSWER_AWAITING_HEAD", granted.jsonPath().getString("status"), granted.asString());
        // 公安厅's head signs the answer (条例第二十条第三款): the grant is created then
        String providerHead = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("gat.head", DEMO_PASSWORD, "openid profile");
        Response signed = given().auth().oauth2(providerHead).contentType("application/json")
                .body(Map.of("version", granted.jsonPath().getInt("version")))
                .post(gateway + "/api/exchange/v1/requests/" + id + "/answer-approval");
        assertEquals(200, signed.statusCode(), signed.asString());
        return signed.jsonPath().getLong("grantId");
    }
}
