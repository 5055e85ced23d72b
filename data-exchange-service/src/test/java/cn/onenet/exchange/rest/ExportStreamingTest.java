package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DeliveryService;
import cn.onenet.exchange.service.ExportService;
import cn.onenet.exchange.service.GrantService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Bulk exports stream: 20,000 records leave complete, minimised, masked and in key order, the file matches its
 * sealed manifest, every part is logged, and neither the job nor the download holds more than one part.
 */
@QuarkusTest
class ExportStreamingTest extends ExchangeTestBase {

    static final String CODE = "330000-01-02/900060";
    static final String PROVIDER = "11330000002481080G";
    static final String CONSUMER = "11330000002481150Q";
    static final int RECORDS = 20_000;
    /** exchange.export.part-records in the test profile. */
    static final int PART = 1000;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ExportService exports;
    @Inject
    GrantService grants;
    @Inject
    DeliveryService delivery;

    static String key(int i) {
        return "33010619" + String.format("%010d", i);
    }

    /** The entry (grade 2: GMSFHM and XM masked) and its 20,000 records, written straight into the store. */
    long grant() throws SQLException {
        synchronized (ExportStreamingTest.class) {
            if (given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/grants?resourceCode=" + CODE)
                    .jsonPath().getList("id").isEmpty()) {
                FakeCatalog.add("PUBLISHED", CODE, "测试批量导出目录", PROVIDER, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                        List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                                Map.of("code", "XM", "name", "姓名", "sensitive", true),
                                Map.of("code", "ZY", "name", "职业", "sensitive", false)));
                replica.pollOnce();
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO dataset_record (resource_code, record_key, data, record_version, change_seq) "
                                + "SELECT ?, '33010619' || lpad(i::text, 10, '0'), json_build_object('GMSFHM', "
                                + "'33010619' || lpad(i::text, 10, '0'), 'XM', '测试' || i, 'ZY', '职业' || i)::text, "
                                + "1, nextval('record_change_seq') FROM generate_series(0, ?) i "
                                + "ON CONFLICT DO NOTHING")) {
                    ps.setString(1, CODE);
                    ps.setInt(2, RECORDS - 1);
                    ps.executeUpdate();
                }
                RequestWorkflowTest.file(operator(CONSUMER),
                        DeliveryMethodTest.body(CODE, List.of("GMSFHM", "ZY"), "BULK")).then().statusCode(201);
            }
            return given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/grants?resourceCode=" + CODE
                    + "&status=ACTIVE").then().statusCode(200).extract().jsonPath().getLong("[0].id");
        }
    }

    Response ready(long grant, String format) throws InterruptedException {
        return ready(operator(CONSUMER), grant, format);
    }

    /** An export under the grant, created with the token, once it is no longer PENDING (asserted READY). */
    static Response ready(String token, long grant, String format) throws InterruptedException {
        long id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("grantId", grant, "format", format)).post("/api/exchange/v1/exports").then()
                .statusCode(202).extract().jsonPath().getLong("id");
        Response job = null;
        for (int i = 0; i < 600; i++) {
            job = given().auth().oauth2(token).get("/api/exchange/v1/exports/" + id);
            if (!"PENDING".equals(job.jsonPath().getString("status"))) {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals("READY", job.jsonPath().getString("status"), job.asString());
        return job;
    }

    @Test
    void twentyThousandRecordsLeaveCompleteMaskedAndLoggedPartByPart() throws Exception {
        long grant = grant();
        Response job = ready(grant, "JSONL");
        long id = job.jsonPath().getLong("id");
        assertEquals(RECORDS, job.jsonPath().getInt("records"));
        assertEquals(RECORDS, job.jsonPath().getInt("manifest.records"));
        assertEquals(List.of("GMSFHM"), job.jsonPath().getList("manifest.maskedItems"));

        String requestId = "export-" + UUID.randomUUID();
        Response file = given().auth().oauth2(operator(CONSUMER)).header("X-Request-Id", requestId)
                .get("/api/exchange/v1/exports/" + id + "/content");
        file.then().statusCode(200).contentType("application/x-ndjson").header("X-Export-Parts", "20");
        byte[] bytes = file.asByteArray();
        assertEquals(job.jsonPath().getString("manifest.sha256"), UsageLogTest.sha256Bytes(bytes));

        ObjectMapper json = new ObjectMapper();
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        assertEquals(RECORDS, lines.size());
        Set<String> professions = new HashSet<>();
        for (String line : lines) {
            @SuppressWarnings("unchecked")
            Map<String, Object> r = json.readValue(line, Map.class);
            assertEquals(Set.of("GMSFHM", "ZY"), r.keySet(), line); // only the granted items, XM never
            String masked = (String) r.get("GMSFHM");
            assertTrue(masked.matches("330\\*{11}\\d{4}"), line);
            professions.add((String) r.get("ZY"));
        }
        assertEquals(RECORDS, professions.size()); // every record once
        assertEquals("职业0", json.readValue(lines.get(0), Map.class).get("ZY")); // key order
        assertEquals("职业" + (RECORDS - 1), json.readValue(lines.get(RECORDS - 1), Map.class).get("ZY"));
        assertFalse(new String(bytes, StandardCharsets.UTF_8).contains(key(12345)));

        // one usage-log entry per part, each with its part's subjects: together every subject once
        List<long[]> entries = rows("SELECT seq, cardinality(subject_hashes) FROM usage_log WHERE request_id = ? "
                + "AND operation = 'EXPORT' ORDER BY seq", requestId);
        assertEquals(RECORDS / PART, entries.size());
        assertEquals(Long.parseLong(file.header("X-Usage-Log-Seq")), entries.get(0)[0]);
        for (long[] e : entries) {
            assertEquals(PART, e[1]);
        }
        assertEquals(RECORDS, rows("SELECT count(DISTINCT h), 0 FROM usage_log, unnest(subject_hashes) h "
                + "WHERE request_id = ?", requestId).get(0)[0]);

        // stored in parts of at most PART records; no whole file anywhere
        List<long[]> parts = rows("SELECT part, record_count FROM export_part WHERE export_id = ? ORDER BY part",
                String.valueOf(id));
        assertEquals(RECORDS / PART, parts.size());
        parts.forEach(p -> assertEquals(PART, p[1]));
        assertEquals(1, rows("SELECT (content IS NULL)::int, 0 FROM export_job WHERE id = ?", String.valueOf(id))
                .get(0)[0], "export_job.content holds the whole file");
    }

    @Test
    void csvHasOneHeaderAndEveryRecord() throws Exception {
        long grant = grant();
        Response job = ready(grant, "CSV");
        Response file = given().auth().oauth2(operator(CONSUMER))
                .get("/api/exchange/v1/exports/" + job.jsonPath().getLong("id") + "/content");
        file.then().statusCode(200).contentType("text/csv");
        byte[] bytes = file.asByteArray();
        assertEquals(job.jsonPath().getString("manifest.sha256"), UsageLogTest.sha256Bytes(bytes));
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        assertEquals(RECORDS + 1, lines.size());
        assertEquals("GMSFHM,ZY", lines.get(0));
        assertEquals("330***********0000,职业0", lines.get(1));
        assertEquals(1, lines.stream().filter("GMSFHM,ZY"::equals).count());
    }

    @Test
    void theWriterNeverHoldsMoreThanOnePart() throws Exception {
        long grant = grant();
        long job;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO export_job (grant_id, consumer_department_code, requested_by, format, status) "
                        + "VALUES (?, ?, 'test', 'JSONL', 'PENDING') RETURNING id")) {
            ps.setLong(1, grant);
            ps.setString(2, CONSUMER);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                job = rs.getLong(1);
            }
        }
        // 20,000 records through a cursor of 50 rows, in parts of 700: never more than 700 records held
        ExportService.Written w = exports.write(job, grants.forDelivery(CONSUMER, CODE, grant), delivery.entry(CODE),
                "JSONL", 700, 50);
        assertEquals(RECORDS, w.records());
        assertEquals((RECORDS + 699) / 700, w.parts());
        assertEquals(700, w.maxHeldRecords());
        // the same bytes whatever the part size: the sealed manifest does not depend on it
        Response other = ready(grant, "JSONL");
        assertEquals(other.jsonPath().getString("manifest.sha256"), w.sha256());
    }

    List<long[]> rows(String sql, String param) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.contains("export_id = ?") || sql.contains("WHERE id = ?")) {
                ps.setLong(1, Long.parseLong(param));
            } else {
                ps.setString(1, param);
            }
            List<long[]> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new long[] { rs.getLong(1), rs.getLong(2) });
                }
            }
            return out;
        }
    }
}
