package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.fileAwaiting;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.restassured.RestAssured.given;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * An empty list in Chromium says why it is empty: the filters in the address leave nothing (with a button clearing
 * them), or there is nothing yet.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class FilteredListConsoleTest {

    private static final String NO_MATCH = "没有符合筛选条件的记录";

    @Test
    void anAccountSearchFindingNobodySaysSoAndClearingItListsTheAccountsAgain() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.admin");
            page.navigate(gateway + "/console#/accounts?q=no-such-person-" + System.nanoTime());
            awaitOn(page, "#no-accounts .clear-filters");
            assertTrue(page.textContent("#no-accounts").contains(NO_MATCH), page.textContent("#no-accounts"));
            page.click("#no-accounts .clear-filters");
            awaitOn(page, "#account-filter ~ table tbody tr");
            assertEquals(gateway + "/console#/accounts", page.url());
            assertEquals("", page.inputValue("#account-filter [name=q]"));
            assertEquals(0, page.locator("#no-accounts").count(), page.textContent("main"));
        }
    }

    @Test
    void aDepartmentWithoutDisputesIsToldThereAreNoneAndAStatusFilterSaysItFoundNothing() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 市场监管局 is party to no dispute
            Page page = logIn(browser, "scjgj.operator");
            page.navigate(gateway + "/console#/disputes?status=OPEN");
            awaitOn(page, "#no-disputes .clear-filters");
            assertTrue(page.textContent("#no-disputes").contains(NO_MATCH), page.textContent("#no-disputes"));
            page.click("#no-disputes .clear-filters");
            page.waitForFunction("() => { const p = document.getElementById('no-disputes');"
                    + " return p && !p.querySelector('.clear-filters'); }");
            assertEquals(gateway + "/console#/disputes", page.url());
            String plain = page.textContent("#no-disputes");
            assertTrue(plain.contains("暂无记录"), plain);
            assertFalse(plain.contains(NO_MATCH), plain);
            assertEquals("", page.inputValue("#dispute-filter [name=status]"));
        }
    }

    /**
     * An operator's share requests open on both sides (to and from the department): the status filter is there too,
     * and narrows both sides, each with its count as the service gives it.
     */
    @Test
    void anOperatorFiltersBothSidesOfTheShareRequestsByStatus() throws Exception {
        String gateway = SharedSuite.gateway();
        String token = new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken("rst.operator",
                DEMO_PASSWORD, "openid profile");
        long filed = fileAwaiting(token, "不动产抵押", "不动产抵押登记信息", List.of("BDCDYH"));
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "rst.operator");
            page.navigate(gateway + "/console#/requests");
            awaitOn(page, "#request-filter [name=status]");
            assertEquals("", page.inputValue("#request-filter [name=side]"));
            page.selectOption("#request-filter [name=status]", "AWAITING_HEAD_APPROVAL");
            // the unfiltered lists stay until the filtered ones replace them: marked, to wait for the new ones
            page.evaluate("() => document.querySelector('#request-filter').dataset.unfiltered = 'true'");
            page.click("#request-filter button[type=submit]");
            page.waitForFunction("() => location.hash === '#/requests?status=AWAITING_HEAD_APPROVAL'");
            awaitOn(page, "#request-filter:not([data-unfiltered])");
            awaitOn(page, "main tr:has(td:text-is('" + filed + "'))");
            List<String> headings = page.locator("main h3").allTextContents();
            assertEquals(2, headings.size(), headings.toString());
            for (String side : List.of("provider", "consumer")) {
                String total = given().auth().oauth2(token)
                        .get(gateway + "/api/exchange/v1/requests?size=1&status=AWAITING_HEAD_APPROVAL&side=" + side)
                        .then().statusCode(200).extract().header("X-Total-Count");
                String heading = headings.get(side.equals("provider") ? 0 : 1);
                assertTrue(heading.endsWith("(" + total + ")"), side + ": " + heading + " / " + total);
            }
            // the head approves requests to the department only once they reach it: none of those awaits the head
            assertTrue(page.textContent("#no-requests-provider").contains(NO_MATCH), page.textContent("main"));
            for (String status : page.locator("main table tbody tr td:nth-child(7)").allTextContents()) {
                assertEquals("待本部门负责人审核 / awaiting the head's approval", status, page.textContent("main"));
            }
        }
    }
}
