package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.RequestService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
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

        // who may not approve: the filer's fellow operators, other departments' heads, the provider (403)
        post(operatorOnly("other-clerk-" + d.code(), d.code()), id, "head-approval", Map.of("version", 0)).then()
                .statusCode(403).contentType("application/problem+json");
        post(head("head-x", NoticeReadTest.freshDepartment(), "王主任"), id, "head-approval", Map.of("version", 0))
                .then().statusCode(403).contentType("application/problem+json");
        post(head("head-p", PROVIDER, "赵主任"), id, "head-approval", Map.of("version", 0)).then().statusCode(403);
        post(operator(PROVIDER), id, "head-approval", Map.of("version", 0)).then().statusCode(403);
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
        // the body's officeHeadApprover ("王处长") is ignored
        long id = RequestWorkflowTest.file(headOperator, RequestWorkflowTest.body(FakeCatalog.CONDITIONAL,
                List.of("XM"))).then().statusCode(201).body("status", equalTo("PENDING"))
                .body("officeHeadApprover", equalTo("周处长")).body("dueOn", notNullValue())
                .extract().jsonPath().getLong("id");
        given().auth().oauth2(operator(PROVIDER)).get(API + id + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("FILE"))).body("[0].details.officeHeadApprover", equalTo("周处长"));
        // the body no longer needs an approver
        Map<String, Object> body = RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM"));
        body.remove("officeHeadApprover");
        RequestWorkflowTest.file(headOperator, body).then().statusCode(201).body("officeHeadApprover",
                equalTo("周处长"));
    }

    @Test
    void theHeadReturnsARequestWithReasonsAndItEnds() {
        Dept d = Dept.fresh();
        long id = fileAwaiting(d, FakeCatalog.CONDITIONAL);
        post(d.head(), id, "head-return", Map.of("version", 0)).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("reason"));
        post(d.clerk(), id, "head-return", Map.of("version", 0, "reason", "数据项过多")).then().statusCode(403);
        post(head("head-y", PROVIDER, "赵主任"), id, "head-return", Map.of("version", 0, "reason", "数据项过多"))
                .then().statusCode(403);
        int version = post(d.head(), id, "head-return", Map.of("version", 0, "reason", "申请的数据项超出业务所需，请缩减"))
                .then().statusCode(200).body("status", equalTo(RequestService.RETURNED_BY_HEAD))
                .body("decisionReason", equalTo("申请的数据项超出业务所需，请缩减")).body("officeHeadApprover", nullValue())
                .body("dueOn", nullValue()).body("lastDecision.action", equalTo("HEAD_RETURN"))
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
                .statusCode(200).body("status", equalTo("WITHDRAWN")).extract().jsonPath().getInt("version");
        given().auth().oauth2(d.clerk()).get(API + id + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("FILE", "WITHDRAW"))).body("[1].fromStatus", equalTo(AWAITING));
        post(d.head(), id, "head-approval", Map.of("version", version)).then().statusCode(409)
                .body("detail", containsString("WITHDRAWN"));
        // the provider never received it: no notice, nothing to see
        given().auth().oauth2(operator(PROVIDER)).get(API + id).then().statusCode(404);
        assertEquals(List.of(), noticeKinds(operator(PROVIDER), id));
    }

    @Test
    void theHeadsApprovalChecksTheCatalogueAgain() {
        String code = "330000-01-02/900971";
        Dept d = Dept.fresh();
        long id = awaitingOnFreshEntry(d, code);
        FakeCatalog.addItem("DEREGISTERED", Map.of("resourceCode", code, "version", 1));
        assertTrue(replica.pollOnce() > 0);
        // the deregistration ends nothing the provider never had: the request still waits for its head
        given().auth().oauth2(d.head()).get(API + id).then().statusCode(200).body("status", equalTo(AWAITING));
        post(d.head(), id, "head-approval", Map.of("version", 0)).then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString("deregistered"));
        given().auth().oauth2(d.head()).get(API + id).then().statusCode(200).body("status", equalTo(AWAITING))
                .body("officeHeadApprover", nullValue());
        given().auth().oauth2(d.head()).get(API + id + "/history").then().body("action", equalTo(List.of("FILE")));
        // the head can still return it
        post(d.head(), id, "head-return", Map.of("version", 0, "reason", "目录已注销")).then().statusCode(200);
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
