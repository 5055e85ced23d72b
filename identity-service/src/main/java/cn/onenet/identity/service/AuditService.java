package cn.onenet.identity.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.identity.model.AuditEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;

/**
 * The audit trail. Two paths:
 * <ul>
 * <li>{@link #recordInTransaction}: administrative and security changes of low volume (accounts, clients,
 * departments, delegations, second factors, keys, consents, password resets) insert their row in the transaction
 * of the change itself, so a committed change always has its record and a rolled-back one has none, crash or not;
 * <li>{@link #record}: high-volume events (tokens issued and refused, logins, authorisation refusals) and refusals
 * whose transaction rolls back are queued and written in batches, so issuing a token never waits for an insert;
 * the queue is flushed every second and before any audit query, and is lost if the process dies in between.
 * </ul>
 * Callers pass no passwords, secrets or tokens. A login name typed at a failed login or a recovery request that
 * matches no account (an ID number of someone without an account, a mistyped one, or a password typed into the wrong
 * field) is not kept in clear: {@link #submittedName} records it as {@code unmatched:} and its keyed digest
 * ({@link Pseudonyms}), and a search by {@code actor} finds those rows for the value typed as well.
 */
@ApplicationScoped
public class AuditService {

    private static final Logger LOG = Logger.getLogger("cn.onenet.identity.audit");

    public record Event(Instant at, String type, boolean success, String actor, String subject, String clientId,
            String ip, String detail, String requestId) {
    }

    /** The actor of what a scheduled step does on its own (nobody asked for it at that moment). */
    public static final String SYSTEM = "system";

    /** Prefix of the recorded form of a typed login name that matches no account. */
    public static final String UNMATCHED = "unmatched:";
    private static final String NAME_PURPOSE = "audit-login-name";

    private final ConcurrentLinkedQueue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AgroalDataSource dataSource;
    private final Pseudonyms pseudonyms;

    public AuditService(AgroalDataSource dataSource, Pseudonyms pseudonyms) {
        this.dataSource = dataSource;
        this.pseudonyms = pseudonyms;
    }

    /**
     * How a typed login name is recorded as actor: the account's login name when it names one, else
     * {@code unmatched:} and the keyed digest of what was typed (trimmed, lower case); an empty name stays empty.
     */
    public String submittedName(String typed, cn.onenet.identity.model.Account account) {
        if (account != null) {
            return account.username;
        }
        String name = typed == null ? "" : typed.trim();
        return name.isEmpty() ? "" : UNMATCHED + pseudonyms.of(NAME_PURPOSE, name.toLowerCase());
    }

    public void record(String type, boolean success, String actor, String subject, String clientId, String ip,
            String detail) {
        record(type, success, actor, subject, clientId, ip, detail, RequestContext.requestId());
    }

    /** For work done after the request that caused it (queued work): the request id is passed along. */
    public void record(String type, boolean success, String actor, String subject, String clientId, String ip,
            String detail, String requestId) {
        queue.add(new Event(Instant.now(), type, success, cut(actor, 120), cut(subject, 120), cut(clientId, 100),
                cut(ip, 64), cut(detail, 1000), cut(requestId, 128)));
        if (!success) {
            // the actor of a failed login is the submitted login name, a citizen's ID number: masked in the log,
            // in the audit_event row in clear only when it names an account (see submittedName)
            LOG.infof("audit %s FAILURE actor=%s subject=%s client=%s ip=%s %s", type, LogMask.masked(actor),
                    LogMask.masked(subject), LogMask.masked(clientId), LogMask.masked(ip), detail == null ? "" : LogMask.masked(detail));
        }
    }

    /**
     * Writes the event in the caller's transaction (there must be one): it commits or rolls back with the change it
     * records, and is visible to readers as soon as the change is.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordInTransaction(String type, String actor, String subject, String clientId, String ip,
            String detail) {
        AuditEvent event = new AuditEvent();
        event.at = OffsetDateTime.now();
        event.eventType = type;
        event.outcome = "SUCCESS";
        event.actor = cut(actor, 120);
        event.subject = cut(subject, 120);
        event.clientId = cut(clientId, 100);
        event.ip = cut(ip, 64);
        event.detail = cut(detail, 1000);
        event.requestId = cut(RequestContext.requestId(), 128);
        event.persist();
    }

    /** Filters of the audit query as given (null or blank: none). */
    public record AuditQuery(String type, String outcome, String actor, String subject, String clientId, String from,
            String to, Integer page, Integer size) {
    }

    /** Rows of an audit page without a size, and the most one page holds. */
    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 500;

    /**
     * One page of the events matching every filter given, newest first, and how many match on all pages, after
     * writing what is queued. {@code from} and {@code to} are ISO-8601 timestamps (from inclusive, to exclusive). A
     * missing page reads as 0, a missing size as 100; a negative page, a size outside 1..500, a page past
     * {@code 2147483647 / size} (its first row would not be an int offset) or a bad timestamp (or one outside
     * {@link Instants#MIN_YEAR}..{@link Instants#MAX_YEAR}) is a 400 naming it.
     */
    public ListPage<AuditEvent> search(AuditQuery r) {
        flush();
        ListFilter filter = new ListFilter();
        equal(filter, "eventType", r.type());
        equal(filter, "outcome", r.outcome());
        if (r.actor() != null && !r.actor().isBlank() && !r.actor().startsWith(UNMATCHED)) {
            // also the rows of the same value typed without matching an account
            filter.and("(actor = :actor or actor = :actorDigest)", Map.of("actor", r.actor(), "actorDigest",
                    UNMATCHED + pseudonyms.of(NAME_PURPOSE, r.actor().trim().toLowerCase())));
        } else {
            equal(filter, "actor", r.actor());
        }
        equal(filter, "subject", r.subject());
        equal(filter, "clientId", r.clientId());
        time(filter, "from", r.from()).ifPresent(from -> filter.and("at >= :from", "from", from));
        time(filter, "to", r.to()).ifPresent(to -> filter.and("at < :to", "to", to));
        return filter.page(r.page(), r.size(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
                (where, params) -> AuditEvent.find(where, Sort.descending("id"), params));
    }

    private static void equal(ListFilter filter, String field, String value) {
        if (value != null && !value.isBlank()) {
            filter.and(field + " = :" + field, field, value);
        }
    }

    private static Optional<OffsetDateTime> time(ListFilter filter, String field, String value) {
        if (value == null) {
            return Optional.empty();
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            filter.error(field, "须为 ISO-8601 时间，如 2026-11-21T08:00:00Z / must be an ISO-8601 timestamp");
            return Optional.empty();
        }
        Optional<String> outside = Instants.outsideRange(field, time);
        if (outside.isPresent()) {
            filter.error(field, outside.get());
            return Optional.empty();
        }
        return Optional.of(time);
    }

    @Scheduled(every = "1s")
    public synchronized void flush() {
        List<Event> batch = new ArrayList<>();
        for (Event e = queue.poll(); e != null; e = queue.poll()) {
            batch.add(e);
            if (batch.size() >= 500) {
                write(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            write(batch);
        }
    }

    @PreDestroy
    void close() {
        flush();
    }

    private void write(List<Event> batch) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_event (at, event_type, outcome, actor, subject, client_id, ip, detail, request_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Event e : batch) {
                ps.setTimestamp(1, Timestamp.from(e.at()));
                ps.setString(2, e.type());
                ps.setString(3, e.success() ? "SUCCESS" : "FAILURE");
                ps.setString(4, e.actor());
                ps.setString(5, e.subject());
                ps.setString(6, e.clientId());
                ps.setString(7, e.ip());
                ps.setString(8, e.detail());
                ps.setString(9, e.requestId());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            LOG.errorf("Could not write %d audit events: %s", batch.size(), e.getMessage());
            queue.addAll(batch);
        }
    }

    /**
     * At most {@code max} characters, NUL characters replaced by U+FFFD: PostgreSQL refuses NUL in text, and one such
     * value would fail its whole batch again and again.
     */
    private static String cut(String value, int max) {
        if (value == null) {
            return null;
        }
        String text = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
        return text.length() <= max ? text : text.substring(0, max);
    }
}
