package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

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
    static final int PAGE = 50;
    private static final String PAST_THE_END = "已超出列表末尾";

    @Test
    void aPagePastTheEndOfTheCatalogueLeadsBackToItsLastPageFilteredOrNot() throws Exception {
        String auditor = token("dsj.auditor");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            for (String filter : new String[] {"", "state=PUBLISHED&"}) {
                long total = total(auditor, "/api/catalog/v1/entries?size=1&" + filter);
                assertTrue(total > 0, "the demo catalogue is empty");
                leadsBackToTheLastPage(page, "all-entries", filter, "no-entries", total, "main table tbody tr");
            }
        }
    }

    /**
     * The audit log and the departments count their rows (X-Total-Count), so their pages past the end lead back to
     * the last page with rows, as the catalogue's do, the filters kept.
     */
    @Test
    void aPagePastTheEndOfTheAuditLogOrTheDepartmentsLeadsBackToItsLastPage() throws Exception {
        String auditor = token("dsj.auditor");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            // the registrations of clients: rows the sign-ins of this test do not add to
            long events = total(auditor, "/api/identity/v1/audit?size=1&type=CLIENT_REGISTERED");
            assertTrue(events > 0, "no client registrations in the audit log");
            leadsBackToTheLastPage(page, "audit", "type=CLIENT_REGISTERED&", "no-audit-events", events,
                    "#audit-filter ~ table tbody tr");

            for (String filter : new String[] {"", "region=330000&"}) {
                long departments = total(auditor, "/api/identity/v1/departments?includeInactive=true&size=1&"
                        + filter);
                assertTrue(departments > 0, "no departments");
                leadsBackToTheLastPage(page, "departments", filter, "no-departments", departments,
                        "#department-filter ~ table tbody tr");
            }
        }
    }

    /** A count as the console writes it (zh-CN: 1,234). */
    private static String inAll(long total) {
        return String.format(Locale.ROOT, "%,d", total);
    }

    static String token(String username) throws Exception {
        return new CodeFlowClient(SharedSuite.gateway(), "gateway", "demo-gateway-secret").accessToken(username,
                DEMO_PASSWORD, "openid profile");
    }

    /** The list's X-Total-Count as the service gives it. */
    static long total(String token, String path) {
        return Long.parseLong(given().auth().oauth2(token).get(SharedSuite.gateway() + path).then().statusCode(200)
                .extract().header("X-Total-Count"));
    }

    /**
     * Opens the section's page two past its last one (filter: the address's filters, each followed by {@code &}),
     * which says it is past the end of the list of {@code total} rows and leads back, filters kept, to the last page
     * with rows (its pager too); following the way back shows the rows.
     */
    static void leadsBackToTheLastPage(Page page, String section, String filter, String empty, long total,
            String rows) {
        String gateway = SharedSuite.gateway();
        long last = (total - 1) / PAGE;
        page.navigate(gateway + "/console#/" + section + "?" + filter + "page=" + (last + 3));
        awaitOn(page, "#" + empty + ".past-end");
        String said = page.textContent("#" + empty);
        assertTrue(said.contains("第 " + (last + 4) + " 页" + PAST_THE_END), said);
        assertTrue(said.contains("（共 " + inAll(total) + " 条）"), said);
        assertFalse(said.contains("暂无") || said.contains("没有符合筛选条件"), said);
        String back = page.textContent("#" + empty + " .back-to-list");
        assertTrue(last > 0 ? back.contains("最后一页（第 " + (last + 1) + " 页）") : back.contains("回到第一页"), back);
        // the pager's way back is the last page too, not the (empty) page before this one
        assertEquals(1, page.locator(".pager a:has-text('最后一页')").count(), page.textContent(".pager"));

        page.click("#" + empty + " .back-to-list");
        awaitOn(page, rows);
        String expected = "#/" + section + (filter.isEmpty() && last == 0 ? ""
                : "?" + filter + (last > 0 ? "page=" + last : "")).replaceAll("&$", "");
        assertEquals(gateway + "/console" + expected, page.url());
        String pager = page.textContent(".pager");
        assertTrue(pager.contains("共 " + inAll(total) + " 条") && pager.contains("第 " + (last + 1)
                + " 页"), pager);
        assertEquals(0, page.locator("#" + empty).count(), page.textContent("main"));
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
