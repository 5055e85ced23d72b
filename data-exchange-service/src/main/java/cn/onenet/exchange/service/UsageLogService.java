package cn.onenet.exchange.service;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.config.ExchangeConfig;
import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;

/**
 * Reads of the usage log: the chain check, signed checkpoints, evidence bundles, the provider's and the 主管部门's
 * inspection and the citizens' view. There is no delete: rows leave only when a whole month partition older than
 * the retention period (≥ 3 years, R16) is detached by the operators.
 */
@ApplicationScoped
public class UsageLogService {

    /**
     * The chain check. {@code firstBadSeq} and {@code problem} name the first entry that does not fit (kept for the
     * clients that read only those); {@code brokenEntries} lists every one found, in sequence order, up to
     * {@link #MAX_BROKEN} ({@code brokenCapped} when there were more; {@code brokenCount} counts them all).
     */
    public record Verification(@Schema(example = "false") boolean valid,
            @Schema(description = "entries read", example = "1043") long checked,
            @Schema(description = "the last sequence number read", example = "1043") long lastSeq,
            @Schema(description = "the first entry that does not fit; null when valid", example = "517")
            Long firstBadSeq,
            @Schema(description = "what is wrong with it", example = "记录内容被修改 / entry content was changed")
            String problem,
            @Schema(description = "signed checkpoints checked", example = "6") int checkpointsChecked,
            @Schema(description = "every entry (or checkpoint, by its last sequence number) that does not fit, in "
                    + "sequence order, at most 100") List<BrokenEntry> brokenEntries,
            @Schema(description = "how many were found, also past the first 100", example = "2") long brokenCount,
            @Schema(description = "true when more were found than brokenEntries lists", example = "false")
            boolean brokenCapped) {
    }

    /** One entry that does not fit the chain (a run of missing entries is one, from its first number on). */
    public record BrokenEntry(@Schema(example = "517") long seq,
            @Schema(example = "记录内容被修改 / entry content was changed") String problem) {
    }

    /**
     * A committed-format entry whose stored hiddenUntil (and salt) do not open the commitment its hash covers: the
     * date that decides the citizens' view was edited, added or removed.
     */
    public static final String COMMITMENT_NOT_OPENED = "隐蔽期限与其承诺不符（期限被修改）/ the covert date does not "
            + "open its commitment: hiddenUntil was changed";

    /**
     * An entry whose stored reason (事由) its format does not hash: one added to an entry written without a reason,
     * or removed from one written with it.
     */
    public static final String REASON_NOT_COVERED = "事由与记录格式不符（事由被添加或删除）/ the reason does not fit the "
            + "entry's format: a reason was added or removed";
    /** A grant-terms document added to an entry of another format, or removed from one of format 4. */
    public static final String TERMS_NOT_COVERED = "授权条款与记录格式不符（条款被添加或删除）/ the grant terms do not fit "
            + "the entry's format (added or removed after it was written)";

    /**
     * A usage-record entry younger than the records' retention period whose record is gone, and no void entry says it
     * was never kept: deleted behind the table's guard, or lost in a crash between the entry and the record.
     */
    public static final String RECORD_MISSING = "使用记录缺失（记录被删除或未保存）/ the usage record this entry names is "
            + "missing: deleted, or lost before it was kept";

    /** At most this many broken entries are listed by {@link #verify}. */
    public static final int MAX_BROKEN = 100;

    /** A covert query hidden from the citizens' view: who asked, when, until when, why, and its usage-log entry. */
    public record CovertHiding(@Schema(example = "1043") long usageLogSeq,
            @Schema(description = "when the hiding was recorded (with the access)", example = "2026-12-04T09:31:12.48Z")
            Instant hiddenAt,
            @Schema(description = "hidden from the citizens' view until this day", example = "2027-03-04")
            LocalDate hiddenUntil,
            @Schema(example = "《刑事诉讼法》第一百五十条") String legalBasis,
            @Schema(description = "the consumer department that asked", example = "11330000002481060E")
            String departmentCode,
            @Schema(example = "case-handling-system") String clientId,
            @Schema(example = "3f2b8c1e-6d4a-4f0b-9a7e-2c5d1e8f4a10") String userSub,
            @Schema(example = "101001/000001") String resourceCode, @Schema(example = "17") Long grantId,
            @Schema(example = "9b1c2d3e-4f50-4a6b-8c7d-0e1f2a3b4c5d") String requestId) {
    }

    /** One page of covert hidings, newest first, and how many match the filter. */
    public record CovertHidings(@Schema(example = "0") int page, @Schema(example = "50") int size,
            @Schema(example = "1") long total, List<CovertHiding> hidings) {
    }

    /**
     * What the citizens' view shows of a subject: delivered accesses; lookups and queries by the subject's own
     * identifier that found nothing (NOT_FOUND, EMPTY: the identifier was processed all the same); a keyed lookup by
     * it refused as out of region (OUT_OF_REGION: only to the subject the key names, whose hash a lookup logs first,
     * not to others the undelivered record mentions); covert ones of all these once their date has passed; not a
     * webhook delivery that a follow-up entry under its delivery id takes back (NOT_SENT: the request never left;
     * NOT_ACCEPTED: the receiver answered other than 2xx; REPEATED: the event went again after an attempt that
     * stands as its delivery): one webhook event, at most one access shown. Parameters: the subject hash twice, then
     * today.
     */
    private static final String SUBJECT_SEES = "subject_hashes @> ARRAY[?]::text[] AND (outcome = 'DELIVERED' "
            + "OR operation IN ('LOOKUP', 'QUERY') AND outcome IN ('NOT_FOUND', 'EMPTY') "
            + "OR operation = 'LOOKUP' AND outcome = 'OUT_OF_REGION' AND subject_hashes[1] = ?) "
            + "AND (hidden_until IS NULL OR hidden_until <= ?) AND NOT (operation = 'WEBHOOK' AND EXISTS (SELECT 1 "
            + "FROM usage_log later WHERE later.outcome IN ('" + String.join("', '", DeliveryService.WEBHOOK_FOLLOW_UPS)
            + "') AND later.operation = 'WEBHOOK' AND later.request_id = usage_log.request_id))";

    static final String COLUMNS = "seq, logged_at, request_id, client_id, user_sub, consumer_department_code, "
            + "grant_id, purpose, legal_basis, resource_code, provider_department_code, items, subject_hashes, "
            + "operation, outcome, hidden_until, hidden_until_salt, hidden_until_commitment, prev_hash, entry_hash, "
            + "entry_format, reason, grant_terms";

    private final AgroalDataSource dataSource;
    private final SealService seals;
    private final ExchangeConfig config;
    private final TimeSource time;
    private final UsageLogTimestamps timestamps;

    public UsageLogService(AgroalDataSource dataSource, SealService seals, ExchangeConfig config, TimeSource time,
            UsageLogTimestamps timestamps) {
        this.dataSource = dataSource;
        this.seals = seals;
        this.config = config;
        this.time = time;
        this.timestamps = timestamps;
    }

    /**
     * Walks the whole chain: any edited, deleted or reordered row breaks it, and so does a committed-format entry
     * whose date and salt do not open its commitment ({@link LogEntry#opensCommitment()}). Then every signed
     * checkpoint must carry a valid seal (any algorithm, SM2SM3 included) and name a hash the chain really had at its
     * sequence number.
     * Every entry that does not fit is reported (the first {@link #MAX_BROKEN}), not only the first: after a broken
     * one the walk goes on from the hash that entry has stored, after a gap from the entry that follows it.
     */
    public Verification verify() {
        Broken broken = new Broken();
        long expectedSeq = 1;
        String prev = "0".repeat(64);
        long checked = 0;
        Map<Long, String> checkpointHashes = new java.util.HashMap<>();
        List<Object[]> checkpoints = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT last_seq, last_hash, signature, payload, created_at, timestamp_token FROM "
                            + "usage_log_checkpoint ORDER BY id");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checkpoints.add(new Object[] { rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getBytes(6) });
                    checkpointHashes.put(rs.getLong(1), null);
                }
            }
            c.setAutoCommit(false); // lets the driver stream with a fetch size
            Set<Long> recordsMissing = recordsMissing(c);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM usage_log ORDER BY seq")) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LogEntry e = read(rs);
                        String stored = rs.getString("entry_hash");
                        checked++;
                        if (e.seq() > expectedSeq) {
                            // the link of the entry after a gap points into the gap: only the gap is reported
                            broken.add(expectedSeq, e.seq() == expectedSeq + 1 ? "缺少记录 / missing entry " + expectedSeq
                                    : "缺少记录 / missing entries " + expectedSeq + "–" + (e.seq() - 1));
                        } else if (e.seq() < expectedSeq) {
                            broken.add(e.seq(), "记录序号重复 / entry number repeated");
                        } else if (!e.prevHash().equals(prev)) {
                            broken.add(e.seq(), "链接断开（记录被删除或调换）/ chain broken: deleted or reordered entry");
                        } else if (!e.hash().equals(stored)) {
                            broken.add(e.seq(), "记录内容被修改 / entry content was changed");
                        } else if (!e.opensCommitment()) {
                            broken.add(e.seq(), COMMITMENT_NOT_OPENED);
                        } else if (!e.reasonCovered()) {
                            broken.add(e.seq(), REASON_NOT_COVERED);
                        } else if (!e.termsCovered()) {
                            broken.add(e.seq(), TERMS_NOT_COVERED);
                        } else if (recordsMissing.contains(e.seq())) {
                            broken.add(e.seq(), RECORD_MISSING);
                        }
                        prev = stored;
                        if (checkpointHashes.containsKey(e.seq())) {
                            checkpointHashes.put(e.seq(), stored);
                        }
                        expectedSeq = Math.max(expectedSeq, e.seq() + 1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seq, last_hash FROM usage_log_head");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) != expectedSeq - 1 || !rs.getString(2).equals(prev)) {
                    broken.add(expectedSeq, "链尾记录缺失 / entries missing at the end of the chain");
                }
            }
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("usage log unreadable", e);
        }
        for (Object[] cp : checkpoints) {
            long seq = (Long) cp[0];
            String hash = (String) cp[1];
            String problem = checkpointProblem(seq, hash, (String) cp[2], (String) cp[3], (Instant) cp[4]);
            if (problem == null && cp[5] != null && UsageLogTimestamps.stampedAt((byte[]) cp[5],
                    ((String) cp[2]).getBytes(StandardCharsets.UTF_8)) == null) {
                problem = TIMESTAMP_INVALID;
            }
            if (problem == null && seq > 0 && !hash.equals(checkpointHashes.get(seq))) {
                problem = "检查点与链不符 / a checkpoint names a hash the chain never had";
            }
            if (problem != null) {
                broken.add(seq, problem);
            }
        }
        return broken.verification(checked, expectedSeq - 1, checkpoints.size());
    }

    /**
     * The usage-record entries ({@link UsageRecordService#OPERATION_PREFIX}) whose record is not in the table though it
     * must still be kept (R16: the entry is younger than usage_record_retention()), and that no
     * {@link UsageRecordService#VOID_OPERATION} entry explains (a record whose transaction rolled back).
     */
    private static Set<Long> recordsMissing(Connection c) throws SQLException {
        Set<Long> missing = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT l.seq FROM usage_log l WHERE l.operation LIKE ? "
                + "AND l.operation <> ? AND l.logged_at > now() - usage_record_retention() "
                + "AND NOT EXISTS (SELECT 1 FROM usage_record r WHERE r.usage_log_seq = l.seq) "
                + "AND NOT EXISTS (SELECT 1 FROM usage_log v WHERE v.operation = ? "
                + "AND v.request_id = ? || split_part(l.request_id, ':', 2))")) {
            ps.setString(1, UsageRecordService.OPERATION_PREFIX.replace("_", "\\_") + "%");
            ps.setString(2, UsageRecordService.VOID_OPERATION);
            ps.setString(3, UsageRecordService.VOID_OPERATION);
            ps.setString(4, UsageRecordService.VOID_REFERENCE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    missing.add(rs.getLong(1));
                }
            }
        }
        return missing;
    }

    /** The entries found not to fit, the first {@link #MAX_BROKEN} of them kept. */
    private static final class Broken {
        private final List<BrokenEntry> listed = new ArrayList<>();
        private long count;

        void add(long seq, String problem) {
            count++;
            if (listed.size() < MAX_BROKEN) {
                listed.add(new BrokenEntry(seq, problem));
            }
        }

        Verification verification(long checked, long lastSeq, int checkpointsChecked) {
            BrokenEntry first = listed.isEmpty() ? null : listed.get(0);
            return new Verification(first == null, checked, lastSeq, first == null ? null : first.seq(),
                    first == null ? null : first.problem(), checkpointsChecked, List.copyOf(listed), count,
                    count > listed.size());
        }
    }

    /**
     * Signs the chain head with the 主管部门's seal: a checkpoint a third party can hold on to. One per head: replicas
     * signing at the same time take turns, and the later one returns the checkpoint the first one signed.
     */
    public Map<String, Object> checkpoint() {
        try (Connection c = dataSource.getConnection(); CheckpointTurn turn = checkpointTurn(c)) {
            long seq;
            String hash;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seq, last_hash FROM usage_log_head");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                seq = rs.getLong(1);
                hash = rs.getString(2);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS
                    + " FROM usage_log_checkpoint WHERE last_seq = ? ORDER BY id DESC LIMIT 1")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return checkpointView(rs);
                    }
                }
            }
            // the time is signed with the head: stored as the same microseconds the payload states
            Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String department = config.competentAuthorityDepartment();
            AuthoritySeal sealed = sealNamingKey(c, kid -> checkpointPayload(department, kid, seq, hash, at));
            String payload = sealed.payload();
            String sig = sealed.signature();
            // a third party's time over the seal, when a TSA is configured (null when off or failed)
            byte[] stamp = timestamps.stamp(sig.getBytes(StandardCharsets.UTF_8));
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO usage_log_checkpoint (last_seq, last_hash, "
                    + "signature, payload, created_at, timestamp_token) VALUES (?, ?, ?, ?, ?, ?) RETURNING "
                    + CHECKPOINT_COLUMNS)) {
                ps.setLong(1, seq);
                ps.setString(2, hash);
                ps.setString(3, sig);
                ps.setString(4, payload);
                ps.setObject(5, at.atOffset(java.time.ZoneOffset.UTC));
                ps.setBytes(6, stamp);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return checkpointView(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("checkpoint failed", e);
        }
    }

    /** A payload that names the key sealing it, and its detached JWS by the 主管部门's seal. */
    public record AuthoritySeal(String payload, String signature) {
    }

    /**
     * Seals, with the 主管部门's seal (the checkpoint key), the payload {@code payloadFor} writes naming the key: a key
     * rotated between looking it up and signing (or the first one created) signs again, so the payload always names
     * the key its seal used.
     */
    public AuthoritySeal sealNamingKey(java.util.function.Function<String, String> payloadFor) {
        try (Connection c = dataSource.getConnection()) {
            return sealNamingKey(c, payloadFor);
        } catch (SQLException e) {
            throw new IllegalStateException("seal keys unreadable", e);
        }
    }

    private AuthoritySeal sealNamingKey(Connection c, java.util.function.Function<String, String> payloadFor)
            throws SQLException {
        String department = config.competentAuthorityDepartment();
        String kid = activeKid(c, department);
        for (int attempt = 0;; attempt++) {
            String payload = payloadFor.apply(kid);
            String sig = seals.seal(department, payload.getBytes(StandardCharsets.UTF_8));
            String used = kidOf(sig);
            if (used.equals(kid)) {
                return new AuthoritySeal(payload, sig);
            }
            if (attempt == 2) {
                throw new IllegalStateException("the seal key kept changing");
            }
            kid = used;
        }
    }

    /** Held while a checkpoint is looked up and signed; closing it lets the next signer in. */
    private interface CheckpointTurn extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    /** Waits for the checkpoint lock (a session advisory lock: the insert commits before it is released). */
    private static CheckpointTurn checkpointTurn(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(hashtext(?))")) {
            ps.setString(1, CHECKPOINT_LOCK);
            ps.execute();
        }
        return () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
                ps.setString(1, CHECKPOINT_LOCK);
                ps.execute();
            }
        };
    }

    private static final String CHECKPOINT_LOCK = "exchange-usage-log-checkpoint";

    /** The signed checkpoint of the longest chain (the highest last_seq), or null before the first one. */
    private Map<String, Object> latestCheckpoint(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS
                + " FROM usage_log_checkpoint ORDER BY last_seq DESC, id DESC LIMIT 1");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? checkpointView(rs) : null;
        }
    }

    /** 409 naming the entry: no signed checkpoint reaches it yet; who can sign one, and when the schedule will. */
    ApiException notCovered(long seq, Long latest) {
        String[] every = every(config.checkpointInterval());
        String detail = "尚无已签名的检查点覆盖第 " + seq + " 号记录" + (latest == null ? "" : "（最新检查点至第 " + latest
                + " 号）") + "。主管部门（审核员、管理员、审计员）可签署检查点：POST " + CHECKPOINTS + "；系统也每"
                + every[0] + "自动签署一次。 / No signed checkpoint covers usage-log entry " + seq + " yet"
                + (latest == null ? "" : " (the latest ends at entry " + latest + ")") + ": the 主管部门 (reviewer, "
                + "admin, auditor) can sign one with POST " + CHECKPOINTS + "; one is also signed on a schedule, every "
                + every[1] + ".";
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("seq", seq);
        if (latest != null) {
            extensions.put("latestCheckpointSeq", latest);
        }
        extensions.put("signCheckpoint", "POST " + CHECKPOINTS);
        extensions.put("checkpointIntervalSeconds", config.checkpointInterval().toSeconds());
        return new ApiException(ProblemType.CONFLICT, detail, List.of(new FieldError("seq", detail)), extensions,
                Map.of());
    }

    static final String CHECKPOINTS = "/api/exchange/v1/usage-log/checkpoints";

    /** An interval in words, Chinese and English: {"5 分钟", "5 minutes"}. */
    static String[] every(Duration d) {
        long s = d.toSeconds();
        if (s % 3600 == 0) {
            return new String[] { " " + s / 3600 + " 小时", s / 3600 + (s == 3600 ? " hour" : " hours") };
        }
        if (s % 60 == 0) {
            return new String[] { " " + s / 60 + " 分钟", s / 60 + (s == 60 ? " minute" : " minutes") };
        }
        return new String[] { " " + s + " 秒", s + (s == 1 ? " second" : " seconds") };
    }

    @Scheduled(every = "${exchange.checkpoint-interval}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledCheckpoint() {
        checkpoint();
    }

    /** The checkpoint payload format signed since migration V54: {@link #checkpointPayload}. */
    public static final int CHECKPOINT_FORMAT = 2;

    static final String CHECKPOINT_COLUMNS = "id, last_seq, last_hash, signature, payload, created_at, timestamp_token";

    /** A checkpoint's RFC 3161 token that is not a valid time-stamp over its seal. */
    public static final String TIMESTAMP_INVALID = "检查点的时间戳与其签名不符 / a checkpoint's RFC 3161 time-stamp does "
            + "not cover its seal";

    /**
     * What a checkpoint signs (format {@value #CHECKPOINT_FORMAT}): the head (lastSeq, lastHash), the entries chained
     * up to it (entryCount: the sequence runs from 1 without gaps, so it equals lastSeq; stated so an outside reader
     * need not assume it), its time, the key and the 主管部门, in this order. The exact text is stored with the row.
     */
    public static String checkpointPayload(String department, String kid, long seq, String hash, Instant at) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("format", CHECKPOINT_FORMAT);
        p.put("department", department);
        p.put("kid", kid);
        p.put("lastSeq", seq);
        p.put("lastHash", hash);
        p.put("entryCount", seq);
        p.put("createdAt", at.toString());
        return Json.write(p);
    }

    /**
     * The payloads a checkpoint written before V54 may have signed: lastSeq and lastHash only, no time, in the key
     * order of the JVM that signed it (a Map.of, whose order changes from one start to the next).
     */
    static List<String> formerPayloads(long seq, String hash) {
        return List.of("{\"lastHash\":\"" + hash + "\",\"lastSeq\":" + seq + "}",
                "{\"lastSeq\":" + seq + ",\"lastHash\":\"" + hash + "\"}");
    }

    /** The payload a checkpoint signed: the stored one, or the former payload its seal verifies (else the first). */
    String signedPayload(long seq, String hash, String signature, String payload) {
        if (payload != null) {
            return payload;
        }
        List<String> former = formerPayloads(seq, hash);
        for (String p : former) {
            if (seals.verify(signature, p.getBytes(StandardCharsets.UTF_8)).valid()) {
                return p;
            }
        }
        return former.get(0);
    }

    /**
     * Why a checkpoint does not hold, or null: a stored payload must state the row's sequence number, hash, entry
     * count and time (a time changed after signing shows here), name the key the seal used, and carry a valid seal;
     * a checkpoint of the former format only the seal over one of its payloads.
     */
    private String checkpointProblem(long seq, String hash, String signature, String payload, Instant createdAt) {
        if (payload == null) {
            for (String p : formerPayloads(seq, hash)) {
                if (seals.verify(signature, p.getBytes(StandardCharsets.UTF_8)).valid()) {
                    return null;
                }
            }
            return CHECKPOINT_SEAL_INVALID;
        }
        Map<String, Object> p;
        try {
            p = Json.object(payload);
        } catch (IllegalStateException e) {
            return CHECKPOINT_ALTERED;
        }
        boolean fits;
        try {
            fits = p.get("lastSeq") instanceof Number n && n.longValue() == seq && hash.equals(p.get("lastHash"))
                    && p.get("entryCount") instanceof Number count && count.longValue() == seq
                    && p.get("createdAt") instanceof String t && Instant.parse(t).equals(createdAt)
                    && kidOf(signature).equals(p.get("kid"));
        } catch (RuntimeException e) {
            fits = false;
        }
        if (!fits) {
            return CHECKPOINT_ALTERED;
        }
        return seals.verify(signature, payload.getBytes(StandardCharsets.UTF_8)).valid() ? null
                : CHECKPOINT_SEAL_INVALID;
    }

    static final String CHECKPOINT_SEAL_INVALID = "检查点签名无效 / a checkpoint's seal is invalid";

    /** A stored checkpoint row that no longer states what its seal covers (its time, above all). */
    public static final String CHECKPOINT_ALTERED = "检查点的时间、序号或哈希与其签名内容不符（检查点被修改）/ a "
            + "checkpoint's stored time, sequence number or hash differs from what it signed: it was changed";

    /** The kid of a detached compact JWS's protected header. */
    static String kidOf(String detached) {
        String header = detached.substring(0, detached.indexOf('.'));
        Object kid = Json.object(new String(java.util.Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8))
                .get("kid");
        if (!(kid instanceof String k)) {
            throw new IllegalStateException("a seal without kid");
        }
        return k;
    }

    /** The department's active seal key, or null before its first seal. */
    private static String activeKid(Connection c, String department) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kid FROM seal_key WHERE department_code = ? AND active "
                + "ORDER BY created_at DESC LIMIT 1")) {
            ps.setString(1, department);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** One page of signed checkpoints, newest first, and how many there are. */
    public record CheckpointPage(@Schema(example = "0") int page, @Schema(example = "50") int size,
            @Schema(example = "212") long total, List<Map<String, Object>> checkpoints) {
    }

    /**
     * The signed checkpoints, newest first, each as {@link #checkpoint} answers it and with how many witnesses
     * acknowledged it.
     */
    public CheckpointPage checkpoints(int page, int size) {
        List<Map<String, Object>> rows = new ArrayList<>();
        long total;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM usage_log_checkpoint");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CHECKPOINT_COLUMNS
                    + ", (SELECT count(*) FROM usage_log_witness_receipt r WHERE r.checkpoint_id = "
                    + "usage_log_checkpoint.id) AS witnessed FROM usage_log_checkpoint ORDER BY id DESC LIMIT ? OFFSET ?")) {
                ps.setInt(1, size);
                ps.setLong(2, (long) page * size);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = checkpointView(rs);
                        // how many witnesses (UsageLogWitnessService) acknowledged it
                        row.put("witnessAcknowledgements", rs.getLong("witnessed"));
                        rows.add(row);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("checkpoints unreadable", e);
        }
        return new CheckpointPage(page, size, total, rows);
    }

    /**
     * The public keys that sign checkpoints (the 主管部门's seals, active and retired) as a JWKS: what an outside
     * auditor pins before checking an export.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> checkpointKeys() {
        Set<String> kids = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT kid FROM seal_key WHERE department_code = ?")) {
            ps.setString(1, config.competentAuthorityDepartment());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    kids.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("seal keys unreadable", e);
        }
        List<Map<String, Object>> keys = ((List<Map<String, Object>>) seals.jwks().get("keys")).stream()
                .filter(k -> kids.contains(k.get("kid"))).toList();
        return Map.of("keys", keys);
    }

    /**
     * Everything a third party needs to check one exchange offline: the entry, the entries that follow it up to the
     * latest signed checkpoint covering it, the checkpoint and the JWKS. Each chained entry shows the fields the
     * {@code audience}'s inspection list shows, and its {@code canonical} form. A committed-format entry
     * ({@link LogEntry#COMMITTED_DATE}) hashes a covert query's date only as a salted commitment, so its canonical
     * form is given to every reader: reviewers and admins recompute the hash without learning the date, auditors
     * also get hiddenUntil and hiddenUntilSalt to open the commitment. A clear-date entry (written before) hashes
     * the date itself, so for a reader who may not see it (reviewers and admins) it carries no {@code canonical} but
     * its {@code redactedCanonical} (the hidden fields as {@link #REDACTED}); the bundle's {@code redaction} seals,
     * with the 主管部门's seal, that each such entry hash is the hash of an entry whose canonical form reads so but
     * for the hidden fields. Only reads: when no checkpoint covers the entry yet, 409 (the 主管部门 signs one with
     * {@link #checkpoint}, the schedule does every {@code exchange.checkpoint-interval}).
     */
    public Map<String, Object> evidence(long seq, Audience audience) {
        Map<String, Object> cp;
        List<Map<String, Object>> chain = new ArrayList<>();
        List<List<Object>> redactions = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            long head;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM usage_log_head");
                    ResultSet rs = ps.executeQuery()) {
                rs.next();
                head = rs.getLong(1);
            }
            if (seq < 1 || seq > head) {
                throw ApiException.notFound("没有该使用记录 / no usage-log entry " + seq);
            }
            cp = latestCheckpoint(c);
            Long last = cp == null ? null : ((Number) cp.get("lastSeq")).longValue();
            if (last == null || last < seq) {
                throw notCovered(seq, last);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM usage_log WHERE seq BETWEEN ? AND ? ORDER BY seq")) {
                ps.setLong(1, seq);
                ps.setLong(2, last);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LogEntry e = read(rs);
                        Map<String, Object> row = restrict(view(e), audience);
                        String entryHash = rs.getString("entry_hash");
                        row.put("entryHash", entryHash);
                        List<String> hidden = hiddenFields(e, audience);
                        if (hidden.isEmpty()) {
                            row.put("canonical", e.canonical());
                        } else {
                            String redacted = redactedCanonical(e);
                            row.put("redactedCanonical", redacted);
                            row.put("redactedFields", hidden);
                            redactions.add(List.of(e.seq(), entryHash, redacted));
                        }
                        chain.add(row);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage log unreadable", e);
        }
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put("entry", chain.isEmpty() ? null : chain.get(0));
        bundle.put("chain", chain);
        bundle.put("checkpoint", cp);
        bundle.put("redaction", redactions.isEmpty() ? null : redaction(redactions));
        bundle.put("jwks", seals.jwks());
        bundle.put("howToVerify", "For each chain row: SHA-256(canonical) = entryHash, and its prevHash equals the "
                + "previous row's entryHash. The last entryHash and seq equal the checkpoint's; the checkpoint's "
                + "signature is a detached JWS over checkpointPayload, verifiable with the JWKS key its kid names. "
                + "A canonical array ending with the number " + LogEntry.COMMITTED_DATE + " (entryFormat "
                + LogEntry.COMMITTED_DATE + ") holds, before prevHash, not a covert query's hiddenUntil but "
                + "hiddenUntilCommitment = hex(HMAC-SHA256(key = the bytes of hiddenUntilSalt (hex), message = "
                + "hiddenUntil as yyyy-MM-dd, UTF-8)); a reader given hiddenUntil and hiddenUntilSalt opens it. "
                + "An array ending with the number " + LogEntry.WITH_REASON + " (entryFormat " + LogEntry.WITH_REASON
                + ") is the same with the call's reason (事由, X-Onenet-Reason) right after the outcome. "
                + "An array ending with the number " + LogEntry.GRANT_TERMS + " has the reason and then a JSON "
                + "document (a string) after the outcome: for a grant's state change (operation GRANT) the grant's "
                + "terms and approvals, for a call {\"termsSeq\":n}, the seq of the grant-terms entry it was "
                + "approved under. "
                + "A row written before (entryFormat " + LogEntry.CLEAR_DATE + ", hiddenUntil in clear) with fields "
                + "this reader may not see (redactedFields) has redactedCanonical instead of canonical: the hidden "
                + "fields read \"" + REDACTED + "\". Its [seq, entryHash, redactedCanonical] is listed in "
                + "redaction.payload (entries), whose redaction.signature is a detached JWS by the same seal; its "
                + "prevHash and entryHash link into the chain like any other row's. "
                + "alg SM2SM3: SM2 signature with SM3 (GB/T 32918.2, user ID 1234567812345678) over the JWS signing "
                + "input, encoded r||s (32 bytes each); its JWK has kty SM2, crv SM2 and x, y on sm2p256v1. "
                + "The checkpoint's timestampToken (base64 DER), when there, is an RFC 3161 time-stamp over the UTF-8 "
                + "bytes of its signature by the configured TSA; verify it with that TSA's certificate as the TSA "
                + "publishes it: a certificate in the token or in this bundle proves nothing about who made it.");
        return bundle;
    }

    /**
     * The 主管部门's seal over the redacted entries of a bundle: {@code payload} (JSON, {@code entries} as
     * [seq, entryHash, redactedCanonical]) and {@code signature}, a detached JWS over it.
     */
    private Map<String, Object> redaction(List<List<Object>> entries) {
        String payload = Json.write(Map.of("entries", entries));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("payload", payload);
        m.put("signature", seals.seal(config.competentAuthorityDepartment(), payload.getBytes(StandardCharsets.UTF_8)));
        return m;
    }

    /** Who reads the inspection list, and so which fields of an entry it shows. */
    public enum Audience {
        /**
         * A provider department's operator: who used its data, when, for what, on which legal basis, how and with what
         * outcome, and the entry's hash to match it with its evidence bundle. No subject hashes, no user or client of
         * the consumer, no request or grant id, and never when a covert query stops being hidden.
         */
        PROVIDER,
        /**
         * Reviewers and admins of the 主管部门: every field except the end of a covert hiding and the salt that would
         * open its commitment (auditors only).
         */
        AUTHORITY,
        /**
         * Auditors of the 主管部门: every field, the end of a covert hiding and its salt included (as in the covert
         * hidings list).
         */
        AUDITOR
    }

    /** The fields of an entry a provider department's operator sees, in this order. */
    public static final List<String> PROVIDER_FIELDS = List.of("seq", "loggedAt", "consumerDepartmentCode",
            "resourceCode", "providerDepartmentCode", "items", "purpose", "legalBasis", "operation", "outcome",
            "entryHash");

    /**
     * Entries for inspection: a provider sees its own resources; the 主管部门 sees all. {@code afterSeq} and
     * {@code beforeSeq} (null: no upper bound) are exclusive bounds; oldest first gives the first {@code limit}
     * entries of that range, newest first the last {@code limit}. {@code resourceCode} finds the resource's entries
     * under every code it had (entries keep the code they were logged with, see {@link ResourceCodeMoves}), or, with
     * {@code exactResourceCode}, only those logged under that very code.
     */
    public List<Map<String, Object>> list(String providerDepartment, String resourceCode, boolean exactResourceCode,
            long afterSeq, Long beforeSeq, boolean newestFirst, int limit, Audience audience) {
        return list(providerDepartment, null, resourceCode, exactResourceCode, afterSeq, beforeSeq, newestFirst, limit,
                audience);
    }

    /** {@link #list}, narrowed to a reviewer's region when {@code scope} is given ({@link UsageLogScope}). */
    public List<Map<String, Object>> list(String providerDepartment, UsageLogScope scope, String resourceCode,
            boolean exactResourceCode, long afterSeq, Long beforeSeq, boolean newestFirst, int limit,
            Audience audience) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM usage_log WHERE seq > ?");
        List<Object> params = new ArrayList<>(List.of(afterSeq));
        if (beforeSeq != null) {
            sql.append(" AND seq < ?");
            params.add(beforeSeq);
        }
        if (providerDepartment != null) {
            // entries keep the code as recorded (hash-chained), in lower case when the catalogue copy had it so
            // before V69; upper() matches them too, by the index V69 builds on it
            sql.append(" AND upper(provider_department_code) = ?");
            params.add(providerDepartment);
        }
        if (scope != null) {
            sql.append(" AND ").append(scope.sql());
            params.addAll(scope.params());
        }
        if (resourceCode != null && exactResourceCode) {
            sql.append(" AND resource_code = ?");
            params.add(resourceCode);
        } else if (resourceCode != null) {
            sql.append(" AND resource_code = ANY(?)");
            params.add(codesOf(resourceCode));
        }
        sql.append(newestFirst ? " ORDER BY seq DESC LIMIT " : " ORDER BY seq LIMIT ").append(limit);
        List<Map<String, Object>> rows = select(sql.toString(), params);
        rows.forEach(row -> restrict(row, audience));
        return rows;
    }

    /**
     * Every code the resource known by {@code code} has had: the code it has now ({@code code} itself while an entry
     * of the replica has it, else where its latest move led) and every code moved to that one.
     */
    private String[] codesOf(String code) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "WITH cur AS (SELECT CASE WHEN EXISTS (SELECT 1 FROM catalog_entry WHERE resource_code = ?) THEN ? "
                        + "ELSE coalesce((SELECT current_code FROM resource_code_alias WHERE old_code = ? "
                        + "ORDER BY feed_cursor DESC LIMIT 1), ?) END AS code) "
                        + "SELECT code FROM cur UNION SELECT a.old_code FROM resource_code_alias a, cur "
                        + "WHERE a.current_code = cur.code")) {
            bind(ps, List.of(code, code, code, code));
            List<String> codes = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    codes.add(rs.getString(1));
                }
            }
            return codes.toArray(String[]::new);
        } catch (SQLException e) {
            throw new IllegalStateException("resource codes unreadable", e);
        }
    }

    /** Takes from an entry's view the fields {@code audience} may not see. */
    private static Map<String, Object> restrict(Map<String, Object> row, Audience audience) {
        switch (audience) {
            case PROVIDER -> row.keySet().retainAll(PROVIDER_FIELDS);
            case AUTHORITY -> {
                row.remove("hiddenUntil");
                row.remove("hiddenUntilSalt");
            }
            case AUDITOR -> {
                // everything
            }
        }
        return row;
    }

    /** What a hidden field reads in a redacted canonical form. */
    public static final String REDACTED = "[redacted]";

    /**
     * The fields of an entry's canonical form {@code audience} may not see and that hold something: for reviewers and
     * admins the end of a covert hiding, in a clear-date entry (a committed-format one hashes only the commitment).
     * (Providers do not get evidence bundles.)
     */
    static List<String> hiddenFields(LogEntry e, Audience audience) {
        return audience != Audience.AUDITOR && e.format() == LogEntry.CLEAR_DATE && e.hiddenUntil() != null
                ? List.of("hiddenUntil") : List.of();
    }

    /** Where hiddenUntil stands in a clear-date {@link LogEntry#canonical()}. */
    private static final int HIDDEN_UNTIL_FIELD = 15;

    /** The canonical form with its hidden field replaced by {@link #REDACTED}. */
    static String redactedCanonical(LogEntry e) {
        List<Object> fields;
        try {
            fields = new ArrayList<>(Json.MAPPER.readValue(e.canonical(), List.class));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("canonical form unreadable", ex);
        }
        if (!e.hiddenUntil().toString().equals(fields.get(HIDDEN_UNTIL_FIELD))) {
            throw new IllegalStateException("hiddenUntil is not where the canonical form had it");
        }
        fields.set(HIDDEN_UNTIL_FIELD, REDACTED);
        return Json.write(fields);
    }

    /**
     * The citizens' view: deliveries about this subject and lookups by its identifier that found nothing or were
     * refused as out of region, except covert ones still hidden; one page, newest first.
     * The day is read once, so the page and {@link SubjectPage#total} apply the same hiding.
     */
    public SubjectPage forSubject(String subjectHash, int page, int size) {
        List<Object> params = List.of(subjectHash, subjectHash, time.today());
        long total;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM usage_log WHERE " + SUBJECT_SEES)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage log unreadable", e);
        }
        List<Object> paged = new ArrayList<>(params);
        paged.add(size);
        paged.add((long) page * size);
        return new SubjectPage(subjectView(select("SELECT " + COLUMNS + " FROM usage_log WHERE " + SUBJECT_SEES
                + " ORDER BY seq DESC LIMIT ? OFFSET ?", paged)), total);
    }

    /** One page of the citizens' view and how many entries it has on all pages. */
    public record SubjectPage(List<Map<String, Object>> rows, long total) {
    }

    /**
     * The entries of the citizens' view of {@code subjectHash} with this sequence number and/or request id (at most
     * two, newest first): what a complainant may point at. Hidden covert accesses and other people's are not found.
     */
    public List<Map<String, Object>> subjectAccess(String subjectHash, Long seq, String requestId) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM usage_log WHERE " + SUBJECT_SEES);
        List<Object> params = new ArrayList<>(List.of(subjectHash, subjectHash, time.today()));
        if (seq != null) {
            sql.append(" AND seq = ?");
            params.add(seq);
        }
        if (requestId != null) {
            sql.append(" AND request_id = ?");
            params.add(requestId);
        }
        return subjectView(select(sql.append(" ORDER BY seq DESC LIMIT 2").toString(), params));
    }

    private static List<Map<String, Object>> subjectView(List<Map<String, Object>> rows) {
        for (Map<String, Object> r : rows) {
            r.remove("subjectHashes");
            r.remove("prevHash");
            r.remove("clientId");
            r.remove("userSub");
            r.remove("hiddenUntil");
            r.remove("hiddenUntilSalt");
            r.remove("hiddenUntilCommitment");
            r.remove("entryFormat");
        }
        return rows;
    }

    /**
     * Covert hidings for the 主管部门's auditors (R16), newest first; {@code department}, {@code from} and {@code to}
     * (days in China Standard Time on which the hiding was recorded, both included) may be null.
     */
    public CovertHidings covertHidings(String department, LocalDate from, LocalDate to, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE TRUE");
        List<Object> params = new ArrayList<>();
        if (department != null) {
            // in any letter case; hidings are stored in upper case (V69)
            where.append(" AND h.department = ?");
            params.add(CreditCode.normalise(department));
        }
        if (from != null) {
            where.append(" AND h.created_at >= ?");
            params.add(from.atStartOfDay(TimeSource.ZONE).toOffsetDateTime());
        }
        if (to != null) {
            where.append(" AND h.created_at < ?");
            params.add(to.plusDays(1).atStartOfDay(TimeSource.ZONE).toOffsetDateTime());
        }
        List<CovertHiding> hidings = new ArrayList<>();
        long total;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM covert_hiding h" + where)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            // the entry by seq alone: its month (the partition) is not known from the hiding's own time
            try (PreparedStatement ps = c.prepareStatement("SELECT h.log_seq, h.created_at, h.hidden_until, "
                    + "h.legal_basis, h.department, h.requested_by, u.client_id, u.resource_code, u.grant_id, "
                    + "u.request_id FROM covert_hiding h LEFT JOIN LATERAL (SELECT client_id, resource_code, grant_id, "
                    + "request_id FROM usage_log WHERE seq = h.log_seq LIMIT 1) u ON TRUE" + where
                    + " ORDER BY h.created_at DESC, h.log_seq DESC LIMIT ? OFFSET ?")) {
                List<Object> all = new ArrayList<>(params);
                all.add(size);
                all.add((long) page * size);
                bind(ps, all);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Long grant = rs.getObject("grant_id", Long.class);
                        hidings.add(new CovertHiding(rs.getLong("log_seq"),
                                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                                rs.getObject("hidden_until", LocalDate.class), rs.getString("legal_basis"),
                                rs.getString("department"), rs.getString("client_id"), rs.getString("requested_by"),
                                rs.getString("resource_code"), grant,
                                rs.getString("request_id")));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("covert hidings unreadable", e);
        }
        return new CovertHidings(page, size, total, hidings);
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private List<Map<String, Object>> select(String sql, List<Object> params) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = view(read(rs));
                    row.put("entryHash", rs.getString("entry_hash"));
                    out.add(row);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage log unreadable", e);
        }
        return out;
    }

    private static Map<String, Object> view(LogEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", e.seq());
        m.put("loggedAt", e.loggedAt().toString());
        m.put("requestId", e.requestId());
        m.put("clientId", e.clientId());
        m.put("userSub", e.userSub());
        m.put("consumerDepartmentCode", e.consumerDepartment());
        m.put("grantId", e.grantId());
        m.put("purpose", e.purpose());
        m.put("legalBasis", e.legalBasis());
        m.put("resourceCode", e.resourceCode());
        m.put("providerDepartmentCode", e.providerDepartment());
        m.put("items", e.items());
        m.put("subjectHashes", e.subjectHashes());
        m.put("operation", e.operation());
        m.put("outcome", e.outcome());
        m.put("reason", e.reason());
        m.put("grantTerms", e.terms() == null ? null : Json.object(e.terms()));
        m.put("hiddenUntil", e.hiddenUntil() == null ? null : e.hiddenUntil().toString());
        m.put("hiddenUntilSalt", e.hiddenUntilSalt());
        m.put("hiddenUntilCommitment", e.hiddenUntilCommitment());
        m.put("prevHash", e.prevHash());
        m.put("entryFormat", e.format());
        return m;
    }

    /**
     * A checkpoint as the API shows it: {@code checkpointPayload} is the exact text its {@code signature} covers;
     * payloadFormat 1 (written before V54) signs no time, no entry count and no key (entryCount null).
     */
    Map<String, Object> checkpointView(ResultSet rs) throws SQLException {
        long seq = rs.getLong("last_seq");
        String hash = rs.getString("last_hash");
        String signature = rs.getString("signature");
        String payload = rs.getString("payload");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getLong("id"));
        m.put("lastSeq", seq);
        m.put("lastHash", hash);
        m.put("entryCount", payload == null ? null : seq);
        m.put("createdAt", rs.getObject("created_at", OffsetDateTime.class).toInstant().toString());
        m.put("kid", kidOf(signature));
        m.put("payloadFormat", payload == null ? 1 : CHECKPOINT_FORMAT);
        m.put("checkpointPayload", signedPayload(seq, hash, signature, payload));
        m.put("signature", signature);
        byte[] token = rs.getBytes("timestamp_token");
        Instant stamped = token == null ? null
                : UsageLogTimestamps.stampedAt(token, signature.getBytes(StandardCharsets.UTF_8));
        m.put("timestampToken", token == null ? null : java.util.Base64.getEncoder().encodeToString(token));
        m.put("timestampedAt", stamped == null ? null : stamped.toString());
        return m;
    }

    static LogEntry read(ResultSet rs) throws SQLException {
        Array subjects = rs.getArray("subject_hashes");
        List<String> hashes = subjects == null ? List.of() : Arrays.asList((String[]) subjects.getArray());
        Long grant = rs.getObject("grant_id") == null ? null : rs.getLong("grant_id");
        LocalDate hidden = rs.getObject("hidden_until", LocalDate.class);
        byte[] salt = rs.getBytes("hidden_until_salt");
        return new LogEntry(rs.getLong("seq"), rs.getObject("logged_at", OffsetDateTime.class).toInstant(),
                rs.getString("request_id"), rs.getString("client_id"), rs.getString("user_sub"),
                rs.getString("consumer_department_code"), grant, rs.getString("purpose"), rs.getString("legal_basis"),
                rs.getString("resource_code"), rs.getString("provider_department_code"),
                Json.strings(rs.getString("items")), hashes, rs.getString("operation"), rs.getString("outcome"),
                rs.getString("reason"), rs.getString("grant_terms"), hidden, salt == null ? null : HexFormat.of().formatHex(salt),
                rs.getString("hidden_until_commitment"), rs.getString("prev_hash"), rs.getInt("entry_format"));
    }
}
