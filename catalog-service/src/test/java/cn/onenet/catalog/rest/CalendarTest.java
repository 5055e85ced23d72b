package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class CalendarTest {

    private static final String C = "/api/catalog/v1/calendar";

    private static String add(String start, int days) {
        return as(reviewer()).queryParam("start", start).queryParam("days", days).get(C + "/working-days").then()
                .statusCode(200).extract().path("end");
    }

    @Test
    void workingDaysCrossHolidaysAndMakeUpSaturdays() {
        // Friday 2025-02-07 + 1 WD = Saturday 2025-02-08, a 调休 make-up working day
        assertEq("2025-02-08", add("2025-02-07", 1));
        // Monday 2025-01-27 + 1 WD skips the Spring Festival (01-28..02-04) to Wednesday 02-05
        assertEq("2025-02-05", add("2025-01-27", 1));
        // 10 WD from 2025-09-26 (Fri): Sun 09-28 works (1), 10-01..10-08 off, Sat 10-11 works (6) → Thu 10-16
        assertEq("2025-10-16", add("2025-09-26", 10));
        // an ordinary week: Friday + 2 WD = Tuesday
        assertEq("2026-11-24", add("2026-11-20", 2));
        as(reviewer()).queryParam("start", "2025-13-01").queryParam("days", 1).get(C + "/working-days").then()
                .statusCode(400).body("errors[0].field", equalTo("start"));
    }

    @Test
    void adminEditsTheCalendarAndDeadlinesFollow() {
        given().get(C).then().statusCode(401);
        as(editor()).queryParam("year", 2025).get(C).then().statusCode(200).body("name", hasItem("春节调休上班"));
        as(editor()).body(Map.of("kind", "holiday", "name", "测试假日")).put(C + "/2027-03-03").then().statusCode(403);
        as(admin()).body(Map.of("kind", "sometimes", "name", "x")).put(C + "/2027-03-03").then().statusCode(400);
        assertEq("2027-03-03", add("2027-03-02", 1));
        as(admin()).body(Map.of("kind", "holiday", "name", "测试假日")).put(C + "/2027-03-03").then().statusCode(200);
        assertEq("2027-03-04", add("2027-03-02", 1));
        as(admin()).body(Map.of("kind", "workday", "name", "测试调休")).put(C + "/2027-03-06").then().statusCode(200);
        assertEq("2027-03-06", add("2027-03-05", 1));
        as(admin()).delete(C + "/2027-03-03").then().statusCode(204);
        as(admin()).delete(C + "/2027-03-06").then().statusCode(204);
        assertEq("2027-03-03", add("2027-03-02", 1));
        as(admin()).delete(C + "/2027-03-06").then().statusCode(404);
    }

    private static void assertEq(String expected, String actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }
}
