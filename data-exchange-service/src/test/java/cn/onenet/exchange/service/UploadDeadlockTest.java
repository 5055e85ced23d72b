package cn.onenet.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.LockWaits;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Two uploads to one dataset writing the same keys in opposite order both succeed (no deadlock). */
@QuarkusTest
class UploadDeadlockTest extends ExchangeTestBase {

    @Inject
    DatasetService datasets;
    @Inject
    AgroalDataSource dataSource;

    private void store(String key) {
        HeldUpload.storeOne(datasets, FakeCatalog.POPULATION, key);
    }

    private static String outcome(CompletableFuture<Void> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
            return "OK";
        } catch (Exception e) {
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            return t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

    @Test
    void oppositeOrderUploadsBothSucceed() throws Exception {
        // the population entry is keyed by 公民身份号码: keys of its own, valid ones
        String k1 = HeldUpload.idNumber();
        String k2 = HeldUpload.idNumber();
        QuarkusTransaction.requiringNew().run(() -> {
            store(HeldUpload.idNumber());
            store(k1);
            store(k2);
        });
        CountDownLatch aHasK1 = new CountDownLatch(1);
        CountDownLatch bHasK2 = new CountDownLatch(1);
        // upload A writes [k1, k2], upload B [k2, k1], one record after the other
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            store(k1);
            aHasK1.countDown();
            // B has written k2, or waits for A
            LockWaits.untilDoneOrBlocked(dataSource, () -> bHasK2.getCount() == 0);
            store(k2);
        }));
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            await(aHasK1);
            store(k2);
            bHasK2.countDown();
            store(k1);
        }));
        String ra = outcome(a);
        String rb = outcome(b);
        assertEquals("A: OK, B: OK", "A: " + ra + ", B: " + rb);
    }

    private static void await(CountDownLatch l) {
        try {
            if (!l.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("not reached");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
