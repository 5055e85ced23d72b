package cn.onenet.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.LoadState;

/**
 * 李四's self-registered account (L2: a phone and a typed ID number) in Chromium against the {@link SharedSuite}. The
 * exchange's views keyed on one's own identifier need L3, and the console knows the session's level: it asks none of
 * them (not even the menu's unread count), so that no page raises a refused call or a console error, and each of those
 * sections says under its own heading which level it needs and how to reach it.
 */
@ExtendWith(SharedSuite.class)
class RealNameLevelConsoleTest {

    private static final String LI_SI = "33010619920708002X";

    /** Sections of the citizen's and the heading each shows (the own views, #/my-…, need the higher level). */
    private static final List<Map.Entry<String, String>> SECTIONS = List.of(
            Map.entry("#/my-data", "我的数据使用记录 / Who used my data"),
            Map.entry("#/my-complaints", "我的投诉 / My complaints"),
            Map.entry("#/my-complaints/1", "我的投诉 / My complaints"),
            Map.entry("#/my-corrections", "更正申请 / Corrections"),
            Map.entry("#/my-corrections/1", "更正申请 / Corrections"),
            Map.entry("#/my-notices", "我的通知 / My notices"),
            Map.entry("#/account", "我的账户 / My account"),
            Map.entry("#/search", "目录检索 / Search the catalogue"));

    @Test
    void anL2CitizenIsToldWhichLevelEachOwnSectionNeedsWithoutRefusedCalls() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, LI_SI);
            List<String> refused = new CopyOnWriteArrayList<>();
            List<String> errors = new CopyOnWriteArrayList<>();
            page.onResponse(r -> {
                if (r.status() >= 400) {
                    refused.add(r.status() + " " + r.request().method() + " " + r.url());
                }
            });
            page.onConsoleMessage(m -> {
                if ("error".equals(m.type())) {
                    errors.add(m.text());
                }
            });
            page.onPageError(e -> errors.add(e));
            // the first section again, with the listeners on from the page's start
            page.reload();
            page.waitForLoadState(LoadState.NETWORKIDLE);
            awaitOn(page, "#level-needed");

            for (Map.Entry<String, String> section : SECTIONS) {
                page.navigate(gateway + "/console" + section.getKey());
                heading(page, section.getKey(), section.getValue());
                boolean own = section.getKey().startsWith("#/my-");
                if (own) {
                    String told = page.textContent("#level-needed");
                    assertTrue(told.contains("需要实名认证等级 L3") && told.contains("线下核验") && told.contains("刷脸认证")
                            && told.contains("Real-name level L3"), section.getKey() + ": " + told);
                    assertEquals(0, page.locator("main table").count(), page.textContent("main"));
                } else {
                    assertEquals(0, page.locator("#level-needed").count(), page.textContent("main"));
                }
                // one heading per page, the section's own
                assertEquals(1, page.locator("main h2").count(), section.getKey() + ": " + page.textContent("main"));
                // the menu still offers 我的通知, without a count
                assertTrue(page.locator("#my-notices-badge").isHidden(), page.textContent("#nav"));
            }
            // every call the last section and the menu made has been answered
            page.reload();
            page.waitForLoadState(LoadState.NETWORKIDLE);
            heading(page, "#/search", "目录检索 / Search the catalogue");

            assertEquals(List.of(), refused, "refused calls");
            assertEquals(List.of(), errors, "console errors");
        }
    }

    /** Waits for the section's first heading to read as expected; on a timeout, what the page shows instead. */
    private static void heading(Page page, String section, String expected) {
        try {
            page.waitForFunction("t => { const h = document.querySelector('main h2'); return h && h.textContent === t; }",
                    expected, new Page.WaitForFunctionOptions().setTimeout(20_000));
        } catch (RuntimeException e) {
            throw new AssertionError(section + ": not headed " + expected + ": " + page.textContent("main"), e);
        }
    }
}
