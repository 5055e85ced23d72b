package cn.onenet.exchange.service;

import java.util.Map;
import java.util.Set;

/**
 * GB/T 2260 region codes (6 digits, with the 9- and 12-digit 乡/村 extensions) and the 回流 rule (R18, 条例第二十四条):
 * data of a higher-level government flows down to the lower governments inside its region without extra conditions,
 * limited to the subjects of the receiving region where the dataset says where its subjects belong.
 */
public final class Regions {

    /** The basis recorded on requests and grants decided by the 回流 rule. */
    public static final String RETURN_FLOW_BASIS = "回流 (条例第二十四条)";

    /** The region above the provinces (the State Council's 主管部门): disputes between departments of two provinces. */
    public static final String NATIONAL = "000000";

    /** The item a dataset may carry to say which region a record belongs to (行政区划代码). */
    public static final String REGION_ITEM = "XZQHDM";

    /** Key items whose value starts (or, for credit codes, continues) with the subject's region code. */
    private static final Map<String, Integer> KEY_REGION_OFFSET = Map.of(
            "GMSFHM", 0, // 公民身份号码: address code, digits 1–6
            "BDCDYH", 0, // 不动产单元号: county code, digits 1–6
            "TYSHXYDM", 2); // 统一社会信用代码: registering authority's region, characters 3–8

    /** Where a record's region comes from: an item (offset 0) or part of the key. */
    public record RegionKey(String item, int offset, boolean fromKey) {
    }

    private Regions() {
    }

    /** The significant prefix: 330000 → 33, 330100 → 3301, 330106 → 330106, 330106001000 → 330106001; null if invalid. */
    public static String prefix(String code) {
        if (code == null || !(code.matches("\\d{6}") || code.matches("\\d{9}") || code.matches("\\d{12}"))) {
            return null;
        }
        String c = code;
        if (c.length() == 12 && c.endsWith("000")) {
            c = c.substring(0, 9);
        }
        if (c.length() == 9 && c.endsWith("000")) {
            c = c.substring(0, 6);
        }
        if (c.length() == 6 && c.endsWith("0000")) {
            return c.substring(0, 2);
        }
        if (c.length() == 6 && c.endsWith("00")) {
            return c.substring(0, 4);
        }
        return c;
    }

    /** 1 province (省), 2 city (市), 3 county (县), 4 township (乡), 5 village (村); 0 for no valid code. */
    public static int level(String code) {
        String p = prefix(code);
        if (p == null) {
            return 0;
        }
        return switch (p.length()) {
            case 2 -> 1;
            case 4 -> 2;
            case 6 -> 3;
            case 9 -> 4;
            default -> 5;
        };
    }

    /** Whether {@code inner} lies inside {@code outer} (a region contains itself). */
    public static boolean contains(String outer, String inner) {
        String o = prefix(outer);
        String i = prefix(inner);
        return o != null && i != null && i.startsWith(o);
    }

    /** 回流 applies when the requester's region lies inside the provider's and is at a lower level. */
    public static boolean returnFlow(String providerRegion, String requesterRegion) {
        return contains(providerRegion, requesterRegion) && level(requesterRegion) > level(providerRegion);
    }

    /**
     * The region whose 主管部门 coordinates a dispute between departments of regions {@code a} and {@code b} (R17,
     * 条例第二十八条): the lowest region containing both, at county level or above (townships and villages have no
     * 主管部门, R33), as a 6-digit code; {@link #NATIONAL} for departments of two provinces; null when either code is
     * not valid.
     */
    public static String commonAuthority(String a, String b) {
        String pa = prefix(a);
        String pb = prefix(b);
        if (pa == null || pb == null) {
            return null;
        }
        for (int length : new int[] { 6, 4, 2 }) {
            if (pa.length() >= length && pb.length() >= length && pa.regionMatches(0, pb, 0, length)) {
                return (pa.substring(0, length) + "0000").substring(0, 6);
            }
        }
        return NATIONAL;
    }

    /**
     * The region in a department's 统一社会信用代码 (characters 3–8: the registering authority's GB/T 2260 code), or
     * null when it has none.
     */
    public static String ofCreditCode(String uscc) {
        if (uscc == null || uscc.length() != 18) {
            return null;
        }
        String code = uscc.substring(2, 8);
        return prefix(code) == null ? null : code;
    }

    /**
     * The region a code names as the 6-digit code of its 主管部门 (330100000000 → 330100, 330000 → 330000); null for a
     * code that is not valid or names a township or village, which have no 主管部门 (R33).
     */
    public static String authorityRegion(String code) {
        String p = prefix(code);
        return p == null || p.length() > 6 ? null : (p + "0000").substring(0, 6);
    }

    /** Whether two codes name the same region (330100 and 330100000000 do); false if either is not valid. */
    public static boolean same(String a, String b) {
        String pa = prefix(a);
        return pa != null && pa.equals(prefix(b));
    }

    /** The dataset's region key, or null when its records do not say where their subjects belong. */
    public static RegionKey regionKey(String keyItem, Set<String> items) {
        if (items.contains(REGION_ITEM)) {
            return new RegionKey(REGION_ITEM, 0, false);
        }
        Integer offset = keyItem == null ? null : KEY_REGION_OFFSET.get(keyItem);
        return offset == null ? null : new RegionKey(keyItem, offset, true);
    }

    /** The region code a record belongs to (6 digits from keys, as given from the region item), or null. */
    public static String regionOf(RegionKey rk, String key, Map<String, Object> record) {
        String v;
        if (rk.fromKey()) {
            v = key;
        } else {
            Object o = record == null ? null : record.get(rk.item());
            v = o == null ? null : o.toString();
        }
        if (v == null || v.length() < rk.offset() + 6) {
            return null;
        }
        return rk.fromKey() ? v.substring(rk.offset(), rk.offset() + 6) : v.trim();
    }

    /**
     * Whether a record of region {@code recordRegion} may go to a grant limited to {@code scopePrefix}. Strict: the
     * record's code must start with the scope's prefix, so a township-level grant gets nothing from a dataset that
     * only knows the county (ID numbers, credit codes).
     */
    public static boolean inScope(String scopePrefix, String recordRegion) {
        return recordRegion != null && recordRegion.startsWith(scopePrefix);
    }
}
