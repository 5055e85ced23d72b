package cn.onenet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A PostgreSQL server of the test's own, which the test stops to see what callers get while the database is down.
 * The shared {@link EmbeddedPostgres} stays up for every other test class in the JVM. Use it from a
 * {@code QuarkusTestProfile} (so the application starts on this server alone) and call {@link #stopServer()} in the test:
 * it reads the server from the configuration, so it works whatever class loader the test runs in.
 */
public class DatabaseOutage implements QuarkusTestResourceLifecycleManager {

    /** The postmaster's process id, for {@link #stopServer()}. */
    public static final String PID_PROPERTY = "onenet.test.outage.postmaster-pid";
    public static final String PORT_PROPERTY = "onenet.test.outage.port";

    private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    @Override
    public Map<String, String> start() {
        try {
            server = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL did not start (zonky binaries)", e);
        }
        String pid;
        try {
            pid = postmasterPid();
        } catch (RuntimeException e) {
            stop(); // the test resource is not started, so nothing else would stop this server
            server = null;
            throw e;
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", server.getJdbcUrl("postgres", "postgres"),
                "quarkus.datasource.username", EmbeddedPostgres.username(),
                "quarkus.datasource.password", EmbeddedPostgres.password(),
                PID_PROPERTY, pid,
                PORT_PROPERTY, String.valueOf(server.getPort()));
    }

    /** The postmaster's process id, from postmaster.pid in the server's data directory. */
    private String postmasterPid() {
        String dataDirectory;
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW data_directory")) {
            r.next();
            dataDirectory = r.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the data directory of the outage server", e);
        }
        try {
            return Files.readAllLines(Path.of(dataDirectory, "postmaster.pid")).get(0).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int order() {
        // after the shared PostgresTestResource, so that this server's address is the one the application gets
        return 1_000;
    }

    @Override
    public void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException | RuntimeException ignored) {
                // already stopped by the test; close() still removes the data directory
            }
        }
    }

    /**
     * Stops the server now, as an operator's fast shutdown does (SIGINT: open connections are cut, new ones refused),
     * and returns once its port refuses connections.
     */
    public static void stopServer() {
        org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        long pid = config.getValue(PID_PROPERTY, Long.class);
        int port = config.getValue(PORT_PROPERTY, Integer.class);
        try {
            Process kill = new ProcessBuilder("kill", "-INT", String.valueOf(pid)).inheritIO().start();
            kill.waitFor(30, TimeUnit.SECONDS);
            for (int tries = 0; tries < 600 && accepts(port); tries++) {
                Thread.sleep(100);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (accepts(port)) {
            throw new IllegalStateException("PostgreSQL on port " + port + " did not stop");
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
