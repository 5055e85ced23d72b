package cn.onenet.catalog.service.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BitDocIdSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The embedded Lucene index of live (published) entries. PostgreSQL is the source of truth: the index is built from
 * it at startup and then follows the change feed, so every replica converges on the same content.
 */
public class SearchIndex implements AutoCloseable {

    /** Facet dimensions and the document field each comes from. */
    public static final List<String> DIMENSIONS = List.of("provider", "resourceClass", "category", "shareAttribute",
            "openAttribute", "updateCycle", "region", "grade", "format");

    private static final Sort SORT = new Sort(SortField.FIELD_SCORE, new SortField("eid", SortField.Type.LONG));
    /** Without text every hit scores the same: the order is the entry id's, found through its points. */
    private static final Sort BY_EID = new Sort(new SortField("eid", SortField.Type.LONG));

    /**
     * Hits counted exactly by the page pass before it starts skipping those that cannot make the page; the exact
     * total then comes from the unscored pass.
     */
    private static final int PAGE_HITS_THRESHOLD = 1000;
    /** Values listed per facet dimension. */
    private static final int FACET_VALUES = 50;

    private final Directory directory;
    private final Analyzer analyzer = Analyzers.perField();
    private final Analyzer bigram = Analyzers.bigram();
    private final IndexWriter writer;
    private final SearcherManager manager;
    private final FacetsConfig facetsConfig = new FacetsConfig();
    private volatile StateHolder facetState;

    /** Per reader: the facet ordinals and, once asked for, the counts of the whole index. */
    private static final class StateHolder {
        private final IndexReader reader;
        private final SortedSetDocValuesReaderState state;
        private volatile Map<String, Map<String, Integer>> all;

        StateHolder(IndexReader reader, SortedSetDocValuesReaderState state) {
            this.reader = reader;
            this.state = state;
        }

        IndexReader reader() {
            return reader;
        }

        SortedSetDocValuesReaderState state() {
            return state;
        }

        Map<String, Map<String, Integer>> allCounts() throws IOException {
            Map<String, Map<String, Integer>> a = all;
            if (a == null) {
                a = counts(new SortedSetDocValuesFacetCounts(state));
                all = a; // a benign race: two threads may both count once
            }
            return a;
        }
    }

    public SearchIndex(String indexDir) throws IOException {
        if (indexDir == null || indexDir.isBlank()) {
            directory = new ByteBuffersDirectory();
        } else {
            Path p = Path.of(indexDir);
            Files.createDirectories(p);
            directory = FSDirectory.open(p);
        }
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer);
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        cfg.setRAMBufferSizeMB(64);
        writer = new IndexWriter(directory, cfg);
        manager = new SearcherManager(writer, null);
    }

    // ------------------------------------------------------------ writing

    public void deleteAll() throws IOException {
        writer.deleteAll();
    }

    /** Adds or replaces the document of one live entry; {@code entry} is the feed's entry shape. */
    public void upsert(long id, JsonNode entry) throws IOException {
        writer.updateDocument(new Term("id", Long.toString(id)), facetsConfig.build(document(id, entry)));
    }

    public void delete(long id) throws IOException {
        writer.deleteDocuments(new Term("id", Long.toString(id)));
    }

    public void refresh() throws IOException {
        manager.maybeRefreshBlocking();
    }

    public void commit() throws IOException {
        writer.commit();
    }

    /** After a full rebuild: merges the many flushed segments into a few, so each search visits fewer. */
    public void merge(int maxSegments) throws IOException {
        writer.forceMerge(maxSegments);
    }

    public int size() throws IOException {
        IndexSearcher s = manager.acquire();
        try {
            return s.getIndexReader().numDocs();
        } finally {
            manager.release(s);
        }
    }

    private Document document(long id, JsonNode e) {
        Document d = new Document();
        d.add(new StringField("id", Long.toString(id), Field.Store.YES));
        d.add(new NumericDocValuesField("eid", id));
        d.add(new LongPoint("eid", id)); // lets an eid-ordered page skip to its first candidates
        String code = e.path("resourceCode").asText("");
        d.add(new StringField("code", code, Field.Store.YES));
        String name = e.path("name").asText("");
        String summary = e.path("abstract").asText("");
        d.add(new StoredField("name", name));
        d.add(new StoredField("abstract", summary));
        d.add(new StringField("name_exact", name, Field.Store.NO));
        StringBuilder text = new StringBuilder(name).append('\n').append(summary).append('\n');
        for (JsonNode item : e.path("items")) {
            text.append(item.path("name").asText("")).append(' ').append(item.path("code").asText("")).append('\n');
        }
        for (JsonNode k : e.path("keywords")) {
            text.append(k.asText("")).append('\n');
        }
        text.append(e.path("providerDepartmentName").asText("")).append('\n')
                .append(e.path("classification").path("category").asText("")).append('\n')
                .append(e.path("dataCategory").asText(""));
        d.add(new TextField(Analyzers.BIGRAM, text.toString(), Field.Store.NO));
        d.add(new TextField(Analyzers.WORDS, text.toString(), Field.Store.NO));
        d.add(new TextField(Analyzers.NAME_BIGRAM, name, Field.Store.NO));
        Map<String, String> facets = facetValues(e);
        facets.forEach((dim, value) -> {
            if (!value.isEmpty()) {
                d.add(new SortedSetDocValuesFacetField(dim, value));
                d.add(new StringField("f_" + dim, value, Field.Store.YES));
            }
        });
        d.add(new StoredField("version", e.path("version").asInt()));
        return d;
    }

    private static Map<String, String> facetValues(JsonNode e) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("provider", e.path("providerDepartmentName").asText(""));
        m.put("resourceClass", e.path("classification").path("resourceClass").asText(""));
        m.put("category", e.path("classification").path("category").asText(""));
        m.put("shareAttribute", e.path("shareAttribute").asText(""));
        m.put("openAttribute", e.path("openAttribute").asText(""));
        m.put("updateCycle", e.path("updateCycle").asText(""));
        m.put("region", e.path("regionCode").asText(""));
        m.put("grade", e.path("grade").asText(""));
        m.put("format", e.path("format").path("formatClass").asText(""));
        return m;
    }

    // ------------------------------------------------------------ searching

    /**
     * Recall comes from the bigram field (every variant of the query, synonyms expanded, must match); ranking adds
     * the word-segmented field, the name, and exact/prefix code matches.
     * <p>
     * Two passes over the index: the page of hits is collected with score-based skipping (hits that cannot enter the
     * page are never scored), and the exact total and the facet counts come from a second pass over the same matching
     * set without any scoring. The counts of the whole index (no text, no filter) are computed once per reader.
     */
    public SearchResult search(SearchRequest r, Map<String, String> synonyms) throws IOException {
        String q = r.q() == null ? "" : r.q().trim();
        List<String> variants = Synonyms.variants(q, synonyms);
        Query recall = recall(q, variants);
        List<Query> filters = new ArrayList<>();
        if (r.openOnly()) {
            filters.add(new TermQuery(new Term("f_openAttribute", "OPEN")));
        }
        if (r.filters() != null) {
            r.filters().forEach((dim, value) -> filters.add(new TermQuery(new Term("f_" + dim, value))));
        }
        Query ranked = withFilters(recall == null ? new MatchAllDocsQuery()
                : new BooleanQuery.Builder().add(recall, Occur.MUST).add(ranking(variants), Occur.SHOULD).build(),
                filters);
        // the matching set without scores: decides the total and the facet counts
        Query matching = recall == null && filters.isEmpty() ? null
                : withFilters(recall == null ? new MatchAllDocsQuery() : new ConstantScoreQuery(recall), filters);
        IndexSearcher searcher = manager.acquire();
        try {
            FieldDoc after = decode(r.cursor(), searcher.getIndexReader().maxDoc(), recall == null);
            TopDocs top = searcher.search(ranked, new TopFieldCollectorManager(recall == null ? BY_EID : SORT, r.size(),
                    after, PAGE_HITS_THRESHOLD));
            for (ScoreDoc sd : top.scoreDocs) {
                sd.score = recall == null ? 1f : (Float) ((FieldDoc) sd).fields[0]; // the first sort value is the score
            }
            long total;
            Map<String, List<SearchResult.FacetCount>> facets = Map.of();
            if (matching == null) {
                total = searcher.getIndexReader().numDocs();
                if (r.facets()) {
                    facets = allFacets(searcher);
                }
            } else if (r.facets()) {
                FacetsCollector fc = searcher.search(matching, new FacetsCollectorManager());
                total = 0;
                for (FacetsCollector.MatchingDocs m : fc.getMatchingDocs()) {
                    total += m.totalHits;
                }
                facets = facets(searcher, fc, total);
            } else if (top.totalHits.relation == TotalHits.Relation.EQUAL_TO) {
                total = top.totalHits.value;
            } else {
                total = searcher.count(matching);
            }
            Set<String> marks = highlightTerms(variants);
            List<SearchResult.Hit> hits = new ArrayList<>();
            var stored = searcher.storedFields();
            for (ScoreDoc sd : top.scoreDocs) {
                Document d = stored.document(sd.doc);
                String name = d.get("name");
                hits.add(new SearchResult.Hit(Long.parseLong(d.get("id")), d.get("code"), name,
                        Highlighter.mark(name, marks), Highlighter.snippet(d.get("abstract"), marks, 120),
                        d.get("f_provider"), d.get("f_shareAttribute"), d.get("f_openAttribute"),
                        d.get("f_updateCycle"), d.getField("version").numericValue().intValue(), sd.score));
            }
            String next = null;
            if (top.scoreDocs.length == r.size() && top.scoreDocs.length > 0) {
                ScoreDoc last = top.scoreDocs[top.scoreDocs.length - 1];
                Object[] values = ((FieldDoc) last).fields;
                next = encode(last.score, (Long) values[values.length - 1]);
            }
            return new SearchResult(total, hits, facets, next);
        } finally {
            manager.release(searcher);
        }
    }

    private static Query withFilters(Query query, List<Query> filters) {
        if (filters.isEmpty()) {
            return query;
        }
        BooleanQuery.Builder b = new BooleanQuery.Builder().add(query, Occur.MUST);
        filters.forEach(f -> b.add(f, Occur.FILTER));
        return b.build();
    }

    /**
     * The matching set of a text query, null for no text. Every character (and every non-Chinese word) of one of the
     * variants must occur somewhere in the entry, so "宁波年报" finds 宁波市企业年度报告信息; codes match exactly or by
     * prefix.
     */
    private Query recall(String q, List<String> variants) {
        if (q.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder recall = new BooleanQuery.Builder();
        for (String v : variants) {
            Set<String> required = new TreeSet<>();
            boolean bigrams = false;
            for (String t : Analyzers.tokens(bigram, Analyzers.BIGRAM, v)) {
                if (!isCjkBigram(t)) {
                    required.add(t);
                } else {
                    bigrams = true;
                }
            }
            if (required.isEmpty()) {
                continue;
            }
            // Single characters score only when the query has no bigram to rank by (e.g. 房, 车); otherwise they just
            // filter, which keeps broad queries cheap: fewer clauses to score per matching entry.
            Occur occur = bigrams ? Occur.FILTER : Occur.MUST;
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            required.forEach(t -> all.add(new TermQuery(new Term(Analyzers.BIGRAM, t)), occur));
            recall.add(all.build(), Occur.SHOULD);
        }
        if (q.matches("[0-9][0-9/]*")) {
            // Resource codes: exact match first, then prefix (e.g. a classification code).
            recall.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term("code", q))), 50f), Occur.SHOULD);
            recall.add(new BoostQuery(new ConstantScoreQuery(new PrefixQuery(new Term("code", q))), 10f), Occur.SHOULD);
        }
        recall.setMinimumNumberShouldMatch(1);
        return recall.build();
    }

    /**
     * Ranking only (never decides what matches): bigrams in the name, smartcn words in the whole text, the exact
     * name. Text bigrams are left out: they repeat what the words say, and on a broad query every hit would score
     * them.
     */
    private Query ranking(List<String> variants) {
        BooleanQuery.Builder ranking = new BooleanQuery.Builder();
        for (String v : variants) {
            Set<String> tokens = new TreeSet<>(Analyzers.tokens(bigram, Analyzers.BIGRAM, v));
            if (tokens.isEmpty()) {
                continue;
            }
            for (String t : tokens) {
                if (isCjkBigram(t)) {
                    ranking.add(new BoostQuery(new TermQuery(new Term(Analyzers.NAME_BIGRAM, t)), 2f), Occur.SHOULD);
                }
            }
            for (String w : new TreeSet<>(Analyzers.tokens(analyzer, Analyzers.WORDS, v))) {
                ranking.add(new TermQuery(new Term(Analyzers.WORDS, w)), Occur.SHOULD);
            }
            ranking.add(new BoostQuery(new TermQuery(new Term("name_exact", v)), 20f), Occur.SHOULD);
        }
        return ranking.build();
    }

    /** A CJK bigram token: two Chinese characters (unigrams and Latin words are matched exactly). */
    private static boolean isCjkBigram(String t) {
        return t.length() == 2 && Character.isIdeographic(t.codePointAt(0)) && Character.isIdeographic(t.codePointAt(1));
    }

    private Set<String> highlightTerms(List<String> variants) {
        Set<String> marks = new TreeSet<>();
        for (String v : variants) {
            List<String> tokens = Analyzers.tokens(bigram, Analyzers.BIGRAM, v);
            boolean single = tokens.size() == 1;
            for (String t : tokens) {
                // mark bigrams (and a one-character query), not every scattered character
                if (single || t.length() > 1) {
                    marks.add(t);
                }
            }
        }
        return marks;
    }

    /** Facet counts of the whole index: the same for every search until the next refresh, so computed once. */
    private Map<String, List<SearchResult.FacetCount>> allFacets(IndexSearcher searcher) throws IOException {
        StateHolder h = facetHolder(searcher.getIndexReader());
        return h == null ? emptyFacets() : top(h.allCounts());
    }

    /**
     * Facet counts of the matching set. When more than half of the index matches (a broad one-character query), the
     * entries that do not match are counted instead and subtracted from the whole index's counts: the same figures
     * for less work.
     */
    private Map<String, List<SearchResult.FacetCount>> facets(IndexSearcher searcher, FacetsCollector fc, long total)
            throws IOException {
        IndexReader reader = searcher.getIndexReader();
        StateHolder h = facetHolder(reader);
        if (h == null) {
            return emptyFacets();
        }
        if (total * 2 <= reader.numDocs()) {
            return top(counts(new SortedSetDocValuesFacetCounts(h.state(), fc)));
        }
        Map<String, Map<String, Integer>> all = h.allCounts();
        if (total == reader.numDocs()) {
            return top(all);
        }
        Map<String, Map<String, Integer>> rest = counts(new SortedSetDocValuesFacetCounts(h.state(), complement(reader, fc)));
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        all.forEach((dim, labels) -> {
            Map<String, Integer> minus = rest.getOrDefault(dim, Map.of());
            Map<String, Integer> m = new LinkedHashMap<>();
            labels.forEach((label, n) -> {
                int c = n - minus.getOrDefault(label, 0);
                if (c > 0) {
                    m.put(label, c);
                }
            });
            out.put(dim, m);
        });
        return top(out);
    }

    /** The live entries a search did not match, segment by segment. */
    private static FacetsCollector complement(IndexReader reader, FacetsCollector hits) throws IOException {
        Map<Object, FacetsCollector.MatchingDocs> byLeaf = new HashMap<>();
        for (FacetsCollector.MatchingDocs m : hits.getMatchingDocs()) {
            byLeaf.put(m.context.id(), m);
        }
        List<FacetsCollector.MatchingDocs> rest = new ArrayList<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            int maxDoc = leaf.reader().maxDoc();
            FixedBitSet bits = new FixedBitSet(maxDoc);
            bits.set(0, maxDoc);
            FacetsCollector.MatchingDocs m = byLeaf.get(leaf.id());
            DocIdSetIterator matched = m == null || m.bits == null ? null : m.bits.iterator();
            if (matched != null) {
                for (int d = matched.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = matched.nextDoc()) {
                    bits.clear(d);
                }
            }
            Bits live = leaf.reader().getLiveDocs();
            if (live != null) {
                for (int d = bits.nextSetBit(0); d != DocIdSetIterator.NO_MORE_DOCS;
                        d = d + 1 < maxDoc ? bits.nextSetBit(d + 1) : DocIdSetIterator.NO_MORE_DOCS) {
                    if (!live.get(d)) {
                        bits.clear(d);
                    }
                }
            }
            rest.add(new FacetsCollector.MatchingDocs(leaf, new BitDocIdSet(bits), bits.cardinality(), null));
        }
        return new FacetsCollector() {
            @Override
            public List<MatchingDocs> getMatchingDocs() {
                return rest;
            }
        };
    }

    private static Map<String, List<SearchResult.FacetCount>> emptyFacets() {
        Map<String, List<SearchResult.FacetCount>> out = new LinkedHashMap<>();
        DIMENSIONS.forEach(dim -> out.put(dim, List.of()));
        return out;
    }

    /** Every value's count, per dimension. */
    private static Map<String, Map<String, Integer>> counts(Facets facets) throws IOException {
        Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
        for (String dim : DIMENSIONS) {
            Map<String, Integer> m = new LinkedHashMap<>();
            FacetResult res;
            try {
                res = facets.getAllChildren(dim);
            } catch (IllegalArgumentException absent) {
                res = null;
            }
            if (res != null) {
                for (LabelAndValue lv : res.labelValues) {
                    m.put(lv.label, lv.value.intValue());
                }
            }
            out.put(dim, m);
        }
        return out;
    }

    /** The 50 most frequent values per dimension, most frequent first (ties by value). */
    private static Map<String, List<SearchResult.FacetCount>> top(Map<String, Map<String, Integer>> counts) {
        Map<String, List<SearchResult.FacetCount>> out = new LinkedHashMap<>();
        for (String dim : DIMENSIONS) {
            out.put(dim, counts.getOrDefault(dim, Map.of()).entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(FACET_VALUES)
                    .map(e -> new SearchResult.FacetCount(e.getKey(), e.getValue()))
                    .toList());
        }
        return out;
    }

    private StateHolder facetHolder(IndexReader reader) throws IOException {
        StateHolder h = facetState;
        if (h != null && h.reader() == reader) {
            return h;
        }
        synchronized (this) {
            h = facetState;
            if (h != null && h.reader() == reader) {
                return h;
            }
            SortedSetDocValuesReaderState state;
            try {
                state = new DefaultSortedSetDocValuesReaderState(reader, facetsConfig);
            } catch (IllegalArgumentException empty) {
                return null; // no facet field indexed yet
            }
            h = new StateHolder(reader, state);
            facetState = h;
            return h;
        }
    }

    private static String encode(float score, long eid) {
        String raw = Float.floatToIntBits(score) + ":" + eid;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor carries the last hit's sort values (score, entry id); the doc id is set to the last one so an
     * equal-valued hit (the same entry) is never repeated. Without text the score is constant and only the id sorts.
     */
    private static FieldDoc decode(String cursor, int maxDoc, boolean byEid) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            float score = Float.intBitsToFloat(Integer.parseInt(p[0]));
            long eid = Long.parseLong(p[1]);
            return byEid ? new FieldDoc(Math.max(0, maxDoc - 1), Float.NaN, new Object[] {eid})
                    : new FieldDoc(Math.max(0, maxDoc - 1), score, new Object[] {score, eid});
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad cursor");
        }
    }

    @Override
    public void close() throws IOException {
        manager.close();
        writer.close();
        directory.close();
    }
}
