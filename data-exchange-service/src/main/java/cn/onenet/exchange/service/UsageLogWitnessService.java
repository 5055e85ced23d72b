package cn.onenet.exchange.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.Commands.RegisterWitness;
import io.agroal.api.AgroalDataSource;

/**
 * Witnesses of the usage log (见证, 条例第二十九条, R16): department systems, registered by the platform's admins, that
 * receive every signed checkpoint as it is made ({@link UsageLogWitnessDispatcher}) and keep it. The exchange holds
 * the key that signs checkpoints, so on its own it could rewrite the log and sign every checkpoint again; a witness
 * remembers the heads it was sent, and usage-log-verifier {@code --witness} finds an export that contradicts them.
 * States: ACTIVE, FAILING (gave up or refused; registering again resumes it). Acknowledgements are kept after the
 * registration is removed. Every registration, re-pointing, resumption and removal is kept, with who made it and the
 * URL before, in the append-only {@code usage_log_witness_change}, written in the transaction of the change; a
 * re-pointing or removal is told to the witness department and the 主管部门 (notice {@code WITNESS_CHANGED}), so no
 * administrator can quietly turn a witness away.
 */
@ApplicationScoped
public class UsageLogWitnessService {

    /** A registered witness and how far it acknowledged. */
    public record Witness(@Schema(example = "11330000002481060E") String departmentCode,
            @Schema(example = "https://audit.rsj.zj.gov.cn/usage-log-witness") String url,
            @Schema(description = "ACTIVE or FAILING (given up or refused: PUT again resumes)", example = "ACTIVE")
            String status,
            @Schema(example = "null") String statusReason,
            @Schema(description = "who registered it first", example = "admin-1") String registeredBy,
            @Schema(example = "2026-12-04T09:00:00Z") String createdAt,
            @Schema(description = "who registered, re-pointed or resumed it last (its history has every change)",
                    example = "admin-2") String updatedBy,
            @Schema(example = "2026-12-05T10:12:00Z") String updatedAt,
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

    /** One change of a witness's registration (见证登记变更): who, when, what it pointed at before and after. */
    public record Change(@Schema(example = "3") long id,
            @Schema(description = "REGISTERED, REPOINTED (another URL; also resumes it), RESUMED (the same URL "
                    + "registered again) or REMOVED", example = "REPOINTED") String action,
            @Schema(description = "the URL before; null when it was registered", example =
                    "https://audit.rsj.zj.gov.cn/usage-log-witness") String previousUrl,
            @Schema(description = "the URL after; null when it was removed", example =
                    "https://audit2.rsj.zj.gov.cn/usage-log-witness") String url,
            @Schema(description = "ACTIVE or FAILING before the change; null when it was registered",
                    example = "ACTIVE") String previousStatus,
            @Schema(example = "admin-2") String actorSubject,
            @Schema(description = "the actor's display name from its token", example = "王五") String actorName,
            @Schema(example = "2f6d1c3a-8b4e-4f71-9a02-5e7c3b1d9f84") String requestId,
            @Schema(example = "2026-12-05T10:12:00Z") String changedAt) {
    }

    /** One page of a witness's changes, newest first. */
    public record ChangePage(@Schema(example = "0") int page, @Schema(example = "50") int size,
            @Schema(example = "3") long total, List<Change> changes) {
    }

    /** The notice a re-pointing or removal sends. */
    public static final String CHANGED = "WITNESS_CHANGED";

    /**
     * Taken by every change of a registration and by the trigger that queues a new checkpoint for the witnesses
     * (migration V64), for the rest of the transaction: a witness registered while a checkpoint is signed sees it.
     */
    static final String LOCK = "exchange-usage-log-witnesses";

    private final AgroalDataSource dataSource;
    private final WebhookService webhooks;
    private final NoticeService notices;
    private final ExchangeConfig config;

    public UsageLogWitnessService(AgroalDataSource dataSource, WebhookService webhooks, NoticeService notices,
            ExchangeConfig config) {
        this.dataSource = dataSource;
        this.webhooks = webhooks;
        this.notices = notices;
        this.config = config;
    }

    /**
     * Registers a department's witness endpoint, or re-points it and resumes it (checkpoints given up or refused are
     * queued again, in order). A new witness is sent the latest checkpoint first, then every one signed after it.
     * Returns true when it was created.
     */
    @Transactional
    public boolean register(Caller caller, String departmentCode, RegisterWitness cmd) {
        String code = knownDepartment(departmentCode);
        if (cmd == null) {
            throw Fields.WITNESS_URL.isRequired();
        }
        // the webhooks' rules: https, plain http to loopback where configured, public addresses only
        String url = webhooks.checkUrl(cmd.url());
        StateHistory.Actor actor = StateHistory.Actor.of(caller, "admin");
        try (Connection c = dataSource.getConnection()) {
            lock(c);
            String[] before = current(c, code);
            if (before == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log_witness (department_code, url, "
                        + "registered_by, updated_by) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, code);
                    ps.setString(2, url);
                    ps.setString(3, actor.subject());
                    ps.setString(4, actor.subject());
                    ps.executeUpdate();
                }
                // the latest checkpoint first; the trigger queues each one signed after it
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log_witness_outbox "
                        + "(department_code, checkpoint_id) SELECT ?, max(id) FROM usage_log_checkpoint "
                        + "HAVING max(id) IS NOT NULL ON CONFLICT DO NOTHING")) {
                    ps.setString(1, code);
                    ps.executeUpdate();
                }
                record(c, code, "REGISTERED", null, url, null, actor);
                return true;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE usage_log_witness SET url = ?, status = 'ACTIVE', "
                    + "status_reason = NULL, updated_by = ?, updated_at = now() WHERE department_code = ?")) {
                ps.setString(1, url);
                ps.setString(2, actor.subject());
                ps.setString(3, code);
                ps.executeUpdate();
            }
            // checkpoints given up or refused are queued again, in order
            try (PreparedStatement ps = c.prepareStatement("UPDATE usage_log_witness_outbox SET status = "
                    + "'PENDING', attempts = 0, next_attempt_at = now(), finished_at = NULL "
                    + "WHERE department_code = ? AND status IN ('GAVE_UP', 'REJECTED')")) {
                ps.setString(1, code);
                ps.executeUpdate();
            }
            boolean repointed = !before[0].equals(url);
            long change = record(c, code, repointed ? "REPOINTED" : "RESUMED", before[0], url, before[1], actor);
            if (repointed) {
                tell(code, change, "使用记录见证接收地址已由 " + who(actor) + " 改为 " + url + "（原为 " + before[0]
                        + "）/ the usage-log witness was re-pointed");
            }
            return false;
        } catch (SQLException e) {
            throw failure(e, "witness not registered");
        }
    }

    /** Every registered witness, by department code. */
    public List<Witness> list() {
        return witnesses(null);
    }

    /** The registration of {@code departmentCode}; 404 when there is none. */
    public Witness view(String departmentCode) {
        List<Witness> w = witnesses(CreditCode.normalise(departmentCode));
        if (w.isEmpty()) {
            throw ApiException.notFound("该部门未登记为见证 / no witness registered for " + departmentCode);
        }
        return w.get(0);
    }

    /**
     * Removes the registration and what was queued for it; its receipts and its changes stay. 404 when there is
     * none.
     */
    @Transactional
    public void remove(Caller caller, String departmentCode) {
        StateHistory.Actor actor = StateHistory.Actor.of(caller, "admin");
        try (Connection c = dataSource.getConnection()) {
            lock(c);
            String code = departmentCode == null ? "" : CreditCode.normalise(departmentCode);
            String[] before = current(c, code);
            if (before == null) {
                throw ApiException.notFound("该部门未登记为见证 / no witness registered for " + departmentCode);
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_log_witness WHERE department_code = ?")) {
                ps.setString(1, code);
                ps.executeUpdate();
            }
            long change = record(c, code, "REMOVED", before[0], null, before[1], actor);
            tell(code, change, "使用记录见证（" + before[0] + "）已由 " + who(actor) + " 撤销，检查点不再推送 / the "
                    + "usage-log witness was removed");
        } catch (SQLException e) {
            throw failure(e, "witness not removed");
        }
    }

    /**
     * The changes of the department's witness registration, newest first; 404 when it was never registered, 400
     * naming departmentCode for a code that is no 统一社会信用代码 (the department may have left the register since).
     */
    public ChangePage history(String departmentCode, int page, int size) {
        String code = creditCode(departmentCode);
        try (Connection c = dataSource.getConnection()) {
            long total = countOfWitness(c, "usage_log_witness_change", code);
            List<Change> changes = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, action, previous_url, url, previous_status, "
                    + "actor_subject, actor_name, request_id, changed_at FROM usage_log_witness_change "
                    + "WHERE department_code = ? ORDER BY id DESC LIMIT ? OFFSET ?")) {
                ps.setString(1, code);
                ps.setInt(2, size);
                ps.setLong(3, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        changes.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), time(rs, 9)));
                    }
                }
            }
            return new ChangePage(page, size, total, changes);
        } catch (SQLException e) {
            throw new IllegalStateException("witness history unreadable", e);
        }
    }

    /**
     * Only a transaction PostgreSQL aborted for a concurrent one (serialization failure, deadlock, a unique key taken
     * meanwhile) is a conflict the caller may retry; any other database failure is the exchange's own (500, logged).
     */
    static RuntimeException failure(SQLException e, String what) {
        String state = e.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state) || "23505".equals(state)) {
            return ApiException.conflict("该见证正被同时修改 / the witness is being changed concurrently");
        }
        return new IllegalStateException(what, e);
    }

    /**
     * How many rows {@code table} (receipts or changes, both kept after a removal) holds for the department; 404 when
     * it holds none and the department has no witness registered.
     */
    private static long countOfWitness(Connection c, String table, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT count(*) FROM " + table + " WHERE "
                + "department_code = ?), EXISTS (SELECT 1 FROM usage_log_witness WHERE department_code = ?)")) {
            ps.setString(1, code);
            ps.setString(2, code);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0 && !rs.getBoolean(2)) {
                    throw ApiException.notFound("该部门未登记为见证 / no witness registered for " + code);
                }
                return rs.getLong(1);
            }
        }
    }

    private static void lock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, LOCK);
            ps.execute();
        }
    }

    /** The registration's URL and status, locked for the transaction; null when there is none. */
    private static String[] current(Connection c, String code) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT url, status FROM usage_log_witness "
                + "WHERE department_code = ? FOR UPDATE")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] { rs.getString(1), rs.getString(2) } : null;
            }
        }
    }

    private static long record(Connection c, String code, String action, String previousUrl, String url,
            String previousStatus, StateHistory.Actor actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log_witness_change (department_code, action, "
                + "previous_url, url, previous_status, actor_subject, actor_name, request_id) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, code);
            ps.setString(2, action);
            ps.setString(3, previousUrl);
            ps.setString(4, url);
            ps.setString(5, previousStatus);
            ps.setString(6, actor.subject());
            ps.setString(7, actor.name());
            ps.setString(8, RequestIds.current());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Tells the witness department and the 主管部门, in the transaction of the change, as WITNESS_FAILING is told. */
    private void tell(String code, long change, String message) {
        notices.notify(code, CHANGED, "WITNESS", change, message);
        String authority = config.competentAuthorityDepartment();
        if (!code.equals(authority)) {
            notices.notify(authority, CHANGED, "WITNESS", change, code + " " + message);
        }
    }

    private static String who(StateHistory.Actor actor) {
        return actor.name() == null ? actor.subject() : actor.name() + " (" + actor.subject() + ")";
    }

    /**
     * What the department's witness acknowledged, newest first; 404 when it is neither registered nor ever
     * acknowledged anything.
     */
    public ReceiptPage receipts(String departmentCode, int page, int size) {
        departmentCode = CreditCode.normalise(departmentCode);
        try (Connection c = dataSource.getConnection()) {
            long total = countOfWitness(c, "usage_log_witness_receipt", departmentCode);
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
        String code = creditCode(departmentCode);
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

    /**
     * The code, trimmed and in upper case (the register's form: a code typed in lower case is the same code), when it
     * has the form of a 统一社会信用代码; else 400 naming departmentCode.
     */
    private static String creditCode(String departmentCode) {
        String code = departmentCode == null ? "" : CreditCode.normalise(departmentCode);
        if (!code.matches("[0-9A-HJ-NPQRTUWXY]{18}")) {
            throw ApiException.field("departmentCode", "须为 18 位统一社会信用代码 / must be an 18-character unified "
                    + "social credit code");
        }
        return code;
    }

    private List<Witness> witnesses(String only) {
        List<Witness> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT w.department_code, "
                + "w.url, w.status, w.status_reason, w.registered_by, w.created_at, w.updated_by, w.updated_at, "
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
                            rs.getString(5), time(rs, 6), rs.getString(7), time(rs, 8), rs.getLong(9),
                            rs.getLong(10), rs.getObject(11, Long.class), rs.getString(12)));
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
