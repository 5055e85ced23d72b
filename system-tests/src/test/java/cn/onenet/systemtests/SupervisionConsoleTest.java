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
 * The supervision pages in Chromium against the {@link SharedSuite}: the 主管部门's compliance report per department
 * (条例 Arts. 38–41), downloaded as CSV through the console's session, and the datasets' freshness against their
 * declared update cycle (更新周期).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class SupervisionConsoleTest {

    private String gateway;

    @BeforeAll
    void start() {
        gateway = SharedSuite.gateway();
    }

    @Test
    void theAuthorityReadsAndDownloadsTheComplianceReportAnOperatorIsNotOfferedIt() throws Exception {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/compliance");
            // the demo's provincial requests and grants: a row per provider department of the province
            awaitOn(reviewer, "#report-departments");
            assertTrue(reviewer.textContent("#report-scope").contains("330000"), reviewer.textContent("#report-scope"));
            assertTrue(reviewer.textContent("#report-departments").contains("浙江省"),
                    reviewer.textContent("#report-departments"));
            Download csv = reviewer.waitForDownload(() -> reviewer.click("#report-csv"));
            String text = Files.readString(csv.path(), StandardCharsets.UTF_8);
            assertTrue(text.contains("部门代码 departmentCode"), text);
            assertTrue(text.lines().count() > 1, text);

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
