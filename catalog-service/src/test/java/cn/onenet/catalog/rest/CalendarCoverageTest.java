package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.published;
import static cn.onenet.catalog.support.Fixtures.registeredOn;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The seeded calendar holds the State Council's notices for 2025 and 2026. After 2026 only the fixed-date holidays of
 * 《全国年节及纪念日放假办法》 are known: they are counted, and a deadline there is provisional until an admin enters
 * the year's notice.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class CalendarCoverageTest {

    private static final String C = "/api/catalog/v1/calendar";
    private static final String E = "/api/catalog/v1/entries/";

    private static io.restassured.response.ValidatableResponse add(String start, int days) {
        return as(reviewer()).queryParam("start", start).queryParam("days", days).get(C + "/working-days").then()
                .statusCode(200);
    }

    @Test
    void yuanDan2027IsARestDayAndADeadlineAfterTheNoticesIsProvisional() {
        as(reviewer()).get(C + "/coverage").then().statusCode(200).body("coveredUntil", equalTo("2026-12-31"))
                .body("fixedHolidays", hasItems("--01-01", "--05-01", "--05-02", "--10-01", "--10-02", "--10-03"));
        add("2026-12-18", 10).body("end", equalTo("2027-01-04")).body("provisional", equalTo(true));
        add("2027-04-30", 1).body("end", equalTo("2027-05-03"));
        add("2027-09-30", 1).body("end", equalTo("2027-10-04"));
        add("2026-11-20", 2).body("end", equalTo("2026-11-24")).body("provisional", equalTo(false));
        try {
            // the 2027 notice begun with 元旦: not yet covered
            as(admin()).body(Map.of("kind", "holiday", "name", "元旦", "reason", "测试"))
                    .put(C + "/2027-01-01").then().statusCode(200);
            as(reviewer()).get(C + "/coverage").then().body("coveredUntil", equalTo("2026-12-31"));
            add("2026-12-18", 10).body("end", equalTo("2027-01-04")).body("provisional", equalTo(true));
            // entered through to 春节 and the 国庆节 week: 2027 is covered, its deadlines no longer provisional
            as(admin()).body(Map.of("kind", "holiday", "name", "春节", "reason", "测试"))
                    .put(C + "/2027-02-08").then().statusCode(200);
            as(admin()).body(Map.of("kind", "holiday", "name", "国庆节", "reason", "测试"))
                    .put(C + "/2027-10-07").then().statusCode(200);
            as(reviewer()).get(C + "/coverage").then().body("coveredUntil", equalTo("2027-12-31"));
            add("2026-12-18", 10).body("end", equalTo("2027-01-04")).body("provisional", equalTo(false));
        } finally {
            for (String day : List.of("2027-01-01", "2027-02-08", "2027-10-07")) {
                as(admin()).queryParam("reason", "测试").delete(C + "/" + day).then().statusCode(204);
            }
        }
        // the day entered is gone, the statute still makes it a rest day
        add("2026-12-18", 10).body("end", equalTo("2027-01-04")).body("provisional", equalTo(true));
    }

    @Test
    void anEntrysViewSaysWhenItsDeadlineIsProvisional() {
        long id = published(editor(), entry("日历覆盖-变更期限"));
        registeredOn(id, "2026-01-05");
        action(editor(), id, "change", Map.of("cause", "法规修订", "triggeredOn", "2026-01-05")).statusCode(200)
                .body("changeDue", equalTo("2026-01-19")).body("dueProvisional", equalTo(false));
        // a deadline stored beyond the notices (as one counted in late December is)
        QuarkusTransaction.requiringNew().run(() -> CatalogEntry.update("changeDue = ?1 where id = ?2",
                java.time.LocalDate.parse("2027-01-04"), id));
        as(editor()).get(E + id).then().statusCode(200).body("changeDue", equalTo("2027-01-04"))
                .body("dueProvisional", equalTo(true));
    }

    @Test
    void anAdminsEditMovesRunningChangeDeadlinesOnly() {
        long running = published(editor(), entry("日历覆盖-变更中"));
        registeredOn(running, "2026-12-01");
        action(editor(), running, "change", Map.of("cause", "机构职责调整", "triggeredOn", "2026-12-01")).statusCode(200)
                .body("changeDue", equalTo("2026-12-15"));
        int lock = as(editor()).get(E + running).then().extract().path("lockVersion");
        try {
            as(admin()).body(Map.of("kind", "holiday", "name", "测试假日", "reason", "测试"))
                    .put(C + "/2026-12-08").then().statusCode(200);
            as(editor()).get(E + running).then().statusCode(200).body("changeDue", equalTo("2026-12-16"))
                    .body("lockVersion", equalTo(lock));
            as(editor()).get(E + running + "/history").then().statusCode(200)
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.changes", allOf(containsString("changeDue"),
                            containsString("2026-12-15"), containsString("2026-12-16")));
        } finally {
            as(admin()).queryParam("reason", "测试").delete(C + "/2026-12-08").then().statusCode(204);
        }
        as(editor()).get(E + running).then().body("changeDue", equalTo("2026-12-15"));
    }
}
