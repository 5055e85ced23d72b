package cn.onenet.catalog.service.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.Facets;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesReaderState;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
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
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

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

    private final Directory directory;
    private final Analyzer analyzer = Analyzers.perField();
    private final Analyzer bigram = Analyzers.bigram();
    private final IndexWriter writer;
    private final SearcherManager manager;
    private final FacetsConfig facetsConfig = new FacetsConfig();
    private volatile StateHolder facetState;

    private record StateHolder(IndexReader reader, SortedSetDocValuesReaderState state) {
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
     */
    public SearchResult search(SearchRequest r, Map<String, String> synonyms) throws IOException {
        String q = r.q() == null ? "" : r.q().trim();
        List<String> variants = Synonyms.variants(q, synonyms);
        Query query = build(q, variants);
        BooleanQuery.Builder filtered = new BooleanQuery.Builder().add(query, Occur.MUST);
        if (r.openOnly()) {
            filtered.add(new TermQuery(new Term("f_openAttribute", "OPEN")), Occur.FILTER);
        }
        if (r.filters() != null) {
            r.filters().forEach((dim, value) -> filtered.add(new TermQuery(new Term("f_" + dim, value)), Occur.FILTER));
        }
        Query finalQuery = filtered.build();
        IndexSearcher searcher = manager.acquire();
        try {
            FieldDoc after = decode(r.cursor(), searcher.getIndexReader().maxDoc());
            FacetsCollector fc = r.facets() ? new FacetsCollector() : null;
            TopDocs top;
            if (fc != null) {
                top = after == null ? FacetsCollector.search(searcher, finalQuery, r.size(), SORT, true, fc)
                        : FacetsCollector.searchAfter(searcher, after, finalQuery, r.size(), SORT, true, fc);
            } else {
                top = after == null ? searcher.search(finalQuery, r.size(), SORT, true)
                        : searcher.searchAfter(after, finalQuery, r.size(), SORT, true);
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
                next = encode((FieldDoc) top.scoreDocs[top.scoreDocs.length - 1]);
            }
            Map<String, List<SearchResult.FacetCount>> facets = fc == null ? Map.of() : facets(searcher, fc);
            long total = top.totalHits.value;
            return new SearchResult(total, hits, facets, next);
        } finally {
            manager.release(searcher);
        }
    }

    private Query build(String q, List<String> variants) {
        if (q.isEmpty()) {
            return new MatchAllDocsQuery();
        }
        BooleanQuery.Builder recall = new BooleanQuery.Builder();
        BooleanQuery.Builder ranking = new BooleanQuery.Builder();
        for (String v : variants) {
            List<String> tokens = Analyzers.tokens(bigram, Analyzers.BIGRAM, v);
            if (tokens.isEmpty()) {
                continue;
            }
            // Recall: every character (and every non-Chinese word) of the query must occur somewhere in the entry,
            // so "宁波年报" finds 宁波市企业年度报告信息. Ranking: bigrams in the name and the text, smartcn words.
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            for (String t : new TreeSet<>(tokens)) {
                if (!isCjkBigram(t)) {
                    all.add(new TermQuery(new Term(Analyzers.BIGRAM, t)), Occur.MUST);
                } else {
                    ranking.add(new TermQuery(new Term(Analyzers.BIGRAM, t)), Occur.SHOULD);
                    ranking.add(new BoostQuery(new TermQuery(new Term(Analyzers.NAME_BIGRAM, t)), 2f), Occur.SHOULD);
                }
            }
            recall.add(all.build(), Occur.SHOULD);
            for (String w : new TreeSet<>(Analyzers.tokens(analyzer, Analyzers.WORDS, v))) {
                ranking.add(new TermQuery(new Term(Analyzers.WORDS, w)), Occur.SHOULD);
            }
            ranking.add(new BoostQuery(new TermQuery(new Term("name_exact", v)), 20f), Occur.SHOULD);
        }
        if (q.matches("[0-9][0-9/]*")) {
            // Resource codes: exact match first, then prefix (e.g. a classification code).
            recall.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term("code", q))), 50f), Occur.SHOULD);
            recall.add(new BoostQuery(new ConstantScoreQuery(new PrefixQuery(new Term("code", q))), 10f), Occur.SHOULD);
        }
        recall.setMinimumNumberShouldMatch(1);
        return new BooleanQuery.Builder().add(recall.build(), Occur.MUST).add(ranking.build(), Occur.SHOULD).build();
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

    private Map<String, List<SearchResult.FacetCount>> facets(IndexSearcher searcher, FacetsCollector fc)
            throws IOException {
        SortedSetDocValuesReaderState state = facetState(searcher.getIndexReader());
        Map<String, List<SearchResult.FacetCount>> out = new LinkedHashMap<>();
        if (state == null) {
            return out;
        }
        Facets facets = new SortedSetDocValuesFacetCounts(state, fc);
        for (String dim : DIMENSIONS) {
            List<SearchResult.FacetCount> counts = new ArrayList<>();
            FacetResult res;
            try {
                res = facets.getTopChildren(50, dim);
            } catch (IllegalArgumentException absent) {
                res = null;
            }
            if (res != null) {
                for (LabelAndValue lv : res.labelValues) {
                    counts.add(new SearchResult.FacetCount(lv.label, lv.value.intValue()));
                }
            }
            out.put(dim, counts);
        }
        return out;
    }

    private SortedSetDocValuesReaderState facetState(IndexReader reader) throws IOException {
        StateHolder h = facetState;
        if (h != null && h.reader() == reader) {
            return h.state();
        }
        synchronized (this) {
            h = facetState;
            if (h != null && h.reader() == reader) {
                return h.state();
            }
            SortedSetDocValuesReaderState state;
            try {
                state = new DefaultSortedSetDocValuesReaderState(reader, facetsConfig);
            } catch (IllegalArgumentException empty) {
                return null; // no facet field indexed yet
            }
            facetState = new StateHolder(reader, state);
            return state;
        }
    }

    private static String encode(FieldDoc d) {
        String raw = Float.floatToIntBits((Float) d.fields[0]) + ":" + d.fields[1];
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor carries the last hit's sort values (score, entry id); the doc id is set to the last one so an
     * equal-valued hit (the same entry) is never repeated.
     */
    private static FieldDoc decode(String cursor, int maxDoc) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
            float score = Float.intBitsToFloat(Integer.parseInt(p[0]));
            long eid = Long.parseLong(p[1]);
            return new FieldDoc(Math.max(0, maxDoc - 1), score, new Object[] {score, eid});
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
