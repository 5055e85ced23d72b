package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.confirmed;
import static cn.onenet.systemtests.ConsolePages.fileAwaiting;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.openAwaitingHead;
import static cn.onenet.systemtests.ConsolePages.requestableEntryId;
import static cn.onenet.systemtests.ConsolePages.submit;
import static cn.onenet.systemtests.ConsolePages.submitConfirmed;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;

/**
 * The console's exchange pages in Chromium against the {@link SharedSuite}: a request answered step by step on its
 * own page, a grant governed by its provider while the consumer is told, a data-quality objection, and a refusal's
 * legal basis — each page offering a user only the actions the exchange allows them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class ExchangeConsoleTest {

    private static final String HUMAN_RESOURCES = "11330000002481060E"; // 人社厅, the requester here
    private static final String POPULATION = "11330000002481020A"; // 公安厅
    private static final String ZHANG_SAN = "33010619850312001X";

    private String gateway;

    @BeforeAll
    void start() {
        gateway = SharedSuite.gateway();
    }

    @Test
    void theProviderAsksForTimeAndOnceForMoreTheRequesterResubmitsAndTheApprovalShowsTheGrant() throws Exception {
        String rst = token("rst.operator");
        long id = file(rst, "不动产抵押", "不动产抵押登记信息", List.of("BDCDYH", "DYQR"));
        String code = given().auth().oauth2(rst).get(gateway + "/api/exchange/v1/requests/" + id).then()
                .statusCode(200).extract().path("resourceCode");
        String at = gateway + "/console#/requests/" + id;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 不动产登记中心 asks the 主管部门 for more time (R8), once.
            Page provider = logIn(browser, "bdc.operator");
            provider.navigate(at);
            awaitOn(provider, "#request-extension");
            // who answers reads what is asked for: the resource and its items by the catalogue's names, codes beside
            assertEquals("不动产抵押登记信息（" + code + "）", provider.textContent("#request-resource"));
            assertEquals("不动产单元号（BDCDYH）、抵押权人（DYQR）", provider.textContent("#request-items"));
            assertTrue(provider.textContent("#request-approve [data-field=items]").contains("抵押权人（DYQR）"),
                    provider.textContent("#request-approve [data-field=items]"));
            provider.fill("#request-extension [name=reason]", "需核对历史抵押档案");
            provider.fill("#request-extension [name=days]", "5");
            submit(provider, "#request-extension", "#request-status", "ok");
            assertTrue(provider.textContent("main dl").contains("待主管部门批准"), provider.textContent("main dl"));
            assertEquals(0, provider.locator("#request-extension").count(), "a second extension is offered");

            // The requester sees its request waiting, and is offered none of the provider's answers.
            Page consumer = logIn(browser, "rst.operator");
            consumer.navigate(at);
            awaitOn(consumer, "#request-status");
            assertTrue(consumer.textContent("#request-status").contains("待审核"), consumer.textContent("main"));
            assertEquals(0, consumer.locator("#request-approve, #request-refuse, #request-supplement, "
                    + "#request-extension, #extension-approve").count(), consumer.textContent("main"));

            // The province's 主管部门 approves the extension; it answers nothing else for the provider.
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(at);
            awaitOn(reviewer, "#extension-approve");
            assertEquals(0, reviewer.locator("#request-approve, #request-supplement").count());
            reviewer.fill("#extension-approve [name=reason]", "同意延期");
            submit(reviewer, "#extension-approve", "#request-status", "ok");
            assertTrue(reviewer.textContent("main dl").contains("已批准"), reviewer.textContent("main dl"));

            // The provider asks once for everything missing.
            provider.reload();
            awaitOn(provider, "#request-supplement");
            provider.fill("#request-supplement [name=reason]", "请一次性补充：使用范围限于哪些业务网点");
            submit(provider, "#request-supplement", "#request-status", "ok");
            assertTrue(provider.textContent("#request-status").contains("待补充"), provider.textContent("main"));
            assertEquals(0, provider.locator("#request-supplement, #request-approve").count());

            // The requester is told (its notices link to the request) and resubmits with a narrower scope.
            consumer.navigate(gateway + "/console#/notices");
            String notice = "main tr:has-text('使用范围限于哪些业务网点') a.notice-subject[href='#/requests/" + id + "']";
            awaitOn(consumer, notice);
            consumer.click(notice);
            awaitOn(consumer, "#request-resubmit");
            assertTrue(consumer.textContent("#supplement-note").contains("业务网点"), consumer.textContent("main"));
            consumer.fill("#request-resubmit [name=scope]", "省社保经办机构及杭州、宁波经办网点");
            consumer.fill("#request-resubmit [name=note]", "已补充使用范围");
            submit(consumer, "#request-resubmit", "#request-status", "ok");
            assertTrue(consumer.textContent("#request-status").contains("待审核"), consumer.textContent("main"));
            assertTrue(consumer.textContent("main dl").contains("杭州、宁波经办网点"), consumer.textContent("main dl"));

            // The provider approves fewer items than asked; the request links to the grant it created.
            provider.reload();
            awaitOn(provider, "#request-approve");
            provider.uncheck("#request-approve [name=items][value=DYQR]");
            provider.fill("#request-approve [name=note]", "同意共享不动产单元号");
            // the operator's answer goes to 不动产登记中心's head (条例第二十条第三款); the deadline runs on
            assertTrue(provider.textContent("#answer-to-head").contains("负责人"), provider.textContent("main"));
            submit(provider, "#request-approve", "#proposed-answer", "ok");
            assertTrue(provider.textContent("#request-status").contains("答复待提供部门负责人审核"),
                    provider.textContent("main"));
            assertEquals(0, provider.locator("#request-approve, #answer-approve").count(), provider.textContent("main"));
            // the requester sees that the answer awaits the provider's head, not what it says
            consumer.reload();
            awaitOn(consumer, "#answer-approval-pending");
            assertEquals(0, consumer.locator("#proposed-answer").count(), consumer.textContent("main"));
            Page head = logIn(browser, "bdc.head");
            head.navigate(at);
            awaitOn(head, "#answer-approve");
            assertTrue(head.textContent("#proposed-answer").contains("同意共享不动产单元号"), head.textContent("main"));
            // the head decides on the items by name: the one granted, not the one left out
            String proposed = head.textContent("#proposed-answer");
            assertTrue(proposed.contains("不动产单元号（BDCDYH）") && !proposed.contains("DYQR"), proposed);
            assertEquals("不动产抵押登记信息（" + code + "）", head.textContent("#request-resource"));
            head.fill("#answer-approve [name=opinion]", "同意");
            submit(head, "#answer-approve", "#request-grant", "ok");
            assertTrue(head.textContent("main dl").contains("杨帆"), head.textContent("main dl"));
            provider.reload();
            awaitOn(provider, "#request-grant");
            assertTrue(provider.textContent("#request-status").contains("已同意"), provider.textContent("main"));
            String history = provider.locator("main table").last().textContent();
            assertTrue(history.contains("批准延期") && history.contains("一次性告知补充") && history.contains("补充后重新提交")
                    && history.contains("已补充使用范围"), history);
            provider.click("#request-grant");
            awaitOn(provider, "#grant-items");
            assertEquals("不动产单元号（BDCDYH）", provider.textContent("#grant-items"));
            assertEquals("不动产抵押登记信息（" + code + "）", provider.textContent("#grant-resource"));
            assertTrue(provider.textContent("#grant-status").contains("有效"), provider.textContent("main"));
            // the approval starts the 20-working-day delivery period (R10): nothing delivered yet
            assertTrue(provider.textContent("#grant-delivery").matches("\\d{4}-\\d{2}-\\d{2}.*"),
                    provider.textContent("main"));
            assertFalse(provider.textContent("#grant-delivery").contains("已交付"), provider.textContent("#grant-delivery"));
        }
    }

    @Test
    void theAuthorityRefusesAnExtensionAndTheRequesterWithdrawsItsRequest() throws Exception {
        String rst = token("rst.operator");
        long id = file(rst, "不动产抵押", "不动产抵押登记信息", List.of("BDCDYH"));
        String bdc = token("bdc.operator");
        given().auth().oauth2(bdc).contentType("application/json")
                .body(Map.of("version", version(bdc, id), "reason", "需调阅纸质档案", "days", 10))
                .post(gateway + "/api/exchange/v1/requests/" + id + "/extension").then().statusCode(200);
        String at = gateway + "/console#/requests/" + id;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // The 主管部门 refuses the extension (不予延期): the request keeps its answer date.
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(at);
            awaitOn(reviewer, "#extension-refuse");
            reviewer.fill("#extension-refuse [name=reason]", "档案已电子化，无需延期");
            submit(reviewer, "#extension-refuse", "#request-status", "ok");
            assertTrue(reviewer.textContent("main dl").contains("不予延期"), reviewer.textContent("main dl"));
            assertEquals(0, reviewer.locator("#extension-approve, #extension-refuse, #request-withdraw").count(),
                    reviewer.textContent("main"));

            // The requester no longer needs the data and withdraws its request (撤回申请).
            Page consumer = logIn(browser, "rst.operator");
            consumer.navigate(at);
            awaitOn(consumer, "#request-withdraw");
            consumer.fill("#request-withdraw [name=reason]", "业务已通过其他途径办结");
            // a withdrawal cannot be undone: the page asks first, and cancelling sends nothing and keeps the reason
            consumer.click("#request-withdraw button[type=submit]");
            String question = "#request-withdraw [role=alertdialog]";
            awaitOn(consumer, question);
            assertTrue(consumer.textContent(question).contains("确定撤回申请 #" + id), consumer.textContent(question));
            consumer.click(question + " button.confirm-no");
            assertEquals(0, consumer.locator(question).count(), consumer.textContent("#request-withdraw"));
            assertEquals("PENDING", given().auth().oauth2(rst).get(gateway + "/api/exchange/v1/requests/" + id)
                    .then().statusCode(200).extract().jsonPath().getString("status"));
            assertEquals("业务已通过其他途径办结", consumer.inputValue("#request-withdraw [name=reason]"));
            submitConfirmed(consumer, "#request-withdraw", "#request-status", "ok");
            assertTrue(consumer.textContent("#request-status").contains("已撤回"), consumer.textContent("main"));
            assertEquals(0, consumer.locator("#request-withdraw").count(), consumer.textContent("main"));
            String history = consumer.locator("main table").last().textContent();
            assertTrue(history.contains("不予延期") && history.contains("撤回申请")
                    && history.contains("业务已通过其他途径办结"), history);
            // Its own requests, filtered by status in the list's address: the withdrawn one is there, only such
            consumer.navigate(gateway + "/console#/requests?side=consumer&status=WITHDRAWN");
            awaitOn(consumer, "#request-filter");
            awaitOn(consumer, "main tr:has(td:text-is('" + id + "'))");
            List<String> statuses = consumer.locator("main table tr td:nth-child(7)").allTextContents();
            assertTrue(!statuses.isEmpty() && statuses.stream().allMatch(t -> t.contains("已撤回")), statuses.toString());
            String total = given().auth().oauth2(rst).get(gateway + "/api/exchange/v1/requests?side=consumer&status="
                    + "WITHDRAWN&size=1").then().statusCode(200).extract().header("X-Total-Count");
            assertTrue(consumer.textContent("main h3").contains("(" + total + ")"), consumer.textContent("main h3"));

            // The provider is told, and has nothing left to answer.
            Page provider = logIn(browser, "bdc.operator");
            provider.navigate(gateway + "/console#/notices");
            awaitOn(provider, "main tr:has-text('申请已撤回') a.notice-subject[href='#/requests/" + id + "']");
            provider.navigate(at);
            awaitOn(provider, "#request-status");
            assertEquals(0, provider.locator("#request-approve, #request-refuse, #request-extension").count(),
                    provider.textContent("main"));
        }
    }

    @Test
    void theProviderSuspendsAGrantTheConsumerIsToldThenItIsResumedChangedEndedAndItsDataDisposed() throws Exception {
        String rst = token("rst.operator");
        long grant = grantedByTheHousingFund(rst, "公积金贷款", "住房公积金贷款信息", List.of("DKHTBH", "GMSFHM"));
        String why = "发现超出授权用途批量调用，暂停核查" + System.nanoTime() % 100_000;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 公积金中心 finds the grant among its active ones and suspends it, with its reason.
            Page provider = logIn(browser, "gjj.operator");
            provider.navigate(gateway + "/console#/grants?status=ACTIVE");
            String row = "main tr:has(td:text-is('" + grant + "'))";
            awaitOn(provider, row);
            provider.click(row + " a.open");
            awaitOn(provider, "#grant-suspend");
            assertEquals(0, provider.locator("#grant-disposal").count(), "the provider is offered the disposal");
            // the quotas as zh-CN writes numbers (the exchange's default: 100000 calls a day)
            assertTrue(provider.textContent("#grant-quota").contains("100,000 次/日"), provider.textContent("#grant-quota"));
            provider.fill("#grant-suspend [name=reason]", why);
            submit(provider, "#grant-suspend", "#grant-resume", "ok");
            assertTrue(provider.textContent("#grant-status").contains("暂停"), provider.textContent("main"));

            // 人社厅 is told: the notice links to the grant, which it sees suspended — and may not govern.
            Page consumer = logIn(browser, "rst.operator");
            consumer.navigate(gateway + "/console#/notices");
            String notice = "main tr:has-text('" + why + "') a.notice-subject[href='#/grants/" + grant + "']";
            awaitOn(consumer, notice);
            consumer.click(notice);
            awaitOn(consumer, "#grant-status");
            assertTrue(consumer.textContent("#grant-status").contains("暂停")
                    && consumer.textContent("#grant-reason").contains(why), consumer.textContent("main"));
            assertEquals(0, consumer.locator("#grant-suspend, #grant-resume, #grant-terminate, #grant-change, "
                    + "#grant-disposal").count(), consumer.textContent("main"));
            consumer.navigate(gateway + "/console#/grants?status=SUSPENDED");
            awaitOn(consumer, row);

            // The provider resumes it, then lowers its daily quota; each change is recorded with its reason.
            provider.fill("#grant-resume [name=reason]", "核查完毕，使用部门已整改");
            submit(provider, "#grant-resume", "#grant-change", "ok");
            assertTrue(provider.textContent("#grant-status").contains("有效"), provider.textContent("main"));
            provider.fill("#grant-change [name=quotaPerDay]", "500");
            provider.fill("#grant-change [name=reason]", "按实际业务量调整日调用上限");
            submit(provider, "#grant-change", "#grant-status", "ok");
            assertTrue(provider.textContent("#grant-quota").contains("500"), provider.textContent("#grant-quota"));

            consumer.navigate(gateway + "/console#/grants/" + grant);
            awaitOn(consumer, "#grant-quota");
            assertTrue(consumer.textContent("#grant-status").contains("有效"), consumer.textContent("main"));
            assertTrue(consumer.textContent("#grant-quota").contains("500"), consumer.textContent("#grant-quota"));
            String history = consumer.locator("main table").last().textContent();
            assertTrue(history.contains("暂停") && history.contains("恢复") && history.contains("变更")
                    && history.contains("按实际业务量调整"), history);

            // Ended by the provider, the consumer confirms it disposed of the data.
            provider.fill("#grant-terminate [name=reason]", "业务调整，共享用途已不存在");
            // how the consumer must dispose of the data (R14, 按照提供部门的要求)
            provider.selectOption("#grant-terminate [name=disposalMethod]", "DELETE");
            provider.fill("#grant-terminate [name=disposalInstructions]", "删除业务系统及备份中的全部共享数据");
            // ending a grant cannot be undone: the page asks first, and cancelling leaves it in force
            provider.click("#grant-terminate button[type=submit]");
            awaitOn(provider, "#grant-terminate [role=alertdialog]");
            assertTrue(provider.textContent("#grant-terminate [role=alertdialog]").contains("确定终止授权 #" + grant),
                    provider.textContent("#grant-terminate"));
            provider.click("#grant-terminate button.confirm-no");
            assertEquals(0, provider.locator("#grant-terminate [role=alertdialog]").count());
            assertEquals("ACTIVE", given().auth().oauth2(rst).get(gateway + "/api/exchange/v1/grants/" + grant)
                    .then().statusCode(200).extract().jsonPath().getString("status"));
            submitConfirmed(provider, "#grant-terminate", "#grant-status", "ok");
            assertTrue(provider.textContent("#grant-status").contains("终止"), provider.textContent("main"));
            assertEquals(0, provider.locator("#grant-suspend, #grant-resume, #grant-disposal").count());
            consumer.reload();
            awaitOn(consumer, "#grant-disposal");
            assertTrue(consumer.textContent("#grant-disposal-requirement").contains("删除业务系统及备份"),
                    consumer.textContent("main dl"));
            assertTrue(consumer.locator("#grant-disposal-due").count() == 1, consumer.textContent("main dl"));
            // the provider's termination can be disputed (条例第二十八条), after negotiating
            assertTrue(consumer.getAttribute("#grant-dispute", "href").contains("subject=TERMINATION"),
                    consumer.textContent("main"));
            consumer.fill("#grant-disposal [name=reason]", "已删除本部门系统中的全部共享数据");
            submit(consumer, "#grant-disposal", "#grant-status", "ok");
            assertTrue(consumer.textContent("main dl").contains("已确认处置"), consumer.textContent("main dl"));
            assertEquals(0, consumer.locator("#grant-disposal").count());
            // the confirmation is also the grant's destruction record (条例第二十九条)
            String records = consumer.textContent("#usage-records table");
            assertTrue(records.contains("销毁") && records.contains("已删除本部门系统中的全部共享数据"), records);
        }
    }

    @Test
    void theConsumerGivesUpAGrantItNoLongerNeedsWhichTheProviderIsNotOffered() throws Exception {
        String rst = token("rst.operator");
        long grant = grantedByTheHousingFund(rst, "公积金提取", "住房公积金提取信息", List.of("TQBH", "GMSFHM"));
        String at = gateway + "/console#/grants/" + grant;
        String why = "提取业务核验已完成，不再需要该数据" + System.nanoTime() % 100_000;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 公积金中心 governs the grant it gave, but giving it up is the consumer's (its own end is /terminate)
            Page provider = logIn(browser, "gjj.operator");
            provider.navigate(at);
            awaitOn(provider, "#grant-suspend");
            assertEquals(0, provider.locator("#grant-relinquish").count(), provider.textContent("main"));

            // 人社厅 gives it up (条例第二十七条第一款): a reason is required, and the page asks before it ends the grant
            Page consumer = logIn(browser, "rst.operator");
            consumer.navigate(at);
            awaitOn(consumer, "#grant-relinquish");
            assertTrue(consumer.textContent("#grant-relinquish").contains("放弃授权"), consumer.textContent("main"));
            confirmed(consumer, "#grant-relinquish button[type=submit]", "error");
            awaitOn(consumer, "#grant-relinquish [data-field=reason].invalid");
            consumer.fill("#grant-relinquish [name=reason]", why);
            consumer.click("#grant-relinquish button[type=submit]");
            awaitOn(consumer, "#grant-relinquish [role=alertdialog]");
            assertTrue(consumer.textContent("#grant-relinquish [role=alertdialog]").contains("确定放弃授权 #" + grant),
                    consumer.textContent("#grant-relinquish"));
            consumer.click("#grant-relinquish button.confirm-no");
            assertEquals("ACTIVE", given().auth().oauth2(rst).get(gateway + "/api/exchange/v1/grants/" + grant)
                    .then().statusCode(200).extract().jsonPath().getString("status"));
            submitConfirmed(consumer, "#grant-relinquish", "#grant-disposal", "ok");
            assertTrue(consumer.textContent("#grant-status").contains("终止")
                    && consumer.textContent("#grant-reason").contains(why), consumer.textContent("main"));
            // ended by the consumer itself: nothing to give up again, nothing to dispute; the disposal is now due
            assertEquals(0, consumer.locator("#grant-relinquish, #grant-dispute").count(), consumer.textContent("main"));
            assertEquals(1, consumer.locator("#grant-disposal-due").count(), consumer.textContent("main dl"));
            String history = consumer.locator("main table").last().textContent();
            assertTrue(history.contains("使用部门放弃") && history.contains(why), history);

            // 公积金中心 is told; the notice leads to the grant, ended, with nothing left for it to govern
            provider.navigate(gateway + "/console#/notices");
            String notice = "main tr:has-text('" + why + "') a.notice-subject[href='#/grants/" + grant + "']";
            awaitOn(provider, notice);
            assertTrue(provider.textContent("main tr:has-text('" + why + "')").contains("使用部门放弃授权"),
                    provider.textContent("main tr:has-text('" + why + "')"));
            provider.click(notice);
            awaitOn(provider, "#grant-status");
            assertTrue(provider.textContent("#grant-status").contains("终止"), provider.textContent("main"));
            assertEquals(0, provider.locator("#grant-suspend, #grant-terminate, #grant-relinquish").count(),
                    provider.textContent("main"));
        }
    }

    @Test
    void aConsumerObjectsToARecordFromItsGrantAndTheProviderAnswers() throws Exception {
        String rst = token("rst.operator");
        long grant = awaitDemoGrant(rst, Duration.ofSeconds(120));
        String code = given().auth().oauth2(rst).get(gateway + "/api/exchange/v1/grants/" + grant).then()
                .statusCode(200).extract().path("resourceCode");
        String name = given().auth().oauth2(rst).queryParam("code", code)
                .get(gateway + "/api/catalog/v1/entries/by-code").then().statusCode(200).extract().path("name");
        String what = "户籍地址与本人申报的现住址不一致" + System.nanoTime() % 100_000;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // 人社厅 objects to one of 公安厅's records from the grant it holds; the ID number is never put in the address.
            Page consumer = logIn(browser, "rst.operator");
            consumer.navigate(gateway + "/console#/grants/" + grant);
            awaitOn(consumer, "#grant-objection");
            // the demo grant's request declared no covert use: the grant permits none
            assertTrue(consumer.textContent("#grant-covert").contains("不允许"), consumer.textContent("main dl"));
            assertEquals(name + "（" + code + "）", consumer.textContent("#grant-resource"));
            consumer.click("#grant-objection");
            awaitOn(consumer, "#objection-form");
            // the resources granted to the department, by name: the grant's is the one chosen
            assertEquals(name + "（" + code + "）", consumer.evaluate("() => document.querySelector("
                    + "'#objection-form [name=resourceCode]').selectedOptions[0].textContent"));
            assertEquals("off", consumer.getAttribute("#objection-form [name=recordKey]", "autocomplete"));
            consumer.fill("#objection-form [name=recordKey]", ZHANG_SAN);
            submit(consumer, "#objection-form", "[data-field=description].invalid", "error");
            consumer.fill("#objection-form [name=description]", what);
            submit(consumer, "#objection-form", "#objection-status", "ok");
            assertTrue(consumer.textContent("#objection-status").contains("待核实"), consumer.textContent("main"));
            assertFalse(consumer.url().contains(ZHANG_SAN), consumer.url());
            String objection = consumer.url().replaceAll(".*#/objections/(\\d+).*", "$1");

            // 公安厅 is told, follows the notice, sees which record it is about (to find it in its own system) and
            // answers with what it found; the consumer sees the outcome in words and cannot answer itself.
            Page provider = logIn(browser, "gat.operator");
            provider.navigate(gateway + "/console#/notices");
            String notice = "main a.notice-subject[href='#/objections/" + objection + "']";
            awaitOn(provider, notice);
            provider.click(notice);
            awaitOn(provider, "[data-objection] [name=answer]");
            assertEquals(ZHANG_SAN, provider.textContent("#objection-record-key").strip(), provider.textContent("main"));
            assertEquals(name + "（" + code + "）", provider.textContent("#objection-resource"));
            provider.fill("[data-objection] [name=answer]", "经核实，该居民已迁入新址，户籍地址已更正");
            // an answer without an outcome is refused
            answer(provider, () -> provider.click("[data-objection] button"), "answer", "error");
            // 已更正 while the hosted record is as it was when the objection was filed is refused, saying so
            provider.selectOption("[data-objection] [name=outcome]", "CORRECTED");
            answer(provider, () -> provider.click("[data-objection] button"), "answer", "error");
            assertTrue(provider.textContent("#notice").contains("记录尚未更正"), provider.textContent("#notice"));
            provider.fill("[data-objection] [name=answer]", "经核实，该居民户籍地址无误");
            provider.selectOption("[data-objection] [name=outcome]", "CONFIRMED_CORRECT");
            answer(provider, () -> provider.click("[data-objection] button"), "answer", "ok");
            awaitOn(provider, "#objection-answer");
            assertTrue(provider.textContent("#objection-status").contains("已答复"), provider.textContent("main"));
            assertTrue(provider.textContent("#objection-outcome").contains("经核实无误"), provider.textContent("main"));

            consumer.navigate(gateway + "/console#/objections");
            String row = "main tr:has(td:text-is('" + objection + "'))";
            awaitOn(consumer, row);
            assertTrue(consumer.textContent(row).contains("已答复") && consumer.textContent(row).contains("经核实无误")
                    && consumer.textContent(row).contains("户籍地址无误")
                    && consumer.textContent(row).contains(ZHANG_SAN), consumer.textContent(row));
            assertEquals(0, consumer.locator(row + " [data-objection]").count(), "the consumer is offered the answer");

            // The list filtered by state, kept in the address: the answered objection is not among the open ones.
            consumer.navigate(gateway + "/console#/objections?status=OPEN");
            awaitOn(consumer, "#objection-filter");
            consumer.waitForFunction("() => document.querySelector('#objection-filter [name=status]').value === 'OPEN'",
                    null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertEquals(0, consumer.locator(row).count(), consumer.textContent("main"));
            consumer.selectOption("#objection-filter [name=status]", "ANSWERED");
            consumer.click("#objection-filter button[type=submit]");
            awaitOn(consumer, row);
            assertTrue(consumer.url().endsWith("#/objections?status=ANSWERED"), consumer.url());
        }
    }

    @Test
    void aRefusalCitesItsLegalBasisAndTheRequesterSeesIt() throws Exception {
        long id = file(token("rst.operator"), "不动产查封", "不动产查封登记信息", List.of("BDCDYH", "CFJG"));
        String at = gateway + "/console#/requests/" + id;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // A refusal without reasons is refused by the exchange (never a bare rejection), then given with them.
            Page provider = logIn(browser, "bdc.operator");
            provider.navigate(at);
            awaitOn(provider, "#request-refuse");
            provider.fill("#request-refuse [name=legalBasis]", "《不动产登记暂行条例实施细则》第九十七条");
            submit(provider, "#request-refuse", "#request-refuse [data-field=reason].invalid", "error");
            provider.fill("#request-refuse [name=reason]", "查封信息仅限司法协助使用");
            submit(provider, "#request-refuse", "#proposed-answer", "ok");

            // 不动产登记中心's head finds the proposed refusal in its list and approves it: the refusal is given
            Page head = openAwaitingHead(browser, "bdc.head", "answer-approvals", String.valueOf(id), "#answer-approve");
            assertTrue(head.textContent("#proposed-answer").contains("第九十七条"), head.textContent("#proposed-answer"));
            submit(head, "#answer-approve", "#refusal", "ok");
            assertTrue(head.textContent("#request-status").contains("已拒绝"), head.textContent("main"));

            Page consumer = logIn(browser, "rst.operator");
            consumer.navigate(at);
            awaitOn(consumer, "#refusal-basis");
            assertTrue(consumer.textContent("#refusal").contains("仅限司法协助")
                    && consumer.textContent("#refusal-basis").contains("第九十七条"), consumer.textContent("#refusal"));
            // The requests list gives the basis next to the reasons, the id linking to the request.
            consumer.navigate(gateway + "/console#/requests");
            String row = "main tr:has(td:text-is('" + id + "'))";
            awaitOn(consumer, row + " .legal-basis");
            assertTrue(consumer.textContent(row + " .legal-basis").contains("第九十七条"), consumer.textContent(row));
            consumer.click(row + " a.open[href='#/requests/" + id + "']");
            awaitOn(consumer, "#refusal-basis");
        }
    }

    @Test
    void theInboxCountsTheUnreadNoticesAndMarksThemReadOneAtATimeOrAllAtOnce() throws Exception {
        // 人社厅 files two requests to 不动产登记中心, whose inbox gets a notice of each.
        String rst = token("rst.operator");
        long first = file(rst, "不动产抵押", "不动产抵押登记信息", List.of("BDCDYH"));
        long second = file(rst, "不动产抵押", "不动产抵押登记信息", List.of("BDCDYH", "DYQR"));
        String bdc = token("bdc.operator");
        long firstNotice = receivedNotice(bdc, first);
        long secondNotice = receivedNotice(bdc, second);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page provider = logIn(browser, "bdc.operator");
            provider.navigate(gateway + "/console#/notices");
            String one = noticeRow(firstNotice);
            String two = noticeRow(secondNotice);
            awaitOn(provider, two);
            long unread = unreadCount(bdc);
            assertTrue(unread >= 2, "unread: " + unread);
            assertEquals("（未读 " + unread + " 条 / " + unread + " unread）", provider.textContent("#notices-unread"));
            // unread: bold and saying so in words, with its own button
            for (String row : List.of(one, two)) {
                assertEquals("未读 / unread", provider.textContent(row + " strong.notice-state"));
                // the state, time, kind and message in bold
                assertEquals(4, provider.locator(row + " td > strong").count(), provider.innerHTML(row));
                assertEquals(1, provider.locator(row + " [data-notice-read]").count());
            }

            // one notice read: it says so, is no longer bold, and the heading counts one fewer
            answer(provider, () -> provider.click(one + " [data-notice-read]"), "mark read", "ok");
            awaitOn(provider, one + " span.notice-state:text-is('已读 / read')");
            assertEquals(0, provider.locator(one + " strong").count(), provider.innerHTML(one));
            assertEquals(0, provider.locator(one + " [data-notice-read]").count());
            assertTrue(provider.textContent(two + " .notice-state").contains("未读"), provider.textContent(two));
            assertEquals("（未读 " + (unread - 1) + " 条 / " + (unread - 1) + " unread）",
                    provider.textContent("#notices-unread"));
            assertEquals(unread - 1, unreadCount(bdc));

            // only the unread ones, then all of them read at once
            provider.click("#notices-unread-only");
            awaitOn(provider, "main a.chip[href='#/notices']");
            awaitOn(provider, two);
            assertEquals(0, provider.locator(one).count(), "a read notice among the unread ones");
            answer(provider, () -> provider.click("#notices-read-all"), "mark all read", "ok");
            awaitOn(provider, "#no-notices");
            assertEquals("（未读 0 条 / 0 unread）", provider.textContent("#notices-unread"));
            assertEquals(0, unreadCount(bdc));
            provider.navigate(gateway + "/console#/notices");
            awaitOn(provider, two + " span.notice-state:text-is('已读 / read')");
            assertEquals(0, provider.locator("#notices-read-all, [data-notice-read]").count(),
                    provider.textContent("main"));
        }
    }

    @Test
    void theGrantsListSaysHowManyThereAreInAll() throws Exception {
        String rst = token("rst.operator");
        awaitDemoGrant(rst, Duration.ofSeconds(120));
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page consumer = logIn(browser, "rst.operator");
            // the exchange may still be creating demo grants from the catalogue's feed: the page and the API are
            // compared until they were read with no grant arriving in between
            long total = -1;
            String pager = "";
            consumer.navigate(gateway + "/console#/grants");
            for (int attempt = 0; attempt < 10 && !pager.contains("共 " + total + " 条"); attempt++) {
                if (attempt > 0) {
                    consumer.reload();
                }
                awaitOn(consumer, "main p.pager");
                pager = consumer.textContent("main p.pager");
                var listed = given().auth().oauth2(rst).get(gateway + "/api/exchange/v1/grants?size=1");
                assertEquals(200, listed.statusCode(), listed.asString());
                total = Long.parseLong(listed.header("X-Total-Count"));
            }
            assertTrue(pager.contains("共 " + total + " 条"), pager + " / X-Total-Count " + total);
            // a next page only when the total goes past this one
            assertEquals(total > 50 ? 1 : 0, consumer.locator("main p.pager a:has-text('下一页')").count(), pager);
            // filtered: the total of the filter
            consumer.navigate(gateway + "/console#/grants?status=TERMINATED&resourceCode=no-such-entry");
            awaitOn(consumer, "#no-grants");
            assertTrue(consumer.textContent("main p.pager").contains("共 0 条"), consumer.textContent("main p.pager"));
        }
    }

    private static String noticeRow(long notice) {
        return "main tr:has([data-notice='" + notice + "'])";
    }

    /** The caller's REQUEST_RECEIVED notice of a request. */
    private long receivedNotice(String token, long request) {
        List<Map<String, Object>> notices = given().auth().oauth2(token).get(gateway + "/api/exchange/v1/notices")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return notices.stream().filter(n -> "REQUEST_RECEIVED".equals(n.get("kind"))
                && ((Number) n.get("subjectId")).longValue() == request).map(n -> ((Number) n.get("id")).longValue())
                .findFirst().orElseThrow(() -> new AssertionError("no notice of request " + request + ": " + notices));
    }

    private long unreadCount(String token) {
        return given().auth().oauth2(token).get(gateway + "/api/exchange/v1/notices/unread-count").then()
                .statusCode(200).extract().jsonPath().getLong("unread");
    }

    @Test
    void theDepartmentsHeadApprovesOneRequestOfItsOperatorAndReturnsAnotherInTheConsole() throws Exception {
        String rst = token("rst.operator");
        long approved = fileAwaiting(rst, "不动产抵押", "不动产抵押登记信息", List.of("BDCDYH"));
        long returned = fileAwaiting(rst, "不动产抵押", "不动产抵押登记信息", List.of("BDCDYH", "DYQR"));
        // 不动产登记中心 has received neither
        String bdc = token("bdc.operator");
        given().auth().oauth2(bdc).get(gateway + "/api/exchange/v1/requests/" + approved).then().statusCode(404);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            // The operator sees its request waiting for the head, with nothing to decide itself.
            Page operator = logIn(browser, "rst.operator");
            operator.navigate(gateway + "/console#/requests/" + approved);
            awaitOn(operator, "#head-approval-pending");
            assertTrue(operator.textContent("#request-status").contains("待本部门负责人审核"), operator.textContent("main"));
            assertEquals(0, operator.locator("#head-approve, #head-return").count(), operator.textContent("main"));

            // 人社厅's head finds both among the requests awaiting its approval.
            // (from the menu, where its catalogue drafts awaiting approval have an entry of their own)
            Page head = logIn(browser, "rst.head");
            awaitOn(head, "#nav a[href='#/head-approvals']");
            head.click("#nav a[href='#/request-approvals']");
            String row = "#request-approvals tr:has(td:text-is('" + approved + "'))";
            awaitOn(head, row);
            awaitOn(head, "#request-approvals tr:has(td:text-is('" + returned + "'))");
            // the work list and the request's page name the resource and the items the head approves
            assertTrue(head.textContent(row).contains("不动产抵押登记信息（"), head.textContent(row));
            head.click(row + " a.open");
            awaitOn(head, "#head-approve");
            assertTrue(head.textContent("#request-resource").startsWith("不动产抵押登记信息（"),
                    head.textContent("main dl"));
            assertEquals("不动产单元号（BDCDYH）", head.textContent("#request-items"));
            head.fill("#head-approve [name=opinion]", "同意，用于抵押登记核验");
            submit(head, "#head-approve", "#request-status", "ok");
            awaitOn(head, "main dl");
            assertTrue(head.textContent("#request-status").contains("待审核"), head.textContent("main"));
            assertTrue(head.textContent("main dl").contains("秦岭"), head.textContent("main dl"));
            assertEquals(0, head.locator("#head-approve, #head-return").count(), head.textContent("main"));
            String history = head.locator("main table").last().textContent();
            assertTrue(history.contains("负责人审核同意") && history.contains("同意，用于抵押登记核验"), history);
            // who took the step, by role in words
            assertTrue(history.contains("(部门负责人 / department head)") && !history.contains("(head)"), history);

            // The other is returned: not without reasons, then with them.
            head.navigate(gateway + "/console#/requests/" + returned);
            awaitOn(head, "#head-return");
            submit(head, "#head-return", "#head-return [data-field=reason].invalid", "error");
            head.fill("#head-return [name=reason]", "抵押权人信息超出本次业务所需");
            submit(head, "#head-return", "#head-returned", "ok");
            assertTrue(head.textContent("#request-status").contains("负责人退回"), head.textContent("main"));
            assertTrue(head.textContent("#head-returned").contains("超出本次业务所需"), head.textContent("main"));
            head.navigate(gateway + "/console#/request-approvals");
            awaitOn(head, "#request-approvals, #request-approvals-none");
            assertEquals(0, head.locator("tr:has(td:text-is('" + approved + "')), tr:has(td:text-is('" + returned
                    + "'))").count(), head.textContent("main"));
        }
        // the approved one reached the provider with its deadline; the returned one never did
        given().auth().oauth2(bdc).get(gateway + "/api/exchange/v1/requests/" + approved).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("PENDING"))
                .body("officeHeadApprover", org.hamcrest.Matchers.containsString("秦岭"))
                .body("dueOn", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(bdc).get(gateway + "/api/exchange/v1/requests/" + returned).then().statusCode(404);
        // the head answers only for its own department: 不动产登记中心's head does not even see 人社厅's waiting
        // request (404, as for an unknown id)
        long third = fileAwaiting(rst, "不动产抵押", "不动产抵押登记信息", List.of("BDCDYH"));
        given().auth().oauth2(token("bdc.head")).contentType("application/json").body(Map.of("version", 0))
                .post(gateway + "/api/exchange/v1/requests/" + third + "/head-approval").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(rst).contentType("application/json").body(Map.of("version", 0))
                .post(gateway + "/api/exchange/v1/requests/" + third + "/head-approval").then().statusCode(403);
    }

    /**
     * 条例第二十九条: 人社厅 records where it keeps the data of its grant (a storage record asks for its location, the
     * other kinds' fields stay hidden), and 公安厅, the provider, reads the record but may not add one.
     */
    @Test
    void theConsumerKeepsUsageRecordsOfItsGrantAndTheProviderReadsThem() throws Exception {
        long grant = awaitDemoGrant(token("rst.operator"), Duration.ofSeconds(60));
        String location = "省政务云社保专区数据库" + System.nanoTime() % 100_000;
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page consumer = logIn(browser, "rst.operator");
            consumer.navigate(gateway + "/console#/grants/" + grant);
            awaitOn(consumer, "#usage-record");
            assertTrue(consumer.textContent("#usage-outcome").contains("应用成效下次应于"),
                    consumer.textContent("#usage-records"));
            consumer.selectOption("#usage-record [name=kind]", "STORAGE");
            assertTrue(consumer.isVisible("#usage-record [name=location]"));
            assertFalse(consumer.isVisible("#usage-record [name=outcome]"));
            consumer.fill("#usage-record [name=description]", "核验结果存入社保待遇资格认证库");
            // without its location the record is refused, the field named
            answer(consumer, () -> consumer.click("#usage-record button[type=submit]"), "#usage-record", "error");
            awaitOn(consumer, "#usage-record [data-field=location].invalid");
            consumer.fill("#usage-record [name=location]", location);
            consumer.fill("#usage-record [name=safeguards]", "SM4 加密存储，经办人员双因素认证");
            submit(consumer, "#usage-record", "#usage-records table", "ok");
            String records = consumer.textContent("#usage-records table");
            assertTrue(records.contains(location) && records.contains("存储") && records.contains("完整"), records);

            Page provider = logIn(browser, "gat.operator");
            provider.navigate(gateway + "/console#/grants/" + grant);
            awaitOn(provider, "#usage-records table");
            assertTrue(provider.textContent("#usage-records table").contains(location),
                    provider.textContent("#usage-records"));
            assertEquals(0, provider.locator("#usage-record").count(), "the provider is offered to add a record");
        }
    }

    /**
     * A share request filed from the entry's page: the page moves on to the requests, and until that list has loaded
     * the form it came from cannot be sent a second time.
     */
    @Test
    void aFiledRequestsFormCannotBeSentAgainWhileTheNextPageLoads() throws Exception {
        String rst = token("rst.operator");
        // the form goes to the exchange: the entry must be in its copy of the catalogue, not only in the catalogue's
        Object entry = requestableEntryId(rst, "不动产抵押", "不动产抵押登记信息");
        List<String> filed = new CopyOnWriteArrayList<>();
        List<Route> held = new CopyOnWriteArrayList<>();
        AtomicBoolean holding = new AtomicBoolean(true);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "rst.operator");
            page.navigate(gateway + "/console#/entries/" + entry);
            awaitOn(page, "#share-request");
            // the catalogue shares the entry by interface only (共享方式): the form offers no other delivery method
            assertEquals(List.of("API"), page.locator("#share-request select[name=deliveryMethod] option")
                    .evaluateAll("options => options.map(o => o.value)"));
            page.check("#share-request input[name=items][value=BDCDYH]");
            if (page.locator("#share-request input[name=purpose]").count() == 1) {
                page.fill("#share-request [name=purpose]", "政务服务事项办理");
            }
            page.fill("#share-request [name=scenario]", "社会保险待遇资格核验");
            page.fill("#share-request [name=legalBasis]", "《社会保险法》第七十五条");
            page.fill("#share-request [name=scope]", "省社会保险经办机构");
            for (String promise : List.of("truthful", "lawful", "necessary")) {
                page.check("#share-request input[name=" + promise + "]");
            }
            page.onRequest(r -> {
                if ("POST".equals(r.method()) && r.url().endsWith("/api/exchange/v1/requests")) {
                    filed.add(r.url());
                }
            });
            // the list the page moves on to answers only when the test lets it
            page.route(url -> url.contains("/api/exchange/v1/requests?"), route -> {
                if (holding.get()) {
                    held.add(route);
                } else {
                    route.resume();
                }
            });
            page.click("#share-request button[type=submit]");
            page.waitForFunction("() => location.hash === '#/requests' || document.querySelector('#notice.error')");
            assertEquals("#/requests", page.evaluate("location.hash"), page.textContent("#notice"));
            assertEquals(1, filed.size(), filed.toString());
            assertTrue(page.isDisabled("#share-request button[type=submit]"),
                    "the filed request's form can be sent again: " + page.textContent("#notice"));

            holding.set(false);
            held.forEach(Route::resume);
            awaitOn(page, "#notice.ok");
            assertTrue(page.textContent("#notice").contains("已提交共享申请"), page.textContent("#notice"));
            assertEquals(1, filed.size(), filed.toString());
        }
    }

    /**
     * 公安厅's operator reports an incident discovered at 09:30 Beijing time, and the exchange records 01:30 UTC; the
     * first report's answer is lost on the way back (the page says so in words), the operator sends it again, and the
     * exchange has one report, not two. A section that cannot be reached says so in words too.
     */
    @Test
    void anIncidentIsEnteredInBeijingTimeAndReportedOnceThoughItsFirstAnswerWasLost() throws Exception {
        String gat = token("gat.operator");
        String code = ConsolePages.demoGrantResource(gat);
        String what = "测试：共享库导出文件误存公共目录" + System.nanoTime() % 100_000;
        AtomicBoolean lose = new AtomicBoolean(true);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "gat.operator");
            page.navigate(gateway + "/console#/incidents");
            awaitOn(page, "#incident-form");
            // the default is now, as a Beijing clock shows it (no UTC "Z")
            assertFalse(page.inputValue("#incident-form [name=discoveredAt]").endsWith("Z"),
                    page.inputValue("#incident-form [name=discoveredAt]"));
            page.fill("#incident-form [name=resourceCode]", code);
            page.fill("#incident-form [name=discoveredAt]", "2026-12-01T09:30");
            page.fill("#incident-form [name=description]", what);
            page.fill("#incident-form [name=measuresTaken]", "已删除公共目录中的文件并排查访问记录");
            // the first report reaches the exchange, its answer does not reach the page
            AtomicInteger first = new AtomicInteger();
            page.route(url -> url.endsWith("/api/exchange/v1/incidents"), route -> {
                if (lose.getAndSet(false)) {
                    // sent as the page sent it, from the console's own origin
                    Map<String, String> headers = new HashMap<>(route.request().headers());
                    headers.put("origin", URI.create(gateway).resolve("/").toString().replaceAll("/$", ""));
                    first.set(route.fetch(new Route.FetchOptions().setHeaders(headers)).status());
                    route.abort("internetdisconnected");
                } else {
                    route.resume();
                }
            });
            answer(page, () -> page.click("#incident-form button[type=submit]"), "the lost report", "error");
            assertEquals(201, first.get(), "the first report did not reach the exchange");
            String notice = page.textContent("#notice");
            assertTrue(notice.contains("无法连接服务器") && !notice.contains("TypeError"), notice);
            submit(page, "#incident-form", "main tr:has-text('" + what + "')", "ok");

            List<Map<String, Object>> reported = given().auth().oauth2(gat)
                    .get(gateway + "/api/exchange/v1/incidents?size=200").then().statusCode(200).extract().jsonPath()
                    .getList("findAll { it.description == '" + what + "' }");
            assertEquals(1, reported.size(), reported.toString());
            assertEquals(Instant.parse("2026-12-01T01:30:00Z"), Instant.parse((String) reported.get(0).get("discoveredAt")));

            // the list filtered by status, the filter kept in the section's address (and so on reload)
            String reportedRow = "main tr:has-text('" + what + "')";
            page.selectOption("#incident-filter [name=status]", "CLOSED");
            page.click("#incident-filter button[type=submit]");
            page.waitForFunction("() => location.hash.includes('status=CLOSED')");
            page.waitForFunction("what => document.querySelector('#incident-filter') && ![...document"
                    + ".querySelectorAll('main tr')].some((tr) => tr.textContent.includes(what))", what);
            page.selectOption("#incident-filter [name=status]", "REPORTED");
            page.click("#incident-filter button[type=submit]");
            awaitOn(page, reportedRow);
            page.reload();
            awaitOn(page, reportedRow);
            assertEquals("REPORTED", page.inputValue("#incident-filter [name=status]"));
            assertTrue(page.locator("main .incident-status").allTextContents().stream()
                    .allMatch(status -> status.contains("已报告")), page.textContent("main table"));

            // offline: a section that cannot load says why in words, not the browser's "Failed to fetch"
            page.context().setOffline(true);
            page.evaluate("() => { location.hash = '#/grants'; }");
            awaitOn(page, "main p:has-text('无法加载')");
            assertTrue(page.textContent("#notice").contains("无法连接服务器"), page.textContent("#notice"));
            page.context().setOffline(false);
        }
    }

    /**
     * The 主管部门 follows disputes, complaints and incidents by status, and complaints and incidents past their
     * deadline: each list has its filter, filled from the section's address (a link or a reload keeps it).
     */
    @Test
    void theAuthorityFiltersDisputesComplaintsAndIncidentsByStatusAndDeadline() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/complaints?status=OPEN&overdue=true");
            awaitOn(reviewer, "#complaint-filter");
            assertEquals("OPEN", reviewer.inputValue("#complaint-filter [name=status]"));
            assertEquals("true", reviewer.inputValue("#complaint-filter [name=overdue]"));
            reviewer.navigate(gateway + "/console#/disputes?status=RESOLVED_SHARE");
            awaitOn(reviewer, "#dispute-filter");
            assertEquals("RESOLVED_SHARE", reviewer.inputValue("#dispute-filter [name=status]"));
            assertTrue(reviewer.locator("main .dispute-status").allTextContents().stream()
                    .allMatch(status -> status.contains("协调共享")), reviewer.textContent("main"));
            reviewer.navigate(gateway + "/console#/incidents?overdue=true");
            awaitOn(reviewer, "#incident-filter");
            assertEquals("true", reviewer.inputValue("#incident-filter [name=overdue]"));
            assertEquals("", reviewer.inputValue("#incident-filter [name=status]"));
        }
    }

    /**
     * A request declaring covert use (隐蔽查询): the head who approves it reads for how long the persons concerned are
     * not told in words (六个月), not as the period's code (P6M).
     */
    @Test
    void theHeadReadsTheCovertUsesLongestPeriodInWords() throws Exception {
        String rst = token("rst.operator");
        var entry = given().auth().oauth2(rst).get(gateway + "/api/catalog/v1/entries/"
                + requestableEntryId(rst, "不动产抵押", "不动产抵押登记信息")).then().statusCode(200).extract().jsonPath();
        List<String> purposes = entry.getList("published.permittedPurposes");
        Map<String, Object> body = new HashMap<>(Map.of("resourceCode", entry.getString("resourceCode"),
                "items", List.of("BDCDYH"), "legalBasis", "《中华人民共和国社会保险法》第八十二条",
                "scenario", "社会保险欺诈案件调查", "scope", "省社会保险基金监督机构", "deliveryMethod", "API",
                "attestation", Map.of("truthful", true, "lawful", true, "necessary", true),
                "covertUse", Map.of("legalBasis", "《中华人民共和国个人信息保护法》第三十五条", "maxPeriod", "P6M")));
        body.put("purpose", purposes == null || purposes.isEmpty() ? "政务服务事项办理" : purposes.get(0));
        body.put("periodFrom", java.time.LocalDate.now().toString());
        body.put("periodTo", java.time.LocalDate.now().plusMonths(6).toString());
        var filed = given().auth().oauth2(rst).contentType("application/json").body(body)
                .post(gateway + "/api/exchange/v1/requests");
        assertEquals(201, filed.statusCode(), filed.asString());
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page head = logIn(browser, "rst.head");
            head.navigate(gateway + "/console#/requests/" + filed.jsonPath().getLong("id"));
            awaitOn(head, "#head-approve");
            String covert = head.textContent("#request-covert");
            assertTrue(covert.contains("最长 / at most 六个月 / 6 months") && !covert.contains("P6M"), covert);
        }
    }

    private String token(String username) throws Exception {
        return new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken(username, DEMO_PASSWORD,
                "openid profile");
    }

    /**
     * Files a request of 人社厅's operator for items of a published entry found by the search, and has 人社厅's head
     * approve it (本部门负责人审核, R7) so that it reaches the provider.
     */
    private long file(String token, String query, String name, List<String> items) throws Exception {
        long id = fileAwaiting(token, query, name, items);
        var approved = given().auth().oauth2(token("rst.head")).contentType("application/json")
                .body(Map.of("version", version(token, id), "opinion", "同意"))
                .post(gateway + "/api/exchange/v1/requests/" + id + "/head-approval");
        assertEquals(200, approved.statusCode(), approved.asString());
        assertEquals("PENDING", approved.jsonPath().getString("status"), approved.asString());
        return id;
    }

    /**
     * A grant of 公积金中心's data to 人社厅: filed as {@link #file} does, approved by 公积金中心's operator, which takes
     * effect once its head approves the answer (条例第二十条第三款).
     */
    private long grantedByTheHousingFund(String rst, String query, String name, List<String> items) throws Exception {
        long request = file(rst, query, name, items);
        var approved = given().auth().oauth2(token("gjj.operator")).contentType("application/json")
                .body(Map.of("version", version(rst, request), "note", "同意共享"))
                .post(gateway + "/api/exchange/v1/requests/" + request + "/approve");
        assertEquals(200, approved.statusCode(), approved.asString());
        approved = given().auth().oauth2(token("gjj.head")).contentType("application/json")
                .body(Map.of("version", approved.jsonPath().getInt("version")))
                .post(gateway + "/api/exchange/v1/requests/" + request + "/answer-approval");
        assertEquals(200, approved.statusCode(), approved.asString());
        return approved.jsonPath().getLong("grantId");
    }

    private int version(String token, long request) {
        return given().auth().oauth2(token).get(gateway + "/api/exchange/v1/requests/" + request).then()
                .statusCode(200).extract().jsonPath().getInt("version");
    }

    /** The exchange's demo grant 公安厅 → 人社厅, created once 公安厅's entry reached the exchange's replica. */
    private long awaitDemoGrant(String token, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Map<String, Object>> grants = given().auth().oauth2(token)
                    .get(gateway + "/api/exchange/v1/grants?size=200").then().statusCode(200).extract().jsonPath()
                    .getList("$");
            var found = grants.stream().filter(g -> POPULATION.equals(g.get("providerDepartmentCode"))
                    && HUMAN_RESOURCES.equals(g.get("consumerDepartmentCode"))).findFirst();
            if (found.isPresent()) {
                return ((Number) found.get().get("id")).longValue();
            }
            assertTrue(System.nanoTime() < deadline, "no demo grant 公安厅 → 人社厅: " + grants);
            Thread.sleep(2000);
        }
    }
}
