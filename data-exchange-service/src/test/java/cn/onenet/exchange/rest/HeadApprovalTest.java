package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.RequestService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * 本部门负责人审核 (条例第二十条, R7): a request filed by an operator who is not its department's head waits for the head's
 * own approval, unseen by the provider and without a deadline; the head approves it (then it is filed as at once, the
 * catalogue checked again) or returns it; the filer may withdraw it while it waits.
 */
@QuarkusTest
class HeadApprovalTest extends ExchangeTestBase {

    static final String API = "/api/exchange/v1/requests/";
    static final String PROVIDER = RequestWorkflowTest.PROVIDER;
    static final String AWAITING = RequestService.AWAITING_HEAD_APPROVAL;

    @Inject
    CalendarService calendar;
    @Inject
    TimeSource time;
    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    /** A department of its own for each test, its clerk (operator only) and its head. */
    record Dept(String code, String clerk, String head) {
        static Dept fresh() {
            String code = NoticeReadTest.freshDepartment();
            return new Dept(code, operatorOnly("clerk-" + code, code), ExchangeTestBase.head("head-" + code, code,
                    "李主任"));
        }
    }

    static long fileAwaiting(Dept d, String code) {
        return RequestWorkflowTest.file(d.clerk(), RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"))).then()
                .statusCode(201).body("status", equalTo(AWAITING)).body("officeHeadApprover", nullValue())
                .body("dueOn", nullValue()).body("grantId", nullValue()).extract().jsonPath().getLong("id");
    }

    /** A conditional entry of {@link #PROVIDER} published now, and a request of the department's clerk on it. */
    long awaitingOnFreshEntry(Dept d, String code) {
        DeliveryTest.freshEntry(replica, code, "CONDITIONAL");
        return fileAwaiting(d, code);
    }

    static Response post(String token, long id, String action, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(API + id + "/" + action);
    }

    static List<Long> listed(String token, String query) {
        return given().auth().oauth2(token).get(API + query).then().statusCode(200).extract().jsonPath()
                .getList("id", Long.class);
    }

    static List<String> noticeKinds(String token, long id) {
        List<Map<String, Object>> all = given().auth().oauth2(token).get("/api/exchange/v1/notices").then()
                .statusCode(200).extract().jsonPath().getList("$");
        return all.stream().filter(n -> "REQUEST".equals(n.get("subjectType"))
                && ((Number) n.get("subjectId")).longValue() == id).map(n -> (String) n.get("kind")).toList();
    }

    @Test
    void anOperatorsRequestWaitsUnseenForItsHeadWhoApprovesIt() {
        Dept d = Dept.fresh();
        long id = fileAwaiting(d, FakeCatalog.CONDITIONAL);
        // not received by anyone yet: the provider receives it when the head approves it
        given().auth().oauth2(d.clerk()).get(API + id).then().statusCode(200).body("receivedOn", nullValue());

        // the provider and the 主管部门 do not see it; the requesting department does
        given().auth().oauth2(operator(PROVIDER)).get(API + id).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(operator(PROVIDER)).get(API + id + "/history").then().statusCode(404);
        given().auth().oauth2(reviewer()).get(API + id).then().statusCode(404);
        assertTrue(!listed(operator(PROVIDER), "?side=provider&size=200").contains(id));
        assertTrue(!listed(operator(PROVIDER), "?status=" + AWAITING + "&size=200").contains(id));
        assertTrue(!listed(admin(), "?status=" + AWAITING + "&size=200").contains(id));
        assertTrue(!listed(reviewer(), "?size=200").contains(id));
        assertEquals(List.of(id), listed(d.head(), "?side=consumer&status=" + AWAITING));
        assertEquals(List.of(id), listed(d.clerk(), ""));
        // nothing to answer yet: the provider's actions find no request
        post(operator(PROVIDER), id, "approve", Map.of("version", 0)).then().statusCode(404);
        assertEquals(List.of("HEAD_APPROVAL_REQUESTED"), noticeKinds(d.head(), id));
        assertEquals(List.of(), noticeKinds(operator(PROVIDER), id));

        // who may not approve: the filer's fellow operators (403); other departments' heads and the provider do not
        // see the request (404, as for any other action on it)
        post(operatorOnly("other-clerk-" + d.code(), d.code()), id, "head-approval", Map.of("version", 0)).then()
                .statusCode(403).contentType("application/problem+json");
        post(head("head-x", NoticeReadTest.freshDepartment(), "王主任"), id, "head-approval", Map.of("version", 0))
                .then().statusCode(404).contentType("application/problem+json");
        post(head("head-p", PROVIDER, "赵主任"), id, "head-approval", Map.of("version", 0)).then().statusCode(404);
        post(operator(PROVIDER), id, "head-approval", Map.of("version", 0)).then().statusCode(404);
        // nor the filer, though it holds head now
        post(TestTokens.civilServant("clerk-" + d.code(), d.code(), AUD, "operator", "head"), id, "head-approval",
                Map.of("version", 0)).then().statusCode(403);
        // bad input and unknown requests
        post(d.head(), id, "head-approval", Map.of()).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("version"));
        post(d.head(), id, "head-approval", Map.of("version", 3)).then().statusCode(409)
                .body("currentVersion", equalTo(0));
        post(d.head(), 987_654_321L, "head-approval", Map.of("version", 0)).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(d.head()).get(API + id).then().statusCode(200).body("status", equalTo(AWAITING));

        // the head approves: the request is filed with the provider now, its deadline counted from today
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        int version = post(d.head(), id, "head-approval", Map.of("version", 0, "opinion", "同意，用于低保审核")).then()
                .statusCode(200).body("status", equalTo("PENDING")).body("officeHeadApprover", equalTo("李主任"))
                .body("receivedOn", equalTo(today.toString()))
                .body("dueOn", equalTo(calendar.calendar().addWorkingDays(today, 10).toString())).extract()
                .jsonPath().getInt("version");
        JsonPath history = given().auth().oauth2(operator(PROVIDER)).get(API + id + "/history").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of("FILE", "HEAD_APPROVE"), history.getList("action"));
        assertEquals(java.util.Arrays.asList(null, AWAITING), history.getList("fromStatus"));
        assertEquals(List.of(AWAITING, "PENDING"), history.getList("toStatus"));
        assertEquals(List.of("operator", "head"), history.getList("actor.role"));
        assertEquals("李主任", history.getString("[1].actorName"));
        assertEquals("head-" + d.code(), history.getString("[1].actor.subject"));
        assertEquals("同意，用于低保审核", history.getString("[1].reason"));
        assertTrue(listed(operator(PROVIDER), "?side=provider&status=PENDING&size=200").contains(id));
        assertEquals(List.of("REQUEST_RECEIVED"), noticeKinds(operator(PROVIDER), id));
        assertTrue(noticeKinds(d.head(), id).contains("HEAD_APPROVED"));
        // the head's name sits inside the Chinese sentence without spaces around it
        assertTrue(given().auth().oauth2(d.head()).get("/api/exchange/v1/notices").then().statusCode(200).extract()
                .jsonPath().<String>getList("findAll { it.kind == 'HEAD_APPROVED' && it.subjectId == " + id
                        + " }.message").contains("本部门负责人李主任已审核同意，申请已提交 / the department's head "
                        + "approved the request: it was filed"));
        // once approved there is nothing left for a head to decide
        post(d.head(), id, "head-approval", Map.of("version", version)).then().statusCode(409)
                .contentType("application/problem+json");
        post(d.head(), id, "head-return", Map.of("version", version, "reason", "再议")).then().statusCode(409);
        // and the provider answers it as any other
        post(operator(PROVIDER), id, "approve", Map.of("version", version)).then().statusCode(200)
                .body("status", equalTo("APPROVED"));
    }

    @Test
    void anUnconditionalRequestIsGrantedOnlyWhenItsHeadApproves() {
        Dept d = Dept.fresh();
        long id = fileAwaiting(d, FakeCatalog.UNCONDITIONAL);
        assertTrue(listed(d.clerk(), "?status=GRANTED").isEmpty());
        long grant = post(d.head(), id, "head-approval", Map.of("version", 0)).then().statusCode(200)
                .body("status", equalTo("GRANTED")).body("grantId", notNullValue())
                .body("lastDecision.action", equalTo("HEAD_APPROVE")).body("lastDecision.automatic", equalTo(true))
                .extract().jsonPath().getLong("grantId");
        given().auth().oauth2(operator(PROVIDER)).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("requestId", equalTo((int) id));
    }

    @Test
    void aHeadFilingApprovesItselfByTheNameInItsToken() {
        String dept = NoticeReadTest.freshDepartment();
        String headOperator = TestTokens.custom(Map.of("sub", "zhou-" + dept, "aud", AUD, "roles",
                List.of("operator", "head"), "dept", dept, "account_type", "civil_servant", "name", "周处长"));
        long id = RequestWorkflowTest.file(headOperator, RequestWorkflowTest.body(FakeCatalog.CONDITIONAL,
                List.of("XM"))).then().statusCode(201).body("status", equalTo("PENDING"))
                .body("officeHeadApprover", equalTo("周处长")).body("dueOn", notNullValue())
                .extract().jsonPath().getLong("id");
        given().auth().oauth2(operator(PROVIDER)).get(API + id + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("FILE"))).body("[0].details.officeHeadApprover", equalTo("周处长"));
        // an approver blank or null in the body names nobody: the filer's name stands
        Map<String, Object> body = RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM"));
        body.put("officeHeadApprover", " ");
        RequestWorkflowTest.file(headOperator, body).then().statusCode(201).body("officeHeadApprover",
                equalTo("周处长"));
    }

    @Test
    void anApproverNamedInTheBodyIsRefused() {
        Dept d = Dept.fresh();
        String headOperator = TestTokens.custom(Map.of("sub", "wu-" + d.code(), "aud", AUD, "roles",
                List.of("operator", "head"), "dept", d.code(), "account_type", "civil_servant", "name", "吴处长"));
        for (String filer : List.of(headOperator, d.clerk())) {
            Map<String, Object> body = RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM"));
            body.put("officeHeadApprover", "王处长");
            RequestWorkflowTest.file(filer, body).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("officeHeadApprover")))
                    .body("errors[0].message", containsString("officeHeadApprover"));
        }
        // nothing was filed
        assertEquals(List.of(), listed(d.clerk(), "?side=consumer"));
    }

    @Test
    void theHeadReturnsARequestWithReasonsAndItEnds() {
        Dept d = Dept.fresh();
        long id = fileAwaiting(d, FakeCatalog.CONDITIONAL);
        post(d.head(), id, "head-return", Map.of("version", 0)).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        post(d.clerk(), id, "head-return", Map.of("version", 0, "reason", "数据项过多")).then().statusCode(403);
        post(head("head-y", PROVIDER, "赵主任"), id, "head-return", Map.of("version", 0, "reason", "数据项过多"))
                .then().statusCode(404).contentType("application/problem+json");
        int version = post(d.head(), id, "head-return", Map.of("version", 0, "reason", "申请的数据项超出业务所需，请缩减"))
                .then().statusCode(200).body("status", equalTo(RequestService.RETURNED_BY_HEAD))
                .body("decisionReason", equalTo("申请的数据项超出业务所需，请缩减")).body("officeHeadApprover", nullValue())
                .body("dueOn", nullValue()).body("receivedOn", nullValue()).body("lastDecision.action", equalTo("HEAD_RETURN"))
                .body("lastDecision.actor.role", equalTo("head")).extract().jsonPath().getInt("version");
        assertTrue(noticeKinds(d.clerk(), id).contains("HEAD_RETURNED"));
        // final: no approval, no withdrawal; still unseen by the provider
        post(d.head(), id, "head-approval", Map.of("version", version)).then().statusCode(409)
                .body("detail", containsString("RETURNED_BY_HEAD"));
        post(d.clerk(), id, "withdraw", Map.of("version", version)).then().statusCode(409)
                .body("detail", containsString("RETURNED_BY_HEAD"));
        given().auth().oauth2(operator(PROVIDER)).get(API + id).then().statusCode(404);
        assertEquals(List.of(), noticeKinds(operator(PROVIDER), id));
        assertEquals(List.of(id), listed(d.clerk(), "?status=" + RequestService.RETURNED_BY_HEAD));
    }

    @Test
    void theFilerWithdrawsWhileItWaits() {
        Dept d = Dept.fresh();
        long id = fileAwaiting(d, FakeCatalog.CONDITIONAL);
        post(operator(PROVIDER), id, "withdraw", Map.of("version", 0)).then().statusCode(404);
        int version = post(d.clerk(), id, "withdraw", Map.of("version", 0, "reason", "改由线下核验")).then()
                .statusCode(200).body("status", equalTo("WITHDRAWN")).body("receivedOn", nullValue()).extract()
                .jsonPath().getInt("version");
        given().auth().oauth2(d.clerk()).get(API + id + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("FILE", "WITHDRAW"))).body("[1].fromStatus", equalTo(AWAITING));
        post(d.head(), id, "head-approval", Map.of("version", version)).then().statusCode(409)
                .body("detail", containsString("WITHDRAWN"));
        // the provider never received it: no notice, nothing to see
        given().auth().oauth2(operator(PROVIDER)).get(API + id).then().statusCode(404);
        assertEquals(List.of(), noticeKinds(operator(PROVIDER), id));
    }

    /** The request ended by the exchange because its entry was deregistered: withdrawn, the provider never told. */
    void withdrawnForDeregistration(Dept d, long id) {
        given().auth().oauth2(d.clerk()).get(API + id).then().statusCode(200).body("status", equalTo("WITHDRAWN"))
                .body("decisionReason", containsString("目录已注销")).body("officeHeadApprover", nullValue())
                .body("receivedOn", nullValue()).body("dueOn", nullValue());
        JsonPath history = given().auth().oauth2(d.head()).get(API + id + "/history").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of("FILE", "WITHDRAW"), history.getList("action"));
        assertEquals(AWAITING, history.getString("[1].fromStatus"));
        assertEquals("scheduler", history.getString("[1].actor.role"));
        assertTrue(history.getBoolean("[1].automatic"));
        assertTrue(history.getString("[1].reason").contains("目录已注销"), history.getString("[1].reason"));
        assertEquals(List.of("HEAD_APPROVAL_REQUESTED", "REQUEST_WITHDRAWN"), noticeKinds(d.clerk(), id).stream()
                .sorted().toList());
        assertEquals(List.of(), noticeKinds(operator(PROVIDER), id));
        given().auth().oauth2(operator(PROVIDER)).get(API + id).then().statusCode(404);
        // final: nothing left for the head to decide
        post(d.head(), id, "head-approval", Map.of("version", 1)).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("WITHDRAWN"));
    }

    @Test
    void aDeregistrationWithdrawsTheRequestsAwaitingTheirHead() {
        String code = "330000-01-02/900971";
        Dept d = Dept.fresh();
        long id = awaitingOnFreshEntry(d, code);
        FakeCatalog.addItem("DEREGISTERED", Map.of("resourceCode", code, "version", 1));
        assertTrue(replica.pollOnce() > 0);
        withdrawnForDeregistration(d, id);
    }

    @Test
    void theStartUpSweepWithdrawsRequestsAwaitingTheirHeadOnAnEntryDeregisteredEarlier() throws Exception {
        String code = "330000-01-02/900973";
        Dept d = Dept.fresh();
        long id = awaitingOnFreshEntry(d, code);
        // as a replica that applied the deregistration before the requests awaiting their head ended with it
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE catalog_entry SET deregistered = true WHERE resource_code = ?")) {
            ps.setString(1, code);
            assertEquals(1, ps.executeUpdate());
        }
        given().auth().oauth2(d.clerk()).get(API + id).then().body("status", equalTo(AWAITING));
        assertTrue(replica.endSharingOfDeregisteredEntries() >= 1);
        withdrawnForDeregistration(d, id);
        // once done, the sweep finds nothing more there
        replica.endSharingOfDeregisteredEntries();
        given().auth().oauth2(d.clerk()).get(API + id).then().body("version", equalTo(1));
    }

    @Test
    void aHeadCannotApproveARequestWhosePeriodEndedWhileItWaited() {
        Dept d = Dept.fresh();
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        Map<String, Object> body = RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM"));
        body.put("periodFrom", today.toString());
        body.put("periodTo", today.plusDays(1).toString());
        long lastDay = RequestWorkflowTest.file(d.clerk(), body).then().statusCode(201)
                .body("status", equalTo(AWAITING)).extract().jsonPath().getLong("id");
        long id = RequestWorkflowTest.file(d.clerk(), body).then().statusCode(201).body("status", equalTo(AWAITING))
                .extract().jsonPath().getLong("id");
        // on the period's last day the request is still approved
        time.set(Clock.offset(Clock.system(TimeSource.ZONE), Duration.ofDays(1)));
        post(d.head(), lastDay, "head-approval", Map.of("version", 0)).then().statusCode(200)
                .body("status", equalTo("PENDING"));
        time.set(Clock.offset(Clock.system(TimeSource.ZONE), Duration.ofDays(2)));
        post(d.head(), id, "head-approval", Map.of("version", 0)).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString(today.plusDays(1).toString()))
                .body("detail", containsString("period")).body("errors.field", hasItem("periodTo"));
        // nothing changed: no grant, no deadline, unseen by the provider; the head can return it
        given().auth().oauth2(d.head()).get(API + id).then().statusCode(200).body("status", equalTo(AWAITING))
                .body("officeHeadApprover", nullValue()).body("receivedOn", nullValue()).body("dueOn", nullValue());
        given().auth().oauth2(d.head()).get(API + id + "/history").then().body("action", equalTo(List.of("FILE")));
        given().auth().oauth2(operator(PROVIDER)).get(API + id).then().statusCode(404);
        post(d.head(), id, "head-return", Map.of("version", 0, "reason", "使用期限已过")).then().statusCode(200);
    }

    @Test
    void theRequestingDepartmentsReviewerSeesItsAwaitingRequestInListAndView() {
        Dept d = Dept.fresh();
        long id = fileAwaiting(d, FakeCatalog.CONDITIONAL);
        String ownReviewer = reviewerIn("reviewer-" + d.code(), d.code(), "330000");
        String ownAdmin = TestTokens.civilServant("admin-" + d.code(), d.code(), AUD, "admin");
        for (String staff : List.of(ownReviewer, ownAdmin)) {
            assertTrue(listed(staff, "?side=consumer&size=200").contains(id));
            assertTrue(listed(staff, "?status=" + AWAITING + "&size=200").contains(id));
            given().auth().oauth2(staff).get(API + id).then().statusCode(200).body("status", equalTo(AWAITING));
            given().auth().oauth2(staff).get(API + id + "/history").then().statusCode(200)
                    .body("action", equalTo(List.of("FILE")));
        }
        // nobody else, in either: the 主管部门's reviewer, admin and auditor, another department's reviewer
        String otherReviewer = reviewerIn("reviewer-o-" + d.code(), NoticeReadTest.freshDepartment(), "330000");
        for (String other : List.of(reviewer(), admin(), auditor(), otherReviewer)) {
            assertTrue(!listed(other, "?size=200").contains(id));
            assertTrue(!listed(other, "?status=" + AWAITING + "&size=200").contains(id));
            given().auth().oauth2(other).get(API + id).then().statusCode(404).contentType("application/problem+json");
            given().auth().oauth2(other).get(API + id + "/history").then().statusCode(404);
        }
        assertTrue(!listed(otherReviewer, "?side=consumer&size=200").contains(id));
    }

    @Test
    void whoeverDoesNotSeeARequestLearnsNothingOfItFromItsActions() {
        Dept d = Dept.fresh();
        long id = fileAwaiting(d, FakeCatalog.CONDITIONAL);
        String stranger = operator(NoticeReadTest.freshDepartment());
        Map<String, Object> resubmit = Map.of("version", 0, "note", "补充说明");
        // a waiting request: the provider and other departments do not see it, as an unknown id
        for (String other : List.of(stranger, operator(PROVIDER))) {
            post(other, id, "resubmit", resubmit).then().statusCode(404).contentType("application/problem+json");
            post(other, id, "head-return", Map.of("version", 0, "reason", "x")).then().statusCode(404);
            post(other, id, "withdraw", Map.of("version", 0)).then().statusCode(404);
        }
        post(stranger, 987_654_321L, "resubmit", resubmit).then().statusCode(404);
        // once it reached the provider, the provider sees it and is refused (403); a stranger still 404
        post(d.head(), id, "head-approval", Map.of("version", 0)).then().statusCode(200);
        post(operator(PROVIDER), id, "resubmit", Map.of("version", 1)).then().statusCode(403)
                .contentType("application/problem+json");
        post(operator(PROVIDER), id, "head-approval", Map.of("version", 1)).then().statusCode(403);
        post(stranger, id, "resubmit", Map.of("version", 1)).then().statusCode(404);
        post(stranger, id, "head-approval", Map.of("version", 1)).then().statusCode(404);
    }

    @Test
    void anEntryMadeNotSharedMeanwhileIsRefusedAtTheHeadsApproval() {
        String code = "330000-01-02/900972";
        Dept d = Dept.fresh();
        long id = awaitingOnFreshEntry(d, code);
        Map<String, Object> changed = FakeCatalog.add("PUBLISHED", code, "测试授权目录 " + code, PROVIDER, "NOT_SHARED",
                "LEVEL_3", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        changed.put("version", 2);
        changed.put("notSharedReason", "涉及国家秘密");
        replica.pollOnce();
        // the filing runs on the entry as it is now: 不予共享, refused with the catalogue's reason
        post(d.head(), id, "head-approval", Map.of("version", 0)).then().statusCode(200)
                .body("status", equalTo("NOT_SHARED")).body("decisionReason", equalTo("涉及国家秘密"))
                .body("grantId", nullValue());
    }

    @Test
    void demoRequestsAreApprovedByTheirDepartmentsNamedHead() {
        List<Map<String, Object>> mine = given().auth().oauth2(operator(DemoData.HOUSING_FUND))
                .get(API + "?side=consumer&size=200").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> demo = mine.stream().filter(r -> "330000-01-05/000401".equals(r.get("resourceCode")))
                .findFirst().orElseThrow();
        assertEquals(DemoData.HEADS.get(DemoData.HOUSING_FUND), demo.get("officeHeadApprover"));
        assertEquals("GRANTED", demo.get("status"));
        long id = ((Number) demo.get("id")).longValue();
        given().auth().oauth2(operator(DemoData.HOUSING_FUND)).get(API + id + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("FILE", "HEAD_APPROVE")))
                .body("[1].actorName", equalTo(DemoData.HEADS.get(DemoData.HOUSING_FUND)))
                .body("[1].actor.role", equalTo("head"));
        // every demo request reached its provider, approved by its department's named head
        int demoRequests = 0;
        for (String dept : DemoData.HEADS.keySet()) {
            List<Map<String, Object>> filed = given().auth().oauth2(operator(dept)).get(API + "?side=consumer&size=200")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            for (Map<String, Object> r : filed) {
                if (("demo-operator-" + dept).equals(r.get("filedBy"))) {
                    assertEquals(DemoData.HEADS.get(dept), r.get("officeHeadApprover"), r.toString());
                    assertTrue(!AWAITING.equals(r.get("status")), r.toString());
                    demoRequests++;
                }
            }
        }
        assertTrue(demoRequests >= 4, "demo requests: " + demoRequests);
    }
}
