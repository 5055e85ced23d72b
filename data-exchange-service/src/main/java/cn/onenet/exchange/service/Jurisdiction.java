package cn.onenet.exchange.service;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import cn.onenet.common.problem.ApiException;
import cn.onenet.common.problem.FieldError;
import cn.onenet.common.problem.ProblemType;
import cn.onenet.exchange.model.CatalogEntry;

/**
 * Which 主管部门 acts on a matter between a consumer and a provider department (R17, 条例第二十八条): that of the
 * lowest region containing both ({@link Regions#commonAuthority}). The 主管部门's reviewers (role {@code reviewer} and
 * the {@code competent_authority} claim, {@link Caller#decidesAsAuthority}) act on the matters of their own region
 * (token claim {@code region}; a token without one acts on none, 403), never on a matter of their own department,
 * which is a party to it (403). A reviewer of another department and an admin (the platform's technical
 * administrator, not the 主管部门) take no such decision (403). To a 主管部门 reviewer of another region the matter does
 * not exist (404, as for other non-parties). Disputes, grant governance (suspend, resume, terminate, change),
 * extension decisions, complaint decisions and incident handling follow these rules. Reading is wider: reviewers of
 * any department read the matters of their region, admins and auditors those of every region ({@link #reads}).
 */
public final class Jurisdiction {

    private Jurisdiction() {
    }

    /**
     * The region whose 主管部门 acts on a matter on a catalogue entry between the two departments: each side's region
     * is the first valid of the one known (the consumer's {@code region} claim recorded at filing, the provider's
     * entry's {@code regionCode}) and the region in its 统一社会信用代码; when neither says where a side is, the region
     * of {@code fallbackDepartment} (the configured 主管部门).
     */
    public static String region(String consumerRegion, String consumerDepartment, String providerDepartment,
            String resourceCode, String fallbackDepartment) {
        CatalogEntry entry = CatalogEntry.findCurrent(resourceCode);
        return regionOf(consumerRegion, consumerDepartment, providerDepartment, entry == null ? null : entry.regionCode,
                fallbackDepartment);
    }

    /** {@link #region} with the entry's {@code regionCode} already read (null when the replica has no entry). */
    public static String regionOf(String consumerRegion, String consumerDepartment, String providerDepartment,
            String entryRegion, String fallbackDepartment) {
        String region = commonRegion(consumerRegion, consumerDepartment, providerDepartment, entryRegion);
        return region != null ? region : Regions.ofCreditCode(fallbackDepartment);
    }

    /**
     * The region whose 主管部门 acts on a matter with parties in each of {@code sides} (see {@link #side}): the lowest
     * region containing them all, else that of {@code fallbackDepartment}. Objections and security incidents keep the
     * region found when filed, as a court keeps a case it was competent for when filed (管辖恒定).
     */
    public static String regionOfParties(List<String> sides, String fallbackDepartment) {
        String region = null;
        for (String side : sides) {
            region = Regions.commonAuthority(region == null ? side : region, side);
            if (region == null) {
                break;
            }
        }
        return region != null ? region : Regions.ofCreditCode(fallbackDepartment);
    }

    /** Where one party is: the region it was recorded in if valid, else the region in its 统一社会信用代码. */
    public static String side(String region, String department) {
        return valid(region, department);
    }

    /**
     * Whether the caller may read a matter of {@code region} between the parties: admins and auditors always, a
     * department's staff when it is a party, a reviewer when the matter is of its region (a reviewer token without
     * region, 403).
     */
    public static boolean reads(Caller caller, String region, Collection<String> parties) {
        if (caller.department() != null && parties.contains(caller.department())) {
            return true;
        }
        if (readsEveryRegion(caller)) {
            return true;
        }
        if (!caller.has("reviewer")) {
            return false;
        }
        reviewerRegion(caller);
        return inRegion(caller, region);
    }

    /**
     * The 6-digit region of a reviewer's token for list queries (330100000000 reads as 330100), or null when it names a
     * township or village, which have no 主管部门 and so no matters of their own; a token without region, 403.
     */
    public static String reviewerListRegion(Caller caller) {
        return Regions.authorityRegion(reviewerRegion(caller));
    }

    /**
     * {@link #regionOf} before the fallback: the 6-digit region of the 主管部门 of both sides, or null when a side has no
     * region (then the configured 主管部门's applies). Stored on each request and grant as {@code authority_region}, so
     * a reviewer's lists are filtered in the database ({@code AuthorityRegions}).
     */
    public static String commonRegion(String consumerRegion, String consumerDepartment, String providerDepartment,
            String entryRegion) {
        return Regions.commonAuthority(valid(consumerRegion, consumerDepartment), valid(entryRegion, providerDepartment));
    }

    /**
     * Checks that the caller acts as the 主管部门 on a matter of {@code region} between {@code consumer} and
     * {@code provider}: a reviewer of a 主管部门 (else 403, {@link #requireAuthority}); not a party (403 with
     * {@code party}); of that region ({@code notFound}, 404, otherwise).
     */
    public static void requireActsOn(Caller caller, String consumer, String provider, Supplier<String> region,
            String notAuthority, String party, Supplier<ApiException> notFound) {
        requireAuthority(caller, notAuthority);
        if (isParty(caller, consumer, provider)) {
            throw ApiException.forbidden(party);
        }
        if (!inRegion(caller, region.get())) {
            throw notFound.get();
        }
    }

    /**
     * A reviewer of a 主管部门 ({@link Caller#decidesAsAuthority}) whose token names its region; else 403: with
     * {@code message} for other roles, with {@code field} {@code competent_authority} for an admin or a reviewer of
     * another department, for a token without region naming {@code region}.
     */
    public static void requireAuthority(Caller caller, String message) {
        if (!caller.has("reviewer") && !caller.has("admin")) {
            throw ApiException.forbidden(message);
        }
        if (!caller.decidesAsAuthority()) {
            throw notTheAuthority(message);
        }
        reviewerRegion(caller);
    }

    /**
     * 403 for a caller with a 主管部门 role that is not the 主管部门's reviewer: an admin, or a reviewer of a department
     * the token does not name as its region's 主管部门 ({@code competent_authority}); the problem names that claim.
     */
    public static ApiException notTheAuthority(String message) {
        String detail = message + "；须由主管部门的审核人员 (reviewer，令牌 competent_authority 为 true) 决定，平台管理员 "
                + "(admin) 和其他部门的审核人员不作主管部门的决定 / only a reviewer of the 主管部门 (competent_authority "
                + "claim) decides; an admin or another department's reviewer does not";
        return new ApiException(ProblemType.FORBIDDEN, detail, List.of(new FieldError("competent_authority", detail)),
                Map.of(), Map.of());
    }

    /** Admins and auditors read the matters of every region. */
    public static boolean readsEveryRegion(Caller caller) {
        return caller.has("admin") || caller.has("auditor");
    }

    /** The caller's department is the consumer or the provider. */
    public static boolean isParty(Caller caller, String consumer, String provider) {
        return consumer.equals(caller.department()) || provider.equals(caller.department());
    }

    /** The caller's token names the region ({@code 330100} and {@code 330100000000} alike). */
    public static boolean inRegion(Caller caller, String region) {
        return Regions.same(caller.region(), region);
    }

    /** The region of a reviewer's token; a token without one handles and reads no matter of a region (403). */
    public static String reviewerRegion(Caller caller) {
        if (Regions.prefix(caller.region()) == null) {
            throw ApiException.forbidden("主管部门人员令牌缺少行政区划 (region) / the reviewer's token has no region");
        }
        return caller.region();
    }

    private static String valid(String region, String department) {
        return Regions.prefix(region) != null ? region : Regions.ofCreditCode(department);
    }
}
