package cn.onenet.catalog.service.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Query variants from the synonym list, both ways: 社保 ⇄ 社会保险. */
public final class Synonyms {

    private Synonyms() {
    }

    public static List<String> variants(String q, Map<String, String> synonyms) {
        Set<String> out = new LinkedHashSet<>();
        if (q.isEmpty()) {
            return List.of();
        }
        out.add(q);
        for (var s : synonyms.entrySet()) {
            for (String v : new ArrayList<>(out)) {
                if (v.contains(s.getKey()) && !v.contains(s.getValue())) {
                    out.add(v.replace(s.getKey(), s.getValue()));
                }
                if (v.contains(s.getValue())) {
                    out.add(v.replace(s.getValue(), s.getKey()));
                }
            }
            if (out.size() > 16) {
                break;
            }
        }
        return List.copyOf(out);
    }
}
