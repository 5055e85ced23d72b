package cn.onenet.exchange.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jboss.logging.Logger;

import cn.onenet.exchange.service.DeliveryService;
import cn.onenet.exchange.service.GrantEvidence;
import cn.onenet.exchange.service.Json;
import cn.onenet.exchange.service.LogEntry;
import cn.onenet.exchange.service.WebhookDispatcher;

/**
 * Webhook attempts made before V67 kept one DELIVERED usage-log entry each, so the citizens' view showed an event
 * as often as it was tried. Since V67 the dispatcher follows an attempt that is not a delivery of the record with an
 * entry under the same request id (NOT_SENT, NOT_ACCEPTED, REPEATED) and the view leaves the attempt out. This
 * migration gives the earlier attempts the follow-ups the dispatcher would have written
 * ({@link WebhookDispatcher#followUp}): per outbox event, attempt by attempt, an answer other than 2xx is
 * NOT_ACCEPTED, a failed TLS handshake (or an address refused before connecting) NOT_SENT, and any other attempt
 * after one that stands REPEATED; the first that stands stays shown. An attempt that already has a follow-up is left
 * as it is, and a CONNECT_FAILED one (also a connection broken off after sending) stands: it is not hidden on a
 * guess.
 * <p>
 * The usage log is append-only and hash-chained (a trigger refuses updates, signed checkpoints and witnesses hold
 * its hashes): the old entries are not touched. The follow-ups are appended to the chain, logged now, each carrying
 * the attempt's delivery id and what its entry named (consumer, grant, purpose, legal basis, resource, provider,
 * items), no subjects: as the dispatcher writes them. The chain head row is locked first, so a replica still
 * running writes after them.
 */
public class V68__WebhookFollowUpBackfill extends BaseJavaMigration {

    private static final Logger LOG = Logger.getLogger(V68__WebhookFollowUpBackfill.class);

    private static final String ATTEMPTS = "SELECT a.outbox_id, a.http_status, a.error, l.request_id, "
            + "l.consumer_department_code, l.grant_id, l.purpose, l.legal_basis, l.resource_code, "
            + "l.provider_department_code, l.items, EXISTS (SELECT 1 FROM usage_log f WHERE f.request_id = l.request_id "
            + "AND f.operation = 'WEBHOOK' AND f.outcome IN ('"
            + String.join("', '", DeliveryService.WEBHOOK_FOLLOW_UPS) + "')) "
            + "FROM webhook_attempt a JOIN usage_log l ON l.seq = a.usage_log_seq "
            // in the order they were made: attempt numbers start again when a given-up event is resumed
            + "WHERE l.operation = 'WEBHOOK' AND l.outcome = 'DELIVERED' ORDER BY a.outbox_id, a.id";

    private static final String INSERT = "INSERT INTO usage_log (seq, logged_at, request_id, client_id, user_sub, "
            + "consumer_department_code, grant_id, purpose, legal_basis, resource_code, provider_department_code, "
            + "items, subject_hashes, operation, outcome, hidden_until, prev_hash, entry_hash, hidden_until_salt, "
            + "hidden_until_commitment, entry_format, reason) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, ?, NULL)";

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        long seq;
        String prev;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_seq, last_hash FROM usage_log_head WHERE id = 1 FOR UPDATE");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
            prev = rs.getString(2);
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Map<String, Integer> added = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(ATTEMPTS)) {
            ps.setFetchSize(500); // Flyway runs this in a transaction: the driver streams with a cursor
            long outbox = -1;
            boolean stands = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(1) != outbox) {
                        outbox = rs.getLong(1);
                        stands = false;
                    }
                    if (rs.getBoolean(12)) {
                        continue; // already taken back when it was made
                    }
                    Integer status = rs.getObject(2) == null ? null : rs.getInt(2);
                    boolean earlierStands = stands;
                    String followUp = WebhookDispatcher.followUp(WebhookDispatcher.storedUnsent(status,
                            rs.getString(3)), status, () -> earlierStands);
                    if (followUp == null) {
                        stands = true;
                        continue;
                    }
                    LogEntry e = LogEntry.of(++seq, at, new LogEntry.Draft(rs.getString(4), "webhook", null,
                            rs.getString(5), rs.getObject(6) == null ? null : rs.getLong(6), rs.getString(7),
                            rs.getString(8), rs.getString(9), rs.getString(10), Json.strings(rs.getString(11)),
                            List.of(), "WEBHOOK", followUp, null, null), prev);
                    prev = e.hash();
                    append(c, e);
                    added.merge(followUp, 1, Integer::sum);
                }
            }
        }
        if (!added.isEmpty()) {
            try (PreparedStatement head = c.prepareStatement(
                    "UPDATE usage_log_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
                head.setLong(1, seq);
                head.setString(2, prev);
                head.executeUpdate();
            }
        }
        LOG.infof("V68: follow-up entries appended to the usage log for webhook attempts made before V67: %s", added);
    }

    /**
     * Inserts one entry of the chain (neither covert nor with a reason) with its hash; the caller moves the head. Public for the
     * migration's test, which writes the attempts' entries of the old shape with it.
     */
    public static void append(Connection c, LogEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            GrantEvidence.bind(c, ps, e);
            ps.executeUpdate();
        }
    }

}
