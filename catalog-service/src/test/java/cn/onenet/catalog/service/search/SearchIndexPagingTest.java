package cn.onenet.catalog.service.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Cursor paging over tied scores stays exact when the index changes between two pages. */
class SearchIndexPagingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode entry(String name) {
        return entry(name, name + "。");
    }

    private static ObjectNode entry(String name, String summary) {
        ObjectNode e = JSON.createObjectNode();
        e.put("name", name).put("abstract", summary).put("resourceCode", "101001/000001").put("version", 1);
        e.put("providerDepartmentName", "浙江省公安厅").put("shareAttribute", "CONDITIONAL").put("openAttribute", "OPEN");
        return e;
    }

    @Test
    void everyHitOnceWhileEntriesChange() throws Exception {
        try (SearchIndex index = new SearchIndex(null)) {
            for (long id = 1; id <= 40; id++) {
                index.upsert(id, entry("居民户籍信息")); // the same score for all of them
            }
            index.commit();
            index.refresh();
            List<Long> seen = new ArrayList<>();
            String cursor = null;
            int page = 0;
            do {
                SearchResult r = index.search(new SearchRequest("户籍", Map.of(), 7, cursor, false, page == 0), Map.of());
                assertEquals(40, r.total());
                r.hits().forEach(h -> seen.add(h.id()));
                cursor = r.nextCursor();
                // meanwhile: an entry not on any page yet is republished (its document moves to the end of the
                // index), another unrelated one is added
                index.upsert(40 - page, entry("居民户籍信息"));
                index.upsert(100 + page, entry("机动车登记信息"));
                index.refresh();
                page++;
            } while (cursor != null && page < 20);
            assertEquals(40, seen.size(), seen.toString());
            assertEquals(40, new HashSet<>(seen).size(), seen.toString());
        }
    }

    @Test
    void entriesNoRankingTermMatchesComeLastAndOnce() throws Exception {
        try (SearchIndex index = new SearchIndex(null)) {
            // the bigram 户籍 occurs in all of them (recall), the word 户籍 and the name's bigram only in the first 12
            // (ranking): in 落户籍贯 smartcn finds 落户 and 籍贯
            for (long id = 1; id <= 30; id++) {
                index.upsert(id, id <= 12 ? entry("居民户籍信息") : entry("人口登记", "落户籍贯登记。"));
            }
            index.commit();
            index.refresh();
            List<Long> seen = new ArrayList<>();
            List<Float> scores = new ArrayList<>();
            String cursor = null;
            int page = 0;
            do {
                SearchResult r = index.search(new SearchRequest("户籍", Map.of(), 5, cursor, false, page == 0), Map.of());
                assertEquals(30, r.total());
                r.hits().forEach(h -> {
                    seen.add(h.id());
                    scores.add(h.score());
                });
                cursor = r.nextCursor();
                page++;
            } while (cursor != null && page < 20);
            assertEquals(30, new HashSet<>(seen).size(), seen.toString());
            assertEquals(30, seen.size(), seen.toString());
            for (int i = 0; i < 30; i++) {
                assertEquals(i < 12, scores.get(i) > 0, "hit " + i + " " + seen + " " + scores);
                if (i > 0) {
                    assertTrue(scores.get(i) <= scores.get(i - 1), scores.toString());
                }
            }
            // the unranked ones in entry order (their documents were added in that order)
            assertEquals(java.util.stream.LongStream.rangeClosed(13, 30).boxed().toList(), seen.subList(12, 30));
        }
    }
}
