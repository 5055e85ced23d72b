package cn.onenet.exchange.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.hibernate.Session;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.ShareRequest;
import io.agroal.api.AgroalDataSource;

/**
 * The authorisation behind each data call as evidence (授权凭据): every state change of a grant appends an entry
 * (operation {@value #OPERATION}, outcome the history's action) to the usage-log hash chain, in the transaction of
 * the change, carrying the grant's terms (items, clear and masked items, purpose, legal basis, period, status, covert
 * use), the share request it was issued on and who approved it (the requesting department's head, the providing
 * department's approver of the answer) and who made the change. The checkpoints, witnesses and export seals then
 * cover them as they cover every call. A delivery compares the grant row with its last chained terms and refuses
 * when they differ: the row was changed outside the exchange.
 * <p>
 * The entry is appended just before the commit and locks the chain head row until the transaction ends; the
 * group-commit writer ({@link UsageLogWriter}) moves the head only where it left it, so it chains its next batch after
 * this entry.
 */
@ApplicationScoped
public class GrantEvidence {

    /** The usage-log operation of a grant's state change. */
    public static final String OPERATION = "GRANT";
    /** The outcome of the entry that chains a grant's terms as they stood when this evidence was introduced (V77). */
    public static final String AS_OF_MIGRATION = "TERMS_AS_OF_MIGRATION";
    /** The format of the terms document. */
    public static final String FORMAT = "onenet-grant-terms/1";

    private static final String INSERT = "INSERT INTO usage_log (seq, logged_at, request_id, client_id, user_sub, "
            + "consumer_department_code, grant_id, purpose, legal_basis, resource_code, provider_department_code, "
            + "items, subject_hashes, operation, outcome, hidden_until, prev_hash, entry_hash, hidden_until_salt, "
            + "hidden_until_commitment, entry_format, reason, grant_terms) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, ?, NULL, ?)";

    private final EntityManager em;
    private final AgroalDataSource dataSource;
    private final TransactionSynchronizationRegistry transactions;

    public GrantEvidence(EntityManager em, AgroalDataSource dataSource, TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.dataSource = dataSource;
        this.transactions = transactions;
    }

    /** A grant row's terms, as they are chained and compared. */
    public record Terms(String resourceCode, String provider, String consumer, List<String> items,
            List<String> clearItems, List<String> maskedItems, String purpose, String legalBasis, LocalDate validFrom,
            LocalDate validTo, String status, String covertMaxPeriod) {

        public static Terms of(ShareGrant g) {
            return new Terms(g.resourceCode, g.providerDepartmentCode, g.consumerDepartmentCode, Json.strings(g.items),
                    Json.strings(g.clearItems), Json.strings(g.maskedItems), g.purpose, g.legalBasis, g.validFrom,
                    g.validTo, g.status, g.covertUsePermitted ? g.covertMaxPeriod : null);
        }

        Map<String, Object> map() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("resourceCode", resourceCode);
            m.put("providerDepartmentCode", provider);
            m.put("consumerDepartmentCode", consumer);
            m.put("items", items);
            m.put("clearItems", clearItems);
            m.put("maskedItems", maskedItems);
            m.put("purpose", purpose);
            m.put("legalBasis", legalBasis);
            m.put("validFrom", validFrom == null ? null : validFrom.toString());
            m.put("validTo", validTo == null ? null : validTo.toString());
            m.put("status", status);
            m.put("covertMaxPeriod", covertMaxPeriod);
            return m;
        }
    }

    /** A person as the history holds it: display name (or null) and subject. */
    public static Map<String, Object> person(String name, String subject) {
        if (name == null && subject == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("subject", subject);
        return m;
    }

    /**
     * The terms document: the action, the grant and its share request, the terms, the approvals (the request's head
     * approval, the answer's approver) and who made the change.
     */
    public static String document(String action, long grantId, Long shareRequestId, Terms terms,
            Map<String, Object> headApproval, Map<String, Object> answerApproval, Map<String, Object> changedBy) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("format", FORMAT);
        d.put("action", action);
        d.put("grantId", grantId);
        d.put("shareRequestId", shareRequestId);
        d.put("terms", terms.map());
        Map<String, Object> approvals = new LinkedHashMap<>();
        approvals.put("requestHeadApproval", headApproval);
        approvals.put("answerApproval", answerApproval);
        d.put("approvals", approvals);
        d.put("changedBy", changedBy);
        return Json.write(d);
    }

    /** A grant's state change waiting for its transaction's commit. */
    private record Pending(ShareGrant grant, String action, StateHistory.Actor by, String requestId,
            Map<String, Object> headApproval, Map<String, Object> answerApproval) {
    }

    /**
     * Chains the grant's state change in the current transaction (called by {@link StateHistory} for every grant
     * history row). The entry is appended just before the transaction commits, with the terms the grant then holds:
     * the chain head row is locked only from there to the commit, so a usage-log entry the same transaction waits for
     * (a usage record, an export's purge) is written first by the group-commit writer, and the chained terms are the
     * committed ones.
     */
    void chain(ShareGrant g, String action, StateHistory.Actor by) {
        ShareRequest r = g.requestId == null ? null : ShareRequest.findById(g.requestId);
        Pending p = new Pending(g, action, by,
                StateHistory.Actor.SCHEDULER.role().equals(by.role()) ? null : RequestIds.current(),
                r == null ? null : person(r.officeHeadApprover, r.officeHeadApproverSubject),
                r == null ? null : person(r.providerHeadApprover, r.providerHeadApproverSubject));
        @SuppressWarnings("unchecked")
        List<Pending> pending = (List<Pending>) transactions.getResource(GrantEvidence.class);
        if (pending == null) {
            List<Pending> list = new ArrayList<>();
            transactions.putResource(GrantEvidence.class, list);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
                        appendAll(list);
                    }
                }

                @Override
                public void afterCompletion(int status) {
                }
            });
            pending = list;
        }
        pending.add(p);
    }

    private void appendAll(List<Pending> pending) {
        try (Connection c = dataSource.getConnection()) {
            for (Pending p : pending) {
                ShareGrant g = p.grant();
                Map<String, Object> changedBy = new LinkedHashMap<>();
                changedBy.put("subject", p.by().subject());
                changedBy.put("name", p.by().name());
                changedBy.put("role", p.by().role());
                changedBy.put("department", p.by().department());
                changedBy.put("clientId", p.by().clientId());
                String doc = document(p.action(), g.id, g.requestId, Terms.of(g), p.headApproval(),
                        p.answerApproval(), changedBy);
                append(c, draft(g, p.requestId(), p.by().clientId(), p.by().subject(), p.action()), doc);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("grant terms not chained", e);
        }
    }

    static LogEntry.Draft draft(ShareGrant g, String requestId, String clientId, String userSub, String action) {
        return new LogEntry.Draft(requestId, clientId, userSub, g.consumerDepartmentCode, g.id, g.purpose,
                g.legalBasis, g.resourceCode, g.providerDepartmentCode, Json.strings(g.items), List.of(), OPERATION,
                action, null, null);
    }

    /**
     * Appends one grant-terms entry after the chain head, locking the head row until the transaction ends, and moves
     * the head. Also used by migration V77.
     */
    public static LogEntry append(Connection c, LogEntry.Draft draft, String terms) throws SQLException {
        long seq;
        String prev;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_seq, last_hash FROM usage_log_head WHERE id = 1 FOR UPDATE");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            seq = rs.getLong(1);
            prev = rs.getString(2);
        }
        LogEntry e = LogEntry.withTerms(seq + 1, Instant.now().truncatedTo(ChronoUnit.MICROS), draft, terms, prev);
        String hash = e.hash();
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            bind(c, ps, e);
            ps.setString(19, e.terms());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE usage_log_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
            ps.setLong(1, e.seq());
            ps.setString(2, hash);
            ps.executeUpdate();
        }
        return e;
    }

    /**
     * Binds an entry's first 18 columns as the migrations' inserts list them (seq … outcome, prev_hash, entry_hash,
     * entry_format), its hash computed here.
     */
    public static void bind(Connection c, PreparedStatement ps, LogEntry e) throws SQLException {
        int i = 1;
        ps.setLong(i++, e.seq());
        ps.setObject(i++, OffsetDateTime.ofInstant(e.loggedAt(), ZoneOffset.UTC));
        ps.setString(i++, e.requestId());
        ps.setString(i++, e.clientId());
        ps.setString(i++, e.userSub());
        ps.setString(i++, e.consumerDepartment());
        ps.setObject(i++, e.grantId());
        ps.setString(i++, e.purpose());
        ps.setString(i++, e.legalBasis());
        ps.setString(i++, e.resourceCode());
        ps.setString(i++, e.providerDepartment());
        ps.setString(i++, Json.write(e.items()));
        ps.setArray(i++, c.createArrayOf("text", e.subjectHashes().toArray()));
        ps.setString(i++, e.operation());
        ps.setString(i++, e.outcome());
        ps.setString(i++, e.prevHash());
        ps.setString(i++, e.hash());
        ps.setShort(i, (short) e.format());
    }

    /**
     * The terms document of the grant's last chained state change, or null when none was chained or that entry no
     * longer holds in the chain: its content does not give its stored hash, or the next entry (or the chain head)
     * does not link to that hash. Two lookups by key; whoever edits the entry must also rewrite every entry after it,
     * which the signed checkpoints and the witnesses' copies show.
     */
    public String lastChained(long grantId) {
        LogEntry e = lastChainedEntry(grantId);
        return e == null ? null : e.terms();
    }

    private LogEntry lastChainedEntry(long grantId) {
        LogEntry[] found = new LogEntry[1];
        em.unwrap(Session.class).doWork(c -> found[0] = lastChained(c, grantId));
        return found[0];
    }

    private static LogEntry lastChained(Connection c, long grantId) throws SQLException {
        LogEntry e;
        String stored;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + UsageLogService.COLUMNS + " FROM usage_log "
                + "WHERE grant_id = ? AND operation = ? AND grant_terms IS NOT NULL ORDER BY seq DESC LIMIT 1")) {
            ps.setLong(1, grantId);
            ps.setString(2, OPERATION);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                e = UsageLogService.read(rs);
                stored = rs.getString("entry_hash");
            }
        }
        if (e.format() != LogEntry.GRANT_TERMS || !e.hash().equals(stored)) {
            return null;
        }
        // one statement, one snapshot: the next entry's link, or the head when this entry is the last
        try (PreparedStatement ps = c.prepareStatement("SELECT (SELECT prev_hash FROM usage_log WHERE seq = ?), "
                + "last_seq, last_hash FROM usage_log_head WHERE id = 1")) {
            ps.setLong(1, e.seq() + 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String link = rs.getString(1) != null ? rs.getString(1)
                        : rs.getLong(2) == e.seq() ? rs.getString(3) : null;
                return stored.equals(link) ? e : null;
            }
        }
    }

    /**
     * Fails closed when the grant row's terms are not those its last chained state change carries (or none was
     * chained, or that entry no longer holds in the chain): the row, or the entry, was changed outside the exchange, and what it would deliver is not what was approved. 503
     * problem+json (the caller did nothing wrong and can do nothing about it; the platform must investigate), nothing
     * delivered or logged. Returns that entry's seq: the calls approved under these terms cite it
     * ({@link LogEntry.Draft#termsSeq()}).
     */
    public long requireChained(ShareGrant g) {
        LogEntry chained = lastChainedEntry(g.id);
        if (matches(g, chained)) {
            return chained.seq();
        }
        // The row and the chain are read in separate statements (READ COMMITTED: a snapshot each), so a legitimate
        // change committing between them (a suspension on another replica, the expiry job) shows the old row beside
        // the new terms. Both are written in one transaction, so reading both again, the row first, sees them agree
        // unless something outside the exchange changed one of them.
        em.refresh(g);
        chained = lastChainedEntry(g.id);
        if (matches(g, chained)) {
            return chained.seq();
        }
        String detail = "授权 #" + g.id + " 的条款与使用记录链中的授权凭据不符，已停止交付，请联系平台管理员 / the terms of grant #"
                + g.id + " do not match the evidence chained in the usage log"
                + (chained == null ? " (none chained)" : "") + ": the grant was changed outside the exchange, no data "
                + "is delivered under it";
        throw new ApiException(ProblemType.UNAVAILABLE, detail, List.of(),
                Map.<String, Object>of("grantId", g.id, "termsChained", chained != null), Map.of());
    }

    private static boolean matches(ShareGrant g, LogEntry chained) {
        return chained != null && Objects.equals(Json.object(chained.terms()).get("terms"),
                Json.object(Json.write(Terms.of(g).map())));
    }
}
