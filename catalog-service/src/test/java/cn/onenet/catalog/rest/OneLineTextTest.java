package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.put;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.service.SpreadsheetService;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.catalog.support.Sheets;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * One-line texts of the catalogue — an entry's names, titles, codes and short labels, an assessment's report number, a
 * calendar day's name, a synonym — hold no tab, carriage return, line feed or U+2028 / U+2029 (common's
 * {@code PrintableText.printableLine}); descriptions and conditions, of several lines, may. A refusal is a 400
 * problem+json naming the field by its path (the spreadsheet import: the row and column of the cell) and stores
 * nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class OneLineTextTest {

    private static final String E = "/api/catalog/v1/entries";
    /** A tab, a CR/LF pair, a lone line feed and the line and paragraph separators, each inside a text. */
    private static final List<String> BREAKS = List.of("\t", "\r\n", "\n", "\u2028", "\u2029");

    private static long entries(String name) {
        return QuarkusTransaction.requiringNew().call(() -> CatalogEntry.count("name", name));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aLineBreakOrTabInAOneLineFieldOfAnEntryIsRefusedNamingItsPath() {
        for (String br : BREAKS) {
            String name = "单行-拒绝" + BREAKS.indexOf(br);
            Map<String, Object> body = entry(name);
            ((List<Map<String, Object>>) body.get("items")).get(2).put("name", "户籍" + br + "地址");
            as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem("items[2].name")).body("requestId", notNullValue())
                    .body("errors.find { it.field == 'items[2].name' }.message", containsString("one line"));
            assertEquals(0, entries(name));
        }
        // the entry's own one-line fields: name, provider's name, format type, category, keyword, codes, law title
        String br = "\r\n";
        Map<String, Object> body = entry("单行-多处" + br + "名称");
        body.put("providerDepartmentName", "浙江省" + br + "公安厅");
        ((Map<String, Object>) body.get("format")).put("formatType", "Postgre\tSQL");
        body.put("dataCategory", "人口\u2028基础信息");
        body.put("keywords", new ArrayList<>(List.of("户籍", "户\u2029口")));
        body.put("permittedPurposes", new ArrayList<>(List.of("社会保障\n资格认证")));
        ((List<Map<String, Object>>) body.get("items")).get(0).put("code", "GMS\tFHM");
        as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("name")).body("errors.field", hasItem("providerDepartmentName"))
                .body("errors.field", hasItem("format.formatType")).body("errors.field", hasItem("dataCategory"))
                .body("errors.field", hasItem("keywords[1]")).body("errors.field", hasItem("permittedPurposes[0]"))
                .body("errors.field", hasItem("items[0].code"));
        Map<String, Object> notShared = entry("单行-依据");
        notShared.put("shareAttribute", "NOT_SHARED");
        notShared.remove("shareConditions");
        notShared.remove("shareScope");
        notShared.remove("permittedPurposes");
        notShared.remove("shareMethod");
        notShared.put("notSharedReason", "涉及个人隐私\n依法不予共享");
        notShared.put("notSharedLegalBasis", new LinkedHashMap<>(Map.of("type", "LAW", "title",
                "中华人民共和国\n个人信息保护法", "article", "第十三\t条")));
        as(editor()).body(notShared).post(E).then().statusCode(400)
                .body("errors.field", hasItem("notSharedLegalBasis.title"))
                .body("errors.field", hasItem("notSharedLegalBasis.article"))
                .body("errors.field", not(hasItem("notSharedReason")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSameCharactersInADescriptionOrConditionAreKept() {
        for (String br : BREAKS) {
            Map<String, Object> body = entry("单行-描述" + BREAKS.indexOf(br));
            body.put("abstract", "全省户籍人口的登记信息" + br + "用于身份核验");
            body.put("shareConditions", "仅限办理社会保障业务" + br + "时使用");
            body.put("shareScope", "省内各级" + br + "政务部门");
            ((List<Map<String, Object>>) body.get("items")).get(2).put("description", "省" + br + "市" + br + "县");
            long id = create(editor(), body);
            as(editor()).get(E + "/" + id).then().statusCode(200)
                    .body("draft.abstract", equalTo("全省户籍人口的登记信息" + br + "用于身份核验"))
                    .body("draft.shareScope", equalTo("省内各级" + br + "政务部门"))
                    .body("draft.items[2].description", equalTo("省" + br + "市" + br + "县"));
        }
    }

    /** A bidirectional control is refused as such, in a description too: not as a line break it is not. */
    @Test
    @SuppressWarnings("unchecked")
    void aBidirectionalControlIsRefusedByItsOwnNameInOneLineAndDescriptionFields() {
        String name = "双向-拒绝";
        Map<String, Object> body = entry(name);
        body.put("abstract", "全省户籍人口\u202E的登记信息");
        ((List<Map<String, Object>>) body.get("items")).get(2).put("name", "户籍\u2066地址\u2069");
        as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == 'abstract' }.message", containsString("bidirectional control U+202E"))
                .body("errors.find { it.field == 'abstract' }.message", not(containsString("one line")))
                .body("errors.find { it.field == 'items[2].name' }.message",
                        containsString("bidirectional control U+2066"));
        assertEquals(0, entries(name));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEditThatPutsALineBreakIntoAOneLineFieldChangesNothing() {
        Map<String, Object> body = entry("单行-编辑");
        long id = create(editor(), body);
        int version = Fixtures.lockVersion(id);
        ((List<Map<String, Object>>) body.get("items")).get(1).put("name", "姓\n名");
        put(editor(), id, body).statusCode(400).body("errors.field", hasItem("items[1].name"));
        as(editor()).get(E + "/" + id).then().statusCode(200).body("draft.items[1].name", equalTo("姓名"))
                .body("lockVersion", equalTo(version));
    }

    @Test
    void aSpreadsheetCellOfAOneLineColumnWithALineBreakIsReportedAtItsRowAndColumn() throws IOException {
        Map<String, String> row = Sheets.row("单行-导入");
        row.put("信息项名称", "公民\n身份号码");
        row.put("格式类型", "Postgre\tSQL");
        JsonPath refused = Sheets.importFile(editor(), Sheets.csv(SpreadsheetService.COLUMNS, row), "text/csv")
                .statusCode(422).contentType("application/problem+json").extract().jsonPath();
        assertEquals(2, refused.getInt("rows.find { it.field == 'items[0].name' }.row"), refused.prettify());
        assertEquals("信息项名称", refused.getString("rows.find { it.field == 'items[0].name' }.column"));
        assertEquals("格式类型", refused.getString("rows.find { it.field == 'format.formatType' }.column"));
        assertEquals(0, entries("单行-导入"));

        // the same break in the abstract's and the item description's cells is kept
        Map<String, String> multi = Sheets.row("单行-导入描述");
        multi.put("信息资源摘要", "全省户籍人口的登记信息\r\n用于身份核验");
        multi.put("信息项描述", "18位\u2028含校验码");
        JsonPath created = Sheets.importFile(editor(), Sheets.csv(SpreadsheetService.COLUMNS, multi), "text/csv")
                .statusCode(201).extract().jsonPath();
        as(editor()).get(E + "/" + created.getLong("rows[0].entryId")).then().statusCode(200)
                .body("draft.abstract", equalTo("全省户籍人口的登记信息\r\n用于身份核验"))
                .body("draft.items[0].description", equalTo("18位\u2028含校验码"));
    }

    @Test
    void anAssessmentsReportNumberIsOneLineItsConclusionMayHaveSeveral() {
        long id = create(editor(), entry("单行-评估"));
        String day = Fixtures.registrationDay(id);
        for (String br : BREAKS) {
            as(editor()).body(Map.of("reference", "BM-2026" + br + "001", "conclusion", "不涉及", "assessedOn", day))
                    .post(E + "/" + id + "/assessments/secrecy").then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("reference"));
        }
        as(editor()).get(E + "/" + id).then().statusCode(200).body("secrecyAssessment", nullValue());
        as(editor()).body(Map.of("reference", "BM-2026-001", "conclusion", "不涉及国家秘密\r\n不涉及工作秘密",
                "assessedOn", day)).post(E + "/" + id + "/assessments/secrecy").then().statusCode(200)
                .body("secrecyAssessment.conclusion", equalTo("不涉及国家秘密\r\n不涉及工作秘密"));
    }

    @Test
    void aCalendarDayNameOrASynonymWithALineBreakIsRefused() {
        for (String br : BREAKS) {
            as(admin()).body(Map.of("kind", "holiday", "name", "测试" + br + "假日", "reason", "国办通知\n第二段"))
                    .put("/api/catalog/v1/calendar/2031-05-07").then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("name"));
            as(admin()).body(Map.of("expansion", "社会" + br + "保险")).put("/api/catalog/v1/synonyms/单行社保").then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo("expansion"));
        }
        as(admin()).queryParam("year", 2031).get("/api/catalog/v1/calendar").then().statusCode(200)
                .body("day", not(hasItem("2031-05-07")));
        as(admin()).get("/api/catalog/v1/synonyms").then().statusCode(200).body("term", not(hasItem("单行社保")));
    }
}
