package cn.onenet.catalog.service.search;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;

/**
 * How the text of a query is read for matching: its words, the words that carry no meaning in a catalogue search left
 * out, and each word as the recall field's terms (a Chinese word by its character bigrams, a one-character word by the
 * character, a Latin word or number as it is).
 * <p>
 * Chinese words come from smartcn. It knows few of the catalogue's abbreviations and leaves them as single characters
 * (社保 → 社 / 保), so neighbouring single characters are joined back into one word: matching a query by scattered
 * characters is what made 社保 find every entry of the 人力资源和社会保障厅.
 */
final class QueryText {

    /**
     * Words that say what the person wants to do, not what they look for (查询, 我的, 办理, …), and the catalogue's
     * generic 信息. They are left out of matching unless the query holds nothing else. 证明, 记录, 登记 and 证 are not:
     * they name kinds of records (出生医学证明, 犯罪记录).
     */
    static final Set<String> IGNORED = Set.of("查询", "查看", "查找", "搜索", "检索", "查", "我的", "我", "的", "我要",
            "本人", "如何", "怎么", "怎样", "怎么办", "哪里", "在哪", "办理", "在线", "网上", "信息", "情况", "相关",
            "有关", "关于", "了", "吗", "呢");

    /**
     * Characters commonly typed for the right one in the catalogue's words (户藉 for 户籍, 登纪 for 登记, 挡案 for 档案):
     * a query that matches nothing as typed is tried once with these replaced. A short fixed list, so the correction
     * costs one more lookup of the matching set and never replaces a character that the catalogue itself uses in the
     * sense typed.
     */
    static final Map<Character, Character> CONFUSABLE = Map.of('藉', '籍', '纪', '记', '帐', '账', '挡', '档', '蹬', '登');

    /** A word of the query and the recall terms that must all occur for the word to match. */
    record Word(String text, List<String> units) {

        /** A Latin word, a number or a Chinese word of two or more characters: one that carries meaning alone. */
        boolean strong() {
            return text.length() > 1 || !Character.isIdeographic(text.codePointAt(0));
        }

        boolean hasBigram() {
            return units.stream().anyMatch(u -> u.length() == 2 && Character.isIdeographic(u.codePointAt(0)));
        }
    }

    /** The words matched and the words left out. */
    record Parsed(List<Word> words, List<String> ignored) {

        /** The recall terms of every word (a bigram spanning two words is not one). */
        Set<String> units() {
            Set<String> out = new LinkedHashSet<>();
            words.forEach(w -> out.addAll(w.units()));
            return out;
        }
    }

    private QueryText() {
    }

    /**
     * Reads one variant of a query. {@code characters} is the recall field's analyzer (for Latin words and numbers),
     * {@code words} the smartcn analysis of field {@code wordField}.
     */
    static Parsed parse(String text, Analyzer characters, Analyzer words, String wordField) {
        List<List<String>> runs = new ArrayList<>();
        StringBuilder run = new StringBuilder();
        StringBuilder rest = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.isIdeographic(cp)) {
                run.appendCodePoint(cp);
                rest.append(' ');
            } else {
                if (!run.isEmpty()) {
                    runs.add(segment(run.toString(), words, wordField));
                    run.setLength(0);
                }
                rest.appendCodePoint(cp);
            }
        });
        if (!run.isEmpty()) {
            runs.add(segment(run.toString(), words, wordField));
        }
        List<Word> latin = new ArrayList<>();
        for (String t : Analyzers.tokens(characters, Analyzers.BIGRAM, rest.toString())) {
            latin.add(new Word(t, List.of(t)));
        }
        List<String> ignored = new ArrayList<>();
        List<Word> out = new ArrayList<>(latin);
        for (List<String> r : runs) {
            out.addAll(join(r, true, ignored));
        }
        if (out.isEmpty()) {
            // nothing but words of intent (e.g. 信息 alone): then they are what is looked for
            ignored.clear();
            for (List<String> r : runs) {
                out.addAll(join(r, false, ignored));
            }
        }
        return new Parsed(out, ignored.stream().distinct().toList());
    }

    /** smartcn's words of a run of Chinese characters (the run itself if smartcn does not cover it exactly). */
    private static List<String> segment(String run, Analyzer words, String wordField) {
        List<String> tokens = Analyzers.tokens(words, wordField, run);
        return String.join("", tokens).equals(run) ? tokens : List.of(run);
    }

    /**
     * The words of a run: ignored ones left out (when {@code drop}), neighbouring single characters joined. A single
     * character left alone next to a word is matched as the pair it forms with its neighbour (户籍本: 户籍 and 籍本),
     * not as a character anywhere in the entry.
     */
    private static List<Word> join(List<String> tokens, boolean drop, List<String> ignored) {
        List<Word> out = new ArrayList<>();
        boolean[] dropped = new boolean[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            dropped[i] = drop && IGNORED.contains(tokens.get(i));
            if (dropped[i]) {
                // neighbouring ones reported together, as typed: 我 / 的 as 我的
                if (i > 0 && dropped[i - 1]) {
                    ignored.set(ignored.size() - 1, ignored.get(ignored.size() - 1) + tokens.get(i));
                } else {
                    ignored.add(tokens.get(i));
                }
            }
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (dropped[i]) {
                continue;
            }
            if (!single(tokens.get(i))) {
                out.add(word(tokens.get(i)));
                continue;
            }
            int from = i;
            while (i + 1 < tokens.size() && !dropped[i + 1] && single(tokens.get(i + 1))) {
                i++;
            }
            String joined = String.join("", tokens.subList(from, i + 1));
            if (from < i) {
                out.add(word(joined));
            } else if (from > 0 && !dropped[from - 1]) {
                String left = tokens.get(from - 1);
                out.add(new Word(joined, List.of(left.substring(left.offsetByCodePoints(left.length(), -1)) + joined)));
            } else if (i + 1 < tokens.size() && !dropped[i + 1]) {
                String right = tokens.get(i + 1);
                out.add(new Word(joined, List.of(joined + right.substring(0, right.offsetByCodePoints(0, 1)))));
            } else {
                out.add(word(joined));
            }
        }
        return out;
    }

    private static boolean single(String t) {
        return t.codePointCount(0, t.length()) == 1;
    }

    private static Word word(String w) {
        int[] cps = w.codePoints().toArray();
        if (cps.length == 1) {
            return new Word(w, List.of(w));
        }
        List<String> bigrams = new ArrayList<>();
        for (int i = 0; i + 1 < cps.length; i++) {
            bigrams.add(new String(cps, i, 2));
        }
        return new Word(w, bigrams.stream().distinct().toList());
    }

    /** The query with the commonly confused characters replaced, or null when it holds none. */
    static String corrected(String q) {
        StringBuilder b = new StringBuilder(q.length());
        boolean changed = false;
        for (char c : q.toCharArray()) {
            Character right = CONFUSABLE.get(c);
            b.append(right == null ? c : right);
            changed |= right != null;
        }
        return changed ? b.toString() : null;
    }
}
