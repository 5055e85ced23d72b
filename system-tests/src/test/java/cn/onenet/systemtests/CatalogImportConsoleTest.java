package cn.onenet.systemtests;

import static cn.onenet.systemtests.ConsolePages.DEMO_PASSWORD;
import static cn.onenet.systemtests.ConsolePages.answer;
import static cn.onenet.systemtests.ConsolePages.awaitOn;
import static cn.onenet.systemtests.ConsolePages.chromium;
import static cn.onenet.systemtests.ConsolePages.logIn;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.FilePayload;

import io.restassured.response.Response;

/**
 * The catalogue's spreadsheet import in Chromium: an admin imports a department's sheet on its behalf, the department
 * chosen from the register's active departments, and the result names it; an editor imports for its own department
 * without a choice; every outcome of the import is shown in words, with what to do about it and the code as title.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedSuite.class)
class CatalogImportConsoleTest {

    /** 浙江省应急管理厅: demo entries, and no editor of its own (an admin enters its catalogue). */
    private static final String EMERGENCY = "11330000002481080G";
    private static final String EMERGENCY_NAME = "浙江省应急管理厅";
    /** 浙江省住房公积金管理中心: its editor's drafts of this class (no other test counts its catalogue). */
    private static final String HOUSING_FUND = "123300004701410503";
    private static final String HOUSING_FUND_NAME = "浙江省住房公积金管理中心";

    private String gateway;

    @BeforeAll
    void start() {
        gateway = SharedSuite.gateway();
    }

    @Test
    void anAdminImportsADepartmentsSheetForTheDepartmentChosenFromTheRegister() throws Exception {
        String admin = token("dsj.admin");
        String name = "应急避难场所补录信息" + System.nanoTime() % 100_000;
        // the department's catalogue as exported, with one more entry: a published entry's rows, renamed, uncoded
        Sheet exported = export(admin, EMERGENCY);
        List<String[]> added = exported.renamed(exported.rowsOf("应急避难场所信息"), name, "1");
        byte[] file = exported.csv(added);

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "dsj.admin");
            page.navigate(gateway + "/console#/all-entries");
            // the register's departments fill the choice once identity-service answers (options are never "visible")
            page.waitForFunction("code => !!document.querySelector(`#import-provider option[value='${code}']`)",
                    EMERGENCY);
            // the register's active departments, and only those
            List<Map<String, Object>> active = given().get(gateway + "/api/identity/v1/departments").then()
                    .statusCode(200).extract().jsonPath().getList("$");
            Set<String> activeCodes = active.stream().filter(d -> Boolean.TRUE.equals(d.get("active")))
                    .map(d -> (String) d.get("code")).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(activeCodes, offered(page), page.textContent("#import-provider"));

            // without a department nothing is sent
            page.setInputFiles("#import-form [name=file]", new FilePayload("emergency.csv", "text/csv", file));
            answer(page, () -> page.click("#import-form button[type=submit]"), "no department", "error");
            assertTrue(page.textContent("#notice").contains("请选择代为导入的部门"), page.textContent("#notice"));

            // found by (part of) its name: the one match is chosen
            page.fill("#import-form [name=providerSearch]", "应急管理");
            page.waitForFunction("() => document.querySelectorAll('#import-provider option[value]:not([value=\"\"])')"
                    + ".length === 1");
            assertEquals(EMERGENCY, page.inputValue("#import-provider"));
            // and by its code, typed full-width as an input method gives it
            page.fill("#import-form [name=providerSearch]", "１１３３００００００２４８１０８０Ｇ");
            page.waitForFunction("() => document.querySelectorAll('#import-provider option[value]:not([value=\"\"])')"
                    + ".length === 1");
            assertEquals(Set.of(EMERGENCY), offered(page));
            page.selectOption("#import-provider", EMERGENCY);

            answer(page, () -> page.click("#import-form button[type=submit]"), "import", "ok");
            assertTrue(page.textContent("#notice").contains(EMERGENCY_NAME), page.textContent("#notice"));
            String heading = page.textContent("#import-department");
            assertTrue(heading.contains(EMERGENCY_NAME) && heading.contains(EMERGENCY) && heading.contains("代部门导入"),
                    heading);
            assertOutcome(page, name, "新建草稿 / created", "CREATED", "录入保密和个人信息评估");

            // the entry is the department's: in its list, and so in the catalogue
            page.navigate(gateway + "/console#/all-entries?state=DRAFT&provider=" + EMERGENCY);
            awaitOn(page, "main table a:text-is('" + name + "')");
            page.click("main table a:text-is('" + name + "')");
            awaitOn(page, "#entry-name");
            assertEquals(name, page.textContent("#entry-name"));
        }
        List<Map<String, Object>> drafts = given().auth().oauth2(admin)
                .get(gateway + "/api/catalog/v1/entries?size=200&state=DRAFT&provider=" + EMERGENCY).then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertTrue(drafts.stream().anyMatch(d -> name.equals(d.get("name"))), drafts.toString());
    }

    /**
     * The department's editor imports a sheet of its own department: no department to choose; the result names the
     * department and shows each of the four outcomes in words — CONFLICT for a draft edited after the export.
     */
    @Test
    void anEditorImportsWithoutAChoiceAndEveryOutcomeIsExplained() throws Exception {
        String editor = token("gjj.operator");
        long n = System.nanoTime() % 100_000;
        String conflicting = "公积金缴存冲突目录" + n;
        String unchanged = "公积金缴存未变目录" + n;
        String updated = "公积金缴存更新目录" + n;
        String created = "公积金缴存新建目录" + n;
        long edited = create(editor, conflicting);
        create(editor, unchanged);
        create(editor, updated);
        Sheet exported = export(editor, HOUSING_FUND);
        // the draft changes after the export: the sheet's copy of it is stale
        edit(editor, edited, "导出后另行修改的摘要");

        List<String[]> rows = new ArrayList<>();
        rows.addAll(exported.with(exported.renumbered(exported.rowsOf(conflicting), "1"), "信息资源摘要",
                "表中修改的摘要"));
        rows.addAll(exported.renumbered(exported.rowsOf(unchanged), "2"));
        rows.addAll(exported.with(exported.renumbered(exported.rowsOf(updated), "3"), "信息资源摘要",
                "表中修改的摘要"));
        rows.addAll(exported.renamed(exported.rowsOf(unchanged), created, "4"));

        try (Playwright playwright = Playwright.create(); Browser browser = chromium(playwright)) {
            Page page = logIn(browser, "gjj.operator");
            page.navigate(gateway + "/console#/entries");
            awaitOn(page, "#import-form [name=file]");
            assertEquals(0, page.locator("#import-form [name=provider], #import-form [name=providerSearch]").count(),
                    page.textContent("#import-form"));
            page.setInputFiles("#import-form [name=file]", new FilePayload("gjj.csv", "text/csv",
                    exported.csv(rows)));
            answer(page, () -> page.click("#import-form button[type=submit]"), "import", "ok");
            assertTrue(page.textContent("#notice").contains("冲突 1"), page.textContent("#notice"));
            String heading = page.textContent("#import-department");
            assertTrue(heading.contains(HOUSING_FUND_NAME) && heading.contains(HOUSING_FUND), heading);
            assertFalse(heading.contains("代部门导入"), heading);

            assertOutcome(page, conflicting, "冲突，未导入 / conflict, not applied", "CONFLICT", "请重新导出");
            assertOutcome(page, unchanged, "未变 / skipped", "SKIPPED", "条目保持原样");
            assertOutcome(page, updated, "已更新草稿 / updated", "UPDATED", "需重新办理");
            assertOutcome(page, created, "新建草稿 / created", "CREATED", "录入保密和个人信息评估");
            assertFalse(page.textContent("#import-report table").matches("(?s).*\\b(CREATED|UPDATED|SKIPPED|CONFLICT)\\b.*"),
                    "a raw outcome shown: " + page.textContent("#import-report table"));
        }
    }

    /** The report's row of the entry: the outcome in words, the raw code as its title, what to do beside it. */
    private static void assertOutcome(Page page, String name, String words, String code, String advice) {
        String row = "#import-report tr:has(a:text-is('" + name + "'))";
        awaitOn(page, row);
        assertEquals(words, page.textContent(row + " .outcome"), page.textContent(row));
        assertEquals(code, page.getAttribute(row + " .outcome", "title"));
        assertTrue(page.textContent(row + " td:last-child").contains(advice), page.textContent(row));
    }

    /** The departments the picker offers (their codes). */
    private static Set<String> offered(Page page) {
        return page.locator("#import-provider option").all().stream().map(o -> o.getAttribute("value"))
                .filter(v -> v != null && !v.isEmpty()).collect(Collectors.toCollection(TreeSet::new));
    }

    private String token(String username) throws Exception {
        return new CodeFlowClient(gateway, "gateway", "demo-gateway-secret").accessToken(username, DEMO_PASSWORD,
                "openid profile");
    }

    private Sheet export(String token, String provider) {
        byte[] body = given().auth().oauth2(token)
                .get(gateway + "/api/catalog/v1/spreadsheets/entries?format=csv&provider=" + provider).then()
                .statusCode(200).extract().asByteArray();
        return Sheet.parse(new String(body, StandardCharsets.UTF_8));
    }

    /** A draft of 公积金中心, as its editor's system would send it. */
    private long create(String editor, String name) {
        Response r = given().auth().oauth2(editor).contentType("application/json").body(draft(name, null))
                .post(gateway + "/api/catalog/v1/entries");
        assertEquals(201, r.statusCode(), r.asString());
        return r.jsonPath().getLong("id");
    }

    /** The draft's abstract changed through the API (with the version read, as the console sends it). */
    private void edit(String editor, long id, String abstractText) {
        String entry = gateway + "/api/catalog/v1/entries/" + id;
        var current = given().auth().oauth2(editor).get(entry).then().statusCode(200).extract().jsonPath();
        Response r = given().auth().oauth2(editor).contentType("application/json")
                .header("If-Match", String.valueOf(current.getInt("lockVersion")))
                .body(draft(current.getString("draft.name"), abstractText)).put(entry);
        assertEquals(200, r.statusCode(), r.asString());
    }

    private static Map<String, Object> draft(String name, String abstractText) {
        Map<String, Object> body = new LinkedHashMap<>(ConsolePages.entry(name, HOUSING_FUND, HOUSING_FUND_NAME,
                "330000"));
        if (abstractText != null) {
            body.put("abstract", abstractText);
        }
        return body;
    }

    /** A CSV export of the catalogue: its header and rows, rows picked by entry and written again as a file. */
    private record Sheet(String headerLine, List<String> header, List<String[]> rows) {

        private static final String OUTSIDE_QUOTES = ",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)";

        static Sheet parse(String csv) {
            String[] lines = csv.replace("\uFEFF", "").split("\r?\n");
            List<String> header = java.util.Arrays.stream(lines[0].split(OUTSIDE_QUOTES, -1)).map(c -> c.replace("\"", ""))
                    .toList();
            assertTrue(header.contains("序号") && header.contains("信息资源名称") && header.contains("版本"),
                    "the export's header: " + header);
            List<String[]> rows = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                rows.add(lines[i].split(OUTSIDE_QUOTES, -1));
            }
            return new Sheet(lines[0], header, rows);
        }

        /** The rows of the entry of this name (one per data item). */
        List<String[]> rowsOf(String name) {
            int column = header.indexOf("信息资源名称");
            List<String[]> found = rows.stream().filter(r -> r.length == header.size()
                    && r[column].replace("\"", "").equals(name)).toList();
            assertFalse(found.isEmpty(), "no rows of " + name + " in the export");
            return found;
        }

        /** The rows as another entry of the sheet (its 序号). */
        List<String[]> renumbered(List<String[]> entry, String number) {
            return with(entry, "序号", number);
        }

        /** The rows as a new entry: another name, no resource code, no version, its own 序号. */
        List<String[]> renamed(List<String[]> entry, String name, String number) {
            return with(with(with(renumbered(entry, number), "信息资源名称", name), "信息资源代码", ""), "版本", "");
        }

        List<String[]> with(List<String[]> entry, String column, String value) {
            int index = header.indexOf(column);
            assertTrue(index >= 0, column + " not in " + header);
            return entry.stream().map(r -> {
                String[] copy = r.clone();
                copy[index] = value;
                return copy;
            }).toList();
        }

        byte[] csv(List<String[]> picked) {
            StringBuilder out = new StringBuilder(headerLine).append("\r\n");
            for (String[] row : picked) {
                out.append(String.join(",", row)).append("\r\n");
            }
            return out.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
