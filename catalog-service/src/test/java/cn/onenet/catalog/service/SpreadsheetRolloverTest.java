package cn.onenet.catalog.service;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * An .xlsx export longer than a worksheet continues on the next one, each with the header, and reads back whole; the
 * per-sheet limit is lowered here so that a few entries fill several sheets.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class SpreadsheetRolloverTest {

    private static final String X = "/api/catalog/v1/spreadsheets/entries";
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    /** 浙江省民政厅, a demo department with several entries. */
    private static final String CIVIL = "11330000002481090H";

    @Test
    void aLongExportRollsOverToNewWorksheetsAndReadsBackWhole() throws IOException {
        String editor = editorOf(CIVIL);
        String text = new String(as(editor).queryParam("format", "csv").queryParam("provider", CIVIL).get(X).then()
                .statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8).replace("\ufeff", "");
        List<List<String>> csv = new ArrayList<>();
        for (CSVRecord r : CSVFormat.DEFAULT.parse(new StringReader(text))) {
            csv.add(r.toList());
        }
        int dataRows = csv.size() - 1;
        assertTrue(dataRows > 7, "the department's export has " + dataRows + " rows");

        int limit = SpreadsheetService.sheetRows;
        byte[] xlsx;
        try {
            SpreadsheetService.sheetRows = 3;
            xlsx = as(editor).queryParam("format", "xlsx").queryParam("provider", CIVIL).get(X).then()
                    .statusCode(200).extract().asByteArray();
        } finally {
            SpreadsheetService.sheetRows = limit;
        }
        List<List<String>> all = new ArrayList<>();
        int sheets = 0;
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            for (Sheet sheet : wb.getSheets().toList()) {
                sheets++;
                List<List<String>> rows = new ArrayList<>();
                for (Row row : sheet.read()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < csv.get(0).size(); i++) {
                        String t = i < row.getCellCount() ? row.getCellText(i) : null;
                        cells.add(t == null ? "" : t);
                    }
                    rows.add(cells);
                }
                assertEquals(SpreadsheetService.COLUMNS, rows.get(0), "every sheet starts with the header");
                assertTrue(rows.size() - 1 <= 3 && rows.size() > 1, "sheet " + sheets + ": " + (rows.size() - 1));
                all.addAll(rows.subList(1, rows.size()));
            }
        }
        assertEquals((dataRows + 2) / 3, sheets);
        assertEquals(csv.subList(1, csv.size()), all, "the sheets hold the export's rows in order");

        // an import reads every sheet: the department's own export changes nothing
        var result = given().auth().oauth2(editor).contentType(XLSX).body(xlsx).post(X).then().statusCode(201)
                .extract().jsonPath();
        assertEquals(0, result.getInt("created") + result.getInt("updated"));
        assertEquals(all.stream().map(r -> r.get(0)).distinct().count(), (long) result.getList("rows").size());
    }

    @Test
    void anExportWithNoEntriesIsTheHeaderAlone() throws IOException {
        String editor = editorOf(CIVIL);
        byte[] xlsx = as(editor).queryParam("format", "xlsx").queryParam("provider", "no-such-provider").get(X)
                .then().statusCode(200).extract().asByteArray();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            List<Row> rows = wb.getFirstSheet().read();
            assertEquals(1, rows.size());
            assertEquals(SpreadsheetService.COLUMNS.get(0), rows.get(0).getCellText(0));
        }
        String csv = new String(as(editor).queryParam("format", "csv").queryParam("provider", "no-such-provider")
                .get(X).then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        assertEquals(1, csv.lines().count());
    }
}
