package cn.onenet.catalog.service.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * The facet values of one segment, laid out for counting: every document points to its combination of values (a
 * catalogue has far fewer distinct combinations than entries), so counting a matching set is one increment per
 * document, then one pass over the combinations that occurred. Built once per segment, on first use.
 */
final class FacetTable {

    private final int[] comboOfDoc;
    /** Per combination: the value ordinals of the segment it stands for. */
    private final int[][] ordsOfCombo;
    /** Per value ordinal: its dimension (index in {@link SearchIndex#DIMENSIONS}, -1 if unknown) and its label. */
    private final int[] dimOfOrd;
    private final String[] labelOfOrd;

    private FacetTable(int[] comboOfDoc, int[][] ordsOfCombo, int[] dimOfOrd, String[] labelOfOrd) {
        this.comboOfDoc = comboOfDoc;
        this.ordsOfCombo = ordsOfCombo;
        this.dimOfOrd = dimOfOrd;
        this.labelOfOrd = labelOfOrd;
    }

    static FacetTable build(LeafReader leaf, List<String> dimensions) throws IOException {
        int maxDoc = leaf.maxDoc();
        SortedSetDocValues dv = DocValues.getSortedSet(leaf, FacetsConfig.DEFAULT_INDEX_FIELD_NAME);
        int values = (int) dv.getValueCount();
        int[] dimOfOrd = new int[values];
        String[] labelOfOrd = new String[values];
        for (int ord = 0; ord < values; ord++) {
            String[] path = FacetsConfig.stringToPath(dv.lookupOrd(ord).utf8ToString());
            dimOfOrd[ord] = path.length == 2 ? dimensions.indexOf(path[0]) : -1;
            labelOfOrd[ord] = path.length == 2 ? path[1] : null;
        }
        int[] comboOfDoc = new int[maxDoc];
        Map<IntList, Integer> combos = new HashMap<>();
        List<int[]> ordsOfCombo = new ArrayList<>();
        ordsOfCombo.add(new int[0]); // combination 0: no value
        combos.put(new IntList(new int[0]), 0);
        int[] buffer = new int[16];
        for (int doc = dv.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = dv.nextDoc()) {
            int n = dv.docValueCount();
            if (buffer.length < n) {
                buffer = new int[n];
            }
            for (int i = 0; i < n; i++) {
                buffer[i] = (int) dv.nextOrd();
            }
            IntList key = new IntList(Arrays.copyOf(buffer, n));
            Integer id = combos.get(key);
            if (id == null) {
                id = ordsOfCombo.size();
                combos.put(key, id);
                ordsOfCombo.add(key.values());
            }
            comboOfDoc[doc] = id;
        }
        return new FacetTable(comboOfDoc, ordsOfCombo.toArray(int[][]::new), dimOfOrd, labelOfOrd);
    }

    private record IntList(int[] values) {
        @Override
        public boolean equals(Object o) {
            return o instanceof IntList other && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }
    }

    /**
     * Adds the counts of the documents set in {@code docs} to {@code into} (dimension index → label → count), with
     * {@code sign} +1 to add, -1 to subtract.
     */
    void count(FixedBitSet docs, List<Map<String, Integer>> into, int sign) {
        int[] perCombo = new int[ordsOfCombo.length];
        long[] words = docs.getBits();
        for (int w = 0, n = docs.getBits().length; w < n; w++) {
            long word = words[w];
            while (word != 0) {
                perCombo[comboOfDoc[(w << 6) + Long.numberOfTrailingZeros(word)]]++;
                word &= word - 1;
            }
        }
        int[] perOrd = new int[labelOfOrd.length];
        for (int c = 0; c < perCombo.length; c++) {
            int n = perCombo[c];
            if (n != 0) {
                for (int ord : ordsOfCombo[c]) {
                    perOrd[ord] += n;
                }
            }
        }
        for (int ord = 0; ord < perOrd.length; ord++) {
            if (perOrd[ord] != 0 && dimOfOrd[ord] >= 0) {
                into.get(dimOfOrd[ord]).merge(labelOfOrd[ord], sign * perOrd[ord], Integer::sum);
            }
        }
    }
}
