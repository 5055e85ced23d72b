package cn.onenet.common.memory;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.sun.management.HotSpotDiagnosticMXBean;

import io.quarkus.runtime.StartupEvent;

/**
 * One full collection a while after start. Start-up (migrations, the persistence model, the OpenAPI document, the
 * first runs of scheduled jobs) leaves garbage in the old generation that an idle service never collects, so the
 * heap stays at its start-up size; after one full collection the serial collector (run with
 * {@code -XX:-ShrinkHeapInSteps}, see the launcher) hands the old generation back down to what is live.
 * {@code onenet.memory.collect-after-start=0s} turns it off.
 * <p>
 * Right before that collection the heap's free-space bounds are lowered to those of an idle service
 * ({@code onenet.memory.idle-max-heap-free-ratio}, default 10 %: the old generation kept at most 10 % above what is
 * live, at least 5 %). Start-up itself runs with the JVM's wider bounds (the launcher's 10–20 %): with the idle
 * bounds from the first moment the heap grows in small steps and start-up takes about twice as many full collections.
 * Both flags are manageable, so they can be lowered at run time; a bound already lower is kept.
 * <p>
 * Before it, the DFA cache of Hibernate's HQL parser is released where Hibernate is present: ANTLR keeps the
 * prediction states of every query shape parsed so far (about 3 MB after the exchange's start-up), while Hibernate
 * parses each query string once and then reuses it from its query-plan cache; so the cache only speeds up parsing
 * queries not seen yet, and grows again with them.
 */
@ApplicationScoped
public class CollectAfterStart {

    private static final Logger LOG = Logger.getLogger(CollectAfterStart.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "onenet.memory.collect-after-start", defaultValue = "20s") Duration delay,
            @ConfigProperty(name = "onenet.memory.idle-max-heap-free-ratio", defaultValue = "10") int idleMaxFreeRatio) {
        schedule(delay, idleMaxFreeRatio);
    }

    /**
     * Starts a daemon thread that waits {@code delay}, lowers the heap's free-space bounds to
     * {@code idleMaxFreeRatio} and then asks for a full collection; none for zero.
     */
    static Thread schedule(Duration delay, int idleMaxFreeRatio) {
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
            releaseParserCaches();
            lowerHeapFreeRatios(idleMaxFreeRatio);
            System.gc();
            LOG.debugf("full collection %s after start", delay);
        }, "collect-after-start");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * Empties the HQL parser's shared DFA cache ({@code ParserATNSimulator.clearDFA()} on the generated parser's
     * static DFA array); whether Hibernate is present, and in which version, is only known at run time (the gateway has
     * none), hence reflection. Returns whether it was released.
     */
    public static boolean releaseParserCaches() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            Class<?> parser = Class.forName("org.hibernate.grammars.hql.HqlParser", false, loader);
            Class<?> tokens = Class.forName("org.antlr.v4.runtime.TokenStream", false, loader);
            Object instance = parser.getConstructor(tokens).newInstance((Object) null);
            Object simulator = parser.getMethod("getInterpreter").invoke(instance);
            simulator.getClass().getMethod("clearDFA").invoke(simulator);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            LOG.debugf("HQL parser cache not released: %s", e.toString());
            return false;
        }
    }

    /**
     * Lowers {@code MaxHeapFreeRatio} to {@code maxFree} percent and {@code MinHeapFreeRatio} to at most half of it
     * (the minimum must not exceed the maximum, so it is lowered first); never raises either. Returns whether the
     * maximum now is {@code maxFree} or lower.
     */
    public static boolean lowerHeapFreeRatios(int maxFree) {
        if (maxFree < 1 || maxFree > 100) {
            return false;
        }
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            int currentMin = Integer.parseInt(vm.getVMOption("MinHeapFreeRatio").getValue());
            int currentMax = Integer.parseInt(vm.getVMOption("MaxHeapFreeRatio").getValue());
            if (currentMax <= maxFree) {
                return true;
            }
            if (currentMin > maxFree / 2) {
                vm.setVMOption("MinHeapFreeRatio", Integer.toString(maxFree / 2));
            }
            vm.setVMOption("MaxHeapFreeRatio", Integer.toString(maxFree));
            return true;
        } catch (RuntimeException e) {
            LOG.debugf("heap free ratios not lowered: %s", e.toString());
            return false;
        }
    }
}
