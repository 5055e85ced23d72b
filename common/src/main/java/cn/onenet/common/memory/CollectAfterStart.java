package cn.onenet.common.memory;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * One full collection a while after start. Start-up (migrations, the persistence model, the OpenAPI document, the
 * first runs of scheduled jobs) leaves garbage in the old generation that an idle service never collects, so the
 * heap stays at its start-up size; after one full collection the serial collector (run with
 * {@code -XX:-ShrinkHeapInSteps}, see the launcher) hands the old generation back down to what is live — about 3 MB
 * less resident memory for the exchange. {@code onenet.memory.collect-after-start=0s} turns it off.
 */
@ApplicationScoped
public class CollectAfterStart {

    private static final Logger LOG = Logger.getLogger(CollectAfterStart.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "onenet.memory.collect-after-start", defaultValue = "20s") Duration delay) {
        schedule(delay);
    }

    /** Starts a daemon thread that waits {@code delay} and then asks for a full collection; none for zero. */
    static Thread schedule(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return null;
        }
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            System.gc();
            LOG.debugf("full collection %s after start", delay);
        }, "collect-after-start");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
