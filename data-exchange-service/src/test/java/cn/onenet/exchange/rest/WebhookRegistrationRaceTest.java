package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.LockWaits;
import cn.onenet.exchange.service.DatasetService;
import cn.onenet.exchange.service.HeldUpload;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** A webhook registered with {@code after} while an upload is in flight is owed that upload's records too. */
@QuarkusTest
class WebhookRegistrationRaceTest extends ExchangeTestBase {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    DatasetService datasets;

    @Test
    void aRecordWrittenWhileTheWebhookIsRegisteredIsQueued() throws Exception {
        String code = "330000-01-02/900298";
        long grant = WebhookTest.freshGrant(replica, code);
        String key = "330110200102150765";
        HeldUpload upload = HeldUpload.written(datasets, code,
                List.of(Map.of("GMSFHM", key, "XM", "刘洋", "ZY", "教师")));
        // meanwhile the consumer registers its webhook, replaying everything after cursor 0
        CompletableFuture<Integer> registered = CompletableFuture.supplyAsync(() -> given()
                .auth().oauth2(operator(WebhookTest.CONSUMER)).contentType(ContentType.JSON)
                .body(Map.of("url", "http://127.0.0.1:9/hook", "after", 0))
                .put("/api/exchange/v1/subscriptions/" + grant + "/webhook").statusCode());
        LockWaits.untilDoneOrBlocked(dataSource, registered);
        upload.commit();
        assertEquals(201, registered.get(20, TimeUnit.SECONDS));
        List<String> queued = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT o.record_key FROM webhook_outbox o JOIN webhook_subscription s ON s.id = o.subscription_id "
                        + "WHERE s.grant_id = ?")) {
            ps.setLong(1, grant);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    queued.add(rs.getString(1));
                }
            }
        }
        given().auth().oauth2(operator(WebhookTest.CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant
                + "/webhook");
        assertEquals(List.of(key), queued, "the record is queued once, by the trigger or by the replay");
    }
}
