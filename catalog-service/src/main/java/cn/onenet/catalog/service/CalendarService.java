package cn.onenet.catalog.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.StartupEvent;

import cn.onenet.catalog.model.CalendarChange;
import cn.onenet.catalog.model.CalendarDay;
import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.PrintableText;
import cn.onenet.common.requestid.RequestIds;
import cn.onenet.common.workdays.StatutoryHolidays;
import cn.onenet.common.workdays.WorkingDayCalendar;

/**
 * The working-day calendar (weekends, public holidays, 调休 make-up days) as data: seeded once from the State
 * Council notices shipped in resources, then maintained by admins. Deadlines are computed in China time. In the years
 * no notice covers yet, the fixed-date holidays of 《全国年节及纪念日放假办法》 are counted ({@link StatutoryHolidays}).
 * An admin's edit counts the running review and change deadlines again ({@link DeadlineRecount}), as does a start.
 * Every change made here — an admin's edit with its reason, and the seed — is recorded in {@code calendar_change}
 * in the transaction of the change.
 */
@ApplicationScoped
public class CalendarService {

    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    /** The whole calendar (every year) and the generation it was read at ({@code reference_data_generation}). */
    public record Snapshot(long generation, List<CalendarDay> days) {
    }

    /**
     * The calendar's reach: {@code coveredUntil} is 31 December of the last year the State Council's notices entered
     * cover (see {@link StatutoryHolidays}; null: none entered); later deadlines count only the fixed-date holidays.
     */
    public record Coverage(
            @Schema(description = "the last day the official holiday notices entered cover", example = "2026-12-31")
            LocalDate coveredUntil,
            @Schema(description = "rest days counted in the years no notice covers (month-day)",
                    example = "[\"--01-01\", \"--05-01\", \"--05-02\", \"--10-01\", \"--10-02\", \"--10-03\"]")
            List<String> fixedHolidays) {
    }

    /** A copy of the calendar and the generation it was read at. */
    private record Loaded(long generation, WorkingDayCalendar calendar, LocalDate coveredUntil) {
    }

    /**
     * The copy in use. Replaced only by one read at the same or a later generation: a reload by the
     * {@link ReferenceDataWatcher} that read the rows before an admin's change committed cannot put the older
     * calendar back after the change published its own.
     */
    private final AtomicReference<Loaded> loaded = new AtomicReference<>();

    @Inject
    DeadlineRecount deadlines;
    @Inject
    TransactionSynchronizationRegistry transactions;

    @Transactional
    void seed(@Observes @jakarta.annotation.Priority(10) StartupEvent event) {
        if (CalendarDay.count() == 0) {
            for (String[] row : seedRows()) {
                CalendarDay d = new CalendarDay();
                d.day = LocalDate.parse(row[0]);
                d.kind = row[1];
                d.name = row[2];
                d.persist();
                record(CalendarChange.SEED, d.day, null, d, SEED_REASON, null);
            }
        }
        reload();
        // deadlines counted before a change of the counting rules (or of the calendar, made by hand) follow it
        deadlines.recount(calendar());
    }

    /** The service's clock: every workflow step is dated by it; tests move it to build timelines. */
    private volatile Clock clock = Clock.system(CHINA);

    public LocalDate today() {
        return LocalDate.now(clock);
    }

    /** Now on the service's clock (a workflow step's time, a timer's start). */
    public Instant now() {
        return clock.instant();
    }

    /** Moves the clock (tests of working-day timers); {@code null} returns to the system clock. */
    public void setClock(Clock fixed) {
        clock = fixed == null ? Clock.system(CHINA) : fixed;
    }

    public WorkingDayCalendar calendar() {
        return loaded().calendar();
    }

    private Loaded loaded() {
        Loaded l = loaded.get();
        if (l == null) {
            reload();
            l = loaded.get();
        }
        return l;
    }

    public Coverage coverage() {
        return new Coverage(loaded().coveredUntil(),
                StatutoryHolidays.FIXED.stream().map(MonthDay::toString).toList());
    }

    /** Whether a deadline falls after the days the official notices cover, so may move when one is entered. */
    public boolean provisional(LocalDate dueOn) {
        return StatutoryHolidays.provisional(dueOn, loaded().coveredUntil());
    }

    public LocalDate addWorkingDays(LocalDate start, int days) {
        return calendar().addWorkingDays(start, days);
    }

    public List<CalendarDay> list(int year) {
        return CalendarDay.list("extract(year from day) = ?1 order by day", year);
    }

    /**
     * The calendar's generation: bumped by a database trigger in the same transaction as any change of
     * {@code calendar_day} (through the API, on another replica or by hand), so equal generations mean equal calendars.
     */
    @Transactional
    public long generation() {
        return ((Number) CalendarDay.getEntityManager()
                .createNativeQuery("SELECT generation FROM reference_data_generation WHERE name = ?1")
                .setParameter(1, ReferenceDataWatcher.CALENDAR).getSingleResult()).longValue();
    }

    /**
     * Every day of the calendar with its generation, for services that keep a copy (data-exchange-service). The
     * generation is read before the days: a change committed in between is in the days but not yet in the
     * generation, so the follower simply takes the calendar again at its next check; it never gets a generation
     * newer than its days.
     */
    @Transactional
    public Snapshot snapshot() {
        long generation = generation();
        return new Snapshot(generation, CalendarDay.list("order by day"));
    }

    /**
     * Sets a day (an admin's edit), recorded in {@code calendar_change} with the caller and the reason in the same
     * transaction. Every missing or malformed field is named at once ({@code kind}, {@code name}, {@code reason}).
     * Setting a day to what it already is changes nothing and records nothing.
     */
    @Transactional
    public CalendarDay put(Caller caller, LocalDate day, String kind, String name, String reason) {
        List<FieldError> errors = new ArrayList<>();
        if (!"holiday".equals(kind) && !"workday".equals(kind)) {
            errors.add(new FieldError("kind", "类型应为 holiday（假日）或 workday（调休上班） / the kind must be holiday or workday"));
        }
        if (!PrintableText.hasVisibleText(name) || name.length() > 100) {
            errors.add(new FieldError("name", PrintableText.missingMessage(name, "名称必填（至多100字） / name required (≤100)")));
        } else {
            CatalogService.lineError("name", name).ifPresent(errors::add);
        }
        reasonError(reason).ifPresent(errors::add);
        CalendarDay d = CalendarDay.findById(day, LockModeType.PESSIMISTIC_WRITE);
        // a day already stored as this kind is not a new slip: the same again or a new name stays allowed, even when
        // the day it was joined to has since been removed
        if (errors.isEmpty() && (d == null || !d.kind.equals(kind))) {
            changesNothing(day, kind, d).ifPresent(errors::add);
        }
        if (!errors.isEmpty()) {
            throw ApiException.fields(errors);
        }
        CalendarDay before = d == null ? null : copy(d);
        if (d != null && d.kind.equals(kind) && d.name.equals(name)) {
            return d;
        }
        if (d == null) {
            d = new CalendarDay();
            d.day = day;
            d.kind = kind;
            d.name = name;
            d.persist();
        } else {
            d.kind = kind;
            d.name = name;
        }
        record(CalendarChange.SET, day, before, d, reason, caller);
        CalendarDay.flush();
        changed();
        return d;
    }

    /** How far a holiday period is followed from a weekend day to the weekday that anchors it (the longest are 8 days). */
    private static final int PERIOD_REACH = 10;

    /**
     * A single day entered as what it already is: a holiday on a Saturday or Sunday, a make-up working day (调休上班)
     * on a Monday to Friday. Such an entry changes no deadline and is almost always a typing mistake (the wrong date or
     * the wrong kind), so it is refused, naming {@code kind}. Kept: a weekend day of a holiday period (国庆节, 春节: the
     * notices list their weekend days too), i.e. one joined by rest days to a weekday holiday of the calendar or to a
     * fixed-date holiday; a weekend fixed-date holiday (劳动节 on a Saturday); a weekend 调休 day turned back into a
     * holiday; a make-up working day on a weekday fixed-date holiday, which does move it (the seed is stored as
     * shipped, not through here). A day already stored as {@code kind} is not checked (put).
     */
    private Optional<FieldError> changesNothing(LocalDate day, String kind, CalendarDay current) {
        boolean weekend = weekend(day);
        String dayOfWeek = day + " 是" + day.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.CHINA);
        String english = day + " is a " + day.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
        if ("holiday".equals(kind) && weekend && !fixedHoliday(day)
                && (current == null || !"workday".equals(current.kind)) && !inHolidayPeriod(day)) {
            return Optional.of(new FieldError("kind", dayOfWeek + "，本来就不是工作日：登记为假日不改变任何期限，"
                    + "请核对日期和类型（日期/类型）；假期中的周末请先登记该假期的工作日 / " + english
                    + ", not a working day anyway: a holiday on it changes no deadline; check the date and the kind "
                    + "(a weekend day of a holiday period is taken once a weekday of that period is entered)"));
        }
        if ("workday".equals(kind) && !weekend && !fixedHoliday(day)) {
            return Optional.of(new FieldError("kind", dayOfWeek + "，本来就是工作日：登记为调休上班不改变任何期限，"
                    + "请核对日期和类型（日期/类型）；取消该日的假日请删除该日 / " + english
                    + ", a working day anyway: a make-up working day on it changes no deadline; check the date and "
                    + "the kind (to cancel a holiday on it, remove the day)"));
        }
        return Optional.empty();
    }

    /**
     * Whether the rest days around {@code day} reach a holiday on a Monday to Friday in the calendar or a fixed-date
     * holiday (on any day: 元旦 on a Saturday anchors the Sunday after it). A rest day is a weekend day or a holiday,
     * unless the calendar makes it a working day (调休上班): that ends the period.
     */
    private static boolean inHolidayPeriod(LocalDate day) {
        for (int step : new int[] {-1, 1}) {
            LocalDate d = day.plusDays(step);
            for (int i = 0; i < PERIOD_REACH; i++, d = d.plusDays(step)) {
                PanacheEntityBase stored = CalendarDay.findById(d);
                boolean rest = stored instanceof CalendarDay c ? "holiday".equals(c.kind)
                        : weekend(d) || fixedHoliday(d);
                if (!rest) {
                    break;
                }
                if (fixedHoliday(d) || !weekend(d)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean weekend(LocalDate day) {
        return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
    }

    private static boolean fixedHoliday(LocalDate day) {
        return day.getYear() >= StatutoryHolidays.FIRST_YEAR && StatutoryHolidays.FIXED.contains(MonthDay.from(day));
    }

    /** Removes a day (an admin's edit), recorded with the caller and the reason in the same transaction. */
    @Transactional
    public void delete(Caller caller, LocalDate day, String reason) {
        Optional<FieldError> missing = reasonError(reason);
        if (missing.isPresent()) {
            throw ApiException.fields(List.of(missing.get()));
        }
        CalendarDay d = CalendarDay.findById(day, LockModeType.PESSIMISTIC_WRITE);
        if (d == null) {
            throw ApiException.notFound("日历中无此日期 / no such calendar day");
        }
        record(CalendarChange.REMOVE, day, copy(d), null, reason, caller);
        d.delete();
        CalendarDay.flush();
        changed();
    }

    /**
     * The calendar's changes, newest first, one page at a time, with the count of all of them: of one day, or of
     * every day when {@code day} is null.
     */
    @Transactional
    public CatalogService.Page<CalendarChange> changes(LocalDate day, int page, int size) {
        Paging.requireReachable(page, size);
        PanacheQuery<CalendarChange> query = day == null ? CalendarChange.findAll(Sort.descending("id"))
                : CalendarChange.find("day = ?1", Sort.descending("id"), day);
        return new CatalogService.Page<>(query.page(page, size).list(), query.count());
    }

    /** Why the initial calendar's days are there: the notices the service ships. */
    static final String SEED_REASON = "随服务发布的初始日历（国务院办公厅节假日安排通知） / the initial calendar shipped with the "
            + "service (the State Council's holiday notices)";

    private static Optional<FieldError> reasonError(String reason) {
        if (!PrintableText.hasVisibleText(reason)) {
            return Optional.of(new FieldError("reason", PrintableText.missingMessage(reason,
                    "修改理由必填（如所依据的国务院办公厅通知） / reason required (e.g. the State Council notice the change follows)")));
        }
        if (reason.codePointCount(0, reason.length()) > CatalogService.STEP_TEXT_MAX) {
            return Optional.of(new FieldError("reason", "修改理由至多" + CatalogService.STEP_TEXT_MAX + "字 / reason at most "
                    + CatalogService.STEP_TEXT_MAX + " characters"));
        }
        return CatalogService.textError("reason", reason);
    }

    private static CalendarDay copy(CalendarDay d) {
        CalendarDay c = new CalendarDay();
        c.day = d.day;
        c.kind = d.kind;
        c.name = d.name;
        return c;
    }

    private static void record(String action, LocalDate day, CalendarDay before, CalendarDay after, String reason,
            Caller caller) {
        CalendarChange c = new CalendarChange();
        c.day = day;
        c.action = action;
        if (before != null) {
            c.beforeKind = before.kind;
            c.beforeName = before.name;
        }
        if (after != null) {
            c.afterKind = after.kind;
            c.afterName = after.name;
        }
        c.reason = reason;
        c.actor = caller == null ? SERVICE : caller.subject();
        c.actorName = caller == null ? null : caller.name();
        c.actorRole = caller == null ? Caller.SYSTEM : caller.mainRole();
        c.requestId = caller == null ? null : RequestIds.current();
        c.changedAt = Instant.now();
        c.persist();
    }

    /** The actor recorded for what the service writes itself (the initial calendar). */
    static final String SERVICE = "catalog-service";

    /**
     * After an admin's change, in its transaction: the running deadlines are counted with the changed calendar, which
     * this replica uses once the change commits (other transactions do not count with an uncommitted calendar).
     */
    private void changed() {
        Loaded next = read();
        deadlines.recount(next.calendar());
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    publish(next);
                }
            }
        });
    }

    /** Reloads the calendar from the database (another replica or an operator changed it). */
    @Transactional
    public void refresh() {
        reload();
    }

    private void reload() {
        publish(read());
    }

    /** The calendar as this transaction sees it, with its generation (read first, see {@link #snapshot}). */
    private Loaded read() {
        long generation = generation();
        Set<LocalDate> holidays = new HashSet<>();
        Set<LocalDate> workdays = new HashSet<>();
        for (CalendarDay d : CalendarDay.<CalendarDay>listAll()) {
            ("holiday".equals(d.kind) ? holidays : workdays).add(d.day);
        }
        return new Loaded(generation, new WorkingDayCalendar(StatutoryHolidays.withFixedDates(holidays), workdays),
                StatutoryHolidays.coveredUntil(holidays));
    }

    private void publish(Loaded next) {
        loaded.accumulateAndGet(next, (current, candidate) -> current == null
                || candidate.generation() >= current.generation() ? candidate : current);
    }

    private static List<String[]> seedRows() {
        try (InputStream in = CalendarService.class.getResourceAsStream("/calendar/cn-public-holidays-2025-2026.csv")) {
            if (in == null) {
                throw new IllegalStateException("missing calendar seed");
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().skip(1)
                    .filter(l -> !l.isBlank()).map(l -> l.split(",", 3)).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
