package cn.onenet.catalog.service.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
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

    /**
     * Bumped whenever the documents, the fields or their analysis change (5: traditional characters folded to
     * simplified): an index kept on disk by an older release is then rebuilt instead of resumed.
     */
    static final String FORMAT = "5";
    static final String FORMAT_KEY = "onenet.format";
    static final String CURSOR_KEY = "onenet.feed-cursor";
    static final String EVENT_KEY = "onenet.feed-event";
    /** Commits of the index on disk while following the feed: at most this often (a commit syncs files). */
    private static final long COMMIT_EVERY_NANOS = 10_000_000_000L;

    /** How the index came to be at startup. */
    public enum Start { RESUMED, REBUILT }

    /** What an operator needs to know about the index. */
    public record Status(boolean ready, @Schema(example = "disk") String storage, Start start,
            @Schema(example = "1250") long startMillis, @Schema(example = "41") int entries,
            @Schema(example = "42") long feedCursor, @Schema(example = "42") Long committedFeedCursor) {
    }

    private final DataSource dataSource;
    private final Json json;
    private final CatalogConfig config;
    private SearchIndex index;
    private long lastCursor;
    /** What identifies the feed event at {@link #lastCursor} (its entry, type and time), as it was applied. */
    private String lastEvent = "none";
    private volatile Map<String, String> synonyms = Map.of();
    private volatile boolean ready;
    /** The feed cursor recorded in the index's last commit on disk (-1: none yet). */
    private long committedCursor = -1;
    private long lastCommitNanos;
    private Start lastStart;
    private long lastStartMillis;

    public SearchService(DataSource dataSource, Json json, CatalogConfig config) {
        this.dataSource = dataSource;
        this.json = json;
        this.config = config;
    }

    void onStart(@jakarta.enterprise.event.Observes @jakarta.annotation.Priority(30) io.quarkus.runtime.StartupEvent event) {
        start();
    }

    /**
     * Resumes the index kept on disk when it can be trusted (same format, and the feed event it last applied is still
     * in the database unchanged), applying the changes made since; rebuilds it otherwise. An in-memory index is
     * always rebuilt.
     */
    synchronized Start start() {
        long started = System.nanoTime();
        String reason = resume();
        if (reason == null) {
            lastStart = Start.RESUMED;
        } else {
            if (config.search().indexDir().isPresent()) {
                LOG.infof("Search index on disk not resumed (%s): rebuilding", reason);
            }
            rebuild();
            lastStart = Start.REBUILT;
        }
        lastStartMillis = (System.nanoTime() - started) / 1_000_000;
        return lastStart;
    }

    public synchronized Status status() {
        boolean onDisk = config.search().indexDir().isPresent();
        return new Status(ready, onDisk ? "disk" : "memory", lastStart, lastStartMillis, size(), lastCursor,
                onDisk && committedCursor >= 0 ? committedCursor : null);
    }

    /**
     * Stops and starts the index as a restart of the service would (tests); {@code crash}: without the orderly
     * shutdown's commit, losing what was indexed since the last one.
     */
    synchronized Start restart(boolean crash) throws IOException {
        if (crash && index != null) {
            index.abandon();
            index = null;
            ready = false;
        }
        close();
        return start();
    }

    /** Null when the index on disk was resumed, otherwise why not. */
    private String resume() {
        Optional<String> dir = config.search().indexDir();
        if (dir.isEmpty()) {
            return "in memory";
        }
        long started = System.nanoTime();
        try {
            index = new SearchIndex(dir.get(), true);
            Map<String, String> data = index.commitData();
            if (!FORMAT.equals(data.get(FORMAT_KEY))) {
                return data.isEmpty() ? "no index" : "index format " + data.get(FORMAT_KEY) + ", expected " + FORMAT;
            }
            long cursor = Long.parseLong(data.get(CURSOR_KEY));
            if (!Objects.equals(feedEvent(cursor), data.get(EVENT_KEY))) {
                return "its last feed event " + cursor + " is not in the database as it was (database restored?)";
            }
            lastCursor = cursor;
            lastEvent = data.get(EVENT_KEY);
            loadSynonyms();
            index.refresh();
            catchUp();
            int live = liveEntries();
            int indexed = index.size();
            if (live != indexed) {
                return indexed + " entries indexed, " + live + " live in the database";
            }
            commitPosition();
            ready = true;
            LOG.infof("Search index resumed from disk: %d entries, feed cursor %d -> %d, in %d ms", indexed, cursor,
                    lastCursor, (System.nanoTime() - started) / 1_000_000);
            return null;
        } catch (IOException | RuntimeException e) {
            return e.toString();
        }
    }

    /** What identifies the feed event at a cursor: its entry, type and time (null if there is none). */
    private String feedEvent(long cursor) {
        if (cursor == 0) {
            return "none";
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT entry_id, type, occurred_at FROM feed_event WHERE cursor = ?")) {
            ps.setLong(1, cursor);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? fingerprint(rs.getLong(1), rs.getString(2), rs.getTimestamp(3)) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the feed", e);
        }
    }

    private static String fingerprint(long entryId, String type, Timestamp at) {
        return entryId + "|" + type + "|" + at.toInstant();
    }

    private int liveEntries() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM catalog_entry "
                        + "WHERE published IS NOT NULL AND state <> 'DEREGISTERED'");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count entries", e);
        }
    }

    /** Commits the index with how far the feed has been applied, so a restart resumes from there. */
    private void commitPosition() throws IOException {
        // the event as it was applied, not as the database reads now: an index must not adopt a restored database
        index.commit(Map.of(FORMAT_KEY, FORMAT, CURSOR_KEY, Long.toString(lastCursor), EVENT_KEY, lastEvent));
        committedCursor = lastCursor;
        lastCommitNanos = System.nanoTime();
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
                String event = "none";
                try (PreparedStatement ps = c.prepareStatement("SELECT cursor, entry_id, type, occurred_at "
                        + "FROM feed_event ORDER BY cursor DESC LIMIT 1");
                        ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        cursor = rs.getLong(1);
                        event = fingerprint(rs.getLong(2), rs.getString(3), rs.getTimestamp(4));
                    }
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
                lastEvent = event;
            }
            index.forgetSentences();
            index.ramBuffer(64);
            loadSynonyms();
            index.merge(1); // a rebuilt index is read far more than written: one segment searches fastest
            commitPosition();
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
                        "SELECT cursor, type, entry_id, entry, occurred_at FROM feed_event WHERE cursor > ? "
                                + "ORDER BY cursor LIMIT 1000")) {
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
                        lastEvent = fingerprint(entryId, rs.getString(2), rs.getTimestamp(5));
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
            if (config.search().indexDir().isPresent() && ready
                    && System.nanoTime() - lastCommitNanos >= COMMIT_EVERY_NANOS
                    && lastCursor != committedCursor) {
                commitPosition();
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
                if (ready && config.search().indexDir().isPresent()) {
                    commitPosition();
                }
                index.close();
            } catch (IOException e) {
                LOG.warn("closing index", e);
            }
            index = null;
            ready = false;
            committedCursor = -1;
        }
    }
}
