package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.prepare;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * An export re-imported unchanged leaves the draft as it is ({@code SKIPPED}, identical), with its assessments and
 * the head's approval, whatever the entry's texts hold: white space around a text as the API keeps it (an abstract
 * typed in a text area ends in a line break), or an optional text sent empty rather than left out.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ReimportUnchangedTest {

    private static final String X = "/api/catalog/v1/spreadsheets/entries";

    /** The export's header and the rows of the entry with the name, 序号 1. */
    private static List<List<String>> exported(String name) throws IOException {
        String text = new String(as(editor()).queryParam("format", "csv").queryParam("provider", POLICE).get(X).then()
                .statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8).replace("\ufeff", "");
        List<List<String>> rows = new ArrayList<>();
        for (CSVRecord r : CSVFormat.DEFAULT.parse(new StringReader(text))) {
            List<String> cells = new ArrayList<>(r.toList());
            int nameColumn = rows.isEmpty() ? -1 : rows.get(0).indexOf("信息资源名称");
            if (rows.isEmpty() || cells.get(nameColumn).equals(name)) {
                if (!rows.isEmpty()) {
                    cells.set(rows.get(0).indexOf("序号"), "1");
                }
                rows.add(cells);
            }
        }
        return rows;
    }

    private static byte[] csv(List<List<String>> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CSVPrinter p = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), CSVFormat.DEFAULT)) {
            for (List<String> row : rows) {
                p.printRecord(row);
            }
        }
        return out.toByteArray();
    }

    /** The entry's export imported again as it is: skipped as identical, its gate records kept. */
    private static void reimportedUnchanged(long id, String name) throws IOException {
        Map<String, Object> before = as(editor()).get("/api/catalog/v1/entries/" + id).then().statusCode(200)
                .extract().jsonPath().getMap("$");
        List<List<String>> rows = exported(name);
        assertEquals(1 + 3, rows.size(), "the header and the entry's three data items");
        JsonPath result = given().auth().oauth2(editor()).contentType("text/csv").body(csv(rows)).post(X).then()
                .statusCode(201).extract().jsonPath();
        assertEquals("SKIPPED", result.getString("rows[0].outcome"), result.prettify());
        Map<String, Object> after = as(editor()).get("/api/catalog/v1/entries/" + id).then().statusCode(200)
                .extract().jsonPath().getMap("$");
        assertNotNull(after.get("headApproval"), "the head's approval stands");
        assertEquals(before.get("lockVersion"), after.get("lockVersion"));
        assertEquals(before.get("draft"), after.get("draft"));
    }

    @Test
    void textsWithWhiteSpaceAroundThemReimportUnchanged() throws IOException {
        Map<String, Object> body = entry("往返-空白");
        body.put("abstract", "全省户籍人口的登记信息。\n供办理社会保障业务核验身份。\n");
        body.put("shareConditions", " 仅限办理社会保障业务时使用");
        long id = create(editor(), body);
        prepare(editor(), id);
        reimportedUnchanged(id, "往返-空白");
    }

    @Test
    @SuppressWarnings("unchecked")
    void optionalTextsSentEmptyReimportUnchanged() throws IOException {
        Map<String, Object> body = entry("往返-空文本");
        ((List<Map<String, Object>>) body.get("items")).get(0).put("description", "");
        body.put("openConditions", "");
        long id = create(editor(), body);
        prepare(editor(), id);
        reimportedUnchanged(id, "往返-空文本");
    }
}
