package cn.onenet.exchange.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jboss.logging.Logger;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.identifiers.ResidentIdNumber;
import cn.onenet.exchange.service.Json;
import cn.onenet.exchange.service.SubjectHasher;

/**
 * Gives correction requests filed before V61 the requester's ID number or credit code ({@code subject_identifier}),
 * which the provider department needs to find the record. Those requests kept only the keyed hash of the number
 * ({@code subject_hash}, HMAC with {@code exchange.subject-hash-key}), which cannot be reversed; but the number a
 * request is about is, as a rule, in the provider's records: the number whose hash is the request's is taken from the
 * records of the request's dataset (their keys and the ID numbers and credit codes in them, as the usage log reads
 * them), then from the other hosted datasets. It is stored as a new request stores the token's number: 18 characters,
 * in upper case. A request whose number is held in no record keeps none (the provider asks the requester, as before);
 * nothing is guessed. Runs in Java because the hash key is configuration, never put into SQL text.
 */
public class V66__CorrectionSubjectIdentifierBackfill extends BaseJavaMigration {

    private static final Logger LOG = Logger.getLogger(V66__CorrectionSubjectIdentifierBackfill.class);

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        // subject hash → the requests with that hash, per dataset
        Map<String, Map<String, List<Long>>> wanted = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, resource_code, subject_hash FROM correction WHERE subject_identifier IS NULL");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                wanted.computeIfAbsent(rs.getString(2), k -> new HashMap<>())
                        .computeIfAbsent(rs.getString(3), k -> new ArrayList<>()).add(rs.getLong(1));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        SubjectHasher hasher = new SubjectHasher(
                ConfigProvider.getConfig().getValue("exchange.subject-hash-key", String.class));
        Map<String, List<Long>> left = new HashMap<>();
        int found = 0;
        for (Map.Entry<String, Map<String, List<Long>>> dataset : wanted.entrySet()) {
            Map<String, List<Long>> hashes = dataset.getValue();
            found += find(c, hasher, "WHERE resource_code = ?", dataset.getKey(), hashes);
            hashes.forEach((hash, ids) -> left.computeIfAbsent(hash, k -> new ArrayList<>()).addAll(ids));
        }
        if (!left.isEmpty()) {
            // the number may be held only in another dataset (a request to supplement a record that is missing)
            found += find(c, hasher, "", null, left);
        }
        LOG.infof("V66: %d correction requests filed before V61 got the requester's number, %d keep none", found,
                left.values().stream().mapToInt(List::size).sum());
    }

    /**
     * Reads the records ({@code where}, one parameter or none) until every hash in {@code wanted} is matched; stores
     * each number found on its requests and removes them from {@code wanted}. Returns how many requests got one.
     */
    private static int find(Connection c, SubjectHasher hasher, String where, String resourceCode,
            Map<String, List<Long>> wanted) throws SQLException {
        int stored = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT record_key, data FROM dataset_record " + where);
                PreparedStatement update = c.prepareStatement(
                        "UPDATE correction SET subject_identifier = ? WHERE id = ? AND subject_identifier IS NULL")) {
            if (resourceCode != null) {
                ps.setString(1, resourceCode);
            }
            ps.setFetchSize(500); // Flyway runs this in a transaction: the driver streams with a cursor
            try (ResultSet rs = ps.executeQuery()) {
                while (!wanted.isEmpty() && rs.next()) {
                    Map<String, Object> data;
                    try {
                        data = Json.object(rs.getString(2));
                    } catch (RuntimeException e) {
                        data = null; // a record that is not a JSON object still has its key
                    }
                    for (String value : SubjectHasher.identifiersOf(rs.getString(1), data)) {
                        String number = value.strip().toUpperCase(Locale.ROOT);
                        if (!ResidentIdNumber.isValid(number) && !CreditCode.isValid(number)) {
                            continue; // a key that is no number (an account number) is not the requester's
                        }
                        List<Long> ids = wanted.remove(hasher.hash(number));
                        if (ids != null) {
                            for (long id : ids) {
                                update.setString(1, number);
                                update.setLong(2, id);
                                stored += update.executeUpdate();
                            }
                        }
                    }
                }
            }
        }
        return stored;
    }
}
