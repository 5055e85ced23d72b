package cn.onenet.exchange.service;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.workdays.WorkingDayCalendar;

/**
 * The admin-editable working-day calendar (法定节假日 and 调休上班日), seeded from the State Council notice in
 * {@code calendar/cn-public-holidays.csv} when the table is empty. Same semantics as the catalogue's.
 */
@ApplicationScoped
public class CalendarService {

    public record Day(LocalDate day, String kind, String name) {
    }

    private final EntityManager em;
    private volatile WorkingDayCalendar calendar;

    public CalendarService(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public void seedIfEmpty() {
        Number count = (Number) em.createNativeQuery("SELECT count(*) FROM calendar_day").getSingleResult();
        if (count.longValue() == 0) {
            for (Day d : readSeed()) {
                upsert(d);
            }
        }
        calendar = null;
    }

    public WorkingDayCalendar calendar() {
        WorkingDayCalendar c = calendar;
        if (c == null) {
            c = load();
            calendar = c;
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    public List<Day> list() {
        List<Object[]> rows = em.createNativeQuery("SELECT day, kind, name FROM calendar_day ORDER BY day")
                .getResultList();
        return rows.stream().map(r -> new Day(toDate(r[0]), (String) r[1], (String) r[2])).toList();
    }

    @Transactional
    public Day put(Day day) {
        if (day.day() == null) {
            throw ApiException.field("day", "日期必填 / day is required");
        }
        if (!"holiday".equals(day.kind()) && !"workday".equals(day.kind())) {
            throw ApiException.field("kind", "kind 只能是 holiday 或 workday / kind must be holiday or workday");
        }
        upsert(day);
        calendar = null;
        return day;
    }

    @Transactional
    public void delete(LocalDate day) {
        int n = em.createNativeQuery("DELETE FROM calendar_day WHERE day = ?1").setParameter(1, day).executeUpdate();
        if (n == 0) {
            throw ApiException.notFound("日历中没有该日期 / no calendar entry for " + day);
        }
        calendar = null;
    }

    private void upsert(Day d) {
        em.createNativeQuery("INSERT INTO calendar_day (day, kind, name) VALUES (?1, ?2, ?3) "
                + "ON CONFLICT (day) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name")
                .setParameter(1, d.day()).setParameter(2, d.kind()).setParameter(3, d.name()).executeUpdate();
    }

    private WorkingDayCalendar load() {
        Set<LocalDate> holidays = new HashSet<>();
        Set<LocalDate> workdays = new HashSet<>();
        for (Day d : list()) {
            ("holiday".equals(d.kind()) ? holidays : workdays).add(d.day());
        }
        return new WorkingDayCalendar(holidays, workdays);
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
