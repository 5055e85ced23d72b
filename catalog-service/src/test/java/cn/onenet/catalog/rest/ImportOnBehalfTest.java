package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.BUREAU;
import static cn.onenet.catalog.support.Fixtures.DISSOLVED;
import static cn.onenet.catalog.support.Fixtures.HANGZHOU_POLICE;
import static cn.onenet.catalog.support.Fixtures.MARKET;
import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.PROVINCE;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.staff;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.model.CatalogEntry;
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
 * An admin imports a department's catalogue on its behalf (代部门导入: the province migrating a department's old
 * catalogue): the department named by {@code provider}, as identity-service's register has it, is the entries'
 * provider and its region theirs, 登记日期 may be filled, and the history says that the admin imported them for the
 * department. Editors import for their own department only; an unknown or deactivated department is refused naming
 * {@code provider}; nothing of a refused request is imported.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ImportOnBehalfTest {

    private static final String X = Sheets.IMPORT;
    private static final String E = "/api/catalog/v1/entries/";

    /** One entry of 杭州市公安局 (region 330100) in the sheet layout. */
    private static Map<String, String> hangzhouRow(String name, String registeredOn) {
        Map<String, String> r = Sheets.row(name);
        r.put("信息资源提供方", "杭州市公安局");
        r.put("提供方代码", HANGZHOU_POLICE);
        r.put("行政区划代码", "330100");
        r.put(SpreadsheetService.REGISTERED_ON_COLUMN, registeredOn);
        return r;
    }

    private static byte[] csv(Map<String, String> row) throws IOException {
        return Sheets.csv(SpreadsheetService.COLUMNS, row);
    }

    private static ValidatableResponse importFor(String token, String provider, byte[] file) {
        var request = token == null ? given() : given().auth().oauth2(token);
        if (provider != null) {
            request = request.queryParam("provider", provider);
        }
        return request.contentType("text/csv").body(file).post(X).then();
    }

    private static long entries(String name) {
        return QuarkusTransaction.requiringNew().call(() -> CatalogEntry.count("name", name));
    }

    @Test
    void anAdminImportsForTheNamedDepartmentInItsRegionAndTheHistorySaysOnWhoseBehalf() throws IOException {
        // the admin is of the province's bureau (330000); the department is a city's (330100)
        JsonPath result = importFor(admin(), HANGZHOU_POLICE, csv(hangzhouRow("代导入-杭州户籍", "2018-05-02")))
                .statusCode(201).extract().jsonPath();
        assertEquals("CREATED", result.getString("rows[0].outcome"), result.prettify());
        assertEquals(HANGZHOU_POLICE, result.getString("provider"));
        assertTrue(result.getBoolean("onBehalf"));
        long id = result.getLong("rows[0].entryId");

        // the department's editors own it: it is in their work list, of their region, registered on the old day
        as(editorOf(HANGZHOU_POLICE)).get(E + id).then().statusCode(200)
                .body("draft.providerDepartmentCode", equalTo(HANGZHOU_POLICE)).body("draft.regionCode", equalTo("330100"))
                .body("registeredOn", equalTo("2018-05-02"));
        JsonPath history = as(editorOf(HANGZHOU_POLICE)).get(E + id + "/history").then().statusCode(200).extract()
                .jsonPath();
        assertEquals("CREATE", history.getString("[0].action"));
        assertEquals("admin-1", history.getString("[0].actor"));
        assertEquals("admin", history.getString("[0].actorRole"));
        assertTrue(history.getString("[0].opinion").contains("代杭州市公安局"), history.getString("[0].opinion"));
        assertTrue(history.getString("[0].opinion").contains("2018-05-02"), history.getString("[0].opinion"));
        JsonPath changes = new JsonPath(history.getString("[0].changes"));
        assertEquals(HANGZHOU_POLICE, changes.getString("onBehalfOf"), history.prettify());
        assertEquals("杭州市公安局", changes.getString("onBehalfOfName"));
        assertEquals("SPREADSHEET_IMPORT", changes.getString("source"));
        assertEquals("2018-05-02", changes.getString("registeredOn"));

        // idempotent per department: the same file again creates nothing
        JsonPath again = importFor(admin(), HANGZHOU_POLICE, csv(hangzhouRow("代导入-杭州户籍", "2018-05-02")))
                .statusCode(201).extract().jsonPath();
        assertEquals("SKIPPED", again.getString("rows[0].outcome"), again.prettify());
        assertEquals(1, entries("代导入-杭州户籍"));
    }

    @Test
    void theAdminsCorrectedExportUpdatesTheDraftAndTheEditIsRecordedAsTheAdminsOnTheDepartmentsBehalf()
            throws IOException {
        long id = importFor(admin(), HANGZHOU_POLICE, csv(hangzhouRow("代导入-往返", ""))).statusCode(201).extract()
                .jsonPath().getLong("rows[0].entryId");
        String exported = new String(given().auth().oauth2(admin()).queryParam("format", "csv")
                .queryParam("provider", HANGZHOU_POLICE).get(X).then().statusCode(200).extract().asByteArray(),
                StandardCharsets.UTF_8).replace("\ufeff", "");
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(exported)).getRecords();
        List<String> header = records.get(0).toList();
        Map<String, String> row = null;
        for (CSVRecord r : records.subList(1, records.size())) {
            if (r.get(header.indexOf("信息资源名称")).equals("代导入-往返")) {
                row = new LinkedHashMap<>();
                for (int c = 0; c < header.size(); c++) {
                    row.put(header.get(c), r.get(c));
                }
            }
        }
        row.put("序号", "1");
        row.put("信息资源摘要", "杭州市户籍人口的登记信息，迁移后由省里更正摘要");
        JsonPath result = importFor(admin(), HANGZHOU_POLICE, Sheets.csv(header, row)).statusCode(201).extract()
                .jsonPath();
        assertEquals("UPDATED", result.getString("rows[0].outcome"), result.prettify());
        as(editorOf(HANGZHOU_POLICE)).get(E + id).then().statusCode(200)
                .body("draft.abstract", equalTo("杭州市户籍人口的登记信息，迁移后由省里更正摘要"));
        List<Map<String, Object>> steps = as(editorOf(HANGZHOU_POLICE)).get(E + id + "/history").then()
                .statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> edit = steps.stream().filter(s -> "EDIT".equals(s.get("action"))).findFirst().orElseThrow();
        assertEquals("admin-1", edit.get("actor"));
        assertEquals("admin", edit.get("actorRole"));
        assertTrue(String.valueOf(edit.get("opinion")).contains("代杭州市公安局"), String.valueOf(edit));
    }

    @Test
    void theRowsMustBeTheNamedDepartmentsInItsRegion() throws IOException {
        Map<String, String> admins = hangzhouRow("代导入-行政区划", "");
        admins.put("行政区划代码", PROVINCE); // the admin's own region, not the department's
        importFor(admin(), HANGZHOU_POLICE, csv(admins)).statusCode(422).body("rows[0].column", equalTo("行政区划代码"))
                .body("rows[0].field", equalTo("regionCode")).body("rows[0].message", containsString("330100"));
        Map<String, String> other = hangzhouRow("代导入-提供方", "");
        other.put("提供方代码", MARKET);
        importFor(admin(), HANGZHOU_POLICE, csv(other)).statusCode(422)
                .body("rows[0].field", equalTo("providerDepartmentCode"));
        assertEquals(0, entries("代导入-行政区划"));
        assertEquals(0, entries("代导入-提供方"));
    }

    @Test
    void anEditorImportsForTheirOwnDepartmentOnly() throws IOException {
        // naming their own department, typed full-width, is their own import
        importFor(editor(), "１１３３００００００２４８１０２０Ａ", csv(Sheets.row("代导入-本部门"))).statusCode(201)
                .body("provider", equalTo(POLICE)).body("onBehalf", equalTo(false));
        // another department: refused, nothing imported, whether or not the file is that department's
        Map<String, String> market = Sheets.row("代导入-越权");
        market.put("提供方代码", MARKET);
        importFor(editor(), MARKET, csv(market)).statusCode(403).contentType("application/problem+json")
                .body("requestId", notNullValue());
        importFor(editor(), MARKET, csv(Sheets.row("代导入-越权"))).statusCode(403);
        assertEquals(0, entries("代导入-越权"));
    }

    @Test
    void reviewersAuditorsAndAnonymousCallersImportNothing() throws IOException {
        byte[] file = csv(Sheets.row("代导入-无权"));
        importFor(reviewer(), POLICE, file).statusCode(403);
        importFor(auditor(), POLICE, file).statusCode(403);
        importFor(staff("head-police", POLICE, PROVINCE, "head"), POLICE, file).statusCode(403);
        importFor(null, POLICE, file).statusCode(401);
        assertEquals(0, entries("代导入-无权"));
    }

    @Test
    void anUnknownMalformedOrDeactivatedDepartmentIsRefusedNamingProvider() throws IOException {
        byte[] file = csv(hangzhouRow("代导入-未知部门", ""));
        String unregistered = "11330000002481088" + cn.onenet.common.identifiers.CreditCode.checkCharacter(
                "11330000002481088");
        for (String provider : List.of(unregistered, "not-a-code", DISSOLVED, "")) {
            importFor(admin(), provider, file).statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("provider")).body("errors[0].field", equalTo("provider"))
                    .body("requestId", notNullValue());
        }
        // an admin names the department: without provider there is none to import for
        importFor(admin(), null, file).statusCode(400).body("field", equalTo("provider"));
        assertEquals(0, entries("代导入-未知部门"));
    }

    @Test
    void whenTheRegisterCannotConfirmTheDepartmentNothingIsImported() throws IOException {
        FakeExchange.registerDown(true);
        try {
            importFor(admin(), HANGZHOU_POLICE, csv(hangzhouRow("代导入-登记簿", ""))).statusCode(503)
                    .contentType("application/problem+json");
        } finally {
            FakeExchange.registerDown(false);
        }
        assertEquals(0, entries("代导入-登记簿"));
    }

    @Test
    void anAdminWhoIsAlsoAnEditorStillImportsForTheirOwnDepartmentWithoutProvider() throws IOException {
        String migrator = staff("migrator-bureau", BUREAU, PROVINCE, "catalog-editor", "admin");
        Map<String, String> row = Sheets.row("代导入-本部门管理员");
        row.put("信息资源提供方", "浙江省大数据发展管理局");
        row.put("提供方代码", BUREAU);
        importFor(migrator, null, csv(row)).statusCode(201).body("provider", equalTo(BUREAU))
                .body("onBehalf", equalTo(false));
        assertEquals(1, entries("代导入-本部门管理员"));
    }
}
