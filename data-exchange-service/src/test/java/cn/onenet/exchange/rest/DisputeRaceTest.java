package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.LockWaits;
import cn.onenet.exchange.model.Dispute;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Several disputes opened at once about one grant (or one refused request): one is opened, the others find it open
 * and answer 409. The test holds a lock on the dispute table that lets every opening read but none insert, so all of
 * them have made their "already open?" check before any is committed: without a lock on the grant each would find
 * none open and all would be accepted.
 */
@QuarkusTest
class DisputeRaceTest extends ExchangeTestBase {

    static final int OPENINGS = 4;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void disputesOpenedAtOnceAboutOneGrantLeaveOneOpenAndAnswer409() throws Exception {
        String consumer = operator("11330000MB00000681");
        long grant = DisputeObjectionTest.suspendedByProvider(replica, "330000-01-02/906851", consumer);

        List<Integer> statuses = atOnce(() -> DisputeObjectionTest.openOnGrant(consumer, "SUSPENSION", grant,
                DisputeObjectionTest.negotiation("2026-12-01")));

        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(OPENINGS - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Dispute.count(
                "grantId = ?1 and subject = 'SUSPENSION' and status = 'OPEN'", grant)));
    }

    @Test
    void disputesOpenedAtOnceAboutOneRefusalLeaveOneOpenAndAnswer409() throws Exception {
        String consumer = operator("11330000MB00000682");
        long refused = RequestWorkflowTest.file(consumer, RequestWorkflowTest.body(FakeCatalog.NOT_SHARED,
                List.of("GMSFHM"))).then().statusCode(201).body("status", equalTo("NOT_SHARED")).extract().jsonPath()
                .getLong("id");

        List<Integer> statuses = atOnce(() -> given().auth().oauth2(consumer).contentType(ContentType.JSON)
                .body(DisputeObjectionTest.refusalDispute(refused, "履行法定职责确需该数据"))
                .post("/api/exchange/v1/disputes"));

        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
        assertEquals(OPENINGS - 1, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        assertEquals(1L, (long) QuarkusTransaction.requiringNew().call(() -> Dispute.count(
                "requestId = ?1 and status = 'OPEN'", refused)));
    }

    /**
     * Sends {@link #OPENINGS} openings from as many threads while the dispute table may be read but not written; lets
     * them go once every one of them waits for a lock, and returns their status codes.
     */
    private List<Integer> atOnce(Supplier<Response> opening) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(OPENINGS);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<CompletableFuture<Response>> sent = new ArrayList<>();
            try (Statement s = c.createStatement()) {
                s.execute("LOCK TABLE dispute IN SHARE MODE");
                for (int i = 0; i < OPENINGS; i++) {
                    sent.add(CompletableFuture.supplyAsync(opening, threads));
                }
                // each has checked for an open dispute and waits to insert, or waits for the grant's lock
                LockWaits.untilWaiting(dataSource, OPENINGS);
            } finally {
                c.commit();
            }
            List<Integer> statuses = new ArrayList<>();
            for (CompletableFuture<Response> f : sent) {
                Response r = f.get(60, TimeUnit.SECONDS);
                if (r.statusCode() == 409) {
                    r.then().contentType("application/problem+json");
                }
                statuses.add(r.statusCode());
            }
            return statuses;
        } finally {
            threads.shutdownNow();
        }
    }
}
