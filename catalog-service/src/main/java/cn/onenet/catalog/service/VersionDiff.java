package cn.onenet.catalog.service;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import cn.onenet.catalog.model.EntryContent;
import cn.onenet.catalog.model.ShareAttribute;

/**
 * Field-by-field difference between two entry documents. Data items are matched by their code, so a reordering is
 * no change and {@code items[GMSFHM].length} names the field that changed.
 */
public final class VersionDiff {

    public enum Kind {
        ADDED, REMOVED, CHANGED
    }

    public record Change(String field, Kind kind, JsonNode before, JsonNode after) {
    }

    private VersionDiff() {
    }

    public static List<Change> diff(JsonNode before, JsonNode after) {
        Map<String, JsonNode> a = new LinkedHashMap<>();
        Map<String, JsonNode> b = new LinkedHashMap<>();
        flatten("", before, a);
        flatten("", after, b);
        Set<String> keys = new LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<Change> out = new ArrayList<>();
        for (String k : keys) {
            JsonNode x = a.get(k);
            JsonNode y = b.get(k);
            if (x == null) {
                out.add(new Change(k, Kind.ADDED, null, y));
            } else if (y == null) {
                out.add(new Change(k, Kind.REMOVED, x, null));
            } else if (!x.equals(y)) {
                out.add(new Change(k, Kind.CHANGED, x, y));
            }
        }
        return out;
    }

    /** Removing a data item or changing its data type breaks consumers: a major version. */
    public static boolean major(EntryContent before, EntryContent after) {
        if (before == null) {
            return true;
        }
        Map<String, EntryContent.DataItem> next = new LinkedHashMap<>();
        after.itemsOrEmpty().forEach(i -> next.put(i.code(), i));
        for (EntryContent.DataItem old : before.itemsOrEmpty()) {
            EntryContent.DataItem now = next.get(old.code());
            if (now == null || now.dataType() != old.dataType()) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a change takes away from the departments using the entry (条例 Art. 27 ¶3): data items removed, renamed or
     * retyped, a stricter share attribute, fewer permitted purposes. Empty when the change only widens sharing or
     * touches other metadata (and for a first publication).
     */
    public static List<String> narrowing(EntryContent before, EntryContent after) {
        List<String> out = new ArrayList<>();
        if (before == null) {
            return out;
        }
        Map<String, EntryContent.DataItem> next = new LinkedHashMap<>();
        after.itemsOrEmpty().forEach(i -> next.put(i.code(), i));
        for (EntryContent.DataItem old : before.itemsOrEmpty()) {
            EntryContent.DataItem now = next.get(old.code());
            if (now == null) {
                out.add("items[" + old.code() + "]");
            } else if (!Objects.equals(now.name(), old.name())) {
                out.add("items[" + old.code() + "].name");
            } else if (now.dataType() != old.dataType()) {
                out.add("items[" + old.code() + "].dataType");
            }
        }
        ShareAttribute was = before.shareAttribute();
        ShareAttribute is = after.shareAttribute();
        if (is != null && is.stricterThan(was)) {
            out.add("shareAttribute");
        } else if (was == ShareAttribute.CONDITIONAL && is == ShareAttribute.CONDITIONAL
                && !purposes(after).containsAll(purposes(before))) {
            out.add("permittedPurposes");
        }
        return out;
    }

    private static List<String> purposes(EntryContent c) {
        return c.permittedPurposes() == null ? List.of() : c.permittedPurposes();
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                var f = fields.next();
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
            }
        } else if (node.isArray() && "items".equals(prefix)) {
            for (JsonNode item : node) {
                String key = item.path("code").asText("?");
                flatten("items[" + key + "]", item, out);
            }
        } else {
            // Scalars and plain lists (purposes, keywords, related codes) compare as a whole.
            if (node.isArray() && node.isEmpty()) {
                return;
            }
            out.put(prefix, node);
        }
    }
}
