package cn.onenet.exchange.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jboss.logging.Logger;

import cn.onenet.exchange.service.SubjectHasher;

/**
 * 校核 (R13, 条例第二十六条): the provider verifies and corrects the record an objection names, so it must know which
 * one. Objections kept only the keyed hash of the record key ({@code record_key_hash}); the key itself is now kept
 * beside it ({@code record_key}) and shown to whoever reads the objection, and the provider's answer states its outcome
 * ({@code outcome}: 已更正, 经核实无误, 部分更正; answers given before have none).
 *
 * <p>Objections filed before get their key where a record of their dataset hosted by the exchange has it (deleted
 * records included: the objection may be why it was deleted). A keyed hash cannot be reversed, so an objection on a
 * dataset the provider serves from its own API, or on a record never hosted, keeps none; nothing is guessed. Runs in
 * Java because the hash key is configuration, never put into SQL text.
 */
public class V71__ObjectionRecordKeyAndOutcome extends BaseJavaMigration {

    private static final Logger LOG = Logger.getLogger(V71__ObjectionRecordKeyAndOutcome.class);

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE objection ADD COLUMN record_key VARCHAR(100)");
            s.execute("ALTER TABLE objection ADD COLUMN outcome VARCHAR(30) CONSTRAINT objection_outcome_known "
                    + "CHECK (outcome IN ('CORRECTED', 'CONFIRMED_CORRECT', 'PARTIALLY_CORRECTED'))");
        }
        // dataset → record key hash → the objections with that hash
        Map<String, Map<String, List<Long>>> wanted = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT resource_code, "
                + "record_key_hash, array_agg(id) FROM objection GROUP BY resource_code, record_key_hash")) {
            while (rs.next()) {
                Long[] ids = (Long[]) rs.getArray(3).getArray();
                wanted.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), List.of(ids));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        String hashKey = ConfigProvider.getConfig().getValue("exchange.subject-hash-key", String.class);
        SubjectHasher hasher = new SubjectHasher(hashKey);
        int found = 0;
        int left = 0;
        try (PreparedStatement keys = c.prepareStatement(
                "SELECT record_key FROM dataset_record WHERE resource_code = ?");
                PreparedStatement update = c.prepareStatement("UPDATE objection SET record_key = ? WHERE id = ?")) {
            keys.setFetchSize(500); // Flyway runs this in a transaction: the driver streams with a cursor
            for (Map.Entry<String, Map<String, List<Long>>> dataset : wanted.entrySet()) {
                Map<String, List<Long>> hashes = dataset.getValue();
                keys.setString(1, dataset.getKey());
                try (ResultSet rs = keys.executeQuery()) {
                    while (!hashes.isEmpty() && rs.next()) {
                        String key = rs.getString(1);
                        List<Long> ids = hashes.remove(hasher.hash(key));
                        for (long id : ids == null ? List.<Long>of() : ids) {
                            update.setString(1, key);
                            update.setLong(2, id);
                            found += update.executeUpdate();
                        }
                    }
                }
                left += hashes.values().stream().mapToInt(List::size).sum();
            }
        }
        LOG.infof("V71: %d objections got their record key from the hosted records, %d keep none", found, left);
    }
}
