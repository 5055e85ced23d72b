package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.submit;
import static cn.onenet.systemtests.ConsolePages.submitConfirmed;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import io.restassured.response.Response;

/**
 * The console's catalogue pages in Chromium against the {@link SharedSuite}: a work list says how many entries match
 * its filter and offers a next page only while one is left, the review page counts and pages each of its lists
 * (deregistration requests and change filings awaiting acceptance among them), and an entry's versions name the publishing body — and
 * the publisher only to the 主管部门's own staff.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class CatalogConsoleTest {

    /** 浙江省自然资源厅: its editor drafts the entries of this class (no other test works on its catalogue). */
    private static final String NATURAL_RESOURCES = "11330000002481030B";
    private static final String HANGZHOU_BUREAU = "113301000024910106";
    private static final String POLICE = "11330000002481020A";
    /** The console's page size of the work lists. */
    private static final int PAGE = 50;

    private String gateway;

    @BeforeAll
    void start() {
        gateway = SharedSuite.gateway();
    }

    @Test
    void aWorkListSaysHowManyEntriesMatchItsFilterAndEndsWhereTheyDo() throws Exception {
        String auditor = token("dsj.auditor");
        String editor = token("zrzyt.operator");
        // Exactly full pages of the department's drafts: the last one is full, and still nothing follows it.
        String filter = "state=DRAFT&provider=" + NATURAL_RESOURCES;
        long existing = total(auditor, "/api/catalog/v1/entries?size=1&" + filter);
        long drafts = Math.max(PAGE, (existing + PAGE - 1) / PAGE * PAGE);
        for (long i = existing; i < drafts; i++) {
            create(editor, "自然资源目录草稿" + i);
        }
        assertEquals(drafts, total(auditor, "/api/catalog/v1/entries?size=1&" + filter));
        int lastPage = (int) (drafts / PAGE) - 1;
        String inAll = "共 " + drafts + " 条";

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            page.navigate(gateway + "/console#/all-entries?" + filter + "&page=" + lastPage);
            awaitPager(page, NATURAL_RESOURCES, inAll);
            assertEquals(PAGE, page.locator("main table tbody tr").count(), page.textContent("main"));
            assertEquals(0, page.locator(".pager a:has-text('下一页')").count(), page.textContent(".pager"));
            if (lastPage > 0) {
                assertEquals(1, page.locator(".pager a:has-text('上一页')").count(), page.textContent(".pager"));
            }

            // The department's editor sees the same count on its own list.
            Page own = logIn(browser, "zrzyt.operator");
            own.navigate(gateway + "/console#/entries?state=DRAFT");
            awaitOn(own, ".pager:has-text('" + inAll + "')");
            assertEquals(lastPage == 0 ? 0 : 1, own.locator(".pager a:has-text('下一页')").count(),
                    own.textContent(".pager"));

            // The reviewer's lists count what they hold, beyond the first page too.
            String reviewerToken = token("dsj.reviewer");
            long submitted = total(reviewerToken, "/api/catalog/v1/entries?size=1&state=SUBMITTED");
            long approved = total(reviewerToken, "/api/catalog/v1/entries?size=1&state=APPROVED");
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/review");
            awaitOn(reviewer, "#review-submitted h3");
            assertTrue(reviewer.textContent("#review-submitted h3").contains("共 " + submitted + " 条"),
                    reviewer.textContent("#review-submitted h3"));
            assertTrue(reviewer.textContent("#review-approved h3").contains("共 " + approved + " 条"),
                    reviewer.textContent("#review-approved h3"));

            // Each queue has its pager and pages on its own: the submitted ones on their second page, the rest stay
            // on their first.
            for (String queue : List.of("submitted", "approved", "deregistrations", "change-filings")) {
                assertEquals(1, reviewer.locator("#review-" + queue + " .pager").count(), queue);
            }
            assertEquals(submitted > PAGE ? 1 : 0, reviewer.locator("#review-submitted .pager a:has-text('下一页')")
                    .count(), reviewer.textContent("#review-submitted .pager"));
            reviewer.navigate(gateway + "/console#/review/submitted?page=1");
            awaitOn(reviewer, "#review-submitted .pager:has-text('第 2 页')");
            assertEquals(1, reviewer.locator("#review-submitted .pager a:has-text('上一页')").count(),
                    reviewer.textContent("#review-submitted .pager"));
            assertEquals(submitted > 2 * PAGE ? 1 : 0, reviewer.locator("#review-submitted .pager a:has-text('下一页')")
                    .count(), reviewer.textContent("#review-submitted .pager"));
            assertTrue(reviewer.textContent("#review-approved .pager").contains("第 1 页"),
                    reviewer.textContent("#review-approved .pager"));
            reviewer.click("#review-submitted .pager a:has-text('上一页')");
            awaitOn(reviewer, "#review-submitted .pager:has-text('第 1 页')");
        }
    }

    @Test
    void anEntrysVersionsNameThePublishingBodyAndThePublisherOnlyToTheAuthoritysStaff() throws Exception {
        String name = "自然资源确权登记目录" + System.nanoTime() % 100_000;
        long id = published(token("zrzyt.operator"), token("dsj.reviewer"), name);
        // No reader of the API learns the publisher's account: an operator of another department, say.
        Response versions = given().auth().oauth2(token("rst.operator"))
                .get(gateway + "/api/catalog/v1/entries/" + id + "/versions");
        assertEquals(200, versions.statusCode(), versions.asString());
        assertEquals("330000", versions.jsonPath().getString("[0].publishingRegionCode"), versions.asString());
        assertFalse(versions.asString().contains("publishedBy\""), versions.asString());
        assertFalse(versions.asString().contains("王芳"), versions.asString());

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/entries/" + id);
            awaitOn(reviewer, "#entry-versions .publisher:has-text('浙江省政务数据主管部门')");
            String shown = reviewer.textContent("#entry-versions table");
            assertTrue(shown.contains("发布机关") && shown.contains("王芳（大数据局审核员）"), shown);

            Page operator = logIn(browser, "rst.operator");
            operator.navigate(gateway + "/console#/entries/" + id);
            awaitOn(operator, "#entry-versions .publisher:has-text('浙江省政务数据主管部门')");
            shown = operator.textContent("#entry-versions table");
            assertFalse(shown.contains("王芳"), shown);
        }
    }

    @Test
    void theReviewerSeesDeregistrationRequestsAndChangeFilingsAwaitingThemAndOpensThem() throws Exception {
        String editor = token("zrzyt.operator");
        String reviewerToken = token("dsj.reviewer");
        String leaving = "自然资源注销申请目录" + System.nanoTime() % 100_000;
        long deregistering = published(editor, reviewerToken, leaving);
        post(editor, gateway + "/api/catalog/v1/entries/" + deregistering + "/deregistration",
                Map.of("reason", "并入自然资源确权登记统一目录"));
        String changing = "自然资源变更备案目录" + System.nanoTime() % 100_000;
        long changed = published(editor, reviewerToken, changing);
        post(editor, gateway + "/api/catalog/v1/entries/" + changed + "/change", Map.of("cause", "职责调整"));
        post(editor, gateway + "/api/catalog/v1/entries/" + changed + "/change/filing",
                Map.of("filing", "已书面征求持有授权部门意见，同意调整信息项"));
        long requests = total(reviewerToken, "/api/catalog/v1/entries?size=1&state=DEREGISTER_PENDING");
        long filings = total(reviewerToken, "/api/catalog/v1/entries?size=1&changeFiling=AWAITING_ACCEPTANCE");

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page reviewer = logIn(browser, "dsj.reviewer");
            reviewer.navigate(gateway + "/console#/review");
            awaitOn(reviewer, "#review-deregistrations a:text-is('" + leaving + "')");
            assertTrue(reviewer.textContent("#review-deregistrations h3").contains("共 " + requests + " 条"),
                    reviewer.textContent("#review-deregistrations h3"));
            awaitOn(reviewer, "#review-change-filings a:text-is('" + changing + "')");
            assertTrue(reviewer.textContent("#review-change-filings h3").contains("共 " + filings + " 条"),
                    reviewer.textContent("#review-change-filings h3"));
            // neither is among the submissions
            assertEquals(0, reviewer.locator("#review-submitted a:text-is('" + leaving + "')").count());

            reviewer.click("#review-deregistrations a:text-is('" + leaving + "')");
            awaitOn(reviewer, "#approve-deregistration");
            assertTrue(reviewer.textContent("#entry-state").contains("注销待审"), reviewer.textContent("main"));
            assertTrue(reviewer.textContent("#entry-records").contains("并入自然资源确权登记统一目录"),
                    reviewer.textContent("main"));
            assertEquals(1, reviewer.locator("#reject-deregistration").count());

            reviewer.navigate(gateway + "/console#/review");
            awaitOn(reviewer, "#review-change-filings a:text-is('" + changing + "')");
            reviewer.click("#review-change-filings a:text-is('" + changing + "')");
            awaitOn(reviewer, "#accept-change-filing");
            assertTrue(reviewer.textContent("#entry-records").contains("待接受"), reviewer.textContent("main"));
        }
    }

    @Test
    void anEditorRecordsAnAssessmentAnewAndTheHeadsApprovalIsWithdrawn() throws Exception {
        String editor = token("zrzyt.operator");
        String name = "自然资源重新评估目录" + System.nanoTime() % 100_000;
        long id = create(editor, name);
        assessedAndApproved(editor, token("zrzyt.head"), gateway + "/api/catalog/v1/entries/" + id);

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "zrzyt.operator");
            page.navigate(gateway + "/console#/entries/" + id);
            awaitOn(page, "#submit-entry");
            // the secrecy report was corrected: recorded anew, it withdraws the head's approval (R4)
            page.click("#redo-assessment-secrecy summary");
            assertTrue(page.textContent("#redo-assessment-secrecy").contains("撤回部门负责人审核"),
                    page.textContent("#redo-assessment-secrecy"));
            page.fill("#assessment-secrecy-anew [name=reference]", "ZR-BM-2026-002");
            page.fill("#assessment-secrecy-anew [name=conclusion]", "复核：不涉及国家秘密和工作秘密");
            submit(page, "#assessment-secrecy-anew", "#awaiting-head", "ok");
            assertEquals(0, page.locator("#head-approval").count(), page.textContent("main"));
            assertEquals(0, page.locator("#submit-entry").count(), page.textContent("main"));
            assertTrue(page.textContent("#redo-assessment-secrecy summary").contains("ZR-BM-2026-002"),
                    page.textContent("#redo-assessment-secrecy summary"));
            assertTrue(page.textContent("main").contains("撤回部门负责人审核"), page.textContent("main"));
        }
    }

    @Test
    void theDepartmentHeadFindsTheDraftAwaitingThemAndApprovesItWithTheirOwnAccount() throws Exception {
        String editor = token("zrzyt.operator");
        String headToken = token("zrzyt.head");
        String name = "自然资源负责人审核目录" + System.nanoTime() % 100_000;
        long id = create(editor, name);
        String entry = gateway + "/api/catalog/v1/entries/" + id;
        assessed(editor, entry);
        // nobody but the department's head approves: not its editor, not the reviewer; another department's head does
        // not even learn of the unpublished draft (404, as reading it answers)
        for (String other : List.of(editor, token("dsj.reviewer"))) {
            headApproval(other, entry, Map.of("opinion", "同意报送")).then().statusCode(403)
                    .contentType("application/problem+json");
        }
        headApproval(token("gat.head"), entry, Map.of("opinion", "同意报送")).then().statusCode(404)
                .contentType("application/problem+json");
        // the approval names the version of the draft the head read
        given().auth().oauth2(headToken).contentType("application/json").body(Map.of("opinion", "同意报送"))
                .post(entry + "/head-approval").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("If-Match"));
        headApproval(headToken, entry, Map.of("approver", "钱处长", "opinion", "同意报送")).then()
                .statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("approver"));
        long waiting = total(headToken, "/api/catalog/v1/entries?size=1&awaiting=head-approval");

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page head = logIn(browser, "zrzyt.head");
            head.click("#nav a[href='#/head-approvals']");
            awaitOn(head, "#head-approvals a:text-is('" + name + "')");
            assertTrue(head.textContent("#head-approvals .pager").contains("共 " + waiting + " 条"),
                    head.textContent("#head-approvals .pager"));
            head.click("#head-approvals a:text-is('" + name + "')");
            awaitOn(head, "#head-approval");
            assertEquals(0, head.locator("#head-approval [name=approver]").count(), head.textContent("#head-approval"));
            head.fill("#head-approval [name=opinion]", "同意报送，请按期更新");
            submit(head, "#head-approval", "#head-approval-step.done", "ok");
            String approver = personName(headToken);
            assertTrue(head.textContent("#head-approval-step").contains(approver), head.textContent("#head-approval-step"));
            String history = head.locator("main table").last().textContent();
            assertTrue(history.contains("部门负责人审核") && history.contains(approver)
                    && history.contains("部门负责人 / department head"),
                    history);
            assertEquals(0, head.locator("#submit-entry").count(), "submission is the editor's");
        }
        // recorded as the head's token names them, and the draft leaves the head's list
        given().auth().oauth2(editor).get(entry).then().statusCode(200)
                .body("headApproval.approver", equalTo(personName(headToken)))
                .body("headApproval.recordedBy", equalTo(claims(headToken).getString("sub")))
                .body("headApproval.opinion", equalTo("同意报送，请按期更新"));
        assertEquals(waiting - 1, total(headToken, "/api/catalog/v1/entries?size=1&awaiting=head-approval"));
        // a second approval does not replace the first
        headApproval(headToken, entry, Map.of("opinion", "同意")).then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("headApproval"));
        post(editor, entry + "/submit", Map.of("opinion", "报送审核"));
    }

    @Test
    void aHeadWhoPreparedTheDraftIsToldSoInsteadOfBeingOfferedTheApproval() throws Exception {
        // a member of 自然资源厅's staff who is its head and also drafts catalogue entries
        String username = "zrzyt.head-editor" + System.nanoTime() % 100_000;
        given().auth().oauth2(token("dsj.admin")).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", "罗敏（自然资源厅处长）",
                        "departmentCode", NATURAL_RESOURCES, "roles", List.of("catalog-editor", "head"),
                        "password", DEMO_PASSWORD))
                .post(gateway + "/api/identity/v1/accounts").then().statusCode(201);
        String both = token(username);
        String editor = token("zrzyt.operator");
        String suffix = String.valueOf(System.nanoTime() % 100_000);
        long own = create(both, "自然资源本人编制目录" + suffix);
        assessed(editor, gateway + "/api/catalog/v1/entries/" + own);
        long others = create(editor, "自然资源他人编制目录" + suffix);
        String othersEntry = gateway + "/api/catalog/v1/entries/" + others;
        assessed(editor, othersEntry);

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, username);
            page.navigate(gateway + "/console#/entries/" + own);
            awaitOn(page, "#head-approval-prepared");
            assertEquals(0, page.locator("#head-approval").count(), page.textContent("main"));
            assertTrue(page.textContent("#head-approval-prepared").contains("不能审核"),
                    page.textContent("#head-approval-prepared"));
            // the draft someone else prepared: the form, and the approval goes through
            page.navigate(gateway + "/console#/entries/" + others);
            awaitOn(page, "#head-approval");
            assertEquals(0, page.locator("#head-approval-prepared").count(), page.textContent("main"));
            submit(page, "#head-approval", "#head-approval-step.done", "ok");
        }
        // the service refuses what the page does not offer
        headApproval(both, gateway + "/api/catalog/v1/entries/" + own, Map.of("opinion", "同意报送")).then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(editor).get(othersEntry).then().statusCode(200)
                .body("headApproval.approver", equalTo(personName(both)));
    }

    @Test
    void aDepartmentThatIsNotTheAuthorityHasNoReviewerAndOnlyTheAuthorityIsOfferedTheReviewDecision()
            throws Exception {
        reviewerOutsideTheAuthorityRefused();
        String editor = token("zrzyt.operator");
        long id = create(editor, "自然资源待审目录" + System.nanoTime() % 100_000);
        String entry = gateway + "/api/catalog/v1/entries/" + id;
        assessedAndApproved(editor, token("zrzyt.head"), entry);
        post(editor, entry + "/submit", Map.of("opinion", "报送审核"));

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page authority = logIn(browser, "dsj.reviewer");
            authority.navigate(gateway + "/console#/entries/" + id);
            awaitOn(authority, "#approve-entry");
            assertEquals(0, authority.locator("#review-not-authority").count(), authority.textContent("main"));
        }
        // the service refuses what the page does not offer
        given().auth().oauth2(token("gat.operator")).contentType("application/json").body(Map.of("opinion", "同意"))
                .post(entry + "/approve").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void aCitysDataBureauHasItsOwnEntriesReviewedByItsOwnReviewers() throws Exception {
        // 杭州市数据资源管理局 is 杭州's 主管部门 in identity-service's department register: its staff's real tokens
        // say so, and the catalogue lets its reviewer review the bureau's own entry (never the submitter's)
        String editor = token("hz.editor");
        String reviewer = token("hz.reviewer");
        String name = "杭州市公共数据开放清单-" + System.nanoTime() % 100000;
        Response created = given().auth().oauth2(editor).contentType("application/json")
                .body(entry(name, HANGZHOU_BUREAU, "杭州市数据资源管理局", "330100")).post(gateway + "/api/catalog/v1/entries");
        assertEquals(201, created.statusCode(), created.asString());
        String entry = gateway + "/api/catalog/v1/entries/" + created.jsonPath().getLong("id");
        assessedAndApproved(editor, token("hz.head"), entry);
        post(editor, entry + "/submit", Map.of("opinion", "报送审核"));

        // the province's reviewer does not review a city's entries; the city's does, its own bureau's included
        given().auth().oauth2(token("dsj.reviewer")).contentType("application/json").body(Map.of("opinion", "同意"))
                .post(entry + "/approve").then().statusCode(403).contentType("application/problem+json");
        post(reviewer, entry + "/approve", Map.of("opinion", "同意"));
        post(reviewer, entry + "/publish", Map.of("opinion", "统一通告发布"));
        given().auth().oauth2(reviewer).get(entry).then().statusCode(200).body("state", equalTo("PUBLISHED"))
                .body("publishingRegionCode", equalTo("330100"));
    }

    @Test
    void onlyTheAuthoritysReviewerIsOfferedTheDeregistrationDecision() throws Exception {
        reviewerOutsideTheAuthorityRefused();
        String editor = token("zrzyt.operator");
        long id = published(editor, token("dsj.reviewer"), "自然资源待注销目录" + System.nanoTime() % 100_000);
        String entry = gateway + "/api/catalog/v1/entries/" + id;
        post(editor, entry + "/deregistration", Map.of("reason", "并入统一目录"));

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page authority = logIn(browser, "dsj.reviewer");
            authority.navigate(gateway + "/console#/entries/" + id);
            awaitOn(authority, "#approve-deregistration");
            assertEquals(0, authority.locator("#review-not-authority").count(), authority.textContent("main"));
        }
        // the service refuses what the page does not offer
        given().auth().oauth2(token("gat.operator")).contentType("application/json").body(Map.of("opinion", "同意注销"))
                .post(entry + "/deregistration/approval").then().statusCode(403).contentType("application/problem+json");
    }

    /**
     * Deregistering an entry cannot be undone: the 主管部门's reviewer is asked first, naming the entry; cancelled,
     * nothing is sent and the entry still awaits the decision; confirmed, it is deregistered.
     */
    @Test
    void deregisteringAnEntryAsksFirstAndCancellingLeavesItPending() throws Exception {
        String name = "自然资源注销确认目录" + System.nanoTime() % 100_000;
        Published p = publishedNow(name);
        post(p.editor(), p.url() + "/deregistration", Map.of("reason", "并入统一目录"));

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page authority = logIn(browser, "dsj.reviewer");
            authority.navigate(gateway + "/console#/entries/" + p.id());
            awaitOn(authority, "#approve-deregistration");
            authority.click("#approve-deregistration button[type=submit]");
            String question = "#approve-deregistration [role=alertdialog]";
            awaitOn(authority, question);
            assertTrue(authority.textContent(question).contains("确定注销「" + name + "」"),
                    authority.textContent(question));
            authority.click(question + " button.confirm-no");
            assertEquals(0, authority.locator(question).count(), authority.textContent("#approve-deregistration"));
            given().auth().oauth2(p.reviewer()).get(p.url()).then().statusCode(200)
                    .body("state", equalTo("DEREGISTER_PENDING"));

            submitConfirmed(authority, "#approve-deregistration", "#entry-state", "ok");
            assertTrue(authority.textContent("#entry-state").contains("已注销"), authority.textContent("main"));
        }
        given().auth().oauth2(p.reviewer()).get(p.url()).then().statusCode(200).body("state", equalTo("DEREGISTERED"));
    }

    /**
     * Two published versions compared on the entry's page: each changed field named as the entry form names it, its
     * values in words (每周, not WEEKLY; the keywords as a list, not as JSON).
     */
    @Test
    void twoVersionsAreComparedInTheFormsWordsNotInJson() throws Exception {
        String name = "自然资源版本比较目录" + System.nanoTime() % 100_000;
        Published p = publishedNow(name);
        String editor = p.editor();
        String entry = p.url();
        post(editor, entry + "/change", Map.of("cause", "职责调整"));
        int version = given().auth().oauth2(editor).get(entry).then().statusCode(200).extract().path("lockVersion");
        Map<String, Object> next = entry(name);
        next.put("keywords", List.of("确权登记", "自然资源", "不动产"));
        next.put("updateCycle", "WEEKLY");
        next.put("relatedResourceCodes", List.of("101001/000001"));
        next.put("items", List.of(
                Map.of("code", "DJDYH", "name", "登记单元号", "dataType", "C", "length", 30, "sensitive", false),
                Map.of("code", "ZRZYLX", "name", "自然资源类型", "dataType", "C", "length", 20, "sensitive", false)));
        given().auth().oauth2(editor).contentType("application/json").header("If-Match", String.valueOf(version))
                .body(next).put(entry).then().statusCode(200);
        assessedAndApproved(editor, token("zrzyt.head"), entry);
        post(editor, entry + "/submit", Map.of("opinion", "报送审核"));
        post(p.reviewer(), entry + "/approve", Map.of("opinion", "同意"));
        post(p.reviewer(), entry + "/publish", Map.of("opinion", "统一通告发布"));

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.reviewer");
            page.navigate(gateway + "/console#/entries/" + p.id());
            awaitOn(page, "#compare-versions");
            ConsolePages.click(page, "#compare-versions");
            String diff = page.textContent("#version-diff");
            assertTrue(diff.contains("关键字 / keywords") && diff.contains("确权登记、自然资源、不动产"), diff);
            assertTrue(diff.contains("更新周期 / update cycle") && diff.contains("每月 / monthly")
                    && diff.contains("每周 / weekly"), diff);
            assertTrue(diff.contains("信息项 / item DJDYH · 长度 / length"), diff);
            assertTrue(diff.contains("关联资源代码 / related resource codes") && diff.contains("101001/000001"), diff);
            assertFalse(diff.contains("[\"") || diff.contains("WEEKLY") || diff.contains("updateCycle")
                    || diff.contains("relatedResourceCodes"), diff);
            // the published content names the related resource too
            assertEquals("101001/000001", page.textContent("dl.entry-content dd[data-field=relatedResourceCodes]"));
        }
    }

    /**
     * What a reviewer decides on (R2, R3, R23) is on the entry's page: a conditional entry's share scope (共享范围), data
     * category and key item (by its name too), a not-shared entry's reason (不予共享理由) and the type of its legal basis,
     * an open entry's opening conditions — all in the entry form's words. The demo catalogue's entries of 公安厅 and
     * 自然资源厅, whatever state other tests leave them in: their content keeps these fields.
     */
    @Test
    void aReviewerSeesTheShareScopeAndTheReasonAnEntryIsNotShared() throws Exception {
        String reviewerToken = token("dsj.reviewer");
        long conditional = entryNamed(reviewerToken, POLICE, "流动人口居住登记信息");
        long notShared = entryNamed(reviewerToken, POLICE, "未成年人犯罪记录封存信息");
        long open = entryNamed(reviewerToken, NATURAL_RESOURCES, "土地利用现状数据");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.reviewer");
            page.navigate(gateway + "/console#/entries/" + conditional);
            awaitOn(page, "#entry-name:text-is('流动人口居住登记信息')");
            awaitOn(page, "main h3:has-text('内容')");
            String main = page.textContent("main");
            assertTrue(main.contains("共享范围 / scope") && main.contains("省内各级政务部门"), main);
            assertEquals("省内各级政务部门", page.textContent("dl.entry-content dd[data-field=shareScope]"));
            assertEquals("人口数据", page.textContent("dl.entry-content dd[data-field=dataCategory]"));
            assertEquals("GMSFHM（公民身份号码）", page.textContent("dl.entry-content dd[data-field=keyItem]"));
            assertEquals("关键信息项 / key item", page.textContent("dl.entry-content dt[data-field=keyItem]"));

            page.navigate(gateway + "/console#/entries/" + notShared);
            awaitOn(page, "#entry-name:text-is('未成年人犯罪记录封存信息')");
            awaitOn(page, "main h3:has-text('内容')");
            main = page.textContent("main");
            assertTrue(main.contains("不予共享理由 / reason not shared") && main.contains("涉及依法应予保密的个人信息"), main);
            assertEquals("法律 / law", page.textContent("dl.entry-content dd[data-field='notSharedLegalBasis.type']"));
            assertEquals("中华人民共和国刑事诉讼法",
                    page.textContent("dl.entry-content dd[data-field='notSharedLegalBasis.title']"));
            // a not-shared entry has no share scope: nothing said about one
            assertEquals(0, page.locator("dl.entry-content [data-field=shareScope]").count(), main);

            page.navigate(gateway + "/console#/entries/" + open);
            awaitOn(page, "#entry-name:text-is('土地利用现状数据')");
            awaitOn(page, "dl.entry-content");
            assertEquals("引用时注明数据来源", page.textContent("dl.entry-content dd[data-field=openConditions]"));
            assertFalse(page.textContent("dl.entry-content").contains("未填写"), page.textContent("dl.entry-content"));
        }
    }

    /**
     * Every field of an entry's content, as catalog-service's {@code EntryContent} declares it (read from its source, so
     * a field added there without words here fails), has a caption in the version comparison and a row of its own in
     * the entry's read view; every field of a data item a column.
     */
    @Test
    void everyFieldOfAnEntryHasItsCaptionInTheReadViewAndTheComparison() throws Exception {
        Map<String, List<String>> fields = EntryContentFields.read();
        List<String> content = fields.get("content");
        List<String> item = fields.get("item");
        assertTrue(content.containsAll(List.of("shareScope", "notSharedReason", "dataCategory", "keyItem",
                "openConditions", "relatedResourceCodes", "classification.detailCode", "notSharedLegalBasis.type",
                "abstract")) && item.contains("description"), fields.toString());
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.reviewer");
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) page.evaluate("async ([paths, itemFields]) => {"
                    + " const m = await import('/console/assets/console.js');"
                    // a content with a value in every field (its path as the value), one data item
                    + " const content = {}; for (const p of paths) { const keys = p.split('.'); let x = content;"
                    + "   keys.slice(0, -1).forEach((k) => { x = x[k] = x[k] || {}; });"
                    + "   x[keys[keys.length - 1]] = p === 'secret' ? true : p; }"
                    + " content.items = [Object.fromEntries(itemFields.map((f) => [f, f === 'length' ? 9 : f]))];"
                    + " const view = m.describe(content);"
                    + " const rows = Object.fromEntries([...view.querySelectorAll('dt[data-field]')]"
                    + "   .map((dt) => [dt.dataset.field, dt.textContent]));"
                    + " return { rows, captions: Object.fromEntries(paths.map((p) => [p, m.fieldName(p)])),"
                    + "   items: Object.fromEntries(itemFields.map((f) => [f, m.fieldName('items[X].' + f)])),"
                    + "   columns: [...view.querySelectorAll('th')].map((th) => th.textContent) }; }",
                    List.of(content, item));
            Map<String, String> rows = (Map<String, String>) shown.get("rows");
            Map<String, String> captions = (Map<String, String>) shown.get("captions");
            Map<String, String> items = (Map<String, String>) shown.get("items");
            List<String> columns = (List<String>) shown.get("columns");
            List<String> missing = new java.util.ArrayList<>();
            for (String path : content) {
                String caption = captions.get(path);
                // a caption in words (zh / en), the one the read view's row shows too
                if (caption == null || caption.equals(path) || !caption.contains(" / ")
                        || !caption.equals(rows.get(path))) {
                    missing.add(path + "=" + caption + "|" + rows.get(path));
                }
            }
            for (String f : item) {
                String caption = items.get(f);
                String words = caption == null ? "" : caption.replaceFirst("^信息项 / item X · ", "");
                if (words.equals(f) || !words.contains(" / ") || !columns.contains(words)) {
                    missing.add("items." + f + "=" + caption);
                }
            }
            assertEquals(List.of(), missing, "entry fields without a caption or a row; columns " + columns);
        }
    }

    /**
     * 发起变更's date (the legal or duty change the 10 working days run from) goes no later than today in Beijing, as the
     * service has it, also in a browser a day ahead (UTC+14); so do an assessment's dates.
     */
    @Test
    void theChangeFormsDateGoesNoLaterThanTodayInBeijing() throws Exception {
        String editor = token("gat.operator");
        List<Map<String, Object>> published = given().auth().oauth2(editor)
                .get(gateway + "/api/catalog/v1/entries?size=200&state=PUBLISHED").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertFalse(published.isEmpty(), "no published entry of 公安厅");
        Object id = published.get(0).get("id");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            String before = ConsolePages.beijingToday();
            Page page = logIn(browser, "gat.operator", new Browser.NewContextOptions()
                    .setTimezoneId("Pacific/Kiritimati"));
            page.navigate(gateway + "/console#/entries/" + id);
            String date = "#change-entry [name=triggeredOn]";
            awaitOn(page, date);
            String after = ConsolePages.beijingToday();
            String max = page.getAttribute(date, "max");
            // the Beijing date may turn while the page loads: either is today
            assertTrue(max != null && (max.equals(before) || max.equals(after)), "max " + max + ", today " + after);
            assertEquals(max, page.inputValue(date));
        }
    }

    /** The id of the entry of this name among a provider's entries, as the reviewer's work list has them. */
    private long entryNamed(String token, String provider, String name) {
        List<Map<String, Object>> entries = given().auth().oauth2(token)
                .get(gateway + "/api/catalog/v1/entries?size=200&provider=" + provider).then().statusCode(200)
                .extract().jsonPath().getList("$");
        return entries.stream().filter(e -> name.equals(e.get("name"))).map(e -> ((Number) e.get("id")).longValue())
                .findFirst().orElseThrow(() -> new AssertionError(name + " not among the entries of " + provider));
    }

    @Test
    void anEditSavedOverADraftChangedMeanwhileKeepsTheInputAndOffersTheLatestVersion() throws Exception {
        String editor = token("zrzyt.operator");
        String name = "自然资源并发修改目录" + System.nanoTime() % 100_000;
        long id = create(editor, name);
        String entry = gateway + "/api/catalog/v1/entries/" + id;

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "zrzyt.operator");
            page.navigate(gateway + "/console#/entries/" + id + "/edit");
            awaitOn(page, "#entry-form [name=abstract]");
            // a colleague saves the draft while the form is open
            int version = given().auth().oauth2(editor).get(entry).then().statusCode(200).extract().path("lockVersion");
            Map<String, Object> changed = entry(name + "（同事已修改）");
            given().auth().oauth2(editor).contentType("application/json").header("If-Match", String.valueOf(version))
                    .body(changed).put(entry).then().statusCode(200);

            page.fill("#entry-form [name=abstract]", "我写的摘要");
            ConsolePages.answer(page, () -> page.click("#save-entry"), "#save-entry", "error");
            assertTrue(page.textContent("#notice").contains("409"), page.textContent("#notice"));
            // nothing typed is lost, and the page says how to go on
            assertEquals("我写的摘要", page.inputValue("#entry-form [name=abstract]"));
            awaitOn(page, "#notice #reload-latest");
            page.click("#notice #reload-latest");
            page.waitForFunction("name => { const f = document.querySelector('#entry-form [name=name]');"
                    + " return f && f.value === name; }", name + "（同事已修改）",
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            // saved over the latest version, the edit goes through
            page.fill("#entry-form [name=abstract]", "我写的摘要");
            submit(page, "#entry-form", "#entry-name", "ok");
        }
        given().auth().oauth2(editor).get(entry).then().statusCode(200).body("draft.abstract", equalTo("我写的摘要"))
                .body("draft.name", equalTo(name + "（同事已修改）"));
    }

    @Test
    void textFromTheServicesIsShownAsTextAndNeverRunAsMarkup() throws Exception {
        String marker = "X" + System.nanoTime() % 100_000;
        String name = "自然资源<img src=x onerror=\"window.__xss='name'\">" + marker + "<script>window.__xss='script'"
                + "</script>";
        String editor = token("zrzyt.operator");
        long id = published(editor, token("dsj.reviewer"), name);

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "zrzyt.operator");
            page.navigate(gateway + "/console#/entries/" + id);
            awaitOn(page, "#entry-name");
            assertEquals(name, page.textContent("#entry-name"));
            assertMarkupInert(page);
            page.navigate(gateway + "/console#/entries?state=PUBLISHED");
            awaitOn(page, "main table a:has-text('" + marker + "')");
            assertMarkupInert(page);
            // the search highlights the words found and shows the rest as it is
            // (the index takes the published entry in shortly after publication)
            page.navigate(gateway + "/console#/search?q=" + marker);
            awaitOn(page, "#total");
            for (int attempt = 0; attempt < 30 && page.locator("#hits a:has-text('" + marker + "')").count() == 0;
                    attempt++) {
                page.waitForTimeout(1000);
                page.reload();
                awaitOn(page, "#total");
            }
            awaitOn(page, "#hits a:has-text('" + marker + "')");
            assertTrue(page.textContent("#hits").contains("<img src=x"), page.textContent("#hits"));
            assertMarkupInert(page);
            // a query in the address is shown back as text too
            String query = "<img src=x onerror=\"window.__xss='q'\">";
            page.navigate(gateway + "/console#/search?q=%3Cimg%20src%3Dx%20onerror%3D%22window.__xss%3D'q'%22%3E");
            page.waitForFunction("q => { const f = document.querySelector('form.search input[name=q]');"
                    + " return f && f.value === q && document.getElementById('total'); }", query,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertMarkupInert(page);
        }
    }

    /**
     * The search says how it read the query, as the service answers it: the corrected query whose hits it shows (户藉 →
     * 户籍), that nothing matched the whole query and the hits match part of it, and the words it left out.
     */
    @Test
    void theSearchSaysWhichQueryItAnsweredThatItMatchedInPartAndWhichWordsItLeftOut() throws Exception {
        String reviewer = token("dsj.reviewer");
        // the index takes the demo catalogue in after start-up
        ConsolePages.publishedEntryId(reviewer, "户籍", "居民户籍信息");
        assertEquals("户籍", search(reviewer, "户藉").getString("correctedQuery"));
        assertTrue(search(reviewer, "户籍誊本").getBoolean("partial"));
        List<String> ignored = search(reviewer, "我的户籍查询").getList("ignoredWords");
        assertFalse(ignored.isEmpty(), "nothing left out of 我的户籍查询");
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.reviewer");
            page.navigate(gateway + "/console#/search?q=" + encoded("户藉"));
            awaitOn(page, "#search-corrected");
            assertTrue(page.textContent("#search-corrected").startsWith("已按 户籍 检索（您输入的是 户藉）"),
                    page.textContent("#search-corrected"));
            page.navigate(gateway + "/console#/search?q=" + encoded("户籍誊本"));
            awaitOn(page, "#search-partial");
            assertTrue(page.textContent("#search-partial").startsWith("没有完全匹配的结果，以下为部分匹配"),
                    page.textContent("#search-partial"));
            page.navigate(gateway + "/console#/search?q=" + encoded("我的户籍查询"));
            awaitOn(page, "#search-ignored");
            assertTrue(page.textContent("#search-ignored").startsWith("已忽略：" + String.join("、", ignored) + " /"),
                    page.textContent("#search-ignored"));
            // a query matched as typed says nothing of the kind
            page.navigate(gateway + "/console#/search?q=" + encoded("户籍"));
            page.waitForFunction("() => { const f = document.querySelector('form.search input[name=q]');"
                    + " return f && f.value === '户籍' && document.getElementById('total'); }", null,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertEquals(0, page.locator("#search-hints p").count(), page.textContent("#search-hints"));
        }
    }

    /**
     * The entry form takes the 细目代码 and the 关联资源代码 the read view shows, and says beside each what the catalogue
     * refused in it: a detail code that is not digits, a related code that is not one (named by the code typed).
     */
    @Test
    void theEntryFormTakesADetailCodeAndRelatedResourceCodesWithTheirMistakesBesideThem() throws Exception {
        String editor = token("zrzyt.operator");
        long id = create(editor, "自然资源细目代码目录" + System.nanoTime() % 100_000);
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "zrzyt.operator");
            page.navigate(gateway + "/console#/entries/" + id + "/edit");
            awaitOn(page, "#entry-form [name=detailCode]");
            page.fill("#entry-form [name=detailCode]", "01A");
            submit(page, "#entry-form", "#entry-form [data-field='classification.detailCode'].invalid", "error");
            String detailError = page.textContent("#entry-form [data-field='classification.detailCode'] .error");
            assertTrue(detailError.contains("细目代码应为数字"), detailError);

            page.fill("#entry-form [name=detailCode]", "0001");
            page.fill("#entry-form [name=relatedResourceCodes]", "101001/000001、101001-000009");
            submit(page, "#entry-form", "#entry-form [data-field=relatedResourceCodes].invalid", "error");
            String relatedError = page.textContent("#entry-form [data-field=relatedResourceCodes] .error");
            assertTrue(relatedError.startsWith("101001-000009：") && relatedError.contains("关联资源代码格式应为")
                    && !relatedError.contains("101001/000001") && !relatedError.contains("relatedResourceCodes["),
                    relatedError);

            page.fill("#entry-form [name=relatedResourceCodes]", "101001/000001");
            submit(page, "#entry-form", "#entry-name", "ok");
            awaitOn(page, "dl.entry-content dd[data-field=relatedResourceCodes]");
            assertEquals("101001/000001", page.textContent("dl.entry-content dd[data-field=relatedResourceCodes]"));
            assertEquals("0001", page.textContent("dl.entry-content dd[data-field='classification.detailCode']"));
        }
        given().auth().oauth2(editor).get(gateway + "/api/catalog/v1/entries/" + id).then().statusCode(200)
                .body("draft.classification.detailCode", equalTo("0001"))
                .body("draft.relatedResourceCodes", equalTo(List.of("101001/000001")));
    }

    /** The catalogue's search answer to this query, as the user reads it. */
    private io.restassured.path.json.JsonPath search(String token, String query) {
        return given().auth().oauth2(token).queryParam("q", query).get(gateway + "/api/catalog/v1/search").then()
                .statusCode(200).extract().jsonPath();
    }

    private static String encoded(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** No markup from the services became an element, and none of its script ran. */
    private static void assertMarkupInert(Page page) {
        assertEquals(0, page.locator("main img, main script").count(), page.innerHTML("main"));
        assertEquals(null, page.evaluate("() => window.__xss ?? null"));
    }

    /**
     * 公安厅 is in the province's region but not its 主管部门: identity gives none of its staff the role reviewer
     * (the same-level competent authority reviews, 条例 Art. 16), so no such reviewer reaches the catalogue.
     */
    private void reviewerOutsideTheAuthorityRefused() throws Exception {
        String username = "gat.reviewer" + System.nanoTime() % 100_000;
        given().auth().oauth2(token("dsj.admin")).contentType("application/json")
                .body(Map.of("type", "CIVIL_SERVANT", "username", username, "displayName", "韩雪（公安厅审核员）",
                        "departmentCode", POLICE, "roles", List.of("reviewer"), "password", DEMO_PASSWORD))
                .post(gateway + "/api/identity/v1/accounts").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("roles"));
    }

    /** Waits for the filtered list (the auditor lands on the unfiltered one first) and its total. */
    private static void awaitPager(Page page, String provider, String inAll) {
        page.waitForFunction("provider => { const f = document.querySelector('#entry-filters [name=provider]');"
                + " return f && f.value === provider; }", provider, new Page.WaitForFunctionOptions().setTimeout(20_000));
        awaitOn(page, ".pager:has-text('" + inAll + "')");
    }

    private String token(String username) throws Exception {
        return new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken(username, DEMO_PASSWORD,
                "openid profile");
    }

    /** The X-Total-Count of a work list. */
    private long total(String token, String path) throws InterruptedException {
        Response r = given().auth().oauth2(token).get(gateway + path);
        // counts read in a burst may exceed the gateway's default plan (20 requests a second): wait as told
        for (int attempt = 0; r.statusCode() == 429 && attempt < 5; attempt++) {
            Thread.sleep(1000L * Long.parseLong(r.header("Retry-After")));
            r = given().auth().oauth2(token).get(gateway + path);
        }
        assertEquals(200, r.statusCode(), r.asString());
        String header = r.header("X-Total-Count");
        assertTrue(header != null, "no X-Total-Count on " + path);
        return Long.parseLong(header);
    }

    /** A draft of 浙江省自然资源厅, as its editor's system would send it. */
    private long create(String editor, String name) throws InterruptedException {
        Response r = given().auth().oauth2(editor).contentType("application/json").body(entry(name))
                .post(gateway + "/api/catalog/v1/entries");
        // Fifty drafts in a row exceed the gateway's default plan (20 requests a second per client): wait as told.
        for (int attempt = 0; r.statusCode() == 429 && attempt < 5; attempt++) {
            Thread.sleep(1000L * Long.parseLong(r.header("Retry-After")));
            r = given().auth().oauth2(editor).contentType("application/json").body(entry(name))
                    .post(gateway + "/api/catalog/v1/entries");
        }
        assertEquals(201, r.statusCode(), r.asString());
        return r.jsonPath().getLong("id");
    }

    /** Drafted, assessed, approved by the head, submitted, then approved and published by the province's reviewer. */
    private long published(String editor, String reviewer, String name) throws Exception {
        long id = create(editor, name);
        String entry = gateway + "/api/catalog/v1/entries/" + id;
        assessedAndApproved(editor, token("zrzyt.head"), entry);
        post(editor, entry + "/submit", Map.of("opinion", "报送审核"));
        post(reviewer, entry + "/approve", Map.of("opinion", "同意"));
        post(reviewer, entry + "/publish", Map.of("opinion", "统一通告发布"));
        return id;
    }

    /** Both assessments recorded (report ZR-BM-2026-001 for secrecy) and the department head's approval. */
    /** A published entry of 自然资源厅, with the tokens of its editor and of the province's reviewer. */
    private record Published(String editor, String reviewer, long id, String url) {
    }

    private Published publishedNow(String name) throws Exception {
        String editor = token("zrzyt.operator");
        String reviewer = token("dsj.reviewer");
        long id = published(editor, reviewer, name);
        return new Published(editor, reviewer, id, gateway + "/api/catalog/v1/entries/" + id);
    }

    private void assessedAndApproved(String editor, String head, String entry) throws Exception {
        assessed(editor, entry);
        Response r = headApproval(head, entry, Map.of("opinion", "同意报送"));
        assertEquals(200, r.statusCode(), r.asString());
    }

    /**
     * The head's approval sent as the console sends it: with the lockVersion of the draft as it is now (read by the
     * province's auditor, who reads every draft) as If-Match.
     */
    private Response headApproval(String token, String entry, Map<String, Object> body) throws Exception {
        int version = given().auth().oauth2(token("dsj.auditor")).get(entry).then().statusCode(200).extract()
                .path("lockVersion");
        return given().auth().oauth2(token).contentType("application/json").header("If-Match", String.valueOf(version))
                .body(body).post(entry + "/head-approval");
    }

    /** Both assessments recorded by the editor (report ZR-BM-2026-001 for secrecy). */
    private static void assessed(String editor, String entry) {
        post(editor, entry + "/assessments/secrecy", Map.of("reference", "ZR-BM-2026-001",
                "conclusion", "不涉及国家秘密和工作秘密", "assessedOn", ConsolePages.beijingToday()));
        post(editor, entry + "/assessments/personal-information", Map.of("reference", "ZR-PIA-2026-001",
                "conclusion", "个人信息处理限于履职所需", "assessedOn", ConsolePages.beijingToday()));
    }

    /** The person a token names, as the services read it: its name claim, else preferred_username. */
    private static String personName(String token) {
        io.restassured.path.json.JsonPath claims = claims(token);
        String name = claims.getString("name");
        return name != null ? name : claims.getString("preferred_username");
    }

    /** The claims of a token (its payload). */
    private static io.restassured.path.json.JsonPath claims(String token) {
        return new io.restassured.path.json.JsonPath(new String(java.util.Base64.getUrlDecoder()
                .decode(token.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void post(String token, String url, Map<String, Object> body) {
        Response r = given().auth().oauth2(token).contentType("application/json").body(body).post(url);
        assertEquals(200, r.statusCode(), url + ": " + r.asString());
    }

    private static Map<String, Object> entry(String name) {
        return entry(name, NATURAL_RESOURCES, "浙江省自然资源厅", "330000");
    }

    private static Map<String, Object> entry(String name, String provider, String providerName, String region) {
        return ConsolePages.entry(name, provider, providerName, region);
    }

    @Test
    void theEntryFormsAddressesLeadOthersThanEditorsToTheirOwnSection() {
        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.auditor");
            for (String address : new String[] {"#/entries/new", "#/entries/1/edit", "#/entries"}) {
                page.navigate(gateway + "/console" + address);
                page.waitForFunction("a => location.hash !== a", address);
                awaitOn(page, "nav a[aria-current=page]");
                assertEquals(0, page.locator("#entry-form").count(), address + ": " + page.textContent("main"));
                assertFalse(page.url().contains("#/entries"), address + " stayed: " + page.url());
            }
        }
    }
}
