package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.assess;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.head;
import static cn.onenet.catalog.support.Fixtures.headApproval;
import static cn.onenet.catalog.support.Fixtures.put;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.service.SpreadsheetService;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Sheets;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A department's 统一社会信用代码 is case-insensitive on input and kept as identity-service's department register keeps
 * it and its tokens carry it (the {@code dept} claim): upper case. A department's own editor typing its code in lower
 * case creates and edits its entry (which used to be refused with 403 or 400, as another department's), its head
 * approves it, and the {@code provider=} filters and the spreadsheet import take the code typed so.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class DepartmentCodeCaseTest {

    private static final String E = "/api/catalog/v1/entries";
    /** 浙江省公安厅's code as typed in lower case (its check character is a letter). */
    private static final String LOWER = POLICE.toLowerCase(Locale.ROOT);

    @Test
    void anEntryWhoseProviderIsTypedInLowerCaseIsTheDepartmentsOwnAndStoredInUpperCase() {
        Map<String, Object> body = entry("部门代码-小写录入");
        body.put("providerDepartmentCode", LOWER);
        long id = create(editor(), body);
        as(editor()).get(E + "/" + id).then().statusCode(200).body("draft.providerDepartmentCode", equalTo(POLICE));

        // an edit with the code in lower case is no change of provider
        body.put("abstract", "全省户籍人口的登记信息（修订）");
        put(editor(), id, body).statusCode(200).body("draft.providerDepartmentCode", equalTo(POLICE));

        // the department's head reads and approves it: the stored code is the head's dept
        assess(editor(), id);
        as(head()).get(E + "/" + id).then().statusCode(200);
        headApproval(head(), id).statusCode(200);

        // the work list's provider filter, typed in lower case
        as(reviewer()).queryParam("provider", LOWER).queryParam("size", 200).get(E).then().statusCode(200)
                .body("id", hasItem((int) id));
        as(editor()).queryParam("provider", " " + LOWER).queryParam("size", 200).get(E).then().statusCode(200)
                .body("id", hasItem((int) id));
        // and the export's
        String export = as(reviewer()).queryParam("format", "csv").queryParam("provider", LOWER)
                .get("/api/catalog/v1/spreadsheets/entries").then().statusCode(200).extract().asString();
        assertTrue(export.contains("部门代码-小写录入"), export);
    }

    @Test
    void aSpreadsheetRowWithTheProviderInLowerCaseImportsAsTheDepartments() throws IOException {
        Map<String, String> row = Sheets.row("部门代码-小写导入");
        row.put("提供方代码", LOWER);
        JsonPath result = Sheets.importFile(editor(), Sheets.csv(SpreadsheetService.COLUMNS, row), "text/csv")
                .statusCode(201).extract().jsonPath();
        assertEquals("CREATED", result.getString("rows[0].outcome"), result.prettify());
        as(editor()).get(E + "/" + result.getLong("rows[0].entryId")).then().statusCode(200)
                .body("draft.providerDepartmentCode", equalTo(POLICE));
    }

    @Test
    void anAdminImportsForADepartmentNamedInLowerCase() throws IOException {
        Map<String, String> row = Sheets.row("部门代码-代导入小写");
        row.put("提供方代码", LOWER);
        byte[] file = Sheets.csv(SpreadsheetService.COLUMNS, row);
        JsonPath result = given().auth().oauth2(admin()).queryParam("provider", LOWER).contentType("text/csv")
                .body(file).post(Sheets.IMPORT).then().statusCode(201).extract().jsonPath();
        assertEquals(POLICE, result.getString("provider"));
        assertEquals("CREATED", result.getString("rows[0].outcome"), result.prettify());
        as(editor()).get(E + "/" + result.getLong("rows[0].entryId")).then().statusCode(200)
                .body("draft.providerDepartmentCode", equalTo(POLICE));
    }

    @Test
    void aCodeThatIsNotACreditCodeInAnyCaseIsStillRefusedNamingTheField() {
        Map<String, Object> body = entry("部门代码-非法");
        body.put("providerDepartmentCode", LOWER.substring(0, 17) + "b"); // wrong check character
        as(editor()).body(body).post(E).then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == 'providerDepartmentCode' }.message", containsString("check"));
    }
}
