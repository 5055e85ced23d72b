package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.confirmed;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import io.restassured.response.Response;

/**
 * The search page in Chromium when the catalogue refuses a query or finds nothing; the entry form's data items with
 * their 说明; an editor's 撤回报送 and 删除草稿 on the entry's page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class SearchAndEntryFormConsoleTest {

    private static final String NATURAL_RESOURCES = "11330000002481030B";

    /**
     * A query longer than the catalogue takes (201 characters) leaves the search box with the text typed and the
     * catalogue's reason under it, naming the query; corrected, it finds entries. A bad filter in a kept address is
     * named the same way, with a link searching without it.
     */
    @Test
    void aRefusedQueryKeepsTheSearchBoxWithTheTypedTextAndTheReasonAndACorrectedQueryFindsEntries() throws Exception {
        String gateway = SharedSuite.gateway();
        // the index takes the demo catalogue in after start-up
        ConsolePages.publishedEntryId(token("rst.operator"), "户籍", "居民户籍信息");
        String tooLong = "社会保险".repeat(50) + "费";
        assertEquals(201, tooLong.length());
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "rst.operator");
            page.navigate(gateway + "/console#/search");
            awaitOn(page, "form.search input[name=q]");
            page.fill("form.search input[name=q]", tooLong);
            answer(page, () -> page.click("form.search button[type=submit]"), "the search", "error");
            awaitOn(page, "#search-problem");
            String problem = page.textContent("#search-problem");
            assertTrue(problem.contains("检索词 / query：") && problem.contains("检索词过长"), problem);
            assertEquals(tooLong, page.inputValue("form.search input[name=q]"));
            assertEquals("true", page.getAttribute("form.search input[name=q]", "aria-invalid"));
            assertFalse(page.textContent("main").contains("无法加载"), page.textContent("main"));

            // corrected in the same box, the search goes through
            page.fill("form.search input[name=q]", "户籍");
            page.click("form.search button[type=submit]");
            awaitOn(page, "#hits li.hit");
            assertEquals(0, page.locator("#search-problem").count(), page.textContent("main"));
            assertTrue(page.textContent("#hits").contains("居民户籍信息"), page.textContent("#hits"));

            // a bad filter value in the address: named, and a link searches without it, the query kept
            page.navigate(gateway + "/console#/search?q=" + encoded("户籍") + "&shareAttribute=foo");
            awaitOn(page, "#search-problem #drop-bad-filter");
            problem = page.textContent("#search-problem");
            assertTrue(problem.contains("共享属性"), problem);
            assertEquals("户籍", page.inputValue("form.search input[name=q]"));
            page.click("#drop-bad-filter");
            awaitOn(page, "#hits li.hit");
            assertEquals(gateway + "/console#/search?q=" + encoded("户籍"), page.url());
            assertEquals(0, page.locator("#search-problem").count(), page.textContent("main"));
        }
    }

    /**
     * A search without a hit says so in words and draws no empty facet; with a filter that leaves nothing, it says
     * the filters may be why, how many entries the query finds without them, and clears them on request.
     */
    @Test
    void aSearchWithoutAHitSaysSoAndAFilterLeavingNothingIsNamedAndCleared() throws Exception {
        String gateway = SharedSuite.gateway();
        ConsolePages.publishedEntryId(token("rst.operator"), "户籍", "居民户籍信息");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "rst.operator");
            page.navigate(gateway + "/console#/search?q=" + encoded("航天飞机"));
            awaitOn(page, "#no-hits");
            String none = page.textContent("#no-hits");
            assertTrue(none.startsWith("未找到与“航天飞机”相关的目录"), none);
            assertEquals(0, page.locator(".facet").count(), page.textContent("main"));
            assertEquals(0, page.locator("#no-hits .clear-filters").count(), none);

            // 民政厅 provides no 户籍 entry: the filter is why nothing is found
            page.navigate(gateway + "/console#/search?q=" + encoded("户籍") + "&provider=" + encoded("浙江省民政厅"));
            awaitOn(page, "#no-hits .clear-filters");
            assertTrue(page.textContent("#no-hits").contains("没有符合筛选条件的记录"), page.textContent("#no-hits"));
            String without = page.textContent("#hits-without-filters");
            assertTrue(without.startsWith("筛选条件可能限制过多；不加筛选条件可找到 "), without);
            page.click("#no-hits .clear-filters");
            awaitOn(page, "#hits li.hit");
            assertEquals(gateway + "/console#/search?q=" + encoded("户籍"), page.url());
            assertEquals("户籍", page.inputValue("form.search input[name=q]"));
            assertEquals(0, page.locator("#no-hits").count(), page.textContent("main"));
        }
    }

    /** An editor writes a data item's 说明 (two lines) in the entry form; saved, it is there after a reload. */
    @Test
    void anEditorWritesADataItemsDescriptionInTheEntryFormAndReadsItBackAfterAReload() throws Exception {
        String gateway = SharedSuite.gateway();
        String editor = token("zrzyt.operator");
        long id = created(editor, "自然资源信息项说明目录");
        String description = "不动产登记单元的唯一编号\n按 GB/T 37346 编制";
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "zrzyt.operator");
            page.navigate(gateway + "/console#/entries/" + id + "/edit");
            String first = "tr.item:nth-child(1) [name=item-description]";
            awaitOn(page, first);
            assertEquals("", page.inputValue(first));
            page.fill(first, description);
            submit(page, "#entry-form", "#entry-name", "ok");
            String shown = page.textContent("main");
            assertTrue(shown.contains("不动产登记单元的唯一编号") && shown.contains("按 GB/T 37346 编制"), shown);

            page.reload();
            page.navigate(gateway + "/console#/entries/" + id + "/edit");
            awaitOn(page, first);
            assertEquals(description, page.inputValue(first));
            assertEquals("", page.inputValue("tr.item:nth-child(2) [name=item-description]"));
        }
        var draft = given().auth().oauth2(editor).get(gateway + "/api/catalog/v1/entries/" + id).then()
                .statusCode(200).extract().jsonPath();
        assertEquals(description, draft.getString("draft.items[0].description"));
        assertNull(draft.getString("draft.items[1].description"));
    }

    /**
     * 撤回报送: the department's editor takes a submission back before the reviewer acts; the entry is a draft again,
     * the history says so, and the reviewer is not offered the recall. Deleting is offered only once it is a draft.
     */
    @Test
    void anEditorRecallsASubmissionWhichTheReviewerIsNotOffered() throws Exception {
        String gateway = SharedSuite.gateway();
        String editor = token("zrzyt.operator");
        String entry = gateway + "/api/catalog/v1/entries/" + created(editor, "自然资源撤回报送目录");
        post(editor, entry + "/assessments/secrecy", Map.of("reference", "ZR-BM-2026-009",
                "conclusion", "不涉及国家秘密和工作秘密", "assessedOn", ConsolePages.beijingToday()));
        post(editor, entry + "/assessments/personal-information", Map.of("reference", "ZR-PIA-2026-009",
                "conclusion", "个人信息处理限于履职所需", "assessedOn", ConsolePages.beijingToday()));
        int version = given().auth().oauth2(editor).get(entry).then().statusCode(200).extract().path("lockVersion");
        Response approved = given().auth().oauth2(token("zrzyt.head")).contentType("application/json")
                .header("If-Match", String.valueOf(version)).body(Map.of("opinion", "同意报送"))
                .post(entry + "/head-approval");
        assertEquals(200, approved.statusCode(), approved.asString());
        post(editor, entry + "/submit", Map.of("opinion", "报送审核"));
        String hash = "/console#/entries/" + entry.substring(entry.lastIndexOf('/') + 1);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + hash);
            awaitOn(reviewer, "#approve-entry");
            assertEquals(0, reviewer.locator("#recall-entry").count(), reviewer.textContent("main"));

            Page page = logIn(browser, "zrzyt.operator");
            page.navigate(gateway + hash);
            awaitOn(page, "#recall-entry");
            assertEquals(0, page.locator("#discard-entry").count(), page.textContent("main"));
            page.fill("#recall-entry [name=opinion]", "共享条件需补充");
            submit(page, "#recall-entry", "#edit-entry", "ok");
            assertTrue(page.textContent("#entry-state").startsWith("草稿"), page.textContent("#entry-state"));
            assertEquals(0, page.locator("#recall-entry").count(), page.textContent("main"));
            String history = page.textContent("main");
            assertTrue(history.contains("撤回报送 / submission recalled") && history.contains("共享条件需补充"), history);
            // a draft again, and never published: it may now be deleted
            awaitOn(page, "#discard-entry");
        }
        given().auth().oauth2(editor).get(entry).then().statusCode(200).body("state", equalTo("DRAFT"))
                .body("reviewDue", nullValue());
    }

    /**
     * 删除草稿: asked first (取消 leaves the draft as it was); confirmed, the draft is gone from the department's list
     * and the catalogue.
     */
    @Test
    void anEditorDeletesANeverPublishedDraftAfterConfirmingIt() throws Exception {
        String gateway = SharedSuite.gateway();
        String editor = token("zrzyt.operator");
        long id = created(editor, "自然资源删除草稿目录");
        String name = given().auth().oauth2(editor).get(gateway + "/api/catalog/v1/entries/" + id).then()
                .statusCode(200).extract().path("name");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "zrzyt.operator");
            page.navigate(gateway + "/console#/entries/" + id);
            String delete = "#discard-entry button[type=submit]";
            awaitOn(page, delete);
            page.click(delete);
            awaitOn(page, "#discard-entry [role=alertdialog] .confirm-no");
            page.click("#discard-entry [role=alertdialog] .confirm-no");
            assertEquals(0, page.locator("[role=alertdialog]").count());
            given().auth().oauth2(editor).get(gateway + "/api/catalog/v1/entries/" + id).then().statusCode(200);

            page.fill("#discard-entry [name=reason]", "重复登记");
            confirmed(page, delete, "ok");
            awaitOn(page, "#entry-filters");
            assertEquals(gateway + "/console#/entries", page.url());
            assertTrue(page.textContent("#notice").contains("已删除草稿"), page.textContent("#notice"));
            assertFalse(page.textContent("main").contains(name), page.textContent("main"));
        }
        given().auth().oauth2(editor).get(gateway + "/api/catalog/v1/entries/" + id).then().statusCode(404);
    }

    /** A draft of 自然资源厅 (two data items), its name made unique, as the department's editor creates it. */
    private static long created(String editor, String name) {
        Response r = given().auth().oauth2(editor).contentType("application/json")
                .body(ConsolePages.entry(name + System.nanoTime() % 100_000, NATURAL_RESOURCES, "浙江省自然资源厅",
                        "330000"))
                .post(SharedSuite.gateway() + "/api/catalog/v1/entries");
        assertEquals(201, r.statusCode(), r.asString());
        return r.jsonPath().getLong("id");
    }

    private static void post(String token, String url, Map<String, Object> body) {
        Response r = given().auth().oauth2(token).contentType("application/json").body(body).post(url);
        assertEquals(200, r.statusCode(), url + ": " + r.asString());
    }

    private static String token(String username) throws Exception {
        return new CodeFlowClient(SharedSuite.gateway(), "gateway", "demo-gateway-secret").accessToken(username,
                DEMO_PASSWORD, "openid profile");
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
