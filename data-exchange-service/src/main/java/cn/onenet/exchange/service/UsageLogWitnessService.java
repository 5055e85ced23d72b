package cn.onenet.exchange.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.service.Commands.RegisterWitness;
import io.agroal.api.AgroalDataSource;

/**
 * Witnesses of the usage log (见证, 条例第二十九条, R16): department systems, registered by the platform's admins, that
 * receive every signed checkpoint as it is made ({@link UsageLogWitnessDispatcher}) and keep it. The exchange holds
 * the key that signs checkpoints, so on its own it could rewrite the log and sign every checkpoint again; a witness
 * remembers the heads it was sent, and usage-log-verifier {@code --witness} finds an export that contradicts them.
 * States: ACTIVE, FAILING (gave up or refused; registering again resumes it). Acknowledgements are kept after the
 * registration is removed.
 */
@ApplicationScoped
public class UsageLogWitnessService {

    /** A registered witness and how far it acknowledged. */
    public record Witness(@Schema(example = "11330000002481060E") String departmentCode,
            @Schema(example = "https://audit.rsj.zj.gov.cn/usage-log-witness") String url,
            @Schema(description = "ACTIVE or FAILING (given up or refused: PUT again resumes)", example = "ACTIVE")
            String status,
            @Schema(example = "null") String statusReason,
            @Schema(example = "admin-1") String registeredBy,
            @Schema(example = "2026-12-04T09:00:00Z") String createdAt,
            @Schema(example = "2026-12-04T09:00:00Z") String updatedAt,
            @Schema(description = "checkpoints it acknowledged", example = "212") long acknowledged,
            @Schema(description = "checkpoints queued for it, not yet acknowledged", example = "0") long pending,
            @Schema(description = "lastSeq of the newest checkpoint it acknowledged", example = "1043")
            Long lastAcknowledgedSeq,
            @Schema(description = "the last failed attempt's category (CONNECT_FAILED, TLS_FAILED, TIMEOUT, "
                    + "HTTP_<status>, REFUSED_ADDRESS), null after a success", example = "null") String lastError) {
    }

    /** A witness's acknowledgement of one checkpoint. */
    public record Receipt(@Schema(example = "212") long checkpointId, @Schema(example = "1043") long lastSeq,
            @Schema(example = "2026-12-04T09:35:00.412Z") String acknowledgedAt,
            @Schema(description = "what the witness answered (its receipt), null when it answered nothing",
                    example = "rsj-witness-0000212") String receipt) {
    }

    /** One page of a witness's receipts, newest first. */
    public record ReceiptPage(@Schema(example = "0") int page, @Schema(example = "50") int size,
            @Schema(example = "212") long total, List<Receipt> receipts) {
    }

    private final AgroalDataSource dataSource;
    private final WebhookService webhooks;

    public UsageLogWitnessService(AgroalDataSource dataSource, WebhookService webhooks) {
        this.dataSource = dataSource;
        this.webhooks = webhooks;
    }

    /**
     * Registers a department's witness endpoint, or re-points it and resumes it (checkpoints given up or refused are
     * queued again, in order). A new witness is sent the latest checkpoint first, then every one signed after it.
     * Returns true when it was created.
     */
    public boolean register(Caller caller, String departmentCode, RegisterWitness cmd) {
        String code = knownDepartment(departmentCode);
        if (cmd == null) {
            throw ApiException.field("url", "url 必填 / url is required");
        }
        // the webhooks' rules: https, plain http to loopback where configured, public addresses only
        String url = webhooks.checkUrl(cmd.url());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean created;
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log_witness (department_code, url, "
                        + "registered_by) VALUES (?, ?, ?) ON CONFLICT (department_code) DO UPDATE SET url = EXCLUDED.url, "
                        + "status = 'ACTIVE', status_reason = NULL, updated_at = now() RETURNING (xmax = 0)")) {
                    ps.setString(1, code);
                    ps.setString(2, url);
                    ps.setString(3, caller.subject());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        created = rs.getBoolean(1);
                    }
                }
                if (created) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log_witness_outbox "
                            + "(department_code, checkpoint_id) SELECT ?, max(id) FROM usage_log_checkpoint "
                            + "HAVING max(id) IS NOT NULL ON CONFLICT DO NOTHING")) {
                        ps.setString(1, code);
                        ps.executeUpdate();
                    }
                } else {
                    try (PreparedStatement ps = c.prepareStatement("UPDATE usage_log_witness_outbox SET status = "
                            + "'PENDING', attempts = 0, next_attempt_at = now(), finished_at = NULL "
                            + "WHERE department_code = ? AND status IN ('GAVE_UP', 'REJECTED')")) {
                        ps.setString(1, code);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return created;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw ApiException.conflict("该见证正被同时修改 / the witness is being changed concurrently");
        }
    }

    /** Every registered witness, by department code. */
    public List<Witness> list() {
        return witnesses(null);
    }

    /** The registration of {@code departmentCode}; 404 when there is none. */
    public Witness view(String departmentCode) {
        List<Witness> w = witnesses(departmentCode);
        if (w.isEmpty()) {
            throw ApiException.notFound("该部门未登记为见证 / no witness registered for " + departmentCode);
        }
        return w.get(0);
    }

    /** Removes the registration and what was queued for it; its receipts stay. 404 when there is none. */
    public void remove(String departmentCode) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM usage_log_witness WHERE department_code = ?")) {
            ps.setString(1, departmentCode);
            if (ps.executeUpdate() == 0) {
                throw ApiException.notFound("该部门未登记为见证 / no witness registered for " + departmentCode);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("witness not removed", e);
        }
    }

    /**
     * What the department's witness acknowledged, newest first; 404 when it is neither registered nor ever
     * acknowledged anything.
     */
    public ReceiptPage receipts(String departmentCode, int page, int size) {
        try (Connection c = dataSource.getConnection()) {
            long total;
            boolean registered;
            try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM usage_log_witness_receipt "
                    + "WHERE department_code = ?), EXISTS (SELECT 1 FROM usage_log_witness WHERE department_code = ?)")) {
                ps.setString(1, departmentCode);
                ps.setString(2, departmentCode);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                    registered = rs.getBoolean(2);
                }
            }
            if (total == 0 && !registered) {
                throw ApiException.notFound("该部门未登记为见证 / no witness registered for " + departmentCode);
            }
            List<Receipt> receipts = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT checkpoint_id, last_seq, acknowledged_at, receipt "
                    + "FROM usage_log_witness_receipt WHERE department_code = ? ORDER BY checkpoint_id DESC "
                    + "LIMIT ? OFFSET ?")) {
                ps.setString(1, departmentCode);
                ps.setInt(2, size);
                ps.setLong(3, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        receipts.add(new Receipt(rs.getLong(1), rs.getLong(2), time(rs, 3), rs.getString(4)));
                    }
                }
            }
            return new ReceiptPage(page, size, total, receipts);
        } catch (SQLException e) {
            throw new IllegalStateException("witness receipts unreadable", e);
        }
    }

    /**
     * An 18-character 统一社会信用代码 of an active department of the register identity-service publishes
     * ({@link DepartmentRegister}); else 400 naming departmentCode.
     */
    private String knownDepartment(String departmentCode) {
        String code = departmentCode == null ? "" : departmentCode.trim();
        if (!code.matches("[0-9A-HJ-NPQRTUWXY]{18}")) {
            throw ApiException.field("departmentCode", "须为 18 位统一社会信用代码 / must be an 18-character unified "
                    + "social credit code");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM department_register WHERE code = ? AND active")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw ApiException.field("departmentCode", "部门名录中没有该在用部门 / no active department with "
                            + "this code in the department register");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("department register unreadable", e);
        }
        return code;
    }

    private List<Witness> witnesses(String only) {
        List<Witness> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT w.department_code, "
                + "w.url, w.status, w.status_reason, w.registered_by, w.created_at, w.updated_at, "
                + "(SELECT count(*) FROM usage_log_witness_receipt r WHERE r.department_code = w.department_code), "
                + "(SELECT count(*) FROM usage_log_witness_outbox o WHERE o.department_code = w.department_code "
                + "AND o.status <> 'ACKNOWLEDGED' AND o.status <> 'DROPPED'), "
                + "(SELECT max(r.last_seq) FROM usage_log_witness_receipt r WHERE r.department_code = w.department_code), "
                + "(SELECT o.last_error FROM usage_log_witness_outbox o WHERE o.department_code = w.department_code "
                + "AND o.status <> 'ACKNOWLEDGED' ORDER BY o.checkpoint_id LIMIT 1) "
                + "FROM usage_log_witness w WHERE ? IS NULL OR w.department_code = ? ORDER BY w.department_code")) {
            ps.setString(1, only);
            ps.setString(2, only);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Witness(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), time(rs, 6), time(rs, 7), rs.getLong(8), rs.getLong(9),
                            rs.getObject(10, Long.class), rs.getString(11)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("witnesses unreadable", e);
        }
        return out;
    }

    private static String time(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant().toString();
    }
}
