package cn.onenet.catalog.service.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

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

    /**
     * Per document, its combination in each group, packed: group {@code g} is
     * {@code (packed[doc * words + wordOf[g]] >>> shiftOf[g]) & maskOf[g]} (a catalogue's groups fit one int per
     * document: a small table, read once per matching document).
     */
    private final int[] packed;
    private final int words;
    private final int[] wordOf;
    private final int[] shiftOf;
    private final int[] maskOf;
    private final int groups;
    /** Per group and combination: the value ordinals of the segment it stands for. */
    private final int[][][] ordsOfCombo;
    /** Per value ordinal: its dimension (index in {@link SearchIndex#DIMENSIONS}, -1 if unknown) and its label. */
    private final int[] dimOfOrd;
    private final String[] labelOfOrd;
    /** Per dimension: its value ordinals, in the order of their labels (so ties between equal counts go by label). */
    private final int[][] ordsOfDim;

    private FacetTable(int[] comboOfDoc, int groups, int[][][] ordsOfCombo, int[] dimOfOrd, String[] labelOfOrd,
            int dimensions) {
        this.groups = groups;
        wordOf = new int[groups];
        shiftOf = new int[groups];
        maskOf = new int[groups];
        int word = 0;
        int used = 0;
        for (int group = 0; group < groups; group++) {
            int bits = Math.max(1, 32 - Integer.numberOfLeadingZeros(ordsOfCombo[group].length - 1));
            if (used + bits > 32) {
                word++;
                used = 0;
            }
            wordOf[group] = word;
            shiftOf[group] = used;
            maskOf[group] = bits == 32 ? -1 : (1 << bits) - 1;
            used += bits;
        }
        words = word + 1;
        int maxDoc = comboOfDoc.length / groups;
        packed = new int[maxDoc * words];
        for (int doc = 0; doc < maxDoc; doc++) {
            for (int group = 0; group < groups; group++) {
                packed[doc * words + wordOf[group]] |= comboOfDoc[doc * groups + group] << shiftOf[group];
            }
        }
        this.ordsOfCombo = ordsOfCombo;
        this.dimOfOrd = dimOfOrd;
        this.labelOfOrd = labelOfOrd;
        this.ordsOfDim = new int[dimensions][];
        for (int dim = 0; dim < dimensions; dim++) {
            int d = dim;
            ordsOfDim[dim] = IntStream.range(0, dimOfOrd.length).filter(ord -> dimOfOrd[ord] == d).boxed()
                    .sorted(Comparator.comparing(ord -> labelOfOrd[ord])).mapToInt(Integer::intValue).toArray();
        }
    }

    /** The number of value ordinals of the segment: the length of a counts array for {@link #count}. */
    int values() {
        return labelOfOrd.length;
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
        return new FacetTable(comboOfDoc, g, ords, dimOfOrd, labelOfOrd, dimensions.size());
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

    private int combo(int doc, int group) {
        return (packed[doc * words + wordOf[group]] >>> shiftOf[group]) & maskOf[group];
    }

    /** The label of a document's value in dimension {@code dim} (index in the dimensions), or null. */
    String label(int doc, int dim) {
        for (int group = 0; group < groups; group++) {
            for (int ord : ordsOfCombo[group][combo(doc, group)]) {
                if (dimOfOrd[ord] == dim) {
                    return labelOfOrd[ord];
                }
            }
        }
        return null;
    }

    /**
     * Adds the counts of the documents set in {@code docs} to {@code perOrd} (per value ordinal of this segment), with
     * {@code sign} +1 to add, -1 to subtract.
     */
    void count(FixedBitSet docs, int[] perOrd, int sign) {
        int[][] perCombo = new int[groups][];
        for (int group = 0; group < groups; group++) {
            perCombo[group] = new int[ordsOfCombo[group].length];
        }
        long[] bits = docs.getBits();
        int[] table = packed;
        int[] shift = shiftOf;
        int[] mask = maskOf;
        int g = groups;
        if (words == 1) {
            for (int w = 0, n = bits.length; w < n; w++) {
                long word = bits[w];
                while (word != 0) {
                    int v = table[(w << 6) + Long.numberOfTrailingZeros(word)];
                    for (int group = 0; group < g; group++) {
                        perCombo[group][(v >>> shift[group]) & mask[group]]++;
                    }
                    word &= word - 1;
                }
            }
        } else {
            for (int w = 0, n = bits.length; w < n; w++) {
                long word = bits[w];
                while (word != 0) {
                    int doc = (w << 6) + Long.numberOfTrailingZeros(word);
                    for (int group = 0; group < g; group++) {
                        perCombo[group][combo(doc, group)]++;
                    }
                    word &= word - 1;
                }
            }
        }
        for (int group = 0; group < groups; group++) {
            int[] counts = perCombo[group];
            int[][] ords = ordsOfCombo[group];
            for (int c = 0; c < counts.length; c++) {
                int n = counts[c];
                if (n != 0) {
                    for (int ord : ords[c]) {
                        perOrd[ord] += sign * n;
                    }
                }
            }
        }
    }

    /** Adds the counts per ordinal to {@code into} (dimension index → label → count): to merge several segments. */
    void addTo(int[] perOrd, List<Map<String, Integer>> into) {
        for (int ord = 0; ord < perOrd.length; ord++) {
            if (perOrd[ord] != 0 && dimOfOrd[ord] >= 0) {
                into.get(dimOfOrd[ord]).merge(labelOfOrd[ord], perOrd[ord], Integer::sum);
            }
        }
    }

    /** The {@code n} values of dimension {@code dim} counted most often in {@code perOrd}, most first, ties by label. */
    List<SearchResult.FacetCount> top(int[] perOrd, int dim, int n) {
        int[] best = new int[n]; // ordinals, best first
        int size = 0;
        for (int ord : ordsOfDim[dim]) { // in label order: a later ordinal with an equal count ranks lower
            int c = perOrd[ord];
            if (c <= 0 || (size == n && c <= perOrd[best[n - 1]])) {
                continue;
            }
            int at = size == n ? n - 1 : size++;
            while (at > 0 && perOrd[best[at - 1]] < c) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = ord;
        }
        List<SearchResult.FacetCount> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(new SearchResult.FacetCount(labelOfOrd[best[i]], perOrd[best[i]]));
        }
        return out;
    }
}
