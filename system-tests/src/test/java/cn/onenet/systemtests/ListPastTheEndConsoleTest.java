package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * A page past the end of a list (an address typed or kept, the last rows removed meanwhile) in Chromium: it says so,
 * rather than that the list is empty or that its filters match nothing, and leads back to the last page with rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class ListPastTheEndConsoleTest {

    /** The console's page size of the lists. */
    private static final int PAGE = 50;
    private static final String PAST_THE_END = "已超出列表末尾";

    @Test
    void aPagePastTheEndOfTheCatalogueLeadsBackToItsLastPageFilteredOrNot() throws Exception {
        String gateway = SharedSuite.gateway();
        String auditor = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken("dsj.auditor",
                DEMO_PASSWORD, "openid profile");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            for (String filter : new String[] {"", "state=PUBLISHED&"}) {
                long total = Long.parseLong(given().auth().oauth2(auditor)
                        .get(gateway + "/api/catalog/v1/entries?size=1&" + filter).then().statusCode(200).extract()
                        .header("X-Total-Count"));
                assertTrue(total > 0, "the demo catalogue is empty");
                long last = (total - 1) / PAGE;
                page.navigate(gateway + "/console#/all-entries?" + filter + "page=" + (last + 3));
                awaitOn(page, "#no-entries.past-end");
                String said = page.textContent("#no-entries");
                assertTrue(said.contains("第 " + (last + 4) + " 页" + PAST_THE_END), said);
                assertFalse(said.contains("暂无") || said.contains("没有符合筛选条件"), said);
                String back = page.textContent("#no-entries .back-to-list");
                assertTrue(last > 0 ? back.contains("最后一页（第 " + (last + 1) + " 页）") : back.contains("回到第一页"),
                        back);
                // the pager's way back is the last page too, not the (empty) page before this one
                assertEquals(1, page.locator(".pager a:has-text('最后一页')").count(), page.textContent(".pager"));

                page.click("#no-entries .back-to-list");
                awaitOn(page, "main table tbody tr");
                String expected = "#/all-entries" + (filter.isEmpty() && last == 0 ? ""
                        : "?" + filter + (last > 0 ? "page=" + last : "")).replaceAll("&$", "");
                assertEquals(gateway + "/console" + expected, page.url());
                assertTrue(page.textContent(".pager").contains("第 " + (last + 1) + " 页"), page.textContent(".pager"));
                assertEquals(0, page.locator("#no-entries").count(), page.textContent("main"));
            }
        }
    }

    /** A list whose empty page knows no total (the accounts) leads back to its first page. */
    @Test
    void aPagePastTheEndOfTheAccountsLeadsBackToTheFirstPage() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.admin");
            page.navigate(gateway + "/console#/accounts?page=999");
            awaitOn(page, "#no-accounts.past-end");
            String said = page.textContent("#no-accounts");
            assertTrue(said.contains("第 1000 页" + PAST_THE_END), said);
            assertFalse(said.contains("暂无"), said);
            assertTrue(page.textContent("#no-accounts .back-to-list").contains("回到第一页"), said);
            assertEquals(1, page.locator(".pager a:has-text('最后一页')").count(), page.textContent(".pager"));
            page.click("#no-accounts .back-to-list");
            awaitOn(page, "#account-filter ~ table tbody tr");
            assertEquals(gateway + "/console#/accounts", page.url());
        }
    }
}
