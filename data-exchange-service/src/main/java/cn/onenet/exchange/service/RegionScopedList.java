package cn.onenet.exchange.service;

import java.util.List;

/**
 * Lists of grants and share requests as a reviewer sees them: the matters of the reviewer's own region, the region
 * whose 主管部门 acts on them ({@link Jurisdiction#region}: the consumer's region as recorded at filing and the entry's
 * region), and those of its own department; admins and auditors see every region, parties their own department's.
 * The region is decided by the same rule as the actions on the matter, so a reviewer lists what it may act on. A
 * single grant or request (and its history) is checked by the list's own query narrowed to its id: a reviewer reads
 * one exactly when its list shows it, else 404.
 */
final class RegionScopedList {

    private RegionScopedList() {
    }

    /** The caller is a reviewer reading only its own region (not also an admin or auditor). */
    static boolean applies(Caller caller) {
        return caller.has("reviewer") && !Jurisdiction.readsEveryRegion(caller);
    }

    /**
     * The ids, in the order given, of the rows {@code [id, consumer department, provider department, consumer region,
     * entry region]} the reviewer sees: of its region, or with its department a party. A reviewer token without a
     * region reads no region's matters (403).
     */
    static List<Long> visibleIds(Caller caller, List<Object[]> rows, String fallbackDepartment) {
        Jurisdiction.reviewerRegion(caller);
        return rows.stream().filter(row -> {
            String consumer = (String) row[1];
            String provider = (String) row[2];
            return Jurisdiction.isParty(caller, consumer, provider) || Jurisdiction.inRegion(caller,
                    Jurisdiction.regionOf((String) row[3], consumer, provider, (String) row[4], fallbackDepartment));
        }).map(row -> ((Number) row[0]).longValue()).toList();
    }

    /** One page of the ids (empty past the last). */
    static List<Long> page(List<Long> ids, int page, int size) {
        int from = (int) Math.min((long) page * size, ids.size());
        int to = (int) Math.min((long) from + size, ids.size());
        return ids.subList(from, to);
    }
}
