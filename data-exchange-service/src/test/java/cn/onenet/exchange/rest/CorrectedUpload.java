package cn.onenet.exchange.rest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;

/**
 * The provider's upload of a corrected record, as far as an answer "corrected" needs it: the item of the hosted record
 * gets another value (or, when the record is missing, a record holding the item is stored), as an upload of the
 * corrected record would store it; closing puts the dataset back as it was, so the demo records other tests read stay
 * as they are.
 */
final class CorrectedUpload implements AutoCloseable {

    private final String resourceCode;
    private final String key;
    /** The record's data before, null when there was no record. */
    private final String saved;

    private CorrectedUpload(String resourceCode, String key, String saved) {
        this.resourceCode = resourceCode;
        this.key = key;
        this.saved = saved;
    }

    private static Connection connection() throws SQLException {
        return Arc.container().instance(AgroalDataSource.class).get().getConnection();
    }

    /** Changes {@code item} of the record {@code key} of {@code resourceCode} (appends " 已更正" to its value). */
    static CorrectedUpload of(String resourceCode, String key, String item) {
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement("UPDATE dataset_record r SET data = jsonb_set(r.data::jsonb, "
                        + "ARRAY[?], to_jsonb(coalesce(r.data::jsonb ->> ?, '') || ' 已更正'))::text, updated_at = now() "
                        + "FROM dataset_record old WHERE r.resource_code = ? AND r.record_key = ? "
                        + "AND old.resource_code = r.resource_code AND old.record_key = r.record_key RETURNING old.data");
                PreparedStatement insert = c.prepareStatement("INSERT INTO dataset_record (resource_code, record_key, "
                        + "data, record_version, change_seq) VALUES (?, ?, jsonb_build_object(?, '已补充')::text, 1, "
                        + "nextval('record_change_seq'))")) {
            ps.setString(1, item);
            ps.setString(2, item);
            ps.setString(3, resourceCode);
            ps.setString(4, key);
            try (var rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new CorrectedUpload(resourceCode, key, rs.getString(1));
                }
            }
            insert.setString(1, resourceCode);
            insert.setString(2, key);
            insert.setString(3, item);
            insert.executeUpdate();
            return new CorrectedUpload(resourceCode, key, null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try (Connection c = connection();
                PreparedStatement ps = c.prepareStatement(saved == null
                        ? "DELETE FROM dataset_record WHERE resource_code = ? AND record_key = ?"
                        : "UPDATE dataset_record SET data = ? WHERE resource_code = ? AND record_key = ?")) {
            int i = 1;
            if (saved != null) {
                ps.setString(i++, saved);
            }
            ps.setString(i++, resourceCode);
            ps.setString(i, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
