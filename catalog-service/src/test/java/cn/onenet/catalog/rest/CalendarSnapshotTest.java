package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.system;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The whole calendar for the services that follow it, with its generation as ETag (If-None-Match → 304). */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class CalendarSnapshotTest {

    private static final String C = "/api/catalog/v1/calendar";

    @Test
    void theExchangeReadsTheWholeCalendarAndLearnsCheaplyWhetherItChanged() {
        given().get(C + "/snapshot").then().statusCode(401);

        // the exchange's service identity (client credentials, role system) may read it; every year at once
        Response first = as(system()).get(C + "/snapshot");
        first.then().statusCode(200).header("ETag", "\"" + first.jsonPath().getLong("generation") + "\"")
                .body("days.day", hasItems("2025-02-08", "2026-02-14")).body("days.day", not(hasItem("2028-05-02")));
        String etag = first.header("ETag");
        as(system()).header("If-None-Match", etag).get(C + "/snapshot").then().statusCode(304);

        // an admin's edit moves the generation: the follower gets the new calendar, then 304 again
        as(admin()).body(Map.of("kind", "holiday", "name", "测试假日", "reason", "测试"))
                .put(C + "/2028-05-02").then().statusCode(200);
        try {
            Response changed = as(system()).header("If-None-Match", etag).get(C + "/snapshot");
            changed.then().statusCode(200).body("days.find { it.day == '2028-05-02' }.kind", equalTo("holiday"))
                    .body("days.find { it.day == '2028-05-02' }.name", equalTo("测试假日"));
            assertNotEquals(etag, changed.header("ETag"));
            assertEquals("\"" + changed.jsonPath().getLong("generation") + "\"", changed.header("ETag"));
            as(system()).header("If-None-Match", changed.header("ETag")).get(C + "/snapshot").then().statusCode(304);
        } finally {
            as(admin()).queryParam("reason", "测试").delete(C + "/2028-05-02").then().statusCode(204);
        }
        as(system()).header("If-None-Match", etag).get(C + "/snapshot").then().statusCode(200)
                .body("days.day", not(hasItem("2028-05-02")));
    }
}
