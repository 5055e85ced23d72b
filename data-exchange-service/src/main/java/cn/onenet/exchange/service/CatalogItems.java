package cn.onenet.exchange.service;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import cn.onenet.exchange.model.CatalogEntry;

/** The data items a catalogue entry lists now: their codes and which are sensitive, with the entry's grade. */
record CatalogItems(Set<String> codes, Set<String> sensitive, String grade) {

    static CatalogItems of(CatalogEntry entry) {
        Set<String> codes = new LinkedHashSet<>();
        Set<String> sensitive = new LinkedHashSet<>();
        for (Map<String, Object> item : Json.objects(entry.items)) {
            String code = String.valueOf(item.get("code"));
            codes.add(code);
            if (Boolean.TRUE.equals(item.get("sensitive"))) {
                sensitive.add(code);
            }
        }
        return new CatalogItems(codes, sensitive, entry.grade);
    }

    /** Of {@code items}, in their order, those the entry masks for a grant holding {@code clearItems} in clear. */
    List<String> maskedOf(Collection<String> items, Set<String> clearItems) {
        return items.stream().filter(i -> DeliveryService.masksNow(sensitive, grade, clearItems, i)).toList();
    }
}
