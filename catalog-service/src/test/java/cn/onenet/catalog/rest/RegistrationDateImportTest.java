package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.PROVINCE;
import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.headApproval;
import static cn.onenet.catalog.support.Fixtures.headOf;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.staff;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.model.CatalogEntry;
import cn.onenet.catalog.service.CalendarService;
import cn.onenet.catalog.service.SpreadsheetService;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Sheets;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;

/**
 * 登记日期 in the spreadsheet import: a province migrating the catalogue it kept before gives each entry the day it
 * was first registered there. An admin's file may give it for the entries the import creates (ISO date, not in the
 * future, not before 2000-01-01); the entry is then registered on that day, the later steps are dated against it, and
 * its CREATE step records that the import gave it and who imported. Anyone else's file, or a bad value, is a row
 * problem naming the column, and nothing of the file is imported.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class RegistrationDateImportTest {

    private static final String X = "/api/catalog/v1/spreadsheets/entries";
    private static final String E = "/api/catalog/v1/entries/";
    private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static final String COLUMN = "登记日期";

    @Inject
    CalendarService calendar;

    /** The account a province gives for migrating 浙江省公安厅's catalogue: its editor's role and an admin's. */
    private static String migrator() {
        return staff("migrator-police", POLICE, PROVINCE, "catalog-editor", "admin");
    }

    /** One entry of 浙江省公安厅 in the sheet layout with the registration date (empty: none). */
    private static Map<String, String> row(String name, String registeredOn) {
        Map<String, String> r = Sheets.row(name);
        r.put(COLUMN, registeredOn);
        return r;
    }

    private static byte[] csv(List<String> header, Map<String, String> row) throws IOException {
        return Sheets.csv(header, row);
    }

    private static byte[] csv(Map<String, String> row) throws IOException {
        return Sheets.csv(SpreadsheetService.COLUMNS, row);
    }

    /** The row as an .xlsx sheet; the registration date as a date cell (as Excel keeps a typed date) when given. */
    private static byte[] xlsx(Map<String, String> row, LocalDate dateCell) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Workbook wb = new Workbook(out, "test", "1.0");
        Worksheet ws = wb.newWorksheet("政务数据目录");
        List<String> header = SpreadsheetService.COLUMNS;
        for (int c = 0; c < header.size(); c++) {
            ws.value(0, c, header.get(c));
            String v = row.getOrDefault(header.get(c), "");
            if (header.get(c).equals(COLUMN) && dateCell != null) {
                ws.value(1, c, dateCell);
                ws.style(1, c).format("yyyy-mm-dd").set();
            } else if (!v.isEmpty()) {
                ws.value(1, c, v);
            }
        }
        wb.finish();
        return out.toByteArray();
    }

    private static ValidatableResponse importFile(String token, byte[] file, String type) {
        return Sheets.importFile(token, file, type);
    }

    private static long entries(String name) {
        return QuarkusTransaction.requiringNew().call(() -> CatalogEntry.count("name", name));
    }

    /** Refused as a problem of row 2 in the column 登记日期, the message saying why; nothing of the file stored. */
    private static void refused(String token, byte[] file, String type, String name, String why) {
        importFile(token, file, type).statusCode(422).contentType("application/problem+json")
                .body("rows[0].row", equalTo(2)).body("rows[0].column", equalTo(COLUMN))
                .body("rows[0].field", equalTo("registeredOn")).body("rows[0].message", containsString(why))
                .body("requestId", notNullValue());
        assertEquals(0, entries(name), "nothing of a refused file is imported");
    }

    private static long imported(String token, byte[] file, String type) {
        JsonPath result = importFile(token, file, type).statusCode(201).extract().jsonPath();
        assertEquals("CREATED", result.getString("rows[0].outcome"), result.prettify());
        return result.getLong("rows[0].entryId");
    }

    @Test
    void anAdminsImportRegistersTheEntryOnTheOriginalDayAndTheHistorySaysWhoGaveIt() throws IOException {
        long id = imported(migrator(), csv(row("登记日期-迁移", "2019-03-01")), "text/csv");
        as(editor()).get(E + id).then().statusCode(200).body("registeredOn", equalTo("2019-03-01"));
        JsonPath history = as(editor()).get(E + id + "/history").then().statusCode(200).extract().jsonPath();
        assertEquals("CREATE", history.getString("[0].action"));
        assertEquals("migrator-police", history.getString("[0].actor"));
        assertEquals("admin", history.getString("[0].actorRole"));
        JsonPath changes = new JsonPath(history.getString("[0].changes"));
        assertEquals("2019-03-01", changes.getString("registeredOn"), history.prettify());
        assertEquals("SPREADSHEET_IMPORT", changes.getString("registeredOnSource"));
        assertTrue(history.getString("[0].opinion").contains("2019-03-01"), history.getString("[0].opinion"));

        // assessments are dated against the original registration: its day is allowed, the day before is not
        as(editor()).body(Map.of("reference", "BM-2019-001", "conclusion", "不涉及国家秘密", "assessedOn", "2019-02-28"))
                .post(E + id + "/assessments/secrecy").then().statusCode(400).body("field", equalTo("assessedOn"))
                .body("detail", containsString("2019-03-01"));
        as(editor()).body(Map.of("reference", "BM-2019-001", "conclusion", "不涉及国家秘密", "assessedOn", "2019-03-01"))
                .post(E + id + "/assessments/secrecy").then().statusCode(200);
        as(editor()).body(Map.of("reference", "PIA-2019-001", "conclusion", "风险可控", "assessedOn", "2019-03-01"))
                .post(E + id + "/assessments/personal-information").then().statusCode(200);
        headApproval(headOf(POLICE), id).statusCode(200);
        action(editor(), id, "submit", Map.of()).statusCode(200);
        action(reviewer(), id, "approve", Map.of("opinion", "同意")).statusCode(200);
        action(reviewer(), id, "publish", Map.of("opinion", "发布")).statusCode(200);

        // and so is a change's trigger: a law changed in 2020 is a change of an entry registered in 2019
        action(editor(), id, "change", Map.of("cause", "法规修订", "triggeredOn", "2019-02-28")).statusCode(400)
                .body("field", equalTo("triggeredOn")).body("detail", containsString("2019-03-01"));
        action(editor(), id, "change", Map.of("cause", "法规修订", "triggeredOn", "2020-06-01")).statusCode(200)
                .body("changeTrigger.triggeredOn", equalTo("2020-06-01"));
    }

    @Test
    void anXlsxDateCellAndAnIsoTextCellAreBothRead() throws IOException {
        long dated = imported(migrator(), xlsx(row("登记日期-日期单元格", ""), LocalDate.of(2018, 7, 16)), XLSX);
        as(editor()).get(E + dated).then().body("registeredOn", equalTo("2018-07-16"));
        long text = imported(migrator(), xlsx(row("登记日期-文本单元格", "2017-12-31"), null), XLSX);
        as(editor()).get(E + text).then().body("registeredOn", equalTo("2017-12-31"));
    }

    @Test
    void theFloorAndTodayAreAccepted() throws IOException {
        long floor = imported(migrator(), csv(row("登记日期-下限", "2000-01-01")), "text/csv");
        as(editor()).get(E + floor).then().body("registeredOn", equalTo("2000-01-01"));
        String today = calendar.today().toString();
        long now = imported(migrator(), csv(row("登记日期-今天", today)), "text/csv");
        as(editor()).get(E + now).then().body("registeredOn", equalTo(today));
    }

    @Test
    void badDatesAreRowProblemsAndNothingIsImported() throws IOException {
        String tomorrow = calendar.today().plusDays(1).toString();
        refused(migrator(), csv(row("登记日期-明天", tomorrow)), "text/csv", "登记日期-明天", "future");
        refused(migrator(), xlsx(row("登记日期-明天x", ""), calendar.today().plusDays(1)), XLSX, "登记日期-明天x",
                "future");
        refused(migrator(), csv(row("登记日期-过早", "1999-12-31")), "text/csv", "登记日期-过早", "2000-01-01");
        for (String bad : new String[] {"2019/3/1", "2019-02-30", "2019-3-1", "20190301", "去年", "12019-01-01"}) {
            refused(migrator(), csv(row("登记日期-格式" + bad, bad)), "text/csv", "登记日期-格式" + bad, "yyyy-MM-dd");
        }
    }

    @Test
    void onlyAnAdminMayBackdateAnEditorsFileWithTheColumnFilledIsRefused() throws IOException {
        refused(editor(), csv(row("登记日期-编目人员", "2019-03-01")), "text/csv", "登记日期-编目人员", "admin");
        // even a date of today: the column is an admin's
        refused(editor(), csv(row("登记日期-编目人员今天", calendar.today().toString())), "text/csv",
                "登记日期-编目人员今天", "admin");
        // with the column empty, or without it, the editor's entry is registered on the day of the import
        long id = imported(editor(), csv(row("登记日期-空", "")), "text/csv");
        as(editor()).get(E + id).then().body("registeredOn", equalTo(calendar.today().toString()));
        List<String> withoutColumn = new ArrayList<>(SpreadsheetService.COLUMNS);
        withoutColumn.remove(COLUMN);
        long old = imported(editor(), csv(withoutColumn, row("登记日期-无此列", "")), "text/csv");
        as(editor()).get(E + old).then().body("registeredOn", equalTo(calendar.today().toString()));
    }

    @Test
    void reImportingTheMigrationFileChangesNothingAndAnotherDateForAnExistingEntryIsRefused() throws IOException {
        byte[] file = csv(row("登记日期-重复导入", "2021-05-10"));
        long id = imported(migrator(), file, "text/csv");
        JsonPath again = importFile(migrator(), file, "text/csv").statusCode(201).extract().jsonPath();
        assertEquals("SKIPPED", again.getString("rows[0].outcome"), again.prettify());
        assertEquals(id, again.getLong("rows[0].entryId"));
        importFile(migrator(), csv(row("登记日期-重复导入", "2020-05-10")), "text/csv").statusCode(422)
                .body("rows[0].column", equalTo(COLUMN)).body("rows[0].message", containsString("2021-05-10"));
        as(editor()).get(E + id).then().body("registeredOn", equalTo("2021-05-10"));
    }

    @Test
    void theTemplateAndTheExportHaveTheColumnEmpty() throws IOException {
        long id = imported(migrator(), csv(row("登记日期-导出", "2016-09-01")), "text/csv");
        String text = new String(as(editor()).queryParam("format", "csv").queryParam("provider", POLICE).get(X).then()
                .statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8).replace("\ufeff", "");
        List<List<String>> rows = new ArrayList<>();
        CSVFormat.DEFAULT.parse(new java.io.StringReader(text)).forEach(r -> rows.add(r.toList()));
        int c = rows.get(0).indexOf(COLUMN);
        assertTrue(c >= 0, rows.get(0).toString());
        int name = rows.get(0).indexOf("信息资源名称");
        List<String> exported = rows.stream().filter(r -> r.get(name).equals("登记日期-导出")).findFirst().orElseThrow();
        assertEquals("", exported.get(c), "the export leaves the registration date to the entry's view");

        byte[] workbook = as(editor()).queryParam("format", "xlsx").queryParam("provider", "000000000000000000").get(X)
                .then().statusCode(200).extract().asByteArray();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(workbook))) {
            List<Row> sheet = wb.getFirstSheet().read();
            assertEquals(1, sheet.size(), "an export of no entries is the template: the header only");
            List<String> header = new ArrayList<>();
            for (int i = 0; i < sheet.get(0).getCellCount(); i++) {
                header.add(sheet.get(0).getCellText(i));
            }
            assertTrue(header.contains(COLUMN), header.toString());
        }
        as(editor()).get(E + id).then().body("registeredOn", equalTo("2016-09-01"));
    }
}
