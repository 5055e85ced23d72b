package cn.onenet.exchange.service;

import cn.onenet.exchange.model.CatalogEntry;
import cn.onenet.exchange.model.ShareGrant;
import cn.onenet.exchange.model.ShareRequest;

/**
 * The region whose 主管部门 acts on a share request or grant, stored on it ({@code authority_region}, see
 * {@link Jurisdiction#commonRegion}) so that a reviewer's lists are filtered and paged in the database
 * ({@link RegionScopedList}). Of its inputs, the departments and the consumer's region are fixed at filing; the entry's
 * region changes with the catalogue feed, and a reclassification moves the rows to an entry that may lie elsewhere.
 * The feed calls {@link #follow} in the transaction that changes the entry, after the entry's row is written: a filing
 * or approval reads the entry FOR SHARE before it writes its request or grant, so either it committed first and is
 * rewritten here, or it waits for the feed and reads the new region.
 */
final class AuthorityRegions {

    private AuthorityRegions() {
    }

    /** The region stored on a request filed, or a grant created, on the entry (null when the replica has none). */
    static String of(ShareRequest r, CatalogEntry entry) {
        return Jurisdiction.commonRegion(r.consumerRegionCode, r.consumerDepartmentCode, r.providerDepartmentCode,
                entry == null ? null : entry.regionCode);
    }

    /**
     * The entry now under {@code resourceCode} lies in {@code entryRegion}: the requests and grants on it store the
     * region that follows, one update per pair of sides (few per entry), versions untouched. Returns how many rows
     * changed.
     */
    static int follow(String resourceCode, String entryRegion) {
        int changed = 0;
        for (Object[] sides : ShareRequest.sidesOn(resourceCode)) {
            String consumerRegion = (String) sides[0];
            String consumer = (String) sides[1];
            String provider = (String) sides[2];
            changed += ShareRequest.storeAuthorityRegion(resourceCode, consumerRegion, consumer, provider,
                    Jurisdiction.commonRegion(consumerRegion, consumer, provider, entryRegion));
        }
        return changed + ShareGrant.followRequestsAuthorityRegion(resourceCode);
    }
}
