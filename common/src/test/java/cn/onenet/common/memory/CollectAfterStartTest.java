package cn.onenet.common.memory;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class CollectAfterStartTest {

    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    @Test
    void aCollectionRunsOnceTheDelayHasPassed() throws InterruptedException {
        long before = collections();
        Thread t = CollectAfterStart.schedule(Duration.ofMillis(50));
        t.join(10_000);
        assertTrue(!t.isAlive() && collections() > before, "no collection after the delay");
    }

    @Test
    void zeroTurnsItOff() {
        assertNull(CollectAfterStart.schedule(Duration.ZERO));
    }
}
