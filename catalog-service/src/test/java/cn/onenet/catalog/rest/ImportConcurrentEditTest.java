package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.lockVersion;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.service.SpreadsheetService;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Sheets;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * An import updating a draft while another request edits the same entry: the import compares the sheet's 版本 with
 * the entry as it is once it holds the entry's row, so an edit committed in between makes that entry a CONFLICT (not
 * applied, the rest of the file imported) instead of failing the whole import with a 500.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ImportConcurrentEditTest {

    private static Connection database() throws Exception {
        var config = ConfigProvider.getConfig();
        return DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getValue("quarkus.datasource.password", String.class));
    }

    /** Whether another session waits for a row lock (the import, blocked on the entry this test holds). */
    private static boolean someoneWaitsForALock(Connection c) throws Exception {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE "
                + "wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND datname = current_database()");
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getInt(1) > 0;
        }
    }

    @Test
    void anEditCommittedWhileTheImportWaitsForTheEntryIsAConflictNotAServerError() throws Exception {
        String name = "并发导入-草稿";
        JsonPath created = Sheets.importFile(editor(), Sheets.csv(SpreadsheetService.COLUMNS, Sheets.row(name)),
                "text/csv").statusCode(201).extract().jsonPath();
        long id = created.getLong("rows[0].entryId");
        int exported = lockVersion(id);
        Map<String, String> changed = Sheets.row(name);
        changed.put("信息资源摘要", "全省户籍人口的登记信息（修订）");
        changed.put(SpreadsheetService.VERSION_COLUMN, String.valueOf(exported));
        byte[] sheet = Sheets.csv(SpreadsheetService.COLUMNS, changed);

        try (Connection other = database()) {
            other.setAutoCommit(false);
            // another request's transaction holds the entry's row ...
            try (PreparedStatement lock = other.prepareStatement("SELECT id FROM catalog_entry WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, id);
                lock.executeQuery().close();
            }
            CompletableFuture<io.restassured.response.Response> importing = CompletableFuture.supplyAsync(
                    () -> io.restassured.RestAssured.given().auth().oauth2(editor()).contentType("text/csv")
                            .body(sheet).post(Sheets.IMPORT));
            // ... until the import has read the entry and waits for that row
            while (!someoneWaitsForALock(other)) {
                assertTrue(!importing.isDone(), "the import finished without waiting for the entry: "
                        + (importing.isDone() ? importing.get().asString() : ""));
                Thread.sleep(10);
            }
            // ... and commits an edit of it
            try (PreparedStatement edit = other.prepareStatement(
                    "UPDATE catalog_entry SET lock_version = lock_version + 1 WHERE id = ?")) {
                edit.setLong(1, id);
                edit.executeUpdate();
            }
            other.commit();

            io.restassured.response.Response answer = importing.get(60, TimeUnit.SECONDS);
            assertEquals(201, answer.statusCode(), answer.asString());
            JsonPath result = answer.jsonPath();
            assertEquals("CONFLICT", result.getString("rows[0].outcome"), result.prettify());
            assertEquals(exported + 1, lockVersion(id), "the import did not apply the sheet over the edit");
            assertEquals("全省户籍人口的登记信息，供办理社会保障业务核验身份",
                    as(editor()).get("/api/catalog/v1/entries/" + id).then().extract().path("draft.abstract"));
        }
    }
}
