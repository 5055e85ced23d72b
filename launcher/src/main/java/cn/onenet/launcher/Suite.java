package cn.onenet.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts embedded PostgreSQL (one server, one database per service) and the four services as child JVMs,
 * waits until each reports ready, and stops everything again. Used by the run command and by system tests.
 */
public final class Suite implements AutoCloseable {

    /** How to start the suite. {@code portOffset} moves every port, so tests can run beside a local run. */
    public record Options(Path root, Path dataDir, boolean fresh, boolean demo, int portOffset,
            Duration readyTimeout, List<String> jvmOptions) {

        public static Options defaults(Path root) {
            return new Options(root, root.resolve(".data"), false, true, 0, Duration.ofSeconds(120), jvmDefaults());
        }

        /**
         * Small-footprint JVM settings for the local run (ONENET_JVM_OPTIONS replaces them, e.g. for benchmarks):
         * a heap that returns what it does not use, the C1 compiler only (starts faster and needs far less memory
         * than C2, at the price of peak throughput), and a periodic trim of the C heap, which otherwise keeps the
         * memory freed after class loading and compilation at startup (about 10 MiB per service). The collector
         * ({@link #COLLECTOR_OPTIONS}) is added unless the override names one.
         */
        static List<String> jvmDefaults() {
            String override = System.getenv("ONENET_JVM_OPTIONS");
            if (override != null && !override.isBlank()) {
                return List.of(override.trim().split("\\s+"));
            }
            return List.of("-Xms16m", "-Xmx160m", "-XX:MaxMetaspaceSize=192m",
                    "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-Xss512k",
                    "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20", "-XX:TrimNativeHeapInterval=5000",
                    // compile only what runs often: start-up code runs once, its compiled copy would sit idle
                    "-XX:Tier3InvocationThreshold=2000", "-XX:Tier3MinInvocationThreshold=1000",
                    "-XX:Tier3CompileThreshold=20000", "-XX:Tier3BackEdgeThreshold=600000",
                    "-XX:+ExitOnOutOfMemoryError");
        }
    }

    /** A running service. */
    public record Running(ServiceSpec spec, int port, Process process, Path log) {

        public String baseUrl() {
            return "http://127.0.0.1:" + port;
        }

        /** Resident set size in MiB, read from /proc. */
        public long rssMiB() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                return -1;
            }
            return -1;
        }
    }

    private static final Pattern PORT_REF = Pattern.compile("\\$\\{port:([a-z-]+)}");

    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Running> running = new ArrayList<>();
    /** Class-data-sharing archives being recorded, by service: kept when the service ends normally. */
    private final Map<String, Path> recordings = new HashMap<>();
    private EmbeddedPostgres postgres;
    /** Held from before anything in the data directory is touched until everything has stopped. */
    private DataDirectoryLock dataLock;
    /** Set once close() begins: the services' exits are expected from then on. */
    private volatile boolean closing;
    private long startedNanos;
    private long readyNanos;

    private Suite(Options options) {
        this.options = options;
    }

    public static Suite start(Options options) {
        Suite suite = new Suite(options);
        try {
            suite.doStart();
        } catch (RuntimeException | Error e) {
            suite.close();
            throw e;
        }
        return suite;
    }

    public List<Running> services() {
        return List.copyOf(running);
    }

    public Running service(String name) {
        return running.stream().filter(r -> r.spec().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    public Duration startupTime() {
        return Duration.ofNanos(readyNanos - startedNanos);
    }

    public int postgresPort() {
        return SuiteLayout.POSTGRES_PORT + options.portOffset();
    }

    private void doStart() {
        startedNanos = System.nanoTime();
        SuiteLayout.checkPortOffset(options.portOffset());
        // first of all: another run using this directory must not find its data deleted (--fresh) or shared
        dataLock = DataDirectoryLock.acquire(options.dataDir());
        checkJars();
        checkPortsFree();
        Path pgData = options.dataDir().resolve("postgres");
        Path logs = options.dataDir().resolve("logs");
        try {
            if (options.fresh()) {
                deleteContents(options.dataDir(), options.dataDir().resolve(DataDirectoryLock.FILE_NAME));
            }
            Files.createDirectories(pgData);
            Files.createDirectories(logs);
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(postgresPort())
                    .setServerConfig("max_connections", "200")
                    // the library's defaults (fsync and synchronous commit off) suit throw-away test databases, not
                    // data kept between runs: a crash would lose committed work, usage-log entries included
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    // the library waits 10 s by default, too short for a first start on a busy 2-core machine
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logs.resolve("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logs.resolve("postgres.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start (data in " + pgData + ")", e);
        }
        createDatabases();
        for (ServiceSpec spec : SuiteLayout.services()) {
            running.add(launch(spec, logs));
        }
        for (Running service : running) {
            awaitReady(service);
        }
        readyNanos = System.nanoTime();
    }

    private void checkJars() {
        for (ServiceSpec spec : SuiteLayout.services()) {
            Path jar = jar(spec);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("Missing " + jar + ": build first (./mvnw package -DskipTests)");
            }
        }
    }

    /** A second run (or anything else) on our ports would answer the readiness checks in our place. */
    private void checkPortsFree() {
        List<Integer> ports = new ArrayList<>();
        ports.add(postgresPort());
        SuiteLayout.services().forEach(spec -> ports.add(spec.port() + options.portOffset()));
        for (int port : ports) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            } catch (IOException e) {
                throw new IllegalStateException("Port " + port + " on 127.0.0.1 is already in use (is the suite already"
                        + " running? stop it, or use --port-offset N)");
            }
        }
    }

    /** Whether every service has a class-data-sharing archive for its current build. */
    public static boolean classDataArchivesPresent(Options options) {
        Suite probe = new Suite(options);
        return SuiteLayout.services().stream().allMatch(spec -> Files.isRegularFile(probe.cdsArchive(spec)));
    }

    private Path jar(ServiceSpec spec) {
        return options.root().resolve(spec.module()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private void createDatabases() {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            for (ServiceSpec spec : SuiteLayout.services()) {
                if (spec.database() == null) {
                    continue;
                }
                boolean exists;
                try (ResultSet rs = s.executeQuery(
                        "SELECT 1 FROM pg_database WHERE datname = '" + spec.database() + "'")) {
                    exists = rs.next();
                }
                if (!exists) {
                    s.execute("CREATE DATABASE " + spec.database());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the service databases", e);
        }
    }

    /**
     * The serial collector with a 4 MiB young generation for every service: an idle service keeps its eden resident
     * (8 MiB cost 4-5 MiB more RSS each), and G1's own structures cost identity-service about 10 MiB more than the
     * serial collector even counting its periodic collections (Argon2id leaves 19 MiB per password hash in the old
     * generation). Without ShrinkHeapInSteps a full collection gives the old generation back down to what is live
     * at once, instead of in steps over four collections, so the start-up peak (migrations, the catalogue replica's
     * first sync) is returned at the first full collection after it (10-19 MiB less for data-exchange-service).
     */
    static final List<String> COLLECTOR_OPTIONS = List.of("-XX:+UseSerialGC", "-Xmn4m", "-XX:-ShrinkHeapInSteps");

    private Running launch(ServiceSpec spec, Path logs) {
        int port = spec.port() + options.portOffset();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvmOptions());
        if (options.jvmOptions().stream().noneMatch(o -> o.matches("-XX:\\+Use\\w+GC"))) {
            command.addAll(COLLECTOR_OPTIONS);
        }
        command.addAll(classDataSharing(spec));
        command.add("-jar");
        command.add(jar(spec).toString());
        ProcessBuilder builder = new ProcessBuilder(command).directory(options.dataDir().toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_PROFILE", options.demo() ? "prod,demo" : "prod");
        // glibc gives each busy thread its own arena; two are plenty for a service and keep idle RSS lower
        env.putIfAbsent("MALLOC_ARENA_MAX", "2");
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        if (spec.database() != null) {
            env.put("QUARKUS_DATASOURCE_JDBC_URL",
                    "jdbc:postgresql://127.0.0.1:" + postgresPort() + "/" + spec.database());
            env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        }
        spec.env().forEach((key, value) -> env.put(key, resolvePorts(value)));
        if (spec.name().equals("identity-service")) {
            // its own key-encryption key per data directory (with or without demo data), never the published demo key
            env.put("IDENTITY_KEYS_ENCRYPTION_KEY", localKeyEncryptionKey());
        }
        if (!options.demo() && (spec.name().equals("gateway") || spec.name().equals("identity-service"))) {
            // the gateway refuses the published fallback console secret in the prod profile: one of this data
            // directory's own, and identity registers its client 'gateway' with the same secret (console sign-in,
            // the gateway's fetch of the revocation list)
            String secret = env.getOrDefault("GATEWAY_CONSOLE_CLIENT_SECRET", localSecret("gateway-console-client-secret"));
            env.put(spec.name().equals("gateway") ? "GATEWAY_CONSOLE_CLIENT_SECRET"
                    : "IDENTITY_BOOTSTRAP_CLIENTS_GATEWAY_SECRET", secret);
        }
        if (spec.name().equals("data-exchange-service") && !options.demo()) {
            // the prod profile has no default for these: a subject-hash key of this data directory's own, and the
            // demo province's 大数据局 as competent authority unless the caller's environment names another
            env.put("EXCHANGE_SUBJECT_HASH_KEY", localSecret("exchange-subject-hash-key"));
            env.putIfAbsent("EXCHANGE_COMPETENT_AUTHORITY_DEPARTMENT", "113300000024810109");
        }
        Path log = logs.resolve(spec.name() + ".log");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            return new Running(spec, port, builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + spec.name(), e);
        }
    }

    /**
     * Application class-data sharing: the first run of a build records the classes a service loads into an archive
     * (written when the JVM exits), later runs map it instead of parsing those classes again, which starts the
     * service faster and leaves less in its metaspace. The archive is named after the service's jar, so a rebuild
     * gets a new one; the JVM itself refuses an archive that does not match and then simply runs without it.
     */
    private List<String> classDataSharing(ServiceSpec spec) {
        Path archive = cdsArchive(spec);
        if (Files.isRegularFile(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        try {
            Files.createDirectories(archive.getParent());
        } catch (IOException e) {
            return List.of();
        }
        recordings.put(spec.name(), archive);
        return List.of("-XX:ArchiveClassesAtExit=" + recordingArchive(archive), "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off");
    }

    private Path cdsArchive(ServiceSpec spec) {
        // the build's fingerprint: the newest of the launcher jar and the application's own jars
        Path app = jar(spec).getParent();
        long newest = 0;
        try (Stream<Path> files = Stream.concat(Stream.of(jar(spec)), Files.list(app.resolve("app")))) {
            for (Path file : files.toList()) {
                newest = Math.max(newest, Files.getLastModifiedTime(file).toMillis());
            }
        } catch (IOException e) {
            newest = 0;
        }
        return app.resolveSibling("app-cds").resolve(spec.name() + "-" + Long.toHexString(newest) + ".jsa");
    }

    private static Path recordingArchive(Path archive) {
        return archive.resolveSibling(archive.getFileName() + ".recording");
    }

    /** A recording becomes the archive only if its JVM ended normally (a killed JVM leaves a partial file). */
    private void keepRecordedArchive(Running service) {
        // the name chosen at launch: the jar may have been rebuilt while the suite ran
        Path archive = recordings.remove(service.spec().name());
        if (archive == null) {
            return;
        }
        Path recording = recordingArchive(archive);
        try {
            int exit = service.process().exitValue();
            if (Files.isRegularFile(recording) && Files.size(recording) > 0 && (exit == 0 || exit == 130
                    || exit == 143)) {
                Files.move(recording, archive, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(recording);
            }
        } catch (IOException | IllegalThreadStateException e) {
            // no archive this time; the next run records again
        }
    }

    /** identity-service's key-encryption key for this data directory: made once, kept beside the data, owner-only. */
    private String localKeyEncryptionKey() {
        return localSecret("identity-keys-encryption-key");
    }

    /** 32 random bytes, base64, kept in the data directory (readable by its owner only) from the first run on. */
    private String localSecret(String name) {
        Path file = options.dataDir().resolve(name);
        try {
            if (!Files.exists(file)) {
                byte[] key = new byte[32];
                new java.security.SecureRandom().nextBytes(key);
                Files.writeString(file, java.util.Base64.getEncoder().encodeToString(key));
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create " + file, e);
        }
    }

    private String resolvePorts(String value) {
        Matcher m = PORT_REF.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int port = SuiteLayout.services().stream().filter(s -> s.name().equals(m.group(1))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("Unknown service in " + value)).port();
            m.appendReplacement(out, String.valueOf(port + options.portOffset()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private void awaitReady(Running service) {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        URI ready = URI.create(service.baseUrl() + "/q/health/ready");
        while (System.nanoTime() < deadline) {
            if (!service.process().isAlive()) {
                throw new IllegalStateException(service.spec().name() + " exited with code "
                        + service.process().exitValue() + "; see " + service.log());
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready)
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + service.spec().name());
            }
            sleep(100);
        }
        throw new IllegalStateException(service.spec().name() + " was not ready within "
                + options.readyTimeout().toSeconds() + " s; see " + service.log());
    }

    /** Exit status of a JVM stopped by SIGINT (128 + 2): what the terminal's Ctrl-C does to every service. */
    static final int INTERRUPTED = 130;

    /**
     * Calls {@code listener} with the service and its exit status when a service exits on its own (a crash, an
     * out-of-memory exit, a kill from outside), never for the stop that {@link #close()} makes nor for an exit on
     * SIGINT (the terminal's Ctrl-C, which stops the launcher too).
     */
    public void onServiceExit(BiConsumer<Running, Integer> listener) {
        for (Running service : services()) {
            service.process().onExit().thenAccept(process -> {
                // 130: SIGINT. The services share the launcher's terminal, so Ctrl-C reaches them at the same moment
                // as the launcher, often before its shutdown hook has set closing; that stop is not a crash.
                if (!closing && process.exitValue() != INTERRUPTED) {
                    listener.accept(service, process.exitValue());
                }
            });
        }
    }

    /** Stops the services (SIGTERM, then SIGKILL after 20 s) and then PostgreSQL. Safe to call twice. */
    @Override
    public synchronized void close() {
        closing = true;
        for (Running service : running) {
            service.process().descendants().forEach(ProcessHandle::destroy);
            service.process().destroy();
        }
        for (Running service : running) {
            try {
                if (!service.process().waitFor(60, TimeUnit.SECONDS)) {
                    service.process().descendants().forEach(ProcessHandle::destroyForcibly);
                    service.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
                keepRecordedArchive(service);
            } catch (InterruptedException e) {
                service.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        running.clear();
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e.getMessage());
            }
            postgres = null;
        }
        if (dataLock != null) {
            dataLock.close();
            dataLock = null;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Empties {@code dir} but for {@code keep} (the lock this run holds). */
    private static void deleteContents(Path dir, Path keep) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir) && !p.equals(keep)) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Base URLs by service name, for printing and for tests. */
    public Map<String, String> urls() {
        Map<String, String> urls = new LinkedHashMap<>();
        running.forEach(r -> urls.put(r.spec().name(), r.baseUrl()));
        return urls;
    }
}
