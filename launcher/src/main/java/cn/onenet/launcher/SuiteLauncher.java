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

    private SuiteLauncher() {
    }

    public static void main(String[] args) throws InterruptedException {
        Suite.Options defaults = Suite.Options.defaults(Path.of("").toAbsolutePath());
        boolean fresh = false;
        boolean demo = true;
        boolean exitWhenReady = false;
        int offset = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fresh" -> fresh = true;
                case "--no-demo" -> demo = false;
                case "--exit-when-ready" -> exitWhenReady = true;
                case "--port-offset" -> offset = Integer.parseInt(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: ./run [--fresh] [--no-demo] [--port-offset N] [--exit-when-ready]");
                    return;
                }
                default -> {
                    System.err.println("unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        Suite.Options options = new Suite.Options(defaults.root(), defaults.dataDir(), fresh, demo, offset,
                defaults.readyTimeout(), defaults.jvmOptions());

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
        Thread idleReport = new Thread(() -> reportIdleMemory(suite), "idle-rss");
        idleReport.setDaemon(true);
        idleReport.start();
        stopped.await();
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
