package cn.onenet.exchange.service;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.common.problem.ApiException;
import cn.onenet.exchange.config.StalenessConfig;
import cn.onenet.exchange.model.UpdateCycle;
import io.quarkus.scheduler.Scheduled;

/**
 * 数据更新及时性 (条例第十八条 whole-process quality, 第三十八条第二款 the 主管部门 supervises the providers' timeliness):
 * a hosted dataset whose last upload is older than its entry's declared 更新周期 plus the grace
 * ({@code exchange.staleness.grace}) is stale. Entries without a fixed cycle (IRREGULAR, ON_DEMAND, a value the
 * exchange does not know, none yet), entries served by the provider's own endpoint (proxied: the data is the
 * provider's live copy) and entries with no upload yet (nothing to be stale; undelivered data is R10's matter) are
 * never stale. Uploads made under an older code of a reclassified resource count for it. The provider department is
 * told once per stale period (table {@code dataset_stale_notice}, keyed by the upload the period counts from: a new
 * upload ends the period, and the next one is told again).
 */
@ApplicationScoped
public class StalenessService {

    /** The notice kind sent to the provider department when a dataset becomes stale. */
    public static final String NOTICE = "DATASET_STALE";
    /** The notice's subject: the last upload, from which the stale period counts. */
    public static final String SUBJECT = "DATASET_UPLOAD";

    /** FRESH, STALE (past its cycle and grace), NO_DATA (no upload yet), NO_CYCLE (不定期/按需/unknown), LIVE (proxied). */
    public enum State {
        FRESH, STALE, NO_DATA, NO_CYCLE, LIVE
    }

    @Schema(description = "数据更新及时性: a catalogue entry's hosted dataset against its declared 更新周期",
            example = Freshness.EXAMPLE)
    public record Freshness(
            @Schema(example = "101001/000001") String resourceCode,
            @Schema(example = "居民户籍信息") String name,
            @Schema(example = "11330000002481020A") String providerDepartmentCode,
            @Schema(example = "浙江省公安厅") String providerDepartmentName,
            @Schema(description = "the entry's region (GB/T 2260)", example = "330000") String regionCode,
            @Schema(description = "更新周期 as the catalogue declares it; null when the replica has none yet",
                    example = "MONTHLY") String updateCycle,
            @Schema(description = "FRESH; STALE (last upload older than the cycle plus the grace); NO_DATA (nothing "
                    + "uploaded yet); NO_CYCLE (IRREGULAR, ON_DEMAND, unknown or no cycle: never stale); LIVE (served by "
                    + "the provider's own endpoint: never stale)") State state,
            @Schema(description = "state is STALE") boolean stale,
            @Schema(description = "the last upload or push of records", example = "2026-10-28T02:00:00Z")
            Instant lastUploadAt,
            @Schema(example = "12") Long lastUploadId,
            @Schema(description = "when the dataset is (or became) stale without a new upload: the last upload plus "
                    + "the cycle plus the grace; null without a cycle or an upload", example = "2026-12-01T02:00:00Z")
            Instant staleAfter) {

        static final String EXAMPLE = "{\"resourceCode\": \"101001/000001\", \"name\": \"居民户籍信息\", "
                + "\"providerDepartmentCode\": \"11330000002481020A\", \"providerDepartmentName\": \"浙江省公安厅\", "
                + "\"regionCode\": \"330000\", \"updateCycle\": \"MONTHLY\", \"state\": \"STALE\", \"stale\": true, "
                + "\"lastUploadAt\": \"2026-10-28T02:00:00Z\", \"lastUploadId\": 12, "
                + "\"staleAfter\": \"2026-12-01T02:00:00Z\"}";

        /** The region whose 主管部门 supervises the provider of this entry (6 digits), or null when none is known. */
        public String authorityRegion() {
            return StalenessService.authorityRegionOf(regionCode, providerDepartmentCode);
        }
    }

    private final EntityManager em;
    private final TimeSource time;
    private final NoticeService notices;
    private final StalenessConfig config;

    public StalenessService(EntityManager em, TimeSource time, NoticeService notices, StalenessConfig config) {
        this.em = em;
        this.time = time;
        this.notices = notices;
        this.config = config;
    }

    public Period grace() {
        return config.grace();
    }

    /**
     * The region whose 主管部门 supervises a provider's entry, 6 digits: the entry's region if valid, else the region in
     * the provider's 统一社会信用代码; a township or village (which has no 主管部门, R33) counts for its county.
     */
    public static String authorityRegionOf(String entryRegion, String providerDepartment) {
        String p = Regions.prefix(Jurisdiction.side(entryRegion, providerDepartment));
        return p == null ? null : p.length() > 6 ? p.substring(0, 6) : (p + "0000").substring(0, 6);
    }

    /**
     * The datasets a caller lists, judged now, in provider and code order: a reviewer (not also an admin or auditor)
     * those of its token's region (another {@code region} 403 naming it, a token without region 403); admins and
     * auditors every region's, or {@code region}'s; a department's staff its own department's (another
     * {@code provider} 403). {@code stale} {@code true} / {@code false} keeps only stale / not stale ones.
     */
    public List<Freshness> list(Caller caller, String regionParam, String providerParam, Boolean stale) {
        String region = regionParam == null || regionParam.isBlank() ? null : regionParam(regionParam.trim());
        // in any letter case, as the department's code is one code
        String provider = providerParam == null || providerParam.isBlank() ? null : CreditCode.normalise(providerParam);
        if (RegionScopedList.applies(caller)) {
            String own = Jurisdiction.reviewerListRegion(caller);
            if (region != null && !region.equals(own)) {
                throw ApiException.forbidden("只能查阅本行政区划的数据资源 / a reviewer lists its own region's datasets");
            }
            region = own == null ? "-" : own;
        } else if (!Jurisdiction.readsEveryRegion(caller)) {
            String own = caller.departmentOrFail();
            if (provider != null && !provider.equals(own)) {
                throw ApiException.forbidden("只能查阅本部门的数据资源 / a department lists its own datasets");
            }
            provider = own;
        }
        String inRegion = region;
        return all(provider).stream().filter(f -> inRegion == null || inRegion.equals(f.authorityRegion()))
                .filter(f -> stale == null || stale == f.stale()).toList();
    }

    /** A region named in a query (county or higher) as its 6-digit code; else 400 naming {@code region}. */
    public static String regionParam(String value) {
        String region = Regions.authorityRegion(value);
        if (region == null) {
            throw Fields.REGION.error(Fields.REGION.mustBe("县级及以上行政区划代码（6、9 或 12 位）",
                    "the code of a county or a higher region"));
        }
        return region;
    }

    /** Every live (not deregistered) entry, judged now; {@code provider} narrows to one department (null: all). */
    public List<Freshness> all(String provider) {
        return judged(provider, null);
    }

    /** One entry by its current code (an old code resolves), judged now; 404 for an unknown or deregistered one. */
    public Freshness of(String resourceCode) {
        String code = cn.onenet.exchange.model.CatalogEntry.currentCode(resourceCode);
        List<Freshness> found = judged(null, code);
        if (found.isEmpty()) {
            throw ApiException.notFound("目录中没有该资源 / no catalogue entry " + resourceCode);
        }
        return found.get(0);
    }

    private List<Freshness> judged(String provider, String code) {
        StringBuilder sql = new StringBuilder("SELECT e.resource_code, e.name, e.provider_department_code, "
                + "e.provider_department_name, e.region_code, e.update_cycle, u.id, u.created_at, "
                + "(p.resource_code IS NOT NULL) FROM catalog_entry e LEFT JOIN LATERAL (SELECT d.id, d.created_at "
                + "FROM dataset_upload d WHERE d.resource_code = e.resource_code OR d.resource_code IN (SELECT "
                + "a.old_code FROM resource_code_alias a WHERE a.current_code = e.resource_code) "
                + "ORDER BY d.created_at DESC, d.id DESC LIMIT 1) u ON TRUE "
                + "LEFT JOIN proxied_service p ON p.resource_code = e.resource_code WHERE NOT e.deregistered");
        if (provider != null) {
            sql.append(" AND e.provider_department_code = :provider");
        }
        if (code != null) {
            sql.append(" AND e.resource_code = :code");
        }
        sql.append(" ORDER BY e.provider_department_code, e.resource_code");
        Query q = em.createNativeQuery(sql.toString());
        if (provider != null) {
            q.setParameter("provider", provider);
        }
        if (code != null) {
            q.setParameter("code", code);
        }
        Instant now = time.now();
        List<Freshness> out = new ArrayList<>();
        for (Object row : q.getResultList()) {
            Object[] r = (Object[]) row;
            out.add(judge((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                    r[6] == null ? null : ((Number) r[6]).longValue(), instant(r[7]), Boolean.TRUE.equals(r[8]), now));
        }
        return out;
    }

    private Freshness judge(String code, String name, String provider, String providerName, String region,
            String cycle, Long uploadId, Instant uploadedAt, boolean proxied, Instant now) {
        Period period = UpdateCycle.periodOf(cycle);
        State state;
        Instant staleAfter = null;
        if (proxied) {
            state = State.LIVE;
        } else if (period == null) {
            state = State.NO_CYCLE;
        } else if (uploadedAt == null) {
            state = State.NO_DATA;
        } else {
            // calendar periods counted in Beijing time: a month from 31 January is 28/29 February
            staleAfter = uploadedAt.atZone(TimeSource.ZONE).plus(period).plus(config.grace()).toInstant();
            state = now.isAfter(staleAfter) ? State.STALE : State.FRESH;
        }
        return new Freshness(code, name, provider, providerName, region, cycle, state, state == State.STALE,
                uploadedAt, uploadId, staleAfter);
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("not a time: " + o.getClass());
    }

    /**
     * Tells the provider of each stale dataset, once per stale period (per upload it counts from). Returns how many
     * notices were sent now.
     */
    @Transactional
    public int notifyStale() {
        int sent = 0;
        for (Freshness f : all(null)) {
            if (!f.stale()) {
                continue;
            }
            int inserted = em.createNativeQuery("INSERT INTO dataset_stale_notice (resource_code, last_upload_id, "
                    + "provider_department_code, update_cycle, last_upload_at, stale_since) VALUES (?1, ?2, ?3, ?4, ?5, "
                    + "?6) ON CONFLICT DO NOTHING").setParameter(1, f.resourceCode()).setParameter(2, f.lastUploadId())
                    .setParameter(3, f.providerDepartmentCode()).setParameter(4, f.updateCycle())
                    .setParameter(5, f.lastUploadAt().atZone(TimeSource.ZONE).toOffsetDateTime())
                    .setParameter(6, f.staleAfter().atZone(TimeSource.ZONE).toOffsetDateTime()).executeUpdate();
            if (inserted == 1) {
                String last = f.lastUploadAt().atZone(TimeSource.ZONE).toLocalDate().toString();
                notices.notify(f.providerDepartmentCode(), NOTICE, SUBJECT, f.lastUploadId(), "数据资源 "
                        + f.resourceCode() + "（" + f.name() + "）未按目录更新周期（" + label(f.updateCycle()) + "）更新，最近"
                        + "一次上传为 " + last + "，请及时更新 / dataset " + f.resourceCode() + " is stale: its "
                        + "declared update cycle is " + f.updateCycle() + ", its last upload was on " + last);
                sent++;
            }
        }
        return sent;
    }

    private static String label(String cycle) {
        try {
            return UpdateCycle.valueOf(cycle).label;
        } catch (IllegalArgumentException | NullPointerException e) {
            return String.valueOf(cycle);
        }
    }

    @Scheduled(cron = "${exchange.staleness.check-cron:0 25 * * * ?}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledNotices() {
        notifyStale();
    }
}
