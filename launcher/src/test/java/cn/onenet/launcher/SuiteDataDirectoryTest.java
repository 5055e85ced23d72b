package cn.onenet.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Two runs from one checkout share its data directory: the second must be refused before it deletes (--fresh) or
 * touches anything of the first. The services are stand-ins ({@link StandInService}); PostgreSQL is the real embedded
 * one, in the data directory, as {@code ./run} starts it.
 */
class SuiteDataDirectoryTest {

    private static final int FIRST_OFFSET = 33_000;
    private static final int SECOND_OFFSET = 34_000;
    private static final List<String> SMALL_JVM = List.of("-Xmx32m", "-XX:TieredStopAtLevel=1");

    @Test
    void aFreshStartIsRefusedWhileAnotherRunUsesTheDataDirectory() throws Exception {
        Path root = standInCheckout();
        Path data = Files.createTempDirectory("suite-lock-data");
        Suite.Options first = new Suite.Options(root, data, true, true, FIRST_OFFSET, Duration.ofSeconds(60),
                SMALL_JVM);
        try (Suite running = Suite.start(first)) {
            // the first run's data: PostgreSQL's files, identity's key-encryption key, a search index, logs
            Path pgVersion = data.resolve("postgres/PG_VERSION");
            Path key = data.resolve("identity-keys-encryption-key");
            Path index = Files.createDirectories(data.resolve("catalog-index")).resolve("segments_1");
            Files.writeString(index, "the first run's index");
            assertTrue(Files.isRegularFile(pgVersion) && Files.isRegularFile(key), "the first run made its data");
            String keyBefore = Files.readString(key);
            Set<Path> filesBefore = files(data);
            Set<Long> childrenBefore = children();

            Suite.Options second = new Suite.Options(root, data, true, true, SECOND_OFFSET, Duration.ofSeconds(60),
                    SMALL_JVM);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> startAndStop(second));
            assertTrue(refused.getMessage().contains("is in use by another run of the suite"), refused.getMessage());
            assertTrue(refused.getMessage().contains(data.toString()), refused.getMessage());

            assertEquals(filesBefore, files(data), "the refused start deleted or added files");
            assertEquals(keyBefore, Files.readString(key), "the key-encryption key was replaced");
            assertEquals("the first run's index", Files.readString(index));
            assertEquals(childrenBefore, children(), "the refused start left a process running");
            for (Suite.Running service : running.services()) {
                assertTrue(service.process().isAlive(), service.spec().name() + " of the first run stopped");
            }
            new Socket("127.0.0.1", running.postgresPort()).close();
        }
    }

    @Test
    void anotherProcessHoldsTheLockUntilItEnds() throws Exception {
        Path data = Files.createTempDirectory("suite-lock-holder");
        Path marker = Files.writeString(data.resolve("identity-keys-encryption-key"), "kept");
        Process holder = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
                HoldDataDirectory.class.getName(), data.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("held", out.readLine());
            Suite.Options fresh = new Suite.Options(standInCheckout(), data, true, true, SECOND_OFFSET,
                    Duration.ofSeconds(60), SMALL_JVM);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> startAndStop(fresh));
            assertTrue(refused.getMessage().contains("(process " + holder.pid() + ")"), refused.getMessage());
            assertEquals("kept", Files.readString(marker));
            assertFalse(Files.exists(data.resolve("postgres")), "PostgreSQL must not start");
        } finally {
            try (OutputStream in = holder.getOutputStream()) {
                in.flush();
            }
            holder.waitFor();
        }
        // the holder has ended: the directory is free again
        DataDirectoryLock.acquire(data).close();
    }

    /** A start that should be refused; were it not, what it started is stopped again at once. */
    private static void startAndStop(Suite.Options options) {
        Suite.start(options).close();
    }

    /** A checkout whose four service jars are {@link StandInService}. */
    static Path standInCheckout() throws IOException {
        Path root = Files.createTempDirectory("suite-checkout");
        Path testClasses;
        try {
            testClasses = Path.of(StandInService.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, StandInService.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, testClasses.toUri().toString());
        for (ServiceSpec spec : SuiteLayout.services()) {
            Path jar = root.resolve(spec.module()).resolve("target/quarkus-app/quarkus-run.jar");
            Files.createDirectories(jar.getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                out.flush();
            }
        }
        return root;
    }

    private static Set<Path> files(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            return paths.map(dir::relativize).collect(Collectors.toSet());
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
