package cn.onenet.exchange.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.logging.Logger;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.UsageRecord;
import cn.onenet.exchange.model.UsageRecord.Kind;
import io.agroal.api.AgroalDataSource;
import io.quarkus.panache.common.Sort;
import io.quarkus.scheduler.Scheduled;

/**
 * 使用记录 (条例第二十九条第二款, R16): the consumer department records, under each grant, the usage scenario, the
 * processing, the storage, the outcomes and the destruction of the shared data; the provider and the 主管部门 inspect
 * them. A record is accepted only once it is in the usage log: each one is appended as an entry (operation
 * {@code USAGE_RECORD_<kind>}, outcome {@value #LOGGED}, request id {@code usage-record:<id>:<digest>}) whose hash
 * chain and signed checkpoints then cover it; the record keeps the entry's sequence number. Outcome statements are
 * periodic ({@code exchange.usage-records.outcome-interval}): an ACTIVE grant with none within the interval (and
 * issued longer ago) is overdue, and its consumer is told once per overdue interval.
 *
 * <p>The entry is durable before the record's transaction commits. When that transaction rolls back instead (a
 * disposal confirmation losing a race, a failed insert), a {@value #VOID_OPERATION} entry naming the record says so,
 * and the chain check ({@link UsageLogService#verify}) reports a record entry whose record is missing only when no
 * such entry explains it.
 */
@ApplicationScoped
public class UsageRecordService {

    static final int MAX_TEXT = TextLimits.LONG_TEXT;
    /** Usage-log operation of a record: this prefix and the kind. */
    public static final String OPERATION_PREFIX = "USAGE_RECORD_";
    /** Usage-log outcome of a record (never a delivery, see {@link DeliveryDeadlines#DELIVERED_OUTCOMES}). */
    public static final String LOGGED = "RECORDED";
    /** Notice kind sent to the consumer when a grant's outcome statement becomes overdue. */
    public static final String OUTCOME_OVERDUE = "USAGE_OUTCOME_OVERDUE";
    /** Usage-log operation saying a record's entry was written but the record itself was not kept (rolled back). */
    public static final String VOID_OPERATION = OPERATION_PREFIX + "VOID";
    /** Request id prefix of a {@link #VOID_OPERATION} entry, followed by the record's id. */
    public static final String VOID_REFERENCE = "usage-record-void:";

    private static final Logger LOG = Logger.getLogger(UsageRecordService.class);

    /** A record as asked for: dates as yyyy-MM-dd. Which fields a kind takes: see {@link #validated}. */
    public record NewRecord(@Schema(maxLength = TextLimits.CODE) String kind,
            @Schema(maxLength = MAX_TEXT) String description, @Schema(maxLength = MAX_TEXT) String location,
            @Schema(maxLength = MAX_TEXT) String safeguards, @Schema(maxLength = TextLimits.CODE) String periodFrom,
            @Schema(maxLength = TextLimits.CODE) String periodTo, @Schema(maxLength = MAX_TEXT) String outcome,
            @Schema(maxLength = MAX_TEXT) String method, @Schema(maxLength = TextLimits.CODE) String destroyedOn) {
    }

    /** A record with whether it still fits its digest and its usage-log entry. */
    public record Checked(UsageRecord record, boolean intact) {
    }

    /**
     * Where a grant's records stand: the last record of each kind, and, for an ACTIVE grant, when its next outcome
     * statement is due and whether it is overdue.
     */
    public record Standing(long grantId, Period outcomeInterval, Instant outcomeDueAt, boolean outcomeOverdue,
            Map<Kind, Instant> lastRecordedAt) {
    }

    private final EntityManager em;
    private final TimeSource time;
    private final UsageLogWriter log;
    private final NoticeService notices;
    private final AgroalDataSource dataSource;
    private final Period outcomeInterval;
    private final TransactionSynchronizationRegistry transactions;

    public UsageRecordService(EntityManager em, TimeSource time, UsageLogWriter log, NoticeService notices,
            AgroalDataSource dataSource, ExchangeConfig config, TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.transactions = transactions;
        this.time = time;
        this.log = log;
        this.notices = notices;
        this.dataSource = dataSource;
        this.outcomeInterval = config.usageRecords().outcomeInterval();
        if (outcomeInterval.isNegative() || outcomeInterval.isZero()) {
            throw new IllegalStateException("exchange.usage-records.outcome-interval must be positive");
        }
    }

    /**
     * Adds a record to a grant in any status (active, suspended or ended: outcomes and destruction come after the
     * end), the grant as the caller sees it ({@link GrantService#view}: 404 for whoever cannot see it): only the
     * consumer department's operators (403 otherwise); 400 naming every bad field, nothing written.
     */
    @Transactional
    public UsageRecord add(Caller caller, ShareGrant g, NewRecord body) {
        if (!caller.has("operator") || !g.consumerDepartmentCode.equals(caller.department())) {
            throw ApiException.forbidden("只有使用部门的经办人员记录数据使用情况 / only the consumer department's operators "
                    + "keep the usage records of a grant");
        }
        return write(g, validated(g, body), caller, false);
    }

    /**
     * The consumer confirmed disposal of the data ({@link GrantService#confirmDisposal}): a DESTRUCTION record of
     * today, with the confirmation's reason as its description and the method the provider required (R14), is left
     * by the exchange ({@code automatic}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void disposalConfirmed(ShareGrant g, Caller caller, String reason, String method) {
        UsageRecord r = new UsageRecord();
        r.kind = Kind.DESTRUCTION;
        r.description = Texts.blank(reason) ? "使用部门确认已销毁共享数据 / the consumer confirmed the disposal of the data"
                : reason.trim();
        r.method = method;
        r.destroyedOn = time.today();
        write(g, r, caller, true);
    }

    private UsageRecord write(ShareGrant g, UsageRecord r, Caller by, boolean automatic) {
        r.id = ((Number) em.createNativeQuery("SELECT nextval('usage_record_id_seq')").getSingleResult()).longValue();
        r.grantId = g.id;
        r.departmentCode = g.consumerDepartmentCode;
        r.recordedBy = by.subject() == null ? "unknown" : by.subject();
        r.recordedByName = by.name();
        r.clientId = by.clientId();
        r.automatic = automatic;
        r.recordedAt = time.now().truncatedTo(ChronoUnit.MICROS);
        r.digest = digest(r);
        // durable in the chain before the record is: no record the chain does not cover
        LogEntry entry = log.append(new LogEntry.Draft(reference(r), r.clientId, r.recordedBy, g.consumerDepartmentCode,
                g.id, g.purpose, g.legalBasis, g.resourceCode, g.providerDepartmentCode, List.of(), List.of(),
                OPERATION_PREFIX + r.kind, LOGGED, null, null));
        r.usageLogSeq = entry.seq();
        voidIfNotKept(g, r);
        r.persist();
        return r;
    }

    /** Once the record's transaction has rolled back, the chain is told its entry names no record. */
    private void voidIfNotKept(ShareGrant g, UsageRecord r) {
        long id = r.id;
        LogEntry.Draft voided = new LogEntry.Draft(VOID_REFERENCE + id, r.clientId, r.recordedBy,
                g.consumerDepartmentCode, g.id, g.purpose, g.legalBasis, g.resourceCode, g.providerDepartmentCode,
                List.of(), List.of(), VOID_OPERATION, LOGGED, null, null);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    return;
                }
                try {
                    log.append(voided);
                } catch (RuntimeException e) {
                    // the chain check will report the record as missing: better than no trace
                    LOG.warnf(e, "Usage record %d was not kept and its void entry could not be written", id);
                }
            }
        });
    }

    /** The request id of a record's usage-log entry: it names the record and carries its digest into the chain. */
    static String reference(UsageRecord r) {
        return "usage-record:" + r.id + ":" + r.digest;
    }

    /** SHA-256 (hex) of the record's canonical form: a JSON array of every field but the digest and the entry. */
    static String digest(UsageRecord r) {
        return LogEntry.sha256(Json.write(Arrays.asList(1, r.id, r.grantId, r.kind.name(), r.description, r.location,
                r.safeguards, text(r.periodFrom), text(r.periodTo), r.outcome, r.method, text(r.destroyedOn),
                r.recordedBy, r.recordedByName, r.clientId, r.departmentCode, r.automatic, r.recordedAt.toString())));
    }

    private static String text(LocalDate d) {
        return d == null ? null : d.toString();
    }

    /**
     * The checked record: description always; STORAGE a location (and safeguards); OUTCOME the period (from ≤ to,
     * within the grant's life, {@link #began} to {@link #lastDay}) and the outcome; DESTRUCTION the method and the day
     * (not before the grant began, not in the future). A field of another kind is refused. A record is never corrected
     * once in the usage log, so a day the grant's data could not have been used or destroyed on is refused here.
     */
    UsageRecord validated(ShareGrant g, NewRecord body) {
        List<FieldError> errors = new ArrayList<>();
        Kind kind = null;
        if (body == null || Texts.blank(body.kind())) {
            errors.add(new FieldError("kind", Fields.RECORD_KIND.oneOf(Fields.RECORD_KINDS)));
        } else {
            try {
                kind = Kind.valueOf(body.kind().trim());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("kind", Fields.RECORD_KIND.oneOf(Fields.RECORD_KINDS)));
            }
        }
        if (body == null) {
            throw ApiException.fields(errors);
        }
        UsageRecord r = new UsageRecord();
        r.kind = kind;
        r.description = required(errors, body.description(), "description", "须说明 / a description is required");
        r.location = only(errors, kind, Kind.STORAGE, body.location(), "location", true,
                "须写明存储位置 / where the data is kept is required");
        r.safeguards = only(errors, kind, Kind.STORAGE, body.safeguards(), "safeguards", false, null);
        r.outcome = only(errors, kind, Kind.OUTCOME, body.outcome(), "outcome", true,
                "须说明应用成效 / the outcomes are required");
        r.periodFrom = date(errors, only(errors, kind, Kind.OUTCOME, body.periodFrom(), "periodFrom", true,
                "须写明统计期起始日 / the period's first day is required"), "periodFrom");
        r.periodTo = date(errors, only(errors, kind, Kind.OUTCOME, body.periodTo(), "periodTo", true,
                "须写明统计期截止日 / the period's last day is required"), "periodTo");
        LocalDate began = began(g);
        LocalDate lastDay = lastDay(g);
        if (r.periodFrom != null && r.periodFrom.isBefore(began)) {
            errors.add(new FieldError("periodFrom", "统计期不能早于授权开始之日 " + began + " / the period starts on or "
                    + "after " + began + ", the day the grant began"));
        }
        if (r.periodFrom != null && r.periodTo != null && r.periodTo.isBefore(r.periodFrom)) {
            errors.add(new FieldError("periodTo", "截止日不能早于起始日 / must not precede periodFrom"));
        } else if (r.periodTo != null && r.periodTo.isAfter(lastDay)) {
            errors.add(new FieldError("periodTo", "统计期不能晚于授权的最后一日 " + lastDay + " / the period ends on or "
                    + "before " + lastDay + ", the grant's last day"));
        }
        r.method = only(errors, kind, Kind.DESTRUCTION, body.method(), "method", true,
                "须写明销毁方式 / how the data was destroyed is required");
        r.destroyedOn = date(errors, only(errors, kind, Kind.DESTRUCTION, body.destroyedOn(), "destroyedOn", true,
                "须写明销毁日期 / the day of destruction is required"), "destroyedOn");
        if (r.destroyedOn != null && r.destroyedOn.isAfter(time.today())) {
            errors.add(new FieldError("destroyedOn", "销毁日期不能晚于今天 / must not be in the future"));
        }
        if (r.destroyedOn != null && r.destroyedOn.isBefore(began)) {
            errors.add(new FieldError("destroyedOn", "销毁日期不能早于授权开始之日 " + began + " / nothing of the grant "
                    + "could be destroyed before " + began + ", the day it began"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        return r;
    }

    /**
     * The first day the grant's data could be held: the later of its {@code validFrom} (nothing is delivered before it)
     * and the day it was issued (Beijing time): a request may be filed with a period that began in the past.
     */
    static LocalDate began(ShareGrant g) {
        LocalDate issued = g.createdAt == null ? null : LocalDate.ofInstant(g.createdAt, TimeSource.ZONE);
        return issued == null || issued.isBefore(g.validFrom) ? g.validFrom : issued;
    }

    /** The grant's last day of use: its {@code validTo}, or the day it was terminated or expired if earlier. */
    static LocalDate lastDay(ShareGrant g) {
        boolean ended = "TERMINATED".equals(g.status) || "EXPIRED".equals(g.status);
        return ended && g.disposalStartedOn != null && g.disposalStartedOn.isBefore(g.validTo) ? g.disposalStartedOn
                : g.validTo;
    }

    private static String required(List<FieldError> errors, String value, String field, String message) {
        try {
            return Texts.required(value, field, MAX_TEXT, message);
        } catch (ApiException e) {
            errors.addAll(e.errors());
            return null;
        }
    }

    /**
     * A field of kind {@code owner} only: required ({@code message}) or optional for it, refused for any other kind
     * (none when the kind itself is bad: its error says enough).
     */
    private static String only(List<FieldError> errors, Kind kind, Kind owner, String value, String field,
            boolean needed, String message) {
        if (kind != owner) {
            if (kind != null && !Texts.blank(value)) {
                errors.add(new FieldError(field, "只用于 " + owner + " 记录 / only for " + owner + " records"));
            }
            return null;
        }
        if (!needed && Texts.blank(value)) {
            return null;
        }
        return required(errors, value, field, message);
    }

    private static LocalDate date(List<FieldError> errors, String value, String field) {
        if (value == null) {
            return null;
        }
        LocalDate day;
        try {
            day = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "须为 yyyy-MM-dd 格式的日期 / a date as yyyy-MM-dd"));
            return null;
        }
        if (!Dates.sane(day)) {
            errors.add(new FieldError(field, Dates.OUT_OF_RANGE));
            return null;
        }
        return day;
    }

    /** One page of a grant's records, newest first, each checked against its digest and usage-log entry. */
    @Transactional
    public List<Checked> list(ShareGrant g, String kind, int page, int size) {
        long first = (long) page * size;
        if (first > Integer.MAX_VALUE - size) {
            return List.of(); // far past the last record (the query's offset is an int)
        }
        List<UsageRecord> found = UsageRecord.<UsageRecord>find(filter(kind), Sort.descending("id"), params(g, kind))
                .range((int) first, (int) first + size - 1).list();
        Map<Long, LogEntry> entries = entries(found.stream().map(r -> r.usageLogSeq).toList());
        return found.stream().map(r -> new Checked(r, intact(r, entries.get(r.usageLogSeq)))).toList();
    }

    /** How many records {@link #list} finds on all pages. */
    @Transactional
    public long count(ShareGrant g, String kind) {
        return UsageRecord.count(filter(kind), params(g, kind));
    }

    private static String filter(String kind) {
        return kind == null ? "grantId = :grant" : "grantId = :grant and kind = :kind";
    }

    private static Map<String, Object> params(ShareGrant g, String kind) {
        Map<String, Object> p = new HashMap<>();
        p.put("grant", g.id);
        if (kind != null) {
            try {
                p.put("kind", Kind.valueOf(kind));
            } catch (IllegalArgumentException e) {
                throw Fields.RECORD_KIND.notOneOf(Fields.RECORD_KINDS);
            }
        }
        return p;
    }

    /**
     * The record fits: its content still hashes to its digest, and its usage-log entry names it with that digest
     * under its grant and kind and still hashes to its stored hash (the chain check, {@link UsageLogService#verify},
     * judges the links between entries).
     */
    static boolean intact(UsageRecord r, LogEntry entry) {
        return entry != null && digest(r).equals(r.digest) && reference(r).equals(entry.requestId())
                && Long.valueOf(r.grantId).equals(entry.grantId())
                && (OPERATION_PREFIX + r.kind).equals(entry.operation());
    }

    /** The usage-log entries with these sequence numbers whose content still fits their stored hash. */
    private Map<Long, LogEntry> entries(List<Long> seqs) {
        Map<Long, LogEntry> out = new HashMap<>();
        if (seqs.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + UsageLogService.COLUMNS + " FROM usage_log WHERE seq = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("bigint", seqs.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LogEntry e = UsageLogService.read(rs);
                    if (e.hash().equals(rs.getString("entry_hash"))) {
                        out.put(e.seq(), e);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("usage log unreadable", e);
        }
        return out;
    }

    /** Where the grant's records stand now. */
    @Transactional
    public Standing standing(ShareGrant g) {
        Map<Kind, Instant> last = new EnumMap<>(Kind.class);
        List<Object[]> rows = em.createQuery("select r.kind, max(r.recordedAt) from UsageRecord r where r.grantId = :g "
                + "group by r.kind", Object[].class).setParameter("g", g.id).getResultList();
        for (Object[] row : rows) {
            last.put((Kind) row[0], (Instant) row[1]);
        }
        Instant due = "ACTIVE".equals(g.status) ? outcomeDue(g.createdAt, last.get(Kind.OUTCOME)) : null;
        return new Standing(g.id, outcomeInterval, due, due != null && !time.now().isBefore(due), last);
    }

    /** One interval after the grant was issued or after its last outcome statement, whichever is later. */
    private Instant outcomeDue(Instant issued, Instant lastOutcome) {
        Instant from = lastOutcome != null && lastOutcome.isAfter(issued) ? lastOutcome : issued;
        return plusInterval(from);
    }

    private Instant plusInterval(Instant at) {
        return at.atZone(TimeSource.ZONE).plus(outcomeInterval).toInstant();
    }

    /**
     * Tells the consumer of each ACTIVE grant whose outcome statement is overdue, once per overdue interval: the
     * first interval starts on the due moment, each further one an interval later while no statement comes.
     * Returns how many notices were sent.
     */
    @Transactional
    public int remindOverdueOutcomes() {
        Instant now = time.now();
        Instant issuedBy = now.atZone(TimeSource.ZONE).minus(outcomeInterval).toInstant();
        List<Object[]> grants = em.createQuery("select g.id, g.consumerDepartmentCode, g.createdAt, (select "
                + "max(r.recordedAt) from UsageRecord r where r.grantId = g.id and r.kind = :outcome) from ShareGrant g "
                + "where g.status = 'ACTIVE' and g.createdAt <= :issuedBy order by g.id", Object[].class)
                .setParameter("outcome", Kind.OUTCOME).setParameter("issuedBy", issuedBy).getResultList();
        int sent = 0;
        for (Object[] row : grants) {
            long id = (Long) row[0];
            Instant due = outcomeDue((Instant) row[2], (Instant) row[3]);
            if (now.isBefore(due)) {
                continue;
            }
            Instant since = due;
            for (Instant next = plusInterval(since); !now.isBefore(next); next = plusInterval(next)) {
                since = next;
            }
            int inserted = em.createNativeQuery("INSERT INTO usage_outcome_reminder (grant_id, overdue_since) "
                    + "VALUES (?1, ?2) ON CONFLICT DO NOTHING").setParameter(1, id)
                    .setParameter(2, since.atZone(TimeSource.ZONE).toOffsetDateTime()).executeUpdate();
            if (inserted == 1) {
                notices.notify((String) row[1], OUTCOME_OVERDUE, "GRANT", id, "共享授权 #" + id + " 的应用成效逾期未记录"
                        + "（每 " + outcomeInterval + " 至少记录一次，应于 " + due.atZone(TimeSource.ZONE).toLocalDate()
                        + " 前记录）/ grant #" + id + ": the outcome statement (应用成效) is overdue: one is due every "
                        + outcomeInterval + ", this one by " + due.atZone(TimeSource.ZONE).toLocalDate());
                sent++;
            }
        }
        return sent;
    }

    @Scheduled(cron = "0 20 0 * * ?", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledOutcomeReminders() {
        remindOverdueOutcomes();
    }
}
