package cn.onenet.exchange.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.exchange.client.CatalogClient;
import cn.onenet.exchange.client.CatalogClient.FeedItem;
import cn.onenet.exchange.client.CatalogClient.FeedPage;
import cn.onenet.exchange.config.ExchangeConfig;
import cn.onenet.exchange.model.CatalogEntry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Follows catalog-service's change feed and keeps the exchange's own copy of each entry. The cursor lives in the
 * database, so a restart resumes where it stopped; when the catalogue is down the replica keeps serving. A page is
 * applied in one transaction under a lock, skipping items at or before the stored cursor, so replicas polling at the
 * same time apply each item once. An item that carries {@code previousResourceCode} (a reclassification) first moves
 * the resource to its new code ({@link ResourceCodeMoves}). The first DEREGISTERED item of an entry fires
 * {@link EntryDeregistered} in the page's transaction: its grants end and its pending requests are refused with it, those
 * awaiting their head withdrawn (R15).
 * A version that makes an entry 不予共享 ends its grants in the same way (R1; its waiting requests can then only be
 * refused). Any other new version of an entry the replica held narrows the grants on it to the items it still lists
 * and keeps masked what it masks ({@link GrantService#followEntry}, R12, R20), and ends those granted for a purpose
 * the version no longer permits ({@link GrantService#endForDroppedPurposes}, 条例 Art. 15 ¶1).
 * When an item changes the region of the entry, or moves a resource onto an entry, the requests and grants on it take
 * the region of their 主管部门 that follows ({@link AuthorityRegions}) in the same transaction.
 */
@ApplicationScoped
public class CatalogReplicaService {

    private static final Logger LOG = Logger.getLogger(CatalogReplicaService.class);
    private static final String CURSOR = "catalog-feed";
    /** At most one catch-up read per second, so requests naming unknown codes cannot drive the feed. */
    private static final long CATCH_UP_SPACING_NANOS = 1_000_000_000L;

    /** What applying a page did: items applied, resources moved to a new code. */
    record Applied(int items, List<ResourceCodeMoves.Moved> moves) {
    }

    /**
     * An entry the replica held as live was deregistered (注销) by the catalogue: fired once, synchronously, in the
     * transaction that applies the feed item and advances the cursor, with the entry's row locked.
     */
    public record EntryDeregistered(String resourceCode, long cursor) {
    }

    /** Versions of entries (also deregistrations) were applied; fired once they are committed, for caches. */
    public record EntriesChanged() {
    }

    private final CatalogClient client;
    private final EntityManager em;
    private final ExchangeConfig config;
    private final TimeSource time;
    private final ResourceCodeMoves moves;
    private final Event<ResourceCodeMoves.Moved> moved;
    private final Event<EntryDeregistered> deregistered;
    private final Event<EntriesChanged> entriesChanged;
    private final GrantService grants;
    /** One reader of the feed at a time in this replica: the scheduled poll, a test's poll or a catch-up. */
    private final ReentrantLock feed = new ReentrantLock();
    private volatile boolean lastPollFailed;
    /** Read and written under {@link #feed}. */
    private long lastCatchUpNanos = System.nanoTime() - CATCH_UP_SPACING_NANOS;

    public CatalogReplicaService(@RestClient CatalogClient client, EntityManager em, ExchangeConfig config,
            TimeSource time, ResourceCodeMoves moves, Event<ResourceCodeMoves.Moved> moved,
            Event<EntryDeregistered> deregistered, Event<EntriesChanged> entriesChanged, GrantService grants) {
        this.client = client;
        this.em = em;
        this.config = config;
        this.time = time;
        this.moves = moves;
        this.moved = moved;
        this.deregistered = deregistered;
        this.entriesChanged = entriesChanged;
        this.grants = grants;
    }

    /**
     * Entries deregistered before the exchange ended sharing on deregistration (R15) may still hold grants in force or
     * undecided requests (also requests awaiting their head), entries made 不予共享 before it ended sharing on that (R1) grants in force: they are ended
     * now, as if their item were applied. Each entry's row is locked first (as the feed does), so replicas starting together end each
     * grant and request once. Returns how many entries it ended sharing on.
     */
    public int endSharingOfDeregisteredEntries() {
        List<String> codes = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select e.resourceCode from CatalogEntry e where (e.deregistered = true or e.shareAttribute = "
                        + "'NOT_SHARED') and (exists (select 1 from "
                        + "ShareGrant g where g.resourceCode = e.resourceCode and g.status in ('ACTIVE', 'SUSPENDED')) "
                        + "or (e.deregistered = true and exists (select 1 from ShareRequest r where r.resourceCode = "
                        + "e.resourceCode and r.status in ('PENDING', '" + RequestService.ANSWER_AWAITING_HEAD
                        + "', 'SUPPLEMENT_REQUESTED', '" + RequestService.AWAITING_HEAD_APPROVAL + "'))))", String.class)
                .getResultList());
        for (String code : codes) {
            QuarkusTransaction.requiringNew().run(() -> {
                CatalogEntry entry = CatalogEntry.findCurrent(code);
                if (entry != null && entry.deregistered) {
                    em.lock(entry, LockModeType.PESSIMISTIC_WRITE);
                    deregistered.fire(new EntryDeregistered(code, 0));
                } else if (entry != null && notShared(entry)) {
                    em.lock(entry, LockModeType.PESSIMISTIC_WRITE);
                    grants.terminateAllOnEntry(code, notSharedReason(entry));
                }
            });
        }
        if (!codes.isEmpty()) {
            entriesChanged.fire(new EntriesChanged());
        }
        return codes.size();
    }

    /**
     * Grants limited to a region (回流) on entries whose current version had no region key before applying such a
     * version ended them (R18) are still in force, though they deliver nothing (403): they are ended now, as that
     * version's arrival does ({@link GrantService#endRegionLimitedWithoutRegionKey}). Each entry's row is locked first
     * (as the feed does) and read again under the lock, so replicas starting together end each grant once, and a
     * version applied meanwhile is the one judged. Returns how many grants it ended.
     */
    public int endRegionLimitedGrantsWithoutRegionKey() {
        List<String> codes = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select e.resourceCode from CatalogEntry e where e.deregistered = false and exists (select 1 from "
                        + "ShareGrant g where g.resourceCode = e.resourceCode and g.regionScope is not null "
                        + "and g.status in ('ACTIVE', 'SUSPENDED'))", String.class)
                .getResultList());
        int ended = 0;
        for (String code : codes) {
            ended += QuarkusTransaction.requiringNew().call(() -> {
                CatalogEntry entry = em.find(CatalogEntry.class, code, LockModeType.PESSIMISTIC_WRITE);
                return entry == null || entry.deregistered ? 0 : grants.endRegionLimitedWithoutRegionKey(entry).size();
            });
        }
        return ended;
    }

    void endSharingAtStart(@Observes StartupEvent event) {
        try {
            int ended = endSharingOfDeregisteredEntries();
            if (ended > 0) {
                LOG.infof("Ended sharing on %d entries deregistered earlier", ended);
            }
        } catch (RuntimeException e) {
            // the next start tries again; nothing is served from a deregistered entry meanwhile (410)
            LOG.warnf("Could not end sharing on entries deregistered earlier: %s", e.getMessage());
        }
        try {
            int ended = endRegionLimitedGrantsWithoutRegionKey();
            if (ended > 0) {
                LOG.infof("Ended %d region-limited grants on entries that no longer say the region", ended);
            }
        } catch (RuntimeException e) {
            // the next start tries again; such a grant delivers nothing meanwhile (403)
            LOG.warnf("Could not end region-limited grants on entries without a region key: %s", e.getMessage());
        }
    }

    @Scheduled(every = "${exchange.catalog.poll-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPoll() {
        pollOnce();
    }

    /** Reads the feed until it has nothing new; returns how many changes were applied (-1: catalogue unreachable). */
    public int pollOnce() {
        feed.lock();
        try {
            return poll();
        } finally {
            feed.unlock();
        }
    }

    /**
     * Reads the feed now, between scheduled polls, for a caller that names a code the replica does not know: an entry
     * published a moment ago is then found at once rather than up to a poll interval later. Never waits: while a poll
     * (scheduled or another caller's) is reading the feed it returns false at once, since its caller holds a
     * transaction and a database connection; reads are spaced to one a second. Returns whether changes were applied.
     * Each page commits in a transaction of its own, outside the caller's.
     */
    public boolean catchUp() {
        if (!feed.tryLock()) {
            return false;
        }
        try {
            long now = System.nanoTime();
            if (now - lastCatchUpNanos < CATCH_UP_SPACING_NANOS) {
                return false;
            }
            lastCatchUpNanos = now;
            return poll() > 0;
        } finally {
            feed.unlock();
        }
    }

    /** Under {@link #feed}. */
    private int poll() {
        int applied = 0;
        while (true) {
            long after = QuarkusTransaction.requiringNew().call(this::cursor);
            FeedPage page;
            try {
                page = client.feed(after, config.catalog().pageSize());
            } catch (RuntimeException e) {
                if (!lastPollFailed) {
                    LOG.warnf("Catalogue feed unreachable, serving from the replica: %s", e.toString());
                }
                lastPollFailed = true;
                return -1;
            }
            lastPollFailed = false;
            if (page == null || page.items() == null || page.items().isEmpty()) {
                return applied;
            }
            Applied done = QuarkusTransaction.requiringNew().call(() -> apply(page));
            if (done.items() > 0) {
                // committed: cached entries are read again here at once (other replicas within seconds)
                entriesChanged.fire(new EntriesChanged());
            }
            // committed: this replica's caches forget the old codes at once (others re-read within seconds)
            done.moves().forEach(moved::fire);
            applied += done.items();
            if (page.next() == null || page.next() <= after) {
                return applied;
            }
        }
    }

    /**
     * The entry a caller names by code (an old code of a reclassified entry resolves to its current one); when the
     * replica does not know it, the feed is read first ({@link #catchUp()}), so an entry published since the last
     * poll is found. Null if the catalogue has no such published entry.
     */
    public CatalogEntry findCurrentOrCatchUp(String code) {
        CatalogEntry entry = CatalogEntry.findCurrent(code);
        if (entry == null) {
            catchUp();
            // also when a running poll, not this call, applied it meanwhile
            entry = CatalogEntry.findCurrent(code);
        }
        return entry;
    }

    public boolean lastPollFailed() {
        return lastPollFailed;
    }

    long cursor() {
        List<?> rows = em.createNativeQuery("SELECT position FROM feed_cursor WHERE name = ?1")
                .setParameter(1, CURSOR).getResultList();
        return rows.isEmpty() ? 0L : ((Number) rows.get(0)).longValue();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    Applied apply(FeedPage page) {
        em.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('exchange-catalog-feed'))").getSingleResult();
        long done = cursor();
        long last = done;
        int items = 0;
        List<ResourceCodeMoves.Moved> codeMoves = new ArrayList<>();
        for (FeedItem item : page.items()) {
            if (item.cursor() <= done) {
                continue; // another replica applied it meanwhile
            }
            ResourceCodeMoves.Moved m = applyItem(item);
            if (m != null) {
                codeMoves.add(m);
            }
            items++;
            last = Math.max(last, item.cursor());
        }
        long next = page.next() == null ? last : Math.max(last, page.next());
        em.createNativeQuery("INSERT INTO feed_cursor (name, position, updated_at) VALUES (?1, ?2, now()) "
                + "ON CONFLICT (name) DO UPDATE SET position = GREATEST(feed_cursor.position, EXCLUDED.position), "
                + "updated_at = now()")
                .setParameter(1, CURSOR).setParameter(2, next).executeUpdate();
        return new Applied(items, codeMoves);
    }

    private ResourceCodeMoves.Moved applyItem(FeedItem item) {
        Map<String, Object> e = item.entry();
        if (e == null || e.get("resourceCode") == null) {
            LOG.warnf("Feed item %d has no entry, skipped", item.cursor());
            return null;
        }
        String code = e.get("resourceCode").toString();
        int version = e.get("version") instanceof Number n ? n.intValue() : 0;
        Object previous = e.get("previousResourceCode");
        ResourceCodeMoves.Moved m = previous == null || "DEREGISTERED".equals(item.type()) ? null
                : moves.move(previous.toString(), code, item.cursor(), version);
        // an item of a code that has moved on since (a replay) applies to where it lives now, and is older than it
        CatalogEntry entry = CatalogEntry.findCurrent(code);
        if (entry != null) {
            code = entry.resourceCode;
        }
        String regionBefore = entry == null ? null : entry.regionCode;
        applyEntry(item, e, code, version, entry);
        // the requests and grants now on the entry follow its region (moved ones: the region of the entry they joined)
        CatalogEntry now = CatalogEntry.findById(code);
        String regionNow = now == null ? null : now.regionCode;
        if (m != null || !Objects.equals(regionBefore, regionNow)) {
            em.flush();
            AuthorityRegions.follow(code, regionNow);
        }
        return m;
    }

    /** Applies the item to the entry under {@code code} ({@code entry}, null when the replica has none yet). */
    private void applyEntry(FeedItem item, Map<String, Object> e, String code, int version, CatalogEntry entry) {
        if ("DEREGISTERED".equals(item.type())) {
            if (entry != null && !entry.deregistered) {
                // A filing reads the entry FOR SHARE (RequestService.file): it either committed before this lock, and
                // its request or grant is ended below, or it waits and then finds the entry deregistered.
                em.lock(entry, LockModeType.PESSIMISTIC_WRITE);
                entry.deregistered = true;
                entry.entryVersion = Math.max(entry.entryVersion, version);
                entry.updatedAt = time.now();
                em.flush();
                deregistered.fire(new EntryDeregistered(code, item.cursor()));
            }
            // a replayed item (the entry is already deregistered) changes nothing
            return;
        }
        if (entry != null && entry.entryVersion >= version) {
            // never go back to an older version; a replayed item changes nothing (nor revives a deregistered entry)
            return;
        }
        boolean fresh = entry == null;
        if (fresh) {
            entry = new CatalogEntry();
            entry.resourceCode = code;
        }
        // the purposes the version before permitted: grants for one this version drops end with it (below)
        List<String> previousPurposes = fresh || entry.permittedPurposes == null ? List.of()
                : Json.strings(entry.permittedPurposes);
        // and its share method: grants for a delivery method this version no longer covers end with it (below)
        String previousShareMethod = fresh ? null : entry.shareMethodType;
        entry.entryVersion = version;
        entry.name = str(e, "name");
        // as identity-service's register keeps it and tokens carry it (upper case): a catalogue that stored it
        // otherwise before its own V14 sent it so, and the provider's staff must match their entries (V69)
        entry.providerDepartmentCode = CreditCode.normalise(str(e, "providerDepartmentCode"));
        entry.providerDepartmentName = str(e, "providerDepartmentName");
        entry.regionCode = str(e, "regionCode");
        entry.shareAttribute = str(e, "shareAttribute");
        entry.shareConditions = str(e, "shareConditions");
        entry.shareScope = str(e, "shareScope");
        entry.permittedPurposes = Json.write(e.getOrDefault("permittedPurposes", List.of()) == null ? List.of()
                : e.getOrDefault("permittedPurposes", List.of()));
        entry.notSharedReason = str(e, "notSharedReason");
        entry.notSharedLegalBasis = e.get("notSharedLegalBasis") == null ? null : Json.write(e.get("notSharedLegalBasis"));
        entry.grade = str(e, "grade");
        entry.updateCycle = ReplicaBackfill.cycle(e);
        entry.shareMethodType = ShareMethods.type(e);
        entry.keyItem = str(e, "keyItem");
        entry.items = Json.write(e.get("items") == null ? List.of() : e.get("items"));
        entry.deregistered = false;
        entry.updatedAt = time.now();
        if (entry.name == null || entry.providerDepartmentCode == null || entry.shareAttribute == null) {
            LOG.warnf("Feed item %d (%s) lacks name, provider or share attribute, skipped", item.cursor(), code);
            return;
        }
        if (fresh) {
            entry.persist();
            return;
        }
        // a filing or an approval reads the entry FOR SHARE: it committed before, and what it issued is ended or
        // narrowed below, or it waits and then finds this version
        em.lock(entry, LockModeType.PESSIMISTIC_WRITE);
        em.flush();
        if (notShared(entry)) {
            // R1: its grants end as on deregistration; a request still waiting can only be refused (RequestService)
            grants.terminateAllOnEntry(code, notSharedReason(entry));
        } else {
            grants.followEntry(entry);
            grants.endForDroppedPurposes(entry, previousPurposes);
            grants.endForShareMethod(code, entry.entryVersion, previousShareMethod, entry.shareMethodType);
        }
    }

    private static boolean notShared(CatalogEntry entry) {
        return "NOT_SHARED".equals(entry.shareAttribute);
    }

    /** Why sharing ends on an entry made 不予共享: the version, the catalogue's reason and legal basis. */
    static String notSharedReason(CatalogEntry entry) {
        List<String> why = new ArrayList<>();
        if (entry.notSharedReason != null && !entry.notSharedReason.isBlank()) {
            why.add(entry.notSharedReason.trim());
        }
        Map<String, Object> basis = entry.notSharedLegalBasis == null ? null : Json.object(entry.notSharedLegalBasis);
        if (basis != null && basis.get("title") != null) {
            why.add("依据 " + basis.get("title") + (basis.get("article") == null ? "" : " " + basis.get("article")));
        }
        return "目录第 " + entry.entryVersion + " 版调整为不予共享" + (why.isEmpty() ? "" : "（" + String.join("；", why) + "）")
                + "，不再共享 / catalogue version " + entry.entryVersion + " made the entry not shared (不予共享)";
    }

    private static String str(Map<String, Object> e, String key) {
        Object v = e.get(key);
        return v == null ? null : v.toString();
    }
}
