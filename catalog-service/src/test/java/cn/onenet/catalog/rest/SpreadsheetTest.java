package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Bulk export and import in the departments' sheet layout: round trip, row-by-row report, all-or-nothing, and
 * re-imports that update the department's drafts instead of duplicating them.
 */
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
            // the department's editors export the drafts they work on
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>) e.get("draft");
            out.add(content);
        }
        return out;
    }

    private static int count(String token) {
        return as(token).queryParam("size", 200).get("/api/catalog/v1/entries").then().extract().jsonPath()
                .getList("$").size();
    }

    /** The sheet's rows, header first. */
    private static List<List<String>> table(byte[] file, boolean xlsx) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        if (xlsx) {
            try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(file))) {
                for (Row row : wb.getFirstSheet().read()) {
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < row.getCellCount(); i++) {
                        cells.add(row.getCellText(i) == null ? "" : row.getCellText(i));
                    }
                    rows.add(cells);
                }
            }
        } else {
            String text = new String(file, StandardCharsets.UTF_8).replace("\ufeff", "");
            for (CSVRecord r : CSVFormat.DEFAULT.parse(new StringReader(text))) {
                rows.add(new ArrayList<>(r.toList()));
            }
        }
        return rows;
    }

    private static byte[] file(List<List<String>> rows, boolean xlsx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (xlsx) {
            Workbook wb = new Workbook(out, "test", "1.0");
            Worksheet ws = wb.newWorksheet("政务数据目录");
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.get(r).size(); c++) {
                    if (!rows.get(r).get(c).isEmpty()) {
                        ws.value(r, c, rows.get(r).get(c));
                    }
                }
            }
            wb.finish();
        } else {
            try (CSVPrinter p = new CSVPrinter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8),
                    CSVFormat.DEFAULT)) {
                for (List<String> row : rows) {
                    p.printRecord(row);
                }
            }
        }
        return out.toByteArray();
    }

    /** Sets a column of every data row (of the entry with the given 序号, or of all when null). */
    private static void set(List<List<String>> rows, String column, String seq, java.util.function.UnaryOperator<String> f) {
        int c = rows.get(0).indexOf(column);
        int s = rows.get(0).indexOf("序号");
        for (List<String> row : rows.subList(1, rows.size())) {
            if (seq == null || seq.equals(row.get(s))) {
                row.set(c, f.apply(row.get(c)));
            }
        }
    }

    private void roundTrip(String format, String contentType) throws IOException {
        String editor = editorOf(CIVIL);
        boolean xlsx = format.equals("xlsx");
        List<Map<String, Object>> before = contents(editor);
        List<List<String>> rows = table(as(editor).queryParam("format", format).queryParam("provider", CIVIL).get(X)
                .then().statusCode(200).extract().asByteArray(), xlsx);
        // under new names: the department's entries of the same name are not duplicated by an import
        String suffix = "（" + format + "副本）";
        set(rows, "信息资源名称", null, n -> n + suffix);
        set(rows, "信息资源代码", null, c -> "");
        int n = count(editor);
        List<Integer> ids = given().auth().oauth2(editor).contentType(contentType).body(file(rows, xlsx)).post(X)
                .then().statusCode(201).body("entries", equalTo(before.size()))
                .body("created", equalTo(before.size())).extract().jsonPath().getList("ids");
        assertEquals(n + before.size(), count(editor));
        List<Map<String, Object>> imported = new ArrayList<>();
        for (Integer id : ids) {
            Map<String, Object> draft = as(editor).get("/api/catalog/v1/entries/" + id).then().statusCode(200)
                    .extract().jsonPath().getMap("draft");
            draft.put("name", ((String) draft.get("name")).replace(suffix, ""));
            imported.add(draft);
        }
        assertEquals(before, imported, "export then import yields identical entries");
    }

    @Test
    void xlsxRoundTripYieldsIdenticalEntries() throws IOException {
        roundTrip("xlsx", XLSX);
    }

    @Test
    void csvRoundTripYieldsIdenticalEntries() throws IOException {
        roundTrip("csv", "text/csv");
    }

    @Test
    void aBadSheetGetsARowByRowReportAndChangesNothing() throws IOException {
        String editor = editorOf(CIVIL);
        String csv = new String(as(editor).queryParam("format", "csv").queryParam("provider", CIVIL).get(X).then()
                .statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        // under new names, so the valid entries are new ones (partial import below creates them)
        List<List<String>> renamed = table(csv.getBytes(StandardCharsets.UTF_8), false);
        set(renamed, "信息资源名称", null, n -> n + "（坏表副本）");
        set(renamed, "信息资源代码", null, c -> "");
        List<String> lines = new ArrayList<>(new String(file(renamed, false), StandardCharsets.UTF_8).lines().toList());
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
        as(operator()).queryParam("format", "pdf").get(X).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("format"))
                .body("requestId", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void headsExportTheirDepartmentsDraftsAndAnonymousCallersNothing() throws IOException {
        long draft = Fixtures.create(Fixtures.editor(), Fixtures.entry("表格-负责人导出草稿"));
        List<List<String>> rows = table(as(Fixtures.head()).queryParam("format", "csv")
                .queryParam("provider", Fixtures.POLICE).get(X).then().statusCode(200).extract().asByteArray(), false);
        int name = rows.get(0).indexOf("信息资源名称");
        int state = rows.get(0).indexOf("状态");
        assertTrue(rows.stream().anyMatch(r -> r.get(name).equals("表格-负责人导出草稿") && r.get(state).equals("草稿")),
                "the head reads the department's draft " + draft);
        given().queryParam("format", "csv").get(X).then().statusCode(401);
        // another department's head sees the published entries only
        List<List<String>> other = table(as(Fixtures.headOf(CIVIL)).queryParam("format", "csv")
                .queryParam("provider", Fixtures.POLICE).get(X).then().statusCode(200).extract().asByteArray(), false);
        assertTrue(other.stream().noneMatch(r -> r.get(name).equals("表格-负责人导出草稿")));
    }

    /** The names of the drafts of the editor's department, every page of the work list. */
    private static List<String> draftNames(String editor) {
        List<String> names = new ArrayList<>();
        for (int page = 0;; page++) {
            List<String> some = as(editor).queryParam("page", page).queryParam("size", 200)
                    .get("/api/catalog/v1/entries").then().statusCode(200).extract().jsonPath().getList("draft.name");
            names.addAll(some);
            if (some.size() < 200) {
                return names;
            }
        }
    }

    /** The header and the rows of the entry with the resource code. */
    private static List<List<String>> rowsOf(List<List<String>> rows, String code) {
        return rowsWith(rows, "信息资源代码", code);
    }

    /** The header and the rows whose column holds the value. */
    private static List<List<String>> rowsWith(List<List<String>> rows, String column, String value) {
        int c = rows.get(0).indexOf(column);
        List<List<String>> out = new ArrayList<>();
        out.add(rows.get(0));
        rows.subList(1, rows.size()).stream().filter(r -> r.get(c).equals(value)).forEach(out::add);
        return out;
    }

    private static List<List<String>> export(String token, String code) throws IOException {
        return rowsOf(table(as(token).queryParam("format", "csv").queryParam("provider", Fixtures.POLICE).get(X)
                .then().statusCode(200).extract().asByteArray(), false), code);
    }

    private static io.restassured.path.json.JsonPath importAsPolice(List<List<String>> rows) throws IOException {
        return given().auth().oauth2(Fixtures.editor()).contentType("text/csv").body(file(rows, false)).post(X).then()
                .statusCode(201).extract().jsonPath();
    }

    private static Map<String, Object> asAuditor(long id) {
        return as(Fixtures.auditor()).get("/api/catalog/v1/entries/" + id).then().statusCode(200).extract()
                .jsonPath().getMap("$");
    }

    /** A published entry of 浙江省公安厅 with a change started, its code and its published copy's export. */
    private record Changing(long id, String code, List<List<String>> publishedCopy) {
    }

    private static Changing changing(String name) throws IOException {
        long id = Fixtures.published(Fixtures.editor(), Fixtures.entry(name));
        String code = asAuditor(id).get("resourceCode").toString();
        List<List<String>> publishedCopy = export(operator(), code);
        Fixtures.action(Fixtures.editor(), id, "change", Map.of("cause", "职责调整")).statusCode(200);
        return new Changing(id, code, publishedCopy);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aChangeUnderWayIsExportedToItsEditorsAndNotUndoneByReimportingAnExport() throws IOException {
        String editor = Fixtures.editor();
        Changing changing = changing("表格-变更中");
        long id = changing.id();
        String code = changing.code();
        Map<String, Object> changed = Fixtures.entry("表格-变更中");
        ((List<Map<String, Object>>) changed.get("items")).add(Fixtures.item("CSRQ", "出生日期", "D", null, true));
        Fixtures.put(editor, id, changed).statusCode(200);
        Fixtures.prepare(editor, id);
        Map<String, Object> before = asAuditor(id);

        // the editor's export is the draft under change, marked as such
        List<List<String>> draft = export(editor, code);
        assertEquals(5, draft.size(), "header and the draft's four items");
        int state = draft.get(0).indexOf("状态");
        assertTrue(draft.subList(1, 5).stream().allMatch(r -> r.get(state).equals("变更中")), draft.toString());
        var again = importAsPolice(draft);
        assertEquals(List.of("SKIPPED"), again.getList("rows.outcome"));
        assertEquals(before, asAuditor(id), "the draft, its assessments and the head's approval are kept");

        // others get the published copy; re-importing that (or an export made before the change) keeps the draft
        List<List<String>> live = export(operator(), code);
        assertEquals(changing.publishedCopy(), live);
        assertEquals(4, live.size());
        assertTrue(live.subList(1, 4).stream().allMatch(r -> r.get(state).equals("已发布")));
        var old = importAsPolice(live);
        assertEquals(List.of("SKIPPED"), old.getList("rows.outcome"));
        assertTrue(old.getString("rows[0].reason").contains("published version"), old.getString("rows[0].reason"));
        assertEquals(before, asAuditor(id));
        assertEquals(4, ((List<?>) ((Map<?, ?>) asAuditor(id).get("draft")).get("items")).size());
    }

    @Test
    void aRenamingChangeIsNotDuplicatedByReimportingAnExport() throws IOException {
        String editor = Fixtures.editor();
        Changing changing = changing("表格-更名前");
        long id = changing.id();
        String code = changing.code();
        Fixtures.put(editor, id, Fixtures.entry("表格-更名后")).statusCode(200);
        Map<String, Object> before = asAuditor(id);
        for (List<List<String>> sheet : List.of(export(editor, code), changing.publishedCopy(),
                export(operator(), code))) {
            var result = importAsPolice(sheet);
            assertEquals(0, result.getInt("created"));
            assertEquals(List.of("SKIPPED"), result.getList("rows.outcome"));
            assertEquals(List.of(id), result.getList("rows.entryId", Long.class));
        }
        assertEquals(before, asAuditor(id));
        long n = draftNames(editor).stream().filter(x -> x.equals("表格-更名前") || x.equals("表格-更名后")).count();
        assertEquals(1, n, "no duplicate");
    }

    @Test
    void twoImportsOfTheSameFileAtOnceCreateEachEntryOnce() throws Exception {
        List<List<String>> rows = twoEntries("（并发导入）");
        byte[] body = file(rows, false);
        int parallel = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<io.restassured.path.json.JsonPath>> results = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return given().auth().oauth2(editorOf(CIVIL)).contentType("text/csv").body(body).post(X).then()
                            .statusCode(201).extract().jsonPath();
                }));
            }
            start.countDown();
            int created = 0;
            int other = 0;
            for (var r : results) {
                var j = r.get(60, java.util.concurrent.TimeUnit.SECONDS);
                created += j.getInt("created");
                other += j.getInt("updated") + j.getInt("skipped");
            }
            assertEquals(2, created, "each entry of the file is created once");
            assertEquals(2 * (parallel - 1), other);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, draftNames(editorOf(CIVIL)).stream().filter(x -> x.endsWith("（并发导入）")).count());
    }

    /** The first two entries of the department's export, renamed so that they are new to the catalogue. */
    private static List<List<String>> twoEntries(String suffix) throws IOException {
        List<List<String>> rows = table(as(editorOf(CIVIL)).queryParam("format", "csv").queryParam("provider", CIVIL)
                .get(X).then().statusCode(200).extract().asByteArray(), false);
        int s = rows.get(0).indexOf("序号");
        rows.removeIf(r -> rows.indexOf(r) > 0 && !List.of("1", "2").contains(r.get(s)));
        set(rows, "信息资源名称", null, n -> n + suffix);
        set(rows, "信息资源代码", null, c -> "");
        if (rows.get(0).contains("版本")) {
            set(rows, "版本", null, v -> "");
        }
        return rows;
    }

    /** Puts the current lockVersion of the entries into the sheet, as an export of them would (序号 1, 2, ...). */
    private static void versions(List<List<String>> rows, List<Long> ids) {
        for (int i = 0; i < ids.size(); i++) {
            String version = entryOf(ids.get(i)).get("lockVersion").toString();
            set(rows, "版本", String.valueOf(i + 1), v -> version);
        }
    }

    private static io.restassured.path.json.JsonPath importCsv(List<List<String>> rows, boolean partial, int status)
            throws IOException {
        return given().auth().oauth2(editorOf(CIVIL)).contentType("text/csv").queryParam("partial", partial)
                .body(file(rows, false)).post(X).then().statusCode(status).extract().jsonPath();
    }

    private static Map<String, Object> entryOf(long id) {
        return as(editorOf(CIVIL)).get("/api/catalog/v1/entries/" + id).then().statusCode(200).extract().jsonPath()
                .getMap("$");
    }

    @Test
    void importingTheSameSheetAgainUpdatesTheDraftsInsteadOfDuplicatingThem() throws IOException {
        String editor = editorOf(CIVIL);
        List<List<String>> rows = twoEntries("（重复导入）");
        int before = count(editor);
        var first = importCsv(rows, false, 201);
        assertEquals(List.of("CREATED", "CREATED"), first.getList("rows.outcome"));
        assertEquals(2, first.getInt("created"));
        List<Long> ids = first.getList("ids", Long.class);
        assertEquals(before + 2, count(editor));
        versions(rows, ids);

        // the same file again: nothing new, the drafts are identical
        var again = importCsv(rows, false, 201);
        assertEquals(List.of("SKIPPED", "SKIPPED"), again.getList("rows.outcome"));
        assertEquals(ids, again.getList("rows.entryId", Long.class));
        assertTrue(again.getString("rows[0].reason").contains("identical"), again.getString("rows[0].reason"));
        assertEquals(0, again.getInt("entries"));
        assertEquals(before + 2, count(editor), "no entry was duplicated");

        // a corrected file updates the draft it describes
        set(rows, "信息资源摘要", "2", a -> a + "（订正）");
        Object lockVersion = entryOf(ids.get(1)).get("lockVersion");
        var corrected = importCsv(rows, false, 201);
        assertEquals(List.of("SKIPPED", "UPDATED"), corrected.getList("rows.outcome"));
        assertEquals(List.of(ids.get(1)), corrected.getList("ids", Long.class));
        assertEquals(before + 2, count(editor));
        Map<String, Object> updated = entryOf(ids.get(1));
        assertTrue(((String) ((Map<?, ?>) updated.get("draft")).get("abstract")).endsWith("（订正）"));
        assertTrue(!lockVersion.equals(updated.get("lockVersion")));
        as(editor).get("/api/catalog/v1/entries/" + ids.get(1) + "/history").then().statusCode(200)
                .body("action", hasItem("EDIT"));

        // the department's published entries are not copied by re-importing its export: they are skipped
        byte[] export = as(editor).queryParam("format", "csv").queryParam("provider", CIVIL).get(X).then()
                .statusCode(200).extract().asByteArray();
        int all = count(editor);
        var reimport = given().auth().oauth2(editor).contentType("text/csv").body(export).post(X).then()
                .statusCode(201).extract().jsonPath();
        assertEquals(0, reimport.getInt("created"));
        assertEquals(all, count(editor));
        assertTrue(reimport.getList("rows.reason").stream().anyMatch(r -> r.toString().contains("PUBLISHED")));
        // the same entry twice in one file is an error of the file
        List<List<String>> twice = new ArrayList<>(rows);
        int s = rows.get(0).indexOf("序号");
        for (List<String> r : rows.subList(1, rows.size())) {
            if (r.get(s).equals("1")) {
                List<String> copy = new ArrayList<>(r);
                copy.set(s, "3");
                twice.add(copy);
            }
        }
        given().auth().oauth2(editor).contentType("text/csv").body(file(twice, false)).post(X).then().statusCode(422)
                .body("rows.field", hasItem("name"));
    }

    @Test
    void aRowFailingValidationChangesNothingForThatRow() throws IOException {
        List<List<String>> rows = twoEntries("（校验）");
        List<Long> ids = importCsv(rows, false, 201).getList("ids", Long.class);
        versions(rows, ids);
        Map<String, Object> first = entryOf(ids.get(0));
        Map<String, Object> second = entryOf(ids.get(1));
        set(rows, "信息资源摘要", "1", a -> a + "（订正）");
        set(rows, "共享属性", "2", a -> "看情况共享");
        int badRow = 1 + rows.subList(1, rows.size()).stream().map(r -> r.get(rows.get(0).indexOf("序号")))
                .toList().indexOf("2") + 1;

        // all-or-nothing: the report names the row and the field, and neither entry changed
        importCsv(rows, false, 422);
        given().auth().oauth2(editorOf(CIVIL)).contentType("text/csv").body(file(rows, false)).post(X).then()
                .statusCode(422).contentType("application/problem+json")
                .body("rows.find { it.row == " + badRow + " }.column", equalTo("共享属性"));
        assertEquals(first, entryOf(ids.get(0)));
        assertEquals(second, entryOf(ids.get(1)));

        // partial: the valid entry is updated, the invalid one left exactly as it was
        var partial = importCsv(rows, true, 201);
        assertEquals(List.of("UPDATED", "SKIPPED"), partial.getList("rows.outcome"));
        assertEquals(badRow, partial.getInt("rows[1].row"));
        assertEquals("共享属性", partial.getString("problems.find { it.row == " + badRow + " }.column"));
        assertEquals(second, entryOf(ids.get(1)));
        assertTrue(((String) ((Map<?, ?>) entryOf(ids.get(0)).get("draft")).get("abstract")).endsWith("（订正）"));
    }

    /** A new entry of four rows (sheet rows 2 to 5) made from the first row of the department's export. */
    private static List<List<String>> fourRows(String name) throws IOException {
        List<List<String>> export = table(as(editorOf(CIVIL)).queryParam("format", "csv").queryParam("provider", CIVIL)
                .get(X).then().statusCode(200).extract().asByteArray(), false);
        List<String> header = export.get(0);
        List<List<String>> rows = new ArrayList<>(List.of(header));
        for (int i = 1; i <= 4; i++) {
            List<String> row = new ArrayList<>(export.get(1));
            row.set(header.indexOf("序号"), "1");
            row.set(header.indexOf("信息资源名称"), name);
            row.set(header.indexOf("信息资源代码"), "");
            row.set(header.indexOf("版本"), "");
            row.set(header.indexOf("状态"), "");
            row.set(header.indexOf("关键信息项"), "XM1");
            row.set(header.indexOf("信息项代码"), "XM" + i);
            row.set(header.indexOf("信息项名称"), "续行信息项" + i);
            row.set(header.indexOf("是否数源"), "");
            rows.add(row);
        }
        return rows;
    }

    /**
     * A bad value in a continuation row was reported as "differs from row 2", without the value, and named by its
     * header; it is named as the bad value it is, a difference names both values, and every problem names the API
     * field.
     */
    @Test
    void aBadValueInAContinuationRowIsNamedAndOnlyTwoValidValuesDiffer() throws IOException {
        List<List<String>> rows = fourRows("续行取值核对");
        int share = rows.get(0).indexOf("共享属性");
        String first = rows.get(1).get(share);
        int before = count(editorOf(CIVIL));

        // the department's export, a new entry of 4 rows, 部分共享 in the third (sheet row 4) only
        rows.get(3).set(share, "部分共享");
        var refused = importCsv(rows, false, 422);
        assertEquals(1, refused.getList("rows").size(), refused.prettify());
        assertEquals(4, refused.getInt("rows[0].row"));
        assertEquals("共享属性", refused.getString("rows[0].column"));
        assertEquals("shareAttribute", refused.getString("rows[0].field"));
        String message = refused.getString("rows[0].message");
        assertTrue(message.contains("取值无效") && message.contains("部分共享（允许 无条件共享、有条件共享、不予共享）"),
                message);
        assertTrue(!message.contains("不一致") && !message.contains("differs"), message);

        // two valid values that are not the same: the difference, naming both
        String other = first.equals("无条件共享") ? "有条件共享" : "无条件共享";
        rows.get(3).set(share, other);
        var differs = importCsv(rows, false, 422);
        assertEquals(List.of(4), differs.getList("rows.row"), differs.prettify());
        assertEquals("shareAttribute", differs.getString("rows[0].field"));
        String difference = differs.getString("rows[0].message");
        assertTrue(difference.contains("与本条目第2行不一致") && difference.contains("differs from row 2")
                && difference.contains(first) && difference.contains(other), difference);

        // every problem names the API field, the column its header: the data items' cells by their item
        rows.get(3).set(share, "部分共享");
        rows.get(2).set(rows.get(0).indexOf("是否敏感"), "也许");
        rows.get(4).set(rows.get(0).indexOf("数据类型"), "X");
        var fields = importCsv(rows, false, 422);
        assertEquals(List.of(3, 4, 5), fields.getList("rows.row"), fields.prettify());
        assertEquals(List.of("是否敏感", "共享属性", "数据类型"), fields.getList("rows.column"));
        assertEquals(List.of("items[1].sensitive", "shareAttribute", "items[3].dataType"), fields.getList("rows.field"));
        assertEquals(before, count(editorOf(CIVIL)), "nothing was imported");

        // the code of the same value is no difference
        List<List<String>> same = fourRows("续行取值核对");
        String code = Map.of("无条件共享", "UNCONDITIONAL", "有条件共享", "CONDITIONAL", "不予共享", "NOT_SHARED").get(first);
        same.get(3).set(share, code);
        var created = importCsv(same, false, 201);
        assertEquals(1, created.getInt("created"), created.prettify());
    }

    @Test
    void anImportUpdatingAnApprovedDraftWithdrawsTheApprovalAndStaysInTheDepartmentsRegion() throws IOException {
        List<List<String>> rows = twoEntries("（审核与区划）");
        List<Long> ids = importCsv(rows, false, 201).getList("ids", Long.class);
        Fixtures.prepare(editorOf(CIVIL), ids.get(0));
        Fixtures.prepare(editorOf(CIVIL), ids.get(1));
        versions(rows, ids);

        // R4: the sheet changes the first draft after its head approval; the second stays as approved
        set(rows, "信息资源摘要", "1", a -> a + "（增补）");
        assertEquals(List.of("UPDATED", "SKIPPED"), importCsv(rows, false, 201).getList("rows.outcome"));
        Map<String, Object> changed = entryOf(ids.get(0));
        assertNull(changed.get("headApproval"), changed.toString());
        assertNull(changed.get("secrecyAssessment"), changed.toString());
        assertNotNull(entryOf(ids.get(1)).get("headApproval"));
        Fixtures.action(editorOf(CIVIL), ids.get(0), "submit", Map.of()).statusCode(409);

        // R5: a department's entries are in its own region; the sheet cannot send one to another region's review
        set(rows, "行政区划代码", "2", r -> "330100");
        Map<String, Object> second = entryOf(ids.get(1));
        given().auth().oauth2(editorOf(CIVIL)).contentType("text/csv").body(file(rows, false)).post(X).then()
                .statusCode(422).contentType("application/problem+json")
                .body("rows.find { it.field == 'regionCode' }.column", equalTo("行政区划代码"));
        set(rows, "信息资源名称", "2", n -> n + "（新）");
        given().auth().oauth2(editorOf(CIVIL)).contentType("text/csv").body(file(rows, false)).post(X).then()
                .statusCode(422).body("rows.field", hasItem("regionCode"));
        assertEquals(second, entryOf(ids.get(1)));
    }

    /** The header and the rows of the entries with the name. */
    private static List<List<String>> rowsNamed(List<List<String>> rows, String name) {
        return rowsWith(rows, "信息资源名称", name);
    }

    private static byte[] exportCsv(String token, String provider) {
        return as(token).queryParam("format", "csv").queryParam("provider", provider).get(X).then().statusCode(200)
                .extract().asByteArray();
    }

    @Test
    @SuppressWarnings("unchecked")
    void csvCellsThatLookLikeFormulasAreExportedAsTextAndImportedAsTheyWere() throws IOException {
        String editor = Fixtures.editor();
        Map<String, Object> body = Fixtures.entry("表格-公式注入");
        body.put("abstract", "=HYPERLINK(\"http://example.com\",\"户籍\")");
        body.put("keywords", new ArrayList<>(List.of("+户籍", "-户口", "@人口", "'=引号")));
        body.put("permittedPurposes", new ArrayList<>(List.of("=SUM(1,2)", "社会保障待遇资格认证")));
        ((List<Map<String, Object>>) body.get("items")).get(0).put("description", "-1 表示未登记");
        long id = Fixtures.create(editor, body);
        Map<String, Object> before = asAuditor(id);

        byte[] csv = exportCsv(editor, Fixtures.POLICE);
        List<List<String>> rows = rowsNamed(table(csv, false), "表格-公式注入");
        assertEquals(4, rows.size());
        for (List<String> row : rows.subList(1, rows.size())) {
            for (String cell : row) {
                assertTrue(cell.isEmpty() || "=+-@\t\r".indexOf(cell.charAt(0)) < 0, "a formula cell: " + cell);
            }
        }
        int summary = rows.get(0).indexOf("信息资源摘要");
        assertEquals("'=HYPERLINK(\"http://example.com\",\"户籍\")", rows.get(1).get(summary));
        assertEquals("'+户籍；-户口；@人口；'=引号", rows.get(1).get(rows.get(0).indexOf("关键字")));
        // the export re-imported unchanged changes nothing: every escape is taken off again
        var again = importAsPolice(rows);
        assertEquals(List.of("SKIPPED"), again.getList("rows.outcome"));
        assertTrue(again.getString("rows[0].reason").contains("identical"), again.getString("rows[0].reason"));
        assertEquals(before, asAuditor(id));
        // an edited sheet stores the values without the escape
        set(rows, "共享条件", null, v -> v + "（订正）");
        assertEquals(List.of("UPDATED"), importAsPolice(rows).getList("rows.outcome"));
        Map<String, Object> draft = (Map<String, Object>) asAuditor(id).get("draft");
        assertEquals(body.get("abstract"), draft.get("abstract"));
        assertEquals(body.get("keywords"), draft.get("keywords"));
        assertEquals(body.get("permittedPurposes"), draft.get("permittedPurposes"));
    }

    @Test
    void anImportDoesNotUndoAnEditMadeSinceTheExport() throws IOException {
        String editor = Fixtures.editor();
        long id = Fixtures.create(editor, Fixtures.entry("表格-导出后修改"));
        List<List<String>> exported = rowsNamed(table(exportCsv(editor, Fixtures.POLICE), false), "表格-导出后修改");
        assertEquals(String.valueOf(entryOf(id, editor).get("lockVersion")),
                exported.get(1).get(exported.get(0).indexOf("版本")));
        // someone edits the draft after the export
        Map<String, Object> edited = Fixtures.entry("表格-导出后修改");
        edited.put("abstract", "导出后经接口修改的摘要");
        Fixtures.put(editor, id, edited).statusCode(200);
        Map<String, Object> afterEdit = asAuditor(id);
        // the sheet, edited elsewhere, is imported: the entry is a conflict, not overwritten
        set(exported, "共享条件", null, v -> v + "（表格修改）");
        var result = importAsPolice(exported);
        assertEquals(List.of("CONFLICT"), result.getList("rows.outcome"));
        assertEquals(1, result.getInt("conflicts"));
        assertEquals(0, result.getInt("updated"));
        assertEquals(List.of(id), result.getList("rows.entryId", Long.class));
        String reason = result.getString("rows[0].reason");
        assertTrue(reason.contains(String.valueOf(id)) && reason.contains("表格-导出后修改")
                && reason.contains("changed since the export"), reason);
        assertEquals(afterEdit, asAuditor(id), "the edit made since the export stands");
        // a fresh export carries the new version and updates the draft
        List<List<String>> fresh = rowsNamed(table(exportCsv(editor, Fixtures.POLICE), false), "表格-导出后修改");
        set(fresh, "共享条件", null, v -> v + "（表格修改）");
        assertEquals(List.of("UPDATED"), importAsPolice(fresh).getList("rows.outcome"));
        assertEquals("导出后经接口修改的摘要", ((Map<?, ?>) asAuditor(id).get("draft")).get("abstract"));

        // a sheet without the column (made by hand) creates new entries but updates no existing one
        int versionColumn = fresh.get(0).indexOf("版本");
        List<List<String>> handMade = new ArrayList<>();
        for (List<String> row : fresh) {
            List<String> copy = new ArrayList<>(row);
            copy.remove(versionColumn);
            handMade.add(copy);
        }
        set(handMade, "共享条件", null, v -> v + "（手工）");
        Map<String, Object> current = asAuditor(id);
        var manual = importAsPolice(handMade);
        assertEquals(List.of("SKIPPED"), manual.getList("rows.outcome"));
        assertTrue(manual.getString("rows[0].reason").contains("版本"), manual.getString("rows[0].reason"));
        assertEquals(current, asAuditor(id));
        set(handMade, "信息资源名称", null, n -> "表格-手工新建");
        assertEquals(List.of("CREATED"), importAsPolice(handMade).getList("rows.outcome"));
    }

    private static Map<String, Object> entryOf(long id, String token) {
        return as(token).get("/api/catalog/v1/entries/" + id).then().statusCode(200).extract().jsonPath()
                .getMap("$");
    }

    @Test
    void listValuesMayNotHoldTheSheetsSeparatorsSoAnExportReimportsUnchanged() throws IOException {
        String editor = Fixtures.editor();
        for (String purpose : List.of("社会保障；待遇认证", "社会保障;待遇认证")) {
            Map<String, Object> body = Fixtures.entry("表格-分号用途");
            body.put("permittedPurposes", new ArrayList<>(List.of("住房公积金提取", purpose)));
            as(editor).body(body).post("/api/catalog/v1/entries").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("permittedPurposes[1]"));
        }
        Map<String, Object> keyword = Fixtures.entry("表格-分号关键字");
        keyword.put("keywords", new ArrayList<>(List.of("户籍；户口")));
        as(editor).body(keyword).post("/api/catalog/v1/entries").then().statusCode(400)
                .body("errors.field", hasItem("keywords[0]"));
        // several purposes and keywords, each without a separator, come back as they were
        long id = Fixtures.create(editor, Fixtures.entry("表格-多项用途"));
        Fixtures.prepare(editor, id);
        Map<String, Object> before = asAuditor(id);
        var again = importAsPolice(rowsNamed(table(exportCsv(editor, Fixtures.POLICE), false), "表格-多项用途"));
        assertEquals(List.of("SKIPPED"), again.getList("rows.outcome"));
        assertEquals(before, asAuditor(id), "the assessments and the head's approval stay");
    }

    /** An .xlsx file with the given worksheets, in order. */
    private static byte[] workbook(Map<String, List<List<String>>> sheets) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Workbook wb = new Workbook(out, "test", "1.0");
        for (Map.Entry<String, List<List<String>>> sheet : sheets.entrySet()) {
            Worksheet ws = wb.newWorksheet(sheet.getKey());
            List<List<String>> rows = sheet.getValue();
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < rows.get(r).size(); c++) {
                    if (!rows.get(r).get(c).isEmpty()) {
                        ws.value(r, c, rows.get(r).get(c));
                    }
                }
            }
        }
        wb.finish();
        return out.toByteArray();
    }

    @Test
    void worksheetsWithoutTheCatalogueHeaderAreSkipped() throws IOException {
        List<List<String>> rows = twoEntries("（带说明页）");
        Map<String, List<List<String>>> sheets = new java.util.LinkedHashMap<>();
        sheets.put("填写说明", List.of(List.of("填写说明"), List.of("1. 每个信息项一行，同一条目的行序号相同。"),
                List.of("2. 共享属性填 无条件共享、有条件共享 或 不予共享。")));
        sheets.put("政务数据目录", rows);
        sheets.put("代码表", List.of(List.of("代码", "含义"), List.of("C", "字符型"), List.of("N", "数值型")));
        var result = given().auth().oauth2(editorOf(CIVIL)).contentType(XLSX).body(workbook(sheets)).post(X).then()
                .statusCode(201).extract().jsonPath();
        assertEquals(List.of("CREATED", "CREATED"), result.getList("rows.outcome"));
        // a workbook without any catalogue sheet is still refused, naming the missing columns
        sheets.remove("政务数据目录");
        given().auth().oauth2(editorOf(CIVIL)).contentType(XLSX).body(workbook(sheets)).post(X).then()
                .statusCode(422).contentType("application/problem+json").body("detail", containsString("序号"));
    }

    @Test
    void blankRowsAreSkippedAndTheOthersKeepTheirNumbers() throws IOException {
        List<List<String>> rows = twoEntries("（空行）");
        List<String> blank = new ArrayList<>(java.util.Collections.nCopies(rows.get(0).size(), ""));
        int s = rows.get(0).indexOf("序号");
        int secondStart = 1;
        while (rows.get(secondStart).get(s).equals("1")) {
            secondStart++;
        }
        rows.add(secondStart, blank);
        rows.add(new ArrayList<>(blank));
        rows.add(new ArrayList<>(java.util.Collections.nCopies(rows.get(0).size(), " ")));
        for (boolean xlsx : List.of(false, true)) {
            List<List<String>> sheet = new ArrayList<>();
            rows.forEach(r -> sheet.add(new ArrayList<>(r)));
            set(sheet, "信息资源名称", null, n -> n.isBlank() ? n : n + (xlsx ? "x" : "c"));
            var result = given().auth().oauth2(editorOf(CIVIL)).contentType(xlsx ? XLSX : "text/csv")
                    .body(file(sheet, xlsx)).post(X).then().statusCode(201).extract().jsonPath();
            assertEquals(List.of("CREATED", "CREATED"), result.getList("rows.outcome"));
            assertEquals(secondStart + 2, result.getInt("rows[1].row"), "numbered as in the sheet");
        }
        // a problem after a blank row is reported at its own row
        set(rows, "共享属性", "2", a -> "看情况共享");
        given().auth().oauth2(editorOf(CIVIL)).contentType("text/csv").body(file(rows, false)).post(X).then()
                .statusCode(422).body("rows.find { it.column == '共享属性' }.row", equalTo(secondStart + 2));
    }

    @Test
    void aGb18030CsvAsExcelSavesItOnChineseWindowsIsRead() throws IOException {
        List<List<String>> rows = twoEntries("（国标编码）");
        byte[] utf8 = file(rows, false);
        byte[] gb = new String(utf8, StandardCharsets.UTF_8).getBytes(java.nio.charset.Charset.forName("GB18030"));
        var result = given().auth().oauth2(editorOf(CIVIL)).contentType("text/csv").body(gb).post(X).then()
                .statusCode(201).extract().jsonPath();
        assertEquals(List.of("CREATED", "CREATED"), result.getList("rows.outcome"));
        assertTrue(result.getString("rows[0].name").endsWith("（国标编码）"), result.getString("rows[0].name"));
        // with a UTF-8 BOM the file is UTF-8: a malformed one is refused, saying how to save it
        byte[] broken = new byte[gb.length + 3];
        broken[0] = (byte) 0xef;
        broken[1] = (byte) 0xbb;
        broken[2] = (byte) 0xbf;
        System.arraycopy(gb, 0, broken, 3, gb.length);
        given().auth().oauth2(editorOf(CIVIL)).contentType("text/csv").body(broken).post(X).then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("CSV UTF-8"));
    }

    @Test
    void aWorkbookWithMoreRowsThanTheLimitIsRefused() throws IOException {
        // the test profile's limit (catalog.spreadsheet.max-import-rows) is 3000 rows
        List<List<String>> rows = twoEntries("（超长）");
        List<String> filler = rows.get(1);
        int before = count(editorOf(CIVIL));
        for (int total : List.of(3001, 3000)) {
            List<List<String>> sheet = new ArrayList<>(rows.subList(0, 1));
            for (int i = 0; i < total; i++) {
                List<String> row = new ArrayList<>(filler);
                row.set(0, String.valueOf(i + 1));
                sheet.add(row);
            }
            var response = given().auth().oauth2(editorOf(CIVIL)).contentType(XLSX).body(file(sheet, true)).post(X)
                    .then().statusCode(422).contentType("application/problem+json");
            if (total > 3000) {
                response.body("maxRows", equalTo(3000)).body("detail", containsString("3000"));
            } else {
                // within the limit the rows are read (and here refused for what they hold)
                response.body("maxRows", org.hamcrest.Matchers.nullValue());
            }
        }
        assertEquals(before, count(editorOf(CIVIL)));
    }
}
