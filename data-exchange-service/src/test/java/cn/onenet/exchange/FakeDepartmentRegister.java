package cn.onenet.exchange;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the stand-in for identity-service's public department register lists ({@code GET /api/identity/v1/departments},
 * the fields of its {@code DepartmentView}; served by {@link FakeCatalog}'s server). It starts with the province's
 * 大数据局 as the 主管部门 of 330000, as the demo register has it (the configured 主管部门 of the tests); {@link #set}
 * replaces the list; while {@link #down()} the register answers 503, as an identity-service that is down.
 */
public final class FakeDepartmentRegister {

    public static final String PROVINCE_AUTHORITY = "113300000024810109";

    private static volatile List<Map<String, Object>> departments = provinceOnly();
    private static volatile boolean down;

    private FakeDepartmentRegister() {
    }

    /** The register as the tests start with it: the province's 大数据局, 主管部门 of 330000. */
    public static List<Map<String, Object>> provinceOnly() {
        return List.of(department(PROVINCE_AUTHORITY, "浙江省大数据发展管理局", "330000", true));
    }

    /** One department as identity-service lists it. */
    public static Map<String, Object> department(String code, String name, String region, boolean authority) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("code", code);
        d.put("name", name);
        d.put("nameEn", null);
        d.put("regionCode", region);
        d.put("parentCode", null);
        d.put("level", region.endsWith("0000") ? "PROVINCE" : region.endsWith("00") ? "CITY" : "COUNTY");
        d.put("kind", "GOVERNMENT_DEPARTMENT");
        d.put("competentAuthority", authority);
        d.put("active", true);
        d.put("version", 0);
        return d;
    }

    /** The departments identity-service lists from now on. */
    public static void set(List<Map<String, Object>> list) {
        departments = List.copyOf(list);
    }

    /** identity-service goes down (503) or comes back. */
    public static void down(boolean isDown) {
        down = isDown;
    }

    /** The answer to {@code GET /api/identity/v1/departments}: status and body. */
    static Map.Entry<Integer, Object> answer() {
        return down ? Map.entry(503, Map.of("title", "unavailable")) : Map.entry(200, departments);
    }
}
