package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Bulk export and import in the departments' sheet layout: round trip, row-by-row report, all-or-nothing. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class SpreadsheetTest {

    private static final String X = "/api/catalog/v1/spreadsheets/entries";
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    /** 浙江省民政厅: the demo department whose entries are round-tripped. */
    private static final String CIVIL = "11330000002481090H";

    private static List<Map<String, Object>> contents(String token) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> e : as(token).queryParam("provider", CIVIL).queryParam("size", 200)
                .get("/api/catalog/v1/entries").then().statusCode(200).extract().jsonPath()
                .<Map<String, Object>>getList("$")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>) (e.get("published") != null ? e.get("published")
                    : e.get("draft"));
            out.add(content);
        }
        return out;
    }

    private static int count(String token) {
        return as(token).queryParam("size", 200).get("/api/catalog/v1/entries").then().extract().jsonPath()
                .getList("$").size();
    }

    private void roundTrip(String format, String contentType) {
        String editor = editorOf(CIVIL);
        List<Map<String, Object>> before = contents(editor);
        byte[] file = as(editor).queryParam("format", format).queryParam("provider", CIVIL).get(X).then()
                .statusCode(200).extract().asByteArray();
        int n = count(editor);
        List<Integer> ids = given().auth().oauth2(editor).contentType(contentType).body(file).post(X).then()
                .statusCode(201).body("entries", equalTo(before.size())).extract().jsonPath().getList("ids");
        assertEquals(n + before.size(), count(editor));
        List<Map<String, Object>> imported = new ArrayList<>();
        for (Integer id : ids) {
            imported.add(as(editor).get("/api/catalog/v1/entries/" + id).then().statusCode(200).extract().jsonPath()
                    .getMap("draft"));
        }
        assertEquals(before, imported, "export then import yields identical entries");
    }

    @Test
    void xlsxRoundTripYieldsIdenticalEntries() {
        roundTrip("xlsx", XLSX);
    }

    @Test
    void csvRoundTripYieldsIdenticalEntries() {
        roundTrip("csv", "text/csv");
    }

    @Test
    void aBadSheetGetsARowByRowReportAndChangesNothing() {
        String editor = editorOf(CIVIL);
        String csv = new String(as(editor).queryParam("format", "csv").queryParam("provider", CIVIL).get(X).then()
                .statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(csv.lines().toList());
        // row 2: a NUL character; row 3: an unknown data type; row 4: an unknown share attribute; another
        // department on the last entry
        int description = List.of(lines.get(0).split(",", -1)).indexOf("信息项描述");
        String[] second = lines.get(1).split(",", -1);
        assertTrue(description > 0 && !lines.get(1).contains("\"") && second.length > description, lines.get(1));
        second[description] = second[description] + "a\u0000b";
        lines.set(1, String.join(",", second));
        lines.set(2, lines.get(2).replaceFirst(",C,", ",X,"));
        lines.set(3, lines.get(3).replace("有条件共享", "看情况共享"));
        String last = lines.get(lines.size() - 1).replace(CIVIL, "11330000002481020A");
        lines.set(lines.size() - 1, last);
        int before = count(editor);
        given().auth().oauth2(editor).contentType("text/csv").body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)).post(X).then()
                .statusCode(422).contentType("application/problem+json")
                .body("rows.row", hasItem(3)).body("rows.row", hasItem(4))
                .body("rows.find { it.row == 2 }.column", equalTo("信息项描述"))
                .body("rows.find { it.row == 2 }.message", containsString("U+0000"))
                .body("rows.find { it.row == 3 }.column", equalTo("数据类型"))
                .body("rows.find { it.row == 4 }.column", equalTo("共享属性"))
                .body("rows.column", hasItem("提供方代码"));
        assertEquals(before, count(editor), "nothing was imported");
        // partial import takes the valid entries and still reports the bad rows
        int reported = given().auth().oauth2(editor).contentType("text/csv").queryParam("partial", true)
                .body(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)).post(X).then().statusCode(201).extract().jsonPath()
                .getList("problems").size();
        assertTrue(reported >= 3);
        assertTrue(count(editor) > before);
    }

    @Test
    void importIsForEditorsAndRejectsGarbage() {
        given().auth().oauth2(operator()).contentType("text/csv").body("a,b").post(X).then().statusCode(403);
        given().contentType("text/csv").body("a,b").post(X).then().statusCode(401);
        given().auth().oauth2(editorOf(CIVIL)).contentType("text/csv").body("名称,其他\nx,y".getBytes(StandardCharsets.UTF_8)).post(X).then()
                .statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(editorOf(CIVIL)).contentType(XLSX).body(new byte[] {1, 2, 3}).post(X).then()
                .statusCode(422);
        as(operator()).queryParam("format", "pdf").get(X).then().statusCode(400);
    }
}
