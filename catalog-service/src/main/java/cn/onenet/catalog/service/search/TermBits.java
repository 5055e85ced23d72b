package cn.onenet.catalog.service.search;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.util.FixedBitSet;

/**
 * The documents of a term in one segment as a bit set. A catalogue's common characters (信, 息, 登, 记, ...) occur
 * in a large share of its entries; for them the bit set is kept (an AND of two bit sets is far cheaper than walking two
 * long posting lists), bounded in memory, least recently used first out, and dropped with its segment. Rare terms are
 * read from their postings each time.
 */
final class TermBits {

    /** A term is kept as a bit set when at least one document in this many has it. */
    private static final int DENSE = 64;

    private final long maxBytes;
    private long bytes;
    private final Map<Key, FixedBitSet> kept = new LinkedHashMap<>(16, 0.75f, true);

    private record Key(IndexReader.CacheKey segment, Term term) {
    }

    TermBits(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A fresh bit set the caller may modify: the term's documents in the segment (deleted ones included). */
    FixedBitSet copyOf(LeafReader leaf, Term term) throws IOException {
        FixedBitSet shared = get(leaf, term);
        return shared.clone();
    }

    /** ANDs the term's documents into {@code bits}. */
    void and(LeafReader leaf, Term term, FixedBitSet bits) throws IOException {
        bits.and(get(leaf, term));
    }

    /** The term's documents; must not be modified. */
    private FixedBitSet get(LeafReader leaf, Term term) throws IOException {
        IndexReader.CacheHelper helper = leaf.getCoreCacheHelper();
        Key key = helper == null ? null : new Key(helper.getKey(), term);
        if (key != null) {
            synchronized (this) {
                FixedBitSet b = kept.get(key);
                if (b != null) {
                    return b;
                }
            }
        }
        FixedBitSet bits = new FixedBitSet(leaf.maxDoc());
        int docFreq = 0;
        Terms terms = leaf.terms(term.field());
        if (terms != null) {
            TermsEnum te = terms.iterator();
            if (te.seekExact(term.bytes())) {
                docFreq = te.docFreq();
                bits.or(te.postings(null, PostingsEnum.NONE));
            }
        }
        if (key != null && (long) docFreq * DENSE >= leaf.maxDoc() && leaf.maxDoc() >= 1024) {
            long size = bits.ramBytesUsed();
            synchronized (this) {
                if (kept.isEmpty() || size <= maxBytes) {
                    if (kept.keySet().stream().noneMatch(k -> k.segment() == key.segment())) {
                        helper.addClosedListener(this::drop);
                    }
                    if (kept.put(key, bits) == null) {
                        bytes += size;
                    }
                    for (Iterator<Map.Entry<Key, FixedBitSet>> it = kept.entrySet().iterator(); bytes > maxBytes && it.hasNext();) {
                        Map.Entry<Key, FixedBitSet> e = it.next();
                        if (e.getValue() != bits) {
                            bytes -= e.getValue().ramBytesUsed();
                            it.remove();
                        }
                    }
                }
            }
        }
        return bits;
    }

    private synchronized void drop(IndexReader.CacheKey segment) {
        for (Iterator<Map.Entry<Key, FixedBitSet>> it = kept.entrySet().iterator(); it.hasNext();) {
            Map.Entry<Key, FixedBitSet> e = it.next();
            if (e.getKey().segment() == segment) {
                bytes -= e.getValue().ramBytesUsed();
                it.remove();
            }
        }
    }
}
