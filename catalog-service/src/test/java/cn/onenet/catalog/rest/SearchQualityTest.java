package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The search quality set: Chinese queries against the demo catalogue, each with the entries it must find. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class SearchQualityTest {

    private static final String S = "/api/catalog/v1/search";

    static List<String> names(String token, String q) {
        var req = token == null ? given() : as(token);
        return req.queryParam("q", q).queryParam("size", 200).get(S).then().statusCode(200).extract().jsonPath()
                .getList("hits.name");
    }

    static String codeOf(String name) {
        return as(operator()).queryParam("q", name).get(S).then().extract().jsonPath()
                .getString("hits.find { it.name == '" + name + "' }.resourceCode");
    }

    static Stream<Arguments> queries() {
        return Stream.of(
                Arguments.of("户籍", List.of("居民户籍信息")),
                Arguments.of("户口", List.of("居民户籍信息")),
                // the card, and the 公民身份号码 it carries
                Arguments.of("身份证", List.of("居民身份证信息", "居民户籍信息", "社会保险参保信息")),
                Arguments.of("社保", List.of("社会保险参保信息")),
                Arguments.of("社会保险", List.of("社会保险参保信息")),
                Arguments.of("公积金", List.of("住房公积金缴存信息", "住房公积金贷款信息", "住房公积金提取信息")),
                Arguments.of("低保", List.of("最低生活保障对象信息")),
                Arguments.of("最低生活保障", List.of("最低生活保障对象信息")),
                Arguments.of("不动产", List.of("不动产登记信息", "不动产抵押登记信息", "不动产查封登记信息")),
                Arguments.of("房产", List.of("不动产登记信息")),
                Arguments.of("营业执照", List.of("企业登记信息")),
                Arguments.of("工商", List.of("企业登记信息", "个体工商户登记信息")),
                Arguments.of("房", List.of("不动产登记信息")),
                Arguments.of("车", List.of("机动车登记信息", "机动车驾驶证信息")),
                Arguments.of("婚", List.of("婚姻登记信息")),
                Arguments.of("养老", List.of("养老保险待遇发放信息", "养老机构信息")),
                Arguments.of("电子证照", List.of("电子证照")),
                Arguments.of("证照", List.of("电子证照", "职业技能等级证书")),
                Arguments.of("统一社会信用代码", List.of("企业登记信息", "社会组织登记信息")),
                Arguments.of("公民身份号码", List.of("居民户籍信息", "社会保险参保信息", "住房公积金缴存信息")),
                // the words staff type for the items: 身份证号 is the 公民身份号码, 营业执照号 the 统一社会信用代码
                Arguments.of("身份证号", List.of("居民户籍信息", "社会保险参保信息", "住房公积金缴存信息")),
                Arguments.of("身份证号码", List.of("居民户籍信息", "社会保险参保信息", "住房公积金缴存信息")),
                Arguments.of("营业执照号", List.of("企业登记信息")),
                Arguments.of("证件号码", List.of("居民户籍信息", "婚姻登记信息")),
                Arguments.of("不动产单元号", List.of("不动产登记信息")),
                Arguments.of("GMSFHM", List.of("居民户籍信息")),
                Arguments.of("API 企业", List.of("企业登记信息")),
                Arguments.of("GIS", List.of("土地利用现状数据", "标准地名地址数据")),
                Arguments.of("gis 地名", List.of("标准地名地址数据")),
                Arguments.of("OFD 证照", List.of("电子证照")),
                Arguments.of("食品", List.of("食品经营许可信息")),
                Arguments.of("危化品", List.of("危险化学品企业信息")),
                Arguments.of("台风", List.of("自然灾害灾情信息")),
                Arguments.of("避难", List.of("应急避难场所信息")),
                Arguments.of("失业", List.of("失业保险金申领信息", "就业登记信息")),
                Arguments.of("公安厅", List.of("居民户籍信息", "机动车登记信息")),
                Arguments.of("抵押", List.of("不动产抵押登记信息")),
                Arguments.of("杭州 居住证", List.of("杭州市居住证信息")),
                Arguments.of("宁波年报", List.of("宁波市企业年度报告信息")),
                Arguments.of("行政处罚", List.of("市场监管行政处罚信息")),
                Arguments.of("收养", List.of("收养登记档案信息")),
                Arguments.of("民政厅 社会组织", List.of("社会组织登记信息")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void queryFindsItsEntries(String q, List<String> expected) {
        List<String> found = names(operator(), q);
        for (String name : expected) {
            assertTrue(found.contains(name), q + " must find " + name + ", found " + found);
        }
    }

    /**
     * What people type: a word of intent (查询, 我的, 信息) with what they look for, the household booklet for the
     * register, a document for its record. Each of them once found nothing: every character of the query had to occur in
     * the entry.
     */
    static Stream<Arguments> citizenQueries() {
        return Stream.of(
                Arguments.of("驾驶证查询", List.of("机动车驾驶证信息"), List.of("查询"), false),
                Arguments.of("驾驶证信息查询", List.of("机动车驾驶证信息"), List.of("信息查询"), false),
                Arguments.of("公积金查询", List.of("住房公积金缴存信息", "住房公积金贷款信息", "住房公积金提取信息"),
                        List.of("查询"), false),
                Arguments.of("我的公积金", List.of("住房公积金缴存信息", "住房公积金贷款信息", "住房公积金提取信息"),
                        List.of("我的"), false),
                Arguments.of("社保查询", List.of("社会保险参保信息"), List.of("查询"), false),
                Arguments.of("婚姻登记查询", List.of("婚姻登记信息"), List.of("查询"), false),
                // the documents people name for the records behind them (synonyms): found in full, no longer only
                // by the partial match
                Arguments.of("户口本", List.of("居民户籍信息"), List.of(), false),
                Arguments.of("户口簿", List.of("居民户籍信息"), List.of(), false),
                Arguments.of("结婚证", List.of("婚姻登记信息"), List.of(), false),
                Arguments.of("结婚证明", List.of("婚姻登记信息"), List.of(), false),
                // no entry holds 誊本: the entries holding part of the query, said so
                Arguments.of("户籍誊本", List.of("居民户籍信息"), List.of(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("citizenQueries")
    void wordsOfIntentAreLeftOutAndPartMatchesAreFound(String q, List<String> expected, List<String> ignored,
            boolean partial) {
        JsonPath r = as(operator()).queryParam("q", q).queryParam("size", 200).get(S).then().statusCode(200).extract()
                .jsonPath();
        List<String> found = r.getList("hits.name");
        assertTrue(found.containsAll(expected), q + " must find " + expected + ", found " + found);
        assertEquals(ignored, r.getList("ignoredWords"), q);
        assertEquals(partial, r.getBoolean("partial"), q);
        assertEquals(null, r.getString("correctedQuery"), q);
    }

    @Test
    void commonMisspellingsAreCorrected() {
        for (var c : Map.of("户藉", List.of("户籍", "居民户籍信息"), "机动车登纪", List.of("机动车登记", "机动车登记信息"))
                .entrySet()) {
            JsonPath r = as(operator()).queryParam("q", c.getKey()).queryParam("size", 200).get(S).then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(c.getValue().get(0), r.getString("correctedQuery"), c.getKey());
            assertTrue(r.getList("hits.name").contains(c.getValue().get(1)), c.getKey() + " " + r.getList("hits.name"));
            assertFalse(r.getBoolean("partial"), c.getKey());
        }
        // a query that matches as typed is never corrected, nor its words left out
        JsonPath r = as(operator()).queryParam("q", "户籍").get(S).then().statusCode(200).extract().jsonPath();
        assertEquals(null, r.getString("correctedQuery"));
        assertEquals(List.of(), r.getList("ignoredWords"));
        assertFalse(r.getBoolean("partial"));
        // nothing near: an empty answer, not a partial one made of scattered characters
        as(operator()).queryParam("q", "航天飞机").get(S).then().statusCode(200).body("total", equalTo(0))
                .body("partial", equalTo(false));
    }

    /**
     * 社保 and 社会保险 once found every entry holding their characters apart, e.g. the entries of the
     * 人力资源和社会保障厅 and the 社会保障 category: 特困人员救助供养信息, 住房公积金贷款信息, 职业技能等级证书.
     */
    @Test
    void scatteredCharactersDoNotMatch() {
        for (String q : List.of("社保", "社会保险", "社保查询")) {
            List<String> found = names(operator(), q);
            assertEquals("社会保险参保信息", found.get(0), q);
            for (String name : found) {
                assertTrue(name.contains("保险"), q + " found " + name + " among " + found);
            }
        }
    }

    /** The hits of the query as the caller sees them: name and provider of each. */
    static List<Map<String, Object>> hits(String token, String q) {
        var req = token == null ? given() : as(token);
        return req.queryParam("q", q).queryParam("size", 200).get(S).then().statusCode(200).extract().jsonPath()
                .getList("hits");
    }

    private static void allProvidedBy(List<Map<String, Object>> hits, String q, String... providers) {
        for (Map<String, Object> h : hits) {
            assertTrue(List.of(providers).contains(h.get("providerDepartmentName")),
                    q + " found " + h.get("name") + " of " + h.get("providerDepartmentName") + " among "
                            + hits.stream().map(x -> x.get("name")).toList());
        }
    }

    /**
     * A partial match needs the query's distinctive part: the pairs nearly every entry holds (浙江, 江省, 数据) decide
     * nothing. 大数据局 once matched 41 of 42 entries through 数据, 浙江省公安厅 every open entry through 浙江 and 江省,
     * 社保卡 the 社会组织 and 公积金 entries through 社会.
     */
    @Test
    void partialMatchesNeedTheDistinctivePartOfTheQuery() {
        String police = "浙江省公安厅";
        List<Map<String, Object>> bureau = hits(operator(), "大数据局");
        assertTrue(bureau.stream().map(h -> h.get("name")).toList().containsAll(List.of("电子证照", "公共数据开放统计信息")),
                bureau.toString());
        allProvidedBy(bureau, "大数据局", "浙江省大数据发展管理局");
        // the police's entries are not open: an anonymous caller finds none, and no other department's
        allProvidedBy(hits(null, police), police, police);
        List<Map<String, Object>> staff = hits(operator(), police);
        assertTrue(staff.stream().map(h -> h.get("name")).toList().containsAll(List.of("居民户籍信息", "机动车登记信息")));
        allProvidedBy(staff, police, police);
        // 社保卡 is the 社会保障卡: the 人力资源和社会保障厅's entries and those classified under 社会保障, not every
        // entry saying 社会 (社会组织登记信息, 统一社会信用代码)
        List<String> socialSecurity = new ArrayList<>(as(operator()).queryParam("category", "社会保障")
                .queryParam("size", 200).get(S).then().statusCode(200).extract().jsonPath().getList("hits.name"));
        for (String token : java.util.Arrays.asList(operator(), null)) {
            List<Map<String, Object>> card = hits(token, "社保卡");
            for (Map<String, Object> h : card) {
                // or an entry whose own text speaks of 社会保障/社会保险 (other test classes add such entries)
                assertTrue(socialSecurity.contains(h.get("name"))
                        || "浙江省人力资源和社会保障厅".equals(h.get("providerDepartmentName"))
                        || h.toString().contains("社会保障") || h.toString().contains("社会保险"), "社保卡 found " + h);
            }
            if (token != null) {
                assertEquals("社会保险参保信息", card.get(0).get("name"), card.toString());
            }
        }
        // a query of what no entry holds finds nothing rather than everything
        as(operator()).queryParam("q", "航天飞机").get(S).then().statusCode(200).body("total", equalTo(0));
    }

    /** Traditional characters (a Hong Kong, Macao or Taiwan document, a traditional input method) find the same. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("traditionalQueries")
    void traditionalCharactersFindTheirSimplifiedEntries(String traditional, String simplified, List<String> expected) {
        JsonPath r = as(operator()).queryParam("q", traditional).queryParam("size", 200).get(S).then().statusCode(200)
                .extract().jsonPath();
        List<String> found = r.getList("hits.name");
        assertTrue(found.containsAll(expected), traditional + " must find " + expected + ", found " + found);
        assertFalse(r.getBoolean("partial"), traditional);
        assertEquals(simplified, r.getString("correctedQuery"), traditional);
        assertEquals(names(operator(), simplified), found, traditional);
    }

    static Stream<Arguments> traditionalQueries() {
        return Stream.of(Arguments.of("戶籍", "户籍", List.of("居民户籍信息")),
                Arguments.of("不動產", "不动产", List.of("不动产登记信息", "不动产抵押登记信息", "不动产查封登记信息")),
                Arguments.of("公積金", "公积金", List.of("住房公积金缴存信息", "住房公积金贷款信息", "住房公积金提取信息")),
                Arguments.of("社會保險", "社会保险", List.of("社会保险参保信息")),
                // the synonym 营业执照 → 企业登记 applies to the traditional spelling too
                Arguments.of("營業執照", "营业执照", List.of("企业登记信息")),
                Arguments.of("身份證", "身份证", List.of("居民身份证信息", "居民户籍信息")));
    }

    /** The short names people give the departments: 人社厅 for the 人力资源和社会保障厅, 市监局 for the 市场监督管理局. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("departmentShortNames")
    void departmentShortNamesFindTheirEntries(String q, List<String> expected, List<String> providers) {
        List<Map<String, Object>> found = hits(operator(), q);
        assertTrue(found.stream().map(h -> h.get("name")).toList().containsAll(expected),
                q + " must find " + expected + ", found " + found);
        allProvidedBy(found, q, providers.toArray(String[]::new));
    }

    static Stream<Arguments> departmentShortNames() {
        List<String> hrss = List.of("社会保险参保信息", "就业登记信息", "职业技能等级证书");
        List<String> market = List.of("企业登记信息", "食品经营许可信息", "宁波市企业年度报告信息");
        return Stream.of(Arguments.of("人社厅", hrss, List.of("浙江省人力资源和社会保障厅")),
                Arguments.of("人社", hrss, List.of("浙江省人力资源和社会保障厅")),
                Arguments.of("人社局", hrss, List.of("浙江省人力资源和社会保障厅")),
                Arguments.of("市监局", market, List.of("浙江省市场监督管理局", "宁波市市场监督管理局")));
    }

    @Test
    void resourceCodesMatchExactlyAndByPrefix() {
        String code = codeOf("居民户籍信息");
        assertTrue(code.matches("101001/\\d{6}"), code);
        List<String> exact = names(operator(), code);
        // typed with full-width digits and slash, or with 、 between the parts: the same code
        StringBuilder wide = new StringBuilder();
        code.chars().forEach(ch -> wide.append((char) (ch == '/' ? '／' : ch - '0' + '０')));
        assertEquals(exact, names(operator(), wide.toString()));
        assertEquals(exact, names(operator(), code.replace("/", "、")));
        assertTrue(names(operator(), wide.substring(0, 6)).contains("居民户籍信息"));
        assertEquals("居民户籍信息", exact.get(0));
        assertTrue(names(operator(), "105").containsAll(List.of("电子证照", "职业技能等级证书")));
        assertTrue(names(operator(), code.substring(0, 6)).contains("居民户籍信息"));
    }

    @Test
    void exactNamesRankFirst() {
        for (String name : List.of("居民户籍信息", "企业登记信息", "不动产登记信息", "住房公积金缴存信息", "电子证照")) {
            assertEquals(name, names(operator(), name).get(0), name);
        }
    }

    @Test
    void callersSeeOnlyWhatTheyMay() {
        // entries in review are not searchable
        assertFalse(names(operator(), "特种设备").contains("特种设备使用登记信息"));
        assertFalse(names(operator(), "户籍迁移").contains("户籍迁移记录"));
        // anonymous callers: the open-data portal, published and open only
        assertTrue(names(null, "企业").contains("企业登记信息"));
        assertFalse(names(null, "户籍").contains("居民户籍信息"));
        given().queryParam("size", 200).get(S).then().statusCode(200)
                .body("hits.openAttribute.unique()", equalTo(List.of("OPEN")));
    }

    @Test
    void citizensAndEnterprisesSearchTheOpenDataPortal() {
        long total = given().queryParam("size", 1).get(S).then().statusCode(200).extract().jsonPath()
                .getLong("total");
        for (String token : List.of(Fixtures.citizen(), Fixtures.enterprise())) {
            assertFalse(names(token, "户籍").contains("居民户籍信息"));
            assertTrue(names(token, "企业").contains("企业登记信息"));
            as(token).queryParam("size", 200).get(S).then().statusCode(200)
                    .body("hits.openAttribute.unique()", equalTo(List.of("OPEN")))
                    .body("total", equalTo((int) total));
            as(token).queryParam("shareAttribute", "NOT_SHARED").get(S).then().statusCode(200)
                    .body("total", equalTo(0));
        }
        // government callers without a draft role still search the whole published catalogue
        assertTrue(names(Fixtures.system(), "户籍").contains("居民户籍信息"));
        assertTrue(names(operator(), "户籍").contains("居民户籍信息"));
    }

    @Test
    void facetsFiltersAndHighlighting() {
        JsonPath all = as(operator()).get(S).then().statusCode(200).extract().jsonPath();
        int total = all.getInt("total");
        assertTrue(total >= 40, "demo catalogue published " + total);
        List<Map<String, Object>> shares = all.getList("facets.shareAttribute");
        assertEquals(Set.of("UNCONDITIONAL", "CONDITIONAL", "NOT_SHARED"),
                new HashSet<>(shares.stream().map(m -> (String) m.get("value")).toList()));
        for (String dim : List.of("provider", "resourceClass", "category", "openAttribute", "updateCycle", "region",
                "grade", "format")) {
            assertFalse(all.getList("facets." + dim).isEmpty(), dim);
        }
        as(operator()).queryParam("shareAttribute", "NOT_SHARED").queryParam("size", 200).get(S).then()
                .statusCode(200).body("hits.shareAttribute.unique()", equalTo(List.of("NOT_SHARED")));
        as(operator()).queryParam("q", "公积金").queryParam("provider", "浙江省住房公积金管理中心").get(S).then()
                .statusCode(200).body("hits.providerDepartmentName.unique()", equalTo(List.of("浙江省住房公积金管理中心")));
        as(operator()).queryParam("q", "户籍").get(S).then().statusCode(200)
                .body("hits[0].nameHighlight", containsString("<em>户籍</em>"));
        as(operator()).queryParam("size", 0).get(S).then().statusCode(400);
        as(operator()).queryParam("cursor", "!!").get(S).then().statusCode(400);
    }

    /** Broad queries (more than half of the catalogue, or all of it) count facets differently: same figures. */
    @ParameterizedTest(name = "q={0} {1}")
    @MethodSource("facetQueries")
    void facetCountsAreTheCountsOfTheHits(String q, Map<String, String> filters) {
        JsonPath page = as(operator()).queryParam("q", q).queryParam("size", 200).queryParams(filters).get(S).then()
                .statusCode(200).extract().jsonPath();
        List<Map<String, Object>> hits = page.getList("hits");
        assertEquals(page.getInt("total"), hits.size());
        assertTrue(hits.size() > 0, q);
        Map<String, String> fields = Map.of("provider", "providerDepartmentName", "shareAttribute", "shareAttribute",
                "openAttribute", "openAttribute", "updateCycle", "updateCycle");
        fields.forEach((dim, field) -> {
            Map<String, Integer> expected = new java.util.HashMap<>();
            hits.forEach(h -> expected.merge((String) h.get(field), 1, Integer::sum));
            Map<String, Integer> actual = new java.util.HashMap<>();
            page.<Map<String, Object>>getList("facets." + dim)
                    .forEach(f -> actual.put((String) f.get("value"), (Integer) f.get("count")));
            assertEquals(expected, actual, q + " " + dim);
        });
    }

    static Stream<Arguments> facetQueries() {
        return Stream.of(Arguments.of("", Map.of()), Arguments.of("数据", Map.of()), Arguments.of("信息", Map.of()),
                Arguments.of("登记", Map.of()), Arguments.of("户籍", Map.of()),
                Arguments.of("信息", Map.of("shareAttribute", "CONDITIONAL")),
                Arguments.of("", Map.of("resourceClass", "BASE")));
    }

    @ParameterizedTest(name = "q={0}")
    @MethodSource("pagedQueries")
    void cursorPagingWalksEveryHitOnce(String q) {
        int total = as(operator()).queryParam("q", q).get(S).then().extract().path("total");
        assertTrue(total > 7, q + " spans several pages");
        List<Long> ids = new ArrayList<>();
        String cursor = null;
        for (int i = 0; i < 100; i++) {
            var req = as(operator()).queryParam("q", q).queryParam("size", 7);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            JsonPath page = req.get(S).then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("hits.id", Long.class));
            cursor = page.getString("nextCursor");
            if (cursor == null) {
                break;
            }
        }
        assertEquals(total, ids.size());
        assertEquals(total, new HashSet<>(ids).size());
    }

    static Stream<String> pagedQueries() {
        return Stream.of("", "信息", "登记", "证");
    }

    @Test
    void adminCuratesSynonyms() {
        assertFalse(names(operator(), "XZQH").contains("土地利用现状数据"));
        as(editor()).body(Map.of("expansion", "行政区代码")).put("/api/catalog/v1/synonyms/XZQH").then().statusCode(403);
        as(admin()).body(Map.of("expansion", "")).put("/api/catalog/v1/synonyms/XZQH").then().statusCode(400);
        as(admin()).body(Map.of("expansion", "行政区代码")).put("/api/catalog/v1/synonyms/XZQH").then().statusCode(200);
        try {
            assertTrue(names(operator(), "XZQH").contains("土地利用现状数据"));
        } finally {
            as(admin()).delete("/api/catalog/v1/synonyms/XZQH").then().statusCode(204);
        }
        as(operator()).get("/api/catalog/v1/synonyms").then().statusCode(200)
                .body("find { it.term == '社保' }.expansion", equalTo("社会保险"));
    }
}
