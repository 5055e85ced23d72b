package cn.onenet.catalog.service.search;

import java.util.List;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.FixedBitSet;

/** The documents of a matching set already computed for one reader (one bit set per leaf), as a constant-score query. */
final class BitSetQuery extends RequestQuery {

    private final List<FixedBitSet> leaves;

    BitSetQuery(List<FixedBitSet> leaves) {
        this.leaves = leaves;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        return new ConstantScoreWeight(this, boost) {
            @Override
            public Scorer scorer(LeafReaderContext context) {
                FixedBitSet bits = leaves.get(context.ord);
                int n = bits.cardinality();
                return n == 0 ? null : new ConstantScoreScorer(this, score(), scoreMode, new BitSetIterator(bits, n));
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false; // one request's set
            }
        };
    }

    @Override
    public String toString(String field) {
        return "matching set";
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }
}
