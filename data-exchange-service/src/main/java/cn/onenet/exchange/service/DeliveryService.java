package cn.onenet.exchange.service;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.service.GrantService.GrantView;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Keyed lookup and filtered query: grant check, quota, minimisation to the granted items, masking by grade, the
 * durable usage-log entry (before anything leaves) and the provider's seal over the exact response bytes.
 */
@ApplicationScoped
public class DeliveryService {

    /**
     * What the catalogue says about an entry, for the hot path: {@code items} the data items its current version lists,
     * {@code notShared} whether it is 不予共享 now, {@code shareMethodType} its 共享方式 type (null: none known),
     * {@code keyIdentifier} the key item's name when it is 公民身份号码 or 统一社会信用代码 (null otherwise).
     */
    public record EntryView(String resourceCode, String name, String provider, String keyItem, String grade,
            Set<String> sensitive, boolean deregistered, String regionCode, Regions.RegionKey regionKey,
            Set<String> items, boolean notShared, String shareMethodType, String keyIdentifier) {

        /** An entry whose key, if any, is kept as given (not an identifier kept in one spelling). */
        public EntryView(String resourceCode, String name, String provider, String keyItem, String grade,
                Set<String> sensitive, boolean deregistered, String regionCode, Regions.RegionKey regionKey,
                Set<String> items, boolean notShared, String shareMethodType) {
            this(resourceCode, name, provider, keyItem, grade, sensitive, deregistered, regionCode, regionKey, items,
                    notShared, shareMethodType, null);
        }

        /** Whether keys are identifiers kept in one spelling ({@link IdentifierKeys#normalise}). */
        public boolean foldsKey() {
            return keyIdentifier != null;
        }

        /** An entry whose share method is not known, restricting no delivery method. */
        public EntryView(String resourceCode, String name, String provider, String keyItem, String grade,
                Set<String> sensitive, boolean deregistered, String regionCode, Regions.RegionKey regionKey,
                Set<String> items, boolean notShared) {
            this(resourceCode, name, provider, keyItem, grade, sensitive, deregistered, regionCode, regionKey, items,
                    notShared, null);
        }
    }

    /** A sealed answer: body bytes and the detached JWS over them, and the code the resource carries now. */
    public record Sealed(byte[] body, String seal, long logSeq, String resourceCode) {
    }

    /**
     * What a call does with a grant, and the delivery methods (共享方式, the {@code deliveryMethod} asked for at filing
     * and copied onto the grant) that allow it. No method includes another: a grant for API lookups exports nothing
     * and subscribes to nothing, an export grant answers no lookups.
     */
    public enum Use {
        /** Keyed lookups and filtered queries: 接口查询 (API). */
        LOOKUP(Set.of("API")),
        /** Bulk export of the dataset as a file: 批量导出 (BULK) or 文件 (FILE), both a file of the granted records. */
        EXPORT(Set.of("BULK", "FILE")),
        /** The pull change feed and webhooks (a webhook's replay from a cursor too): 订阅 (SUBSCRIPTION). */
        SUBSCRIPTION(Set.of("SUBSCRIPTION"));

        private final Set<String> methods;

        Use(Set<String> methods) {
            this.methods = methods;
        }

        public boolean allowedBy(String deliveryMethod) {
            return methods.contains(deliveryMethod);
        }
    }

    /** A lawful covert query: hidden from the citizens' view until a date, on a stated legal basis. */
    public record Covert(LocalDate until, String legalBasis) {
    }

    private final GrantService grants;
    private final QuotaService quota;
    private final DatasetService datasets;
    private final ProxyService proxies;
    private final UsageLogWriter log;
    private final SealService seals;
    private final SubjectHasher subjects;
    private final TimeSource time;
    private final CovertUses covertUses;
    /** Catalogue facts change rarely (the replica follows the feed); re-read every few seconds. */
    private final ReloadingCache<String, EntryView> entries = new ReloadingCache<>(java.time.Duration.ofSeconds(5));

    public DeliveryService(GrantService grants, QuotaService quota, DatasetService datasets, ProxyService proxies,
            UsageLogWriter log, SealService seals, SubjectHasher subjects, TimeSource time,
            CovertUses covertUses) {
        this.covertUses = covertUses;
        this.grants = grants;
        this.quota = quota;
        this.datasets = datasets;
        this.proxies = proxies;
        this.log = log;
        this.seals = seals;
        this.subjects = subjects;
        this.time = time;
    }

    public Sealed lookup(Caller caller, String resourceCode, String rawKey, Long grantId, Covert covert, String reason,
            String requestId) {
        // keys are stored stripped: white space around one (an ideographic space U+3000 pasted from a form, too) is
        // not part of it, and the subject it names is the one the log hashes
        String key = rawKey == null ? "" : rawKey.strip();
        if (key.isEmpty()) {
            throw ApiException.field("key", "主键不能为空 / the key must not be blank");
        }
        String consumer = caller.departmentOrFail();
        EntryView entry = entry(resourceCode);
        GrantView grant = usableGrant(consumer, entry, grantId, covert, Use.LOOKUP);
        if (entry.keyItem() == null) {
            // keyItem is optional in the catalogue; without it there is no key to look up by (nothing called or logged)
            throw ApiException.conflict("该目录未指定主键数据项，不能按主键查询 / the catalogue entry has no key item: "
                    + "keyed lookups are not possible");
        }
        if (entry.foldsKey()) {
            // stored in one spelling: full-width digits, a zero-width space pasted along, a check character typed x;
            // checked once the grant is (a deregistered entry is 410 whatever the key), before the quota or the log
            key = IdentifierKeys.require(entry.keyIdentifier(), key, "key");
        }
        quota.consume(grant);

        Map<String, Object> record;
        ProxyService.Endpoint endpoint = proxies.endpoint(entry.resourceCode());
        if (endpoint != null) {
            record = proxies.fetch(endpoint, entry.resourceCode(), key, grant, caller, requestId);
        } else {
            record = datasets.find(entry.resourceCode(), key);
        }
        // 回流 grants see only their region's subjects; others' records look exactly like missing ones
        boolean outOfRegion = record != null && !inRegion(grant, entry, key, record);
        boolean found = record != null && !outOfRegion;
        // what leaves is prepared before the entry is logged: a failure here leaves no DELIVERED entry behind
        List<String> masked = new ArrayList<>();
        Map<String, Object> delivered = found ? minimise(record, grant, entry, masked) : null;
        String maskedKey = mask(key, masksKey(grant, entry));
        List<String> items = deliveredItems(grant, entry);
        List<String> subjectHashes = subjects.subjectsOf(key, granted(record, grant, entry));
        LogEntry entryLogged = log.append(draft(caller, grant, entry, items, subjectHashes, "LOOKUP",
                record == null ? "NOT_FOUND" : outOfRegion ? "OUT_OF_REGION" : "DELIVERED", covert, reason,
                requestId));
        if (!found) {
            throw ApiException.notFound("没有该主键的记录 / no record with this key");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resourceCode", entry.resourceCode());
        body.put("key", maskedKey);
        body.put("grantId", grant.id());
        body.put("purpose", grant.purpose());
        if (reason != null) {
            body.put("reason", reason);
        }
        body.put("requestId", requestId);
        body.put("usageLogSeq", entryLogged.seq());
        body.put("deliveredAt", entryLogged.loggedAt().toString());
        body.put("record", delivered);
        body.put("maskedItems", masked);
        return seal(entry, body, entryLogged.seq());
    }

    /**
     * Whether a query with these filters names one data subject: it filters on the entry's key item, or on a value
     * that is a 公民身份号码 or 统一社会信用代码 (a keyed lookup in all but the URL, held to the same reason rule).
     */
    public boolean namesSubject(String resourceCode, Map<String, String> filters) {
        EntryView entry = entry(resourceCode);
        return (entry.keyItem() != null && filters.containsKey(entry.keyItem()))
                || !subjects.identifiers(filters.values()).isEmpty();
    }

    public Sealed query(Caller caller, String resourceCode, Map<String, String> filters, int page, int size,
            Long grantId, String reason, String requestId) {
        String consumer = caller.departmentOrFail();
        EntryView entry = entry(resourceCode);
        GrantView grant = usableGrant(consumer, entry, grantId, null, Use.LOOKUP);
        if (entry.foldsKey() && filters.get(entry.keyItem()) != null) {
            // the key item's values are stored in one spelling (full-width digits, an ID number's x, a credit code)
            filters = new LinkedHashMap<>(filters);
            // (one that is no valid identifier: 400 before anything is counted or logged)
            filters.put(entry.keyItem(),
                    IdentifierKeys.require(entry.keyIdentifier(), filters.get(entry.keyItem()), entry.keyItem()));
        }
        for (String item : filters.keySet()) {
            if (!delivers(grant, entry, item)) {
                throw ApiException.field(item, "只能按已授权数据项筛选 / filters must use granted items");
            }
            if (masksFilter(grant, entry, item)) {
                // matching on the stored value would tell the hidden characters one guess at a time
                throw ApiException.field(item, "该数据项按授权脱敏交付，不能作为筛选条件 / the grant delivers this item "
                        + "masked: it cannot be a filter");
            }
        }
        if (proxies.endpoint(entry.resourceCode()) != null) {
            throw ApiException.field("resourceCode", "代理服务只支持按主键查询 / proxied services answer keyed lookups only");
        }
        quota.consume(grant);
        List<Map<String, Object>> rows = datasets.query(entry.resourceCode(), filters, regionFilter(grant, entry),
                masksKey(grant, entry), page, size);
        // the numbers asked for first: a query by a citizen's number that found nothing processed it all the same
        List<String> subjectHashes = new ArrayList<>(subjects.identifiers(filters.values()));
        for (Map<String, Object> r : rows) {
            Object k = r.get(entry.keyItem());
            subjectHashes.addAll(subjects.subjectsOf(k == null ? null : k.toString(), granted(r, grant, entry)));
        }
        List<Object> out = new ArrayList<>();
        List<String> masked = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            out.add(minimise(r, grant, entry, masked));
        }
        List<String> items = deliveredItems(grant, entry);
        LogEntry logged = log.append(draft(caller, grant, entry, items,
                subjectHashes.stream().distinct().toList(), "QUERY", rows.isEmpty() ? "EMPTY" : "DELIVERED", null,
                reason, requestId));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resourceCode", entry.resourceCode());
        body.put("grantId", grant.id());
        body.put("purpose", grant.purpose());
        if (reason != null) {
            body.put("reason", reason);
        }
        body.put("requestId", requestId);
        body.put("usageLogSeq", logged.seq());
        body.put("page", page);
        body.put("size", size);
        body.put("records", out);
        body.put("maskedItems", masked.stream().distinct().toList());
        return seal(entry, body, logged.seq());
    }

    /** Subscription (pull): the grant's resource's changes after a cursor, minimised and masked, logged, sealed. */
    public Sealed changes(Caller caller, long grantId, long after, int limit, String requestId) {
        String consumer = caller.departmentOrFail();
        GrantView named = grants.forDelivery(consumer, null, grantId);
        if (named == null || !named.consumer().equals(consumer)) {
            throw ApiException.notFound("没有该授权 / no grant " + grantId);
        }
        EntryView entry = entry(named.resourceCode());
        GrantView grant = usableGrant(consumer, entry, grantId, null, Use.SUBSCRIPTION);
        quota.consume(grant);
        List<DatasetService.Change> all = datasets.changes(entry.resourceCode(), Math.max(0, after), limit);
        List<DatasetService.Change> changes = all.stream()
                .filter(ch -> inRegion(grant, entry, ch.key(), ch.data())).toList();
        List<String> subjectHashes = new ArrayList<>();
        for (DatasetService.Change ch : changes) {
            subjectHashes.addAll(subjects.subjectsOf(ch.key(), granted(ch.data(), grant, entry)));
        }
        List<Object> out = new ArrayList<>();
        List<String> masked = new ArrayList<>();
        for (DatasetService.Change ch : changes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cursor", ch.seq());
            m.put("deleted", ch.deleted());
            m.put("record", ch.deleted() ? null : minimise(ch.data(), grant, entry, masked));
            out.add(m);
        }
        List<String> items = deliveredItems(grant, entry);
        LogEntry logged = log.append(draft(caller, grant, entry, items, subjectHashes.stream().distinct().toList(),
                "FEED", changes.isEmpty() ? "EMPTY" : "DELIVERED", null, requestId));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("resourceCode", entry.resourceCode());
        body.put("grantId", grant.id());
        body.put("requestId", requestId);
        body.put("usageLogSeq", logged.seq());
        body.put("changes", out);
        body.put("next", all.isEmpty() ? Math.max(0, after) : all.get(all.size() - 1).seq());
        body.put("maskedItems", masked.stream().distinct().toList());
        return seal(entry, body, logged.seq());
    }

    /** What a webhook delivery carries besides the record: who it is for and which attempt it is. */
    public record WebhookEvent(long subscriptionId, String eventId, String deliveryId, long timestamp, long changeSeq,
            String key, boolean deleted, Map<String, Object> data) {
    }

    /**
     * One webhook delivery: minimised and masked exactly like API delivery, its usage-log entry committed before it
     * is returned, sealed by the provider with the delivery id, event id and time in the protected header (so a
     * receiver can reject replays).
     */
    public Sealed webhook(GrantView grant, EntryView entry, WebhookEvent ev) {
        List<String> items = deliveredItems(grant, entry);
        LogEntry logged = log.append(new LogEntry.Draft(ev.deliveryId(), "webhook", null, grant.consumer(), grant.id(),
                grant.purpose(), grant.legalBasis(), entry.resourceCode(), entry.provider(), items,
                subjects.subjectsOf(ev.key(), granted(ev.data(), grant, entry)), WebhookDispatcher.OPERATION,
                "DELIVERED", null, null).under(grant.termsSeq()));
        List<String> masked = new ArrayList<>();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("eventId", ev.eventId());
        body.put("deliveryId", ev.deliveryId());
        body.put("timestamp", ev.timestamp());
        body.put("subscriptionId", ev.subscriptionId());
        body.put("resourceCode", entry.resourceCode());
        body.put("grantId", grant.id());
        body.put("purpose", grant.purpose());
        body.put("cursor", ev.changeSeq());
        if (entry.keyItem() != null && delivers(grant, entry, entry.keyItem())) {
            // the key is a value of the key item: it goes out only under a grant that delivers that item (as a record
            // of the pull feed carries it), masked as the item is
            body.put("key", mask(ev.key(), masksKey(grant, entry)));
        }
        body.put("deleted", ev.deleted());
        body.put("record", ev.deleted() ? null : minimise(ev.data(), grant, entry, masked));
        body.put("maskedItems", masked);
        body.put("usageLogSeq", logged.seq());
        byte[] bytes = Json.write(body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("delivery", ev.deliveryId());
        header.put("event", ev.eventId());
        header.put("iat", ev.timestamp());
        return new Sealed(bytes, seals.seal(entry.provider(), bytes, header), logged.seq(), entry.resourceCode());
    }

    /**
     * A webhook delivery already logged that does not count as one more delivery: an entry with {@code outcome}
     * ({@link #NOT_SENT}, {@link #NOT_ACCEPTED} or {@link #REPEATED}) under the delivery's request id (the delivery
     * id), no subjects. The citizens' view leaves out a delivery such an entry follows ({@link UsageLogService}).
     */
    public void webhookFollowUp(GrantView grant, EntryView entry, String deliveryId, String outcome) {
        if (!WEBHOOK_FOLLOW_UPS.contains(outcome)) {
            throw new IllegalArgumentException("not a webhook follow-up: " + outcome);
        }
        log.append(new LogEntry.Draft(deliveryId, "webhook", null, grant.consumer(), grant.id(), grant.purpose(),
                grant.legalBasis(), entry.resourceCode(), entry.provider(), deliveredItems(grant, entry), List.of(),
                WebhookDispatcher.OPERATION, outcome, null, null));
    }

    /** The request never left (connection refused or unreachable, not made in time, TLS handshake failed). */
    public static final String NOT_SENT = "NOT_SENT";
    /** The receiver answered, and not with 2xx: it did not take the record (retried or given up). */
    public static final String NOT_ACCEPTED = "NOT_ACCEPTED";
    /**
     * The request left again for an event an earlier attempt of which already stands as its delivery (that attempt
     * timed out or broke off after sending: the receiver may have the record): one event, one access shown.
     */
    public static final String REPEATED = "REPEATED";
    /** Outcomes of the entries that follow a webhook delivery's entry and take it out of the citizens' view. */
    public static final List<String> WEBHOOK_FOLLOW_UPS = List.of(NOT_SENT, NOT_ACCEPTED, REPEATED);

    /**
     * The hosted dataset (bulk export) in key order, or in change order when the grant masks the key
     * ({@link DatasetService#orderBy}), limited to a 回流 grant's region, one record at a time through a database
     * cursor of {@code fetchSize} rows; returns the number of records.
     */
    long scanDataset(GrantView grant, EntryView entry, int fetchSize, DatasetService.RecordSink sink)
            throws java.io.IOException {
        return datasets.scan(entry.resourceCode(), regionFilter(grant, entry), masksKey(grant, entry), fetchSize, sink);
    }

    /**
     * Whether a record may go to this grant: always, unless the grant is limited to a region (回流); then only a
     * record of that region, and none at all when the entry's current version no longer says where its records
     * belong (fail closed: a region-limited grant never delivers unfiltered).
     */
    static boolean inRegion(GrantView grant, EntryView entry, String key, Map<String, Object> record) {
        if (grant.regionScope() == null) {
            return true;
        }
        if (entry.regionKey() == null) {
            return false;
        }
        return Regions.inScope(grant.regionScope(), Regions.regionOf(entry.regionKey(), key, record));
    }

    /** The dataset filter for a region-limited grant (null for others); 403 when the entry has no region key. */
    private static DatasetService.RegionFilter regionFilter(GrantView grant, EntryView entry) {
        if (grant.regionScope() == null) {
            return null;
        }
        requireRegionKey(grant, entry);
        return new DatasetService.RegionFilter(entry.regionKey(), grant.regionScope());
    }

    /**
     * A grant limited to a region (回流) delivers only while the entry's current version says where its records
     * belong (a 行政区划代码 item, or a key item that carries the region): a version without one makes it deliver
     * nothing (403, nothing logged), and the grant is ended when that version is applied
     * ({@link GrantService#followEntry}).
     */
    static void requireRegionKey(GrantView grant, EntryView entry) {
        if (grant.regionScope() != null && entry.regionKey() == null) {
            String detail = "目录现行版本已无行政区划数据项，限于本地区的回流授权 #" + grant.id() + " 不能再交付任何数据 / the "
                    + "catalogue entry " + entry.resourceCode() + " no longer says which region its records belong to: "
                    + "grant #" + grant.id() + ", limited to region " + grant.regionScope() + ", delivers nothing";
            throw new ApiException(ProblemType.FORBIDDEN, detail, List.of(new FieldError("grantId", detail)),
                    Map.of("grantId", grant.id(), "resourceCode", entry.resourceCode(), "regionScope",
                            grant.regionScope()),
                    Map.of());
        }
    }

    private Sealed seal(EntryView entry, Map<String, Object> body, long seq) {
        byte[] bytes = Json.bytes(body);
        return new Sealed(bytes, seals.seal(entry.provider(), bytes), seq, entry.resourceCode());
    }

    private LogEntry.Draft draft(Caller caller, GrantView grant, EntryView entry, List<String> items,
            List<String> subjectHashes, String operation, String outcome, Covert covert, String requestId) {
        return draft(caller, grant, entry, items, subjectHashes, operation, outcome, covert, null, requestId);
    }

    private LogEntry.Draft draft(Caller caller, GrantView grant, EntryView entry, List<String> items,
            List<String> subjectHashes, String operation, String outcome, Covert covert, String reason,
            String requestId) {
        return new LogEntry.Draft(requestId, caller.clientId(), caller.subject(), caller.department(), grant.id(),
                grant.purpose(), grant.legalBasis(), entry.resourceCode(), entry.provider(), items, subjectHashes,
                operation, outcome, covert == null ? null : covert.until(),
                covert == null ? null : covert.legalBasis(), reason, grant.termsSeq());
    }

    /**
     * The grant a call of this kind may use: on an entry still registered (410 otherwise), the consumer's, on the entry,
     * ACTIVE, within its period and issued for a delivery method that allows the use and that the entry's current
     * share method still covers (403 naming the grant's method otherwise).
     */
    GrantView usableGrant(String consumer, EntryView entry, Long grantId, Covert covert, Use use) {
        if (entry.deregistered()) {
            // R15: a deregistered (注销) entry is shared no more, whatever grant was issued on it
            throw new ApiException(ProblemType.GONE, "该目录已注销，不再共享 / the catalogue entry " + entry.resourceCode()
                    + " is deregistered", List.of(), Map.of("resourceCode", entry.resourceCode()), Map.of());
        }
        if (entry.notShared()) {
            // R1: the catalogue now lists the entry as 不予共享; the grants on it were ended when that version arrived
            throw new ApiException(ProblemType.FORBIDDEN, "该目录已调整为不予共享 / the catalogue entry "
                    + entry.resourceCode() + " is not shared (不予共享)", List.of(),
                    Map.of("resourceCode", entry.resourceCode(), "shareAttribute", "NOT_SHARED"), Map.of());
        }
        GrantView grant = grants.forDelivery(consumer, entry.resourceCode(), grantId);
        if (grant == null || !grant.consumer().equals(consumer) || !grant.resourceCode().equals(entry.resourceCode())) {
            String detail = "本部门没有该资源的共享授权 / no grant for this resource";
            if (grantId == null) {
                throw ApiException.forbidden(detail);
            }
            // the grant named is another department's, another resource's or unknown: the header (or field) is wrong
            String field = use == Use.LOOKUP ? "X-Grant-Id" : "grantId";
            detail = "授权 #" + grantId + " 不是本部门在该资源上的授权 / grant #" + grantId + " is not a grant of the "
                    + "department on " + entry.resourceCode();
            throw new ApiException(ProblemType.FORBIDDEN, detail, List.of(new FieldError(field, detail)),
                    Map.of("grantId", grantId, "resourceCode", entry.resourceCode()), Map.of());
        }
        String method = grant.deliveryMethod();
        if (!use.allowedBy(method)) {
            String what = switch (use) {
                case LOOKUP -> "接口查询 / API lookups";
                case EXPORT -> "批量导出 / bulk export";
                case SUBSCRIPTION -> "订阅 / subscription";
            };
            throw new ApiException(ProblemType.FORBIDDEN, "该授权的共享方式为 " + method + "，不能用于" + what
                    + " (the grant's delivery method is " + method + ")", List.of(),
                    Map.of("grantId", grant.id(), "deliveryMethod", method,
                            "requiredDeliveryMethods", use.methods.stream().sorted().toList()), Map.of());
        }
        if (!"ACTIVE".equals(grant.status())) {
            throw ApiException.forbidden("授权" + StatusLabels.grant(grant.status()) + "，不能调用 / the grant is "
                    + grant.status());
        }
        // the entry's current share method, as the replica holds it now, decides: the grant ends when the version is
        // applied, and a row ahead of the grants (another replica's cache, the share-method backfill) delivers nothing
        ShareMethods.requireDeliverable(grant.id(), entry.shareMethodType(), method);
        LocalDate today = time.today();
        if (today.isBefore(grant.validFrom()) || today.isAfter(grant.validTo())) {
            throw ApiException.forbidden("不在授权使用期限内 / outside the grant's period");
        }
        requireRegionKey(grant, entry);
        if (covert != null) {
            checkCovert(covert, grant, today);
        }
        return grant;
    }

    /**
     * A covert query (R21) is made only under a grant that permits covert use: its request declared it and the
     * provider approved it (403 naming X-Covert-Until otherwise). It is hidden until a future date no later than today
     * plus the grant's declared period and {@code exchange.covert.max-period} (400 naming X-Covert-Until otherwise),
     * on a legal basis of at least {@code exchange.covert.min-legal-basis-length} characters that cites a law or an
     * article (400 naming X-Covert-Legal-Basis otherwise).
     */
    private void checkCovert(Covert covert, GrantView grant, LocalDate today) {
        if (!grant.covertUsePermitted()) {
            String detail = "授权 #" + grant.id() + " 不允许隐蔽查询：申请未声明隐蔽查询或未获批准；如依法需要，须另行提出声明隐蔽查询的"
                    + "共享申请 / grant #" + grant.id() + " does not permit covert use: its request declared none; file a "
                    + "request declaring covert use (covertUse) for the provider to approve";
            throw new ApiException(ProblemType.FORBIDDEN, detail, List.of(new FieldError("X-Covert-Until", detail)),
                    Map.of("grantId", grant.id(), "covertUsePermitted", false), Map.of());
        }
        if (!covert.until().isAfter(today)) {
            throw ApiException.field("X-Covert-Until", "隐蔽查询须给出将来的日期 / a covert query needs a future date");
        }
        java.time.Period max = covertUses.maxPeriod();
        LocalDate latest = today.plus(max);
        if (today.plus(grant.covertMaxPeriod()).isBefore(latest)) {
            max = grant.covertMaxPeriod();
            latest = today.plus(max);
        }
        if (covert.until().isAfter(latest)) {
            throw ApiException.field("X-Covert-Until", "隐蔽期限最长为 " + max + "，最晚至 " + latest
                    + " / a covert query is hidden for at most " + max + ": until " + latest + " at the latest");
        }
        if (!covertUses.cites(covert.legalBasis())) {
            throw ApiException.field("X-Covert-Legal-Basis", "隐蔽查询须引用具体的法律依据，如《刑事诉讼法》第一百五十条 / "
                    + "a covert query must cite its legal basis: a law and article");
        }
    }

    /** The entry under a code, or under the code it moved to when the catalogue reclassified it (404 if neither). */
    public EntryView entry(String resourceCode) {
        EntryView view = entries.get(resourceCode, code -> QuarkusTransaction.requiringNew().call(() -> {
            CatalogEntry e = CatalogEntry.findCurrent(code);
            if (e == null) {
                return null;
            }
            CatalogItems items = CatalogItems.of(e);
            return new EntryView(e.resourceCode, e.name, e.providerDepartmentCode, e.keyItem, e.grade,
                    Set.copyOf(items.sensitive()), e.deregistered, e.regionCode,
                    Regions.regionKey(e.keyItem, items.codes()), Set.copyOf(items.codes()),
                    "NOT_SHARED".equals(e.shareAttribute), e.shareMethodType, RecordItems.keyIdentifier(e));
        }));
        if (view == null) {
            throw ApiException.notFound("目录中没有该资源 / no catalogue entry " + resourceCode);
        }
        return view;
    }

    /**
     * A new version of an entry (a deregistration, 不予共享, fewer or other items) applied on this replica takes effect
     * here at once (other replicas within the cache's TTL).
     */
    void entriesChanged(@Observes CatalogReplicaService.EntriesChanged changed) {
        entries.clear();
    }

    /** A resource moved to a new code: entries cached under the old code (or codes that led to it) are read again. */
    void codeMoved(@Observes ResourceCodeMoves.Moved moved) {
        entries.clear();
    }

    /**
     * Only items both granted and listed by the catalogue's current version leave (an item the catalogue removed is
     * delivered no more, R1/R12); they are masked as {@link #masks} says.
     */
    static Map<String, Object> minimise(Map<String, Object> record, GrantView grant, EntryView entry,
            List<String> masked) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : record.entrySet()) {
            if (!delivers(grant, entry, e.getKey())) {
                continue;
            }
            Object v = e.getValue();
            if (v != null && masks(grant, entry, e.getKey())) {
                v = maskDeep(v, 1);
                if (!masked.contains(e.getKey())) {
                    masked.add(e.getKey());
                }
            }
            out.put(e.getKey(), v);
        }
        return out;
    }

    /**
     * The record's values the grant delivers ({@link #delivers}), before masking: whose numbers the usage log hashes.
     * A person named only in an item the grant does not deliver was not reached by the call; logging them would show
     * them an access that gave none of their data away and keep more about them than the log needs. Null stays null.
     */
    static Map<String, Object> granted(Map<String, Object> record, GrantView grant, EntryView entry) {
        if (record == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        record.forEach((item, value) -> {
            if (delivers(grant, entry, item)) {
                out.put(item, value);
            }
        });
        return out;
    }

    /**
     * Whether a filter on the item is refused: the grant delivers it masked (sensitive, of a masked grade, not granted
     * in clear). The key item is exempt: the consumer names the subject it asks about, as in a keyed lookup.
     */
    static boolean masksFilter(GrantView grant, EntryView entry, String item) {
        return !item.equals(entry.keyItem()) && masks(grant, entry, item);
    }

    /** Whether the key goes out masked ({@link #masks}). */
    static boolean masksKey(GrantView grant, EntryView entry) {
        String keyItem = entry.keyItem();
        return keyItem != null && masks(grant, entry, keyItem);
    }

    /** Whether an item is delivered under the grant: granted, and still an item of the entry in the catalogue. */
    static boolean delivers(GrantView grant, EntryView entry, String item) {
        return grant.items().contains(item) && entry.items().contains(item);
    }

    /** The items a call under the grant delivers ({@link #delivers}), sorted: what its usage-log entry names. */
    static List<String> deliveredItems(GrantView grant, EntryView entry) {
        return grant.items().stream().filter(entry.items()::contains).sorted().toList();
    }

    /**
     * Whether an item goes out masked: the grant delivered it masked before (its {@code maskedItems}: once masked,
     * never clear, whatever a later catalogue version says), or the entry masks it now (sensitive, of a masked grade,
     * not granted in clear).
     */
    static boolean masks(GrantView grant, EntryView entry, String item) {
        return grant.maskedItems().contains(item) || masksNow(entry.sensitive(), entry.grade(), grant.clearItems(), item);
    }

    /** Whether the catalogue's current version masks the item: sensitive, of a masked grade, not granted in clear. */
    static boolean masksNow(Set<String> sensitive, String grade, Set<String> clearItems, String item) {
        return sensitive.contains(item) && !clearItems.contains(item) && masksByGrade(grade);
    }

    /** Grades 2 and above (LEVEL_2 … LEVEL_4) mask sensitive items; grade 1 data is not masked. */
    static boolean masksByGrade(String grade) {
        return grade == null || !grade.endsWith("_1");
    }

    /**
     * A masked value: a text or number as {@link #mask}, an object or array (household members, co-owners) with every
     * value inside masked and its structure kept. Masking the text of a whole structure would keep its last characters,
     * which can be a whole name or number at its end ({@code {XM=王强}} → {@code …王强}}}).
     */
    static Object maskDeep(Object value, int depth) {
        if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, maskedChild(v, depth)));
            return out;
        }
        if (value instanceof java.util.Collection<?> c) {
            List<Object> out = new ArrayList<>();
            c.forEach(v -> out.add(maskedChild(v, depth)));
            return out;
        }
        return mask(value.toString(), true);
    }

    /** A value inside a masked structure: masked in turn; below the deepest level searched, hidden whole. */
    private static Object maskedChild(Object v, int depth) {
        if (v == null) {
            return null;
        }
        return depth < SubjectHasher.MAX_DEPTH ? maskDeep(v, depth + 1) : "*";
    }

    /** 110105199001011234 → 110***********1234; 张三丰 → 张**; short values keep their first character. */
    public static String mask(String value, boolean apply) {
        if (!apply || value == null) {
            return value;
        }
        int n = value.codePointCount(0, value.length());
        if (n >= 8) {
            int start = value.offsetByCodePoints(0, 3);
            int end = value.offsetByCodePoints(0, n - 4);
            return value.substring(0, start) + "*".repeat(n - 7) + value.substring(end);
        }
        if (n <= 1) {
            return "*";
        }
        int first = value.offsetByCodePoints(0, 1);
        return value.substring(0, first) + "*".repeat(n - 1);
    }
}
