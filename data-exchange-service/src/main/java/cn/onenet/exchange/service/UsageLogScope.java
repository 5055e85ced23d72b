package cn.onenet.exchange.service;

import java.util.ArrayList;
import java.util.List;

/**
 * The usage-log entries a reviewer reads (R16): those of the grants its list of grants shows ({@link RegionScopedList}:
 * the grants whose stored {@code authority_region} is the reviewer's, those without one when the reviewer is of the
 * configured 主管部门's region, and those its own department is a party to). An entry made without a grant counts as
 * of the configured 主管部门's region, unless the reviewer's department is its consumer or provider. As an SQL
 * condition over {@code usage_log} with positional parameters. Admins and auditors read every region's entries and
 * get no scope.
 */
public record UsageLogScope(String sql, List<Object> params) {

    /**
     * The scope of a reviewer who is not also an admin or auditor, else null (no narrowing); a reviewer token without
     * region reads no entry (403).
     */
    public static UsageLogScope of(Caller caller, String fallbackDepartment) {
        if (!RegionScopedList.applies(caller)) {
            return null;
        }
        Jurisdiction.reviewerRegion(caller);
        List<String> any = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        // grants store 6-digit regions: a token's 330100000000 reads as 330100; a township's reads none
        String region = Regions.authorityRegion(caller.region());
        if (region != null) {
            any.add("grant_id IN (SELECT id FROM share_grant WHERE authority_region = ?)");
            params.add(region);
        }
        if (Jurisdiction.inRegion(caller, Regions.ofCreditCode(fallbackDepartment))) {
            any.add("grant_id IS NULL");
            any.add("grant_id IN (SELECT id FROM share_grant WHERE authority_region IS NULL)");
        }
        if (caller.department() != null) {
            // entries keep the codes as recorded (hash-chained, perhaps in lower case before V69): compared in upper
            // case, the form the caller's dept is in
            any.add("upper(consumer_department_code) = ?");
            any.add("upper(provider_department_code) = ?");
            params.add(caller.department());
            params.add(caller.department());
        }
        return new UsageLogScope(any.isEmpty() ? "1 = 0" : "(" + String.join(" OR ", any) + ")", List.copyOf(params));
    }
}
