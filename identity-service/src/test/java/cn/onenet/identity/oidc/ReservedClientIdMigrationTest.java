package cn.onenet.identity.oidc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.EmbeddedPostgres;

/**
 * V36: a client registered under the prefix onenet- before it was reserved for the suite's APIs is disabled as an
 * administrator's disabling does it — version bumped, its users' grants and its client-credentials grant revoked —
 * with a CLIENT_DISABLED audit row by 'migration V36' saying why. The system clients named in
 * identity.system-clients (the placeholder system_clients), other clients and clients disabled already are left as
 * they were; the migration's checksum does not depend on that list, so changing it later keeps Flyway's validation.
 */
class ReservedClientIdMigrationTest {

    private static FluentConfiguration flyway(String url, String systemClients) {
        return Flyway.configure().dataSource(url, EmbeddedPostgres.username(), EmbeddedPostgres.password())
                .locations("classpath:db/migration").placeholders(Map.of("system_clients", systemClients));
    }

    @Test
    void clientsUnderTheReservedPrefixAreDisabledWithTheirGrantsAndAnAuditRow() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("identity_v36");
        String systemClients = "gateway, onenet-console,catalog-service,data-exchange-service";
        flyway(url, systemClients).target("35").load().migrate();
        try (Connection c = DriverManager.getConnection(url, EmbeddedPostgres.username(),
                EmbeddedPostgres.password())) {
            UUID person = account(c);
            for (String id : List.of("onenet-portal", "onenet-console", "gateway", "rp-onenet-app", "onenet-old")) {
                client(c, id, !"onenet-old".equals(id));
            }
            UUID portalGrant = userGrant(c, "onenet-portal", person);
            UUID portalClientGrant = clientGrant(c, "onenet-portal");
            UUID consoleGrant = userGrant(c, "onenet-console", person);
            UUID gatewayGrant = userGrant(c, "gateway", person);
            UUID appGrant = userGrant(c, "rp-onenet-app", person);
            UUID appClientGrant = clientGrant(c, "rp-onenet-app");

            flyway(url, systemClients).load().migrate();

            assertEquals("false 1", client(c, "onenet-portal"), "disabled, version bumped");
            assertEquals("client_disabled", revokeReason(c, "token_grant", portalGrant));
            assertEquals("client_disabled", revokeReason(c, "client_credentials_grant", portalClientGrant));
            List<String[]> audit = audit(c);
            assertEquals(1, audit.size(), "one audit row, for onenet-portal only");
            String[] row = audit.get(0);
            assertEquals("CLIENT_DISABLED", row[0]);
            assertEquals("SUCCESS", row[1]);
            assertEquals("migration V36", row[2]);
            assertEquals("onenet-portal", row[3]);
            assertEquals("onenet-portal", row[4]);
            assertTrue(row[5].startsWith("grants revoked: 1, client-credentials grant revoked: 1;"), row[5]);
            assertTrue(row[5].contains("reserved for the suite's APIs"), row[5]);

            // a system client listed in identity.system-clients, the console, an ordinary client: untouched
            assertEquals("true 0", client(c, "onenet-console"));
            assertEquals("true 0", client(c, "gateway"));
            assertEquals("true 0", client(c, "rp-onenet-app"));
            for (UUID grant : List.of(consoleGrant, gatewayGrant, appGrant)) {
                assertNull(revokeReason(c, "token_grant", grant), "grant " + grant + " in force");
            }
            assertNull(revokeReason(c, "client_credentials_grant", appClientGrant));
            // disabled already: left as it was, no second audit row
            assertEquals("false 0", client(c, "onenet-old"));
        }
        // the list of system clients may change after the migration ran: Flyway's validation still passes
        flyway(url, "gateway").load().validate();
    }

    private static UUID account(Connection c) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO account (id, account_type, username, display_name, "
                + "id_number) VALUES (?, 'NATURAL_PERSON', '330106199001011234', '王小明', '330106199001011234')")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
        return id;
    }

    /** A client as the service registered it before V36. */
    private static void client(Connection c, String clientId, boolean enabled) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO oauth_client (client_id, name, secret_hash, "
                + "auth_method, grant_types, redirect_uris, scopes, audiences, enabled) VALUES (?, '门户应用', "
                + "'hash', 'client_secret_basic', 'authorization_code refresh_token client_credentials', "
                + "'https://portal.example.cn/cb', 'openid profile catalog', 'onenet-catalog', ?)")) {
            s.setString(1, clientId);
            s.setBoolean(2, enabled);
            s.executeUpdate();
        }
    }

    private static UUID userGrant(Connection c, String clientId, UUID account) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO token_grant (id, client_id, account_id, scope, "
                + "acr_level, amr, auth_time) VALUES (?, ?, ?, 'openid profile', 2, 'pwd', now())")) {
            s.setObject(1, id);
            s.setString(2, clientId);
            s.setObject(3, account);
            s.executeUpdate();
        }
        return id;
    }

    private static UUID clientGrant(Connection c, String clientId) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO client_credentials_grant (id, client_id) "
                + "VALUES (?, ?)")) {
            s.setObject(1, id);
            s.setString(2, clientId);
            s.executeUpdate();
        }
        return id;
    }

    /** "enabled version" of the client. */
    private static String client(Connection c, String clientId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT enabled || ' ' || version FROM oauth_client "
                + "WHERE client_id = ?")) {
            s.setString(1, clientId);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    /** The grant's revoke reason; null while it is in force (its revoked_at checked to agree). */
    private static String revokeReason(Connection c, String table, UUID grant) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT revoked_at, revoke_reason FROM " + table
                + " WHERE id = ?")) {
            s.setObject(1, grant);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                String reason = r.getString(2);
                if (reason == null) {
                    assertNull(r.getObject(1), "in force");
                } else {
                    assertNotNull(r.getObject(1), "revoked");
                }
                return reason;
            }
        }
    }

    private static List<String[]> audit(Connection c) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT event_type, outcome, actor, subject, client_id, detail "
                + "FROM audit_event ORDER BY id"); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), r.getString(6)});
            }
        }
        return rows;
    }
}
