package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.clientCredentials;
import static cn.onenet.systemtests.ConsolePages.demoGrantResource;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * A department's 通知 as each of its readers meets it: 公安厅's system is registered as a witness of the usage log and
 * re-pointed, which is told to 公安厅 and to the 主管部门 (WITNESS_CHANGED). Only the platform's admins and auditors
 * have the witnesses' page: 公安厅's operator and head and the 主管部门's reviewer read the notice in words, its
 * subject named but no link to a page they would be refused; the 主管部门's auditor follows the link to the witness.
 * 人社厅 objects to a record of 公安厅's: 公安厅's head, who has no objections' section, reads the notice without a
 * link; its operator opens the objection from it, and the notice is read. For each of them, every subject that is a
 * link leads to a section of their own menu.
 */
@ExtendWith(SharedSuite.class)
class NoticeLinksConsoleTest {

    private static final String POLICE = "11330000002481020A"; // 浙江省公安厅
    private static final String ZHANG_SAN = "33010619850312001X";
    private static final String WITNESSES = "/api/exchange/v1/usage-log/witnesses/";

    @Test
    void aWitnessNoticeLinksOnlyForThoseWhoMayOpenTheWitnessesAndEveryLinkLeadsIntoTheReadersMenu() throws Exception {
        String gateway = SharedSuite.gateway();
        String admin = token("dsj.admin");
        HttpServer witness = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        witness.createContext("/usage-log-witness", NoticeLinksConsoleTest::acknowledge);
        witness.start();
        String url = "http://127.0.0.1:" + witness.getAddress().getPort() + "/usage-log-witness";
        try {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("url", url))
                    .put(gateway + WITNESSES + POLICE).then().statusCode(201);
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("url", url + "/moved"))
                    .put(gateway + WITNESSES + POLICE).then().statusCode(200);
            long notice = newestWitnessNotice("gat.operator", url + "/moved");
            long authorityNotice = newestWitnessNotice("dsj.reviewer", url + "/moved");
            String row = "main tr:has([data-notice='" + notice + "'])";
            String authorityRow = "main tr:has([data-notice='" + authorityNotice + "'])";

            try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
                // 公安厅's operator and head, the 主管部门's reviewer: the notice in words, no link to a refusal
                for (String user : List.of("gat.operator", "gat.head", "dsj.reviewer")) {
                    Page page = logIn(browser, user);
                    page.navigate(gateway + "/console#/notices");
                    String mine = user.startsWith("gat.") ? row : authorityRow;
                    awaitOn(page, mine);
                    String shown = page.textContent(mine);
                    assertTrue(shown.contains("使用记录见证已变更") && shown.contains("使用记录见证 / usage-log witness"),
                            user + ": " + shown);
                    assertEquals(0, page.locator(mine + " a").count(), user + ": " + page.innerHTML(mine));
                    assertEquals(0, page.locator("main a[href='#/usage-log/witnesses']").count(), user);
                    assertLinksInMenu(page, user);
                    page.context().close();
                }

                // the 主管部门's auditor: the link, and the witness on the page it leads to
                Page auditor = logIn(browser, "dsj.auditor");
                auditor.navigate(gateway + "/console#/notices");
                awaitOn(auditor, authorityRow + " a.notice-subject[href='#/usage-log/witnesses']");
                assertLinksInMenu(auditor, "dsj.auditor");
                auditor.click(authorityRow + " a.notice-subject");
                awaitOn(auditor, "main [data-witness='" + POLICE + "']");
                assertTrue(auditor.url().endsWith("#/usage-log/witnesses"), auditor.url());
                assertEquals(0, auditor.locator("#witnesses-denied").count(), auditor.textContent("main"));
                auditor.context().close();
            }
        } finally {
            given().auth().oauth2(admin).delete(gateway + WITNESSES + POLICE);
            witness.stop(0);
        }
    }

    @Test
    void aHeadReadsAnObjectionNoticeWithoutALinkAndAnOperatorOpensItAndHasReadIt() throws Exception {
        String gateway = SharedSuite.gateway();
        String resource = demoGrantResource(clientCredentials("gat-population-system", "demo-gat-population-secret"));
        // 人社厅 objects to one of 公安厅's records: 公安厅 is told (OBJECTION_FILED)
        long objection = given().auth().oauth2(token("rst.operator"))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", resource, "recordKey", ZHANG_SAN, "description",
                        "户籍地址疑未随迁移更新（" + System.nanoTime() + "）"))
                .post(gateway + "/api/exchange/v1/objections").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        long notice = ((Number) notices("gat.operator").getList("findAll { it.kind == 'OBJECTION_FILED' "
                + "&& it.subjectId == " + objection + " }.id").get(0)).longValue();
        String row = "main tr:has([data-notice='" + notice + "'])";

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 公安厅's head has no objections' section: the notice names the objection, no link
            Page head = logIn(browser, "gat.head");
            head.navigate(gateway + "/console#/notices");
            awaitOn(head, row);
            assertTrue(head.textContent(row + " .notice-subject").contains("异议 / objection #" + objection),
                    head.textContent(row));
            assertEquals(0, head.locator(row + " a").count(), head.innerHTML(row));
            assertLinksInMenu(head, "gat.head");
            head.context().close();

            // its operator follows the link to the objection, and the notice is read
            Page operator = logIn(browser, "gat.operator");
            operator.navigate(gateway + "/console#/notices");
            awaitOn(operator, row + " a.notice-subject[href='#/objections/" + objection + "']");
            operator.click(row + " a.notice-subject");
            awaitOn(operator, "[data-objection]");
            assertTrue(operator.url().endsWith("#/objections/" + objection), operator.url());
            assertTrue(notices("gat.operator").getBoolean("find { it.id == " + notice + " }.read"),
                    "the opened notice is not read");
        }
    }

    /**
     * A department's 通知 is inbox.js's page alone: the exchange's module keeps no page of its own for it, and the menu
     * keeps 通知 in its place among the exchange's sections, after a head's work lists and before an operator's grants.
     */
    @Test
    void theNoticesPageIsTheInboxsAloneInItsPlaceInTheMenu() throws Exception {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page head = logIn(browser, "gat.head");
            head.navigate(gateway + "/console#/notices");
            awaitOn(head, "#notices-unread");
            @SuppressWarnings("unchecked")
            List<String> exchangeSections = (List<String>) head.evaluate("async () => (await import("
                    + "'/console/assets/exchange.js')).EXCHANGE_SECTIONS.map((s) => s.hash)");
            assertTrue(exchangeSections.contains("#/grants"), exchangeSections.toString());
            assertFalse(exchangeSections.contains("#/notices"), exchangeSections.toString());
            List<String> menu = menu(head);
            assertEquals(menu.indexOf("#/answer-approvals") + 1, menu.indexOf("#/notices"), menu.toString());
            assertEquals("page", head.getAttribute("#nav a[href='#/notices']", "aria-current"));
            head.context().close();

            Page operator = logIn(browser, "gat.operator");
            operator.navigate(gateway + "/console#/notices");
            awaitOn(operator, "#notices-unread");
            menu = menu(operator);
            assertEquals(menu.indexOf("#/requests") + 1, menu.indexOf("#/notices"), menu.toString());
            assertEquals(menu.indexOf("#/notices") + 1, menu.indexOf("#/grants"), menu.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> menu(Page page) {
        return (List<String>) page.evaluate("() => [...document.querySelectorAll('#nav a')]"
                + ".map((a) => a.getAttribute('href'))");
    }

    /**
     * Every subject that is a link leads to a section in the reader's menu: the link's address, less a trailing id,
     * is one of the menu's.
     */
    static void assertLinksInMenu(Page page, String who) {
        @SuppressWarnings("unchecked")
        List<String> astray = (List<String>) page.evaluate("() => { const menu = [...document.querySelectorAll("
                + "'#nav a')].map((a) => a.getAttribute('href')); return [...document.querySelectorAll("
                + "'main a.notice-subject')].map((a) => a.getAttribute('href'))"
                + ".filter((href) => !menu.includes(href.split('?')[0].replace(/\\/\\d+$/, ''))); }");
        assertEquals(List.of(), astray, who + ": notice links outside the menu " + page.textContent("#nav"));
    }

    /** The witness department's system: every checkpoint acknowledged. */
    private static void acknowledge(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] reply = "{\"receipt\": \"gat-ok\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
        }
    }

    /** The newest notice of a witness's change in the user's inbox that names the address. */
    private static long newestWitnessNotice(String user, String address) throws Exception {
        List<Map<String, Object>> told = notices(user)
                .getList("findAll { it.kind == 'WITNESS_CHANGED' && it.subjectType == 'WITNESS' }");
        return told.stream().filter(n -> String.valueOf(n.get("message")).contains(address))
                .mapToLong(n -> ((Number) n.get("id")).longValue()).max()
                .orElseThrow(() -> new AssertionError(user + " was not told of the re-pointing: " + told));
    }

    private static JsonPath notices(String user) throws Exception {
        return given().auth().oauth2(token(user)).get(SharedSuite.gateway() + "/api/exchange/v1/notices").then()
                .statusCode(200).extract().jsonPath();
    }

    private static String token(String username) throws Exception {
        return new CodeFlowClient(SharedSuite.gateway(), "gateway", "demo-gateway-secret").accessToken(username,
                DEMO_PASSWORD, "openid profile");
    }
}
