package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.DisposalDeadlines;
import cn.onenet.exchange.service.ObjectionService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class DisputeObjectionTest extends ExchangeTestBase {

    @Inject
    TimeSource time;
    @Inject
    ObjectionService objections;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    DisposalDeadlines disposals;
    @Inject
    CalendarService calendar;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    @Test
    void aDisputeOverARefusalGoesToTheAuthorityThenUpTheTree() {
        String consumer = operator(RequestWorkflowTest.CONSUMER);
        long notShared = RequestWorkflowTest.file(consumer,
                RequestWorkflowTest.body(FakeCatalog.NOT_SHARED, List.of("GMSFHM"))).jsonPath().getLong("id");
        // a pending request cannot be disputed
        long pending = RequestWorkflowTest.file(consumer,
                RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(refusalDispute(pending, "x")).post("/api/exchange/v1/disputes").then()
                .statusCode(409);
        long id = given().auth().oauth2(consumer).contentType(ContentType.JSON).header("Idempotency-Key", "d-1")
                .body(refusalDispute(notShared, "履行法定职责确需该数据，且有法律授权"))
                .post("/api/exchange/v1/disputes").then().statusCode(201)
                .body("level", equalTo("COMPETENT_AUTHORITY")).body("handlerDepartmentCode", equalTo(DemoData.AUTHORITY))
                .extract().jsonPath().getLong("id");
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/notices").then().body("kind", hasItem("DISPUTE_OPENED"));
        // another department cannot open a dispute on it, nor see it
        given().auth().oauth2(operator(DemoData.MARKET)).contentType(ContentType.JSON)
                .body(refusalDispute(notShared, "x")).post("/api/exchange/v1/disputes").then()
                .statusCode(404);
        given().auth().oauth2(operator(DemoData.MARKET)).get("/api/exchange/v1/disputes/" + id).then().statusCode(404);
        // only the 主管部门 moves it
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "x"))
                .post("/api/exchange/v1/disputes/" + id + "/escalate").then().statusCode(403);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "涉及法律适用，提请政府协调"))
                .post("/api/exchange/v1/disputes/" + id + "/escalate").then().statusCode(200)
                .body("level", equalTo("PEOPLES_GOVERNMENT"));
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 1, "reason", "再上"))
                .post("/api/exchange/v1/disputes/" + id + "/escalate").then().statusCode(409);
        // 不予共享 rests on the catalogue's legal basis: not resolved SHARE (R1), only upheld
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "outcome", "SHARE", "resolution", "经协调，应按有条件共享办理"))
                .post("/api/exchange/v1/disputes/" + id + "/resolve").then().statusCode(409);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "outcome", "UPHOLD", "resolution", "目录所列法律依据成立"))
                .post("/api/exchange/v1/disputes/" + id + "/resolve").then().statusCode(200)
                .body("status", equalTo("RESOLVED_UPHELD"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + notShared).then()
                .body("status", equalTo("NOT_SHARED"));

        // a refusal of conditional data resolved SHARE goes back to the provider
        long refused = RequestWorkflowTest.file(consumer,
                RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("ZY"))).jsonPath().getLong("id");
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "用途不符")).post("/api/exchange/v1/requests/" + refused + "/refuse")
                .then().statusCode(200);
        long shared = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(refusalDispute(refused, "履行法定职责确需该数据"))
                .post("/api/exchange/v1/disputes").then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "SHARE", "resolution", "经协调，应按有条件共享办理"))
                .post("/api/exchange/v1/disputes/" + shared + "/resolve").then().statusCode(200)
                .body("status", equalTo("RESOLVED_SHARE"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + refused).then()
                .body("status", equalTo("PENDING"));
    }

    @Test
    void aRequestReopenedAfterADisputeKeepsNothingOfTheOverturnedRefusal() throws Exception {
        String consumer = operator(RequestWorkflowTest.CONSUMER);
        String provider = TestTokens.custom(Map.of("sub", "zheng-" + RequestWorkflowTest.PROVIDER, "aud", AUD,
                "roles", List.of("operator", "head"), "dept", RequestWorkflowTest.PROVIDER, "account_type",
                "civil_servant", "name", "郑处长"));
        long id = RequestWorkflowTest.file(consumer,
                RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("ZY"))).jsonPath().getLong("id");
        given().auth().oauth2(provider).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "用途不符")).post("/api/exchange/v1/requests/" + id + "/refuse")
                .then().statusCode(200).body("status", equalTo("REFUSED")).body("providerHeadApprover", equalTo("郑处长"))
                .body("decidedAt", notNullValue());
        long dispute = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(refusalDispute(id, "履行法定职责确需该数据"))
                .post("/api/exchange/v1/disputes").then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "SHARE", "resolution", "经协调，应按有条件共享办理"))
                .post("/api/exchange/v1/disputes/" + dispute + "/resolve").then().statusCode(200);

        // pending again, undecided: no approver nor decision time of the refusal the 主管部门 overturned
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id).then().statusCode(200)
                .body("status", equalTo("PENDING")).body("providerHeadApprover", nullValue())
                .body("decidedAt", nullValue());
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT provider_head_approver_subject, decided_at FROM share_request "
                        + "WHERE id = " + id)) {
            assertTrue(rs.next());
            assertNull(rs.getString(1));
            assertNull(rs.getObject(2));
        }
        // the refusal stays in the history with its approver
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id + "/history").then()
                .body("action", hasItem("REOPEN_AFTER_DISPUTE"));

        // the provider's answer now is its own decision
        int version = given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + id).jsonPath()
                .getInt("version");
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", version)).post("/api/exchange/v1/requests/" + id + "/approve").then()
                .statusCode(200).body("status", equalTo("APPROVED"))
                .body("providerHeadApprover", notNullValue())
                .body("decidedAt", notNullValue());
    }

    /** A dispute about a refusal, with the negotiation that preceded it. */
    static Map<String, Object> refusalDispute(long requestId, String reason) {
        return Map.of("requestId", requestId, "reason", reason, "negotiation", negotiation("2025-12-01"));
    }

    static Map<String, Object> negotiation(String date) {
        return Map.of("date", date, "participants", List.of("省民政厅 王科长", "省应急管理厅 李处长"),
                "outcome", "提供部门坚持原决定，双方未达成一致");
    }

    /** A grant of {@code consumer} on a fresh entry, suspended by its provider: a grant a dispute may be about. */
    static long suspendedByProvider(cn.onenet.exchange.service.CatalogReplicaService replica, String code,
            String consumer) {
        long grant = GrantDisposalTest.approved(replica, code, consumer, null);
        DeliveryTest.governGrant(operator(RequestWorkflowTest.PROVIDER), grant, "suspend", 0, "接口调用异常，暂停核查")
                .then().statusCode(200);
        return grant;
    }

    static io.restassured.response.Response openOnGrant(String token, String subject, long grant,
            Map<String, Object> negotiation) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("subject", subject);
        body.put("grantId", grant);
        body.put("reason", "提供部门的决定理由不成立，本部门仍须履行法定职责");
        if (negotiation != null) {
            body.put("negotiation", negotiation);
        }
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/disputes");
    }

    @Test
    void aProvidersTerminationCanBeDisputed() {
        String dept = "11330000MB00000571";
        String consumer = operator(dept);
        RequestWithdrawAndExtensionTest.at(2026, 12, 7, time);
        long grant = GrantDisposalTest.approved(replica, "330000-01-02/905701", consumer, null);
        // in force, the grant has no termination to dispute
        openOnGrant(consumer, "TERMINATION", grant, negotiation("2026-12-07")).then().statusCode(409);
        GrantDisposalTest.terminate(operator(RequestWorkflowTest.PROVIDER), grant, 0, null).then().statusCode(200);

        long id = openOnGrant(consumer, "TERMINATION", grant, negotiation("2026-12-07")).then().statusCode(201)
                .body("subject", equalTo("TERMINATION")).body("grantId", equalTo((int) grant))
                .body("negotiation.date", equalTo("2026-12-07"))
                .body("negotiation.participants", hasItem("省应急管理厅 李处长"))
                .body("negotiation.outcome", equalTo("提供部门坚持原决定，双方未达成一致"))
                .body("level", equalTo("COMPETENT_AUTHORITY")).body("handlerDepartmentCode", equalTo(DemoData.AUTHORITY))
                .body("status", equalTo("OPEN")).extract().jsonPath().getLong("id");
        // routed as disputes over refusals are: the region's 主管部门 is told
        assertEquals(1L, (long) io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() ->
                cn.onenet.exchange.model.Notice.count("departmentCode = ?1 and kind = 'DISPUTE_OPENED' "
                        + "and subjectType = 'DISPUTE' and subjectId = ?2", DemoData.AUTHORITY, id)));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/disputes/" + id + "/history").then().statusCode(200)
                .body("find { it.action == 'OPEN' }.details.negotiation.outcome", equalTo("提供部门坚持原决定，双方未达成一致"))
                .body("find { it.action == 'OPEN' }.details.subject", equalTo("TERMINATION"));
        // one open dispute of a kind per grant
        openOnGrant(consumer, "TERMINATION", grant, negotiation("2026-12-07")).then().statusCode(409);

        // while it is open the unconfirmed disposal is not escalated
        LocalDate after = LocalDate.of(2027, 1, 15);
        RequestWithdrawAndExtensionTest.at(after.getYear(), after.getMonthValue(), after.getDayOfMonth(), time);
        disposals.run();
        assertEquals(0, DeliveryDeadlineTest.notices(DemoData.AUTHORITY, DisposalDeadlines.OVERDUE, grant));
        // decided: the disposal is due again from the day of the decision
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "UPHOLD", "resolution", "终止理由成立，维持终止"))
                .post("/api/exchange/v1/disputes/" + id + "/resolve").then().statusCode(200)
                .body("status", equalTo("RESOLVED_UPHELD"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("disposalDue", equalTo(calendar.calendar().addWorkingDays(after, 10).toString()))
                .body("disposalOverdue", equalTo(false));

        // a termination by the 主管部门 is its own decision, not the provider's: not disputed here
        long byAuthority = GrantDisposalTest.approved(replica, "330000-01-02/905702", consumer, null);
        DeliveryTest.governGrant(reviewer(), byAuthority, "terminate", 0, "违规使用未整改").then().statusCode(200);
        openOnGrant(consumer, "TERMINATION", byAuthority, negotiation("2027-01-15")).then().statusCode(409);
    }

    @Test
    void aDisputeWithoutANegotiationRecordIsRefusedNamingTheField() {
        String dept = "11330000MB00000572";
        String consumer = operator(dept);
        long grant = suspendedByProvider(replica, "330000-01-02/905703", consumer);
        openOnGrant(consumer, "SUSPENSION", grant, null).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("negotiation"));
        // a refusal too is disputed only after the departments negotiated (条例第二十八条)
        long refused = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(FakeCatalog.NOT_SHARED,
                List.of("GMSFHM"))).then().statusCode(201).body("status", equalTo("NOT_SHARED")).extract().jsonPath()
                .getLong("id");
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("requestId", refused, "reason", "履行法定职责确需该数据")).post("/api/exchange/v1/disputes")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("negotiation"));
        openOnGrant(consumer, "SUSPENSION", grant, Map.of("participants", List.of(" "))).then().statusCode(400)
                .body("errors.field", hasItems("negotiation.date", "negotiation.participants[0]",
                        "negotiation.outcome"));
        openOnGrant(consumer, "SUSPENSION", grant, negotiation(LocalDate.now(TimeSource.ZONE).plusDays(2).toString()))
                .then().statusCode(400).body("errors.field", hasItem("negotiation.date"));
        openOnGrant(consumer, "SUSPENSION", grant, Map.of("date", "yesterday")).then().statusCode(400);
        openOnGrant(consumer, "ANNOYANCE", grant, negotiation("2026-12-01")).then().statusCode(400)
                .body("errors.field", hasItem("subject"));
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("subject", "SUSPENSION", "reason", "x", "negotiation", negotiation("2026-12-01")))
                .post("/api/exchange/v1/disputes").then().statusCode(400).body("errors.field", hasItem("grantId"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/disputes?status=OPEN").then()
                .header(GrantResource.TOTAL_COUNT, "0");

        // with it, the provider's suspension is disputed; decided for the consumer, the grant is resumed
        long id = openOnGrant(consumer, "SUSPENSION", grant, negotiation("2026-12-01")).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "outcome", "SHARE", "resolution", "暂停理由不成立，恢复授权"))
                .post("/api/exchange/v1/disputes/" + id + "/resolve").then().statusCode(200)
                .body("status", equalTo("RESOLVED_SHARE"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("status", equalTo("ACTIVE")).body("suspendedBy", nullValue());
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("find { it.action == 'RESUME' }.details.changed.disputeId", equalTo((int) id));
    }

    @Test
    void aDisputeAboutAGrantOfAnotherDepartmentIsNotFound() {
        String consumer = operator("11330000MB00000573");
        long grant = suspendedByProvider(replica, "330000-01-02/905704", consumer);
        // another department, and the provider itself: no such grant of theirs to dispute
        openOnGrant(operator("11330000MB00000574"), "SUSPENSION", grant, negotiation("2026-12-01")).then()
                .statusCode(404).contentType("application/problem+json");
        openOnGrant(operator(RequestWorkflowTest.PROVIDER), "SUSPENSION", grant, negotiation("2026-12-01")).then()
                .statusCode(404);
        openOnGrant(consumer, "SUSPENSION", 987654321L, negotiation("2026-12-01")).then().statusCode(404);
        // only operators open disputes
        openOnGrant(reviewer(), "SUSPENSION", grant, negotiation("2026-12-01")).then().statusCode(403);
        // a suspension by the 主管部门 is not the provider's
        long byAuthority = GrantDisposalTest.approved(replica, "330000-01-02/905705", consumer, null);
        DeliveryTest.governGrant(reviewer(), byAuthority, "suspend", 0, "疑似泄露，暂停待查").then().statusCode(200);
        openOnGrant(consumer, "SUSPENSION", byAuthority, negotiation("2026-12-01")).then().statusCode(409);
    }

    @Test
    void aLateAnswerAndUndeliveredDataCanBeDisputed() {
        String consumer = operator("11330000MB00000575");
        RequestWithdrawAndExtensionTest.at(2026, 12, 7, time);
        String code = "330000-01-02/905706";
        GrantDisposalTest.catalogued(replica, code);
        long request = GrantDisposalTest.pending(consumer, code);
        Map<String, Object> late = new java.util.HashMap<>(Map.of("subject", "LATE_ANSWER", "requestId", request,
                "reason", "逾期未答复，影响低保审核", "negotiation", negotiation("2026-12-07")));
        // within the answer time: nothing late
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(late).post("/api/exchange/v1/disputes")
                .then().statusCode(409);
        RequestWithdrawAndExtensionTest.at(2026, 12, 28, time);
        late.put("negotiation", negotiation("2026-12-28"));
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(late).post("/api/exchange/v1/disputes")
                .then().statusCode(201).body("subject", equalTo("LATE_ANSWER"))
                .body("requestId", equalTo((int) request)).body("grantId", nullValue());

        // approved, the data not delivered by its deadline
        long grant = GrantDisposalTest.approve(request, null).then().statusCode(200).extract().jsonPath()
                .getLong("grantId");
        openOnGrant(consumer, "NON_DELIVERY", grant, negotiation("2026-12-28")).then().statusCode(409);
        RequestWithdrawAndExtensionTest.at(2027, 2, 22, time);
        openOnGrant(consumer, "NON_DELIVERY", grant, negotiation("2027-02-22")).then().statusCode(201)
                .body("subject", equalTo("NON_DELIVERY"));
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).get("/api/exchange/v1/disputes?status=OPEN")
                .then().statusCode(200).body("subject", hasItems("LATE_ANSWER", "NON_DELIVERY"));
    }

    @Test
    void objectionsAreAnsweredByTheProviderAndEscalateWhenOverdue() {
        String consumer = operator(DemoData.HUMAN_RESOURCES); // holds the demo grant on 居民户籍信息
        String provider = operator(DemoData.POLICE);
        time.set(Clock.fixed(ZonedDateTime.of(2026, 9, 28, 10, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        long id = given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", FakeCatalog.POPULATION, "recordKey", "33010619850312001X",
                        "description", "户籍地址已变更为文三路 200 号"))
                .post("/api/exchange/v1/objections").then().statusCode(201).body("status", equalTo("OPEN"))
                .body("dueOn", equalTo("2026-10-16")).extract().jsonPath().getLong("id");
        // without a grant there is no objection
        given().auth().oauth2(operator(DemoData.EMERGENCY)).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", FakeCatalog.POPULATION, "recordKey", "33010619850312001X",
                        "description", "x"))
                .post("/api/exchange/v1/objections").then().statusCode(403);
        given().auth().oauth2(provider).get("/api/exchange/v1/objections/" + id).then().statusCode(200)
                .body("status", equalTo("OPEN"));
        time.set(Clock.fixed(ZonedDateTime.of(2026, 10, 19, 9, 0, 0, 0, TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        objections.escalateOverdue();
        objections.escalateOverdue();
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/objections/" + id).then().body("escalated", equalTo(true));
        // the department that filed it is told, once, that it went to the 主管部门
        given().auth().oauth2(consumer).get("/api/exchange/v1/notices").then()
                .body("findAll { it.kind == 'OBJECTION_OVERDUE' && it.subjectId == " + id + " }.size()", equalTo(1))
                .body("find { it.kind == 'OBJECTION_OVERDUE' && it.subjectId == " + id + " }.message",
                        containsString("2026-10-16"));
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("version", 1, "reason", "x"))
                .post("/api/exchange/v1/objections/" + id + "/answer").then().statusCode(404);
        // 已更正 while the record is as it was when the objection was filed: 409, nothing changed
        given().auth().oauth2(provider).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "outcome", "CORRECTED", "reason", "已核实并更正户籍地址"))
                .post("/api/exchange/v1/objections/" + id + "/answer").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("记录尚未更正：请先上传更正后的数据"));
        given().auth().oauth2(provider).get("/api/exchange/v1/objections/" + id).then().body("status", equalTo("OPEN"));
        try (var upload = CorrectedUpload.of(FakeCatalog.POPULATION, "33010619850312001X", "HJDZ")) {
            given().auth().oauth2(provider).contentType(ContentType.JSON)
                    .body(Map.of("version", 1, "outcome", "CORRECTED", "reason", "已核实并更正户籍地址"))
                    .post("/api/exchange/v1/objections/" + id + "/answer").then().statusCode(200)
                    .body("status", equalTo("ANSWERED"));
        }
        given().auth().oauth2(consumer).get("/api/exchange/v1/objections/" + id).then()
                .body("answer", equalTo("已核实并更正户籍地址"));
    }
}
