package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * The identity audit log in Chromium for an auditor whose browser runs in another time zone (a cloud desktop set to
 * UTC): the table shows Beijing time, and the time filter takes Beijing time too, so an event is found by the time
 * the table gave it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class AuditConsoleTest {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TYPED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    @Test
    void anEventIsFoundByTheBeijingTimeTheTableShowsInABrowserRunningInUtc() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor", new Browser.NewContextOptions().setTimezoneId("UTC"));
            page.navigate(gateway + "/console#/audit");
            String first = "#audit-filter ~ table tbody tr:first-child";
            awaitOn(page, first);
            String row = page.textContent(first);
            LocalDateTime at = LocalDateTime.parse(page.textContent(first + " td:first-child"), SHOWN);

            // the minute before and the minute after the time the table shows, typed as the table shows it: to the
            // minute, so the range starts and ends on a whole minute
            LocalDateTime from = at.minusMinutes(1).truncatedTo(ChronoUnit.MINUTES);
            LocalDateTime to = at.plusMinutes(2).truncatedTo(ChronoUnit.MINUTES);
            page.fill("#audit-filter [name=from]", from.format(TYPED));
            page.fill("#audit-filter [name=to]", to.format(TYPED));
            // the filtered list replaces this one
            page.evaluate("() => { document.querySelector('#audit-filter').dataset.unfiltered = 'yes'; }");
            page.click("#audit-filter button[type=submit]");
            page.waitForFunction("() => location.hash.includes('from=') && document.querySelector('#audit-filter')"
                    + " && !document.querySelector('#audit-filter[data-unfiltered]')");
            try {
                assertTrue(page.locator("main table tbody tr").allTextContents().contains(row), "not listed");
            } catch (AssertionError e) {
                throw new AssertionError("the event at " + at + " (Beijing) is not found between " + from + " and "
                        + to + ": " + page.textContent("main"), e);
            }
            List<String> times = page.locator("main table tbody tr td:first-child").allTextContents();
            for (String time : times) {
                LocalDateTime shown = LocalDateTime.parse(time, SHOWN);
                assertTrue(!shown.isBefore(from) && shown.isBefore(to), from + " – " + to + ": " + times);
            }
        }
    }

    /** Auditors read events in words: the detail as identity renders it, and accounts by name beside their ids. */
    @Test
    void theAuditLogShowsDetailsInWordsAndAccountsByName() {
        String gateway = SharedSuite.gateway();
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            page.navigate(gateway + "/console#/audit?type=ACCOUNT_CREATED");
            awaitOn(page, "#audit-filter ~ table tbody tr");
            List<String> details = page.locator("#audit-filter ~ table tbody tr td:nth-child(8)").allTextContents();
            assertTrue(details.stream().noneMatch(d -> d.matches("(?s).*\\btype=[A-Z_]+.*")), details.toString());
            assertTrue(details.stream().anyMatch(d -> d.contains("账户类型")), details.toString());
            List<String> subjects = page.locator("#audit-filter ~ table tbody tr td:nth-child(5)").allTextContents();
            // a name, then the id in brackets: 张*（8f0c…） for a citizen, in full for staff
            assertTrue(subjects.stream().anyMatch(s -> s.matches("[^（]+（[0-9a-f-]{36}）")), subjects.toString());
        }
    }
}
