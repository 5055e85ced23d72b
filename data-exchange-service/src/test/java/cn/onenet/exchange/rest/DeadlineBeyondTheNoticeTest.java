package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.TimeSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The calendar is the State Council's notices for 2025 and 2026: after them only the fixed-date holidays of
 * 《全国年节及纪念日放假办法》 are known, so a deadline there skips 元旦 but is marked provisional.
 */
@QuarkusTest
class DeadlineBeyondTheNoticeTest extends ExchangeTestBase {

    static final String OBJECTIONS = "/api/exchange/v1/objections";

    @Inject
    TimeSource time;
    @Inject
    CalendarService calendar;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    void today(int year, int month, int day) {
        time.set(Clock.fixed(ZonedDateTime.of(year, month, day, 10, 0, 0, 0, TimeSource.ZONE).toInstant(),
                TimeSource.ZONE));
    }

    static long objection(String consumer, String recordKey) {
        return given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(Map.of("resourceCode", FakeCatalog.POPULATION, "recordKey", recordKey,
                        "description", "户籍地址已变更"))
                .post(OBJECTIONS).then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void theFixedDateHolidaysCountAfterTheLastNotice() {
        calendar.check();
        // 元旦 2027, 劳动节 and 国庆节 2027 are rest days although no notice for 2027 was entered
        assertEquals(LocalDate.parse("2027-01-04"), calendar.calendar().addWorkingDays(LocalDate.parse("2026-12-18"), 10));
        assertEquals(LocalDate.parse("2027-05-03"), calendar.calendar().addWorkingDays(LocalDate.parse("2027-04-30"), 1));
        assertEquals(LocalDate.parse("2027-10-04"), calendar.calendar().addWorkingDays(LocalDate.parse("2027-09-30"), 1));
        // a day the notice does not name stays as it was: 2 January 2027 is a Saturday, 5 January a working day
        assertEquals(LocalDate.parse("2027-01-05"), calendar.calendar().addWorkingDays(LocalDate.parse("2027-01-04"), 1));
        // the covered years are the notice's: 国庆节 2026 runs to 7 October, 2026-10-10 is a make-up working day
        assertEquals(LocalDate.parse("2026-10-08"), calendar.calendar().addWorkingDays(LocalDate.parse("2026-09-30"), 1));
        assertEquals(LocalDate.parse("2026-10-10"), calendar.calendar().addWorkingDays(LocalDate.parse("2026-10-09"), 1));
    }

    @Test
    void theCalendarShowsItsCoverageAndADeadlineBeyondItIsProvisional() {
        calendar.check();
        given().auth().oauth2(auditor()).get("/api/exchange/v1/calendar/status").then().statusCode(200)
                .body("coveredUntil", equalTo("2026-12-31"));
        String consumer = operator(DemoData.HUMAN_RESOURCES); // holds the demo grant on 居民户籍信息
        today(2026, 12, 1);
        long inside = objection(consumer, DemoData.CITIZENS.get(0));
        today(2026, 12, 18);
        long beyond = objection(consumer, DemoData.CITIZENS.get(1));
        given().auth().oauth2(consumer).get(OBJECTIONS + "/" + inside).then().statusCode(200)
                .body("dueOn", equalTo("2026-12-15")).body("dueOnProvisional", equalTo(false));
        given().auth().oauth2(consumer).get(OBJECTIONS + "/" + beyond).then().statusCode(200)
                .body("dueOn", equalTo("2027-01-04")).body("dueOnProvisional", equalTo(true));
        String requester = operator(RequestWorkflowTest.CONSUMER);
        long request = RequestWorkflowTest.file(requester,
                RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        given().auth().oauth2(requester).get("/api/exchange/v1/requests/" + request).then().statusCode(200)
                .body("dueOn", equalTo("2027-01-04")).body("dueOnProvisional", equalTo(true));
    }

    @Test
    void aGrantsDeliveryDueBeyondTheNoticeIsProvisionalAsTheOtherDeadlines() {
        calendar.check();
        String code = "330000-01-02/900749";
        DeliveryDeadlineTest.catalogued(replica, code);
        String consumer = operator("11330000MB00000741");
        today(2026, 12, 1);
        long inside = DeliveryDeadlineTest.approved(consumer, code);
        today(2026, 12, 18);
        long beyond = DeliveryDeadlineTest.approved(consumer, code);
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + inside).then().statusCode(200)
                .body("deliveryDue", equalTo("2026-12-29")).body("deliveryDueProvisional", equalTo(false))
                .body("disposalDue", nullValue()).body("disposalDueProvisional", equalTo(false))
                .body("rectificationDueProvisional", equalTo(false));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants/" + beyond).then().statusCode(200)
                .body("deliveryDue", equalTo("2027-01-18")).body("deliveryDueProvisional", equalTo(true));
        given().auth().oauth2(consumer).get("/api/exchange/v1/grants?resourceCode=" + code).then().statusCode(200)
                .body("find { it.id == " + beyond + " }.deliveryDueProvisional", equalTo(true));
    }

    @Test
    void enteringTheNextNoticeMovesTheDeadlinesOfOpenMattersOnly() {
        calendar.check();
        String consumer = operator(DemoData.HUMAN_RESOURCES);
        String provider = operator(DemoData.POLICE);
        today(2026, 12, 18);
        long open = objection(consumer, DemoData.CITIZENS.get(2));
        long answered = objection(consumer, DemoData.CITIZENS.get(3));
        int answeredVersion = given().auth().oauth2(provider).get(OBJECTIONS + "/" + answered).then()
                .extract().path("version");
        try (var upload = CorrectedUpload.of(FakeCatalog.POPULATION, DemoData.CITIZENS.get(3), "HJDZ")) {
            given().auth().oauth2(provider).contentType(ContentType.JSON)
                    .body(Map.of("version", answeredVersion, "outcome", "CORRECTED", "reason", "已核实并更正户籍地址"))
                    .post(OBJECTIONS + "/" + answered + "/answer").then().statusCode(200);
        }
        String requester = operator(RequestWorkflowTest.CONSUMER);
        long request = RequestWorkflowTest.file(requester,
                RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        // a request whose 5-working-day extension was approved: 15 working days in all
        long extended = RequestWorkflowTest.file(requester,
                RequestWorkflowTest.body(FakeCatalog.CONDITIONAL, List.of("XM"))).jsonPath().getLong("id");
        given().auth().oauth2(operator(RequestWorkflowTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "需核对历史数据", "days", 5))
                .post("/api/exchange/v1/requests/" + extended + "/extension").then().statusCode(200);
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 1))
                .post("/api/exchange/v1/requests/" + extended + "/extension/approve").then().statusCode(200)
                .body("dueOn", equalTo("2027-01-11"));
        int openVersion = given().auth().oauth2(provider).get(OBJECTIONS + "/" + open).then()
                .body("dueOn", equalTo("2027-01-04")).extract().path("version");
        try {
            // the 2027 notice entered in the catalogue (a 元旦 holiday on Monday 4 January, for the test) through to
            // 春节 and the 国庆节 week, which make the year covered
            FakeCatalog.putCalendarDay("2027-01-01", "holiday", "元旦");
            FakeCatalog.putCalendarDay("2027-01-04", "holiday", "元旦");
            FakeCatalog.putCalendarDay("2027-02-06", "holiday", "春节");
            FakeCatalog.putCalendarDay("2027-10-07", "holiday", "国庆节");
            calendar.check();
            given().auth().oauth2(provider).get(OBJECTIONS + "/" + open).then().statusCode(200)
                    .body("dueOn", equalTo("2027-01-05")).body("dueOnProvisional", equalTo(false))
                    .body("version", equalTo(openVersion));
            given().auth().oauth2(provider).get(OBJECTIONS + "/" + open + "/history").then().statusCode(200)
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.previousDueOn", equalTo("2027-01-04"))
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.dueOn", equalTo("2027-01-05"));
            given().auth().oauth2(provider).get("/api/exchange/v1/notices").then().statusCode(200)
                    .body("findAll { it.kind == 'DEADLINE_RECOUNTED' }.subjectId", hasItem((int) open));
            given().auth().oauth2(requester).get("/api/exchange/v1/requests/" + request).then()
                    .body("dueOn", equalTo("2027-01-05"));
            given().auth().oauth2(requester).get("/api/exchange/v1/requests/" + extended).then()
                    .body("dueOn", equalTo("2027-01-12"));
            // an answered objection keeps its date
            given().auth().oauth2(provider).get(OBJECTIONS + "/" + answered).then()
                    .body("status", equalTo("ANSWERED")).body("dueOn", equalTo("2027-01-04"));
            // the answer may still be sent with the version read before
            given().auth().oauth2(provider).contentType(ContentType.JSON)
                    .body(Map.of("version", openVersion, "outcome", "CONFIRMED_CORRECT", "reason", "已核实"))
                    .post(OBJECTIONS + "/" + open + "/answer").then().statusCode(200);
        } finally {
            for (String day : List.of("2027-01-01", "2027-01-04", "2027-02-06", "2027-10-07")) {
                FakeCatalog.removeCalendarDay(day);
            }
            calendar.check();
        }
        // back to the statute alone: the request still open follows
        given().auth().oauth2(requester).get("/api/exchange/v1/requests/" + request).then()
                .body("dueOn", equalTo("2027-01-04")).body("dueOnProvisional", equalTo(true));
    }

    /** A recount keeps the version, so a transaction that read the matter before must not write the old date back. */
    @Test
    void aRecountIsNotUndoneByATransactionThatReadTheMatterBefore() {
        calendar.check();
        String consumer = operator(DemoData.HUMAN_RESOURCES);
        today(2026, 12, 18);
        long id = objection(consumer, DemoData.CITIZENS.get(0));
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Objection stale = Objection.findById(id);
                assertEquals(LocalDate.parse("2027-01-04"), stale.dueOn);
                QuarkusTransaction.requiringNew().run(() -> {
                    FakeCatalog.putCalendarDay("2027-01-01", "holiday", "元旦");
                    FakeCatalog.putCalendarDay("2027-01-04", "holiday", "元旦");
                    calendar.check();
                });
                stale.description = stale.description + "（补充说明）";
            });
            given().auth().oauth2(consumer).get(OBJECTIONS + "/" + id).then().statusCode(200)
                    .body("dueOn", equalTo("2027-01-05")).body("description", equalTo("户籍地址已变更（补充说明）"));
        } finally {
            FakeCatalog.removeCalendarDay("2027-01-01");
            FakeCatalog.removeCalendarDay("2027-01-04");
            calendar.check();
        }
    }
}
