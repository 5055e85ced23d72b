package cn.onenet.catalog.service.search;

import java.io.IOException;
import java.util.List;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BulkScorer;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * The matches of a scoring query that lie in a matching set already computed (one bit set per leaf, live documents
 * only). The set is handed to the query's bulk scorer as its accepted documents instead of being a required clause:
 * a disjunction then stays a top-level disjunction, which Lucene ranks with dynamic pruning (max-score: once the page
 * is full, the clauses that cannot lift a hit onto it are only looked up for candidates, and blocks whose best
 * possible score cannot compete are skipped), where a FILTER clause would make it score every hit of the set.
 * Entries of the set that no clause matches are not returned (they score 0).
 */
final class WithinSetQuery extends RequestQuery {

    private final Query query;
    private final List<FixedBitSet> leaves;

    WithinSetQuery(Query query, List<FixedBitSet> leaves) {
        this.query = query;
        this.leaves = leaves;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Query rewritten = query.rewrite(searcher);
        return rewritten == query ? this : new WithinSetQuery(rewritten, leaves);
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight in = query.createWeight(searcher, scoreMode, boost);
        return new FilterWeight(this, in) {
            @Override
            public BulkScorer bulkScorer(LeafReaderContext context) throws IOException {
                FixedBitSet bits = leaves.get(context.ord);
                BulkScorer scorer = bits.cardinality() == 0 ? null : in.bulkScorer(context);
                if (scorer == null) {
                    return null;
                }
                return new BulkScorer() {
                    @Override
                    public int score(LeafCollector collector, Bits acceptDocs, int min, int max) throws IOException {
                        return scorer.score(collector, bits, min, max); // the set holds live documents only
                    }

                    @Override
                    public long cost() {
                        return scorer.cost();
                    }
                };
            }

            @Override
            public Scorer scorer(LeafReaderContext context) throws IOException {
                Scorer scorer = in.scorer(context);
                if (scorer == null) {
                    return null;
                }
                FixedBitSet bits = leaves.get(context.ord);
                DocIdSetIterator all = scorer.iterator();
                TwoPhaseIterator within = new TwoPhaseIterator(all) {
                    @Override
                    public boolean matches() {
                        return bits.get(approximation.docID());
                    }

                    @Override
                    public float matchCost() {
                        return 1;
                    }
                };
                DocIdSetIterator iterator = TwoPhaseIterator.asDocIdSetIterator(within);
                return new Scorer(this) {
                    @Override
                    public int docID() {
                        return iterator.docID();
                    }

                    @Override
                    public DocIdSetIterator iterator() {
                        return iterator;
                    }

                    @Override
                    public TwoPhaseIterator twoPhaseIterator() {
                        return within;
                    }

                    @Override
                    public float score() throws IOException {
                        return scorer.score();
                    }

                    @Override
                    public int advanceShallow(int target) throws IOException {
                        return scorer.advanceShallow(target);
                    }

                    @Override
                    public float getMaxScore(int upTo) throws IOException {
                        return scorer.getMaxScore(upTo);
                    }

                    @Override
                    public void setMinCompetitiveScore(float minScore) throws IOException {
                        scorer.setMinCompetitiveScore(minScore);
                    }
                };
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) throws IOException {
                return leaves.get(context.ord).get(doc) ? in.explain(context, doc) : Explanation.noMatch("not in the matching set");
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false; // one request's set
            }
        };
    }

    @Override
    public String toString(String field) {
        return query.toString(field) + " within the matching set";
    }

    @Override
    public void visit(QueryVisitor visitor) {
        query.visit(visitor);
    }
}
