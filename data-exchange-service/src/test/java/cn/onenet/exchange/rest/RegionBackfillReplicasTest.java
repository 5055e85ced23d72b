package cn.onenet.exchange.rest;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.LockWaits;
import cn.onenet.exchange.model.Objection;
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.service.IncidentService;
import cn.onenet.exchange.service.ObjectionService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Two replicas starting together both give cases without a region theirs (V31) without failing start-up. */
@QuarkusTest
class RegionBackfillReplicasTest extends ExchangeTestBase {

    @Inject
    ObjectionService objections;
    @Inject
    IncidentService incidents;
    @Inject
    AgroalDataSource dataSource;

    @Test
    void replicasStartingTogetherBothStart() throws Exception {
        long objection = QuarkusTransaction.requiringNew().call(() -> {
            Objection o = CaseListPagingTest.objection(CaseRegionTest.HZ_CONSUMER, CaseRegionTest.HZ_PROVIDER);
            o.regionCode = null;
            return o.id;
        });
        long incident = QuarkusTransaction.requiringNew().call(() -> {
            SecurityIncident i = CaseListPagingTest.incident(CaseRegionTest.HZ_CONSUMER, CaseRegionTest.HZ_PROVIDER);
            i.regionCode = null;
            return i.id;
        });
        backfillTwice("objection", objection, objections::assignMissingRegions);
        backfillTwice("security_incident", incident, incidents::assignMissingRegions);
        assertNotNull(QuarkusTransaction.requiringNew().call(() -> Objection.<Objection>findById(objection).regionCode));
        assertNotNull(QuarkusTransaction.requiringNew().call(
                () -> SecurityIncident.<SecurityIncident>findById(incident).regionCode));
    }

    /** Two backfills at once, both past their reads before either writes the case. */
    private void backfillTwice(String table, long id, java.util.function.Supplier<Integer> backfill) throws Exception {
        CompletableFuture<Integer> first;
        CompletableFuture<Integer> second;
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement ps = blocker.prepareStatement("SELECT 1 FROM " + table + " WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, id);
                ps.executeQuery().close();
            }
            first = CompletableFuture.supplyAsync(backfill);
            second = CompletableFuture.supplyAsync(backfill);
            LockWaits.untilWaiting(dataSource, 2);
            blocker.rollback();
        }
        // neither fails (a failure here fails a replica's start-up)
        first.get(20, TimeUnit.SECONDS);
        second.get(20, TimeUnit.SECONDS);
    }
}
