package cn.onenet.exchange.repository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jboss.logging.Logger;

import cn.onenet.exchange.service.IdentifierKeys;
import cn.onenet.exchange.service.SubjectHasher;

/**
 * Names kept with the cases that lacked them, and identifier keys stored in another spelling folded.
 *
 * <p><b>Names as filed.</b> Complaints, security incidents and correction requests keep the catalogue entry's name
 * (and a correction the name of its data item) as they stood when filed, as requests, grants and objections do since
 * V75: {@code resource_name} on {@code complaint}, {@code security_incident}, {@code correction}, {@code item_name} on
 * {@code correction}. Cases filed before stay NULL: the replica holds only the entry's current version.
 *
 * <p><b>Identifier keys stored in another spelling.</b> Keys of entries whose key item is named 公民身份号码 or
 * 统一社会信用代码 are stored, looked up and hashed in one spelling ({@link IdentifierKeys#normalise}: format characters
 * removed, NFKC, stripped, upper case). Records stored before under a full-width or zero-width spelling are folded as
 * V74 folded lower case: a spelling alone moves to the standard key (the key item's value in {@code data} too); of
 * several live spellings of one key the standard key keeps the newest (highest change_seq); every other spelling ends
 * as a deleted record that keeps its data (the feed and the webhooks tell subscribers). Objections naming such a key
 * get the standard one and its hash; an objection that kept only the hash (filed before V71) gets both where a hosted
 * record of its dataset is stored under the spelling hashed. Export files' subject hashes, which the usage log takes
 * when a part is downloaded, are mapped from the hash of the stored spelling to the hash of the standard one. The
 * usage log keeps the hashes it sealed (append-only, hash-chained); complaints, corrections and notices hold the hash
 * of a token's number, which identity-service issues in the standard spelling, and need nothing.
 *
 * <p>Java, not SQL: PostgreSQL's {@code normalize(text, NFKC)} keeps format characters other than those replaced by
 * hand (a word joiner U+2060, a soft hyphen U+00AD, a left-to-right mark U+200E are not decomposed by NFKC), so only
 * {@link IdentifierKeys} itself gives the spelling that uploads and lookups use; and the hashes need the hash key,
 * which is configuration, never put into SQL text.
 */
public class V76__IdentifierKeysFoldedAndCaseNames extends BaseJavaMigration {

    private static final Logger LOG = Logger.getLogger(V76__IdentifierKeysFoldedAndCaseNames.class);

    /** A key column's width (dataset_record.record_key, objection.record_key). */
    private static final int MAX_KEY = 100;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE complaint ADD COLUMN resource_name VARCHAR(300)");
            s.execute("ALTER TABLE security_incident ADD COLUMN resource_name VARCHAR(300)");
            s.execute("ALTER TABLE correction ADD COLUMN resource_name VARCHAR(300), ADD COLUMN item_name VARCHAR(300)");
        }
        foldIdentifierKeys(c);
    }

    /**
     * Folds what is stored under another spelling of an identifier key (records, objections, export files' hashes),
     * in the caller's transaction on {@code c}.
     */
    public static void foldIdentifierKeys(Connection c) throws SQLException {
        Map<String, String> keyItems = identifierEntries(c);
        if (keyItems.isEmpty()) {
            return;
        }
        SubjectHasher hasher = new SubjectHasher(
                ConfigProvider.getConfig().getValue("exchange.subject-hash-key", String.class));
        // dataset → hash of a stored spelling (as hashed before) → the standard key
        Map<String, Map<String, String>> spellings = new HashMap<>();
        int folded = 0;
        for (Map.Entry<String, String> entry : keyItems.entrySet()) {
            folded += foldRecords(c, hasher, entry.getKey(), entry.getValue(),
                    spellings.computeIfAbsent(entry.getKey(), k -> new HashMap<>()));
        }
        int objections = foldObjections(c, hasher, keyItems, spellings);
        Map<String, String> hashes = new HashMap<>();
        spellings.values().forEach(byHash -> byHash.forEach((old, key) -> hashes.put(old, hasher.hash(key))));
        int parts = mapHashes(c, "export_part", "export_id = ? AND part = ?", hashes)
                + mapHashes(c, "export_job", "id = ?", hashes);
        LOG.infof("V76: %d keys folded to the standard spelling, %d objections and %d export files given it", folded,
                objections, parts);
    }

    /** Resource code → key item code of the entries whose key item is a 公民身份号码 or 统一社会信用代码. */
    private static Map<String, String> identifierEntries(Connection c) throws SQLException {
        Map<String, String> found = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT resource_code, key_item, items FROM catalog_entry WHERE key_item IS NOT NULL")) {
            while (rs.next()) {
                if (IdentifierKeys.kindOf(rs.getString(2), rs.getString(3)) != null) {
                    found.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return found;
    }

    /**
     * Folds the live records of one dataset stored under another spelling; adds every stored spelling (deleted
     * records' too) to {@code spellings}, by the hash it was given. Returns how many standard keys were written.
     */
    private static int foldRecords(Connection c, SubjectHasher hasher, String resourceCode, String keyItem,
            Map<String, String> spellings) throws SQLException {
        // standard key → its live spellings; only a key with a character outside 0-9 A-Z can differ from its own
        Map<String, List<String>> live = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT record_key, deleted FROM dataset_record "
                + "WHERE resource_code = ? AND record_key !~ '^[0-9A-Z]*$'")) {
            ps.setString(1, resourceCode);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    String standard = IdentifierKeys.normalise(key);
                    if (standard.equals(key) || standard.isEmpty() || standard.length() > MAX_KEY) {
                        continue; // nothing to fold, or no key it could be stored under
                    }
                    spellings.put(hasher.hashAsGiven(key), standard);
                    if (!rs.getBoolean(2)) {
                        live.computeIfAbsent(standard, k -> new ArrayList<>()).add(key);
                    }
                }
            }
        }
        if (live.isEmpty()) {
            return 0;
        }
        try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "dataset:" + resourceCode); // as DatasetService writes the dataset
            lock.execute();
        }
        int written = 0;
        try (PreparedStatement newest = c.prepareStatement("SELECT record_key FROM dataset_record "
                + "WHERE resource_code = ? AND record_key = ANY (?) AND NOT deleted ORDER BY change_seq DESC LIMIT 1");
                PreparedStatement move = c.prepareStatement("INSERT INTO dataset_record (resource_code, record_key, "
                        + "data, record_version, change_seq) SELECT resource_code, ?, "
                        + "jsonb_set(data::jsonb, ARRAY[?], to_jsonb(?::text))::text, 1, nextval('record_change_seq') "
                        + "FROM dataset_record WHERE resource_code = ? AND record_key = ? "
                        + "ON CONFLICT (resource_code, record_key) DO UPDATE SET data = EXCLUDED.data, "
                        + "record_version = dataset_record.record_version + 1, change_seq = EXCLUDED.change_seq, "
                        + "deleted = FALSE, updated_at = now()");
                PreparedStatement setAside = c.prepareStatement("UPDATE dataset_record SET deleted = TRUE, "
                        + "record_version = record_version + 1, change_seq = nextval('record_change_seq'), "
                        + "updated_at = now() WHERE resource_code = ? AND record_key = ANY (?) AND NOT deleted")) {
            for (Map.Entry<String, List<String>> key : live.entrySet()) {
                String standard = key.getKey();
                List<String> all = new ArrayList<>(key.getValue());
                all.add(standard);
                newest.setString(1, resourceCode);
                newest.setArray(2, c.createArrayOf("text", all.toArray()));
                String kept;
                try (ResultSet rs = newest.executeQuery()) {
                    rs.next();
                    kept = rs.getString(1);
                }
                if (!kept.equals(standard)) {
                    move.setString(1, standard);
                    move.setString(2, keyItem);
                    move.setString(3, standard);
                    move.setString(4, resourceCode);
                    move.setString(5, kept);
                    written += move.executeUpdate();
                }
                setAside.setString(1, resourceCode);
                setAside.setArray(2, c.createArrayOf("text", key.getValue().toArray()));
                setAside.executeUpdate();
            }
        }
        return written;
    }

    /**
     * Gives objections on such entries the standard key and its hash: one naming a key in another spelling, and one
     * that kept only the hash of a spelling a hosted record is stored under. Returns how many changed.
     */
    private static int foldObjections(Connection c, SubjectHasher hasher, Map<String, String> keyItems,
            Map<String, Map<String, String>> spellings) throws SQLException {
        int changed = 0;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, resource_code, record_key, record_key_hash FROM objection");
                PreparedStatement update = c.prepareStatement(
                        "UPDATE objection SET record_key = ?, record_key_hash = ? WHERE id = ?")) {
            while (rs.next()) {
                String resourceCode = rs.getString(2);
                if (!keyItems.containsKey(resourceCode)) {
                    continue;
                }
                String key = rs.getString(3);
                String standard = key != null ? IdentifierKeys.normalise(key)
                        : spellings.getOrDefault(resourceCode, Map.of()).get(rs.getString(4));
                if (standard == null || standard.equals(key) || standard.isEmpty() || standard.length() > MAX_KEY) {
                    continue;
                }
                update.setString(1, standard);
                update.setString(2, hasher.hash(standard));
                update.setLong(3, rs.getLong(1));
                changed += update.executeUpdate();
            }
        }
        return changed;
    }

    /**
     * Replaces in {@code table}'s {@code subject_hashes} every hash of a stored spelling by the hash of the standard
     * key (once, in the order first held). Returns how many rows changed.
     */
    private static int mapHashes(Connection c, String table, String where, Map<String, String> hashes)
            throws SQLException {
        if (hashes.isEmpty()) {
            return 0;
        }
        boolean parts = "export_part".equals(table);
        int changed = 0;
        try (PreparedStatement select = c.prepareStatement("SELECT " + (parts ? "export_id, part" : "id")
                + ", subject_hashes FROM " + table + " WHERE subject_hashes && ?");
                PreparedStatement update = c.prepareStatement(
                        "UPDATE " + table + " SET subject_hashes = ? WHERE " + where)) {
            select.setArray(1, c.createArrayOf("text", hashes.keySet().toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Array held = rs.getArray(parts ? 3 : 2);
                    Set<String> mapped = new LinkedHashSet<>();
                    for (Object hash : (Object[]) held.getArray()) {
                        mapped.add(hashes.getOrDefault((String) hash, (String) hash));
                    }
                    update.setArray(1, c.createArrayOf("text", mapped.toArray()));
                    update.setLong(2, rs.getLong(1));
                    if (parts) {
                        update.setInt(3, rs.getInt(2));
                    }
                    changed += update.executeUpdate();
                }
            }
        }
        return changed;
    }
}
