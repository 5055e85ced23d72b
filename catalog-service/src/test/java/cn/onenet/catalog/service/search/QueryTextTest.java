package cn.onenet.catalog.service.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.junit.jupiter.api.Test;

/** How the text of a query is read into the words an entry must hold. */
class QueryTextTest {

    private static final Analyzer WORDS = Analyzers.perField(new Analyzers.Words());
    private static final Analyzer CHARACTERS = Analyzers.bigram();

    private static QueryText.Parsed parse(String q) {
        return QueryText.parse(q, CHARACTERS, WORDS, Analyzers.WORDS);
    }

    private static List<String> words(String q) {
        return parse(q).words().stream().map(QueryText.Word::text).toList();
    }

    @Test
    void abbreviationsSplitIntoCharactersAreJoinedBack() {
        // smartcn does not know 社保: 社 / 保, matched as the pair 社保, not as two characters anywhere in the entry
        assertEquals(List.of("社保"), words("社保"));
        assertEquals(List.of("社保"), List.copyOf(parse("社保").units()));
        assertEquals(List.of("房"), List.copyOf(parse("房").units()));
        // a character left alone next to a word is the pair it forms there, not a character anywhere
        assertEquals(List.of("户籍", "籍本"), List.copyOf(parse("户籍本").units()));
    }

    @Test
    void wordsOfIntentAreLeftOutUnlessNothingElseIsLeft() {
        assertEquals(List.of("社保"), words("社保查询"));
        assertEquals(List.of("查询"), parse("社保查询").ignored());
        assertEquals(List.of("公积金"), words("我的公积金"));
        assertEquals(List.of("我的"), parse("我的公积金").ignored());
        assertEquals(List.of("驾驶证"), words("驾驶证信息查询"));
        assertEquals(List.of("信息"), words("信息"));
        assertEquals(List.of(), parse("信息").ignored());
        // a word naming a kind of record stays
        assertEquals(List.of("不动产", "证明"), words("不动产证明"));
    }

    @Test
    void latinWordsAndChineseWordsTogether() {
        assertEquals(List.of("api", "企业"), words("API 企业"));
        assertEquals(List.of("gmsfhm"), words("ＧＭＳＦＨＭ"));
    }

    @Test
    void commonMisspellingsAreCorrected() {
        assertEquals("户籍", QueryText.corrected("户藉"));
        assertEquals("机动车登记", QueryText.corrected("机动车登纪"));
        assertNull(QueryText.corrected("户籍"));
    }
}
