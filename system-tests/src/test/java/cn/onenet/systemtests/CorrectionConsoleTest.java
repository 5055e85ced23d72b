package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.clientCredentials;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.demoGrantResource;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.submit;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;

import io.restassured.response.Response;

/**
 * Correction requests (个人信息更正补充, PIPL 第四十六条) in Chromium against the {@link SharedSuite}: 张三 finds his
 * name wrong in 公安厅's 居民户籍信息 (which 人社厅 looked up), asks for a correction from the dataset that used his
 * data; 公安厅's operator is told so in words on the 通知 page, the notice linking to the request, sees it with his
 * ID number, to find the record, and answers that it was corrected;
 * 张三 reads the answer and how the request was handled (the department that answered, not its operator); the
 * 主管部门's reviewer follows without the ID number and without an answer form.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class CorrectionConsoleTest {

    private static final String ZHANG_SAN = "33010619850312001X";

    private String gateway;
    private String resourceCode;

    @BeforeAll
    void start() throws Exception {
        gateway = SharedSuite.gateway();
        // 人社厅 looks 张三 up under the demo grant: the dataset is then among those that used his data
        resourceCode = demoGrantResource(clientCredentials("gat-population-system", "demo-gat-population-secret"));
        lookUp(new CodeFlowClient(gateway, "gateway", "demo-gateway-secret")
                .accessToken("rst.operator", DEMO_PASSWORD, "openid profile"));
    }

    @Test
    void aCitizenAsksForACorrectionTheProviderAnswersWithTheIdNumberAndTheCitizenReadsTheAnswer() {
        String description = "户籍登记姓名有误，本人身份证记载为张三（" + System.nanoTime() + "）";
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page citizen = logIn(browser, ZHANG_SAN);
            assertTrue(citizen.textContent("#nav").contains("更正申请 / Corrections"), citizen.textContent("#nav"));
            assertEquals(0, citizen.locator("#nav a[href='#/corrections']").count(), citizen.textContent("#nav"));
            citizen.click("#nav a[href='#/my-corrections']");
            attached(citizen, "#correction-form select[name=resourceCode] option[value='" + resourceCode + "']");
            citizen.selectOption("#correction-form [name=resourceCode]", resourceCode);
            // the items 人社厅 received of the entry are offered (the entry is not open to the public)
            attached(citizen, "#correction-form select[name=item] option[value=XM]");

            // Neither the correct value nor a description: refused, both fields named
            citizen.selectOption("#correction-form [name=item]", "XM");
            submit(citizen, "#correction-form", "#correction-form [data-field=correctValue].invalid", "error");
            assertTrue(citizen.locator("#correction-form [data-field=description].invalid").count() == 1,
                    citizen.textContent("#correction-form"));

            citizen.fill("#correction-form [name=currentValue]", "张伟");
            citizen.fill("#correction-form [name=correctValue]", "张三");
            citizen.fill("#correction-form [name=description]", description);
            citizen.fill("#correction-form [name=evidence]", "居民身份证正反面");
            submit(citizen, "#correction-form", "#correction-meta", "ok");
            String id = citizen.url().replaceAll(".*#/my-corrections/(\\d+).*", "$1");
            assertTrue(id.matches("\\d+"), citizen.url());
            String filed = citizen.textContent("main");
            assertTrue(filed.contains("待答复") && filed.contains("张伟") && filed.contains("张三")
                    && filed.contains("居民户籍信息"), filed);

            // 公安厅's operator is told on the 通知 page, in words, the notice leading to the request
            Page provider = logIn(browser, "gat.operator");
            provider.click("#nav a[href='#/notices']");
            String notice = "main table tbody tr:has(a.notice-subject[href='#/corrections/" + id + "'])";
            awaitOn(provider, notice);
            assertEquals("更正补充申请 / correction requested", provider.textContent(notice + " .notice-kind"));
            assertEquals("更正申请 / correction #" + id, provider.textContent(notice + " a.notice-subject"));
            assertFalse(provider.textContent(notice).contains("CORRECTION"), provider.textContent(notice));
            provider.click(notice + " a.notice-subject");
            awaitOn(provider, "#correction-answer-form");

            // ... the request with 张三's ID number (to find the record), and the answer form
            provider.click("#nav a[href='#/corrections']");
            String row = "#correction-list tbody tr:has(td:first-child:text-is('" + id + "'))";
            awaitOn(provider, row);
            String listed = provider.textContent(row);
            assertTrue(listed.contains(ZHANG_SAN) && listed.contains(description) && listed.contains("待答复"), listed);
            provider.click(row + " a.open");
            awaitOn(provider, "#correction-answer-form");
            assertTrue(provider.textContent("main").contains(ZHANG_SAN), provider.textContent("main"));
            // 已更正 while the hosted record is as it was when the request was filed is refused, saying so
            provider.selectOption("#correction-answer-form [name=outcome]", "CORRECTED");
            provider.fill("#correction-answer-form [name=reason]", "经核对户籍档案，姓名录入有误，已更正为张三");
            answer(provider, () -> provider.click("#correction-answer-form button[type=submit]"),
                    "#correction-answer-form", "error");
            assertTrue(provider.textContent("#notice").contains("记录尚未更正"), provider.textContent("#notice"));
            // the record already reads 张三: not corrected, with how it was verified
            provider.selectOption("#correction-answer-form [name=outcome]", "NOT_CORRECTED");
            provider.fill("#correction-answer-form [name=reason]", "经核对户籍档案，姓名记载为张三，与身份证一致");
            provider.fill("#correction-answer-form [name=explanation]", "户籍档案记载姓名为张三");
            submit(provider, "#correction-answer-form", "#correction-answer", "ok");
            assertEquals(0, provider.locator("#correction-answer-form").count(), "answered twice");
            assertTrue(provider.textContent("main .correction-status").contains("不予更正"),
                    provider.textContent("main"));
            String history = provider.textContent("main table");
            assertTrue(history.contains("提出申请") && history.contains("答复") && history.contains("赵强"), history);

            // 张三 reads the answer in his list and on the request's page
            citizen.navigate(gateway + "/console#/my-corrections");
            String mine = "#my-correction-list tbody tr:has(td:first-child:text-is('" + id + "'))";
            awaitOn(citizen, mine);
            String answered = citizen.textContent(mine);
            assertTrue(answered.contains("不予更正") && answered.contains("与身份证一致"), answered);
            citizen.click(mine + " a.open");
            awaitOn(citizen, "#correction-answer");
            assertTrue(citizen.textContent("#correction-answer").contains("经核对户籍档案"),
                    citizen.textContent("main"));
            // ... and how it was handled: filed, then answered by 公安厅 (named as a department, not its operator)
            awaitOn(citizen, "#correction-history tbody tr");
            var steps = citizen.locator("#correction-history tbody tr");
            assertEquals(2, steps.count(), citizen.textContent("#correction-history"));
            String first = steps.nth(0).textContent();
            String last = steps.nth(1).textContent();
            assertTrue(first.contains("提出申请") && first.contains("申请人") && first.contains(description), first);
            assertTrue(last.contains("答复") && last.contains("不予更正") && last.contains("浙江省公安厅")
                    && last.contains("11330000002481020A") && last.contains("户籍档案记载姓名为张三"), last);
            String page = citizen.textContent("main");
            assertFalse(page.contains("赵强"), "the operator's name is shown to the citizen: " + page);
            String handled = citizen.textContent("#correction-history");
            assertFalse(handled.contains(ZHANG_SAN), "the ID number is in the citizen's history: " + handled);

            // The 主管部门's reviewer follows: the requester's account, never the ID number, no answer form
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/corrections?status=NOT_CORRECTED");
            awaitOn(reviewer, row);
            String followed = reviewer.textContent(row);
            assertTrue(followed.contains("账户 / account") && followed.contains("不予更正"), followed);
            assertFalse(followed.contains(ZHANG_SAN), followed);
            reviewer.click(row + " a.open");
            awaitOn(reviewer, "#correction-answer");
            assertEquals(0, reviewer.locator("#correction-answer-form").count(), reviewer.textContent("main"));
            assertFalse(reviewer.textContent("main").contains(ZHANG_SAN), reviewer.textContent("main"));

            // 人社厅's operator, not the 数源部门, does not see it
            Page other = logIn(browser, "rst.operator");
            other.navigate(gateway + "/console#/corrections");
            awaitOn(other, "#correction-filter");
            awaitOn(other, "#no-corrections, #correction-list");
            assertEquals(0, other.locator(row).count(), other.textContent("main"));
        }
    }

    /** Waits for an element that is in the page but not drawn by itself (an option of a closed list). */
    private static void attached(Page page, String selector) {
        try {
            page.waitForSelector(selector, new Page.WaitForSelectorOptions().setState(WaitForSelectorState.ATTACHED)
                    .setTimeout(20_000));
        } catch (RuntimeException e) {
            throw new AssertionError("no " + selector + "; page: " + page.textContent("main"), e);
        }
    }

    /** A lookup of 张三 under the demo grant (retried while the grant's per-second quota answers 429). */
    private void lookUp(String token) throws InterruptedException {
        for (int attempt = 0;; attempt++) {
            Response r = given().auth().oauth2(token)
                    .get(gateway + "/api/exchange/v1/data/" + resourceCode + "/records/" + ZHANG_SAN);
            if (r.statusCode() != 429 || attempt == 5) {
                assertEquals(200, r.statusCode(), r.asString());
                return;
            }
            Thread.sleep(1_100);
        }
    }
}
