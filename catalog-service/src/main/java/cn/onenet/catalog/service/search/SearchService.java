package cn.onenet.catalog.service.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.scheduler.Scheduled;

import cn.onenet.catalog.config.CatalogConfig;
import cn.onenet.catalog.service.Json;
import cn.onenet.common.problem.ApiException;

/**
 * Keeps the Lucene index in step with PostgreSQL: a full rebuild from the database, then the change feed applied in
 * cursor order (on this replica right after its own commits, and every second for changes made by other replicas).
 */
@ApplicationScoped
public class SearchService {

    private static final Logger LOG = Logger.getLogger(SearchService.class);

    private final DataSource dataSource;
    private final Json json;
    private final CatalogConfig config;
    private SearchIndex index;
    private long lastCursor;
    private volatile Map<String, String> synonyms = Map.of();
    private volatile boolean ready;

    public SearchService(DataSource dataSource, Json json, CatalogConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
    }

    void onStart(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(30) io.quarkus.runtime.StartupEvent event) {
        rebuild();
    }

    public boolean ready() {
        return ready;
    }

    /** Rebuilds the whole index from the database; returns the number of live entries indexed. */
    public synchronized int rebuild() {
        long started = System.nanoTime();
        try {
            if (index == null) {
                index = new SearchIndex(config.search().indexDir().orElse(null));
            }
            index.deleteAll();
            index.ramBuffer(256);
            int count = 0;
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                long cursor = 0;
                try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(cursor), 0) FROM feed_event");
                        ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    cursor = rs.getLong(1);
                }
                try (PreparedStatement ps = c.prepareStatement("SELECT id, resource_code, published_version, "
                        + "version_label, published FROM catalog_entry WHERE published IS NOT NULL "
                        + "AND state <> 'DEREGISTERED'")) {
                    ps.setFetchSize(2000);
                    try (ResultSet rs = ps.executeQuery(); ParallelIndexing parallel = new ParallelIndexing()) {
                        List<Object[]> batch = new ArrayList<>(REBUILD_BATCH);
                        while (rs.next()) {
                            batch.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                                    rs.getString(5)});
                            count++;
                            if (batch.size() == REBUILD_BATCH) {
                                parallel.submit(batch);
                                batch = new ArrayList<>(REBUILD_BATCH);
                            }
                        }
                        parallel.submit(batch);
                        parallel.finish();
                    }
                }
                c.commit();
                lastCursor = cursor;
            }
            index.forgetSentences();
            index.ramBuffer(64);
            loadSynonyms();
            index.merge(1); // a rebuilt index is read far more than written: one segment searches fastest
            index.commit();
            index.refresh();
            ready = true;
            LOG.infof("Search index rebuilt: %d entries in %d ms", count, (System.nanoTime() - started) / 1_000_000);
            return count;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("index rebuild failed", e);
        }
    }

    private static final int REBUILD_BATCH = 500;

    /**
     * Analysis (smartcn above all) dominates the rebuild, so rows read from the database are indexed by one worker
     * per core; the IndexWriter is thread-safe. At most two batches per worker wait in memory.
     */
    private final class ParallelIndexing implements AutoCloseable {
        private final int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        private final ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "search-rebuild");
            t.setDaemon(true);
            return t;
        });
        private final Semaphore inFlight = new Semaphore(2 * workers);
        private final List<Future<?>> pending = new ArrayList<>();

        void submit(List<Object[]> rows) throws IOException {
            if (rows.isEmpty()) {
                return;
            }
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("index rebuild interrupted", e);
            }
            pending.removeIf(f -> f.isDone() && check(f));
            pending.add(pool.submit(() -> {
                try {
                    for (Object[] row : rows) {
                        ObjectNode e = (ObjectNode) json.tree((String) row[4]);
                        e.put("resourceCode", (String) row[1]);
                        e.put("version", (Integer) row[2]);
                        e.put("versionLabel", (String) row[3]);
                        index.upsert((Long) row[0], e);
                    }
                    return null;
                } finally {
                    inFlight.release();
                }
            }));
        }

        void finish() {
            pending.forEach(this::check);
        }

        private boolean check(Future<?> f) {
            try {
                f.get();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("index rebuild interrupted", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re
                        : new IllegalStateException("index rebuild failed", e.getCause());
            }
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    /** Applies feed rows after the last one seen; safe to call any time (idempotent). */
    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void catchUp() {
        if (index == null) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT cursor, type, entry_id, entry FROM feed_event WHERE cursor > ? ORDER BY cursor LIMIT 1000")) {
            boolean changed = false;
            while (true) {
                ps.setLong(1, lastCursor);
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        n++;
                        long entryId = rs.getLong(3);
                        if ("DEREGISTERED".equals(rs.getString(2))) {
                            index.delete(entryId);
                        } else {
                            index.upsert(entryId, json.tree(rs.getString(4)));
                        }
                        lastCursor = rs.getLong(1);
                    }
                }
                changed |= n > 0;
                if (n < 1000) {
                    break;
                }
            }
            if (changed) {
                index.refresh();
            }
        } catch (SQLException | IOException e) {
            LOG.warnf("Search index catch-up failed, will retry: %s", e.toString());
        }
    }

    public synchronized void loadSynonyms() {
        Map<String, String> m = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT term, expansion FROM search_synonym ORDER BY term");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(rs.getString(1), rs.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read synonyms", e);
        }
        synonyms = Map.copyOf(m);
    }

    public SearchResult search(SearchRequest request) {
        if (index == null) {
            throw new ApiException(cn.onenet.common.problem.ProblemType.UNAVAILABLE, "检索索引尚未就绪 / search index not ready");
        }
        try {
            return index.search(request, synonyms);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("cursor", "翻页游标无效 / invalid cursor");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long lastCursor() {
        return lastCursor;
    }

    public int size() {
        try {
            return index == null ? 0 : index.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> dimensions() {
        return SearchIndex.DIMENSIONS;
    }

    JsonNode tree(String s) {
        return json.tree(s);
    }

    @PreDestroy
    synchronized void close() {
        if (index != null) {
            try {
                index.close();
            } catch (IOException e) {
                LOG.warn("closing index", e);
            }
        }
    }
}
