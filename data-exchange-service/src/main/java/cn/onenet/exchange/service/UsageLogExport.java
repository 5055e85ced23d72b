package cn.onenet.exchange.service;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.service.UsageLogService.Audience;
import io.agroal.api.AgroalDataSource;

/**
 * A period of the usage log (使用记录, R16) for an outside auditor, as NDJSON streamed from database cursors (never
 * held in memory): a header; the signed checkpoints from the entry before the period to the first checkpoint at or
 * after its last entry (their exact signed payloads); the link to the entry before the period (anchor); every entry
 * from the first to the last logged in the period and on to that checkpoint, by sequence number, as its canonical
 * string and hash; an end line; a closing seal by the 主管部门's checkpoint key over the header's fields, the last
 * entry, the number of lines before it and their SHA-256, computed as they stream out, so a file cut short or with
 * its header changed no longer fits its seal. The module {@code usage-log-verifier} checks such a file with pinned
 * keys only.
 * Each export is itself an entry of the log (operation {@value #OPERATION}): who exported which period.
 */
@ApplicationScoped
public class UsageLogExport {

    /** The first line's format, as the verifier expects it: format 2 ends with a closing seal (format 1 did not). */
    public static final String FORMAT = "onenet-usage-log-export/2";
    /** The format of the closing seal's signed payload. */
    public static final String SEAL_FORMAT = "onenet-usage-log-export-seal/1";
    /** The header's fields the closing seal signs again, besides the SHA-256 of every line before it. */
    static final List<String> SEALED_HEADER_FIELDS = List.of("from", "to", "zone", "periodFirstSeq", "periodLastSeq",
            "anchorSeq", "lastSeq", "entries", "plannedAt", "exportedAt", "exportUsageLogSeq");
    /** NDJSON. */
    public static final String MEDIA_TYPE = "application/x-ndjson";
    /** The usage-log operation recording an export. */
    public static final String OPERATION = "USAGE_LOG_EXPORT";
    /** resource_code of that entry: the usage log itself. */
    public static final String RESOURCE = "usage-log";

    private static final String ZERO_HASH = "0".repeat(64);
    private static final int FETCH = 1000;

    /**
     * What an export of {@code from}..{@code to} holds: entries {@code anchorSeq + 1} to {@code lastSeq} (the
     * period's own end at {@code periodLastSeq}; {@code lastSeq} is the covering checkpoint's); none when the period
     * logged nothing ({@code periodFirstSeq} null). {@code plannedAt} is taken before the period's entries are
     * looked up: a checkpoint signed before it (and before the period's end) covers only entries the export holds,
     * which lets the verifier show with a witness's checkpoints that an export was cut short.
     */
    public record Plan(LocalDate from, LocalDate to, Long periodFirstSeq, Long periodLastSeq, long anchorSeq,
            String anchorHash, long lastSeq, Instant plannedAt) {

        long entries() {
            return periodFirstSeq == null ? 0 : lastSeq - anchorSeq;
        }
    }

    private final AgroalDataSource dataSource;
    private final UsageLogService log;
    private final UsageLogWriter writer;
    private final ExchangeConfig config;

    public UsageLogExport(AgroalDataSource dataSource, UsageLogService log, UsageLogWriter writer,
            ExchangeConfig config) {
        this.config = config;
        this.dataSource = dataSource;
        this.log = log;
        this.writer = writer;
    }

    /**
     * The entries logged on the days {@code from}..{@code to} (China Standard Time, both included), extended to the
     * first signed checkpoint at or after the last of them; 409 when none covers it yet (as for evidence bundles).
     */
    public Plan plan(LocalDate from, LocalDate to) {
        OffsetDateTime start = from.atStartOfDay(TimeSource.ZONE).toOffsetDateTime();
        OffsetDateTime end = to.plusDays(1).atStartOfDay(TimeSource.ZONE).toOffsetDateTime();
        Instant plannedAt = Instant.now();
        try (Connection c = dataSource.getConnection()) {
            Long first;
            Long last;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT min(seq), max(seq) FROM usage_log WHERE logged_at >= ? AND logged_at < ?")) {
                ps.setObject(1, start);
                ps.setObject(2, end);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    first = rs.getObject(1, Long.class);
                    last = rs.getObject(2, Long.class);
                }
            }
            if (first == null) {
                return new Plan(from, to, null, null, 0, ZERO_HASH, 0, plannedAt);
            }
            Long covering;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT min(last_seq) FROM usage_log_checkpoint WHERE last_seq >= ?")) {
                ps.setLong(1, last);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    covering = rs.getObject(1, Long.class);
                }
            }
            if (covering == null) {
                throw log.notCovered(last, latestSigned(c));
            }
            return new Plan(from, to, first, last, first - 1, anchorHash(c, first), covering, plannedAt);
        } catch (SQLException e) {
            throw new IllegalStateException("usage log unreadable", e);
        }
    }

    private static Long latestSigned(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(last_seq) FROM usage_log_checkpoint");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getObject(1, Long.class);
        }
    }

    /** The stored hash of the entry before {@code first}: the genesis zeros, or its prevHash once it was detached. */
    private static String anchorHash(Connection c, long first) throws SQLException {
        if (first == 1) {
            return ZERO_HASH;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT entry_hash FROM usage_log WHERE seq = ? "
                + "UNION ALL SELECT prev_hash FROM usage_log WHERE seq = ? LIMIT 1")) {
            ps.setLong(1, first - 1);
            ps.setLong(2, first);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /**
     * Records the export as a usage-log entry before anything leaves (as every delivery is): who (user, client,
     * department), the period and the entries it holds. Returns the entry's seq.
     */
    public long record(Caller caller, String requestId, Plan plan) {
        String what = plan.periodFirstSeq() == null ? "无记录 / no entries"
                : "seq " + (plan.anchorSeq() + 1) + "–" + plan.lastSeq();
        return writer.append(new LogEntry.Draft(requestId, caller.clientId(), caller.subject(), caller.department(),
                null, "使用记录导出 / usage-log export " + plan.from() + ".." + plan.to() + " (" + what + ")",
                "《政务数据共享条例》第二十九条", RESOURCE, null, List.of(), List.of(), OPERATION, "EXPORTED", null, null))
                .seq();
    }

    /**
     * Streams the plan's lines, hashing them on the way, then the closing seal; a failure midway leaves the file
     * without its end line and seal, which the verifier reports.
     */
    public void write(Plan plan, Audience audience, long exportSeq, OutputStream target) throws IOException {
        OutputStream buffered = new BufferedOutputStream(target, 1 << 16);
        Lines out = new Lines(buffered);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("type", "header");
        header.put("format", FORMAT);
        header.put("from", plan.from().toString());
        header.put("to", plan.to().toString());
        header.put("zone", TimeSource.ZONE.getId());
        header.put("periodFirstSeq", plan.periodFirstSeq());
        header.put("periodLastSeq", plan.periodLastSeq());
        header.put("anchorSeq", plan.anchorSeq());
        header.put("lastSeq", plan.lastSeq());
        header.put("entries", plan.entries());
        header.put("plannedAt", plan.plannedAt().toString());
        header.put("exportedAt", Instant.now().toString());
        header.put("exportUsageLogSeq", exportSeq);
        header.put("howToVerify", HOW_TO_VERIFY);
        line(out, header);
        long count = 0;
        String lastHash = plan.anchorHash();
        if (plan.periodFirstSeq() != null) {
            try (Connection c = dataSource.getConnection()) {
                // a transaction lets the driver stream each result with a fetch size instead of loading it whole
                c.setAutoCommit(false);
                checkpoints(c, plan, out);
                line(out, ordered("type", "anchor", "seq", plan.anchorSeq(), "entryHash", plan.anchorHash()));
                try (PreparedStatement ps = c.prepareStatement("SELECT " + UsageLogService.COLUMNS
                        + " FROM usage_log WHERE seq > ? AND seq <= ? ORDER BY seq")) {
                    ps.setFetchSize(FETCH);
                    ps.setLong(1, plan.anchorSeq());
                    ps.setLong(2, plan.lastSeq());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            LogEntry e = UsageLogService.read(rs);
                            lastHash = rs.getString("entry_hash");
                            line(out, entry(e, lastHash, audience));
                            count++;
                        }
                    }
                }
                c.commit();
            } catch (SQLException e) {
                throw new IOException("usage log unreadable", e);
            }
        } else {
            line(out, ordered("type", "anchor", "seq", plan.anchorSeq(), "entryHash", plan.anchorHash()));
        }
        line(out, ordered("type", "end", "entries", count, "lastSeq", plan.anchorSeq() + count, "lastHash",
                lastHash));
        // the seal's line is not part of what it hashes
        buffered.write(Json.bytes(seal(header, lastHash, out)));
        buffered.write('\n');
        buffered.flush();
    }

    /**
     * The closing seal: the header's fields, the last entry, how many lines precede the seal and their SHA-256 (each
     * line's UTF-8 bytes and its LF, as written), signed with the 主管部门's checkpoint key naming it, as a
     * checkpoint is. An export made for the auditor holds, with it, its own proof that it was not cut short.
     */
    private Map<String, Object> seal(Map<String, Object> header, String lastHash, Lines lines) {
        return closingSeal(header, lastHash, lines.count, HexFormat.of().formatHex(lines.digest.digest()));
    }

    /**
     * The closing seal line for {@code lines} lines whose SHA-256 is {@code sha256}, the first of them {@code header},
     * the last entry's hash {@code lastHash}.
     */
    public Map<String, Object> closingSeal(Map<String, Object> header, String lastHash, long lines, String sha256) {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String department = config.competentAuthorityDepartment();
        UsageLogService.AuthoritySeal sealed = log.sealNamingKey(kid -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("format", SEAL_FORMAT);
            p.put("department", department);
            p.put("kid", kid);
            SEALED_HEADER_FIELDS.forEach(f -> p.put(f, header.get(f)));
            p.put("lastHash", lastHash);
            p.put("lines", lines);
            p.put("sha256", sha256);
            p.put("sealedAt", at.toString());
            return Json.write(p);
        });
        return ordered("type", "seal", "payload", sealed.payload(), "signature", sealed.signature());
    }

    /** The export's lines as written: counted, and hashed for the closing seal. */
    private static final class Lines {
        final MessageDigest digest;
        final OutputStream out;
        long count;

        Lines(OutputStream target) {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            out = new DigestOutputStream(target, digest);
        }
    }

    private void checkpoints(Connection c, Plan plan, Lines out) throws SQLException, IOException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + UsageLogService.CHECKPOINT_COLUMNS
                + " FROM usage_log_checkpoint WHERE last_seq BETWEEN ? AND ? ORDER BY last_seq, id")) {
            ps.setFetchSize(FETCH);
            ps.setLong(1, plan.anchorSeq());
            ps.setLong(2, plan.lastSeq());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> view = log.checkpointView(rs);
                    Map<String, Object> cp = new LinkedHashMap<>();
                    cp.put("type", "checkpoint");
                    cp.put("id", view.get("id"));
                    cp.put("lastSeq", view.get("lastSeq"));
                    cp.put("lastHash", view.get("lastHash"));
                    cp.put("createdAt", view.get("createdAt"));
                    cp.put("kid", view.get("kid"));
                    cp.put("payloadFormat", view.get("payloadFormat"));
                    cp.put("payload", view.get("checkpointPayload"));
                    cp.put("signature", view.get("signature"));
                    if (view.get("timestampToken") != null) {
                        cp.put("timestampToken", view.get("timestampToken"));
                    }
                    line(out, cp);
                }
            }
        }
    }

    /** An entry line: the canonical string the hash covers, or for a reader who may not see a field its redaction. */
    private static Map<String, Object> entry(LogEntry e, String entryHash, Audience audience) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "entry");
        m.put("seq", e.seq());
        m.put("loggedAt", e.loggedAt().toString());
        m.put("entryFormat", e.format());
        m.put("entryHash", entryHash);
        List<String> hidden = UsageLogService.hiddenFields(e, audience);
        if (hidden.isEmpty()) {
            m.put("canonical", e.canonical());
        } else {
            m.put("redactedCanonical", UsageLogService.redactedCanonical(e));
            m.put("redactedFields", hidden);
        }
        return m;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void line(Lines lines, Map<String, Object> value) throws IOException {
        lines.out.write(Json.bytes(value));
        lines.out.write('\n');
        lines.count++;
    }

    static final String HOW_TO_VERIFY = "Run usage-log-verifier with the JWKS pinned from GET "
            + "/api/exchange/v1/usage-log/checkpoint-keys. By hand: each checkpoint's signature is a detached JWS "
            + "(RFC 7515 Appendix F) over the exact UTF-8 bytes of payload, by a pinned key its kid names; payload "
            + "format 2 states lastSeq, lastHash, entryCount, createdAt and kid, which must equal the line's. From "
            + "the anchor on, every entry's SHA-256(canonical) = entryHash, the first element of canonical is seq "
            + "(one more than the line before) and its prevHash (the last element, or the one before a closing "
            + "format number 2, 3 or 4) is the previous entryHash. Format 3 hashes the call's reason after the "
            + "outcome; format 4 hashes the reason and then a JSON document as a string: for a grant's state change "
            + "(operation GRANT) the grant's terms and approvals, for a call {\"termsSeq\":n}, the seq of the "
            + "grant-terms entry the call was approved under, against which usage-log-verifier checks the call's "
            + "items, day and the grant's status. A checkpoint's lastHash is the entryHash at its "
            + "lastSeq; the last entry has a checkpoint; the end line counts the entries. A timestampToken (base64 DER) "
            + "is an RFC 3161 time-stamp over the UTF-8 bytes of the checkpoint's signature, by the configured TSA. "
            + "The last line (type seal) is the closing seal: signature is a detached JWS by a pinned checkpoint key "
            + "over payload (format " + SEAL_FORMAT + "), which names that key and repeats the header's "
            + String.join(", ", SEALED_HEADER_FIELDS) + ", and states lastHash, the number of lines before the seal "
            + "and the SHA-256 of those lines (each as UTF-8 followed by LF); a file without it was cut short.";
}
