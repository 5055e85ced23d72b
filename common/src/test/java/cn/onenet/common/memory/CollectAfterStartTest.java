package cn.onenet.common.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;

class CollectAfterStartTest {

    private static final HotSpotDiagnosticMXBean VM = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    private String minBefore;
    private String maxBefore;

    @BeforeEach
    void startFromTheLaunchersBounds() {
        minBefore = VM.getVMOption("MinHeapFreeRatio").getValue();
        maxBefore = VM.getVMOption("MaxHeapFreeRatio").getValue();
        VM.setVMOption("MinHeapFreeRatio", "0");
        VM.setVMOption("MaxHeapFreeRatio", "20");
        VM.setVMOption("MinHeapFreeRatio", "10");
    }

    @AfterEach
    void restoreTheBounds() {
        VM.setVMOption("MinHeapFreeRatio", "0");
        VM.setVMOption("MaxHeapFreeRatio", maxBefore);
        VM.setVMOption("MinHeapFreeRatio", minBefore);
    }

    private static int ratio(String flag) {
        return Integer.parseInt(VM.getVMOption(flag).getValue());
    }

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    @Test
    void aCollectionRunsOnceTheDelayHasPassed() throws InterruptedException {
        long before = collections();
        Thread t = CollectAfterStart.schedule(Duration.ofMillis(50), 10);
        t.join(10_000);
        assertTrue(!t.isAlive() && collections() > before, "no collection after the delay");
        assertEquals(10, ratio("MaxHeapFreeRatio"), "the idle bound was not set before the collection");
        assertEquals(5, ratio("MinHeapFreeRatio"));
    }

    @Test
    void boundsAreOnlyEverLowered() {
        assertTrue(CollectAfterStart.lowerHeapFreeRatios(40));
        assertEquals(20, ratio("MaxHeapFreeRatio"));
        assertEquals(10, ratio("MinHeapFreeRatio"));
        VM.setVMOption("MinHeapFreeRatio", "2");
        assertTrue(CollectAfterStart.lowerHeapFreeRatios(12));
        assertEquals(12, ratio("MaxHeapFreeRatio"));
        assertEquals(2, ratio("MinHeapFreeRatio"), "a lower minimum was raised");
        assertTrue(!CollectAfterStart.lowerHeapFreeRatios(0) && ratio("MaxHeapFreeRatio") == 12);
    }

    @Test
    void zeroTurnsItOff() {
        assertNull(CollectAfterStart.schedule(Duration.ZERO, 10));
    }
}
