package cn.onenet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A service that exits after start-up is reported in one line naming it, its exit status and its log; the others
 * keep running. The stop at the end (Ctrl-C) reports nothing. Services are stand-ins ({@link StandInService}).
 */
class ServiceExitTest {

    private static final int OFFSET = 36_500;

    @Test
    void aServiceThatExitsIsReportedAndTheOthersKeepRunning() throws Exception {
        Path data = Files.createTempDirectory("suite-exit-data");
        Suite.Options options = new Suite.Options(SuiteDataDirectoryTest.standInCheckout(), data, true, true, OFFSET,
                Duration.ofSeconds(60), List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<Suite.Running> services;
        try (Suite suite = Suite.start(options)) {
            suite.onServiceExit((service, status) -> lines.add(SuiteLauncher.exitLine(service, status)));
            services = suite.services();
            Suite.Running catalog = suite.service("catalog-service");
            catalog.process().destroy();

            String line = lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(line, "no line for the service that exited");
            assertTrue(line.contains(" catalog-service exited with status 143; see " + catalog.log() + "."), line);
            assertTrue(line.contains("The other services keep running"), line);
            for (Suite.Running other : suite.services()) {
                if (other != catalog) {
                    assertTrue(other.process().isAlive(), other.spec().name() + " was stopped too");
                }
            }
        }
        for (Suite.Running service : services) {
            service.process().onExit().get(60, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), List.copyOf(lines), "the stop at the end was reported as an exit");
    }

    /**
     * Ctrl-C at the terminal sends SIGINT to the services as well as to the launcher, often before the launcher's
     * shutdown hook runs: a service stopped by SIGINT is not reported, one stopped otherwise still is.
     */
    @Test
    void aServiceStoppedByTheTerminalsInterruptIsNotReportedAsACrash() throws Exception {
        Path data = Files.createTempDirectory("suite-interrupt-data");
        Suite.Options options = new Suite.Options(SuiteDataDirectoryTest.standInCheckout(), data, true, true,
                OFFSET + 500, Duration.ofSeconds(60), List.of("-Xmx32m", "-XX:TieredStopAtLevel=1"));
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (Suite suite = Suite.start(options)) {
            suite.onServiceExit((service, status) -> lines.add(SuiteLauncher.exitLine(service, status)));
            Suite.Running catalog = suite.service("catalog-service");
            Process interrupt = new ProcessBuilder("kill", "-INT", String.valueOf(catalog.process().pid())).start();
            assertEquals(0, interrupt.waitFor());
            assertEquals(130, catalog.process().onExit().get(60, TimeUnit.SECONDS).exitValue());
            Suite.Running exchange = suite.service("data-exchange-service");
            exchange.process().destroy();

            String line = lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(line, "no line for the service that was stopped");
            assertTrue(line.contains(" data-exchange-service exited with status 143"), line);
            assertEquals(List.of(), List.copyOf(lines), "the interrupted service was reported");
        }
    }
}
