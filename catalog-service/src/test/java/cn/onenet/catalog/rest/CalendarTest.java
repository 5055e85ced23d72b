package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
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
        as(admin()).body(Map.of("kind", "sometimes", "name", "x", "reason", "测试"))
                .put(C + "/2027-03-03").then().statusCode(400);
        assertEq("2027-03-03", add("2027-03-02", 1));
        as(admin()).body(Map.of("kind", "holiday", "name", "测试假日", "reason", "测试"))
                .put(C + "/2027-03-03").then().statusCode(200);
        assertEq("2027-03-04", add("2027-03-02", 1));
        as(admin()).body(Map.of("kind", "workday", "name", "测试调休", "reason", "测试"))
                .put(C + "/2027-03-06").then().statusCode(200);
        assertEq("2027-03-06", add("2027-03-05", 1));
        as(admin()).queryParam("reason", "测试").delete(C + "/2027-03-03").then().statusCode(204);
        as(admin()).queryParam("reason", "测试").delete(C + "/2027-03-06").then().statusCode(204);
        assertEq("2027-03-03", add("2027-03-02", 1));
        as(admin()).queryParam("reason", "测试").delete(C + "/2027-03-06").then().statusCode(404);
    }

    @Test
    void anAdminsEditIsRecordedWithActorAndReason() {
        String day = "2027-04-06";
        String changes = C + "/changes";
        // without a reason nothing changes: 400 naming reason (with every other bad field), for a set and a removal
        as(admin()).header("X-Request-Id", "cal-missing-reason").body(Map.of("kind", "holiday", "name", "清明节"))
                .put(C + "/" + day).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("reason"))).body("requestId", equalTo("cal-missing-reason"));
        as(admin()).body(Map.of("kind", "sometimes", "name", "清明节", "reason", " ")).put(C + "/" + day).then()
                .statusCode(400).body("errors.field", equalTo(List.of("kind", "reason")));
        as(admin()).body(Map.of("kind", "holiday", "name", "清明节", "reason", "长".repeat(2001))).put(C + "/" + day)
                .then().statusCode(400).body("errors.field", equalTo(List.of("reason")));
        as(auditor()).queryParam("year", 2027).get(C).then().body("day", not(hasItem(day)));
        as(auditor()).queryParam("day", day).get(changes).then().statusCode(200).body("$", hasSize(0))
                .header("X-Total-Count", "0");

        as(admin()).header("X-Request-Id", "cal-set-1")
                .body(Map.of("kind", "holiday", "name", "清明节", "reason", "国办发明电〔2026〕7号 2027年部分节假日安排"))
                .put(C + "/" + day).then().statusCode(200);
        as(admin()).body(Map.of("kind", "holiday", "name", "清明节假期", "reason", "通知更正")).put(C + "/" + day).then()
                .statusCode(200);
        // the same again changes nothing and records nothing
        as(admin()).body(Map.of("kind", "holiday", "name", "清明节假期", "reason", "重复提交")).put(C + "/" + day)
                .then().statusCode(200);
        as(admin()).delete(C + "/" + day).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("reason"));
        as(auditor()).queryParam("year", 2027).get(C).then().body("day", hasItem(day));
        as(admin()).header("X-Request-Id", "cal-remove-1").queryParam("reason", "误录，撤销").delete(C + "/" + day).then()
                .statusCode(204);

        // admins and auditors read who changed what, when and why, newest first
        as(auditor()).queryParam("day", day).get(changes).then().statusCode(200).header("X-Total-Count", "3")
                .body("action", equalTo(List.of("REMOVE", "SET", "SET")))
                .body("[2].before", nullValue())
                .body("[2].after.kind", equalTo("holiday")).body("[2].after.name", equalTo("清明节"))
                .body("[2].reason", equalTo("国办发明电〔2026〕7号 2027年部分节假日安排"))
                .body("[2].actor", equalTo("admin-1")).body("[2].actorRole", equalTo("admin"))
                .body("[2].requestId", equalTo("cal-set-1")).body("[2].changedAt", notNullValue())
                .body("[1].before.name", equalTo("清明节")).body("[1].after.kind", equalTo("holiday"))
                .body("[1].after.name", equalTo("清明节假期")).body("[1].reason", equalTo("通知更正"))
                .body("[0].before.name", equalTo("清明节假期")).body("[0].after", nullValue())
                .body("[0].reason", equalTo("误录，撤销")).body("[0].requestId", equalTo("cal-remove-1"));
        as(admin()).queryParam("day", day).queryParam("size", 1).queryParam("page", 1).get(changes).then()
                .statusCode(200).header("X-Total-Count", "3").body("action", equalTo(List.of("SET")))
                .body("[0].reason", equalTo("通知更正"));
        // the calendar shipped with the service is on record too
        as(auditor()).queryParam("day", "2026-10-01").get(changes).then().statusCode(200)
                .body("action", hasItem("SEED")).body("actor", hasItem("catalog-service"));

        as(editor()).get(changes).then().statusCode(403).contentType("application/problem+json");
        as(reviewer()).get(changes).then().statusCode(403);
        given().get(changes).then().statusCode(401);
        as(auditor()).queryParam("day", "2027-13-01").get(changes).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("day"));
    }

    private static void assertEq(String expected, String actual) {
        org.junit.jupiter.api.Assertions.assertEquals(expected, actual);
    }
}
