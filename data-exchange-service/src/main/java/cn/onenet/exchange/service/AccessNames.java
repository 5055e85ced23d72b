package cn.onenet.exchange.service;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import cn.onenet.exchange.model.CatalogEntry;

/**
 * 我的数据被谁使用 in words: the usage log keeps codes (the resource code of the time, item codes such as XM), and a
 * citizen reads names (居民户籍信息, 姓名). The names come from the exchange's replica of the catalogue, so the view
 * answers while catalog-service is down.
 */
public final class AccessNames {

    private AccessNames() {
    }

    /**
     * Adds to each access {@code resourceName}, {@code currentResourceCode} (a reclassified entry is found under its
     * code of today) and {@code itemNames}: code → name for the access's items the entry lists now, in the access's
     * order; an item the entry no longer lists, or an entry the replica does not hold, has no name, and the code
     * stays the reader's only word for it.
     */
    public static void describe(List<Map<String, Object>> accesses) {
        Map<String, Optional<CatalogEntry>> entries = new HashMap<>();
        Map<String, Map<String, String>> itemNames = new HashMap<>();
        for (Map<String, Object> access : accesses) {
            String code = (String) access.get("resourceCode");
            CatalogEntry e = entries.computeIfAbsent(code, c -> Optional.ofNullable(CatalogEntry.findCurrent(c)))
                    .orElse(null);
            access.put("resourceName", e == null ? null : e.name);
            access.put("currentResourceCode", e == null ? null : e.resourceCode);
            Map<String, String> names = e == null ? Map.of() : itemNames.computeIfAbsent(e.resourceCode, c -> of(e));
            Map<String, String> named = new LinkedHashMap<>();
            if (access.get("items") instanceof List<?> items) {
                for (Object item : items) {
                    String name = names.get(String.valueOf(item));
                    if (name != null) {
                        named.put(String.valueOf(item), name);
                    }
                }
            }
            access.put("itemNames", named);
        }
    }

    private static Map<String, String> of(CatalogEntry e) {
        Map<String, String> names = new HashMap<>();
        for (Map<String, Object> item : Json.objects(e.items)) {
            if (item.get("code") != null && item.get("name") != null) {
                names.put(String.valueOf(item.get("code")), String.valueOf(item.get("name")));
            }
        }
        return names;
    }
}
