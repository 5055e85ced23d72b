package cn.onenet.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.clientCredentials;
import static cn.onenet.systemtests.ConsolePages.demoGrantResource;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * 我的通知 in Chromium against the {@link SharedSuite}: 张三 asks 公安厅 twice to correct his record in 居民户籍信息 and
 * 公安厅 answers both (through the APIs, as the console's correction pages do); 张三's menu counts the unread notices,
 * his inbox shows the answers (the department's text as text, never as markup), opening one leads to the correction
 * request and its history and marks it read, the count going down, and 全部已读 marks the rest. 赵六, another citizen,
 * neither sees nor marks them. A complaint of 张三's, explained by 人社厅 and decided by the 主管部门, opens from his
 * complaints and from its notice; 赵六 opening its address is told the service's 404.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class NoticeInboxConsoleTest {

    private static final String ZHANG_SAN = "33010619850312001X";
    private static final String ZHAO_LIU = "330110200102150052";
    private static final String NOTICES = "/api/exchange/v1/me/notices";

    private String gateway;
    private String resourceCode;

    @BeforeAll
    void start() throws Exception {
        gateway = SharedSuite.gateway();
        resourceCode = demoGrantResource(clientCredentials("gat-population-system", "demo-gat-population-secret"));
    }

    @Test
    void aCitizenReadsTheAnswerNoticesFromTheMenuBadgeAndAnotherCitizenDoesNotSeeThem() throws Exception {
        String citizenToken = token(ZHANG_SAN, DEMO_PASSWORD, "openid profile id_number");
        String provider = token("gat.operator", DEMO_PASSWORD, "openid profile");
        String mark = String.valueOf(System.nanoTime());
        // the department's text carries markup: the inbox must show it as text
        String reason = "经核对户籍档案，姓名记载无误（" + mark + "）<img src=x onerror=\"window.inboxInjected=1\">";
        long first = fileAndAnswer(citizenToken, provider, reason);
        long second = fileAndAnswer(citizenToken, provider, "经核对户籍档案，已补充（" + mark + "）");
        long notice = noticeAbout(citizenToken, first);
        long other = noticeAbout(citizenToken, second);
        long unread = unread(citizenToken);
        assertTrue(unread >= 2, "unread: " + unread);

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page citizen = logIn(browser, ZHANG_SAN);
            String badge = "#nav a[href='#/my-notices'] #my-notices-badge";
            awaitBadge(citizen, String.valueOf(unread));
            assertTrue(citizen.textContent("#nav a[href='#/my-notices']").contains("我的通知 / My notices"),
                    citizen.textContent("#nav"));

            citizen.click("#nav a[href='#/my-notices']");
            String row = "#my-notice-list tbody tr:has([data-notice='" + notice + "'])";
            awaitOn(citizen, row);
            String shown = citizen.textContent(row);
            assertTrue(shown.contains("更正申请已答复") && shown.contains("未读") && shown.contains(mark)
                    && shown.contains("<img src=x"), shown);
            assertTrue(citizen.textContent("#my-notices-unread").contains("未读 " + unread + " 条"),
                    citizen.textContent("main h2"));
            assertEquals(0, citizen.locator("#my-notice-list img").count(), "markup from the service was parsed");
            assertEquals(Boolean.TRUE, citizen.evaluate("() => window.inboxInjected === undefined"));

            // Opening it: the correction request with its history, the notice read, one fewer in the menu
            citizen.click(row + " a[data-notice-open='" + notice + "']");
            awaitOn(citizen, "#correction-history tbody tr");
            assertTrue(citizen.url().endsWith("#/my-corrections/" + first), citizen.url());
            assertTrue(citizen.textContent("#correction-answer").contains(mark), citizen.textContent("main"));
            awaitBadge(citizen, String.valueOf(unread - 1));
            assertEquals(unread - 1, unread(citizenToken));
            assertTrue(readState(citizenToken, notice), "the opened notice is not read");
            assertFalse(readState(citizenToken, other), "a notice not opened was marked read");

            citizen.navigate(gateway + "/console#/my-notices");
            awaitOn(citizen, row);
            assertTrue(citizen.textContent(row + " .notice-state").contains("已读"), citizen.textContent(row));
            String next = "#my-notice-list tbody tr:has([data-notice='" + other + "'])";
            assertTrue(citizen.textContent(next + " .notice-state").contains("未读"), citizen.textContent(next));

            // 全部已读: everything up to the newest shown, the badge gone
            answer(citizen, () -> citizen.click("#my-notices-read-all"), "全部已读", "ok");
            awaitOn(citizen, "#my-notice-list");
            assertTrue(citizen.textContent(next + " .notice-state").contains("已读"), citizen.textContent(next));
            assertEquals(0, citizen.locator("#my-notices-read-all").count(), "nothing left to mark");
            citizen.waitForSelector(badge, new Page.WaitForSelectorOptions()
                    .setState(WaitForSelectorState.HIDDEN).setTimeout(20_000));
            assertEquals(0, unread(citizenToken));

            // 赵六: neither in his inbox nor his to mark
            Page stranger = logIn(browser, ZHAO_LIU);
            stranger.click("#nav a[href='#/my-notices']");
            awaitOn(stranger, "#my-notice-list, #no-my-notices");
            assertEquals(0, stranger.locator("[data-notice='" + notice + "'], [data-notice='" + other + "']").count(),
                    stranger.textContent("main"));
            assertEquals(0, stranger.locator("a[href='#/my-corrections/" + first + "']").count());
            assertFalse(stranger.textContent("main").contains(mark), stranger.textContent("main"));
            String strangerToken = token(ZHAO_LIU, DEMO_PASSWORD, "openid profile id_number");
            given().auth().oauth2(strangerToken).post(gateway + NOTICES + "/" + notice + "/read").then()
                    .statusCode(404);
            // a department's operator has no citizen's inbox: no menu entry, and the API refuses
            assertEquals(403, given().auth().oauth2(provider).get(gateway + NOTICES).statusCode());
            Page operator = logIn(browser, "gat.operator");
            assertEquals(0, operator.locator("#nav a[href='#/my-notices']").count(), operator.textContent("#nav"));
        }
    }

    @Test
    void aComplainantOpensTheComplaintFromTheListAndFromItsNoticeAndAnotherCitizenIsRefused() throws Exception {
        String citizenToken = token(ZHANG_SAN, DEMO_PASSWORD, "openid profile id_number");
        String consumer = token("rst.operator", DEMO_PASSWORD, "openid profile");
        String mark = String.valueOf(System.nanoTime());
        // 人社厅 looks 张三 up; he complains about that access (his text carries markup: shown as text)
        String accessId = "inbox-complaint-" + mark;
        given().auth().oauth2(consumer).header("X-Request-Id", accessId)
                .get(gateway + "/api/exchange/v1/data/" + resourceCode + "/records/" + ZHANG_SAN).then()
                .statusCode(200);
        long complaint = given().auth().oauth2(citizenToken).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of("requestId", accessId, "description",
                        "不清楚为何查询本人户籍（" + mark + "）<img src=x onerror=\"window.complaintInjected=1\">",
                        "requestedRemedy", "说明查询理由（" + mark + "）"))
                .post(gateway + "/api/exchange/v1/me/complaints").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        String complaintUrl = gateway + "/api/exchange/v1/complaints/" + complaint;
        int version = given().auth().oauth2(consumer).get(complaintUrl).then().statusCode(200).extract().jsonPath()
                .getInt("version");
        String explanation = "办理社保待遇资格认证时核验户籍（" + mark + "）";
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("version", version,
                "reason", explanation)).post(complaintUrl + "/answer").then().statusCode(200);
        // the 主管部门 decides, with its reasons
        String authority = token("dsj.reviewer", DEMO_PASSWORD, "openid profile");
        version = given().auth().oauth2(authority).get(complaintUrl).then().statusCode(200).extract().jsonPath()
                .getInt("version");
        String decision = "查询有授权且用途相符，投诉不成立（" + mark + "）";
        given().auth().oauth2(authority).contentType(ContentType.JSON).body(Map.of("version", version,
                "reason", decision)).post(complaintUrl + "/dismiss").then().statusCode(200);
        List<Map<String, Object>> told = notices(citizenToken).getList("findAll { it.subjectType == 'COMPLAINT' "
                + "&& it.subjectId == " + complaint + " && it.kind == 'COMPLAINT_ANSWERED' }");
        assertEquals(1, told.size(), "notices about complaint " + complaint + ": " + told);
        long notice = ((Number) told.get(0).get("id")).longValue();
        String page = "#/my-complaints/" + complaint;

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page citizen = logIn(browser, ZHANG_SAN);
            // from the list: the row's link opens the complaint with its explanation, decision and history
            citizen.click("#nav a[href='#/my-complaints']");
            awaitOn(citizen, "main a[href='" + page + "']");
            citizen.click("main a[href='" + page + "']");
            awaitOn(citizen, "#complaint-history tbody tr");
            assertTrue(citizen.url().endsWith(page), citizen.url());
            assertTrue(citizen.textContent("#complaint-answer").contains(explanation), citizen.textContent("main"));
            assertTrue(citizen.textContent("#complaint-decision").contains(decision)
                    && citizen.textContent("#complaint-decision").contains("不成立"), citizen.textContent("main"));
            String main = citizen.textContent("main");
            assertTrue(main.contains("说明查询理由（" + mark + "）") && main.contains("<img src=x"), main);
            assertEquals(0, citizen.locator("main img").count(), "markup from the service was parsed");
            assertEquals(Boolean.TRUE, citizen.evaluate("() => window.complaintInjected === undefined"));
            String history = citizen.textContent("#complaint-history");
            assertTrue(history.contains("提出投诉") && history.contains("说明 / explained")
                    && history.contains("投诉不成立") && history.contains(explanation), history);

            // from the notice: the same page, the notice read
            citizen.navigate(gateway + "/console#/my-notices");
            String link = "#my-notice-list a[data-notice-open='" + notice + "']";
            awaitOn(citizen, link);
            assertEquals(page, citizen.getAttribute(link, "href"));
            citizen.click(link);
            awaitOn(citizen, "#complaint-answer");
            assertTrue(citizen.url().endsWith(page), citizen.url());
            assertTrue(citizen.textContent("#complaint-answer").contains(explanation), citizen.textContent("main"));
            assertTrue(readState(citizenToken, notice), "the opened notice is not read");

            // 赵六 at the same address: the service's 404, nothing of the complaint
            Page stranger = logIn(browser, ZHAO_LIU);
            stranger.navigate(gateway + "/console" + page);
            awaitOn(stranger, "main p:has-text('无法加载')");
            stranger.waitForFunction("() => document.getElementById('notice').textContent.includes('HTTP 404')",
                    null, new Page.WaitForFunctionOptions().setTimeout(20_000));
            assertEquals(0, stranger.locator("#complaint-answer, #complaint-history").count(),
                    stranger.textContent("main"));
            assertFalse(stranger.textContent("body").contains(mark), stranger.textContent("body"));
        }
    }

    @Test
    void aCitizensNoticesAreInHisOwnWordsAndLeadOnlyToHisOwnPages() throws Exception {
        Set<String> sent = kindsSentToDataSubjects();
        assertTrue(sent.containsAll(Set.of("CORRECTION_ANSWERED", "CORRECTION_OVERDUE", "COMPLAINT_ANSWERED",
                "COMPLAINT_OVERDUE", "COMPLAINT_UPHELD", "COMPLAINT_DISMISSED", "DEADLINE_RECOUNTED")),
                sent.toString());
        String citizenToken = token(ZHANG_SAN, DEMO_PASSWORD, "openid profile id_number");
        String provider = token("gat.operator", DEMO_PASSWORD, "openid profile");
        long correction = fileAndAnswer(citizenToken, provider, "经核对户籍档案，记载无误（" + System.nanoTime() + "）");
        long notice = noticeAbout(citizenToken, correction);

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page citizen = logIn(browser, ZHANG_SAN);
            citizen.click("#nav a[href='#/my-notices']");
            String row = "#my-notice-list tbody tr:has([data-notice='" + notice + "'])";
            awaitOn(citizen, row);
            // every kind a citizen is sent has words of the citizen's: both languages, not the code, not staff terms
            @SuppressWarnings("unchecked")
            Map<String, String> words = (Map<String, String>) citizen.evaluate("async () => (await import("
                    + "'/console/assets/inbox.js')).MY_NOTICE_KIND || {}");
            List<String> unfit = sent.stream().filter(k -> !plain(words.get(k), k)).map(k -> k + "=" + words.get(k))
                    .toList();
            assertEquals(List.of(), unfit, "notice kinds a citizen reads without words of his own");
            assertEquals(words.get("CORRECTION_ANSWERED"), citizen.textContent(row + " .notice-kind"));
            String shown = citizen.textContent("#my-notice-list");
            assertFalse(Pattern.compile("\\b[A-Z]{3,}_[A-Z_]+\\b").matcher(shown).find(), shown);
            // his links lead to his own pages, in his menu: never a department's
            assertEquals("#/my-corrections/" + correction, citizen.getAttribute(row + " a.notice-subject", "href"));
            NoticeLinksConsoleTest.assertLinksInMenu(citizen, ZHANG_SAN);
            assertEquals(0, citizen.locator("#my-notice-list a[href^='#/corrections'], #my-notice-list "
                    + "a[href^='#/complaints']").count(), shown);
        }
    }

    /**
     * The kinds the exchange sends to a citizen or an enterprise, read from its sources: the kind handed to
     * notifyDataSubject, or to ComplaintService's notifyComplainant, as a literal or a constant of the same class.
     */
    private static Set<String> kindsSentToDataSubjects() throws IOException {
        Pattern call = Pattern.compile("\\bnotify(?:DataSubject|Complainant)\\(\\s*[^,()]+,\\s*"
                + "(?:\"([A-Z][A-Z0-9_]*)\"|\\b([A-Z][A-Z0-9_]*)\\s*,)");
        Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize()
                .resolve("data-exchange-service/src/main/java");
        Set<String> kinds = new TreeSet<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(p);
                Matcher m = call.matcher(text);
                while (m.find()) {
                    if (m.group(1) != null) {
                        kinds.add(m.group(1));
                        continue;
                    }
                    Matcher constant = Pattern.compile("static\\s+final\\s+String\\s+" + m.group(2)
                            + "\\s*=\\s*\"([A-Z][A-Z0-9_]*)\"").matcher(text);
                    assertTrue(constant.find(), p + ": no constant " + m.group(2));
                    kinds.add(constant.group(1));
                }
            }
        }
        return kinds;
    }

    /** Words in both languages, not the code, and none of the staff's own terms. */
    private static boolean plain(String shown, String code) {
        return shown != null && shown.contains(" / ") && !shown.contains(code)
                && List.of("工作日历", "working-day calendar", "competent authority", "数源").stream()
                        .noneMatch(shown::contains);
    }

    /** 张三 asks for a correction of his name; 公安厅's operator answers it (corrected) with the given reasons. */
    private long fileAndAnswer(String citizen, String provider, String reason) {
        long id = given().auth().oauth2(citizen).header("Idempotency-Key", UUID.randomUUID().toString())
                .contentType(ContentType.JSON).body(Map.of("resourceCode", resourceCode, "item", "XM",
                        "currentValue", "张伟", "correctValue", "张三", "description", "户籍登记姓名有误"))
                .post(gateway + "/api/exchange/v1/me/corrections").then().statusCode(201).extract().jsonPath()
                .getLong("id");
        int version = given().auth().oauth2(provider).get(gateway + "/api/exchange/v1/corrections/" + id).then()
                .statusCode(200).extract().jsonPath().getInt("version");
        given().auth().oauth2(provider).contentType(ContentType.JSON).body(Map.of("version", version,
                // the record already reads 张三: not corrected (已更正 would be refused while the record is unchanged)
                "outcome", "NOT_CORRECTED", "reason", reason, "explanation", "户籍档案记载姓名为张三"))
                .post(gateway + "/api/exchange/v1/corrections/" + id
                + "/answer").then().statusCode(200);
        return id;
    }

    /** A person's token as the console gets it (a client of its own: the login session is the person's). */
    private String token(String username, String password, String scope) throws Exception {
        return new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken(username, password, scope);
    }

    private JsonPath notices(String token) {
        return given().auth().oauth2(token).get(gateway + NOTICES).then().statusCode(200).extract().jsonPath();
    }

    private long noticeAbout(String token, long correction) {
        List<Map<String, Object>> found = notices(token).getList("findAll { it.subjectType == 'CORRECTION' "
                + "&& it.subjectId == " + correction + " && it.kind == 'CORRECTION_ANSWERED' }");
        assertEquals(1, found.size(), "notices about correction " + correction + ": " + found);
        return ((Number) found.get(0).get("id")).longValue();
    }

    private boolean readState(String token, long notice) {
        return notices(token).getBoolean("find { it.id == " + notice + " }.read");
    }

    private long unread(String token) {
        return given().auth().oauth2(token).get(gateway + NOTICES + "/unread-count").then().statusCode(200)
                .extract().jsonPath().getLong("unread");
    }

    /** Waits for the menu's badge to show the count (it is filled once the count arrives). */
    private static void awaitBadge(Page page, String count) {
        try {
            page.waitForFunction("n => { const b = document.getElementById('my-notices-badge');"
                    + " return b && !b.hidden && b.textContent === n; }", count,
                    new Page.WaitForFunctionOptions().setTimeout(20_000));
        } catch (RuntimeException e) {
            throw new AssertionError("no badge " + count + ": " + page.innerHTML("#nav"), e);
        }
    }
}
