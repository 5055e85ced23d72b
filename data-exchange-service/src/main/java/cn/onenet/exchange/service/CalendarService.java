package cn.onenet.exchange.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import cn.onenet.common.workdays.StatutoryHolidays;
import cn.onenet.common.workdays.WorkingDayCalendar;
import cn.onenet.exchange.client.CatalogClient;
import cn.onenet.exchange.client.CatalogClient.CalendarSnapshot;
import cn.onenet.exchange.config.ExchangeConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The working-day calendar (法定节假日 and 调休上班日) behind every deadline of this service: a copy of the
 * catalogue's, which admins edit in the console ({@code /api/catalog/v1/calendar}). The copy lives in
 * {@code calendar_day} (with {@code calendar_sync} describing it), so every replica and every restart counts working
 * days the same, and the last calendar the catalogue gave is used while it is unreachable. Every
 * {@code exchange.catalog.calendar-interval} each replica asks the catalogue whether the calendar changed (a
 * conditional GET naming the generation of the copy: 304 costs one primary-key read there), stores a changed
 * calendar in one transaction, and reloads its in-memory calendar when the copy's revision moved (whichever replica
 * stored it). Before the catalogue first answered, the copy is the State Council notice shipped in
 * {@code calendar/cn-public-holidays.csv}. The fixed-date statutory holidays count in every year, also those no notice
 * covers yet ({@link StatutoryHolidays}; deadlines after {@link #coveredUntil()} are provisional), and when the
 * calendar in use changes (and once after a start) the open deadlines are counted again ({@link DeadlineRecount}).
 */
@ApplicationScoped
public class CalendarService {

    private static final Logger LOG = Logger.getLogger(CalendarService.class);
    private static final String SOURCE = "catalog";
    /** Where the calendar is edited. */
    public static final String CATALOG_CALENDAR_API = "/api/catalog/v1/calendar";

    public record Day(LocalDate day, String kind, String name) {
    }

    /** What a check of the catalogue did. */
    public enum Check {
        /** The catalogue's calendar changed and this service's copy now holds it. */
        UPDATED,
        /** The copy already holds the catalogue's calendar (or another replica is storing a newer one). */
        UNCHANGED,
        /** The catalogue did not answer, or answered with no usable calendar: the last copy stays in use. */
        UNREACHABLE
    }

    /**
     * The copy in use: {@code source} {@code catalog-service} or {@code seed} (the shipped notice, the catalogue never
     * answered yet), the catalogue generation it was taken at, when it last changed, when the catalogue last answered
     * a check (any replica), whether this replica's last check failed, and {@code stale}: no replica reached the
     * catalogue for three check intervals.
     */
    public record Status(String source, Long catalogGeneration, Instant syncedAt, Instant checkedAt,
            boolean lastCheckFailed, boolean stale, String editAt,
            @Schema(description = "31 December of the last year an official notice (国务院办公厅节假日安排通知) was "
                    + "entered for: after it only the fixed-date holidays of 《全国年节及纪念日放假办法》 are counted "
                    + "and deadlines are provisional (null: no notice at all)", example = "2026-12-31")
            LocalDate coveredUntil) {
    }

    private record Sync(Long generation, long revision, Instant syncedAt, Instant checkedAt) {
    }

    private record Loaded(WorkingDayCalendar calendar, LocalDate coveredUntil, long revision) {
    }

    private final EntityManager em;
    private final CatalogClient catalog;
    private final ExchangeConfig config;
    private volatile Loaded loaded;
    private volatile boolean lastCheckFailed;
    /** Counts open deadlines again when the calendar changed (absent in a bare instance: nothing is recounted). */
    @Inject
    DeadlineRecount deadlines;
    /** Open deadlines still to be counted with the calendar in use: after a start, a change, or a failed count. */
    private volatile boolean recountPending = true;

    public CalendarService(EntityManager em, @RestClient CatalogClient catalog, ExchangeConfig config) {
        this.em = em;
        this.catalog = catalog;
        this.config = config;
    }

    /** On first start, before the catalogue answered: the shipped notice, so deadlines can be computed at once. */
    @Transactional
    public void seedIfEmpty() {
        Number count = (Number) em.createNativeQuery("SELECT count(*) FROM calendar_day").getSingleResult();
        if (count.longValue() == 0 && lockSync().generation() == null) {
            replaceDays(readSeed());
            em.createNativeQuery("UPDATE calendar_sync SET revision = revision + 1, synced_at = now() WHERE name = ?1")
                    .setParameter(1, SOURCE).executeUpdate();
        }
        loaded = null;
    }

    public WorkingDayCalendar calendar() {
        return loaded().calendar();
    }

    private Loaded loaded() {
        Loaded l = loaded;
        if (l == null) {
            l = load();
            loaded = l;
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    public List<Day> list() {
        List<Object[]> rows = em.createNativeQuery("SELECT day, kind, name FROM calendar_day ORDER BY day")
                .getResultList();
        return rows.stream().map(r -> new Day(toDate(r[0]), (String) r[1], (String) r[2])).toList();
    }

    @Transactional
    public Status status() {
        Sync s = sync(false);
        Instant now = Instant.now();
        boolean stale = s.checkedAt() == null
                || s.checkedAt().isBefore(now.minus(config.catalog().calendarInterval().multipliedBy(3)));
        return new Status(s.generation() == null ? "seed" : "catalog-service", s.generation(), s.syncedAt(),
                s.checkedAt(), lastCheckFailed, stale, CATALOG_CALENDAR_API, coveredUntil());
    }

    /** The last day the official notices cover (see {@link StatutoryHolidays}); null when none was entered. */
    public LocalDate coveredUntil() {
        return loaded().coveredUntil();
    }

    /** Whether a deadline falls after the days the official notices cover, so may move when one is entered. */
    public boolean provisional(LocalDate dueOn) {
        return StatutoryHolidays.provisional(dueOn, coveredUntil());
    }

    @Scheduled(every = "${exchange.catalog.calendar-interval:30s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledCheck() {
        check();
    }

    /**
     * Asks the catalogue whether its calendar changed since the copy was taken, stores it if so, and reloads this
     * replica's calendar if the copy changed (here or on another replica). Never throws: when the catalogue is
     * unreachable the last copy stays in use.
     */
    public synchronized Check check() {
        Sync before = QuarkusTransaction.requiringNew().call(() -> sync(false));
        Check result;
        try {
            result = ask(before);
            if (lastCheckFailed) {
                LOG.infof("Catalogue calendar reachable again");
            }
            lastCheckFailed = false;
        } catch (RuntimeException e) {
            if (!lastCheckFailed) {
                LOG.warn(unreachableMessage(before.generation(), e));
            }
            lastCheckFailed = true;
            result = Check.UNREACHABLE;
        }
        if (reloadIfMoved()) {
            recountPending = true;
        }
        if (recountPending) {
            recountDeadlines();
        }
        return result;
    }

    /**
     * The one line logged when the catalogue stops answering: which calendar deadlines follow meanwhile, the copy of a
     * catalogue generation or, before the catalogue ever answered (as at every first start, the catalogue may simply
     * not be up yet), the notice shipped with this service.
     */
    static String unreachableMessage(Long generation, RuntimeException cause) {
        String inUse = generation == null
                ? "the built-in calendar (the State Council notice shipped with this service) until it first answers"
                : "this service's copy of the catalogue's calendar, generation " + generation;
        return "Catalogue calendar unreachable, deadlines follow " + inUse + ": " + cause;
    }

    /** Open deadlines counted with another calendar (on any replica, or before a restart) now follow this one. */
    private void recountDeadlines() {
        if (deadlines == null) {
            return;
        }
        try {
            deadlines.recount(calendar());
            recountPending = false;
        } catch (RuntimeException e) {
            LOG.warnf("Counting open deadlines again failed, will retry at the next check: %s", e.toString());
        }
    }

    private Check ask(Sync before) {
        String ifNoneMatch = before.generation() == null ? null : "\"" + before.generation() + "\"";
        try (Response response = catalog.calendar(ifNoneMatch)) {
            if (response.getStatus() == 304) {
                QuarkusTransaction.requiringNew().run(() -> em
                        .createNativeQuery("UPDATE calendar_sync SET checked_at = now() WHERE name = ?1")
                        .setParameter(1, SOURCE).executeUpdate());
                return Check.UNCHANGED;
            }
            if (response.getStatus() != 200) {
                throw new IllegalStateException("catalogue calendar answered " + response.getStatus());
            }
            CalendarSnapshot snapshot = response.readEntity(CalendarSnapshot.class);
            List<Day> days = usable(snapshot);
            boolean stored = QuarkusTransaction.requiringNew()
                    .call(() -> store(before.generation(), snapshot.generation(), days));
            if (stored) {
                LOG.infof("Working-day calendar taken from the catalogue: generation %d, %d days",
                        snapshot.generation(), days.size());
            }
            return stored ? Check.UPDATED : Check.UNCHANGED;
        }
    }

    /** The snapshot's days, or an exception when it is not a calendar (the copy is then kept). */
    private static List<Day> usable(CalendarSnapshot s) {
        if (s == null || s.generation() == null || s.days() == null) {
            throw new IllegalStateException("catalogue calendar without generation or days");
        }
        for (CatalogClient.CalendarDay d : s.days()) {
            if (d == null || d.day() == null || !("holiday".equals(d.kind()) || "workday".equals(d.kind()))) {
                throw new IllegalStateException("catalogue calendar with an unreadable day: " + d);
            }
        }
        return s.days().stream().map(d -> new Day(d.day(), d.kind(), d.name())).toList();
    }

    /**
     * Replaces the copy, unless another replica changed it since {@code expected} was read (it stored the same or a
     * newer calendar; a still newer one is taken at the next check) or it already holds {@code generation}.
     */
    private boolean store(Long expected, long generation, List<Day> days) {
        Sync now = lockSync();
        if (!Objects.equals(now.generation(), expected) || Objects.equals(now.generation(), generation)) {
            em.createNativeQuery("UPDATE calendar_sync SET checked_at = now() WHERE name = ?1")
                    .setParameter(1, SOURCE).executeUpdate();
            return false;
        }
        replaceDays(days);
        em.createNativeQuery("UPDATE calendar_sync SET generation = ?2, revision = revision + 1, synced_at = now(), "
                + "checked_at = now() WHERE name = ?1").setParameter(1, SOURCE).setParameter(2, generation)
                .executeUpdate();
        return true;
    }

    private void replaceDays(List<Day> days) {
        em.createNativeQuery("DELETE FROM calendar_day").executeUpdate();
        for (Day d : days) {
            em.createNativeQuery("INSERT INTO calendar_day (day, kind, name) VALUES (?1, ?2, ?3)")
                    .setParameter(1, d.day()).setParameter(2, d.kind()).setParameter(3, d.name()).executeUpdate();
        }
    }

    /** Whether the calendar in use changed. */
    private boolean reloadIfMoved() {
        try {
            long revision = QuarkusTransaction.requiringNew().call(() -> sync(false).revision());
            Loaded l = loaded;
            if (l == null || l.revision() != revision) {
                loaded = QuarkusTransaction.requiringNew().call(this::load);
                return true;
            }
        } catch (RuntimeException e) {
            LOG.warnf("Reloading the working-day calendar failed, will retry: %s", e.toString());
        }
        return false;
    }

    /** The revision is read before the days: a copy stored in between is loaded again at the next check. */
    private Loaded load() {
        long revision = sync(false).revision();
        Set<LocalDate> holidays = new HashSet<>();
        Set<LocalDate> workdays = new HashSet<>();
        for (Day d : list()) {
            ("holiday".equals(d.kind()) ? holidays : workdays).add(d.day());
        }
        return new Loaded(new WorkingDayCalendar(StatutoryHolidays.withFixedDates(holidays), workdays),
                StatutoryHolidays.coveredUntil(holidays), revision);
    }

    private Sync lockSync() {
        return sync(true);
    }

    private Sync sync(boolean forUpdate) {
        Object[] r = (Object[]) em.createNativeQuery("SELECT generation, revision, synced_at, checked_at "
                + "FROM calendar_sync WHERE name = ?1" + (forUpdate ? " FOR UPDATE" : ""))
                .setParameter(1, SOURCE).getSingleResult();
        return new Sync(r[0] == null ? null : ((Number) r[0]).longValue(), ((Number) r[1]).longValue(),
                toInstant(r[2]), toInstant(r[3]));
    }

    private static Instant toInstant(Object o) {
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        return (Instant) o;
    }

    private static LocalDate toDate(Object o) {
        return o instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) o;
    }

    static List<Day> readSeed() {
        try (InputStream in = CalendarService.class.getResourceAsStream("/calendar/cn-public-holidays.csv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return reader.lines().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",", 3))
                    .map(p -> new Day(LocalDate.parse(p[0].trim()), p[1].trim(), p.length > 2 ? p[2].trim() : null))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
