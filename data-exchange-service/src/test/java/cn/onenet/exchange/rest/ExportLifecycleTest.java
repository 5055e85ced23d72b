package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.ExportService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * An export job lost with the instance writing it (its lease ran out) is failed, its parts deleted, and a retry with
 * its Idempotency-Key starts a new job instead of answering the dead one; a grant that ends keeps no export file.
 */
@QuarkusTest
class ExportLifecycleTest extends ExchangeTestBase {

    static final String CODE = "330000-01-02/900231";
    static final String CONSUMER = DemoData.CIVIL_AFFAIRS;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ExportService exports;

    /** A fresh 无条件共享 entry with one record, and the consumer's bulk-export grant on it (XM, ZY). */
    long exportGrant(String code) {
        FakeCatalog.add("PUBLISHED", code, "测试导出目录 " + code, RequestWorkflowTest.PROVIDER, "UNCONDITIONAL",
                "LEVEL_3", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        WebhookTest.push(code, "330110200102150052", "刘洋");
        return RequestWorkflowTest.file(operator(CONSUMER), DeliveryMethodTest.body(code, List.of("XM", "ZY"),
                "BULK")).then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath()
                .getLong("grantId");
    }

    @Test
    void aJobLostWithItsInstanceFailsAndItsKeyStartsANewOne() throws Exception {
        long grant = exportGrant(CODE);

        long first = export(grant, "lost-1").then().statusCode(202).extract().jsonPath().getLong("id");
        awaitReady(first);
        // as the job looked when its instance stopped while writing it: pending, a part written, its lease run out
        sql("UPDATE export_job SET status = 'PENDING', manifest = NULL, manifest_seal = NULL, record_count = NULL, "
                + "finished_at = NULL, worker = 'export-stopped', lease_until = now() - interval '1 second' "
                + "WHERE id = " + first);
        assertEquals(1L, count("SELECT count(*) FROM export_part WHERE export_id = " + first));

        exports.failLostJobs(); // as the sweep every 30 s does
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + first).then().statusCode(200)
                .body("status", equalTo("FAILED")).body("failure", containsString("create the export again"));
        assertEquals(0L, count("SELECT count(*) FROM export_part WHERE export_id = " + first),
                "nothing of the lost job's file is kept");
        assertEquals(0, exports.failLostJobs(), "a job fails once");

        // the same key: a new job, which completes; a further retry answers that one
        long second = export(grant, "lost-1").then().statusCode(202).extract().jsonPath().getLong("id");
        assertNotEquals(first, second);
        awaitReady(second);
        assertEquals(second, export(grant, "lost-1").then().statusCode(202).extract().jsonPath().getLong("id"));
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + second + "/content").then()
                .statusCode(200).body(containsString("教师"));

        // a job under a live lease is left alone
        long third = export(grant, "lost-2").then().statusCode(202).extract().jsonPath().getLong("id");
        awaitReady(third);
        sql("UPDATE export_job SET status = 'PENDING', lease_until = now() + interval '1 minute' WHERE id = " + third);
        exports.failLostJobs();
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + third).then()
                .body("status", equalTo("PENDING"));
        assertEquals(1L, count("SELECT count(*) FROM export_part WHERE export_id = " + third));
        sql("UPDATE export_job SET status = 'READY', lease_until = NULL WHERE id = " + third);
    }

    @Test
    void aReadyJobWhoseFileIsMissingFailsAndItsKeyStartsANewOne() throws Exception {
        long grant = exportGrant("330000-01-02/900234");
        long first = export(grant, "missing-1").then().statusCode(202).extract().jsonPath().getLong("id");
        awaitReady(first);
        long entries = count("SELECT count(*) FROM usage_log WHERE grant_id = " + grant + " AND operation = 'EXPORT'");
        // its stored file lost (e.g. deleted behind the service): the job still says READY
        sql("DELETE FROM export_part WHERE export_id = " + first);

        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + first + "/content").then()
                .statusCode(410).contentType("application/problem+json").body("exportId", equalTo((int) first))
                .body("detail", containsString("create the export again"));
        assertEquals(entries, count("SELECT count(*) FROM usage_log WHERE grant_id = " + grant
                + " AND operation = 'EXPORT'"), "nothing was logged: nothing left");
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + first).then().statusCode(200)
                .body("status", equalTo("FAILED")).body("failure", containsString("missing"));
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + first + "/content").then()
                .statusCode(409).contentType("application/problem+json");

        // the same key starts a new job, which is downloaded
        long second = export(grant, "missing-1").then().statusCode(202).extract().jsonPath().getLong("id");
        assertNotEquals(first, second);
        awaitReady(second);
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + second + "/content").then()
                .statusCode(200).body(containsString("教师"));

        // a ready job found without its file when its key is used again: failed, and the key starts a new job
        sql("DELETE FROM export_part WHERE export_id = " + second);
        long third = export(grant, "missing-1").then().statusCode(202).extract().jsonPath().getLong("id");
        assertNotEquals(second, third);
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + second).then().statusCode(200)
                .body("status", equalTo("FAILED"));
        awaitReady(third);
    }

    @Test
    void anEndedGrantKeepsNoExportFileButItsManifest() throws Exception {
        long grant = exportGrant("330000-01-02/900232");
        long export = export(grant, "purge-1").then().statusCode(202).extract().jsonPath().getLong("id");
        awaitReady(export);
        assertEquals(1L, count("SELECT count(*) FROM export_part WHERE export_id = " + export));
        int version = given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .extract().jsonPath().getInt("version");
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", version, "reason", "违规使用未整改"))
                .post("/api/exchange/v1/grants/" + grant + "/terminate").then().statusCode(200);

        assertEquals(0L, count("SELECT count(*) FROM export_part WHERE export_id = " + export),
                "the file is deleted with the grant's end");
        assertEquals(0L, count("SELECT count(*) FROM export_job WHERE id = " + export + " AND content IS NOT NULL"));
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + export).then().statusCode(200)
                .body("status", equalTo("PURGED")).body("manifest.records", equalTo(1))
                .body("manifestSeal", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + export + "/content").then()
                .statusCode(409).contentType("application/problem+json");
    }

    @Test
    void anIdempotencyKeyStandsForOneRequestBody() throws Exception {
        long grant = exportGrant("330000-01-02/900233");
        long first = export(grant, "same-key").then().statusCode(202).extract().jsonPath().getLong("id");
        // the same key and body: the first job
        assertEquals(first, export(grant, "same-key").then().statusCode(202).extract().jsonPath().getLong("id"));
        // the same key with another format: refused, not the first job, and no job made
        long jobs = count("SELECT count(*) FROM export_job WHERE grant_id = " + grant);
        given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON).header("Idempotency-Key", "same-key")
                .body(Map.of("grantId", grant, "format", "JSONL")).post("/api/exchange/v1/exports").then()
                .statusCode(422).contentType("application/problem+json").body("field", equalTo("Idempotency-Key"))
                .body("requestId", org.hamcrest.Matchers.notNullValue());
        assertEquals(jobs, count("SELECT count(*) FROM export_job WHERE grant_id = " + grant));

        // share requests: the same key with another body is refused as well
        Map<String, Object> body = DeliveryMethodTest.body("330000-01-02/900233", List.of("XM"), "API");
        long request = given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON)
                .header("Idempotency-Key", "file-once").body(body).post("/api/exchange/v1/requests").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON).header("Idempotency-Key", "file-once")
                .body(body).post("/api/exchange/v1/requests").then().statusCode(org.hamcrest.Matchers.lessThan(300))
                .body("id", equalTo((int) request));
        Map<String, Object> other = new java.util.HashMap<>(body);
        other.put("items", List.of("XM", "ZY"));
        given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON).header("Idempotency-Key", "file-once")
                .body(other).post("/api/exchange/v1/requests").then().statusCode(422)
                .contentType("application/problem+json").body("field", equalTo("Idempotency-Key"));
    }

    private static Response export(long grant, String key) {
        return given().auth().oauth2(operator(CONSUMER)).contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Map.of("grantId", grant, "format", "CSV")).post("/api/exchange/v1/exports");
    }

    private static void awaitReady(long id) throws InterruptedException {
        String status = "PENDING";
        for (int i = 0; i < 100 && !"READY".equals(status); i++) {
            Thread.sleep(100);
            status = given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + id).jsonPath()
                    .getString("status");
        }
        assertEquals("READY", status);
    }

    private void sql(String statement) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private long count(String query) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
