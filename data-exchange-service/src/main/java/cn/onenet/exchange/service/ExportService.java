package cn.onenet.exchange.service;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.jboss.logging.Logger;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.DeliveryService.EntryView;
import cn.onenet.exchange.service.GrantService.GrantView;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;

/**
 * Bulk export as an asynchronous job: the granted, minimised and masked records as CSV or JSON Lines, with a
 * manifest (count, SHA-256 of the file) sealed by the provider. The job streams the dataset from a database cursor
 * into stored parts of at most {@code exchange.export.part-records} records; a download streams the parts to the
 * response one at a time, each part's usage-log entry committed before the part leaves. Memory is bounded by one
 * part whatever the size of the dataset.
 * <p>
 * A job runs on the replica that accepted it, under a lease ({@link #LEASE}) that replica renews while the job is
 * queued or written; a job whose lease ran out (its replica stopped) is failed by any replica and its parts deleted,
 * and a retry with the Idempotency-Key of a failed job starts a new one.
 */
@ApplicationScoped
public class ExportService {

    private static final Logger LOG = Logger.getLogger(ExportService.class);
    public static final Set<String> FORMATS = Set.of("CSV", "JSONL");

    /**
     * An export job. {@code manifestJson} is the manifest exactly as sealed (the bytes {@code manifestSeal}, a detached
     * JWS, covers, in UTF-8); {@code manifest} is the same, parsed, for reading: a verifier checks the seal over
     * {@code manifestJson} and need not re-serialise {@code manifest} byte for byte.
     */
    public record Job(long id, long grantId, String consumer, String format, String status, Integer records,
            Map<String, Object> manifest, String manifestJson, String manifestSeal, String failure, String createdAt) {
    }

    /** CSV as the exports always wrote it: RFC 4180 quoting, CRLF after every row (the header row too). */
    private static final CSVFormat CSV = CSVFormat.DEFAULT;

    /**
     * How a CSV file's text cells that a spreadsheet would run as a formula are written (named in the manifest as
     * {@code csvFormulaEscaping}): a text value starting with = + - @, a tab or a carriage return, possibly after
     * apostrophes, gets one more {@code '} in front (OWASP "CSV injection"). A recipient gets the provider's value back
     * by taking one {@code '} off every cell that matches {@link #FORMULA_LIKE} after it; numbers are never escaped.
     * The manifest's {@code sha256} is over the file as written, escaping included.
     */
    public static final String CSV_FORMULA_ESCAPING = "apostrophe-prefix";
    private static final Pattern FORMULA_LIKE =
            Pattern.compile("^'*[=+\\-@\t\r].*", Pattern.DOTALL);

    /** The CSV cell of a value: text a spreadsheet would run as a formula with a leading {@code '}. */
    static Object csvCell(Object value) {
        return value instanceof String text && FORMULA_LIKE.matcher(text).matches() ? "'" + text : value;
    }

    private final AgroalDataSource dataSource;
    private final DeliveryService delivery;
    private final GrantService grants;
    private final SubjectHasher subjects;
    private final SealService seals;
    private final UsageLogWriter log;
    private final IdempotencyService idempotency;
    private final ExchangeConfig config;
    /** How long a job stays this replica's without a renewal; renewed every 30 s while the job is queued or written. */
    static final java.time.Duration LEASE = java.time.Duration.ofMinutes(2);
    static final String LOST = "导出任务所在实例已停止，任务未完成；请重新创建导出（同一幂等键将创建新任务）/ the instance writing the "
            + "export stopped before it finished: create the export again (the same Idempotency-Key starts a new job)";

    /** This replica, as recorded on the jobs it writes ({@code export_job.worker}). */
    private final String worker = "export-" + UUID.randomUUID();
    /** The jobs this replica has queued or is writing: the only ones whose lease it renews. */
    private final Set<Long> live = ConcurrentHashMap.newKeySet();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "export-jobs");
        t.setDaemon(true);
        return t;
    });

    public ExportService(AgroalDataSource dataSource, DeliveryService delivery, GrantService grants,
            SubjectHasher subjects, SealService seals, UsageLogWriter log, IdempotencyService idempotency,
            ExchangeConfig config) {
        this.dataSource = dataSource;
        this.delivery = delivery;
        this.grants = grants;
        this.subjects = subjects;
        this.seals = seals;
        this.log = log;
        this.idempotency = idempotency;
        this.config = config;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    public Job create(Caller caller, Long grantId, String format, String idempotencyKey) {
        IdempotencyService.validate(idempotencyKey);
        String consumer = caller.departmentOrFail();
        if (grantId == null) {
            throw Fields.GRANT_ID.isRequired();
        }
        if (format == null || !FORMATS.contains(format)) {
            throw Fields.EXPORT_FORMAT.notOneOf(Fields.EXPORT_FORMATS);
        }
        GrantView named = grants.forDelivery(consumer, null, grantId);
        if (named == null || !named.consumer().equals(consumer)) {
            String detail = "没有该授权 / no grant " + grantId;
            throw new ApiException(cn.onenet.common.problem.ProblemType.NOT_FOUND, detail,
                    List.of(new cn.onenet.common.problem.FieldError("grantId", detail)), Map.of(), Map.of());
        }
        delivery.usableGrant(consumer, delivery.entry(named.resourceCode()), grantId, null,
                DeliveryService.Use.EXPORT);
        long id;
        // the key stands for this request: the same key with another grant or format is 422, not the first export
        String fingerprint = IdempotencyService.fingerprint(Map.of("grantId", grantId, "format", format));
        try (Connection c = dataSource.getConnection()) {
            Long failed = null;
            if (idempotencyKey != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT r.resource_id, j.status, r.request_hash "
                        + "FROM idempotency_record r "
                        + "LEFT JOIN export_job j ON j.id = r.resource_id "
                        + "WHERE r.caller = ? AND r.operation = 'export' AND r.idem_key = ?")) {
                    ps.setString(1, caller.subject());
                    ps.setString(2, idempotencyKey);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            if (IdempotencyService.differs(rs.getString(3), fingerprint)) {
                                throw IdempotencyService.reusedKey();
                            }
                            String status = rs.getString(2);
                            if ("READY".equals(status) && !fileKept(rs.getLong(1))) {
                                // its file is gone: the job failed, and the key starts a new one
                                failWithoutFile(rs.getLong(1));
                                status = "FAILED";
                            }
                            if (!"FAILED".equals(status)) {
                                return view(caller, rs.getLong(1));
                            }
                            // the job the key made failed (or was lost with its replica): a retry starts a new one
                            failed = rs.getLong(1);
                        }
                    }
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO export_job (grant_id, consumer_department_code, "
                    + "requested_by, format, status, items, clear_items, worker, lease_until) "
                    + "VALUES (?, ?, ?, ?, 'PENDING', ?, ?, ?, now() + ? * interval '1 millisecond') RETURNING id")) {
                ps.setLong(1, grantId);
                ps.setString(2, consumer);
                ps.setString(3, caller.subject());
                ps.setString(4, format);
                // the file is written with this snapshot of the grant: its items and those it may hold in clear
                ps.setString(5, Json.write(sorted(named.items())));
                ps.setString(6, Json.write(sorted(named.clearItems())));
                ps.setString(7, worker);
                ps.setLong(8, LEASE.toMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (idempotencyKey != null && failed == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_record (caller, operation, "
                        + "idem_key, resource_id, request_hash) VALUES (?, 'export', ?, ?, ?)")) {
                    ps.setString(1, caller.subject());
                    ps.setString(2, idempotencyKey);
                    ps.setLong(3, id);
                    ps.setString(4, fingerprint);
                    ps.executeUpdate();
                }
            } else if (idempotencyKey != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE idempotency_record SET resource_id = ? WHERE "
                        + "caller = ? AND operation = 'export' AND idem_key = ? AND resource_id = ?")) {
                    ps.setLong(1, id);
                    ps.setString(2, caller.subject());
                    ps.setString(3, idempotencyKey);
                    ps.setLong(4, failed);
                    if (ps.executeUpdate() != 1) {
                        // another retry with the key started the new job first
                        throw new SQLException("idempotency key moved on");
                    }
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw ApiException.conflict("同一幂等键的导出正在处理 / an export with this Idempotency-Key is in progress");
        }
        final long jobId = id;
        live.add(jobId);
        executor.submit(() -> run(jobId, named, format));
        return view(caller, id);
    }

    private void run(long jobId, GrantView grant, String format) {
        try {
            runJob(jobId, grant, format);
        } finally {
            live.remove(jobId);
        }
    }

    /**
     * Renews the lease of the jobs this replica has queued or is writing, then fails every job whose lease ran out:
     * its replica stopped (or lost the database) before it finished.
     */
    @Scheduled(every = "30s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void heartbeat() {
        try {
            renewLeases();
            failLostJobs();
        } catch (SQLException e) {
            LOG.warnf("export leases not renewed: %s", e.getMessage());
        }
    }

    private void renewLeases() throws SQLException {
        if (live.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE export_job SET lease_until = now() + ? * interval '1 millisecond' WHERE id = ANY (?) "
                        + "AND worker = ? AND status = 'PENDING'")) {
            ps.setLong(1, LEASE.toMillis());
            ps.setArray(2, c.createArrayOf("bigint", live.toArray()));
            ps.setString(3, worker);
            ps.executeUpdate();
        }
    }

    /**
     * Fails the jobs no replica is writing any more (PENDING, lease run out): status FAILED with the reason, the
     * parts written so far deleted, in one transaction. Returns how many.
     */
    public int failLostJobs() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Long> lost = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE export_job SET status = 'FAILED', failure = ?, "
                    + "finished_at = now(), lease_until = NULL WHERE status = 'PENDING' AND lease_until < now() "
                    + "RETURNING id")) {
                ps.setString(1, LOST);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        lost.add(rs.getLong(1));
                    }
                }
            }
            if (!lost.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM export_part WHERE export_id = ANY (?)")) {
                    ps.setArray(1, c.createArrayOf("bigint", lost.toArray()));
                    ps.executeUpdate();
                }
                LOG.warnf("exports %s failed: their instance stopped before they finished", lost);
            }
            c.commit();
            return lost.size();
        }
    }

    private void runJob(long jobId, GrantView grant, String format) {
        try {
            Written w = write(jobId, grant, delivery.entry(grant.resourceCode()), format,
                    config.export().partRecords(), config.export().fetchSize());
            LOG.debugf("export %d: %d records in %d parts", jobId, w.records(), w.parts());
        } catch (RuntimeException | SQLException | IOException e) {
            LOG.errorf("export %d failed: %s", jobId, e.toString());
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM export_part WHERE export_id = ?")) {
                    ps.setLong(1, jobId);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE export_job SET status = 'FAILED', failure = ?, finished_at = now(), lease_until = NULL "
                                + "WHERE id = ? AND status = 'PENDING'")) {
                    ps.setString(1, "导出失败 / the export failed");
                    ps.setLong(2, jobId);
                    ps.executeUpdate();
                }
            } catch (SQLException ignored) {
                // the job stays PENDING until its lease runs out (no longer renewed), then any replica fails it
            }
        }
    }

    /** What {@link #write} produced: the file's records, parts and SHA-256, and the most records held at once. */
    public record Written(int records, int parts, String sha256, int maxHeldRecords) {
    }

    /**
     * Writes the export file in one pass over the dataset: a database cursor of {@code fetchSize} rows feeds the
     * records one at a time; each is minimised and masked, serialised and added to the current part, which is
     * stored (table {@code export_part}) once it holds {@code partRecords} records, with the hashes of its
     * subjects. The SHA-256 of the whole file is computed on the way, so the manifest and its seal are the same as
     * for a file built in memory; no more than one part is ever held. Marks the job READY.
     */
    public Written write(long jobId, GrantView grant, EntryView entry, String format, int partRecords, int fetchSize)
            throws SQLException, IOException {
        if (partRecords < 1) {
            throw new IllegalArgumentException("partRecords must be positive");
        }
        // the items the catalogue still lists: one it removed is not written (R1)
        List<String> items = DeliveryService.deliveredItems(grant, entry);
        List<String> masked = new ArrayList<>();
        MessageDigest sha256 = sha256();
        PartWriter parts = new PartWriter(jobId, format, items, partRecords, sha256);
        long records = delivery.scanDataset(grant, entry, fetchSize, r -> {
            Object k = r.get(entry.keyItem());
            Map<String, Object> granted = DeliveryService.granted(r, grant, entry);
            parts.add(DeliveryService.minimise(r, grant, entry, masked),
                    subjects.subjectsOf(k == null ? null : k.toString(), granted));
        });
        parts.finish();
        String hex = HexFormat.of().formatHex(sha256.digest());
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("exportId", jobId);
        manifest.put("resourceCode", grant.resourceCode());
        manifest.put("grantId", grant.id());
        manifest.put("consumerDepartmentCode", grant.consumer());
        manifest.put("providerDepartmentCode", grant.provider());
        manifest.put("purpose", grant.purpose());
        manifest.put("format", format);
        if (parts.csv) {
            // the file holds escaped cells: say how, so its recipient (and whoever checks it against the provider's
            // records) reads the values back exactly
            manifest.put("csvFormulaEscaping", CSV_FORMULA_ESCAPING);
            manifest.put("csvFormulaEscapedCells", parts.escaped);
        }
        manifest.put("items", items);
        manifest.put("maskedItems", masked.stream().distinct().toList());
        manifest.put("records", records);
        manifest.put("sha256", hex);
        String manifestJson = Json.write(manifest);
        String seal = seals.seal(grant.provider(), manifestJson.getBytes(StandardCharsets.UTF_8));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE export_job SET status = 'READY', record_count = ?, parts = ?, manifest = ?, manifest_seal = ?, "
                        + "finished_at = now(), lease_until = NULL WHERE id = ? AND status = 'PENDING'")) {
            ps.setLong(1, records);
            ps.setInt(2, parts.written);
            ps.setString(3, manifestJson);
            ps.setString(4, seal);
            ps.setLong(5, jobId);
            if (ps.executeUpdate() != 1) {
                // failed meanwhile (its lease ran out): it stays failed, its parts are deleted
                throw new IllegalStateException("export " + jobId + " is no longer pending");
            }
        }
        return new Written((int) records, parts.written, hex, parts.maxHeld);
    }

    /** The part being filled: its bytes, the hashes of its subjects and how many records it holds. */
    private final class PartWriter {
        private final long jobId;
        private final boolean csv;
        private final List<String> items;
        private final int partRecords;
        private final MessageDigest sha256;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Set<String> hashes = new LinkedHashSet<>();
        private int held;
        private int written;
        private int maxHeld;
        private long escaped;

        PartWriter(long jobId, String format, List<String> items, int partRecords, MessageDigest sha256) {
            this.jobId = jobId;
            this.csv = "CSV".equals(format);
            this.items = items;
            this.partRecords = partRecords;
            this.sha256 = sha256;
            if (csv) {
                line(CSV.format(items.toArray()));
            }
        }

        void add(Map<String, Object> record, List<String> subjectHashes) throws IOException {
            if (csv) {
                Object[] values = new Object[items.size()];
                for (int i = 0; i < values.length; i++) {
                    Object value = record.get(items.get(i));
                    values[i] = csvCell(value);
                    if (values[i] != value) {
                        escaped++;
                    }
                }
                line(CSV.format(values));
            } else {
                bytes.writeBytes(Json.write(record).getBytes(StandardCharsets.UTF_8));
                bytes.write('\n');
            }
            hashes.addAll(subjectHashes);
            held++;
            maxHeld = Math.max(maxHeld, held);
            if (held == partRecords) {
                flush();
            }
        }

        /** Stores the last part; an empty file still has one (empty) part, so its download is logged. */
        void finish() throws IOException {
            if (held > 0 || written == 0) {
                flush();
            }
        }

        private void line(String text) {
            bytes.writeBytes((text + CSV.getRecordSeparator()).getBytes(StandardCharsets.UTF_8));
        }

        private void flush() throws IOException {
            byte[] content = bytes.toByteArray();
            sha256.update(content);
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO export_part (export_id, part, record_count, content, subject_hashes) "
                            + "VALUES (?, ?, ?, ?, ?)")) {
                ps.setLong(1, jobId);
                ps.setInt(2, written);
                ps.setInt(3, held);
                ps.setBytes(4, content);
                ps.setArray(5, c.createArrayOf("text", hashes.toArray()));
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new IOException("export part not stored", e);
            }
            written++;
            held = 0;
            bytes.reset();
            hashes.clear();
        }
    }

    public Job view(Caller caller, long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, grant_id, consumer_department_code, format, status, record_count, manifest, manifest_seal, "
                        + "failure, created_at FROM export_job WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getString(3).equals(caller.department())) {
                    throw ApiException.notFound("没有该导出任务 / no export " + id);
                }
                Integer count = rs.getObject(6) == null ? null : rs.getInt(6);
                return new Job(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5), count,
                        Json.object(rs.getString(7)), rs.getString(7), rs.getString(8), rs.getString(9),
                        rs.getObject(10, OffsetDateTime.class).toInstant().toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("export unreadable", e);
        }
    }

    /**
     * The file, sent part by part: each part's usage-log entry (with the hashes of that part's subjects) is committed
     * before the part leaves. The first part is logged here, so a refusal is still an ordinary problem answer and
     * the answer names that entry; the others as the body is written. The grant must be in force when the download
     * starts and still allow everything the file holds: every item, and in clear those the file has in clear; a grant
     * narrowed since the job was made is a 409 (a new export is written under the grant as it is now). The same is
     * checked again before each further part is logged: a grant suspended, ended or narrowed during the download
     * ends the body there. The entries list the file's items.
     */
    public Download download(Caller caller, long id, String requestId) {
        Job job = view(caller, id);
        if ("PURGED".equals(job.status())) {
            throw ApiException.illegalTransition("授权已结束，导出文件已删除（清单与签章保留）/ the grant ended: the "
                    + "export's file was deleted (its manifest and seal are kept)");
        }
        if (!"READY".equals(job.status())) {
            throw ApiException.illegalTransition("导出尚未完成 / the export is " + job.status());
        }
        if (!fileKept(id)) {
            // a ready job without its whole file: it failed (nothing logged, nothing sent); the key starts a new one
            failWithoutFile(id);
            throw new ApiException(ProblemType.GONE, MISSING, List.of(), Map.of("exportId", id, "status", "FAILED"),
                    Map.of());
        }
        Allowed allowed = allowed(caller, id, job.grantId());
        GrantView grant = allowed.grant();
        EntryView entry = allowed.entry();
        List<String> items = allowed.items();
        Integer parts = partCount(id);
        Part first = part(id, parts == null ? null : 0);
        LogEntry.Draft template = new LogEntry.Draft(requestId, caller.clientId(), caller.subject(),
                caller.department(), grant.id(), grant.purpose(), grant.legalBasis(), entry.resourceCode(),
                entry.provider(), items, List.of(), "EXPORT", "DELIVERED", null, null).under(grant.termsSeq());
        long firstSeq = logPart(template, first);
        int count = parts == null ? 1 : parts;
        // each further part leaves only while the grant still allows the file: a grant suspended, ended or narrowed
        // during the download stops it before the next part is logged
        return new Download(job.format(), firstSeq, count, new PartByPart(first, count, i -> part(id, i), next -> {
            // each part cites the terms it was checked against just now
            logPart(template.under(allowed(caller, id, job.grantId()).grant().termsSeq()), next);
        }));
    }

    /** The grant a download of the export goes out under, its entry, and the items the file holds. */
    private record Allowed(GrantView grant, EntryView entry, List<String> items) {
    }

    /**
     * The grant must be in force and still allow everything the file holds: every item, and in clear those the file
     * has in clear (403 / 409 / 410 problem answers otherwise, as {@link DeliveryService#usableGrant} says).
     */
    private Allowed allowed(Caller caller, long id, long grantId) {
        GrantView grant = grants.forDelivery(caller.department(), null, grantId);
        EntryView entry = delivery.entry(grant.resourceCode());
        delivery.usableGrant(caller.department(), entry, grantId, null, DeliveryService.Use.EXPORT);
        Held held = held(id);
        List<String> items = held.items();
        // the file holds an item the grant or the catalogue no longer allows, or holds in clear one now masked (R20)
        boolean nowMasked = held.maskedItems() != null && items.stream()
                .anyMatch(i -> DeliveryService.masks(grant, entry, i) && !held.maskedItems().contains(i));
        if (!grant.items().containsAll(items) || !entry.items().containsAll(items)
                || !grant.clearItems().containsAll(held.clearItems()) || nowMasked) {
            Map<String, Object> ext = new LinkedHashMap<>();
            ext.put("exportId", id);
            ext.put("grantId", grant.id());
            ext.put("exportItems", items);
            ext.put("grantItems", sorted(grant.items()));
            ext.put("exportClearItems", held.clearItems());
            ext.put("grantClearItems", sorted(grant.clearItems()));
            ext.put("exportMaskedItems", held.maskedItems());
            ext.put("grantMaskedItems", sorted(grant.maskedItems()));
            throw new ApiException(ProblemType.CONFLICT, "授权自导出以来已变更，不再涵盖该文件的全部数据项，请重新创建导出 / "
                    + "the grant changed since this export was made and no longer allows everything its file holds: "
                    + "create a new export", List.of(), ext, Map.of());
        }
        return new Allowed(grant, entry, items);
    }

    /** Why a ready job whose file is missing failed. */
    static final String MISSING = "导出文件已缺失，请重新创建导出（同一幂等键将创建新的导出）/ the export's file is missing: "
            + "create the export again (the same Idempotency-Key starts a new job)";

    /**
     * Whether a job's whole file is stored: every part it was written with ({@code parts}), or for a file written
     * before exports had parts its content.
     */
    private boolean fileKept(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT CASE WHEN j.parts IS NULL THEN j.content IS NOT NULL ELSE (SELECT count(*) FROM export_part p "
                        + "WHERE p.export_id = j.id AND p.part < j.parts) = j.parts END FROM export_job j WHERE j.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("export unreadable", e);
        }
    }

    /** Fails a ready job whose file is missing: FAILED with {@link #MISSING}, what is left of its file deleted. */
    private void failWithoutFile(long id) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE export_job SET status = 'FAILED', failure = ?, "
                    + "content = NULL, lease_until = NULL, finished_at = coalesce(finished_at, now()) "
                    + "WHERE id = ? AND status = 'READY'");
                    PreparedStatement parts = c.prepareStatement("DELETE FROM export_part WHERE export_id = ?")) {
                ps.setString(1, MISSING);
                ps.setLong(2, id);
                if (ps.executeUpdate() == 1) {
                    parts.setLong(1, id);
                    parts.executeUpdate();
                    LOG.warnf("export %d failed: its file is missing", id);
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("export not updated", e);
        }
    }

    /** A download under way: the format, the first part's usage-log entry, the parts, and the body to write. */
    public record Download(String format, long logSeq, int parts, Body body) {
    }

    /** Writes a download's body, part by part. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** One stored part: its bytes and the hashes of its records' subjects. */
    record Part(byte[] content, List<String> subjectHashes) {
    }

    /**
     * A download's body: the first part (read and logged before the answer starts), then each further part read and
     * logged only after the previous one has been written out and let go, so the body holds at most one part at a
     * time. Written once.
     */
    static final class PartByPart implements Body {

        private Part pending;
        private final int count;
        private final IntFunction<Part> read;
        private final Consumer<Part> log;

        PartByPart(Part first, int count, IntFunction<Part> read, Consumer<Part> log) {
            this.pending = first;
            this.count = count;
            this.read = read;
            this.log = log;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            Part part = pending;
            pending = null;
            if (part == null) {
                throw new IllegalStateException("a download's body is written once");
            }
            for (int i = 1;; i++) {
                out.write(part.content());
                out.flush();
                part = null; // written out: not held while the next part is read
                if (i >= count) {
                    return;
                }
                part = read.apply(i);
                log.accept(part);
            }
        }
    }

    private long logPart(LogEntry.Draft t, Part part) {
        return log.append(new LogEntry.Draft(t.requestId(), t.clientId(), t.userSub(), t.consumerDepartment(),
                t.grantId(), t.purpose(), t.legalBasis(), t.resourceCode(), t.providerDepartment(), t.items(),
                part.subjectHashes(), t.operation(), t.outcome(), null, null, null, t.termsSeq())).seq();
    }

    /**
     * What an export's file holds (sorted): its items, those it may hold in clear, and those it masked as its manifest
     * lists them (null for an empty file or a manifest without the list: nothing is known in clear there).
     */
    private record Held(List<String> items, List<String> clearItems, List<String> maskedItems) {
    }

    /**
     * The items the job wrote and those it wrote in clear; for a file written before they were recorded, the items
     * of its manifest and no clear items (not recorded then).
     */
    private Held held(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT items, clear_items, manifest FROM export_job WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                List<String> items = rs.getString(1) != null ? Json.strings(rs.getString(1))
                        : Json.strings(Json.write(Json.object(rs.getString(3)).get("items")));
                List<String> clear = rs.getString(2) == null ? List.of() : Json.strings(rs.getString(2));
                Map<String, Object> manifest = rs.getString(3) == null ? null : Json.object(rs.getString(3));
                Object masked = manifest == null ? null : manifest.get("maskedItems");
                boolean empty = manifest != null && manifest.get("records") instanceof Number n && n.longValue() == 0;
                return new Held(sorted(items), sorted(clear),
                        masked == null || empty ? null : sorted(Json.strings(Json.write(masked))));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("export unreadable", e);
        }
    }

    private static List<String> sorted(java.util.Collection<String> values) {
        List<String> out = new ArrayList<>(values);
        java.util.Collections.sort(out);
        return out;
    }

    /** The number of stored parts, or null for a file written before exports had parts (one whole file). */
    private Integer partCount(long id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT parts FROM export_job WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1) == null ? null : rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("export unreadable", e);
        }
    }

    /** One stored part, or with {@code part} null the whole file of an export written before parts. */
    private Part part(long id, Integer part) {
        String sql = part == null ? "SELECT content, subject_hashes FROM export_job WHERE id = ?"
                : "SELECT content, subject_hashes FROM export_part WHERE export_id = ? AND part = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            if (part != null) {
                ps.setInt(2, part);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("export " + id + " has no part " + part);
                }
                Array a = rs.getArray(2);
                return new Part(rs.getBytes(1), a == null ? List.of() : Arrays.asList((String[]) a.getArray()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("export unreadable", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
