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
import static cn.onenet.systemtests.ConsolePages.submit;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The console's usage log (使用记录) in Chromium against the {@link SharedSuite}: a real lookup of a citizen's
 * record appears for the 主管部门's auditor — without the citizen's identity — who verifies the chain, signs a
 * checkpoint, downloads the entry's evidence bundle and sees the covert queries (made under a grant whose request
 * declared covert use and was approved with it); an entry newer than the last
 * checkpoint gets its bundle once the auditor signs one from the page; a provider's operator sees the uses of
 * its own resources only and is offered none of the 主管部门's controls; a citizen has no such section. An admin
 * registers a witness (见证, a real HTTP endpoint on 127.0.0.1) through the page, sees it acknowledge a checkpoint
 * and its receipt, re-points it, sees it FAILING and resumes it, and removes it; the witness's changes (变更记录)
 * name the admin, newest first, also after the removal; an auditor reads the witnesses and their changes without
 * controls, a reviewer is told the page is not theirs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class UsageLogConsoleTest {

    private static final String ZHANG_SAN = "33010619850312001X";
    private static final String MARKET = "11330000002481070F"; // 市场监管局, the covert consumer
    private static final String EMERGENCY = "11330000002481080G"; // 应急管理厅, the witness department
    private static final String WITNESSES = "#/usage-log/witnesses";
    private static final Pattern SIGNED = Pattern.compile("#(\\d+)，链头第 (\\d+) 号");

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

        // The chain check, answered in words, and nothing the page did not mean to write ("null" for no list).
        click(page, "#usage-verify");
        assertTrue(page.textContent("#usage-verification").contains("链完整"), page.textContent("#usage-chain"));
        String result = page.textContent("#usage-chain-result");
        assertFalse(result.contains("null") || result.contains("undefined"), result);
        assertTrue(result.endsWith("最新记录 / latest entries"), result);

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

    /**
     * The auditor's export of a period is logged as a use of the log itself: its row says so in words (使用记录导出,
     * 已导出), never the codes, and names the log as the resource without a provider's separator.
     */
    @Test
    void anExportOfTheLogIsShownInWords() throws Exception {
        String auditor = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("dsj.auditor", DEMO_PASSWORD, "openid profile");
        String today = LocalDate.now(ZoneId.of("Asia/Shanghai")).toString();
        long exportSeq = 0;
        // the export needs a checkpoint covering the period's last entry: signed just before (again, should a new
        // entry have come in between)
        for (int attempt = 0; exportSeq == 0; attempt++) {
            given().auth().oauth2(auditor).post(gateway + "/api/exchange/v1/usage-log/checkpoints").then()
                    .statusCode(200);
            Response export = given().auth().oauth2(auditor)
                    .get(gateway + "/api/exchange/v1/usage-log/export?from=" + today + "&to=" + today);
            if (export.statusCode() == 409 && attempt < 3) {
                continue;
            }
            assertEquals(200, export.statusCode(), export.asString());
            JsonPath header = JsonPath.from(export.asString().lines().findFirst().orElseThrow());
            exportSeq = header.getLong("exportUsageLogSeq");
        }
        Page page = logIn(browser, "dsj.auditor");
        page.navigate(gateway + "/console#/usage-log?after=" + (exportSeq - 1));
        String row = seqRow(exportSeq);
        awaitOn(page, row);
        String text = page.textContent(row);
        assertTrue(text.contains("使用记录导出 / usage-log export") && text.contains("已导出 / exported"), text);
        assertFalse(text.contains("USAGE_LOG_EXPORT") || text.contains("EXPORTED"), text);
        assertEquals("使用记录 / the usage log", page.textContent(row + " td:nth-child(4)").strip());
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
        // the resource and its items by the catalogue's names beside their codes (名称（代码）), as on the request and
        // grant pages, not the bare codes
        JsonPath entry = given().auth().oauth2(operator).queryParam("code", resourceCode)
                .get(gateway + "/api/catalog/v1/entries/by-code").then().statusCode(200).extract().jsonPath();
        assertEquals(entry.getString("name") + "（" + resourceCode + "）", provider.textContent(row + " .usage-resource"));
        Map<String, String> itemNames = new java.util.HashMap<>();
        entry.<Map<String, Object>>getList("published.items")
                .forEach(i -> itemNames.put((String) i.get("code"), (String) i.get("name")));
        String items = provider.textContent(row + " .usage-items");
        Pattern namedItem = Pattern.compile("(.+)（([A-Za-z0-9_]+)）");
        assertFalse(items.isBlank(), provider.textContent(row));
        for (String item : items.split("、")) {
            Matcher m = namedItem.matcher(item);
            assertTrue(m.matches(), "an item without its name: " + items);
            assertEquals(itemNames.get(m.group(2)), m.group(1), items);
        }
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

    @Test
    void anAdminRegistersAWitnessThatAcknowledgesCheckpointsAndRemovesItAnAuditorOnlyReadsIt() throws Exception {
        String witnessRow = "#witness-list tr[data-witness='" + EMERGENCY + "']";
        try (Witness witness = new Witness()) {
            Page admin = logIn(browser, "dsj.admin");
            admin.click("#nav a[href='" + WITNESSES + "']");
            awaitOn(admin, "#witness-form");
            // the menu marks the witnesses' entry only, not the usage log's whose address begins the same
            assertEquals(List.of(WITNESSES), admin.locator("#nav a[aria-current=page]").all().stream()
                    .map(a -> a.getAttribute("href")).toList());

            // plain http off loopback: the exchange names the field, the page shows its words beside it
            admin.fill("#witness-form [name=departmentCode]", EMERGENCY);
            admin.fill("#witness-form [name=url]", "http://witness.yjt.example.org/usage-log-witness");
            submit(admin, "#witness-form", "#witness-form [data-field=url].invalid", "error");
            String problem = admin.textContent("#witness-form [data-field=url] .error");
            assertTrue(problem.contains("https"), problem);
            assertEquals(0, admin.locator(witnessRow).count(), admin.textContent("main"));

            admin.fill("#witness-form [name=url]", witness.url());
            submit(admin, "#witness-form", witnessRow, "ok");
            assertTrue(admin.textContent("#notice").contains("已登记见证"), admin.textContent("#notice"));
            assertEquals(witness.url(), admin.textContent(witnessRow + " .witness-url"));
            assertTrue(admin.textContent(witnessRow + " .witness-status").contains("正常"),
                    admin.textContent(witnessRow));
            assertTrue(admin.textContent(witnessRow).contains("浙江省应急管理厅"), admin.textContent(witnessRow));
            // changing it: the form takes the witness's values; sent with another URL, the witness is re-pointed
            admin.click(witnessRow + " [data-witness-edit]");
            assertEquals(EMERGENCY, admin.inputValue("#witness-form [name=departmentCode]"));
            assertEquals(witness.url(), admin.inputValue("#witness-form [name=url]"));
            admin.fill("#witness-form [name=url]", witness.movedUrl());
            submit(admin, "#witness-form", witnessRow + " .witness-url:text-is('" + witness.movedUrl() + "')", "ok");
            assertTrue(admin.textContent("#notice").contains("已更新见证"), admin.textContent("#notice"));
            // the row says who changed it last: the admin's name from the history, not the bare subject
            String updatedBy = admin.textContent(witnessRow + " .witness-updated-by");
            assertTrue(updatedBy.contains("李明"), updatedBy);

            // a new head, signed from the page: the witness keeps the checkpoint and answers with its receipt
            lookUp(operator, Map.of());
            long[] signed = sign(admin);
            witness.awaitAcknowledged(signed[0]);
            refreshUntil(admin, witnessRow + " .witness-last", "第 " + signed[1] + " 号");
            assertEquals("—", admin.textContent(witnessRow + " .witness-error"));
            assertTrue(Long.parseLong(admin.textContent(witnessRow + " .witness-acknowledged")) >= 1);
            // the checkpoints list counts the witness that acknowledged it
            refreshUntil(admin, "#witness-checkpoints tr[data-checkpoint='" + signed[0] + "'] .witnessed",
                    "1 个见证 / 1 witness(es)");
            admin.click(witnessRow + " [data-witness-receipts]");
            String receipt = "#witness-receipts tr:has(code.receipt:text-is('yjt-" + signed[0] + "'))";
            awaitOn(admin, receipt);
            assertTrue(admin.textContent(receipt).contains("#" + signed[0])
                    && admin.textContent(receipt).contains("第 " + signed[1] + " 号"), admin.textContent(receipt));

            // the auditor reads the same, with none of the controls
            Page auditor = logIn(browser, "dsj.auditor");
            auditor.click("#nav a[href='" + WITNESSES + "']");
            awaitOn(auditor, witnessRow);
            assertTrue(auditor.textContent(witnessRow + " .witness-last").contains("第 " + signed[1] + " 号"),
                    auditor.textContent(witnessRow));
            assertEquals(0, auditor.locator("#witness-form, #witness-sign, [data-witness-edit], "
                    + "[data-witness-remove], [data-witness-resume]").count(), auditor.textContent("main"));
            auditor.click(witnessRow + " [data-witness-receipts]");
            awaitOn(auditor, receipt);
            assertTrue(auditor.textContent(witnessRow + " .witness-updated-by").contains("李明"),
                    auditor.textContent(witnessRow));
            auditor.context().close();

            // a reviewer of the 主管部门 has no such entry, and the page, the changes too, is not theirs
            Page reviewer = logIn(browser, "dsj.reviewer");
            assertEquals(0, reviewer.locator("#nav a[href='" + WITNESSES + "']").count(), reviewer.textContent("#nav"));
            reviewer.navigate(gateway + "/console" + WITNESSES + "?changes=" + EMERGENCY);
            awaitOn(reviewer, "#witnesses-denied");
            assertEquals(0, reviewer.locator("#witness-list, #witness-form, #witness-changes").count(),
                    reviewer.textContent("main"));
            reviewer.context().close();

            // the witness refuses a checkpoint: FAILING at once, in a warning; resumed, it gets the held checkpoint
            witness.answer = 422;
            lookUp(operator, Map.of());
            long[] refused = sign(admin);
            refreshUntil(admin, witnessRow + " .witness-status", "FAILING");
            awaitOn(admin, "#witness-failing");
            assertTrue(admin.textContent("#witness-failing").contains("浙江省应急管理厅"),
                    admin.textContent("#witness-failing"));
            assertEquals("应答 HTTP 422 / answered HTTP 422", admin.textContent(witnessRow + " .witness-error"));
            assertTrue(Long.parseLong(admin.textContent(witnessRow + " .witness-pending")) >= 1,
                    admin.textContent(witnessRow));
            witness.answer = 200;
            click(admin, witnessRow + " [data-witness-resume]");
            witness.awaitAcknowledged(refused[0]);
            refreshUntil(admin, witnessRow + " .witness-last", "第 " + refused[1] + " 号");
            assertTrue(admin.textContent(witnessRow + " .witness-status").contains("正常"),
                    admin.textContent(witnessRow));
            assertEquals(0, admin.locator("#witness-failing").count(), admin.textContent("main"));

            // removal asks first; afterwards the witness is no longer listed, its receipts stay
            admin.click(witnessRow + " [data-witness-remove]");
            awaitOn(admin, "#witness-confirm-text");
            assertTrue(admin.textContent("#witness-confirm-text").contains(EMERGENCY),
                    admin.textContent("#witness-confirm-text"));
            assertEquals(1, admin.locator(witnessRow).count());
            click(admin, "#witness-remove-confirm");
            assertEquals(0, admin.locator(witnessRow).count(), admin.textContent("main"));
            admin.navigate(gateway + "/console" + WITNESSES + "?receipts=" + EMERGENCY);
            awaitOn(admin, receipt);

            // who changed it stays too: from its receipts to its changes, newest first, each naming the admin
            admin.click("#witness-receipts [data-witness-changes]");
            awaitOn(admin, "#witness-changes tbody tr");
            assertChanges(admin, witness);
            admin.context().close();

            // the auditor opens a removed witness's changes by its department's code
            Page reader = logIn(browser, "dsj.auditor");
            reader.click("#nav a[href='" + WITNESSES + "']");
            awaitOn(reader, "#witness-records");
            reader.fill("#witness-records [name=code]", EMERGENCY);
            reader.click("#witness-records button[name=changes]");
            awaitOn(reader, "#witness-changes tbody tr");
            assertChanges(reader, witness);
            reader.context().close();
        } finally {
            // not left behind for the other tests' checkpoints should an assertion fail above
            String token = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                    .accessToken("dsj.admin", DEMO_PASSWORD, "openid profile");
            given().auth().oauth2(token).delete(gateway + "/api/exchange/v1/usage-log/witnesses/" + EMERGENCY);
        }
    }

    /**
     * The witness's changes as the page lists them, newest first: removed (it was active at the moved URL), resumed
     * from FAILING, re-pointed from its first URL, registered; every one by the admin, named.
     */
    private static void assertChanges(Page page, Witness witness) {
        String rows = "#witness-changes tbody tr";
        assertEquals(List.of("REMOVED", "RESUMED", "REPOINTED", "REGISTERED"), page.locator(rows).all().stream()
                .map(r -> r.getAttribute("data-change-action")).toList(), page.textContent("#witness-changes"));
        assertEquals(List.of("移除 / removed", "恢复推送 / resumed", "改址 / re-pointed", "登记 / registered"),
                page.locator(rows + " .change-action").allTextContents());
        page.locator(rows + " .change-by").allTextContents()
                .forEach(by -> assertTrue(by.contains("李明"), page.textContent("#witness-changes")));
        assertEquals(List.of(witness.movedUrl() + " → —", witness.movedUrl() + " → " + witness.movedUrl(),
                witness.url() + " → " + witness.movedUrl(), "— → " + witness.url()),
                page.locator(rows + " .change-url").allTextContents());
        assertEquals(List.of("正常 / active", "推送失败 / FAILING", "正常 / active", "—"),
                page.locator(rows + " .change-status").allTextContents());
    }

    /** Signs a checkpoint from the witnesses' page; its id and the head it signs, as the page reports them. */
    private static long[] sign(Page page) {
        click(page, "#witness-sign");
        String said = page.textContent("#notice");
        Matcher m = SIGNED.matcher(said);
        assertTrue(m.find(), said);
        return new long[] { Long.parseLong(m.group(1)), Long.parseLong(m.group(2)) };
    }

    /**
     * Refreshes the witnesses' page until the element's text holds the expected words: the exchange pushes and
     * records acknowledgements in the background (at most a minute).
     */
    private static void refreshUntil(Page page, String selector, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            awaitOn(page, "#witness-refresh:not([disabled])");
            Locator found = page.locator(selector);
            if (found.count() > 0 && found.first().textContent().contains(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + expected + "' in " + selector + ": " + page.textContent("main"));
            }
            page.click("#witness-refresh");
            Thread.sleep(500);
        }
    }

    /**
     * A department system acting as a witness on 127.0.0.1: it takes each sealed checkpoint record, keeps it and
     * answers with its receipt ({@code {"receipt": "yjt-<checkpoint id>"}}), or with {@link #answer} when that is not
     * 200.
     */
    private static final class Witness implements AutoCloseable {
        private final HttpServer server;
        private final List<Long> acknowledged = new CopyOnWriteArrayList<>();
        volatile int answer = 200;

        Witness() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/usage-log-witness", this::receive);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/usage-log-witness";
        }

        /** Another address of the same endpoint, to re-point the witness to. */
        String movedUrl() {
            return url() + "/moved";
        }

        private void receive(HttpExchange exchange) throws IOException {
            try {
                JsonPath record = JsonPath.from(new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8));
                boolean sealed = exchange.getRequestHeaders().getFirst("X-Exchange-Seal") != null;
                int status = answer;
                String reply = "{}";
                if (status == 200 && sealed && "onenet-usage-log-witness/1".equals(record.getString("format"))) {
                    long id = record.getLong("checkpointId");
                    acknowledged.add(id);
                    reply = "{\"receipt\": \"yjt-" + id + "\"}";
                } else if (status == 200) {
                    status = 400; // not a sealed checkpoint record: not acknowledged
                }
                byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            } finally {
                exchange.close();
            }
        }

        /** Waits (at most a minute) until the witness acknowledged the checkpoint. */
        void awaitAcknowledged(long checkpointId) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!acknowledged.contains(checkpointId)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("checkpoint " + checkpointId + " not acknowledged; got " + acknowledged);
                }
                Thread.sleep(200);
            }
        }

        @Override
        public void close() {
            server.stop(0);
        }
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
