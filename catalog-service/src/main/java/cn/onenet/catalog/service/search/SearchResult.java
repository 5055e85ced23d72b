package cn.onenet.catalog.service.search;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One page of hits, the total, the facet counts and the cursor of the next page (null at the end), and how the query
 * was read: the words left out as carrying no meaning in a catalogue search, the corrected query whose hits these are
 * when the query as typed matched nothing, and whether the hits hold only part of the query's words.
 */
public record SearchResult(@Schema(example = "4") long total, List<Hit> hits,
        @Schema(example = FACETS_EXAMPLE) Map<String, List<FacetCount>> facets,
        @Schema(example = "MTA4NjU3NjM5NDoxNjoxNTo1Nw") String nextCursor,
        @Schema(description = "words of the query left out of matching (查询, 我的, 信息, …)", example = "[\"查询\"]")
        List<String> ignoredWords,
        @Schema(description = "set when the query as typed matched nothing and the hits are those of this query, a "
                + "common misspelling corrected (户藉 → 户籍)", example = "户籍") String correctedQuery,
        @Schema(description = "true when no entry holds every word of the query and the hits hold part of them, most "
                + "first") boolean partial) {

    /** The facets of a search for 公积金 (住房公积金缴存、贷款、提取信息 and the 缴存单位 list). */
    static final String FACETS_EXAMPLE = """
            {"provider":[{"value":"浙江省住房公积金管理中心","count":4}],
             "resourceClass":[{"value":"THEMATIC","count":3},{"value":"BASE","count":1}],
             "category":[{"value":"社会保障","count":3},{"value":"法人单位","count":1}],
             "shareAttribute":[{"value":"CONDITIONAL","count":3},{"value":"UNCONDITIONAL","count":1}],
             "openAttribute":[{"value":"NOT_OPEN","count":3},{"value":"OPEN","count":1}],
             "updateCycle":[{"value":"MONTHLY","count":4}],"region":[{"value":"330000","count":4}],
             "grade":[{"value":"LEVEL_3","count":3},{"value":"LEVEL_1","count":1}],
             "format":[{"value":"DATABASE","count":3},{"value":"SPREADSHEET","count":1}]}""";

    public record Hit(@Schema(example = "15") long id, @Schema(example = "203001/000001") String resourceCode,
            @Schema(example = "住房公积金缴存信息") String name,
            @Schema(example = "<em>住房公积金</em>缴存信息") String nameHighlight,
            @Schema(example = "职工<em>住房公积金</em>账户缴存基数、月缴存额和缴存状态。") String abstractHighlight,
            @Schema(example = "浙江省住房公积金管理中心") String providerDepartmentName,
            @Schema(example = "CONDITIONAL") String shareAttribute, @Schema(example = "NOT_OPEN") String openAttribute,
            @Schema(example = "MONTHLY") String updateCycle, @Schema(example = "1") int version,
            @Schema(example = "7.85") float score) {
    }

    public record FacetCount(@Schema(example = "CONDITIONAL") String value, @Schema(example = "3") int count) {
    }
}
