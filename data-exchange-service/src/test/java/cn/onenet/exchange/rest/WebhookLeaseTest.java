package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.WebhookReceiver;
import cn.onenet.exchange.WebhookReceiver.Reply;
import cn.onenet.exchange.service.WebhookDispatcher;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A sender whose webhook lease ran out and was taken over by another replica while it was sending neither sends the
 * next event nor renews or clears the other's lease.
 */
@QuarkusTest
class WebhookLeaseTest extends ExchangeTestBase {

    @Inject
    AgroalDataSource dataSource;
    @Inject
    WebhookDispatcher dispatcher;

    @Test
    void aSenderThatLostItsLeaseStopsAndLeavesTheNewHoldersLease() throws Exception {
        String code = "330000-01-02/900296";
        long grant = WebhookTest.freshGrant(replica, code);
        WebhookTest.push(code, "330110200102150714", "甲");
        WebhookTest.push(code, "330110200102150722", "乙");
        CountDownLatch firstArrived = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        try (WebhookReceiver receiver = new WebhookReceiver(n -> {
            if (n == 1) {
                firstArrived.countDown();
                try {
                    answer.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Reply.of(200);
        })) {
            // both records replayed: two events, sent one after the other by one sender
            given().auth().oauth2(operator(WebhookTest.CONSUMER)).contentType(ContentType.JSON)
                    .body(Map.of("url", receiver.url(), "after", 0))
                    .put("/api/exchange/v1/subscriptions/" + grant + "/webhook").then().statusCode(201);
            assertTrue(firstArrived.await(15, TimeUnit.SECONDS), "the first event was sent");
            long id;
            // while the first event is in flight, the lease runs out and another replica takes it
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE webhook_subscription SET lease_until = now() + interval '1 hour', "
                            + "lease_holder = 'another-replica' WHERE grant_id = ? RETURNING id")) {
                ps.setLong(1, grant);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            assertTrue(dispatcher.sending(id));
            answer.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (dispatcher.sending(id) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(!dispatcher.sending(id), "the sender finished");
            assertEquals(1, receiver.hits().size(), "the second event is left to the lease's holder");
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT lease_holder, lease_until > now() + interval '59 minutes' FROM webhook_subscription "
                            + "WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals("another-replica", rs.getString(1));
                    assertTrue(rs.getBoolean(2), "the other replica's lease is neither renewed nor cleared");
                }
            }
        } finally {
            given().auth().oauth2(operator(WebhookTest.CONSUMER)).delete("/api/exchange/v1/subscriptions/" + grant
                    + "/webhook");
        }
    }
}
