package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.LockWaits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** An upload that PostgreSQL aborts as a deadlock victim answers 503 with Retry-After (retryable), not 500. */
@QuarkusTest
class UploadContentionTest extends ExchangeTestBase {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aDeadlockedUploadAnswers503WithRetryAfter() throws Exception {
        String code = "330000-01-02/900297";
        WebhookTest.freshEntry(replica, code, "UNCONDITIONAL");
        String k1 = "330110200102150749";
        String k2 = "330110200102150757";
        WebhookTest.push(code, k1, "甲");
        WebhookTest.push(code, k2, "乙");
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (Statement s = other.createStatement()) {
                // this session leaves the deadlock to be found (and its victim chosen) by the upload's session
                s.execute("SET LOCAL deadlock_timeout = '30s'");
            }
            // another writer of the dataset (not an upload) holds k2 ...
            touch(other, code, k2);
            // ... while an upload writes k1, then waits for k2
            CompletableFuture<Response> upload = CompletableFuture.supplyAsync(() -> given()
                    .urlEncodingEnabled(false).auth().oauth2(operator(WebhookTest.PROVIDER))
                    .contentType(ContentType.JSON)
                    .body(List.of(Map.of("GMSFHM", k1, "XM", "甲二"), Map.of("GMSFHM", k2, "XM", "乙二")))
                    .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records"));
            LockWaits.untilDoneOrBlocked(dataSource, upload);
            // the other writer now wants k1: a deadlock, and PostgreSQL aborts the upload
            touch(other, code, k1);
            other.rollback();
            Response r = upload.get(30, TimeUnit.SECONDS);
            assertEquals(503, r.statusCode(), r.asString());
            assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
            assertNotNull(r.header("Retry-After"));
        }
        // a retry succeeds
        given().urlEncodingEnabled(false).auth().oauth2(operator(WebhookTest.PROVIDER)).contentType(ContentType.JSON)
                .body(List.of(Map.of("GMSFHM", k1, "XM", "甲二"), Map.of("GMSFHM", k2, "XM", "乙二")))
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(code) + "/records").then().statusCode(201);
    }

    private static void touch(Connection c, String code, String key) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE dataset_record SET updated_at = now() WHERE resource_code = ? AND record_key = ?")) {
            ps.setString(1, code);
            ps.setString(2, key);
            assertEquals(1, ps.executeUpdate());
        }
    }
}
