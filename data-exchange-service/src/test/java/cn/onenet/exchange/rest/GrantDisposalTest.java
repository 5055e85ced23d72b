package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import cn.onenet.exchange.service.CatalogReplicaService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.DisposalDeadlines;
import cn.onenet.exchange.service.GrantService;
import cn.onenet.exchange.service.TimeSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * R14 (条例第二十七条第一款、第四十条第四项): the provider states how the consumer disposes of the data (at approval,
 * changeable at termination); an ended grant's disposal is due in working days; a suspension may carry a 整改期限.
 */
@QuarkusTest
class GrantDisposalTest extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;

    @Inject
    TimeSource time;
    @Inject
    CalendarService calendar;
    @Inject
    DisposalDeadlines disposals;
    @Inject
    GrantService grants;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    /** A conditional entry of the provider with no records on the platform (so its grants are undelivered). */
    static void catalogued(CatalogReplicaService replica, String code) {
        FakeCatalog.add("PUBLISHED", code, "测试处置目录 " + code, PROVIDER, "CONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        replica.pollOnce();
    }

    /** A pending request of {@code consumer} on {@code code}, valid 2026-09-01 – 2027-12-31. */
    static long pending(String consumer, String code) {
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        body.put("periodFrom", "2026-09-01");
        body.put("periodTo", "2027-12-31");
        return RequestWorkflowTest.file(consumer, body).then().statusCode(201).body("status", equalTo("PENDING"))
                .extract().jsonPath().getLong("id");
    }

    /** The provider (an operator holding head) approves, with {@code disposal} as its requirement when not null. */
    static Response approve(long request, Map<String, Object> disposal) {
        Map<String, Object> body = new HashMap<>();
        body.put("version", 0);
        if (disposal != null) {
            body.put("disposalRequirement", disposal);
        }
        return given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/requests/" + request + "/approve");
    }

    /** A grant the provider approved for {@code consumer} on a fresh entry {@code code}, with {@code disposal}. */
    static long approved(CatalogReplicaService replica, String code, String consumer, Map<String, Object> disposal) {
        catalogued(replica, code);
        return approve(pending(consumer, code), disposal).then().statusCode(200).extract().jsonPath()
                .getLong("grantId");
    }

    static Map<String, Object> requirement(String method, String instructions) {
        Map<String, Object> m = new HashMap<>();
        m.put("method", method);
        m.put("instructions", instructions);
        return m;
    }

    static Response terminate(String token, long grant, int version, Map<String, Object> disposal) {
        Map<String, Object> body = new HashMap<>();
        body.put("version", version);
        body.put("reason", "业务职能调整，共享用途已不存在");
        if (disposal != null) {
            body.put("disposalRequirement", disposal);
        }
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/grants/" + grant + "/terminate");
    }

    static int version(String token, long grant) {
        return given().auth().oauth2(token).get("/api/exchange/v1/grants/" + grant).then().statusCode(200).extract()
                .jsonPath().getInt("version");
    }

    @Test
    void aBadDisposalRequirementIs400AndNothingIsApproved() {
        String consumer = operator("11330000MB00000561");
        String code = "330000-01-02/905601";
        catalogued(replica, code);
        long request = pending(consumer, code);
        approve(request, requirement("BURN", null)).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("disposalRequirement.method"));
        approve(request, requirement("OTHER", " ")).then().statusCode(400)
                .body("errors.field", hasItem("disposalRequirement.instructions"));
        approve(request, requirement("DELETE", "删".repeat(2001))).then().statusCode(400)
                .body("errors.field", hasItem("disposalRequirement.instructions"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/requests/" + request).then()
                .body("status", equalTo("PENDING")).body("grantId", nullValue());

        // the grant keeps what the provider stated; the history's CREATE row says it too
        long grant = approve(request, requirement("OTHER", "交由本部门档案室封存十年后销毁")).then().statusCode(200)
                .extract().jsonPath().getLong("grantId");
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("disposalRequirement.method", equalTo("OTHER"))
                .body("disposalRequirement.label", equalTo("其他（见处置说明）"))
                .body("disposalRequirement.instructions", equalTo("交由本部门档案室封存十年后销毁"))
                .body("disposalRequirement.statedByProvider", equalTo(true)).body("disposalDue", nullValue());
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("find { it.action == 'CREATE' }.details.disposalRequirement.method", equalTo("OTHER"));
    }

    @Test
    void aRequirementProposedByAClerkIsGrantedWithItsHeadsApproval() {
        String consumer = operator("11330000MB00000567");
        String code = "330000-01-02/905607";
        catalogued(replica, code);
        long request = pending(consumer, code);
        given().auth().oauth2(operatorOnly("clerk-567", PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "disposalRequirement", requirement("ARCHIVE_SEALED", "封存于本部门档案室")))
                .post("/api/exchange/v1/requests/" + request + "/approve").then().statusCode(200)
                .body("status", equalTo("ANSWER_AWAITING_HEAD"))
                .body("proposedAnswer.disposalRequirement.method", equalTo("ARCHIVE_SEALED"));
        long grant = given().auth().oauth2(head("head-567", PROVIDER, "钱主任")).contentType(ContentType.JSON)
                .body(Map.of("version", 1)).post("/api/exchange/v1/requests/" + request + "/answer-approval").then()
                .statusCode(200).body("status", equalTo("APPROVED")).extract().jsonPath().getLong("grantId");
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("disposalRequirement.method", equalTo("ARCHIVE_SEALED"))
                .body("disposalRequirement.instructions", equalTo("封存于本部门档案室"));
    }

    @Test
    void theProviderChangesTheRequirementAtTerminationAndThe主管部门DoesNot() {
        String consumer = operator("11330000MB00000562");
        long grant = approved(replica, "330000-01-02/905602", consumer, null);
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("disposalRequirement.method", equalTo("DELETE"))
                .body("disposalRequirement.statedByProvider", equalTo(false));

        // the requirement is the provider's: the 主管部门 giving one 403, a bad one 400; nothing ends
        terminate(reviewer(), grant, 0, requirement("RETURN", null)).then().statusCode(403)
                .contentType("application/problem+json");
        terminate(operator(PROVIDER), grant, 0, requirement("SHRED", null)).then().statusCode(400)
                .body("errors.field", hasItem("disposalRequirement.method"));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("status", equalTo("ACTIVE")).body("version", equalTo(0));

        RequestWithdrawAndExtensionTest.at(2026, 12, 7, time);
        LocalDate due = calendar.calendar().addWorkingDays(LocalDate.of(2026, 12, 7), 10);
        terminate(operator(PROVIDER), grant, 0, requirement("RETURN", "交回全部导出文件介质，不得留存副本")).then()
                .statusCode(200).body("status", equalTo("TERMINATED"))
                .body("disposalRequirement.method", equalTo("RETURN"))
                .body("disposalRequirement.label", equalTo("退回提供部门"))
                .body("disposalDue", equalTo(due.toString())).body("disposalOverdue", equalTo(false));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("find { it.action == 'TERMINATE' }.details.changed.disposalRequirement.from.method",
                        equalTo("DELETE"))
                .body("find { it.action == 'TERMINATE' }.details.changed.disposalRequirement.to.method",
                        equalTo("RETURN"))
                .body("find { it.action == 'TERMINATE' }.details.disposalDue", equalTo(due.toString()));
        assertEquals(1, DeliveryDeadlineTest.notices("11330000MB00000562", "GRANT_TERMINATED", grant));

        // the 主管部门 terminates without one: the provider's requirement stays
        long other = approved(replica, "330000-01-02/905603", consumer, requirement("ARCHIVE_SEALED", null));
        terminate(reviewer(), other, 0, null).then().statusCode(200)
                .body("disposalRequirement.method", equalTo("ARCHIVE_SEALED"))
                .body("disposalDue", equalTo(due.toString()));
    }

    static Response relinquish(String token, long grant, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/grants/" + grant + "/relinquish");
    }

    @Test
    void theConsumerRelinquishesItsGrantOnceThePurposeIsAchievedAndThenConfirmsDisposal() {
        String dept = "11330000MB00000581";
        String consumer = operator(dept);
        long grant = approved(replica, "330000-01-02/905621", consumer, null);
        Map<String, Object> ask = Map.of("version", 0, "reason", "使用目的已实现，不再需要该数据");
        // still in force: no disposal to confirm yet
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "已删除"))
                .post("/api/exchange/v1/grants/" + grant + "/disposal").then().statusCode(409);

        // the provider does not relinquish the consumer's grant; other departments do not see it; reviewers have no
        // such action; a reason and the current version are needed; nothing changes meanwhile
        relinquish(operator(PROVIDER), grant, ask).then().statusCode(403).contentType("application/problem+json");
        relinquish(operator("11330000MB00000582"), grant, ask).then().statusCode(404);
        relinquish(reviewer(), grant, ask).then().statusCode(403);
        relinquish(consumer, grant, Map.of("version", 0, "reason", " ")).then().statusCode(400)
                .body("field", equalTo("reason"));
        relinquish(consumer, grant, Map.of("reason", "x")).then().statusCode(400).body("field", equalTo("version"));
        relinquish(consumer, grant, Map.of("version", 3, "reason", "x")).then().statusCode(409);
        // a negative version is malformed, not stale: 400 naming it, here and in the grant's other actions
        relinquish(consumer, grant, Map.of("version", -1, "reason", "x")).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("version"));
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", -1, "reason", "x")).post("/api/exchange/v1/grants/" + grant + "/suspend")
                .then().statusCode(400).body("field", equalTo("version"));
        relinquish(consumer, 999_999_999L, ask).then().statusCode(404);
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("status", equalTo("ACTIVE")).body("version", equalTo(0));

        RequestWithdrawAndExtensionTest.at(2026, 12, 7, time);
        LocalDate due = calendar.calendar().addWorkingDays(LocalDate.of(2026, 12, 7), 10);
        relinquish(consumer, grant, ask).then().statusCode(200).body("status", equalTo("TERMINATED"))
                .body("disposalDue", equalTo(due.toString()));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("find { it.action == 'RELINQUISH' }.actor.departmentCode", equalTo(dept))
                .body("find { it.action == 'RELINQUISH' }.reason", equalTo("使用目的已实现，不再需要该数据"))
                .body("find { it.action == 'RELINQUISH' }.toStatus", equalTo("TERMINATED"));
        assertEquals(1, DeliveryDeadlineTest.notices(PROVIDER, "GRANT_RELINQUISHED", grant));
        relinquish(consumer, grant, Map.of("version", 1, "reason", "x")).then().statusCode(409);

        // the disposal is now confirmed as after any end
        given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "reason", "已删除本部门系统中的全部共享数据")).post("/api/exchange/v1/grants/"
                        + grant + "/disposal").then().statusCode(200).body("disposalConfirmedAt", not(nullValue()));

        // the consumer's head may relinquish too
        long other = approved(replica, "330000-01-02/905622", consumer, null);
        relinquish(head("head-581", dept, "吴主任"), other, ask).then().statusCode(200)
                .body("status", equalTo("TERMINATED"));
    }

    @Test
    void anExpiredGrantsDisposalIsDueAndTheListFilterIsChecked() {
        String dept = "11330000MB00000563";
        String consumer = operator(dept);
        RequestWithdrawAndExtensionTest.at(2026, 12, 7, time);
        String code = "330000-01-02/905604";
        catalogued(replica, code);
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM"));
        body.put("periodFrom", "2026-12-01");
        body.put("periodTo", "2026-12-31");
        long request = RequestWorkflowTest.file(consumer, body).then().statusCode(201).extract().jsonPath()
                .getLong("id");
        long grant = approve(request, requirement("DELETE", "删除业务系统及备份中的全部共享数据")).then().statusCode(200)
                .extract().jsonPath().getLong("grantId");

        RequestWithdrawAndExtensionTest.at(2027, 1, 4, time);
        grants.expireEnded();
        LocalDate due = calendar.calendar().addWorkingDays(LocalDate.of(2027, 1, 4), 10);
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("status", equalTo("EXPIRED")).body("disposalDue", equalTo(due.toString()));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("find { it.action == 'EXPIRE' }.details.disposalDue", equalTo(due.toString()));

        // not overdue yet: the filter does not list it; a bad filter value 400 naming it
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants?disposalOverdue=true&size=200").then()
                .statusCode(200).body("id", not(hasItem((int) grant)));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants?disposalOverdue=soon").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("disposalOverdue"));
        LocalDate after = due.plusDays(1);
        RequestWithdrawAndExtensionTest.at(after.getYear(), after.getMonthValue(), after.getDayOfMonth(), time);
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants?disposalOverdue=true&size=200").then()
                .statusCode(200).body("id", hasItem((int) grant));
        // another department's operator does not see it, overdue or not
        given().auth().oauth2(operator("11330000MB00000564")).get("/api/exchange/v1/grants?disposalOverdue=true")
                .then().statusCode(200).body("id", not(hasItem((int) grant)));
        // a role that reads no grants
        given().auth().oauth2(head("head-563", dept, "周主任")).get("/api/exchange/v1/grants?disposalOverdue=true")
                .then().statusCode(403);
    }

    @Test
    void theDisposalDeadlineFollowsTheNextHolidayNotice() {
        String dept = "11330000MB00000568";
        String consumer = operator(dept);
        long grant = approved(replica, "330000-01-02/905608", consumer, null);
        calendar.check();
        // terminated on 24 December 2026: 10 working days with 元旦 2027 counted by the statute alone
        RequestWithdrawAndExtensionTest.at(2026, 12, 24, time);
        terminate(operator(PROVIDER), grant, 0, null).then().statusCode(200);
        LocalDate before = LocalDate.of(2027, 1, 8);
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("disposalDue", equalTo(before.toString()));
        try {
            // the 2027 notice entered: 4 January a holiday as well (for the test)
            FakeCatalog.putCalendarDay("2027-01-01", "holiday", "元旦");
            FakeCatalog.putCalendarDay("2027-01-04", "holiday", "元旦");
            calendar.check();
            LocalDate after = LocalDate.of(2027, 1, 11);
            given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                    .body("disposalDue", equalTo(after.toString()));
            given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.previousDueOn", equalTo(before.toString()))
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.dueOn", equalTo(after.toString()));
            assertEquals(1, DeliveryDeadlineTest.notices(dept, "DEADLINE_RECOUNTED", grant));
        } finally {
            FakeCatalog.removeCalendarDay("2027-01-01");
            FakeCatalog.removeCalendarDay("2027-01-04");
            calendar.check();
        }
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("disposalDue", equalTo(before.toString()));
    }

    @Test
    void aSuspensionWithARectificationDeadlineIsEscalatedWhenItPasses() {
        String dept = "11330000MB00000565";
        String consumer = operator(dept);
        long grant = approved(replica, "330000-01-02/905605", consumer, null);
        Map<String, Object> body = new HashMap<>(Map.of("version", 0, "reason", "超出授权用途调用，限期整改",
                "rectificationWorkingDays", 0));
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/grants/" + grant + "/suspend").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("rectificationWorkingDays"));
        body.put("rectificationWorkingDays", 61);
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/grants/" + grant + "/suspend").then().statusCode(400);
        // the consumer does not suspend its own grant
        body.put("rectificationWorkingDays", 5);
        given().auth().oauth2(consumer).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/grants/" + grant + "/suspend").then().statusCode(403);

        RequestWithdrawAndExtensionTest.at(2026, 12, 7, time);
        LocalDate due = calendar.calendar().addWorkingDays(LocalDate.of(2026, 12, 7), 5);
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON).body(body)
                .post("/api/exchange/v1/grants/" + grant + "/suspend").then().statusCode(200)
                .body("status", equalTo("SUSPENDED")).body("rectificationDue", equalTo(due.toString()))
                .body("rectificationEscalated", equalTo(false));

        RequestWithdrawAndExtensionTest.at(due.getYear(), due.getMonthValue(), due.getDayOfMonth(), time);
        disposals.run();
        assertEquals(0, DeliveryDeadlineTest.notices(DemoData.AUTHORITY, DisposalDeadlines.RECTIFICATION_OVERDUE,
                grant));
        LocalDate after = due.plusDays(1);
        RequestWithdrawAndExtensionTest.at(after.getYear(), after.getMonthValue(), after.getDayOfMonth(), time);
        disposals.run();
        disposals.run();
        assertEquals(1, DeliveryDeadlineTest.notices(DemoData.AUTHORITY, DisposalDeadlines.RECTIFICATION_OVERDUE,
                grant));
        assertEquals(1, DeliveryDeadlineTest.notices(PROVIDER, DisposalDeadlines.RECTIFICATION_OVERDUE, grant));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant).then()
                .body("rectificationEscalated", equalTo(true));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .body("action", hasItems("SUSPEND", "ESCALATE_RECTIFICATION_OVERDUE"));

        // lifted: no deadline any more
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", version(consumer, grant), "reason", "已整改"))
                .post("/api/exchange/v1/grants/" + grant + "/resume").then().statusCode(200)
                .body("rectificationDue", nullValue()).body("rectificationEscalated", equalTo(false));
    }
}
