package cn.onenet.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * The console's page in Chromium: it loads without a failed request (its icon named and served); and when the session
 * is gone (signed out in another tab, expired), the page says so and offers to log in again, back to the section the
 * user was in, instead of a bare status code.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class SessionConsoleTest {

    /**
     * The page names its icon (served with the console's assets), so the browser asks for no {@code /favicon.ico},
     * which the gateway does not serve: loading the console makes no request that fails.
     */
    @Test
    void theConsoleNamesItsIconAndLoadsWithoutAFailedRequest() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.reviewer");
            List<String> failed = new CopyOnWriteArrayList<>();
            // the page's own files (the APIs' answers are the sections' business)
            page.onResponse(r -> {
                if (r.status() >= 400 && !r.url().startsWith(gateway + "/api/")) {
                    failed.add(r.status() + " " + r.url());
                }
            });
            page.onRequestFailed(r -> failed.add("failed " + r.url()));
            page.reload();
            page.waitForSelector("#nav li");
            assertEquals(1, page.locator("head link[rel=icon]").count(), "the page names no icon");
            assertEquals("/console/assets/icon.svg", page.getAttribute("head link[rel=icon]", "href"));
            APIResponse icon = page.request().get(gateway + "/console/assets/icon.svg");
            assertEquals(200, icon.status());
            assertEquals("image/svg+xml", icon.headers().get("content-type"));
            assertTrue(icon.text().startsWith("<svg"), icon.text());
            assertEquals(List.of(), failed);
        }
    }

    @Test
    void aSectionOpenedAfterTheSessionEndedOffersToLogInAgainToTheSameSection() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            page.navigate(gateway + "/console#/all-entries");
            awaitOn(page, "#entry-filters");
            // the session's cookies are gone; the page is still open
            page.context().clearCookies();
            page.navigate(gateway + "/console#/accounts");
            awaitOn(page, "main p:has-text('无法加载')");
            String link = "#notice.error a:has-text('重新登录')";
            assertEquals(1, page.locator(link).count(), page.textContent("#notice"));
            assertTrue(page.textContent("#notice").contains("登录已失效"), page.textContent("#notice"));
            assertEquals("/console#/accounts", page.getAttribute(link, "href"));
            // followed, it loads the page again (an address differing in nothing but the fragment would only scroll),
            // which goes through the login page
            page.click(link);
            page.waitForURL(url -> url.startsWith(gateway + "/oidc/"), new Page.WaitForURLOptions()
                    .setTimeout(30_000));
        }
    }

    /**
     * A link into the console (a section and its query, e.g. from a notice or an e-mail) opened without a session
     * goes through the login page and lands on that section, not on the start page.
     */
    @Test
    void aDeepLinkOpenedBeforeLoggingInLandsOnItsSectionAfterTheLogin() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = browser.newContext().newPage();
            page.navigate(gateway + "/console#/search?q=probe");
            assertTrue(page.url().startsWith(gateway + "/oidc/"), "not sent to the login page: " + page.url());
            page.fill("#username", "dsj.auditor");
            page.fill("#password", ConsolePages.DEMO_PASSWORD);
            page.click("#submit");
            page.waitForURL(url -> url.startsWith(gateway + "/console"), new Page.WaitForURLOptions()
                    .setTimeout(30_000));
            page.waitForSelector("#nav li");
            assertEquals(gateway + "/console#/search?q=probe", page.url());
        }
    }
}
