package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** An export is downloaded only while the grant still allows everything its file holds; the log says what it holds. */
@QuarkusTest
class ExportNarrowingTest extends ExchangeTestBase {

    static final String CODE = "330000-01-02/900041";
    static final String CONSUMER = RequestWorkflowTest.CONSUMER;
    static final String PROVIDER = RequestWorkflowTest.PROVIDER;

    static boolean published;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void entryWithRecords() {
        if (!published) {
            published = true;
            FakeCatalog.add("PUBLISHED", CODE, "导出收窄测试目录", PROVIDER, "CONDITIONAL", "LEVEL_2", "GMSFHM",
                    List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                            Map.of("code", "XM", "name", "姓名", "sensitive", true),
                            Map.of("code", "ZY", "name", "职业", "sensitive", false)));
            replica.pollOnce();
        }
        given().urlEncodingEnabled(false).auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", "330110200102150052", "XM", "刘洋", "ZY", "教师"),
                        Map.of("GMSFHM", "330282196509230044", "XM", "王芳", "ZY", "退休")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(CODE) + "/records").then().statusCode(201);
    }

    /** A bulk-export grant on the test entry for the items, XM in clear. */
    long bulkGrant(List<String> items) {
        Map<String, Object> body = new HashMap<>(RequestWorkflowTest.body(CODE, items));
        body.put("deliveryMethod", "BULK");
        long request = RequestWorkflowTest.file(operator(CONSUMER), body).then().statusCode(201).extract().jsonPath()
                .getLong("id");
        return given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "clearItems", List.of("XM")))
                .post("/api/exchange/v1/requests/" + request + "/approve").then().statusCode(200).extract().jsonPath()
                .getLong("grantId");
    }

    /** Starts an export and waits until it is READY; its id. */
    static long readyExport(long grant) throws InterruptedException {
        String token = operator(CONSUMER);
        long id = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("grantId", grant, "format", "CSV")).post("/api/exchange/v1/exports").then()
                .statusCode(202).extract().jsonPath().getLong("id");
        String status = "PENDING";
        for (int i = 0; i < 100 && !"READY".equals(status); i++) {
            Thread.sleep(100);
            status = given().auth().oauth2(token).get("/api/exchange/v1/exports/" + id).jsonPath().getString("status");
        }
        assertEquals("READY", status);
        return id;
    }

    @Test
    void aGrantNarrowedSinceTheExportWasMadeRefusesItsDownload() throws Exception {
        long grant = bulkGrant(List.of("GMSFHM", "XM", "ZY"));
        long export = readyExport(grant);
        int version = given().auth().oauth2(operator(PROVIDER)).get("/api/exchange/v1/grants/" + grant).then()
                .statusCode(200).extract().jsonPath().getInt("version");
        given().auth().oauth2(operator(PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", version, "reason", "职业不再需要", "items", List.of("GMSFHM", "XM")))
                .post("/api/exchange/v1/grants/" + grant + "/change").then().statusCode(200);

        given().auth().oauth2(operator(CONSUMER)).get("/api/exchange/v1/exports/" + export + "/content").then()
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("create a new export"))
                .body("exportItems", equalTo(List.of("GMSFHM", "XM", "ZY")))
                .body("grantItems", equalTo(List.of("GMSFHM", "XM")));
        assertEquals(List.of(), exportEntries(grant), "nothing left, nothing logged");

        // an export made under the grant as it is now holds what it allows, and is downloaded
        long again = readyExport(grant);
        String file = new String(given().auth().oauth2(operator(CONSUMER))
                .get("/api/exchange/v1/exports/" + again + "/content").then().statusCode(200).extract().asByteArray(),
                StandardCharsets.UTF_8);
        assertTrue(file.startsWith("GMSFHM,XM\r\n"), file);
    }

    @Test
    void anUnchangedGrantDownloadsAndTheLogListsTheFilesItems() throws Exception {
        long grant = bulkGrant(List.of("GMSFHM", "XM", "ZY"));
        long export = readyExport(grant);
        String file = new String(given().auth().oauth2(operator(CONSUMER))
                .get("/api/exchange/v1/exports/" + export + "/content").then().statusCode(200).extract().asByteArray(),
                StandardCharsets.UTF_8);
        assertTrue(file.startsWith("GMSFHM,XM,ZY\r\n"), file);
        // XM was granted in clear when the file was written: it is in clear in the file
        assertTrue(file.contains("刘洋"), file);
        assertEquals(List.of("[\"GMSFHM\",\"XM\",\"ZY\"]"), exportEntries(grant));
    }

    /** The items of the grant's EXPORT usage-log entries, oldest first. */
    List<String> exportEntries(long grant) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT items FROM usage_log WHERE grant_id = ? AND operation = 'EXPORT' ORDER BY seq")) {
            ps.setLong(1, grant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
