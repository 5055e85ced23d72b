package cn.onenet.catalog.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import cn.onenet.testsupport.EmbeddedPostgres;

/** A database of its own for a migration test: Flyway on it, and rows written as older versions of the service did. */
public final class MigrationDatabase {

    private MigrationDatabase() {
    }

    public static FluentConfiguration flyway(String url) {
        return Flyway.configure().dataSource(url, EmbeddedPostgres.username(), EmbeddedPostgres.password())
                .locations("classpath:db/migration");
    }

    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgres.username(), EmbeddedPostgres.password());
    }

    /** An entry of 浙江省公安厅 in the given state, with a published copy (schema V3 and later). */
    public static long entry(Connection c, String name, String state) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO catalog_entry (metadata_id, classification_code, "
                + "provider_code, region_code, name, state, draft, published, published_version, created_by, "
                + "created_at, updated_by, updated_at) VALUES (gen_random_uuid()::text, '101001', "
                + "'11330000002481020A', '330000', ?, ?, '{}'::jsonb, '{}'::jsonb, 1, 'editor-police', "
                + "now(), 'reviewer-1', now()) RETURNING id")) {
            s.setString(1, name);
            s.setString(2, state);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** A step of the entry's history (schema V6 and later: with the actor's name). */
    public static void event(Connection c, long entry, String action, String actor, String name, String role,
            String at) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO entry_event (entry_id, action, actor, actor_name, "
                + "actor_role, at) VALUES (?, ?, ?, ?, ?, ?::timestamptz)")) {
            s.setLong(1, entry);
            s.setString(2, action);
            s.setString(3, actor);
            s.setString(4, name);
            s.setString(5, role);
            s.setString(6, at);
            s.executeUpdate();
        }
    }
}
