package cn.onenet.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * The run command's entry point: {@code ./run [--fresh] [--no-demo]
 * [--port-offset N] [--exit-when-ready]}, started from the repository root.
 */
public final class SuiteLauncher {

    private static final Duration IDLE_SETTLE = Duration.ofSeconds(30);
    /** Ports of the recording run (38080-38083, PostgreSQL 45432): clear of a local run and of the system tests. */
    private static final int RECORDING_PORT_OFFSET = 30000;

    private SuiteLauncher() {
    }

    static final String USAGE = RunArguments.USAGE;

    /** Reads the command line ({@link RunArguments}, which {@code ./run} also runs before building anything). */
    static RunArguments.Arguments parse(String[] args) {
        return RunArguments.parse(args);
    }

    public static void main(String[] args) throws InterruptedException {
        Suite.Options defaults = Suite.Options.defaults(Path.of("").toAbsolutePath());
        RunArguments.Arguments arguments;
        try {
            arguments = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        if (arguments.help()) {
            System.out.println(USAGE);
            return;
        }
        if (arguments.recordClassData()) {
            recordClassData(defaults);
            return;
        }
        boolean fresh = arguments.fresh();
        boolean exitWhenReady = arguments.exitWhenReady();
        Suite.Options options = new Suite.Options(defaults.root(), defaults.dataDir(), fresh, arguments.demo(),
                arguments.portOffset(), defaults.readyTimeout(), defaults.jvmOptions());

        System.out.println("Starting embedded PostgreSQL and the four services" + (fresh ? " (fresh data)" : "")
                + "; logs in " + options.dataDir().resolve("logs") + " ...");
        Suite suite;
        try {
            suite = Suite.start(options);
        } catch (RuntimeException e) {
            System.err.println("The suite did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping the suite ...");
            suite.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "suite-stop"));

        report(suite, options);
        if (exitWhenReady) {
            System.exit(0);
        }
        suite.onServiceExit((service, status) -> System.err.println(exitLine(service, status)));
        Thread idleReport = new Thread(() -> reportIdleMemory(suite), "idle-rss");
        idleReport.setDaemon(true);
        idleReport.start();
        stopped.await();
    }

    /**
     * What the operator reads when a service exits after start-up. The others keep running, as does PostgreSQL: the
     * gateway answers 503 for the service that is gone, and its log is still there to read; Ctrl-C stops the rest.
     */
    static String exitLine(Suite.Running service, int status) {
        return String.format(Locale.ROOT, "%s %s exited with status %d; see %s. The other services keep running (the "
                + "gateway answers 503 for it); Ctrl-C stops the suite, ./run starts it again.",
                java.time.LocalTime.now().withNano(0), service.spec().name(), status, service.log());
    }

    /**
     * The last step of a build ({@code ./run} calls it after compiling): starts the suite once on a throw-away data
     * directory and ports, with demo data, and stops it when ready, so that every service records its
     * class-data-sharing archive. Later starts map those archives instead of loading the same classes again.
     * Does nothing when every archive is there already.
     */
    private static void recordClassData(Suite.Options defaults) {
        if (Suite.classDataArchivesPresent(defaults)) {
            return;
        }
        Path scratch;
        try {
            scratch = java.nio.file.Files.createTempDirectory("onenet-class-data");
        } catch (IOException e) {
            System.err.println("Could not create a scratch directory; the first start will record the archives instead");
            return;
        }
        System.out.println("Recording the services' class-data-sharing archives (once per build) ...");
        long began = System.nanoTime();
        Suite.Options training = new Suite.Options(defaults.root(), scratch, true, true, RECORDING_PORT_OFFSET,
                defaults.readyTimeout(), defaults.jvmOptions());
        try {
            Duration ready;
            try (Suite suite = Suite.start(training)) {
                ready = suite.startupTime();
            }
            System.out.printf(Locale.ROOT, "  recorded in %.1f s (the recording suite was ready after %.1f s)%n",
                    (System.nanoTime() - began) / 1e9, ready.toMillis() / 1000.0);
        } catch (RuntimeException e) {
            System.err.println("Recording the archives failed (" + e.getMessage()
                    + "); the first start will record them instead");
        } finally {
            deleteTree(scratch);
        }
    }

    private static void deleteTree(Path dir) {
        try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a scratch directory under the system temp folder; nothing else depends on it
        }
    }

    private static void report(Suite suite, Suite.Options options) {
        Duration startup = suite.startupTime();
        String gateway = suite.service("gateway").baseUrl();
        StringBuilder out = new StringBuilder();
        out.append('\n').append("一网通办 suite is up — all four services ready in ")
                .append(String.format(Locale.ROOT, "%.1f s", startup.toMillis() / 1000.0)).append(" (target ≤ 20 s)\n\n");
        out.append(String.format(Locale.ROOT, "  %-24s %-24s %-40s %s%n", "service", "url", "swagger ui", "RSS"));
        for (Suite.Running r : suite.services()) {
            out.append(String.format(Locale.ROOT, "  %-24s %-24s %-40s %d MiB%n", r.spec().name(), r.baseUrl(),
                    r.baseUrl() + "/q/swagger-ui", r.rssMiB()));
        }
        out.append('\n');
        out.append("  Gateway (entry point):  ").append(gateway).append('\n');
        out.append("  Console:                ").append(gateway).append("/console\n");
        out.append("  API index:              ").append(gateway).append("/api\n");
        out.append("  PostgreSQL:             127.0.0.1:").append(suite.postgresPort())
                .append(" (user postgres, databases identity / catalog / exchange)\n");
        out.append("  Logs:                   tail -f ").append(options.dataDir().resolve("logs")).append("/*.log\n");
        out.append('\n').append(demoLogins()).append('\n');
        out.append("Press Ctrl-C to stop everything.\n");
        System.out.print(out);
        System.out.flush();
    }

    /** Right after "ready" the services still hold start-up garbage; what counts for sizing is the idle figure. */
    private static void reportIdleMemory(Suite suite) {
        try {
            Thread.sleep(IDLE_SETTLE.toMillis());
        } catch (InterruptedException e) {
            return;
        }
        StringBuilder line = new StringBuilder("RSS after " + IDLE_SETTLE.toSeconds() + " s idle (target ≤ 200 MB each):");
        for (Suite.Running r : suite.services()) {
            long mib = r.rssMiB();
            line.append(String.format(Locale.ROOT, "  %s %d MiB (%.0f MB)", r.spec().name(), mib, mib * 1.048576));
        }
        System.out.println(line);
    }

    private static String demoLogins() {
        try (InputStream in = SuiteLauncher.class.getResourceAsStream("/demo-logins.txt")) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
