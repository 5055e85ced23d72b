package cn.onenet.exchange.service;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;

import com.fasterxml.jackson.core.JsonProcessingException;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.NulCharacterModule;
import cn.onenet.exchange.model.CatalogEntry;
import io.agroal.api.AgroalDataSource;

/**
 * Hosted datasets: the provider's records in the exchange's own store, keyed by the entry's key item and versioned
 * per record; every change takes a number from one sequence (the subscription change feed).
 * <p>
 * Every transaction that numbers changes of a dataset first takes the dataset's change lock ({@link #lockChanges}, a
 * transaction-scoped advisory lock per resource code) and holds it until it ends. Per dataset, change numbers are
 * therefore taken in commit order: once a change is visible, no change with a lower number can still commit, so a
 * consumer resuming after the last number it got misses nothing. Webhook registration takes the same lock (its replay
 * and the write trigger then see each other's writes), and uploads to one dataset never deadlock on each other.
 */
@ApplicationScoped
public class DatasetService {

    public static final int MAX_RECORDS_PER_UPLOAD = 100_000;

    /**
     * The longest record key (after stripping white space, U+3000 too, as a keyed lookup strips it):
     * dataset_record.record_key is VARCHAR(100).
     */
    public static final int MAX_KEY_LENGTH = 100;

    public record UploadResult(long uploadId, String resourceCode, int records) {
    }

    private final EntityManager em;
    private final AgroalDataSource dataSource;
    private final IdempotencyService idempotency;
    private final DeliveryDeadlines deliveries;

    public DatasetService(EntityManager em, AgroalDataSource dataSource, IdempotencyService idempotency,
            DeliveryDeadlines deliveries) {
        this.em = em;
        this.dataSource = dataSource;
        this.idempotency = idempotency;
        this.deliveries = deliveries;
    }

    /** The provider (operator or system of the providing department) loads or pushes records. */
    @Transactional
    public UploadResult store(Caller caller, String code, String format, List<Map<String, Object>> records,
            String idempotencyKey) {
        CatalogEntry entry = CatalogEntry.findCurrent(code);
        if (entry == null || entry.deregistered) {
            throw ApiException.notFound("目录中没有该资源 / no catalogue entry " + code);
        }
        String resourceCode = entry.resourceCode;
        // only the provider's own staff and systems (an admin of another department neither: the records go out
        // under the provider's seal)
        if (!entry.providerDepartmentCode.equals(caller.department())) {
            throw ApiException.forbidden("只有提供部门可以上传数据 / only the providing department uploads data");
        }
        var previous = idempotency.previous(caller.subject(), "upload:" + resourceCode, idempotencyKey);
        if (previous.isPresent()) {
            Number n = (Number) em.createNativeQuery("SELECT record_count FROM dataset_upload WHERE id = ?1")
                    .setParameter(1, previous.get()).getSingleResult();
            return new UploadResult(previous.get(), resourceCode, n.intValue());
        }
        return storeUnchecked(entry, format, records, caller.subject(), idempotencyKey);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    UploadResult storeUnchecked(CatalogEntry entry, String format, List<Map<String, Object>> records, String by,
            String idempotencyKey) {
        if (records == null || records.isEmpty()) {
            throw ApiException.field("records", "没有记录 / no records");
        }
        if (records.size() > MAX_RECORDS_PER_UPLOAD) {
            throw ApiException.field("records", "单次最多 " + MAX_RECORDS_PER_UPLOAD + " 条 / too many records");
        }
        // the catalogue's 信息项: codes, data types, lengths, the key item (409 while the replica does not know them)
        RecordItems items = RecordItems.of(entry);
        records = cleaned(records, entry.keyItem, items.foldsKey());
        // the record each key was first seen in: one key twice in one upload is a data error, not a silent overwrite
        Map<String, Integer> firstWithKey = new java.util.HashMap<>();
        List<FieldError> duplicates = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < records.size() && errors.size() < 20; i++) {
            Map<String, Object> r = records.get(i);
            if (r == null) {
                // a JSON null in the body's array, or a line "null" of a JSON Lines upload
                errors.add(new FieldError("records[" + i + "]", "记录须为 JSON 对象 / a record is a JSON object"));
                continue;
            }
            Object key = r.get(entry.keyItem);
            int before = errors.size();
            if (key == null || key.toString().isBlank()) {
                errors.add(new FieldError("records[" + i + "]." + entry.keyItem, "缺少主键数据项 / key item missing"));
            } else if (tooLong(key.toString().strip(), MAX_KEY_LENGTH)) {
                errors.add(new FieldError("records[" + i + "]." + entry.keyItem, "主键最多 " + MAX_KEY_LENGTH
                        + " 字 / the key is at most " + MAX_KEY_LENGTH + " characters"));
            }
            boolean keyRefused = errors.size() > before;
            Integer first = keyRefused ? null : firstWithKey.putIfAbsent(key.toString(), i);
            if (first != null) {
                duplicates.add(new FieldError("records[" + i + "]." + entry.keyItem, "与第 " + (first + 1)
                        + " 条记录（records[" + first + "]）主键重复 / duplicates the key of records[" + first + "]"));
            }
            for (Map.Entry<String, Object> item : r.entrySet()) {
                if (!items.has(item.getKey())) {
                    errors.add(new FieldError("records[" + i + "]." + item.getKey(), "目录中没有该数据项 / not an item"));
                } else if (NulCharacterModule.containsNul(item.getValue())) {
                    // uploaded files are not read by the request mapper, which refuses these in JSON bodies
                    errors.add(new FieldError("records[" + i + "]." + item.getKey(), NulCharacterModule.MESSAGE));
                } else if (!item.getKey().equals(entry.keyItem) || !keyRefused) {
                    // the value's type and length, and a key the catalogue names an identifier its check character
                    items.check("records[" + i + "]", item.getKey(), item.getValue(), errors);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        if (!duplicates.isEmpty()) {
            // told once the values themselves are right (a record with a wrong value is fixed first)
            throw ApiException.fields(duplicates.subList(0, Math.min(20, duplicates.size())));
        }
        lockChanges(entry.resourceCode);
        for (Map<String, Object> r : records) {
            em.createNativeQuery("INSERT INTO dataset_record (resource_code, record_key, data, record_version, "
                    + "change_seq) VALUES (?1, ?2, ?3, 1, nextval('record_change_seq')) "
                    + "ON CONFLICT (resource_code, record_key) DO UPDATE SET data = EXCLUDED.data, "
                    + "record_version = dataset_record.record_version + 1, change_seq = EXCLUDED.change_seq, "
                    + "deleted = FALSE, updated_at = now()")
                    .setParameter(1, entry.resourceCode).setParameter(2, r.get(entry.keyItem).toString().strip())
                    .setParameter(3, Json.write(r)).executeUpdate();
        }
        Number id = (Number) em.createNativeQuery("INSERT INTO dataset_upload (resource_code, format, record_count, "
                + "uploaded_by) VALUES (?1, ?2, ?3, ?4) RETURNING id").setParameter(1, entry.resourceCode)
                .setParameter(2, format).setParameter(3, records.size()).setParameter(4, by).getSingleResult();
        idempotency.remember(by, "upload:" + entry.resourceCode, idempotencyKey, id.longValue());
        // R10: the data of the grants in force on the resource is now on the platform
        deliveries.uploaded(entry.resourceCode);
        return new UploadResult(id.longValue(), entry.resourceCode, records.size());
    }

    /**
     * The records as they are checked and stored: white space around the key (an ideographic space U+3000 too) is not
     * part of it, as it is not part of a lookup's key, and a key the catalogue names 公民身份号码 or 统一社会信用代码 is
     * in its standard spelling, ASCII and upper case ({@link IdentifierKeys#normalise}: full-width digits, zero-width
     * characters, a check character typed x): in the record's data as well, so the value checked against the
     * item's length and delivered is the key stored. Other values are kept as the provider sent them. Null records
     * stay null (refused below).
     */
    private static List<Map<String, Object>> cleaned(List<Map<String, Object>> records, String keyItem,
            boolean foldKey) {
        List<Map<String, Object>> out = new ArrayList<>(records.size());
        for (Map<String, Object> r : records) {
            if (r == null) {
                out.add(null);
                continue;
            }
            Map<String, Object> c = new LinkedHashMap<>(r);
            if (c.get(keyItem) instanceof String key) {
                c.put(keyItem, foldKey ? RecordItems.foldKey(key.strip()) : key.strip());
            }
            out.add(c);
        }
        return out;
    }

    /** The statement taking a dataset's change lock; its one parameter is {@link #changeLockKey}. */
    static final String CHANGE_LOCK = "SELECT pg_advisory_xact_lock(hashtext(?))";

    /** What the change lock of the dataset {@code resourceCode} is keyed by (hashed). */
    static String changeLockKey(String resourceCode) {
        return "dataset:" + resourceCode;
    }

    /**
     * Takes the dataset's change lock until the transaction ends (waiting while another transaction holds it): due
     * before the transaction takes its first change number for the dataset.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void lockChanges(String resourceCode) {
        em.createNativeQuery(CHANGE_LOCK.replace("?", "?1")).setParameter(1, changeLockKey(resourceCode))
                .getSingleResult();
    }

    /** Whether {@code s} has more than {@code max} characters as PostgreSQL counts them (code points). */
    private static boolean tooLong(String s, int max) {
        return s.length() > max && s.codePointCount(0, s.length()) > max;
    }

    public long count(String resourceCode) {
        return ((Number) em.createNativeQuery("SELECT count(*) FROM dataset_record WHERE resource_code = ?1 "
                + "AND NOT deleted").setParameter(1, resourceCode).getSingleResult()).longValue();
    }

    /** One record by key, straight from the pool (the hot path), or null. */
    public Map<String, Object> find(String resourceCode, String key) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT data FROM dataset_record WHERE resource_code = ? AND record_key = ? AND NOT deleted")) {
            ps.setString(1, resourceCode);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Json.object(rs.getString(1)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("record lookup failed", e);
        }
    }

    /** Records limited to a region: the region key's code must start with the prefix (回流 grants). */
    public record RegionFilter(Regions.RegionKey key, String prefix) {
    }

    /** A page of records whose items equal the given values (filters only on granted items). */
    public List<Map<String, Object>> query(String resourceCode, Map<String, String> filters, int page, int size) {
        return query(resourceCode, filters, null, page, size);
    }

    /** As {@link #query(String, Map, int, int)}, limited to a region when {@code region} is given. */
    public List<Map<String, Object>> query(String resourceCode, Map<String, String> filters, RegionFilter region,
            int page, int size) {
        return query(resourceCode, filters, region, false, page, size);
    }

    /**
     * As {@link #query(String, Map, RegionFilter, int, int)}; with {@code keyMasked} (the caller gets the key masked)
     * in change order instead of key order ({@link #orderBy}).
     */
    public List<Map<String, Object>> query(String resourceCode, Map<String, String> filters, RegionFilter region,
            boolean keyMasked, int page, int size) {
        List<String> params = new ArrayList<>();
        StringBuilder sql = selectLive(resourceCode, filters, region, params);
        sql.append(orderBy(keyMasked)).append(" LIMIT ").append(size).append(" OFFSET ").append((long) page * size);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Json.object(rs.getString(1)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("record query failed", e);
        }
    }

    /** Receives the records of a {@link #scan scan} one at a time. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(Map<String, Object> record) throws IOException;
    }

    /**
     * Every live record of a resource in key order (limited to a region when {@code region} is given), handed to
     * {@code sink} one at a time through a server-side cursor: the driver holds at most {@code fetchSize} rows, and
     * nothing here keeps a record after the sink returned. One read-only transaction, so the scan sees one snapshot.
     * Returns the number of records.
     */
    public long scan(String resourceCode, RegionFilter region, int fetchSize, RecordSink sink) throws IOException {
        return scan(resourceCode, region, false, fetchSize, sink);
    }

    /**
     * As {@link #scan(String, RegionFilter, int, RecordSink)}, in change order when {@code keyMasked}
     * ({@link #orderBy}).
     */
    public long scan(String resourceCode, RegionFilter region, boolean keyMasked, int fetchSize, RecordSink sink)
            throws IOException {
        List<String> params = new ArrayList<>();
        StringBuilder sql = selectLive(resourceCode, Map.of(), region, params).append(orderBy(keyMasked));
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            // PostgreSQL keeps the result on the server (a portal) only inside a transaction with a fetch size
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql.toString(), ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                ps.setFetchSize(Math.max(1, fetchSize));
                for (int i = 0; i < params.size(); i++) {
                    ps.setString(i + 1, params.get(i));
                }
                long n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(Json.object(rs.getString(1)));
                        n++;
                    }
                }
                c.commit();
                return n;
            } finally {
                try {
                    c.rollback();
                } finally {
                    c.setAutoCommit(autoCommit);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("record scan failed", e);
        }
    }

    /**
     * Records go out in key order, unless the key goes out masked: then the order of the records would tell the
     * characters the mask hides (which of two masked ID numbers is the older person's, one page at a time), so they
     * go out in the order they were last changed, the key only breaking ties.
     */
    static String orderBy(boolean keyMasked) {
        return keyMasked ? " ORDER BY change_seq, record_key" : " ORDER BY record_key";
    }

    /** {@code SELECT data} of the live records of a resource matching the filters and the region. */
    private static StringBuilder selectLive(String resourceCode, Map<String, String> filters, RegionFilter region,
            List<String> params) {
        StringBuilder sql = new StringBuilder(
                "SELECT data FROM dataset_record WHERE resource_code = ? AND NOT deleted");
        params.add(resourceCode);
        if (region != null) {
            if (region.key().fromKey()) {
                sql.append(" AND substr(record_key, ").append(region.key().offset() + 1).append(", 6) LIKE ?");
            } else {
                sql.append(" AND (data::jsonb ->> '").append(Regions.REGION_ITEM).append("') LIKE ?");
            }
            params.add(region.prefix().replace("%", "").replace("_", "") + "%");
        }
        for (Map.Entry<String, String> f : filters.entrySet()) {
            sql.append(" AND (data::jsonb ->> ?) = ?");
            params.add(f.getKey());
            params.add(f.getValue());
        }
        return sql;
    }

    /** A record change for the subscription feed. */
    public record Change(long seq, String key, boolean deleted, Map<String, Object> data) {
    }

    /**
     * Changes after a cursor, in order (resumable: pass the last seq back as {@code after}; numbers are taken in
     * commit order under the change lock, so no change can appear later below a cursor already handed out).
     */
    public List<Change> changes(String resourceCode, long after, int limit) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT change_seq, record_key, deleted, data FROM dataset_record "
                        + "WHERE resource_code = ? AND change_seq > ? ORDER BY change_seq LIMIT ?")) {
            ps.setString(1, resourceCode);
            ps.setLong(2, after);
            ps.setInt(3, limit);
            List<Change> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Change(rs.getLong(1), rs.getString(2), rs.getBoolean(3), Json.object(rs.getString(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("change feed failed", e);
        }
    }

    /** Parses an upload: JSON Lines, CSV (header row of item codes) or Excel (first sheet, header row). */
    public static List<Map<String, Object>> parse(String format, byte[] body) {
        try {
            return switch (format) {
                case "jsonl" -> parseJsonLines(body);
                case "csv" -> parseCsv(body);
                case "xlsx" -> parseExcel(body);
                default -> throw ApiException.field("Content-Type",
                        "支持 application/x-ndjson、text/csv、xlsx / unsupported upload format");
            };
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException a) {
                throw a;
            }
            throw ApiException.field("body", "文件无法解析 / the file could not be parsed (" + format + ")");
        }
    }

    private static List<Map<String, Object>> parseJsonLines(byte[] body) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(Json.MAPPER.readValue(line, Json.MAPPER.getTypeFactory()
                            .constructMapType(LinkedHashMap.class, String.class, Object.class)));
                } catch (JsonProcessingException e) {
                    throw ApiException.field("line " + n, "第 " + n + " 行不是 JSON 对象 / line is not a JSON object");
                }
            }
        }
        return out;
    }

    private static List<Map<String, Object>> parseCsv(byte[] body) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8);
                CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                        .setIgnoreSurroundingSpaces(true).get().parse(reader)) {
            for (CSVRecord rec : parser) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : rec.toMap().entrySet()) {
                    if (e.getValue() != null && !e.getValue().isEmpty()) {
                        m.put(e.getKey().replace("\uFEFF", ""), e.getValue());
                    }
                }
                out.add(m);
            }
        }
        return out;
    }

    private static List<Map<String, Object>> parseExcel(byte[] body) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        // with the cells' number formats: a date is a number shown through a date format (ExcelCells)
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(body), new ReadingOptions(true,
                false))) {
            Sheet sheet = wb.getFirstSheet();
            List<Row> rows = sheet.read();
            if (rows.isEmpty()) {
                return out;
            }
            List<String> header = new ArrayList<>();
            rows.get(0).forEach(cell -> header.add(cell == null ? null : cell.getRawValue()));
            for (Row row : rows.subList(1, rows.size())) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    String v = ExcelCells.text(row.getOptionalCell(i).orElse(null));
                    if (header.get(i) != null && v != null && !v.isEmpty()) {
                        m.put(header.get(i), v);
                    }
                }
                if (!m.isEmpty()) {
                    out.add(m);
                }
            }
        }
        return out;
    }
}
