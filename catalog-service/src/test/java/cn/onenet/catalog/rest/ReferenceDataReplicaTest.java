package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Several replicas share one database: a calendar day or a synonym changed by another replica (here written straight
 * into PostgreSQL, bypassing this replica's API) reaches this replica's deadlines and search within the poll interval
 * ({@code catalog.reference-data.poll-interval}, 1 s in tests).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ReferenceDataReplicaTest {

    /** Several poll intervals: long enough for a slow machine, short enough to show it is not a restart. */
    private static final long WITHIN_MILLIS = 15_000;

    @Inject
    DataSource dataSource;

    private void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String end(String start, int days) {
        return as(reviewer()).queryParam("start", start).queryParam("days", days)
                .get("/api/catalog/v1/calendar/working-days").then().statusCode(200).extract().path("end");
    }

    private static List<String> names(String q) {
        return as(operator()).queryParam("q", q).queryParam("size", 50).get("/api/catalog/v1/search").then()
                .statusCode(200).extract().jsonPath().getList("hits.name");
    }

    /** Polls until the value is the expected one, failing after {@link #WITHIN_MILLIS}. */
    private static <T> void awaitValue(T expected, Supplier<T> actual) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WITHIN_MILLIS;
        T last = actual.get();
        while (!expected.equals(last) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            last = actual.get();
        }
        assertEquals(expected, last, "within " + WITHIN_MILLIS + " ms");
    }

    @Test
    void aCalendarChangedByAnotherReplicaMovesThisReplicasDeadlines() throws Exception {
        // Tuesday 2027-04-06 + 1 WD = Wednesday 04-07; Friday 04-09 + 1 WD = Monday 04-12
        assertEquals("2027-04-07", end("2027-04-06", 1));
        assertEquals("2027-04-12", end("2027-04-09", 1));
        try {
            sql("INSERT INTO calendar_day (day, kind, name) VALUES ('2027-04-07', 'holiday', '他处录入假日'), "
                    + "('2027-04-10', 'workday', '他处录入调休')");
            awaitValue("2027-04-08", () -> end("2027-04-06", 1));
            assertEquals("2027-04-10", end("2027-04-09", 1), "the make-up Saturday counts");
            sql("UPDATE calendar_day SET kind = 'workday' WHERE day = '2027-04-07'");
            awaitValue("2027-04-07", () -> end("2027-04-06", 1));
        } finally {
            sql("DELETE FROM calendar_day WHERE day IN ('2027-04-07', '2027-04-10')");
        }
        awaitValue("2027-04-12", () -> end("2027-04-09", 1));
    }

    @Test
    void aSynonymChangedByAnotherReplicaExpandsThisReplicasSearch() throws Exception {
        // the demo catalogue holds 土地利用现状数据, found by 行政区代码 but not by the made-up abbreviation
        assertFalse(names("QXDM").contains("土地利用现状数据"));
        try {
            sql("INSERT INTO search_synonym (term, expansion) VALUES ('QXDM', '行政区代码')");
            awaitValue(true, () -> names("QXDM").contains("土地利用现状数据"));
            sql("UPDATE search_synonym SET expansion = '最低生活保障' WHERE term = 'QXDM'");
            awaitValue(false, () -> names("QXDM").contains("土地利用现状数据"));
            assertTrue(names("QXDM").stream().anyMatch(n -> n.contains("低保") || n.contains("最低生活保障")),
                    names("QXDM").toString());
        } finally {
            sql("DELETE FROM search_synonym WHERE term = 'QXDM'");
        }
        awaitValue(List.of(), () -> names("QXDM"));
    }
}
