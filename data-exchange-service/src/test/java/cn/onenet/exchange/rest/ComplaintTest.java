package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Complaint;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.Caller;
import cn.onenet.exchange.service.Commands.FileComplaint;
import cn.onenet.exchange.service.ComplaintService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** 投诉 (R21): citizens and enterprises complain about accesses to their data; department answers; 主管部门 decides. */
@QuarkusTest
class ComplaintTest extends ExchangeTestBase {

    static final String HR = DemoData.HUMAN_RESOURCES; // holds the demo grant on 居民户籍信息
    static final String WANG_ID = "330282196509230044";
    static final String LIU_ID = "330110200102150052";
    /** A consumer department of its own, so suspending its grant disturbs no other test. */
    static final String INSPECTOR = "11330000002481110K";

    @Inject
    TimeSource time;
    @Inject
    ComplaintService complaints;
    @Inject
    CalendarService calendar;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    static String citizen(String sub, String id) {
        return TestTokens.citizen(sub, id, AUD);
    }

    static String enterprise() {
        return TestTokens.custom(Map.of("sub", "ent-complainant", "aud", AUD, "roles", List.of("enterprise"),
                "uscc", DemoData.ENTERPRISE, "account_type", "legal_person", "acr", "urn:onenet:loa:3"));
    }

    static long seqOf(String token, String requestId) {
        return given().auth().oauth2(token).get("/api/exchange/v1/me/data-accesses").then().statusCode(200)
                .extract().jsonPath().getLong("find { it.requestId == '" + requestId + "' }.seq");
    }

    static Response fileComplaint(String token, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/me/complaints");
    }

    /** 人社厅 looks up the citizen in 居民户籍信息 (a province grant); the citizen complains of it: the complaint's id. */
    static long complainedOfALookup(String token, String idNumber, String description) {
        String rid = "cmp-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, idNumber, rid).then().statusCode(200);
        return fileComplaint(token, Map.of("requestId", rid, "description", description)).then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    @Test
    void aCitizenComplainsTheDepartmentExplainsAndTheAuthorityDismisses() {
        String rid = "cmp-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, WANG_ID, rid).then().statusCode(200);
        String wang = citizen("wang", WANG_ID);
        long seq = seqOf(wang, rid);
        long before = Complaint.count();

        // somebody else's access: 404, nothing recorded
        fileComplaint(citizen("liu", LIU_ID), Map.of("usageLogSeq", seq, "description", "不是我的记录"))
                .then().statusCode(404);
        // bad input names the field
        fileComplaint(wang, Map.of("description", "x")).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("usageLogSeq"));
        fileComplaint(wang, Map.of("usageLogSeq", seq, "description", " ")).then().statusCode(400)
                .body("field", equalTo("description"));
        fileComplaint(wang, Map.of("usageLogSeq", seq, "description", "x".repeat(2001))).then().statusCode(400)
                .body("field", equalTo("description"));
        fileComplaint(wang, Map.of("usageLogSeq", -1, "description", "x")).then().statusCode(400)
                .body("field", equalTo("usageLogSeq"));
        // civil servants have no complaint channel of their own
        fileComplaint(operator(HR), Map.of("usageLogSeq", seq, "description", "x")).then().statusCode(403);
        assertEquals(before, Complaint.count());

        // by the request id the citizen sees, too
        Response filed = fileComplaint(wang, Map.of("requestId", rid,
                "description", "本人未在人社厅办理任何业务，该厅无正当理由查询本人户籍信息", "requestedRemedy", "说明查询理由"));
        filed.then().statusCode(201).body("status", equalTo("OPEN")).body("usageLogSeq", equalTo((int) seq))
                .body("consumerDepartmentCode", equalTo(HR)).body("accessRequestId", equalTo(rid))
                .body("resourceName", equalTo("居民户籍信息")).body("requestedRemedy", equalTo("说明查询理由"))
                .body("dueOn", equalTo(calendar.calendar().addWorkingDays(time.today(), 10).toString()))
                .body("complainant", nullValue());
        long id = filed.jsonPath().getLong("id");
        assertFalse(filed.asString().contains(WANG_ID));
        // a second complaint about the same access while the first is handled
        fileComplaint(wang, Map.of("usageLogSeq", seq, "description", "再次投诉")).then().statusCode(409);

        // the consumer department sees it, without the complainant's identity; another department does not
        Response forDept = given().auth().oauth2(operator(HR)).get("/api/exchange/v1/complaints/" + id);
        forDept.then().statusCode(200).body("complainant", nullValue()).body("complainantType", equalTo("CITIZEN"));
        Response deptHistory = given().auth().oauth2(operator(HR)).get("/api/exchange/v1/complaints/" + id + "/history");
        deptHistory.then().statusCode(200).body("[0].action", equalTo("FILE")).body("[0].actor.subject", nullValue())
                .body("[0].actor.role", equalTo("citizen"));
        for (String body : List.of(forDept.asString(), deptHistory.asString(),
                given().auth().oauth2(operator(HR)).get("/api/exchange/v1/complaints").asString())) {
            assertFalse(body.contains(WANG_ID), body);
            assertFalse(body.contains("\"wang\""), body);
        }
        given().auth().oauth2(operator(HR)).get("/api/exchange/v1/complaints").then().statusCode(200)
                .body("id", hasItem((int) id));
        given().auth().oauth2(operator(DemoData.MARKET)).get("/api/exchange/v1/complaints/" + id).then()
                .statusCode(404);
        given().auth().oauth2(operator(DemoData.MARKET)).get("/api/exchange/v1/complaints").then().statusCode(200)
                .body("id", not(hasItem((int) id)));
        given().auth().oauth2(citizen("liu", LIU_ID)).get("/api/exchange/v1/complaints/" + id).then().statusCode(404);
        given().auth().oauth2(citizen("liu", LIU_ID)).get("/api/exchange/v1/me/complaints").then().statusCode(200)
                .body("id", not(hasItem((int) id)));
        // the authority sees who complained (account id), auditors read
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/complaints/" + id).then().statusCode(200)
                .body("complainant", equalTo("wang"));
        given().auth().oauth2(auditor()).get("/api/exchange/v1/complaints").then().statusCode(200)
                .body("id", hasItem((int) id));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/notices").then().body("kind", hasItem("COMPLAINT_FILED"));
        given().auth().oauth2(operator(HR)).get("/api/exchange/v1/notices").then().body("kind", hasItem("COMPLAINT_FILED"));

        // only the consumer department answers, with the version it saw
        String answer = "/api/exchange/v1/complaints/" + id + "/answer";
        given().auth().oauth2(wang).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "x"))
                .post(answer).then().statusCode(403);
        given().auth().oauth2(operator(DemoData.MARKET)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "x")).post(answer).then().statusCode(404);
        given().auth().oauth2(operator(HR)).contentType(ContentType.JSON).body(Map.of("reason", "x")).post(answer)
                .then().statusCode(400).body("field", equalTo("version"));
        given().auth().oauth2(operator(HR)).contentType(ContentType.JSON).body(Map.of("version", 0)).post(answer)
                .then().statusCode(400).body("field", equalTo("reason"));
        given().auth().oauth2(operator(HR)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "系办理养老保险待遇资格认证时核验身份")).post(answer).then()
                .statusCode(200).body("status", equalTo("ANSWERED"));
        given().auth().oauth2(operator(HR)).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "x"))
                .post(answer).then().statusCode(409);

        // only the 主管部门 decides
        String dismiss = "/api/exchange/v1/complaints/" + id + "/dismiss";
        given().auth().oauth2(operator(HR)).contentType(ContentType.JSON).body(Map.of("version", 1, "reason", "x"))
                .post(dismiss).then().statusCode(403);
        given().auth().oauth2(auditor()).contentType(ContentType.JSON).body(Map.of("version", 1, "reason", "x"))
                .post(dismiss).then().statusCode(403);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 1, "reason", ""))
                .post(dismiss).then().statusCode(400).body("field", equalTo("reason"));
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "x"))
                .post(dismiss).then().statusCode(409);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "reason", "查询系办理本人申请的社保业务所需，符合授权用途")).post(dismiss).then()
                .statusCode(200).body("status", equalTo("DISMISSED"));
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 2, "reason", "x"))
                .post("/api/exchange/v1/complaints/" + id + "/uphold").then().statusCode(409);

        // the complainant sees state, answer and outcome
        given().auth().oauth2(wang).get("/api/exchange/v1/me/complaints").then().statusCode(200)
                .body("find { it.id == " + id + " }.status", equalTo("DISMISSED"))
                .body("find { it.id == " + id + " }.answer", equalTo("系办理养老保险待遇资格认证时核验身份"))
                .body("find { it.id == " + id + " }.outcomeReason", equalTo("查询系办理本人申请的社保业务所需，符合授权用途"));
        given().auth().oauth2(wang).get("/api/exchange/v1/complaints/" + id + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("FILE", "ANSWER", "DISMISS")))
                .body("[0].actor.subject", equalTo("wang")).body("[1].actor.subject", nullValue())
                .body("[1].actor.departmentCode", equalTo(HR));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/complaints/" + id + "/history").then()
                .body("toStatus", equalTo(List.of("OPEN", "ANSWERED", "DISMISSED")))
                .body("[1].actor.subject", equalTo("op-" + HR)).body("[2].decision", equalTo(true));
    }

    @Test
    void aReviewerOfAnotherRegionNeitherListsNorReadsNorDecidesAProvinceComplaint() {
        long id = complainedOfALookup(citizen("liu", LIU_ID), LIU_ID, "本人未在该部门办理业务");
        String hz = reviewerIn("reviewer-hz-complaints", "11330100MB00000191", "330100");

        // 杭州市's 主管部门 does not decide a province complaint: it does not exist for it, list and count alike
        Response list = given().auth().oauth2(hz).get("/api/exchange/v1/complaints?size=200");
        list.then().statusCode(200).body("id", not(hasItem((int) id)));
        assertFalse(list.asString().contains("\"liu\""), list.asString());
        long hzTotal = Long.parseLong(list.header("X-Total-Count"));
        assertEquals(hzTotal, list.jsonPath().getList("id").size());
        for (String path : List.of("", "/history")) {
            given().auth().oauth2(hz).get("/api/exchange/v1/complaints/" + id + path).then().statusCode(404)
                    .contentType("application/problem+json");
        }
        given().auth().oauth2(hz).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "x"))
                .post("/api/exchange/v1/complaints/" + id + "/dismiss").then().statusCode(404);
        // a reviewer token without region reads none
        given().auth().oauth2(reviewerIn("reviewer-no-region-cmp", DemoData.AUTHORITY, null))
                .get("/api/exchange/v1/complaints").then().statusCode(403);

        // the province's 主管部门, admins and auditors read it; the consumer department's operators still do
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/complaints?size=200").then().statusCode(200)
                .body("id", hasItem((int) id));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/complaints/" + id).then().statusCode(200)
                .body("complainant", equalTo("liu"));
        for (String all : List.of(admin(), auditor(), operator(HR))) {
            given().auth().oauth2(all).get("/api/exchange/v1/complaints/" + id).then().statusCode(200);
        }
    }

    @Test
    void anEnterpriseComplaintUpheldSuspendsTheGrantUsed() {
        String consumer = operator(INSPECTOR);
        long grant = RequestWorkflowTest.file(consumer,
                RequestWorkflowTest.body(FakeCatalog.ENTERPRISES, List.of("TYSHXYDM", "QYMC"))).then().statusCode(201)
                .extract().jsonPath().getLong("grantId");
        String rid = "cmp-" + UUID.randomUUID();
        given().urlEncodingEnabled(false).auth().oauth2(consumer).header("X-Grant-Id", grant)
                .header("X-Request-Id", rid).get(DeliveryTest.path(FakeCatalog.ENTERPRISES, DemoData.ENTERPRISE))
                .then().statusCode(200);
        long seq = seqOf(enterprise(), rid);
        long id = fileComplaint(enterprise(), Map.of("usageLogSeq", seq, "description", "本企业与该部门无任何业务往来"))
                .then().statusCode(201).body("complainantType", equalTo("ENTERPRISE"))
                .body("grantId", equalTo((int) grant)).extract().jsonPath().getLong("id");
        given().auth().oauth2(consumer).get("/api/exchange/v1/complaints/" + id).then().statusCode(200)
                .body("complainant", nullValue());

        // unanswered after the deadline: listed for the authority as overdue, escalated once
        time.set(Clock.fixed(LocalDate.now(TimeSource.ZONE).plusDays(30).atStartOfDay(TimeSource.ZONE).toInstant(),
                TimeSource.ZONE));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/complaints?overdue=true").then().statusCode(200)
                .body("id", hasItem((int) id)).body("find { it.id == " + id + " }.overdue", equalTo(true));
        complaints.escalateOverdue();
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/complaints/" + id).then()
                .body("escalated", equalTo(true)).body("version", equalTo(0));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/complaints?status=NOPE").then().statusCode(400)
                .body("field", equalTo("status"));

        // upheld with suspension: the grant is suspended, its history names the complaint
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "查询超出授权用途，投诉成立", "suspendGrant", true))
                .post("/api/exchange/v1/complaints/" + id + "/uphold").then().statusCode(200)
                .body("status", equalTo("UPHELD")).body("grantSuspended", equalTo(true));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("status", equalTo("SUSPENDED"));
        given().auth().oauth2(admin()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("[-1].action", equalTo("SUSPEND"))
                .body("[-1].reason", equalTo("投诉 " + id + " 成立（条例第三十七条）：查询超出授权用途，投诉成立"));
        given().auth().oauth2(admin()).get("/api/exchange/v1/complaints/" + id + "/history").then()
                .body("action", equalTo(List.of("FILE", "ESCALATE_OVERDUE", "UPHOLD")))
                .body("[2].details.grantSuspended", equalTo(true));
        given().auth().oauth2(enterprise()).get("/api/exchange/v1/me/complaints").then()
                .body("find { it.id == " + id + " }.status", equalTo("UPHELD"))
                .body("find { it.id == " + id + " }.grantSuspended", equalTo(true));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/complaints?overdue=true").then()
                .body("id", not(hasItem((int) id)));
    }

    @Test
    void theConsumerDepartmentsOwnReviewersAndAdminsAreAPartyNotTheAuthority() {
        String wang = citizen("wang", WANG_ID);
        long id = complainedOfALookup(wang, WANG_ID, "无正当理由查询本人户籍信息");
        String hrReviewer = reviewerIn("reviewer-hr", HR, "330000");
        String hrAdmin = TestTokens.civilServant("admin-hr", HR, AUD, "admin");
        for (String party : List.of(hrReviewer, hrAdmin)) {
            given().auth().oauth2(party).get("/api/exchange/v1/complaints/" + id).then().statusCode(200)
                    .body("complainant", nullValue());
            given().auth().oauth2(party).get("/api/exchange/v1/complaints").then().statusCode(200)
                    .body("find { it.id == " + id + " }.complainant", nullValue());
            Response rows = given().auth().oauth2(party).get("/api/exchange/v1/complaints/" + id + "/history");
            rows.then().statusCode(200).body("[0].action", equalTo("FILE")).body("[0].actor.subject", nullValue())
                    .body("[0].actor.role", equalTo("citizen"));
            assertFalse(rows.asString().contains("\"wang\""), rows.asString());
            given().auth().oauth2(party).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "不成立"))
                    .post("/api/exchange/v1/complaints/" + id + "/dismiss").then().statusCode(403)
                    .contentType("application/problem+json");
            given().auth().oauth2(party).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "成立"))
                    .post("/api/exchange/v1/complaints/" + id + "/uphold").then().statusCode(403);
        }
        given().auth().oauth2(admin()).get("/api/exchange/v1/complaints/" + id).then().body("status", equalTo("OPEN"))
                .body("complainant", equalTo("wang"));
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "符合授权用途"))
                .post("/api/exchange/v1/complaints/" + id + "/dismiss").then().statusCode(200)
                .body("status", equalTo("DISMISSED"));
    }

    @Test
    void theOverdueEscalationDoesNotOutdateTheVersionTheDepartmentRead() {
        String dept = "11330000002481250C";
        long id = complaintAboutAGrantOf(dept)[1];
        String complaint = "/api/exchange/v1/complaints/" + id;
        // the department loads the complaint, then the hourly job escalates it as overdue
        int read = given().auth().oauth2(operator(dept)).get(complaint).then().statusCode(200)
                .body("escalated", equalTo(false)).extract().jsonPath().getInt("version");
        time.set(Clock.fixed(LocalDate.now(TimeSource.ZONE).plusDays(30).atStartOfDay(TimeSource.ZONE).toInstant(),
                TimeSource.ZONE));
        complaints.escalateOverdue();
        given().auth().oauth2(reviewer()).get(complaint).then().body("escalated", equalTo(true))
                .body("version", equalTo(read));
        // a second run escalates it no more
        complaints.escalateOverdue();
        given().auth().oauth2(admin()).get(complaint + "/history").then()
                .body("action", equalTo(List.of("FILE", "ESCALATE_OVERDUE")));

        // the explanation sent with the version read before the escalation is accepted, and keeps the escalation
        given().auth().oauth2(operator(dept)).contentType(ContentType.JSON)
                .body(Map.of("version", read, "reason", "系核验企业登记信息所需")).post(complaint + "/answer").then()
                .statusCode(200).body("status", equalTo("ANSWERED")).body("escalated", equalTo(true))
                .body("version", equalTo(read + 1));
        // a real change still outdates it: a second explanation or a decision with the old version is 409
        given().auth().oauth2(operator(dept)).contentType(ContentType.JSON)
                .body(Map.of("version", read, "reason", "再次说明")).post(complaint + "/answer").then().statusCode(409)
                .contentType("application/problem+json").body("currentVersion", equalTo(read + 1));
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", read, "reason", "符合授权用途")).post(complaint + "/dismiss").then()
                .statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", read + 1, "reason", "符合授权用途")).post(complaint + "/dismiss").then()
                .statusCode(200).body("status", equalTo("DISMISSED")).body("escalated", equalTo(true));
        given().auth().oauth2(admin()).get(complaint + "/history").then()
                .body("action", equalTo(List.of("FILE", "ESCALATE_OVERDUE", "ANSWER", "DISMISS")));
    }

    /** The department's own grant on the enterprise data, one access with it and the enterprise's complaint. */
    static long[] complaintAboutAGrantOf(String dept) {
        String rid = "cmp-" + UUID.randomUUID();
        String other = operator(dept);
        long grant = RequestWorkflowTest.file(other,
                RequestWorkflowTest.body(FakeCatalog.ENTERPRISES, List.of("TYSHXYDM", "QYMC"))).jsonPath()
                .getLong("grantId");
        given().urlEncodingEnabled(false).auth().oauth2(other).header("X-Grant-Id", grant).header("X-Request-Id", rid)
                .get(DeliveryTest.path(FakeCatalog.ENTERPRISES, DemoData.ENTERPRISE)).then().statusCode(200);
        long id = fileComplaint(enterprise(), Map.of("requestId", rid, "description", "无业务往来")).then()
                .statusCode(201).extract().jsonPath().getLong("id");
        return new long[] { grant, id };
    }

    @Test
    void upholdingWithAGrantThatCannotBeSuspendedChangesNothing() {
        long[] grantAndComplaint = complaintAboutAGrantOf("11330000002481120L");
        long grant = grantAndComplaint[0];
        long id = grantAndComplaint[1];
        // the grant has ended: it cannot be suspended
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "终止"))
                .post("/api/exchange/v1/grants/" + grant + "/terminate").then().statusCode(200);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "投诉成立", "suspendGrant", true))
                .post("/api/exchange/v1/complaints/" + id + "/uphold").then().statusCode(409);
        given().auth().oauth2(admin()).get("/api/exchange/v1/complaints/" + id).then().body("status", equalTo("OPEN"))
                .body("version", equalTo(0));
        given().auth().oauth2(admin()).get("/api/exchange/v1/complaints/" + id + "/history").then()
                .body("action", equalTo(List.of("FILE")));
    }

    @Test
    void upholdingWithAGrantAlreadySuspendedSucceedsAndSaysSo() {
        long[] grantAndComplaint = complaintAboutAGrantOf("11330000002481240B");
        long grant = grantAndComplaint[0];
        long id = grantAndComplaint[1];
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "暂停"))
                .post("/api/exchange/v1/grants/" + grant + "/suspend").then().statusCode(200);

        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "投诉成立", "suspendGrant", true))
                .post("/api/exchange/v1/complaints/" + id + "/uphold").then().statusCode(200)
                .body("status", equalTo("UPHELD")).body("grantSuspended", equalTo(true));
        given().auth().oauth2(admin()).get("/api/exchange/v1/complaints/" + id + "/history").then()
                .body("action", equalTo(List.of("FILE", "UPHOLD")))
                .body("[1].details.grantSuspended", equalTo(true))
                .body("[1].details.grantAlreadySuspended", equalTo(true));
        // the grant keeps its one suspension
        given().auth().oauth2(admin()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("findAll { it.action == 'SUSPEND' }.size()", equalTo(1)).body("[-1].reason", equalTo("暂停"));
    }

    @Test
    void twoFilingsAboutTheSameAccessRacingLeaveOneComplaintAndAnswer409() throws Exception {
        String rid = "cmp-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, LIU_ID, rid).then().statusCode(200);
        String liu = citizen("liu", LIU_ID);
        long seq = seqOf(liu, rid);
        Caller caller = new Caller("liu", "gateway", null, Set.of("citizen"), LIU_ID, null);
        CompletableFuture<Response> second;
        // the first filing is not committed yet when the second one checks for a complaint under handling
        second = QuarkusTransaction.requiringNew().call(() -> {
            complaints.file(caller, new FileComplaint(seq, null, "第一次投诉", null), null);
            CompletableFuture<Response> racing = CompletableFuture.supplyAsync(
                    () -> fileComplaint(liu, Map.of("usageLogSeq", seq, "description", "同时提交的第二次投诉")));
            Thread.sleep(1_500);
            return racing;
        });
        second.get(30, TimeUnit.SECONDS).then().statusCode(409).contentType("application/problem+json");
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> Complaint.count(
                "usageLogSeq = ?1 and status in ('OPEN', 'ANSWERED')", seq)));
    }
}
