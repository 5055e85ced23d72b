package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.RequestService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * 提供部门负责人审核答复 (条例第二十条第三款, R7/R8): the answer of an operator of the provider who is not its head waits for
 * the providing department's head, its deadline running; the head approves it (applied as proposed, the catalogue
 * checked again) or returns it (PENDING again); an operator holding head answers at once. The requester sees that the
 * answer awaits the provider's head, never what is proposed.
 */
@QuarkusTest
class AnswerHeadApprovalTest extends ExchangeTestBase {

    static final String API = HeadApprovalTest.API;
    static final String AWAITING = RequestService.ANSWER_AWAITING_HEAD;
    static final List<Map<String, Object>> ITEMS = List.of(
            Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
            Map.of("code", "XM", "name", "姓名", "sensitive", true),
            Map.of("code", "ZY", "name", "职业", "sensitive", false));

    @Inject
    TimeSource time;
    @Inject
    RequestService requests;
    @Inject
    CalendarService calendar;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    /**
     * A providing department of its own with a conditional entry: its clerk (operator only), its head, and a requesting
     * department of its own (an operator holding head: its requests reach the provider at once) with its head.
     */
    record Sides(String provider, String code, String clerk, String head, String consumer, String consumerHead) {
    }

    Sides fresh(String code) {
        String provider = NoticeReadTest.freshDepartment();
        FakeCatalog.add("PUBLISHED", code, "测试答复审核目录 " + code, provider, "CONDITIONAL", "LEVEL_3", "GMSFHM", ITEMS);
        replica.pollOnce();
        String consumer = NoticeReadTest.freshDepartment();
        return new Sides(provider, code, operatorOnly("pclerk-" + provider, provider),
                head("phead-" + provider, provider, "钱主任"), operator(consumer),
                head("chead-" + consumer, consumer, "孙主任"));
    }

    static long filePending(Sides s, Map<String, Object> body) {
        return RequestWorkflowTest.file(s.consumer(), body).then().statusCode(201).body("status", equalTo("PENDING"))
                .extract().jsonPath().getLong("id");
    }

    static long filePending(Sides s) {
        return filePending(s, RequestWorkflowTest.body(s.code(), List.of("GMSFHM", "XM", "ZY")));
    }

    static io.restassured.response.Response post(String token, long id, String action, Map<String, Object> body) {
        return HeadApprovalTest.post(token, id, action, body);
    }

    @Test
    void anOperatorsApprovalWaitsForTheProvidersHeadWhoApprovesItAsProposed() {
        Sides s = fresh("330000-01-02/901301");
        long id = filePending(s);
        String dueOn = given().auth().oauth2(s.consumer()).get(API + id).then().extract().path("dueOn");
        String shorter = LocalDate.now(TimeSource.ZONE).plusMonths(6).toString();
        Map<String, Object> answer = new HashMap<>(Map.of("version", 0, "items", List.of("GMSFHM", "XM"),
                "periodTo", shorter, "clearItems", List.of("XM"), "quotaPerDay", 500, "note", "同意共享，仅限低保审核"));

        // the clerk's approval is a proposal: no grant, the deadline unchanged
        int version = post(s.clerk(), id, "approve", answer).then().statusCode(200).body("status", equalTo(AWAITING))
                .body("grantId", nullValue()).body("providerHeadApprover", nullValue())
                .body("decidedAt", nullValue()).body("dueOn", equalTo(dueOn))
                .body("proposedAnswer.decision", equalTo("APPROVE"))
                .body("proposedAnswer.items", equalTo(List.of("GMSFHM", "XM")))
                .body("proposedAnswer.periodTo", equalTo(shorter)).body("proposedAnswer.quotaPerDay", equalTo(500))
                .body("proposedAnswer.proposedBy", equalTo("pclerk-" + s.provider())).extract().jsonPath()
                .getInt("version");
        assertEquals(1, version);
        given().auth().oauth2(s.head()).get(API + id).then().statusCode(200)
                .body("proposedAnswer.note", equalTo("同意共享，仅限低保审核"));
        assertTrue(HeadApprovalTest.noticeKinds(s.head(), id).contains("ANSWER_HEAD_APPROVAL_REQUESTED"));

        // the requester sees the status, not the proposal: neither in the view, the list nor the history
        given().auth().oauth2(s.consumer()).get(API + id).then().statusCode(200).body("status", equalTo(AWAITING))
                .body("proposedAnswer", nullValue()).body("dueOn", equalTo(dueOn));
        List<Map<String, Object>> mine = given().auth().oauth2(s.consumer()).get(API + "?side=consumer").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertEquals(List.of(AWAITING), mine.stream().map(r -> r.get("status")).toList());
        assertNull(mine.get(0).get("proposedAnswer"));
        JsonPath seenByConsumer = given().auth().oauth2(s.consumer()).get(API + id + "/history").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("FILE", RequestService.PROPOSE_ANSWER), seenByConsumer.getList("action"));
        assertNull(seenByConsumer.get("[1].reason"));
        assertNull(seenByConsumer.get("[1].details"));
        assertTrue(!HeadApprovalTest.noticeKinds(s.consumer(), id).contains("ANSWER_HEAD_APPROVAL_REQUESTED"));
        given().auth().oauth2(s.clerk()).get(API + id + "/history").then().statusCode(200)
                .body("[1].reason", equalTo("同意共享，仅限低保审核"))
                .body("[1].details.proposedAnswer.items", equalTo(List.of("GMSFHM", "XM")));

        // the provider head's list
        assertEquals(List.of(id), HeadApprovalTest.listed(s.head(), "?awaiting=answer-approval"));
        assertEquals(List.of(id), HeadApprovalTest.listed(s.clerk(), "?status=" + AWAITING));
        assertEquals(List.of(), HeadApprovalTest.listed(s.consumerHead(), "?awaiting=answer-approval"));
        given().auth().oauth2(s.head()).get(API + "?awaiting=head-approval").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("awaiting"));
        given().auth().oauth2(s.head()).get(API + "?awaiting=answer-approval&side=consumer").then().statusCode(400)
                .body("errors.field", hasItem("side"));

        // while the answer awaits the head the provider's operators answer nothing more: the head returns it first
        post(s.clerk(), id, "approve", Map.of("version", 1)).then().statusCode(409)
                .contentType("application/problem+json");
        post(s.clerk(), id, "supplement", Map.of("version", 1, "reason", "请补充用途说明")).then().statusCode(409);
        post(s.clerk(), id, "extension", Map.of("version", 1, "reason", "需核对", "days", 5)).then().statusCode(409);

        // who may not approve it: the clerk (no head, 403), the clerk holding head now (it prepared the answer, 403),
        // the requester's head (403); other departments' heads do not see the request (404)
        post(s.clerk(), id, "answer-approval", Map.of("version", 1)).then().statusCode(403);
        post(TestTokens.civilServant("pclerk-" + s.provider(), s.provider(), AUD, "operator", "head"), id,
                "answer-approval", Map.of("version", 1)).then().statusCode(403).contentType("application/problem+json");
        post(s.consumerHead(), id, "answer-approval", Map.of("version", 1)).then().statusCode(403);
        post(head("head-x", NoticeReadTest.freshDepartment(), "王主任"), id, "answer-approval", Map.of("version", 1))
                .then().statusCode(404).contentType("application/problem+json");
        post(s.head(), 987_654_321L, "answer-approval", Map.of("version", 1)).then().statusCode(404);
        // bad and stale versions
        post(s.head(), id, "answer-approval", Map.of()).then().statusCode(400).body("errors.field", hasItem("version"));
        post(s.head(), id, "answer-approval", Map.of("version", 0)).then().statusCode(409)
                .body("currentVersion", equalTo(1));

        // the head approves: the grant is the proposed one
        JsonPath approved = post(s.head(), id, "answer-approval", Map.of("version", 1, "opinion", "同意")).then()
                .statusCode(200).body("status", equalTo("APPROVED")).body("providerHeadApprover", equalTo("钱主任"))
                .body("proposedAnswer", nullValue()).body("decisionReason", equalTo("同意共享，仅限低保审核"))
                .body("lastDecision.action", equalTo("APPROVE")).body("lastDecision.actor.role", equalTo("head"))
                .body("lastDecision.actorName", equalTo("钱主任")).extract().jsonPath();
        long grant = approved.getLong("grantId");
        given().auth().oauth2(s.consumer()).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("items", equalTo(List.of("GMSFHM", "XM"))).body("validTo", equalTo(shorter))
                .body("clearItems", equalTo(List.of("XM"))).body("quotaPerDay", equalTo(500));
        given().auth().oauth2(s.consumer()).get(API + id).then().body("providerHeadApprover", equalTo("钱主任"));
        JsonPath history = given().auth().oauth2(s.head()).get(API + id + "/history").then().extract().jsonPath();
        assertEquals(List.of("FILE", RequestService.PROPOSE_ANSWER, "APPROVE"), history.getList("action"));
        assertEquals(AWAITING, history.getString("[2].fromStatus"));
        assertEquals("phead-" + s.provider(), history.getString("[2].actor.subject"));
        assertEquals("pclerk-" + s.provider(), history.getString("[2].details.answerProposedBy"));
        assertEquals("钱主任", history.getString("[2].details.providerHeadApprover"));
        assertEquals("同意", history.getString("[2].details.opinion"));
        assertTrue(HeadApprovalTest.noticeKinds(s.consumer(), id).contains("REQUEST_APPROVED"));
        // decided: a second approval or a return is 409, and the head's list is empty
        post(s.head(), id, "answer-approval", Map.of("version", approved.getInt("version"))).then().statusCode(409);
        post(s.head(), id, "answer-return", Map.of("version", approved.getInt("version"), "reason", "再议")).then()
                .statusCode(409);
        assertEquals(List.of(), HeadApprovalTest.listed(s.head(), "?awaiting=answer-approval"));
    }

    @Test
    void theHeadReturnsAProposedRefusalAndTheRequestIsPendingAgain() {
        Sides s = fresh("330000-01-02/901302");
        long id = filePending(s);
        String dueOn = given().auth().oauth2(s.consumer()).get(API + id).then().extract().path("dueOn");
        post(s.clerk(), id, "refuse", Map.of("version", 0)).then().statusCode(400)
                .body("errors.field", hasItem("reason"));
        post(s.clerk(), id, "refuse", Map.of("version", 0, "reason", "用途与职能不符", "legalBasis", "《个人信息保护法》第三十四条"))
                .then().statusCode(200).body("status", equalTo(AWAITING)).body("decisionReason", nullValue())
                .body("proposedAnswer.decision", equalTo("REFUSE"))
                .body("proposedAnswer.reason", equalTo("用途与职能不符"))
                .body("proposedAnswer.legalBasis", equalTo("《个人信息保护法》第三十四条"));

        // a return needs reasons; only the provider's head returns
        post(s.head(), id, "answer-return", Map.of("version", 1)).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        post(s.clerk(), id, "answer-return", Map.of("version", 1, "reason", "x")).then().statusCode(403);
        post(s.consumerHead(), id, "answer-return", Map.of("version", 1, "reason", "x")).then().statusCode(403);
        post(head("head-y", NoticeReadTest.freshDepartment(), "赵主任"), id, "answer-return",
                Map.of("version", 1, "reason", "x")).then().statusCode(404);
        post(s.head(), id, "answer-return", Map.of("version", 0, "reason", "x")).then().statusCode(409);

        int version = post(s.head(), id, "answer-return", Map.of("version", 1, "reason", "拒绝理由不充分，请补充依据"))
                .then().statusCode(200).body("status", equalTo("PENDING")).body("proposedAnswer", nullValue())
                .body("providerHeadApprover", nullValue()).body("dueOn", equalTo(dueOn)).body("lastDecision", nullValue())
                .extract().jsonPath().getInt("version");
        assertTrue(HeadApprovalTest.noticeKinds(s.clerk(), id).contains("ANSWER_RETURNED"));
        // the returned proposal stays in the provider's history; the requester sees the step only
        given().auth().oauth2(s.clerk()).get(API + id + "/history").then()
                .body("action", equalTo(List.of("FILE", RequestService.PROPOSE_ANSWER, RequestService.ANSWER_RETURN)))
                .body("[2].reason", equalTo("拒绝理由不充分，请补充依据")).body("[2].toStatus", equalTo("PENDING"))
                .body("[2].details.returnedAnswer.reason", equalTo("用途与职能不符"));
        given().auth().oauth2(s.consumer()).get(API + id + "/history").then().body("[2].reason", nullValue())
                .body("[2].details", nullValue()).body("[2].action", equalTo(RequestService.ANSWER_RETURN));
        post(s.head(), id, "answer-approval", Map.of("version", version)).then().statusCode(409);

        // answered again, approved by the head: refused with the clerk's reasons and legal basis
        post(s.clerk(), id, "refuse", Map.of("version", version, "reason", "申请用途超出目录所列共享条件",
                "legalBasis", "《政务数据共享条例》第十四条")).then().statusCode(200).body("status", equalTo(AWAITING));
        post(s.head(), id, "answer-approval", Map.of("version", version + 1)).then().statusCode(200)
                .body("status", equalTo("REFUSED")).body("decisionReason", equalTo("申请用途超出目录所列共享条件"))
                .body("providerHeadApprover", equalTo("钱主任")).body("lastDecision.actor.role", equalTo("head"))
                .body("lastDecision.legalBasis", equalTo("《政务数据共享条例》第十四条"));
        assertTrue(HeadApprovalTest.noticeKinds(s.consumer(), id).contains("REQUEST_REFUSED"));
    }

    @Test
    void anOperatorHoldingHeadAnswersAtOnceAndNoBodyNamesTheApprover() {
        Sides s = fresh("330000-01-02/901303");
        String headOperator = TestTokens.custom(Map.of("sub", "zhou-" + s.provider(), "aud", AUD, "roles",
                List.of("operator", "head"), "dept", s.provider(), "account_type", "civil_servant", "name", "周处长"));
        long approved = filePending(s);
        long refused = filePending(s);
        // an approver named in the body is refused, whoever answers
        for (String answerer : List.of(headOperator, s.clerk())) {
            post(answerer, approved, "approve", Map.of("version", 0, "providerHeadApprover", "王处长")).then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("providerHeadApprover")));
            post(answerer, refused, "refuse", Map.of("version", 0, "reason", "用途不符", "providerHeadApprover", "王处长"))
                    .then().statusCode(400).body("errors.field", equalTo(List.of("providerHeadApprover")));
        }
        given().auth().oauth2(s.consumer()).get(API + approved).then().body("status", equalTo("PENDING"))
                .body("version", equalTo(0));

        post(headOperator, approved, "approve", Map.of("version", 0, "items", List.of("XM"))).then().statusCode(200)
                .body("status", equalTo("APPROVED")).body("providerHeadApprover", equalTo("周处长"))
                .body("grantId", notNullValue()).body("proposedAnswer", nullValue());
        post(headOperator, refused, "refuse", Map.of("version", 0, "reason", "用途不符")).then().statusCode(200)
                .body("status", equalTo("REFUSED")).body("providerHeadApprover", equalTo("周处长"));
        given().auth().oauth2(s.head()).get(API + approved + "/history").then()
                .body("action", equalTo(List.of("FILE", "APPROVE")))
                .body("[1].details.providerHeadApprover", equalTo("周处长"));
        assertTrue(!HeadApprovalTest.noticeKinds(s.head(), approved).contains("ANSWER_HEAD_APPROVAL_REQUESTED"));
    }

    /** The clock at that hour of a day (Beijing time). */
    void today(LocalDate day, int hour) {
        time.set(Clock.fixed(day.atTime(hour, 0).atZone(TimeSource.ZONE).toInstant(), TimeSource.ZONE));
    }

    /** A request filed on that day, for a year from it, due as given; its id. */
    long fileOn(Sides s, LocalDate day, String dueOn) {
        today(day, 10);
        Map<String, Object> body = RequestWorkflowTest.body(s.code(), List.of("XM"));
        body.put("periodFrom", day.toString());
        body.put("periodTo", day.plusYears(1).minusDays(1).toString());
        return RequestWorkflowTest.file(s.consumer(), body).then().statusCode(201).body("dueOn", equalTo(dueOn))
                .extract().jsonPath().getLong("id");
    }

    @Test
    void theDeadlineRunsOnWhileTheAnswerAwaitsTheHeadAndTheRequesterMayWithdraw() {
        Sides s = fresh("330000-01-02/901304");
        // filed Monday 28 Sep 2026: due 16 Oct (中秋/国庆 skipped, Saturday 10 Oct worked)
        long id = fileOn(s, LocalDate.of(2026, 9, 28), "2026-10-16");
        today(LocalDate.of(2026, 10, 15), 10);
        post(s.clerk(), id, "approve", Map.of("version", 0)).then().statusCode(200).body("status", equalTo(AWAITING))
                .body("dueOn", equalTo("2026-10-16"));
        // the head has not approved by the deadline: the answer is overdue, escalated as a pending one
        today(LocalDate.of(2026, 10, 16), 18);
        requests.escalateOverdue();
        given().auth().oauth2(s.consumer()).get(API + id).then().body("escalated", equalTo(false));
        today(LocalDate.of(2026, 10, 19), 9);
        assertTrue(requests.escalateOverdue() >= 1);
        int version = given().auth().oauth2(s.consumer()).get(API + id).then().body("status", equalTo(AWAITING))
                .body("escalated", equalTo(true)).extract().jsonPath().getInt("version");
        given().auth().oauth2(s.head()).get(API + id + "/history").then()
                .body("action", hasItem("ESCALATE_OVERDUE"));

        // the requester may still withdraw; the proposal is dropped, the provider told
        post(s.clerk(), id, "withdraw", Map.of("version", version)).then().statusCode(403);
        post(s.consumer(), id, "withdraw", Map.of("version", version, "reason", "改由线下核验")).then().statusCode(200)
                .body("status", equalTo("WITHDRAWN"));
        given().auth().oauth2(s.head()).get(API + id).then().body("proposedAnswer", nullValue());
        assertTrue(HeadApprovalTest.noticeKinds(s.head(), id).contains("REQUEST_WITHDRAWN"));
        post(s.head(), id, "answer-approval", Map.of("version", version + 1)).then().statusCode(409)
                .body("detail", containsString("WITHDRAWN"));
    }

    @Test
    void aCalendarChangeRecountsTheDeadlineOfAnAnswerAwaitingTheHead() {
        calendar.check();
        Sides s = fresh("330000-01-02/901308");
        long id = fileOn(s, LocalDate.of(2026, 12, 18), "2027-01-04");
        post(s.clerk(), id, "approve", Map.of("version", 0)).then().statusCode(200).body("status", equalTo(AWAITING));
        try {
            // the 2027 notice entered in the catalogue (a 元旦 holiday on Monday 4 January, for the test)
            FakeCatalog.putCalendarDay("2027-01-01", "holiday", "元旦");
            FakeCatalog.putCalendarDay("2027-01-04", "holiday", "元旦");
            calendar.check();
            given().auth().oauth2(s.consumer()).get(API + id).then().body("status", equalTo(AWAITING))
                    .body("dueOn", equalTo("2027-01-05"));
            given().auth().oauth2(s.head()).get(API + id + "/history").then()
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.dueOn", equalTo("2027-01-05"));
        } finally {
            FakeCatalog.removeCalendarDay("2027-01-01");
            FakeCatalog.removeCalendarDay("2027-01-04");
            calendar.check();
        }
        given().auth().oauth2(s.consumer()).get(API + id).then().body("dueOn", equalTo("2027-01-04"));
    }

    @Test
    void theCatalogueIsCheckedAgainWhenTheHeadApproves() {
        Sides s = fresh("330000-01-02/901305");
        long id = filePending(s);
        post(s.clerk(), id, "approve", Map.of("version", 0)).then().statusCode(200).body("status", equalTo(AWAITING));
        // made 不予共享 meanwhile: the approval cannot be given (409); the head returns it
        Map<String, Object> changed = FakeCatalog.add("PUBLISHED", s.code(), "测试答复审核目录 " + s.code(),
                s.provider(), "NOT_SHARED", "LEVEL_3", "GMSFHM", ITEMS);
        changed.put("version", 2);
        changed.put("notSharedReason", "涉及国家秘密");
        replica.pollOnce();
        post(s.head(), id, "answer-approval", Map.of("version", 1)).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("NOT_SHARED"));
        given().auth().oauth2(s.head()).get(API + id).then().body("status", equalTo(AWAITING))
                .body("grantId", nullValue());
        post(s.head(), id, "answer-return", Map.of("version", 1, "reason", "目录已变更为不予共享，请拒绝")).then()
                .statusCode(200).body("status", equalTo("PENDING"));
    }

    @Test
    void aDeregistrationRefusesTheRequestWhoseAnswerAwaitsTheHead() {
        Sides s = fresh("330000-01-02/901306");
        long id = filePending(s);
        post(s.clerk(), id, "approve", Map.of("version", 0)).then().statusCode(200).body("status", equalTo(AWAITING));
        FakeCatalog.addItem("DEREGISTERED", Map.of("resourceCode", s.code(), "version", 1));
        assertTrue(replica.pollOnce() > 0);
        given().auth().oauth2(s.head()).get(API + id).then().body("status", equalTo("REFUSED"))
                .body("decisionReason", containsString("目录已注销")).body("proposedAnswer", nullValue())
                .body("grantId", nullValue());
        post(s.head(), id, "answer-approval", Map.of("version", 2)).then().statusCode(409);
    }

    @Test
    void anApprovalWhosePeriodEndedWhileItAwaitedTheHeadIsNotGiven() {
        Sides s = fresh("330000-01-02/901307");
        long id = filePending(s);
        String tomorrow = LocalDate.now(TimeSource.ZONE).plusDays(1).toString();
        post(s.clerk(), id, "approve", Map.of("version", 0, "periodTo", tomorrow)).then().statusCode(200)
                .body("status", equalTo(AWAITING));
        time.set(Clock.offset(Clock.system(TimeSource.ZONE), Duration.ofDays(2)));
        post(s.head(), id, "answer-approval", Map.of("version", 1)).then().statusCode(409)
                .contentType("application/problem+json").body("errors.field", hasItem("periodTo"))
                .body("detail", containsString(tomorrow));
        given().auth().oauth2(s.head()).get(API + id).then().body("status", equalTo(AWAITING))
                .body("grantId", nullValue());
    }

    @Test
    void anAnswerWhosePeriodEndedIsNeitherGivenAtOnceNorProposed() {
        Sides s = fresh("330000-01-02/901309");
        String headOperator = TestTokens.custom(Map.of("sub", "wu-" + s.provider(), "aud", AUD, "roles",
                List.of("operator", "head"), "dept", s.provider(), "account_type", "civil_servant", "name", "吴处长"));
        LocalDate filed = LocalDate.now(TimeSource.ZONE);
        Map<String, Object> body = RequestWorkflowTest.body(s.code(), List.of("GMSFHM", "XM", "ZY"));
        body.put("periodFrom", filed.toString());
        body.put("periodTo", filed.plusDays(5).toString());
        long id = filePending(s, body);

        // three days on, a period to grant ending the day after the filing is over: as the head's approval of a
        // proposed answer would be, neither the direct answer nor the proposal is taken
        time.set(Clock.offset(Clock.system(TimeSource.ZONE), Duration.ofDays(3)));
        String ended = filed.plusDays(1).toString();
        for (String answerer : List.of(headOperator, s.clerk())) {
            post(answerer, id, "approve", Map.of("version", 0, "periodTo", ended)).then().statusCode(409)
                    .contentType("application/problem+json").body("errors.field", hasItem("periodTo"))
                    .body("detail", containsString(ended));
        }
        // a week on, the request's own period is over too: the same without a periodTo
        time.set(Clock.offset(Clock.system(TimeSource.ZONE), Duration.ofDays(7)));
        for (String answerer : List.of(headOperator, s.clerk())) {
            post(answerer, id, "approve", Map.of("version", 0)).then().statusCode(409)
                    .contentType("application/problem+json").body("errors.field", hasItem("periodTo"))
                    .body("detail", containsString(filed.plusDays(5).toString()));
        }
        // nothing changed: the provider refuses it instead
        given().auth().oauth2(s.head()).get(API + id).then().body("status", equalTo("PENDING"))
                .body("version", equalTo(0)).body("grantId", nullValue()).body("proposedAnswer", nullValue());
        given().auth().oauth2(s.head()).get(API + id + "/history").then().body("action", equalTo(List.of("FILE")));
        post(headOperator, id, "refuse", Map.of("version", 0, "reason", "申请的使用期限已届满")).then().statusCode(200)
                .body("status", equalTo("REFUSED"));
    }
}
