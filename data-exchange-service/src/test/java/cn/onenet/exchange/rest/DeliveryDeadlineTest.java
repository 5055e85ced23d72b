package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.DeadlineRecount;
import cn.onenet.exchange.service.DeliveryDeadlines;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.TimeSource;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;

/**
 * 条例第二十二条 (R10): an approved grant's data is due within 20 working days; the first delivery is recorded on the
 * grant, and a grant still undelivered after its due day is escalated once to the provider and the 主管部门.
 */
@QuarkusTest
class DeliveryDeadlineTest extends ExchangeTestBase {

    static final String PROVIDER = RequestWorkflowTest.PROVIDER;

    @Inject
    TimeSource time;
    @Inject
    CalendarService calendar;
    @Inject
    DeliveryDeadlines deadlines;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    static long approved(String consumer, String code) {
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        // a period around the days the test's clock is set to
        body.put("periodFrom", "2026-09-01");
        body.put("periodTo", "2027-12-31");
        long request = RequestWorkflowTest.file(consumer, body).then().statusCode(201).body("status", equalTo("PENDING")).extract().jsonPath().getLong("id");
        return DeliveryTest.approve(request).then().statusCode(200).extract().jsonPath().getLong("grantId");
    }

    /** A conditional entry of the provider whose records are not on the platform yet. */
    void catalogued(String code) {
        catalogued(replica, code);
    }

    static void catalogued(cn.onenet.exchange.service.CatalogReplicaService replica, String code) {
        FakeCatalog.add("PUBLISHED", code, "测试授权目录 " + code, PROVIDER, "CONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
    }

    static JsonPath grant(String token, long id) {
        return given().auth().oauth2(token).get("/api/exchange/v1/grants/" + id).then().statusCode(200).extract()
                .jsonPath();
    }

    static long notices(String department, String kind, long grant) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> cn.onenet.exchange.model.Notice
                .count("departmentCode = ?1 and kind = ?2 and subjectType = 'GRANT' and subjectId = ?3", department,
                        kind, grant));
    }

    @Test
    void anApprovedGrantIsDueIn20WorkingDaysAndEscalatedOnceWhenUndelivered() {
        String code = "330000-01-02/900381";
        catalogued(code);
        String consumer = operator("11330000MB00000380");
        String looker = operator("11330000MB00000381");
        RequestWithdrawAndExtensionTest.at(2026, 9, 28, time);
        LocalDate due = calendar.calendar().addWorkingDays(LocalDate.of(2026, 9, 28),
                DeliveryDeadlines.DELIVERY_WORKING_DAYS);

        long undelivered = approved(consumer, code);
        JsonPath g = grant(consumer, undelivered);
        assertEquals(due.toString(), g.getString("deliveryDue"));
        assertEquals(0, g.getInt("version"), "issued at version 0");
        assertEquals(null, g.getString("firstDeliveredAt"));
        assertEquals(false, g.getBoolean("deliveryEscalated"));

        // delivered by a lookup under the grant: the records arrived while it was suspended (an upload delivers only
        // to grants in force), the first lookup after it resumed delivers
        String later = "330000-01-02/900386";
        catalogued(later);
        long byLookup = approved(looker, later);
        String provider = operator(PROVIDER);
        DeliveryTest.governGrant(provider, byLookup, "suspend", 0, "接口改造暂停").then().statusCode(200);
        given().urlEncodingEnabled(false).auth().oauth2(provider).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "330282196509230044", "XM", "王芳", "ZY", "退休")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(later) + "/records").then().statusCode(201);
        DeliveryTest.governGrant(provider, byLookup, "resume", 1, "改造完成").then().statusCode(200);
        given().auth().oauth2(looker).get("/api/exchange/v1/grants/" + byLookup).then()
                .body("firstDeliveredAt", nullValue());
        DeliveryTest.lookup(looker, later, "330282196509230044").then().statusCode(200);
        given().auth().oauth2(looker).get("/api/exchange/v1/grants/" + byLookup).then()
                .body("firstDeliveredAt", notNullValue()).body("deliveryDue", equalTo(due.toString()));

        // on the due day nothing happens; the day after, the undelivered grant is escalated, once
        RequestWithdrawAndExtensionTest.at(due.getYear(), due.getMonthValue(), due.getDayOfMonth(), time);
        deadlines.escalateUndelivered();
        assertEquals(false, grant(consumer, undelivered).getBoolean("deliveryEscalated"));
        LocalDate after = due.plusDays(1);
        RequestWithdrawAndExtensionTest.at(after.getYear(), after.getMonthValue(), after.getDayOfMonth(), time);
        deadlines.escalateUndelivered();
        deadlines.escalateUndelivered();
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + undelivered).then()
                .body("deliveryEscalated", equalTo(true)).body("status", equalTo("ACTIVE"))
                .body("firstDeliveredAt", nullValue());
        assertEquals(1, notices(PROVIDER, "DELIVERY_OVERDUE", undelivered));
        assertEquals(1, notices(DemoData.AUTHORITY, "DELIVERY_OVERDUE", undelivered));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + undelivered + "/history").then()
                .body("action", hasItem("ESCALATE_UNDELIVERED"));
        given().auth().oauth2(looker).get("/api/exchange/v1/grants/" + byLookup).then()
                .body("deliveryEscalated", equalTo(false));
        assertEquals(0, notices(PROVIDER, "DELIVERY_OVERDUE", byLookup));
    }

    @Test
    void theDeliveryDeadlineFollowsTheNextHolidayNotice() {
        String code = "330000-01-02/900384";
        catalogued(code);
        String consumer = operator("11330000MB00000384");
        calendar.check();
        // approved on 10 December 2026: 20 working days with 元旦 2027 counted by the statute alone
        RequestWithdrawAndExtensionTest.at(2026, 12, 10, time);
        long grant = approved(consumer, code);
        assertEquals("2027-01-08", grant(consumer, grant).getString("deliveryDue"));
        try {
            // the 2027 notice entered: 4 January a holiday as well (for the test)
            FakeCatalog.putCalendarDay("2027-01-01", "holiday", "元旦");
            FakeCatalog.putCalendarDay("2027-01-04", "holiday", "元旦");
            calendar.check();
            assertEquals("2027-01-11", grant(consumer, grant).getString("deliveryDue"));
            given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.previousDueOn", equalTo("2027-01-08"))
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.dueOn", equalTo("2027-01-11"));
            assertEquals(1, notices(PROVIDER, DeadlineRecount.NOTICE, grant));
        } finally {
            FakeCatalog.removeCalendarDay("2027-01-01");
            FakeCatalog.removeCalendarDay("2027-01-04");
            calendar.check();
        }
        assertEquals("2027-01-08", grant(consumer, grant).getString("deliveryDue"));
    }

    @Test
    void theProvidersUploadDeliversAndGrantsByRuleHaveNoDeadline() {
        String code = "330000-01-02/900382";
        catalogued(code);
        String consumer = operator("11330000MB00000383");
        long grant = approved(consumer, code);
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("firstDeliveredAt", nullValue()).body("deliveryDue", notNullValue());
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "330110200102150052", "XM", "刘洋", "ZY", "教师")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + grant).then()
                .body("firstDeliveredAt", notNullValue()).body("version", equalTo(0));

        // records already on the platform when the provider agrees are delivered with the approval
        String ready = "330000-01-02/900385";
        DeliveryTest.freshEntry(replica, ready, "CONDITIONAL");
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + approved(consumer, ready)).then()
                .body("deliveryDue", notNullValue()).body("firstDeliveredAt", notNullValue());

        long byRule = DeliveryTest.fileGranted(consumer, RequestWorkflowTest.body(FakeCatalog.UNCONDITIONAL,
                List.of("GMSFHM", "XM")));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + byRule).then()
                .body("deliveryDue", nullValue());
    }
}
