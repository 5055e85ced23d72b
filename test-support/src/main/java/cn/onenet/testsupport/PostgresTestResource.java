package cn.onenet.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * {@code @QuarkusTestResource(PostgresTestResource.class)}: points the service at a fresh database on the
 * embedded PostgreSQL server. Flyway then builds the schema exactly as in production.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private String prefix = "test";

    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault("database", prefix);
    }

    @Override
    public Map<String, String> start() {
        String url = EmbeddedPostgres.createDatabase(prefix);
        return Map.of(
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", EmbeddedPostgres.username(),
                "quarkus.datasource.password", EmbeddedPostgres.password());
    }

    @Override
    public void stop() {
        // the server is shared by the JVM and stops with it
    }
}
