package cn.onenet.catalog.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import cn.onenet.catalog.service.search.SearchService;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps this replica's in-memory working-day calendar and search synonyms in step with PostgreSQL. Every change of
 * {@code calendar_day} or {@code search_synonym} bumps a counter in {@code reference_data_generation} (database
 * triggers, whoever makes the change); this replica reads the counters every
 * {@code catalog.reference-data.poll-interval} and reloads what moved. The synonyms are expanded at query time, so
 * the search index itself needs no rebuild.
 */
@ApplicationScoped
public class ReferenceDataWatcher {

    private static final Logger LOG = Logger.getLogger(ReferenceDataWatcher.class);

    static final String CALENDAR = "calendar";
    static final String SYNONYMS = "synonyms";

    private final DataSource dataSource;
    private final CalendarService calendar;
    private final SearchService search;
    /** The generation of each kind this replica's copy was loaded at (absent: not yet loaded by this watcher). */
    private final Map<String, Long> loaded = new HashMap<>();

    public ReferenceDataWatcher(DataSource dataSource, CalendarService calendar, SearchService search) {
        this.dataSource = dataSource;
        this.calendar = calendar;
        this.search = search;
    }

    void onStart(@Observes @jakarta.annotation.Priority(40) StartupEvent event) {
        poll();
    }

    /** Reloads the calendar and the synonyms if their generation moved since they were last loaded here. */
    @Scheduled(every = "${catalog.reference-data.poll-interval:5s}", delayed = "${catalog.reference-data.poll-interval:5s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void poll() {
        Map<String, Long> current;
        try {
            current = generations();
        } catch (SQLException e) {
            LOG.warnf("Reference data check failed, will retry: %s", e.toString());
            return;
        }
        // the generation is read before the data: a change committed in between is loaded now and again next time
        reloadIfMoved(CALENDAR, current.get(CALENDAR), calendar::refresh);
        reloadIfMoved(SYNONYMS, current.get(SYNONYMS), search::loadSynonyms);
    }

    private void reloadIfMoved(String kind, Long generation, Runnable reload) {
        if (generation == null || generation.equals(loaded.get(kind))) {
            return;
        }
        try {
            reload.run();
            if (loaded.containsKey(kind)) {
                LOG.infof("Reloaded %s (generation %d)", kind, generation);
            }
            loaded.put(kind, generation);
        } catch (RuntimeException e) {
            LOG.warnf("Reloading %s failed, will retry: %s", kind, e.toString());
        }
    }

    private Map<String, Long> generations() throws SQLException {
        Map<String, Long> m = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT name, generation FROM reference_data_generation");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getLong(2));
            }
        }
        return m;
    }
}
