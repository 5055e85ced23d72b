package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

/**
 * The supervision pages in Chromium against the {@link SharedSuite}: the 主管部门's compliance reports per
 * department, the exchange's (条例 Arts. 38–41, with the switch for the regions below) beside the catalogue's (Arts.
 * 16–17), downloaded as CSV through the console's session, and the datasets' freshness against their declared update
 * cycle (更新周期).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class SupervisionConsoleTest {

    private String gateway;

    @BeforeAll
    void start() {
        gateway = SharedSuite.gateway();
    }

    /**
     * The exchange files its demo requests once its replica holds the demo catalogue, which may be after the suite
     * answers: the page is read again (at most a minute) until the report has its rows.
     */
    private static void awaitReport(Page page) {
        for (int attempt = 0; attempt < 30; attempt++) {
            awaitOn(page, "#report-departments, #report-none");
            if (page.locator("#report-departments").count() > 0) {
                return;
            }
            page.waitForTimeout(2000);
            page.reload();
        }
        awaitOn(page, "#report-departments");
    }

    @Test
    void theAuthorityReadsAndDownloadsTheComplianceReportAnOperatorIsNotOfferedIt() throws Exception {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/compliance");
            // the demo's provincial requests and grants: a row per provider department of the province
            awaitReport(reviewer);
            assertTrue(reviewer.textContent("#report-scope").contains("330000"), reviewer.textContent("#report-scope"));
            assertTrue(reviewer.textContent("#report-departments").contains("浙江省"),
                    reviewer.textContent("#report-departments"));
            Download csv = reviewer.waitForDownload(() -> reviewer.click("#report-csv"));
            String text = Files.readString(csv.path(), StandardCharsets.UTF_8);
            assertTrue(text.contains("部门代码 departmentCode"), text);
            assertTrue(text.lines().count() > 1, text);

            // the catalogue's report beside it: the demo catalogue's submissions and reviews in the province
            awaitOn(reviewer, "#catalog-report-departments");
            assertTrue(reviewer.textContent("#catalog-report-scope").contains("330000"),
                    reviewer.textContent("#catalog-report-scope"));
            assertTrue(reviewer.textContent("#catalog-report-departments").contains("浙江省"),
                    reviewer.textContent("#catalog-report-departments"));
            Download catalogCsv = reviewer.waitForDownload(() -> reviewer.click("#catalog-report-csv"));
            String catalogText = Files.readString(catalogCsv.path(), StandardCharsets.UTF_8);
            assertTrue(catalogText.contains("报送 submissions"), catalogText);
            assertTrue(catalogText.lines().count() > 1, catalogText);

            // the switch takes the exchange's report down to the regions below, each row with its region
            reviewer.check("#include-subregions");
            reviewer.click("#report-filter button[type=submit]");
            reviewer.waitForFunction("() => (document.querySelector('#report-scope') || {}).textContent"
                    + "?.includes('含下级区划')");
            assertTrue(reviewer.url().contains("includeSubregions=true"), reviewer.url());
            assertTrue(reviewer.isChecked("#include-subregions"));
            assertTrue(reviewer.textContent("#report-departments").contains("330000"),
                    reviewer.textContent("#report-departments"));

            // an admin (who runs the platform, not the 主管部门) reads the catalogue's report only
            Page admin = logIn(browser, "dsj.admin");
            admin.navigate(gateway + "/console#/compliance");
            awaitOn(admin, "#catalog-report");
            assertEquals(0, admin.locator("#exchange-report").count(), admin.textContent("main"));
            assertEquals(0, admin.locator("#include-subregions").count());

            // a department's operator sees no compliance section and is sent on from its address
            Page operator = logIn(browser, "gat.operator");
            operator.navigate(gateway + "/console#/compliance");
            awaitOn(operator, "#nav");
            assertEquals(0, operator.locator("#nav a[href='#/compliance']").count(), operator.textContent("#nav"));
            // its own datasets' freshness
            operator.navigate(gateway + "/console#/datasets");
            awaitOn(operator, "#datasets");
            assertTrue(operator.textContent("#datasets").contains("居民户籍信息"), operator.textContent("#datasets"));
        }
    }
}
