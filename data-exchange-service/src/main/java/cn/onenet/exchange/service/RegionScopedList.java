package cn.onenet.exchange.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lists of grants and share requests as a reviewer sees them (complaints too, through the grant the access used): the
 * matters of the reviewer's own region, the region whose 主管部门 acts on them ({@link Jurisdiction#region}: the
 * consumer's region as recorded at filing and the entry's region), and those of its own department; admins and
 * auditors see every region, parties their own department's. The region is decided by the same rule as the actions on the matter, so a reviewer lists what it may act on; it is
 * stored on each request and grant ({@link AuthorityRegions}), so the list is filtered, counted and paged in the
 * database. A single grant or request (and its history) is checked by the list's own query narrowed to its id: a
 * reviewer reads one exactly when its list shows it, else 404.
 */
final class RegionScopedList {

    private RegionScopedList() {
    }

    /** The caller is a reviewer reading only its own region (not also an admin or auditor). */
    static boolean applies(Caller caller) {
        return caller.has("reviewer") && !Jurisdiction.readsEveryRegion(caller);
    }

    /**
     * The condition, over a {@code ShareRequest} or {@code ShareGrant} without alias, of the rows the reviewer sees
     * (its parameters added to {@code params}): the stored region is the reviewer's, or none is stored and the
     * reviewer is of the configured 主管部门's region ({@code fallbackDepartment}), or its department is a party. A
     * reviewer token without a region reads no region's matters (403).
     */
    static String condition(Caller caller, String fallbackDepartment, Map<String, Object> params) {
        List<String> any = regionTerms(caller, fallbackDepartment, params, "authorityRegion");
        if (caller.department() != null) {
            any.add("consumerDepartmentCode = :scopeDept");
            any.add("providerDepartmentCode = :scopeDept");
            params.put("scopeDept", caller.department());
        }
        return any.isEmpty() ? "1 = 0" : "(" + String.join(" or ", any) + ")";
    }

    /**
     * The region part of {@link #condition} alone, over the stored region {@code column} (e.g.
     * {@code g.authorityRegion} in a subquery): the matters whose 主管部门 is the reviewer's, whichever departments
     * are parties.
     */
    static String regionCondition(Caller caller, String fallbackDepartment, Map<String, Object> params,
            String column) {
        List<String> any = regionTerms(caller, fallbackDepartment, params, column);
        return any.isEmpty() ? "1 = 0" : "(" + String.join(" or ", any) + ")";
    }

    private static List<String> regionTerms(Caller caller, String fallbackDepartment, Map<String, Object> params,
            String column) {
        Jurisdiction.reviewerRegion(caller);
        List<String> any = new ArrayList<>();
        // the stored codes are 6 digits as Regions.commonAuthority gives them: 330100000000 reads as 330100
        String region = Regions.authorityRegion(caller.region());
        if (region != null) {
            any.add(column + " = :scopeRegion");
            params.put("scopeRegion", region);
        }
        if (Jurisdiction.inRegion(caller, Regions.ofCreditCode(fallbackDepartment))) {
            any.add(column + " is null");
        }
        return any;
    }
}
