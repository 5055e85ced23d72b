package cn.onenet.exchange.service;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import cn.onenet.exchange.model.CatalogEntry;

/**
 * The names a catalogue entry gives its data items, kept on a request, grant or objection when it is filed (JSON
 * object, item code → name; a correction keeps the one item's name), so that a later version renaming them does not
 * rewrite what was asked for.
 */
public final class EntryNames {

    private EntryNames() {
    }

    /** The entry's names of {@code codes}, in their order ({@code null}: every item the entry lists), as JSON. */
    public static String itemNames(CatalogEntry entry, Collection<String> codes) {
        Map<String, String> all = all(entry);
        if (codes == null) {
            return Json.write(all);
        }
        Map<String, String> named = new LinkedHashMap<>();
        for (String code : codes) {
            named.put(code, all.get(code));
        }
        return Json.write(named);
    }

    /** The entry's name of one item (a correction's), null when the entry does not list it or names it not. */
    public static String itemName(CatalogEntry entry, String code) {
        return all(entry).get(code);
    }

    private static Map<String, String> all(CatalogEntry entry) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Map<String, Object> item : Json.objects(entry.items)) {
            Object name = item.get("name");
            all.put(String.valueOf(item.get("code")), name == null ? null : name.toString());
        }
        return all;
    }

    /**
     * The kept names of {@code codes}, in their order ({@code null}: all kept); null when none were kept (filed
     * before the names were).
     */
    public static Map<String, String> of(String json, Collection<String> codes) {
        Map<String, Object> kept = Json.object(json);
        if (kept == null) {
            return null;
        }
        Map<String, String> names = new LinkedHashMap<>();
        for (String code : codes == null ? kept.keySet() : codes) {
            Object name = kept.get(code);
            names.put(code, name == null ? null : name.toString());
        }
        return names;
    }
}
