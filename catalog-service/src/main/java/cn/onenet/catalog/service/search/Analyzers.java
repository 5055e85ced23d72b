package cn.onenet.catalog.service.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.cn.smart.HMMChineseTokenizer;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.icu.ICUTransformFilter;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

import com.ibm.icu.text.Transliterator;

/**
 * The Chinese analyses: characters, CJK bigrams (and Latin words) for recall, CJK bigrams of the name and smartcn words
 * of the whole text for ranking.
 */
public final class Analyzers {

    /** Recall field: every character, every pair of neighbouring Chinese characters and every Latin word of the text. */
    public static final String BIGRAM = "bi";
    public static final String NAME_BIGRAM = "name_bi";
    public static final String WORDS = "seg";

    private Analyzers() {
    }

    /**
     * Traditional characters folded to simplified (戶籍 → 户籍, 不動產 → 不动产, 營業執照 → 营业执照): ICU's
     * Traditional-Simplified transform, loaded on first use and shared (a transliterator keeps no state between calls).
     */
    private static final class Simplified {
        static final Transliterator T2S = Transliterator.getInstance("Traditional-Simplified");
    }

    /** The text with traditional characters written as simplified ones; a query is read this way before anything else. */
    public static String simplified(String text) {
        return text == null || text.isEmpty() ? text : Simplified.T2S.transliterate(text);
    }

    /** The token stream with traditional characters folded to simplified, as the index and the queries hold them. */
    static TokenStream simplified(TokenStream ts) {
        return new ICUTransformFilter(ts, Simplified.T2S);
    }

    /**
     * CJK bigrams plus unigrams: the recall field's analysis (a query's words match by their bigrams, a one-character
     * word by the character; the field length BM25 sees counts the characters only: stacked bigrams do not count).
     * Full-width letters and digits are folded to ASCII, traditional characters to simplified, letters to lower case.
     */
    public static Analyzer bigram() {
        return new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                Tokenizer source = new StandardTokenizer();
                TokenStream ts = new CJKWidthFilter(source);
                ts = simplified(ts);
                ts = new LowerCaseFilter(ts);
                ts = new CJKBigramFilter(ts, CJKBigramFilter.HAN | CJKBigramFilter.HIRAGANA | CJKBigramFilter.KATAKANA
                        | CJKBigramFilter.HANGUL, true);
                return new TokenStreamComponents(source, ts);
            }
        };
    }

    /** Index analysis per field; {@code words} segments the word field (see {@link Words}). */
    static Analyzer perField(Words words) {
        return new PerFieldAnalyzerWrapper(bigram(), Map.of(WORDS, words));
    }

    public static List<String> tokens(Analyzer analyzer, String field, String text) {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * smartcn word segmentation (the same chain as {@link SmartChineseAnalyzer}) that remembers the words of the
     * sentences it has segmented. smartcn segments sentence by sentence, and a catalogue repeats its sentences
     * thousands of times (data item names, keywords, department names, standard phrases), so a rebuild segments
     * each distinct sentence once. The memory is bounded and dropped after a rebuild.
     */
    static final class Words extends Analyzer {
        private static final int MAX_SENTENCES = 200_000;
        private static final int MAX_SENTENCE_LENGTH = 256;
        private final Map<String, Word[]> sentences = new ConcurrentHashMap<>();

        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new CachingTokenizer(sentences);
            TokenStream ts = new PorterStemFilter(simplified(source));
            ts = new StopFilter(ts, SmartChineseAnalyzer.getDefaultStopSet());
            return new TokenStreamComponents(source, ts);
        }

        void forget() {
            sentences.clear();
        }

        int remembered() {
            return sentences.size();
        }

        /** A word of a sentence, offsets relative to the sentence. */
        private record Word(String term, int start, int end, String type) {
        }

        private static final class CachingTokenizer extends HMMChineseTokenizer {
            private final Map<String, Word[]> sentences;
            private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
            private final OffsetAttribute offsets = addAttribute(OffsetAttribute.class);
            private final TypeAttribute type = addAttribute(TypeAttribute.class);
            private Word[] replay;
            private int next;
            private int base;

            CachingTokenizer(Map<String, Word[]> sentences) {
                this.sentences = sentences;
            }

            @Override
            protected void setNextSentence(int sentenceStart, int sentenceEnd) {
                base = offset + sentenceStart;
                next = 0;
                int length = sentenceEnd - sentenceStart;
                String key = new String(buffer, sentenceStart, length);
                Word[] words = length <= MAX_SENTENCE_LENGTH ? sentences.get(key) : null;
                if (words == null) {
                    super.setNextSentence(sentenceStart, sentenceEnd);
                    List<Word> out = new ArrayList<>();
                    int at = correctOffset(base);
                    while (super.incrementWord()) {
                        out.add(new Word(term.toString(), offsets.startOffset() - at, offsets.endOffset() - at, type.type()));
                    }
                    words = out.toArray(Word[]::new);
                    if (length <= MAX_SENTENCE_LENGTH) {
                        if (sentences.size() >= MAX_SENTENCES) {
                            sentences.clear();
                        }
                        sentences.put(key, words);
                    }
                }
                replay = words;
            }

            @Override
            protected boolean incrementWord() {
                if (replay == null || next >= replay.length) {
                    return false;
                }
                Word w = replay[next++];
                clearAttributes();
                term.setEmpty().append(w.term());
                offsets.setOffset(correctOffset(base + w.start()), correctOffset(base + w.end()));
                type.setType(w.type());
                return true;
            }

            @Override
            public void reset() throws java.io.IOException {
                super.reset();
                replay = null;
                next = 0;
            }
        }
    }
}
