package cn.onenet.exchange.service;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.service.StateHistory.Actor;

/**
 * Reclassification (目录重新分类): catalog-service gives a published entry a new resource code and announces the old
 * one in the feed ({@code previousResourceCode}). The exchange moves the resource to the new code in the transaction
 * that applies the feed item: the replica entry and every table that keys live state by resource code. History keeps
 * the code it was written with (the usage log and {@code state_change} are never rewritten; {@code dataset_upload},
 * the record of each upload, neither). The old code becomes an alias ({@code resource_code_alias}, with the time and
 * the feed cursor; one row per move, so a code the resource comes back to and leaves again has a row for each time it
 * was left), and each moved request, grant and objection gets a {@code MOVE_RESOURCE_CODE} row in its history.
 */
@ApplicationScoped
public class ResourceCodeMoves {

    /** A resource that answers under another code now; fired once the transaction of the move has committed. */
    public record Moved(String from, String to) {
    }

    public static final String ACTION = "MOVE_RESOURCE_CODE";

    private static final Logger LOG = Logger.getLogger(ResourceCodeMoves.class);

    /** Live state keyed by resource code, moved with the entry. */
    static final List<String> LIVE_TABLES = List.of("share_request", "share_grant", "objection", "dataset_record",
            "proxied_service", "webhook_subscription");

    private final EntityManager em;
    private final TimeSource time;
    private final GrantEvidence evidence;

    public ResourceCodeMoves(EntityManager em, TimeSource time, GrantEvidence evidence) {
        this.em = em;
        this.time = time;
        this.evidence = evidence;
    }

    /**
     * Moves the resource under {@code from} to {@code to} (the feed item's codes). The item's {@code resourceCode} is
     * where the resource lives now, also when it is a code the resource had before (A → B, then back B → A: the state
     * moves back to A, A is current again and B resolves to A; a later A → C is an ordinary move). Nothing happens
     * for a replay: a move of {@code from} is already recorded at this feed cursor or a later one, or the entry
     * {@code from} resolves to is at this version or a newer one. When the catalogue's new code has itself moved on
     * by a later item (a replay of an item that did not move then), the resource goes to where it resolves now. When
     * the new code is already a separate entry of the replica (an item applied before this rule existed, then
     * replayed), the old entry is merged into it unless both hold the same hosted record key or both a proxied
     * endpoint: then nothing moves, the refusal is logged, and a later replay of the item tries again.
     *
     * @return the move, or null if nothing moved
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Moved move(String from, String to, long feedCursor, int entryVersion) {
        if (from.equals(to) || replayed(from, feedCursor, entryVersion)) {
            return null;
        }
        String onward = CatalogEntry.count("resourceCode = ?1", to) > 0 ? null : movedLater(to, feedCursor);
        String target = onward == null ? to : onward;
        if (from.equals(target)) {
            return null;
        }
        boolean merge = CatalogEntry.count("resourceCode = ?1", target) > 0
                && CatalogEntry.count("resourceCode = ?1", from) > 0;
        if (merge) {
            String clash = clash(from, target);
            if (clash != null) {
                LOG.errorf("Feed item %d: resource code %s was reclassified as %s, which the replica already holds as "
                        + "a separate entry, and both hold %s; nothing moved, %s stays in service. Resolve the "
                        + "duplicate and replay the feed from before cursor %d.", feedCursor, from, target, clash,
                        from, feedCursor);
                return null;
            }
        }
        em.flush();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("fromResourceCode", from);
        details.put("toResourceCode", target);
        details.put("feedCursor", feedCursor);
        details.put("entryVersion", entryVersion);
        if (merge) {
            details.put("merged", true);
        }
        String reason = "目录重新分类，资源代码由 " + from + " 变更为 " + target + " / reclassified in the catalogue: "
                + "resource code " + from + " is now " + target;
        // history first, while the rows still carry the old code
        history(StateHistory.REQUEST, "share_request", "id", from, reason, details);
        history(StateHistory.GRANT, "share_grant", "request_id", from, reason, details);
        history(StateHistory.OBJECTION, "objection", "CAST(NULL AS BIGINT)", from, reason, details);
        @SuppressWarnings("unchecked")
        List<Number> grants = em.createNativeQuery("SELECT id FROM share_grant WHERE resource_code = ?1 ORDER BY id")
                .setParameter(1, from).getResultList();
        Map<String, Integer> moved = new LinkedHashMap<>();
        for (String table : LIVE_TABLES) {
            moved.put(table, em.createNativeQuery("UPDATE " + table + " SET resource_code = ?2 WHERE resource_code = ?1")
                    .setParameter(1, from).setParameter(2, target).executeUpdate());
        }
        // an upload retried under the old code with the same Idempotency-Key is still recognised
        moved.put("idempotency_record", em.createNativeQuery("UPDATE idempotency_record r SET operation = ?2 "
                + "WHERE operation = ?1 AND NOT EXISTS (SELECT 1 FROM idempotency_record o WHERE o.caller = r.caller "
                + "AND o.idem_key = r.idem_key AND o.operation = ?2)")
                .setParameter(1, "upload:" + from).setParameter(2, "upload:" + target).executeUpdate());
        moved.put("catalog_entry", merge
                ? em.createNativeQuery("DELETE FROM catalog_entry WHERE resource_code = ?1").setParameter(1, from)
                        .executeUpdate()
                : em.createNativeQuery("UPDATE catalog_entry SET resource_code = ?2 WHERE resource_code = ?1")
                        .setParameter(1, from).setParameter(2, target).executeUpdate());
        // A → B, now B → C: A resolves to C; A → B, now back B → A: A resolves to itself again
        em.createNativeQuery("UPDATE resource_code_alias SET current_code = ?2 WHERE current_code = ?1")
                .setParameter(1, from).setParameter(2, target).executeUpdate();
        em.createNativeQuery("INSERT INTO resource_code_alias (old_code, new_code, current_code, feed_cursor, "
                + "entry_version, merged, moved_rows, moved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, from).setParameter(2, to).setParameter(3, target).setParameter(4, feedCursor)
                .setParameter(5, entryVersion).setParameter(6, merge).setParameter(7, Json.write(moved))
                .setParameter(8, time.now()).executeUpdate();
        em.clear();
        // the moved grants' terms are chained under their new code (GrantEvidence): a delivery compares the row
        for (Number id : grants) {
            evidence.chain(ShareGrant.findById(id.longValue()), ACTION, Actor.SCHEDULER);
        }
        LOG.infof("Feed item %d: resource code %s moved to %s%s, rows moved %s", feedCursor, from, target,
                merge ? " (merged into the existing entry)" : "", moved);
        return new Moved(from, target);
    }

    /**
     * A replayed item: a move of {@code from} recorded at this cursor or after it, or the resource under (or behind)
     * {@code from} already at this entry version (the catalogue raises the version with each reclassification).
     */
    private boolean replayed(String from, long feedCursor, int entryVersion) {
        Number recorded = (Number) em.createNativeQuery("SELECT count(*) FROM resource_code_alias WHERE old_code = ?1 "
                + "AND feed_cursor >= ?2").setParameter(1, from).setParameter(2, feedCursor).getSingleResult();
        if (recorded.longValue() > 0) {
            return true;
        }
        CatalogEntry current = CatalogEntry.findCurrent(from);
        return current != null && current.entryVersion >= entryVersion;
    }

    /** Where {@code code} resolves now if a move of it was recorded after this feed cursor, else null. */
    private String movedLater(String code, long feedCursor) {
        List<?> rows = em.createNativeQuery("SELECT current_code FROM resource_code_alias WHERE old_code = ?1 "
                + "AND feed_cursor > ?2 ORDER BY feed_cursor DESC LIMIT 1").setParameter(1, code)
                .setParameter(2, feedCursor).getResultList();
        return rows.isEmpty() ? null : rows.get(0).toString();
    }

    /** What both codes hold that cannot be merged (the same hosted record key, a proxied endpoint each), or null. */
    private String clash(String from, String to) {
        Number keys = (Number) em.createNativeQuery("SELECT count(*) FROM dataset_record o JOIN dataset_record n "
                + "ON n.resource_code = ?2 AND n.record_key = o.record_key WHERE o.resource_code = ?1")
                .setParameter(1, from).setParameter(2, to).getSingleResult();
        if (keys.longValue() > 0) {
            return keys + " hosted record key(s)";
        }
        Number proxies = (Number) em.createNativeQuery("SELECT count(*) FROM proxied_service WHERE resource_code "
                + "IN (?1, ?2)").setParameter(1, from).setParameter(2, to).getSingleResult();
        return proxies.intValue() == 2 ? "a proxied endpoint each" : null;
    }

    /** One history row per object on the old code: same status, made by the exchange (the feed follower). */
    private void history(String type, String table, String shareRequestId, String from, String reason,
            Map<String, Object> details) {
        em.createNativeQuery("INSERT INTO state_change (object_type, object_id, share_request_id, action, "
                + "from_status, to_status, actor_subject, actor_role, automatic, decision, reason, details, changed_at) "
                + "SELECT ?1, id, " + shareRequestId + ", ?2, status, status, ?3, ?4, TRUE, FALSE, ?5, ?6, ?7 FROM "
                + table + " WHERE resource_code = ?8 ORDER BY id")
                .setParameter(1, type).setParameter(2, ACTION).setParameter(3, Actor.SCHEDULER.subject())
                .setParameter(4, Actor.SCHEDULER.role()).setParameter(5, reason).setParameter(6, Json.write(details))
                .setParameter(7, time.now()).setParameter(8, from).executeUpdate();
    }
}
