package cn.onenet.exchange.service;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.jboss.logging.Logger;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.service.DeliveryService.EntryView;
import cn.onenet.exchange.service.GrantService.GrantView;
import io.agroal.api.AgroalDataSource;

/**
 * Bulk export as an asynchronous job: the granted, minimised and masked records as CSV or JSON Lines, with a
 * manifest (count, SHA-256 of the file) sealed by the provider. The usage-log entry is committed at each download,
 * before the file leaves.
 */
@ApplicationScoped
public class ExportService {

    private static final Logger LOG = Logger.getLogger(ExportService.class);
    public static final Set<String> FORMATS = Set.of("CSV", "JSONL");

    public record Job(long id, long grantId, String consumer, String format, String status, Integer records,
            Map<String, Object> manifest, String manifestSeal, String failure, String createdAt) {
    }

    public record Content(byte[] bytes, String format, String manifestSeal, long logSeq) {
    }

    private final AgroalDataSource dataSource;
    private final DeliveryService delivery;
    private final GrantService grants;
    private final SubjectHasher subjects;
    private final SealService seals;
    private final UsageLogWriter log;
    private final IdempotencyService idempotency;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "export-jobs");
        t.setDaemon(true);
        return t;
    });

    public ExportService(AgroalDataSource dataSource, DeliveryService delivery, GrantService grants,
            SubjectHasher subjects, SealService seals, UsageLogWriter log, IdempotencyService idempotency) {
        this.dataSource = dataSource;
        this.delivery = delivery;
        this.grants = grants;
        this.subjects = subjects;
        this.seals = seals;
        this.log = log;
        this.idempotency = idempotency;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    public Job create(Caller caller, Long grantId, String format, String idempotencyKey) {
        IdempotencyService.validate(idempotencyKey);
        String consumer = caller.departmentOrFail();
        if (grantId == null) {
            throw ApiException.field("grantId", "须指明授权 / grantId is required");
        }
        if (format == null || !FORMATS.contains(format)) {
            throw ApiException.field("format", "须为 CSV 或 JSONL / CSV or JSONL");
        }
        GrantView named = grants.forDelivery(consumer, null, grantId);
        if (named == null || !named.consumer().equals(consumer)) {
            throw ApiException.notFound("没有该授权 / no grant " + grantId);
        }
        delivery.usableGrant(consumer, delivery.entry(named.resourceCode()), grantId, null);
        long id;
        try (Connection c = dataSource.getConnection()) {
            if (idempotencyKey != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT resource_id FROM idempotency_record WHERE "
                        + "caller = ? AND operation = 'export' AND idem_key = ?")) {
                    ps.setString(1, caller.subject());
                    ps.setString(2, idempotencyKey);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            return view(caller, rs.getLong(1));
                        }
                    }
                }
            }
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO export_job (grant_id, consumer_department_code, "
                    + "requested_by, format, status) VALUES (?, ?, ?, ?, 'PENDING') RETURNING id")) {
                ps.setLong(1, grantId);
                ps.setString(2, consumer);
                ps.setString(3, caller.subject());
                ps.setString(4, format);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            if (idempotencyKey != null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO idempotency_record (caller, operation, "
                        + "idem_key, resource_id) VALUES (?, 'export', ?, ?)")) {
                    ps.setString(1, caller.subject());
                    ps.setString(2, idempotencyKey);
                    ps.setLong(3, id);
                    ps.executeUpdate();
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw ApiException.conflict("同一幂等键的导出正在处理 / an export with this Idempotency-Key is in progress");
        }
        final long jobId = id;
        executor.submit(() -> run(jobId, named, format));
        return view(caller, id);
    }

    private void run(long jobId, GrantView grant, String format) {
        try {
            EntryView entry = delivery.entry(grant.resourceCode());
            List<Map<String, Object>> out = new ArrayList<>();
            Set<String> hashes = new LinkedHashSet<>();
            List<String> masked = new ArrayList<>();
            for (int page = 0;; page++) {
                List<Map<String, Object>> rows = delivery.datasetPage(grant, entry, page, 1000);
                for (Map<String, Object> r : rows) {
                    Object k = r.get(entry.keyItem());
                    hashes.addAll(subjects.subjectsOf(k == null ? null : k.toString(), r));
                    out.add(DeliveryService.minimise(r, grant, entry, masked));
                }
                if (rows.size() < 1000) {
                    break;
                }
            }
            List<String> items = new ArrayList<>(grant.items());
            java.util.Collections.sort(items);
            byte[] bytes = "CSV".equals(format) ? csv(items, out) : jsonl(out);
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("exportId", jobId);
            manifest.put("resourceCode", grant.resourceCode());
            manifest.put("grantId", grant.id());
            manifest.put("consumerDepartmentCode", grant.consumer());
            manifest.put("providerDepartmentCode", grant.provider());
            manifest.put("purpose", grant.purpose());
            manifest.put("format", format);
            manifest.put("items", items);
            manifest.put("maskedItems", masked.stream().distinct().toList());
            manifest.put("records", out.size());
            manifest.put("sha256", LogEntry.sha256Bytes(bytes));
            String manifestJson = Json.write(manifest);
            String seal = seals.seal(grant.provider(), manifestJson.getBytes(StandardCharsets.UTF_8));
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE export_job SET status = 'READY', record_count = ?, content = ?, subject_hashes = ?, "
                            + "manifest = ?, manifest_seal = ?, finished_at = now() WHERE id = ?")) {
                ps.setInt(1, out.size());
                ps.setBytes(2, bytes);
                ps.setArray(3, c.createArrayOf("text", hashes.toArray()));
                ps.setString(4, manifestJson);
                ps.setString(5, seal);
                ps.setLong(6, jobId);
                ps.executeUpdate();
            }
        } catch (RuntimeException | SQLException | IOException e) {
            LOG.errorf("export %d failed: %s", jobId, e.toString());
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "UPDATE export_job SET status = 'FAILED', failure = ?, finished_at = now() WHERE id = ?")) {
                ps.setString(1, "导出失败 / the export failed");
                ps.setLong(2, jobId);
                ps.executeUpdate();
            } catch (SQLException ignored) {
                // the job stays PENDING; the consumer can start another
            }
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
                        Json.object(rs.getString(7)), rs.getString(8), rs.getString(9),
                        rs.getObject(10, OffsetDateTime.class).toInstant().toString());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("export unreadable", e);
        }
    }

    /** The file, once its usage-log entry is committed; the grant must still be in force. */
    public Content download(Caller caller, long id, String requestId) {
        Job job = view(caller, id);
        if (!"READY".equals(job.status())) {
            throw ApiException.illegalTransition("导出尚未完成 / the export is " + job.status());
        }
        GrantView grant = grants.forDelivery(caller.department(), null, job.grantId());
        EntryView entry = delivery.entry(grant.resourceCode());
        delivery.usableGrant(caller.department(), entry, job.grantId(), null);
        byte[] bytes;
        List<String> hashes;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT content, subject_hashes FROM export_job WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                bytes = rs.getBytes(1);
                Array a = rs.getArray(2);
                hashes = a == null ? List.of() : Arrays.asList((String[]) a.getArray());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("export unreadable", e);
        }
        List<String> items = new ArrayList<>(grant.items());
        java.util.Collections.sort(items);
        LogEntry logged = log.append(new LogEntry.Draft(requestId, caller.clientId(), caller.subject(),
                caller.department(), grant.id(), grant.purpose(), grant.legalBasis(), entry.resourceCode(),
                entry.provider(), items, hashes, "EXPORT", "DELIVERED", null, null));
        return new Content(bytes, job.format(), job.manifestSeal(), logged.seq());
    }

    private static byte[] csv(List<String> items, List<Map<String, Object>> rows) throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(items.toArray(String[]::new)).get())) {
            for (Map<String, Object> r : rows) {
                List<Object> values = new ArrayList<>();
                for (String item : items) {
                    values.add(r.get(item));
                }
                p.printRecord(values);
            }
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] jsonl(List<Map<String, Object>> rows) {
        StringBuilder sb = new StringBuilder();
        for (Map<String, Object> r : rows) {
            sb.append(Json.write(r)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
