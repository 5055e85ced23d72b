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
 * The facet values of one segment, laid out for counting. The dimensions are split into a few groups (e.g. provider
 * and region, which go together); every document points, per group, to its combination of that group's values. A
 * group has few combinations (hundreds to a few thousand, where the whole set of dimensions has about one per two
 * entries), so counting a matching set is a few increments per document into small arrays that stay in the CPU
 * cache, then one pass over each group's combinations. Built once per segment, on first use.
 */
final class FacetTable {

    /** Per document, its combination in each group: {@code comboOfDoc[doc * groups + group]}. */
    private final int[] comboOfDoc;
    private final int groups;
    /** Per group and combination: the value ordinals of the segment it stands for. */
    private final int[][][] ordsOfCombo;
    /** Per value ordinal: its dimension (index in {@link SearchIndex#DIMENSIONS}, -1 if unknown) and its label. */
    private final int[] dimOfOrd;
    private final String[] labelOfOrd;

    private FacetTable(int[] comboOfDoc, int groups, int[][][] ordsOfCombo, int[] dimOfOrd, String[] labelOfOrd) {
        this.comboOfDoc = comboOfDoc;
        this.groups = groups;
        this.ordsOfCombo = ordsOfCombo;
        this.dimOfOrd = dimOfOrd;
        this.labelOfOrd = labelOfOrd;
    }

    /** {@code groups}: lists of dimension indexes (into {@code dimensions}) counted together; together all of them. */
    static FacetTable build(LeafReader leaf, List<String> dimensions, int[][] groups) throws IOException {
        int maxDoc = leaf.maxDoc();
        SortedSetDocValues dv = DocValues.getSortedSet(leaf, FacetsConfig.DEFAULT_INDEX_FIELD_NAME);
        int values = (int) dv.getValueCount();
        int[] groupOfDim = new int[dimensions.size()];
        Arrays.fill(groupOfDim, -1);
        for (int g = 0; g < groups.length; g++) {
            for (int dim : groups[g]) {
                groupOfDim[dim] = g;
            }
        }
        int[] dimOfOrd = new int[values];
        int[] groupOfOrd = new int[values];
        String[] labelOfOrd = new String[values];
        for (int ord = 0; ord < values; ord++) {
            String[] path = FacetsConfig.stringToPath(dv.lookupOrd(ord).utf8ToString());
            dimOfOrd[ord] = path.length == 2 ? dimensions.indexOf(path[0]) : -1;
            groupOfOrd[ord] = dimOfOrd[ord] >= 0 ? groupOfDim[dimOfOrd[ord]] : -1;
            labelOfOrd[ord] = path.length == 2 ? path[1] : null;
        }
        int g = groups.length;
        int[] comboOfDoc = new int[maxDoc * g]; // combination 0 of every group: no value
        List<Map<IntList, Integer>> combos = new ArrayList<>();
        List<List<int[]>> ordsOfCombo = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            combos.add(new HashMap<>());
            combos.get(i).put(new IntList(new int[0]), 0);
            ordsOfCombo.add(new ArrayList<>());
            ordsOfCombo.get(i).add(new int[0]);
        }
        int[][] buffer = new int[g][16];
        int[] filled = new int[g];
        for (int doc = dv.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = dv.nextDoc()) {
            Arrays.fill(filled, 0);
            for (int i = 0, n = dv.docValueCount(); i < n; i++) {
                int ord = (int) dv.nextOrd();
                int group = groupOfOrd[ord];
                if (group >= 0) {
                    if (filled[group] == buffer[group].length) {
                        buffer[group] = Arrays.copyOf(buffer[group], 2 * filled[group]);
                    }
                    buffer[group][filled[group]++] = ord;
                }
            }
            for (int i = 0; i < g; i++) {
                IntList key = new IntList(Arrays.copyOf(buffer[i], filled[i]));
                Integer id = combos.get(i).get(key);
                if (id == null) {
                    id = ordsOfCombo.get(i).size();
                    combos.get(i).put(key, id);
                    ordsOfCombo.get(i).add(key.values());
                }
                comboOfDoc[doc * g + i] = id;
            }
        }
        int[][][] ords = new int[g][][];
        for (int i = 0; i < g; i++) {
            ords[i] = ordsOfCombo.get(i).toArray(int[][]::new);
        }
        return new FacetTable(comboOfDoc, g, ords, dimOfOrd, labelOfOrd);
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

    /** The label of a document's value in dimension {@code dim} (index in the dimensions), or null. */
    String label(int doc, int dim) {
        for (int group = 0; group < groups; group++) {
            for (int ord : ordsOfCombo[group][comboOfDoc[doc * groups + group]]) {
                if (dimOfOrd[ord] == dim) {
                    return labelOfOrd[ord];
                }
            }
        }
        return null;
    }

    /**
     * Adds the counts of the documents set in {@code docs} to {@code into} (dimension index → label → count), with
     * {@code sign} +1 to add, -1 to subtract.
     */
    void count(FixedBitSet docs, List<Map<String, Integer>> into, int sign) {
        int[][] perCombo = new int[groups][];
        for (int group = 0; group < groups; group++) {
            perCombo[group] = new int[ordsOfCombo[group].length];
        }
        long[] words = docs.getBits();
        int[] combo = comboOfDoc;
        int g = groups;
        for (int w = 0, n = words.length; w < n; w++) {
            long word = words[w];
            while (word != 0) {
                int at = ((w << 6) + Long.numberOfTrailingZeros(word)) * g;
                for (int group = 0; group < g; group++) {
                    perCombo[group][combo[at + group]]++;
                }
                word &= word - 1;
            }
        }
        int[] perOrd = new int[labelOfOrd.length];
        for (int group = 0; group < groups; group++) {
            int[] counts = perCombo[group];
            int[][] ords = ordsOfCombo[group];
            for (int c = 0; c < counts.length; c++) {
                int n = counts[c];
                if (n != 0) {
                    for (int ord : ords[c]) {
                        perOrd[ord] += n;
                    }
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
