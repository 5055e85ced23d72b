package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * A single calendar day entered as what it already is — a holiday on a Saturday or Sunday, a make-up working day on a
 * Monday to Friday — changes nothing and is refused; the weekend days of a holiday period are kept.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class CalendarNoOpEntryTest {

    private static final String C = "/api/catalog/v1/calendar";

    private static ValidatableResponse put(String day, String kind, String name) {
        return as(admin()).header("X-Request-Id", "noop-" + day)
                .body(Map.of("kind", kind, "name", name, "reason", "国办发明电〔2028〕1号")).put(C + "/" + day).then();
    }

    private static void remove(String... days) {
        for (String day : days) {
            as(admin()).queryParam("reason", "测试结束").delete(C + "/" + day);
        }
    }

    private static void refused(String day, String kind, String... words) {
        put(day, kind, "测试").statusCode(400).contentType("application/problem+json")
                .body("requestId", equalTo("noop-" + day))
                .body("errors.field", equalTo(List.of("kind")))
                .body("errors[0].message", allOf(containsString(day), containsString(words[0]), containsString(words[1]),
                        containsString("日期"), containsString("date")));
        as(auditor()).queryParam("day", day).get(C + "/changes").then().statusCode(200).body("$", hasSize(0));
        as(auditor()).queryParam("year", day.substring(0, 4)).get(C).then().body("day", not(hasItem(day)));
    }

    @Test
    void aHolidayOnAWeekendAndAMakeUpDayOnAWeekdayAreRefused() {
        refused("2026-12-19", "holiday", "星期六", "Saturday");
        refused("2026-12-20", "holiday", "星期日", "Sunday");
        refused("2026-12-16", "workday", "星期三", "Wednesday");
        // a weekday holiday turned into a make-up working day is a removal: refused, the holiday stays
        try {
            put("2028-03-08", "holiday", "测试假日").statusCode(200);
            put("2028-03-08", "workday", "测试").statusCode(400).contentType("application/problem+json")
                    .body("errors.field", equalTo(List.of("kind")))
                    .body("errors[0].message", allOf(containsString("星期三"), containsString("remove")));
            as(auditor()).queryParam("day", "2028-03-08").get(C + "/changes").then().body("$", hasSize(1));
            as(auditor()).queryParam("year", 2028).get(C).then()
                    .body("find { it.day == '2028-03-08' }.kind", equalTo("holiday"));
        } finally {
            remove("2028-03-08");
        }
    }

    @Test
    void theWeekendDaysOfAHolidayPeriodAreKept() {
        // the seeded periods list their weekends (国庆节 2026: Saturday 10-03 and Sunday 10-04)
        as(auditor()).queryParam("year", 2026).get(C).then().statusCode(200)
                .body("findAll { it.kind == 'holiday' }.day", hasItems("2026-10-03", "2026-10-04", "2026-02-21"));
        try {
            // entered in order from a Friday: the weekend follows it
            put("2028-03-10", "holiday", "测试假期").statusCode(200);
            put("2028-03-11", "holiday", "测试假期").statusCode(200);
            put("2028-03-12", "holiday", "测试假期").statusCode(200);
            // a period beginning on a Saturday: its weekend once a weekday of it is entered
            refused("2028-03-18", "holiday", "星期六", "Saturday");
            put("2028-03-20", "holiday", "测试假期二").statusCode(200);
            put("2028-03-19", "holiday", "测试假期二").statusCode(200);
            put("2028-03-18", "holiday", "测试假期二").statusCode(200);
            // a fixed-date holiday on a weekend (劳动节 2027 on a Saturday), and a make-up day on a weekday one
            put("2027-05-01", "holiday", "劳动节").statusCode(200);
            put("2027-10-01", "workday", "测试调休上班").statusCode(200);
            // a weekend make-up day back to a holiday changes something
            put("2028-03-25", "workday", "测试调休上班").statusCode(200);
            put("2028-03-25", "holiday", "测试").statusCode(200);
        } finally {
            remove("2028-03-10", "2028-03-11", "2028-03-12", "2028-03-18", "2028-03-19", "2028-03-20", "2027-05-01",
                    "2027-10-01", "2028-03-25");
        }
    }

    @Test
    void aStoredWeekendHolidayPutAgainOrRenamedIsTakenAfterItsWeekdayWasRemoved() {
        try {
            put("2028-04-07", "holiday", "测试假期三").statusCode(200);
            put("2028-04-08", "holiday", "测试假期三").statusCode(200);
            remove("2028-04-07");
            // the same again changes nothing and records nothing
            put("2028-04-08", "holiday", "测试假期三").statusCode(200).body("name", equalTo("测试假期三"));
            as(auditor()).queryParam("day", "2028-04-08").get(C + "/changes").then().body("$", hasSize(1));
            // a new name is taken and recorded
            put("2028-04-08", "holiday", "测试假期三（更正）").statusCode(200).body("name", equalTo("测试假期三（更正）"));
            as(auditor()).queryParam("day", "2028-04-08").get(C + "/changes").then().body("$", hasSize(2));
        } finally {
            remove("2028-04-07", "2028-04-08");
        }
    }

    @Test
    void aWeekendMakeUpWorkingDayEndsAHolidayPeriod() {
        try {
            put("2028-04-14", "holiday", "测试假期四").statusCode(200);
            put("2028-04-15", "workday", "测试调休上班").statusCode(200);
            // Sunday after a Saturday of work is not joined to Friday's holiday
            refused("2028-04-16", "holiday", "星期日", "Sunday");
        } finally {
            remove("2028-04-14", "2028-04-15", "2028-04-16");
        }
    }

    @Test
    void aFixedDateHolidayOnAWeekendAnchorsTheWeekendDayBesideIt() {
        // 元旦 2028-01-01 is a Saturday: the notice's Sunday is taken before its Monday is entered
        try {
            put("2028-01-02", "holiday", "元旦").statusCode(200);
            as(auditor()).queryParam("year", 2028).get(C).then()
                    .body("find { it.day == '2028-01-02' }.kind", equalTo("holiday"));
        } finally {
            remove("2028-01-02");
        }
    }
}
