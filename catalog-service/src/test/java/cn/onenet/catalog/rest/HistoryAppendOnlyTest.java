package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.published;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An entry's history ({@code entry_event}) and the working-day calendar's ({@code calendar_change}) are only ever
 * appended: later steps add rows, and the database refuses UPDATE, DELETE and TRUNCATE on both, whoever asks.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class HistoryAppendOnlyTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final String C = "/api/catalog/v1/calendar";

    @Inject
    DataSource dataSource;

    @Test
    void entryHistoryRowsAreNeverUpdatedOrDeleted() throws Exception {
        long id = published(editor(), entry("历史-只增不改"));
        List<Map<String, Object>> before = as(auditor()).get(E + id + "/history").then().statusCode(200).extract()
                .jsonPath().getList("$");
        Map<String, Object> created = before.get(0);
        // later steps add rows; the first one is exactly as it was written
        action(editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        List<Map<String, Object>> after = as(auditor()).get(E + id + "/history").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertEquals(before.size() + 1, after.size());
        assertEquals(created, after.get(0));

        long rowId = ((Number) created.get("id")).longValue();
        refused("UPDATE entry_event SET opinion = '改过的意见' WHERE id = " + rowId,
                "UPDATE entry_event SET actor = 'someone-else' WHERE entry_id = " + id,
                "DELETE FROM entry_event WHERE id = " + rowId, "TRUNCATE entry_event",
                "TRUNCATE catalog_entry CASCADE");
        as(auditor()).get(E + id + "/history").then().statusCode(200).body("size()", equalTo(after.size()))
                .body("[0].id", equalTo((int) rowId)).body("[0].actor", equalTo(created.get("actor")))
                .body("[0].action", equalTo(created.get("action")));
    }

    @Test
    void calendarChangeRowsAreNeverUpdatedOrDeleted() throws Exception {
        String day = "2028-06-07";
        as(admin()).body(Map.of("kind", "holiday", "name", "测试假日", "reason", "测试：只增不改")).put(C + "/" + day)
                .then().statusCode(200);
        as(admin()).queryParam("reason", "测试：撤销").delete(C + "/" + day).then().statusCode(204);
        List<Map<String, Object>> rows = as(auditor()).queryParam("day", day).get(C + "/changes").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertEquals(2, rows.size());
        long rowId = ((Number) rows.get(1).get("id")).longValue();
        refused("UPDATE calendar_change SET reason = '改过的理由' WHERE id = " + rowId,
                "UPDATE calendar_change SET actor = 'someone-else' WHERE day = DATE '" + day + "'",
                "DELETE FROM calendar_change WHERE id = " + rowId, "TRUNCATE calendar_change");
        as(auditor()).queryParam("day", day).get(C + "/changes").then().statusCode(200).body("size()", equalTo(2))
                .body("[1].id", equalTo((int) rowId)).body("[1].reason", equalTo("测试：只增不改"))
                .body("[1].actor", equalTo("admin-1"));
    }

    private void refused(String... statements) throws SQLException {
        for (String sql : statements) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                SQLException refused = assertThrows(SQLException.class, () -> s.executeUpdate(sql), sql);
                assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());
            }
        }
    }
}
