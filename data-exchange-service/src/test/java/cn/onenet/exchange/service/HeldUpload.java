package cn.onenet.exchange.service;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import cn.onenet.exchange.model.CatalogEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * An upload whose transaction stays open after its records are written (a big file still being stored), until
 * {@link #commit()}.
 */
public final class HeldUpload {

    private final CountDownLatch written = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<Void> done;

    private HeldUpload(DatasetService datasets, String resourceCode, List<Map<String, Object>> records) {
        done = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            datasets.storeUnchecked(CatalogEntry.findCurrent(resourceCode), "api", records, "test", null);
            written.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
    }

    /** Starts the upload and returns once its records are written (its transaction still open). */
    public static HeldUpload written(DatasetService datasets, String resourceCode, List<Map<String, Object>> records)
            throws Exception {
        HeldUpload u = new HeldUpload(datasets, resourceCode, records);
        if (!u.written.await(20, TimeUnit.SECONDS)) {
            u.done.get(1, TimeUnit.SECONDS);
            throw new AssertionError("the upload did not write its records");
        }
        return u;
    }

    /** Lets the upload commit and waits for it. */
    public void commit() throws Exception {
        release.countDown();
        done.get(20, TimeUnit.SECONDS);
    }

    /** Stores one record with only its key item, in the caller's transaction. */
    public static void storeOne(DatasetService datasets, String resourceCode, String key) {
        CatalogEntry entry = CatalogEntry.findCurrent(resourceCode);
        datasets.storeUnchecked(entry, "api", List.of(Map.of(entry.keyItem, key)), "test", null);
    }

    /**
     * A fresh valid 公民身份号码 (random birth date and sequence, check character computed): the key of a record of an
     * entry keyed by one, which an upload checks.
     */
    public static String idNumber() {
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        String first17 = "330106" + String.format("%04d%02d%02d%03d", 1950 + r.nextInt(50), 1 + r.nextInt(12),
                1 + r.nextInt(28), r.nextInt(1000));
        return first17 + cn.onenet.common.identifiers.ResidentIdNumber.checkCharacter(first17);
    }

    /** One record per key, each with only the key item. */
    public static List<Map<String, Object>> keys(CatalogEntry entry, String... keys) {
        return java.util.Arrays.stream(keys).<Map<String, Object>>map(k -> Map.of(entry.keyItem, k)).toList();
    }
}
