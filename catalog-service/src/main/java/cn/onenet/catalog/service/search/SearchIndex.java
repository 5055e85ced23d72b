package cn.onenet.catalog.service.search;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
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
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The embedded Lucene index of live (published) entries. PostgreSQL is the source of truth: the index is built from
 * it at startup and then follows the change feed, so every replica converges on the same content.
 */
public class SearchIndex implements AutoCloseable {

    /** Facet dimensions and the document field each comes from. */
    public static final List<String> DIMENSIONS = List.of("provider", "resourceClass", "category", "shareAttribute",
            "openAttribute", "updateCycle", "region", "grade", "format");

    /** Without text every hit scores the same: the order is the entry id's, found through its points. */
    private static final Sort BY_EID = new Sort(new SortField("eid", SortField.Type.LONG));

    /**
     * Dimensions counted together (indexes into {@link #DIMENSIONS}): each group has few value combinations, so
     * its counters stay in the CPU cache. Provider and region go together (a department has one region).
     */
    private static final int[][] FACET_GROUPS = {{0, 6}, {1, 2, 7}, {3, 4, 5, 8}};

    /** The dimensions a hit shows. */
    private static final int PROVIDER = 0;
    private static final int SHARE = 3;
    private static final int OPEN = 4;
    private static final int CYCLE = 5;

    /** Doc-values fields of what a page shows. */
    private static final String PAGE_CODE = "page_code";
    private static final String PAGE_NAME = "page_name";
    private static final String PAGE_ABSTRACT = "page_abstract";
    private static final String PAGE_VERSION = "page_version";

    /**
     * Filter field of the region dimension: the entry's region code and the codes of its city and province, so that
     * filtering on a city or a province finds the entries of its counties. The region facet counts the entry's own
     * code only.
     */
    private static final String REGION_WITHIN = "f_region_within";

    /** Values listed per facet dimension. */
    private static final int FACET_VALUES = 50;

    /** Text fields: terms with their frequencies (BM25) but no positions, which no query uses. */
    private static final FieldType TERMS = new FieldType(TextField.TYPE_NOT_STORED);

    static {
        TERMS.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
        TERMS.freeze();
    }

    private static final Logger LOG = Logger.getLogger(SearchIndex.class);

    private final Directory directory;
    private final Analyzers.Words words = new Analyzers.Words();
    private final Analyzer analyzer = Analyzers.perField(words);
    private final Analyzer bigram = Analyzers.bigram();
    private final IndexWriter writer;
    private final SearcherManager manager;
    private final FacetsConfig facetsConfig = new FacetsConfig();
    private volatile ReaderState readerState;
    private final Map<IndexReader.CacheKey, FacetTable> facetTables = new java.util.concurrent.ConcurrentHashMap<>();
    private final TermBits termBits = new TermBits(Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 16));

    public SearchIndex(String indexDir) throws IOException {
        this(indexDir, false);
    }

    /**
     * {@code keep}: open the index already in {@code indexDir} (its documents and commit data) instead of starting an
     * empty one. An index that cannot be opened (damaged, or written by an incompatible Lucene) is deleted and
     * replaced by an empty one, which the caller then rebuilds.
     */
    public SearchIndex(String indexDir, boolean keep) throws IOException {
        if (indexDir == null || indexDir.isBlank()) {
            directory = new ByteBuffersDirectory();
        } else {
            Path p = Path.of(indexDir);
            Files.createDirectories(p);
            directory = FSDirectory.open(p);
        }
        IndexWriter opened;
        try {
            opened = new IndexWriter(directory, writerConfig(keep));
        } catch (LockObtainFailedException e) {
            // another process has the directory open: never touch its files
            throw new IOException("the search index directory " + indexDir + " is in use by another process", e);
        } catch (IOException | IllegalArgumentException e) {
            if (!keep) {
                throw e;
            }
            LOG.warnf("Search index in %s cannot be opened (%s): starting an empty one", indexDir, e.toString());
            // even a new index reads the old commit point to number its own, so the damaged files go first (the
            // directory holds nothing but the index)
            for (String file : directory.listAll()) {
                directory.deleteFile(file);
            }
            opened = new IndexWriter(directory, writerConfig(false));
        }
        writer = opened;
        manager = new SearcherManager(writer, null);
    }

    private IndexWriterConfig writerConfig(boolean keep) {
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer);
        cfg.setOpenMode(keep ? IndexWriterConfig.OpenMode.CREATE_OR_APPEND : IndexWriterConfig.OpenMode.CREATE);
        cfg.setRAMBufferSizeMB(Math.max(16, Math.min(64, (Runtime.getRuntime().maxMemory() >> 20) / 8)));
        return cfg;
    }

    /** The user data of the last commit (empty for a new index). */
    public Map<String, String> commitData() {
        Map<String, String> data = new HashMap<>();
        Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
        if (live != null) {
            live.forEach(e -> data.put(e.getKey(), e.getValue()));
        }
        return data;
    }

    // ------------------------------------------------------------ writing

    /**
     * The indexing buffer: large during a rebuild (fewer, larger flushed segments to merge), small otherwise. Kept to
     * an eighth of the heap.
     */
    public void ramBuffer(int mb) {
        long heapMb = Runtime.getRuntime().maxMemory() >> 20;
        writer.getConfig().setRAMBufferSizeMB(Math.max(16, Math.min(mb, heapMb / 8)));
    }

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

    /** After a rebuild: drops the remembered segmentation of the catalogue's sentences. */
    public void forgetSentences() {
        words.forget();
    }

    public void refresh() throws IOException {
        manager.maybeRefreshBlocking();
    }

    public void commit() throws IOException {
        writer.commit();
    }

    /** Commits with user data (e.g. how far the change feed has been applied), read back by {@link #commitData()}. */
    public void commit(Map<String, String> data) throws IOException {
        writer.setLiveCommitData(Map.copyOf(data).entrySet());
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
        d.add(new StringField("id", Long.toString(id), Field.Store.NO));
        d.add(new NumericDocValuesField("eid", id));
        d.add(new LongPoint("eid", id)); // lets an eid-ordered page skip to its first candidates
        String code = e.path("resourceCode").asText("");
        d.add(new StringField("code", code, Field.Store.NO));
        String name = e.path("name").asText("");
        String summary = e.path("abstract").asText("");
        // What a page shows comes from doc values (read per hit, no stored-field block to decompress); the
        // provider and the attributes come from the facet values.
        d.add(new BinaryDocValuesField(PAGE_CODE, new BytesRef(code)));
        d.add(new BinaryDocValuesField(PAGE_NAME, new BytesRef(name)));
        d.add(new BinaryDocValuesField(PAGE_ABSTRACT, new BytesRef(summary)));
        d.add(new NumericDocValuesField(PAGE_VERSION, e.path("version").asInt()));
        d.add(new StringField("name_exact", name, Field.Store.NO));
        // The text, one line per part: name, abstract, each data item, each keyword, department, category. The
        // word field takes every line as a value of its own: no word spans two parts, and smartcn segments (and
        // remembers) each part on its own, so the parts a catalogue repeats are segmented once per rebuild.
        List<String> lines = new ArrayList<>();
        lines.add(name);
        lines.add(summary);
        for (JsonNode item : e.path("items")) {
            lines.add(item.path("name").asText("") + ' ' + item.path("code").asText(""));
        }
        for (JsonNode k : e.path("keywords")) {
            lines.add(k.asText(""));
        }
        lines.add(e.path("providerDepartmentName").asText(""));
        lines.add(e.path("classification").path("category").asText(""));
        lines.add(e.path("dataCategory").asText(""));
        d.add(new Field(Analyzers.BIGRAM, String.join("\n", lines), TERMS));
        for (String line : lines) {
            if (!line.isBlank()) {
                d.add(new Field(Analyzers.WORDS, line, TERMS));
            }
        }
        d.add(new Field(Analyzers.NAME_BIGRAM, name, TERMS));
        Map<String, String> facets = facetValues(e);
        facets.forEach((dim, value) -> {
            if (!value.isEmpty()) {
                d.add(new SortedSetDocValuesFacetField(dim, value));
                d.add(new StringField("f_" + dim, value, Field.Store.NO));
            }
        });
        for (String region : regionAndAncestors(facets.get("region"))) {
            d.add(new StringField(REGION_WITHIN, region, Field.Store.NO));
        }
        return d;
    }

    /**
     * A GB/T 2260 code and the codes of the regions containing it (R33): its city ({@code XXXX00}) and its province
     * ({@code XX0000}). A code that is not six digits stands for itself only.
     */
    static Set<String> regionAndAncestors(String code) {
        Set<String> codes = new TreeSet<>();
        if (code == null || code.isEmpty()) {
            return codes;
        }
        codes.add(code);
        if (code.matches("[0-9]{6}")) {
            codes.add(code.substring(0, 4) + "00");
            codes.add(code.substring(0, 2) + "0000");
        }
        return codes;
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
     * Recall: every word of one of the query's variants (synonyms expanded; a Chinese word by its bigrams, words such
     * as 查询 left out) must occur in the entry; codes match exactly or by prefix; facet filters and the caller's view
     * narrow it down. When that matches nothing, the query with common misspellings corrected, then the entries
     * holding part of its words. Ranking adds the name's bigrams, the smartcn words of the text and the exact name.
     * <p>
     * The matching set is computed once, as one bit set per segment (common characters come from kept bit sets): it
     * gives the exact total and the facet counts, and filters the page query, which collects the page with
     * score-based skipping (ties in document order, so a hit that cannot beat the page is never scored).
     */
    public SearchResult search(SearchRequest r, Map<String, String> synonyms) throws IOException {
        // strip(), not trim(): a query of ideographic spaces (U+3000, as Chinese input methods type them) is no query
        String typed = r.q() == null ? "" : r.q().strip();
        // traditional characters as simplified ones, so that the synonyms and corrections apply to them too; the
        // answer names the query as it was read (correctedQuery), as for a corrected misspelling
        String q = Analyzers.simplified(typed);
        List<String> variants = Synonyms.variants(q, synonyms);
        List<Term> filters = new ArrayList<>();
        if (r.openOnly()) {
            filters.add(new Term("f_openAttribute", "OPEN"));
        }
        if (r.filters() != null) {
            // a region filter rolls up: a city or province finds the entries of the regions it contains
            r.filters().forEach((dim, value) -> filters.add(
                    new Term("region".equals(dim) ? REGION_WITHIN : "f_" + dim, value)));
        }
        Recall recall = q.isEmpty() ? null : recall(q, variants, null);
        IndexSearcher searcher = manager.acquire();
        try {
            IndexReader reader = searcher.getIndexReader();
            ReaderState state = readerState(reader);
            // null: the whole index (no text, no filter)
            List<FixedBitSet> matching = recall == null && filters.isEmpty() ? null : matching(reader, state, recall, filters);
            long total = matching == null ? reader.numDocs() : cardinality(matching);
            String corrected = null;
            boolean partial = false;
            if (total == 0 && recall != null && recall.code() == null) {
                // nothing holds every word: a common misspelling corrected, else the entries holding part of the words
                String c = QueryText.corrected(q);
                if (c == null && !q.equals(typed)) {
                    // a misspelling the folding changed (户藉: ICU writes 藉 as 借) is corrected as typed
                    String asTyped = QueryText.corrected(typed);
                    c = asTyped == null ? null : Analyzers.simplified(asTyped);
                }
                List<String> correctedVariants = c == null ? List.of() : Synonyms.variants(c, synonyms);
                Reading better = null;
                if (c != null) {
                    better = read(reader, state, c, correctedVariants, false, filters);
                    corrected = better.total() > 0 ? c : null;
                }
                if (corrected == null) {
                    List<String> all = new ArrayList<>(variants);
                    correctedVariants.stream().filter(v -> !all.contains(v)).forEach(all::add);
                    better = read(reader, state, q, all, true, filters);
                    partial = better.total() > 0;
                }
                if (better.total() > 0) {
                    variants = better.variants();
                    recall = better.recall();
                    matching = better.matching();
                    total = better.total();
                }
            }
            TopDocs top;
            Cursor after = Cursor.decode(r.cursor());
            if (recall == null) {
                Query page = matching == null ? new MatchAllDocsQuery() : new ConstantScoreQuery(new BitSetQuery(matching));
                FieldDoc a = after == null ? null : new FieldDoc(Math.max(0, reader.maxDoc() - 1), Float.NaN, new Object[] {after.eid()});
                top = searcher.search(page, new TopFieldCollectorManager(BY_EID, r.size(), a, r.size()));
                for (ScoreDoc sd : top.scoreDocs) {
                    sd.score = 1f;
                }
            } else {
                BooleanQuery.Builder scoring = new BooleanQuery.Builder();
                ClauseBudget budget = new ClauseBudget();
                recall.scoring(scoring, budget);
                ranking(variants, scoring, budget);
                Ranked ranked = new Ranked(scoring.build(), matching, total * BROAD >= reader.maxDoc());
                ScoreDoc a = after == null ? null : after.in(searcher, ranked);
                top = new TopDocs(new TotalHits(total, TotalHits.Relation.EQUAL_TO), ranked.page(searcher, a, r.size()));
            }
            if (corrected == null && total > 0 && !q.equals(typed)) {
                corrected = q;
            }
            Map<String, List<SearchResult.FacetCount>> facets = Map.of();
            if (r.facets()) {
                facets = top(reader, matching == null ? state.allCounts() : counts(reader, state, matching, total));
            }
            Set<String> marks = highlightTerms(variants);
            List<SearchResult.Hit> hits = page(reader, top.scoreDocs, marks);
            long[] eids = hits.stream().mapToLong(SearchResult.Hit::id).toArray();
            String next = null;
            if (top.scoreDocs.length == r.size() && top.scoreDocs.length > 0) {
                int lastAt = top.scoreDocs.length - 1;
                ScoreDoc last = top.scoreDocs[lastAt];
                next = new Cursor(last.score, eids[lastAt], last.doc, version(reader)).encode();
            }
            return new SearchResult(total, hits, facets, next, recall == null ? List.of() : recall.ignored(), corrected,
                    partial);
        } finally {
            manager.release(searcher);
        }
    }

    /** One reading of the query's text: its variants, their recall and the matching set it gives. */
    private record Reading(List<String> variants, Recall recall, List<FixedBitSet> matching, long total) {
    }

    private Reading read(IndexReader reader, ReaderState state, String text, List<String> variants, boolean partial,
            List<Term> filters) throws IOException {
        Recall recall = recall(text, variants, partial ? reader : null);
        List<FixedBitSet> matching = matching(reader, state, recall, filters);
        return new Reading(variants, recall, matching, cardinality(matching));
    }

    private static long cardinality(List<FixedBitSet> matching) {
        long total = 0;
        for (FixedBitSet b : matching) {
            total += b.cardinality();
        }
        return total;
    }

    /**
     * A matching set is broad when it holds at least one entry in this many (at 1,000,000 entries: 7,813). Below it,
     * walking the set costs less than walking the postings of the ranking terms (a catalogue's common words).
     */
    private static final int BROAD = 128;

    /**
     * How a page is ranked: the scoring clauses (one disjunction) over the matching set. A narrow set leads: it is
     * walked and each of its entries scored (the scoring clauses are advanced to it). A broad set is handed to the
     * disjunction as its accepted documents ({@link WithinSetQuery}), so the disjunction ranks with dynamic pruning and
     * most of the set is never scored; the entries of the set no clause matches (score 0) then follow in document order.
     * Both give each entry the same score: the sum of its matching clauses.
     */
    private record Ranked(Query scoring, List<FixedBitSet> matching, boolean broad) {

        private Query within(List<FixedBitSet> set) {
            return broad ? new WithinSetQuery(scoring, set)
                    : new BooleanQuery.Builder().add(new BitSetQuery(set), Occur.FILTER).add(scoring, Occur.SHOULD).build();
        }

        /** The page after {@code after}: by score, ties in document order. */
        ScoreDoc[] page(IndexSearcher searcher, ScoreDoc after, int size) throws IOException {
            if (!broad) {
                return searcher.search(within(matching), new TopScoreDocCollectorManager(size, after, size)).scoreDocs;
            }
            List<ScoreDoc> out = new ArrayList<>(size);
            if (after == null || after.score > 0) {
                out.addAll(List.of(searcher.search(within(matching), new TopScoreDocCollectorManager(size, after, size)).scoreDocs));
            }
            if (out.size() < size) {
                List<FixedBitSet> rest = matching;
                if (after != null && after.score <= 0) {
                    rest = new ArrayList<>();
                    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                        FixedBitSet b = matching.get(leaf.ord).clone();
                        b.clear(0, Math.max(0, Math.min(b.length(), after.doc + 1 - leaf.docBase)));
                        rest.add(b);
                    }
                }
                int wanted = size - out.size();
                Query unscored = new BooleanQuery.Builder().add(new BitSetQuery(rest), Occur.FILTER)
                        .add(scoring, Occur.MUST_NOT).build();
                for (ScoreDoc sd : searcher.search(unscored, new TopScoreDocCollectorManager(wanted, null, wanted)).scoreDocs) {
                    out.add(new ScoreDoc(sd.doc, 0f));
                }
            }
            return out.toArray(ScoreDoc[]::new);
        }

        /** The score of one entry of the set ({@code doc}: top-level document number), as a page computes it. */
        float score(IndexSearcher searcher, int doc) throws IOException {
            List<FixedBitSet> only = new ArrayList<>();
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                FixedBitSet b = new FixedBitSet(leaf.reader().maxDoc());
                if (doc >= leaf.docBase && doc - leaf.docBase < b.length()) {
                    b.set(doc - leaf.docBase);
                }
                only.add(b);
            }
            ScoreDoc[] hit = searcher.search(within(only), 1).scoreDocs;
            return hit.length == 1 ? hit[0].score : 0f;
        }

        boolean contains(IndexReader reader, int doc) {
            List<LeafReaderContext> leaves = reader.leaves();
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
            return matching.get(leaf.ord).get(doc - leaf.docBase);
        }
    }

    /** The hits of a page, read from doc values and the facet tables (in document order, as doc values are read). */
    private List<SearchResult.Hit> page(IndexReader reader, ScoreDoc[] docs, Set<String> marks) throws IOException {
        Integer[] order = new Integer[docs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingInt(i -> docs[i].doc));
        SearchResult.Hit[] hits = new SearchResult.Hit[docs.length];
        List<LeafReaderContext> leaves = reader.leaves();
        int leafOrd = -1;
        LeafReaderContext leaf = null;
        NumericDocValues eid = null;
        NumericDocValues version = null;
        BinaryDocValues code = null;
        BinaryDocValues name = null;
        BinaryDocValues summary = null;
        FacetTable facets = null;
        for (int i : order) {
            int doc = docs[i].doc;
            int ord = ReaderUtil.subIndex(doc, leaves);
            if (ord != leafOrd) {
                leafOrd = ord;
                leaf = leaves.get(ord);
                LeafReader lr = leaf.reader();
                eid = DocValues.getNumeric(lr, "eid");
                version = DocValues.getNumeric(lr, PAGE_VERSION);
                code = DocValues.getBinary(lr, PAGE_CODE);
                name = DocValues.getBinary(lr, PAGE_NAME);
                summary = DocValues.getBinary(lr, PAGE_ABSTRACT);
                facets = facetTable(lr);
            }
            int d = doc - leaf.docBase;
            String n = text(name, d);
            hits[i] = new SearchResult.Hit(eid.advanceExact(d) ? eid.longValue() : -1, text(code, d), n,
                    Highlighter.mark(n, marks), Highlighter.snippet(text(summary, d), marks, 120),
                    facets.label(d, PROVIDER), facets.label(d, SHARE), facets.label(d, OPEN), facets.label(d, CYCLE),
                    version.advanceExact(d) ? (int) version.longValue() : 0, docs[i].score);
        }
        return java.util.Arrays.asList(hits);
    }

    private static String text(BinaryDocValues values, int doc) throws IOException {
        return values.advanceExact(doc) ? values.binaryValue().utf8ToString() : "";
    }

    /**
     * The text part of a query: per variant the terms every match must have (scored when the variant has no bigram
     * to rank by), or, when nothing holds all of them, per variant its words of which a match must hold a minimum;
     * a resource code's exact and prefix matches; the words left out as carrying no meaning.
     */
    private record Recall(List<List<Term>> variants, List<Boolean> scored, List<Partial> partial, String code,
            List<String> ignored) {

        /** Adds the clauses that score recall: variants without a bigram to rank by, partly matched words, codes. */
        void scoring(BooleanQuery.Builder b, ClauseBudget budget) {
            // the code matches first: a query that is a code has no other text
            boolean codes = code != null && budget.take(2);
            for (int i = 0; i < variants.size(); i++) {
                if (scored.get(i) && budget.take(variants.get(i).size())) {
                    b.add(all(variants.get(i)), Occur.SHOULD);
                }
            }
            // an entry holding more of the query ranks higher
            for (Partial p : partial) {
                for (List<Term> word : p.words()) {
                    if (budget.take(word.size())) {
                        b.add(all(word), Occur.SHOULD);
                    }
                }
            }
            if (codes) {
                b.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term("code", code))), 50f), Occur.SHOULD);
                b.add(new BoostQuery(new ConstantScoreQuery(new PrefixQuery(new Term("code", code))), 10f), Occur.SHOULD);
            }
        }

        private static Query all(List<Term> terms) {
            BooleanQuery.Builder all = new BooleanQuery.Builder();
            terms.forEach(t -> all.add(new TermQuery(t), Occur.MUST));
            return all.build();
        }
    }

    /**
     * A variant matched in part: groups of terms (each held when all its terms are), each with its weight (how rare it
     * is in the index); an entry must hold groups weighing more than half of them all together.
     */
    private record Partial(List<List<Term>> words, double[] weights, boolean all) {

        /** What an entry's groups must weigh more than: half of them all, or (with {@code all}) just under all. */
        double half() {
            double total = 0;
            for (double w : weights) {
                total += w;
            }
            return all ? total * 0.999 : total / 2;
        }
    }

    /**
     * Terms of one variant, and of all variants together, a partial match considers (the rest of a long query only
     * ranks): each costs a walk over its entries.
     */
    private static final int PARTIAL_UNITS = 32;
    private static final int PARTIAL_BUDGET = 64;

    /**
     * How many clauses the page query may still take. Lucene refuses a query of more than
     * {@link IndexSearcher#getMaxClauseCount()} clauses, nested ones counted, and a long query holding several
     * synonyms has thousands of ranking terms (each variant repeats the text). The scoring clauses only rank (the
     * matching set is computed apart), so those beyond the limit are left out instead of failing the search; the first
     * variant, the query as typed, ranks first. A few are kept for the clauses the page query wraps around them (the
     * set filter, the exclusion of the scored hits).
     */
    static final class ClauseBudget {
        private int left = IndexSearcher.getMaxClauseCount() - 8;

        boolean take(int clauses) {
            if (clauses > left) {
                return false;
            }
            left -= clauses;
            return true;
        }
    }

    /**
     * Every word of one of the variants must occur in the entry, a Chinese word by its character bigrams (a word of one
     * character by the character), words that carry no meaning in a catalogue search (查询, 我的, …) left out: 社保
     * finds the entries that say 社保 (or, through the synonym, 社会保险), not every entry holding 社 and 保 apart.
     * Codes match exactly or by prefix. Single characters score only when the query has no bigram to rank by (e.g. 房,
     * 车); otherwise they just filter.
     * <p>
     * {@code partialIn} (null: the full match above): the partial match of the index read, which the query's
     * distinctive part decides. Of the terms of the words carrying meaning alone (two characters or more, Latin words;
     * all words when there are none), each weighs by how rare it is among the entries (its inverse document
     * frequency, ln(N / df)); a term that most entries hold (浙江, 江省, 数据 in a province's catalogue) tells no entry
     * apart and is left out, as is one no entry holds. An entry must hold terms weighing more than half of the rest:
     * 浙江省公安厅 needs two of 省公, 公安, 安厅 and no longer matches every entry through 浙江 and 江省; 大数据局 matches the
     * entries holding 大数 (数据 is everywhere, 据局 nowhere); a query whose every term is common or absent finds nothing.
     */
    private Recall recall(String q, List<String> variants, IndexReader partialIn) throws IOException {
        boolean partial = partialIn != null;
        List<List<Term>> all = new ArrayList<>();
        List<Boolean> scored = new ArrayList<>();
        List<Partial> partials = new ArrayList<>();
        List<String> ignored = List.of();
        int partialBudget = PARTIAL_BUDGET;
        for (String v : variants) {
            QueryText.Parsed parsed = QueryText.parse(v, bigram, analyzer, Analyzers.WORDS);
            if (v.equals(variants.get(0))) {
                ignored = parsed.ignored();
            }
            if (!partial) {
                Set<String> units = parsed.units();
                if (!units.isEmpty()) {
                    all.add(units.stream().map(t -> new Term(Analyzers.BIGRAM, t)).toList());
                    scored.add(parsed.words().stream().noneMatch(QueryText.Word::hasBigram));
                }
                continue;
            }
            List<QueryText.Word> words = parsed.words().stream().filter(QueryText.Word::strong).toList();
            Set<String> units = new LinkedHashSet<>();
            (words.isEmpty() ? parsed.words() : words).forEach(w -> units.addAll(w.units()));
            int limit = Math.min(PARTIAL_UNITS, partialBudget);
            List<List<Term>> distinctive = new ArrayList<>();
            List<List<Term>> common = new ArrayList<>();
            List<Double> weights = new ArrayList<>();
            int entries = partialIn.numDocs();
            int seen = 0;
            for (String unit : units) {
                if (distinctive.size() == limit || common.size() == limit) {
                    break;
                }
                seen++;
                Term t = new Term(Analyzers.BIGRAM, unit);
                int df = partialIn.docFreq(t);
                if (df == 0) {
                    continue; // held by no entry
                }
                if (2L * df > entries) {
                    common.add(List.of(t)); // held by most: it tells none apart
                    continue;
                }
                distinctive.add(List.of(t));
                weights.add(Math.log((double) entries / df));
            }
            if (4 * (distinctive.size() + common.size()) < seen) {
                continue; // the catalogue holds under a quarter of the query's pairs: a text about something else
            }
            if (!distinctive.isEmpty()) {
                partialBudget -= distinctive.size();
                partials.add(new Partial(distinctive, weights.stream().mapToDouble(Double::doubleValue).toArray(),
                        false));
            } else if (!common.isEmpty()) {
                // only common pairs are held anywhere (户籍誊本 where most entries say 户籍): all of them are needed
                partialBudget -= common.size();
                double[] same = new double[common.size()];
                java.util.Arrays.fill(same, 1);
                partials.add(new Partial(common, same, true));
            }
        }
        return new Recall(all, scored, partials, partial ? null : codeQuery(q), ignored);
    }

    /** Digits between which a list separator or a slash of another width stands for the code's slash. */
    private static final Pattern CODE_SEPARATOR = Pattern.compile("(?<=[0-9])\\s*[/、]\\s*(?=[0-9])");

    /**
     * The resource code a query is (分类码/顺序码, or the start of one), or null: typed with full-width digits and slash
     * (１０１００１／０００００１, NFKC-normalised) or with 、 between its parts as often in Chinese documents.
     */
    static String codeQuery(String q) {
        String n = Normalizer.normalize(q, Normalizer.Form.NFKC).trim();
        n = CODE_SEPARATOR.matcher(n).replaceAll("/");
        return n.matches("[0-9][0-9/]*") ? n : null;
    }

    /** The live entries matching the recall and every filter, one bit set per segment. */
    private List<FixedBitSet> matching(IndexReader reader, ReaderState state, Recall recall, List<Term> filters)
            throws IOException {
        List<FixedBitSet> out = new ArrayList<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            LeafReader lr = leaf.reader();
            FixedBitSet bits;
            if (recall == null) {
                bits = state.live(leaf).clone();
            } else {
                bits = new FixedBitSet(lr.maxDoc());
                for (List<Term> variant : recall.variants()) {
                    bits.or(allOf(lr, variant));
                }
                for (Partial p : recall.partial()) {
                    bits.or(atLeast(lr, p));
                }
                if (recall.code() != null) {
                    bits.or(termBits.copyOf(lr, new Term("code", recall.code())));
                    Terms codes = lr.terms("code");
                    if (codes != null) {
                        TermsEnum te = new PrefixQuery(new Term("code", recall.code())).getTermsEnum(codes);
                        PostingsEnum pe = null;
                        while (te.next() != null) {
                            pe = te.postings(pe, PostingsEnum.NONE);
                            bits.or(pe);
                        }
                    }
                }
                bits.and(state.live(leaf));
            }
            for (Term f : filters) {
                termBits.and(lr, f, bits);
            }
            out.add(bits);
        }
        return out;
    }

    /** The segment's entries holding every term (a fresh bit set). */
    private FixedBitSet allOf(LeafReader lr, List<Term> terms) throws IOException {
        FixedBitSet v = termBits.copyOf(lr, terms.get(0));
        for (int i = 1; i < terms.size(); i++) {
            termBits.and(lr, terms.get(i), v);
        }
        return v;
    }

    /** The segment's entries holding groups of {@code p} that weigh more than half of them all (a group: all its terms). */
    private FixedBitSet atLeast(LeafReader lr, Partial p) throws IOException {
        FixedBitSet out = new FixedBitSet(lr.maxDoc());
        double half = p.half();
        double[] held = new double[lr.maxDoc()];
        for (int i = 0; i < p.words().size(); i++) {
            FixedBitSet b = allOf(lr, p.words().get(i));
            double w = p.weights()[i];
            for (int d = b.nextSetBit(0); d != DocIdSetIterator.NO_MORE_DOCS; d = d + 1 < b.length() ? b.nextSetBit(d + 1)
                    : DocIdSetIterator.NO_MORE_DOCS) {
                held[d] += w;
                if (held[d] > half) {
                    out.set(d);
                }
            }
        }
        return out;
    }

    /**
     * Ranking only (never decides what matches): bigrams in the name, smartcn words in the whole text, the exact
     * name. Text bigrams are left out: they repeat what the words say, and on a broad query every hit would score
     * them.
     */
    private void ranking(List<String> variants, BooleanQuery.Builder ranking, ClauseBudget budget) {
        for (String v : variants) {
            Set<String> tokens = new TreeSet<>(Analyzers.tokens(bigram, Analyzers.BIGRAM, v));
            if (tokens.isEmpty()) {
                continue;
            }
            // the exact name's clause is counted first, added last (the order the scores have always been summed in)
            boolean exact = budget.take(1);
            for (String t : tokens) {
                if (isCjkBigram(t) && budget.take(1)) {
                    ranking.add(new BoostQuery(new TermQuery(new Term(Analyzers.NAME_BIGRAM, t)), 2f), Occur.SHOULD);
                }
            }
            for (String w : new TreeSet<>(Analyzers.tokens(analyzer, Analyzers.WORDS, v))) {
                if (budget.take(1)) {
                    ranking.add(new TermQuery(new Term(Analyzers.WORDS, w)), Occur.SHOULD);
                }
            }
            if (exact) {
                ranking.add(new BoostQuery(new TermQuery(new Term("name_exact", v)), 20f), Occur.SHOULD);
            }
        }
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

    // ------------------------------------------------------------ facets

    /** Per reader: its live documents as bit sets and, once asked for, the facet counts of the whole index. */
    private final class ReaderState {
        private final IndexReader reader;
        private final FixedBitSet[] live;
        private volatile int[][] all;

        ReaderState(IndexReader reader) {
            this.reader = reader;
            this.live = new FixedBitSet[reader.leaves().size()];
        }

        synchronized FixedBitSet live(LeafReaderContext leaf) {
            FixedBitSet b = live[leaf.ord];
            if (b == null) {
                int maxDoc = leaf.reader().maxDoc();
                b = new FixedBitSet(maxDoc);
                Bits l = leaf.reader().getLiveDocs();
                if (l == null) {
                    b.set(0, maxDoc);
                } else {
                    for (int d = 0; d < maxDoc; d++) {
                        if (l.get(d)) {
                            b.set(d);
                        }
                    }
                }
                live[leaf.ord] = b;
            }
            return b;
        }

        /** Per leaf, the counts per value ordinal of all its live entries (must not be modified). */
        int[][] allCounts() throws IOException {
            int[][] a = all;
            if (a == null) {
                a = new int[reader.leaves().size()][];
                for (LeafReaderContext leaf : reader.leaves()) {
                    FacetTable table = facetTable(leaf.reader());
                    a[leaf.ord] = new int[table.values()];
                    table.count(live(leaf), a[leaf.ord], 1);
                }
                all = a; // a benign race: two threads may both count once
            }
            return a;
        }
    }

    private ReaderState readerState(IndexReader reader) {
        ReaderState s = readerState;
        if (s != null && s.reader == reader) {
            return s;
        }
        synchronized (this) {
            s = readerState;
            if (s == null || s.reader != reader) {
                s = new ReaderState(reader);
                readerState = s;
            }
            return s;
        }
    }

    private FacetTable facetTable(LeafReader leaf) throws IOException {
        IndexReader.CacheHelper helper = leaf.getCoreCacheHelper();
        if (helper == null) {
            return FacetTable.build(leaf, DIMENSIONS, FACET_GROUPS);
        }
        IndexReader.CacheKey key = helper.getKey();
        FacetTable t = facetTables.get(key);
        if (t == null) {
            synchronized (facetTables) {
                t = facetTables.get(key);
                if (t == null) {
                    t = FacetTable.build(leaf, DIMENSIONS, FACET_GROUPS);
                    facetTables.put(key, t);
                    helper.addClosedListener(facetTables::remove);
                }
            }
        }
        return t;
    }

    /**
     * Facet counts of the matching set, per leaf and value ordinal. When more than half of the index matches (a broad
     * one-character query), the entries that do not match are counted instead and subtracted from the whole index's
     * counts: the same figures for less work.
     */
    private int[][] counts(IndexReader reader, ReaderState state, List<FixedBitSet> matching, long total)
            throws IOException {
        boolean complement = total * 2 > reader.numDocs();
        int[][] all = complement ? state.allCounts() : null;
        int[][] out = new int[reader.leaves().size()][];
        for (LeafReaderContext leaf : reader.leaves()) {
            FacetTable table = facetTable(leaf.reader());
            FixedBitSet bits = matching.get(leaf.ord);
            if (complement) {
                out[leaf.ord] = all[leaf.ord].clone();
                bits = bits.clone();
                bits.flip(0, bits.length());
                bits.and(state.live(leaf));
            } else {
                out[leaf.ord] = new int[table.values()];
            }
            table.count(bits, out[leaf.ord], complement ? -1 : 1);
        }
        return out;
    }

    /** The 50 most frequent values per dimension, most frequent first (ties by value). */
    private Map<String, List<SearchResult.FacetCount>> top(IndexReader reader, int[][] counts) throws IOException {
        Map<String, List<SearchResult.FacetCount>> out = new LinkedHashMap<>();
        List<LeafReaderContext> leaves = reader.leaves();
        if (leaves.size() == 1) { // the ordinals are the values: no labels to merge
            FacetTable table = facetTable(leaves.get(0).reader());
            for (int i = 0; i < DIMENSIONS.size(); i++) {
                out.put(DIMENSIONS.get(i), table.top(counts[0], i, FACET_VALUES));
            }
            return out;
        }
        List<Map<String, Integer>> merged = new ArrayList<>();
        DIMENSIONS.forEach(dim -> merged.add(new HashMap<>()));
        for (LeafReaderContext leaf : leaves) {
            facetTable(leaf.reader()).addTo(counts[leaf.ord], merged);
        }
        Comparator<Map.Entry<String, Integer>> order = Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey());
        for (int i = 0; i < DIMENSIONS.size(); i++) {
            // a bounded heap keeps the best 50 (its head is the worst of them)
            PriorityQueue<Map.Entry<String, Integer>> best = new PriorityQueue<>(FACET_VALUES + 1, order.reversed());
            for (Map.Entry<String, Integer> e : merged.get(i).entrySet()) {
                if (e.getValue() > 0) {
                    best.add(e);
                    if (best.size() > FACET_VALUES) {
                        best.poll();
                    }
                }
            }
            List<Map.Entry<String, Integer>> sorted = new ArrayList<>(best);
            sorted.sort(order);
            out.put(DIMENSIONS.get(i), sorted.stream().map(e -> new SearchResult.FacetCount(e.getKey(), e.getValue())).toList());
        }
        return out;
    }

    // ------------------------------------------------------------ cursors

    private static long version(IndexReader reader) {
        return reader instanceof DirectoryReader d ? d.getVersion() : -1;
    }

    /**
     * Where a page ended: the last hit's score, entry id and document, and the index version the document number
     * belongs to. On a newer index version the document is found again by the entry id.
     */
    private record Cursor(float score, long eid, int doc, long version) {

        String encode() {
            String raw = Float.floatToIntBits(score) + ":" + eid + ":" + doc + ":" + version;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String[] p = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
                return new Cursor(Float.intBitsToFloat(Integer.parseInt(p[0])), Long.parseLong(p[1]),
                        p.length > 2 ? Integer.parseInt(p[2]) : -1, p.length > 3 ? Long.parseLong(p[3]) : -1);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("bad cursor");
            }
        }

        /**
         * Where the page ends in {@code searcher}'s index version. After a change of the index the cursor's entry is
         * found again by its id, with its score now (scores move a little as the index statistics change), so the
         * walk goes on exactly after it.
         */
        ScoreDoc in(IndexSearcher searcher, Ranked ranked) throws IOException {
            IndexReader reader = searcher.getIndexReader();
            if (version != -1 && version == SearchIndex.version(reader) && doc >= 0 && doc < reader.maxDoc()) {
                return new ScoreDoc(doc, score);
            }
            TopDocs entry = searcher.search(new TermQuery(new Term("id", Long.toString(eid))), 1);
            if (entry.scoreDocs.length == 1 && ranked.contains(reader, entry.scoreDocs[0].doc)) {
                int now = entry.scoreDocs[0].doc;
                return new ScoreDoc(now, ranked.score(searcher, now));
            }
            // the entry left the index (or no longer matches): go on after its last score
            return new ScoreDoc(Math.max(0, Math.min(doc, reader.maxDoc() - 1)), score);
        }
    }

    /** Closes without committing what was written since the last commit, as a crash would leave the directory. */
    void abandon() throws IOException {
        manager.close();
        writer.rollback();
        directory.close();
    }

    @Override
    public void close() throws IOException {
        manager.close();
        writer.close();
        directory.close();
    }
}
