package cn.onenet.exchange.service;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import cn.onenet.exchange.client.CatalogClient;
import cn.onenet.exchange.client.CatalogClient.FeedItem;
import cn.onenet.exchange.client.CatalogClient.FeedPage;
import cn.onenet.exchange.config.ExchangeConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Gives the entries replicated before a column of the replica existed its value: while a column's cursor exists (its
 * migration creates it when the replica had read the feed before: V58 {@code catalog-feed-update-cycle} for the
 * 更新周期, V70 {@code catalog-feed-share-method} for the 共享方式), the feed is read again from it and each item's value
 * is written to the entry only where the replica holds that very version without one. Nothing else of the item is
 * applied again (no request or code move is touched), so running it twice, or beside the feed consumer, changes
 * nothing more. One consequence is drawn from a share method learnt so: grants in force on the entry for a delivery
 * method it does not cover, issued while the exchange did not know it, end as on a version changing it
 * ({@link GrantService#endForShareMethod}). Once it has read up to the replica's own cursor the cursor row is removed
 * and that column is done.
 */
@ApplicationScoped
public class ReplicaBackfill {

    private static final Logger LOG = Logger.getLogger(ReplicaBackfill.class);
    /** A column filled again from the feed: the cursor marking it due, the column, its value in an item's entry. */
    record Column(String cursor, String name, Function<Map<String, Object>, String> value) {
    }

    static final List<Column> COLUMNS = List.of(
            new Column("catalog-feed-update-cycle", "update_cycle", ReplicaBackfill::cycle),
            new Column("catalog-feed-share-method", "share_method_type", ShareMethods::type));
    /** The column holds 20 characters; a longer value is not a cycle the exchange knows. */
    static final int MAX_CYCLE_LENGTH = 20;

    private final CatalogClient client;
    private final EntityManager em;
    private final ExchangeConfig config;
    private final GrantService grants;

    public ReplicaBackfill(@RestClient CatalogClient client, EntityManager em, ExchangeConfig config,
            GrantService grants) {
        this.client = client;
        this.em = em;
        this.config = config;
        this.grants = grants;
    }

    /** The {@code updateCycle} of a feed item's entry as stored: trimmed, null when absent, blank or too long. */
    static String cycle(Map<String, Object> entry) {
        Object v = entry.get("updateCycle");
        String s = v == null ? null : v.toString().trim();
        return s == null || s.isEmpty() || s.length() > MAX_CYCLE_LENGTH ? null : s;
    }

    @Scheduled(every = "${exchange.catalog.poll-interval}", delayed = "4s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            // the catalogue is down or the read failed: the next run resumes from the stored position
            LOG.debugf("Replica backfill not done yet: %s", e.getMessage());
        }
    }

    /** Runs every column's backfill; returns the entries given a value (-1: none was due). */
    public int run() {
        int filled = -1;
        for (Column column : COLUMNS) {
            int n = run(column);
            if (n >= 0) {
                filled = Math.max(filled, 0) + n;
            }
        }
        return filled;
    }

    /** Reads the feed from the column's cursor up to the replica's; returns the entries given a value (-1: not due). */
    private int run(Column column) {
        int filled = 0;
        while (true) {
            long[] positions = QuarkusTransaction.requiringNew().call(() -> positions(column));
            if (positions == null) {
                return filled == 0 ? -1 : filled;
            }
            long after = positions[0];
            long until = positions[1];
            FeedPage page = after >= until ? null : client.feed(after, config.catalog().pageSize());
            if (page == null || page.items() == null || page.items().isEmpty()) {
                QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                        "DELETE FROM feed_cursor WHERE name = ?1").setParameter(1, column.cursor()).executeUpdate());
                LOG.infof("%s read again from the catalogue feed: %d entries", column.name(), filled);
                return filled;
            }
            filled += QuarkusTransaction.requiringNew().call(() -> apply(column, page.items()));
            long next = page.next() == null ? page.items().get(page.items().size() - 1).cursor() : page.next();
            if (next <= after) {
                next = page.items().get(page.items().size() - 1).cursor();
            }
            long moved = next;
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE feed_cursor SET position = "
                    + "GREATEST(position, ?1), updated_at = now() WHERE name = ?2").setParameter(1, moved)
                    .setParameter(2, column.cursor()).executeUpdate());
            if (moved <= after) {
                return filled;
            }
        }
    }

    /** [backfill position, replica position], or null when no backfill is due. */
    private long[] positions(Column column) {
        List<?> rows = em.createNativeQuery("SELECT b.position, coalesce((SELECT f.position FROM feed_cursor f "
                + "WHERE f.name = 'catalog-feed'), 0) FROM feed_cursor b WHERE b.name = ?1")
                .setParameter(1, column.cursor()).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Object[] r = (Object[]) rows.get(0);
        return new long[] { ((Number) r[0]).longValue(), ((Number) r[1]).longValue() };
    }

    private int apply(Column column, List<FeedItem> items) {
        int filled = 0;
        for (FeedItem item : items) {
            Map<String, Object> e = item.entry();
            String value = e == null ? null : column.value().apply(e);
            if (value == null || e.get("resourceCode") == null || "DEREGISTERED".equals(item.type())) {
                continue;
            }
            int version = e.get("version") instanceof Number n ? n.intValue() : 0;
            String code = e.get("resourceCode").toString();
            // the column's name is one of COLUMNS, never input
            int written = em.createNativeQuery("UPDATE catalog_entry SET " + column.name() + " = ?1 WHERE "
                    + "resource_code = ?2 AND entry_version = ?3 AND " + column.name() + " IS NULL")
                    .setParameter(1, value).setParameter(2, code).setParameter(3, version).executeUpdate();
            if (written > 0 && "share_method_type".equals(column.name())) {
                grants.endForShareMethod(code, version, null, value);
            }
            filled += written;
        }
        return filled;
    }
}
