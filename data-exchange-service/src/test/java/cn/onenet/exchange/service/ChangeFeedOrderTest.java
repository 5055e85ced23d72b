package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.LockWaits;
import cn.onenet.exchange.model.CatalogEntry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The subscription change feed: a consumer resuming after the last cursor it got never misses a committed change,
 * also when two uploads to one dataset overlap and the one that numbered its records first commits last.
 */
@QuarkusTest
class ChangeFeedOrderTest extends ExchangeTestBase {

    @Inject
    DatasetService datasets;
    @Inject
    AgroalDataSource dataSource;

    private void store(String key) {
        HeldUpload.storeOne(datasets, FakeCatalog.POPULATION, key);
    }

    private long head(String code) {
        long head = 0;
        for (DatasetService.Change ch : datasets.changes(code, 0, 100_000)) {
            head = Math.max(head, ch.seq());
        }
        return head;
    }

    @Test
    void aConsumerResumingFromItsCursorGetsAChangeThatCommittedLate() throws Exception {
        String code = FakeCatalog.POPULATION;
        // the population entry is keyed by 公民身份号码: keys of its own, valid ones
        String warm = HeldUpload.idNumber();
        String slowKey = HeldUpload.idNumber();
        String fastKey = HeldUpload.idNumber();
        // the grants on the resource are marked delivered by this one, so the uploads below wait on nothing else
        QuarkusTransaction.requiringNew().run(() -> store(warm));
        long start = head(code);
        CatalogEntry entry = QuarkusTransaction.requiringNew().call(() -> CatalogEntry.findCurrent(code));
        // a big upload has written its records and is still running ...
        HeldUpload slow = HeldUpload.written(datasets, code, HeldUpload.keys(entry, slowKey));
        // ... while a single record is pushed (another replica, another system of the provider)
        CompletableFuture<Void> fast = CompletableFuture
                .runAsync(() -> QuarkusTransaction.requiringNew().run(() -> store(fastKey)));
        LockWaits.untilDoneOrBlocked(dataSource, fast);
        // the consumer pulls now and keeps the last cursor it got
        List<String> seen = new ArrayList<>();
        long cursor = start;
        for (DatasetService.Change ch : datasets.changes(code, start, 1000)) {
            seen.add(ch.key());
            cursor = ch.seq();
        }
        slow.commit();
        fast.get(20, TimeUnit.SECONDS);
        // both have committed: the consumer resumes after its cursor
        for (DatasetService.Change ch : datasets.changes(code, cursor, 1000)) {
            seen.add(ch.key());
        }
        assertEquals(List.of(slowKey, fastKey),
                seen.stream().filter(k -> k.equals(slowKey) || k.equals(fastKey)).toList(),
                "each change once, in the order the uploads committed");
    }
}
