package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
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
}
