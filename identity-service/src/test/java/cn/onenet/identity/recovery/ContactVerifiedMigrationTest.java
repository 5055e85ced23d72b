package cn.onenet.identity.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

import cn.onenet.testsupport.EmbeddedPostgres;

/**
 * V37: the account records when its e-mail and phone were verified, backfilled from what showed it before — a contact
 * change APPLIED with the current value, a successful counter verification whose audit row names the contact — so no
 * contact verified then is unverified after. A change applied with an earlier value, a failed counter verification,
 * or a contact nothing verified stays unverified. Afterwards an update that changes a contact without setting its
 * verified moment clears it.
 */
class ContactVerifiedMigrationTest {

    private static FluentConfiguration flyway(String url) {
        return Flyway.configure().dataSource(url, EmbeddedPostgres.username(), EmbeddedPostgres.password())
                .locations("classpath:db/migration").placeholders(Map.of("system_clients", "gateway"));
    }

    @Test
    void verifiedContactsAreBackfilledFromAppliedChangesAndCounterVerifications() throws SQLException {
        String url = EmbeddedPostgres.createDatabase("identity_v37");
        flyway(url).target("36").load().migrate();
        try (Connection c = DriverManager.getConnection(url, EmbeddedPostgres.username(),
                EmbeddedPostgres.password())) {
            OffsetDateTime changed = OffsetDateTime.parse("2026-03-01T08:00:00Z");
            OffsetDateTime counter = OffsetDateTime.parse("2026-05-01T08:00:00Z");
            // the phone changed with a code; a change of the e-mail cancelled
            UUID changedPhone = account(c, "330106199001011001", "13800000001", "a@example.cn");
            change(c, changedPhone, "PHONE", "13800000001", "APPLIED", changed);
            change(c, changedPhone, "EMAIL", "cancelled@example.cn", "CANCELLED", changed);
            // the e-mail changed with a code, compared without case; the phone changed later to a number on file no more
            UUID changedEmail = account(c, "330106199001011002", "13800000002", "B@Example.cn");
            change(c, changedEmail, "EMAIL", "b@example.cn", "APPLIED", changed);
            change(c, changedEmail, "PHONE", "13800000099", "APPLIED", changed);
            // both set at the counter, the phone again later: the latest moment of each
            UUID counted = account(c, "330106199001011003", "13800000003", "c@example.cn");
            counter(c, counted, "SUCCESS", " phone email", changed);
            counter(c, counted, "SUCCESS", " phone", counter);
            // a counter verification refused: nothing verified
            UUID refused = account(c, "330106199001011004", "13800000004", "d@example.cn");
            counter(c, refused, "FAILURE", " phone email", counter);
            // contacts entered by an administrator; an e-mail-only counter verification, the e-mail removed since
            UUID entered = account(c, "330106199001011005", "13800000005", null);
            counter(c, entered, "SUCCESS", " email", changed);

            flyway(url).load().migrate();

            assertEquals(changed + " null", verifiedAt(c, changedPhone));
            assertEquals("null " + changed, verifiedAt(c, changedEmail));
            assertEquals(counter + " " + changed, verifiedAt(c, counted));
            assertEquals("null null", verifiedAt(c, refused));
            assertEquals("null null", verifiedAt(c, entered));

            // an edit of the phone that does not verify it clears its moment, the e-mail's stays
            try (PreparedStatement s = c.prepareStatement("UPDATE account SET phone = '13900000003' WHERE id = ?")) {
                s.setObject(1, counted);
                s.executeUpdate();
            }
            assertEquals("null " + changed, verifiedAt(c, counted));
            // one that sets the moment with the contact keeps it; removing the contact removes it
            try (PreparedStatement s = c.prepareStatement("UPDATE account SET phone = '13900000001', "
                    + "phone_verified_at = ?, email = NULL WHERE id = ?")) {
                s.setObject(1, counter);
                s.setObject(2, changedEmail);
                s.executeUpdate();
            }
            assertEquals(counter + " null", verifiedAt(c, changedEmail));
        }
    }

    private static UUID account(Connection c, String idNumber, String phone, String email) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO account (id, account_type, username, display_name, "
                + "id_number, phone, email) VALUES (?, 'NATURAL_PERSON', ?, '王小明', ?, ?, ?)")) {
            s.setObject(1, id);
            s.setString(2, idNumber);
            s.setString(3, idNumber);
            s.setString(4, phone);
            s.setString(5, email);
            s.executeUpdate();
        }
        return id;
    }

    /** A change as ContactService ended it before V37. */
    private static void change(Connection c, UUID account, String channel, String value, String outcome,
            OffsetDateTime endedAt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO contact_change (id, account_id, channel, new_value, "
                + "code_hash, code_expires_at, confirmed_at, effective_at, ended_at, outcome) "
                + "VALUES (?, ?, ?, ?, 'hash', ?, ?, ?, ?, ?)")) {
            s.setObject(1, UUID.randomUUID());
            s.setObject(2, account);
            s.setString(3, channel);
            s.setString(4, value);
            s.setObject(5, endedAt);
            s.setObject(6, endedAt);
            s.setObject(7, endedAt);
            s.setObject(8, endedAt);
            s.setString(9, outcome);
            s.executeUpdate();
        }
    }

    /** The audit row CounterVerification wrote before V37, naming the contacts it set. */
    private static void counter(Connection c, UUID account, String outcome, String contacts, OffsetDateTime at)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_event (at, event_type, outcome, actor, "
                + "subject, detail) VALUES (?, 'COUNTER_VERIFICATION', ?, ?, ?, ?)")) {
            s.setObject(1, at);
            s.setString(2, outcome);
            s.setString(3, UUID.randomUUID().toString());
            s.setString(4, account.toString());
            s.setString(5, "reason=受理单 HZ-1：本人到场; contacts set:" + contacts + "; sessions ended=0, other grants "
                    + "revoked=0; second factor reset=false; delegations revoked=0");
            s.executeUpdate();
        }
    }

    /** "phone_verified_at email_verified_at", each an instant or null. */
    private static String verifiedAt(Connection c, UUID account) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT phone_verified_at, email_verified_at FROM account "
                + "WHERE id = ?")) {
            s.setObject(1, account);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return instant(r.getObject(1, OffsetDateTime.class)) + " " + instant(r.getObject(2, OffsetDateTime.class));
            }
        }
    }

    private static String instant(OffsetDateTime t) {
        return t == null ? "null" : t.toInstant().atOffset(java.time.ZoneOffset.UTC).toString();
    }
}
