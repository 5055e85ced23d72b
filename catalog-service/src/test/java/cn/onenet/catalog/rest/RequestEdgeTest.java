package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.editor;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

/**
 * Requests the API used to answer as if they said something else: a DCAT Accept that refuses Turtle (q=0) got
 * Turtle, an import sheet with a column twice the values of its later copy, and a CSV file sent as {@code Text/CSV}
 * was read as a workbook.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class RequestEdgeTest {

    private static final String DCAT = "/api/catalog/v1/dcat/catalog?size=1";

    private static long named(String name) {
        return QuarkusTransaction.requiringNew().call(() -> CatalogEntry.count("name", name));
    }

    @Test
    void aMediaRangeOfQualityZeroIsRefusedNotServed() {
        given().accept("text/turtle;q=0").get(DCAT).then().statusCode(406)
                .contentType("application/problem+json").body("requestId", notNullValue());
        given().accept("text/turtle;q=0, application/ld+json").get(DCAT).then().statusCode(200)
                .contentType(startsWith("application/ld+json"));
        given().accept("text/turtle;q=0.5").get(DCAT).then().statusCode(200).contentType(startsWith("text/turtle"));
    }

    @Test
    void anImportHeaderWithAColumnTwiceIsRefusedNamingItAndNothingIsImported() throws IOException {
        List<String> header = new ArrayList<>(SpreadsheetService.COLUMNS);
        header.add("信息资源名称");
        Map<String, String> row = Sheets.row("重复列-前");
        // the second 信息资源名称 column: the CSV writer takes the row's value by column name, so write it by hand
        String file = new String(Sheets.csv(SpreadsheetService.COLUMNS, row), java.nio.charset.StandardCharsets.UTF_8);
        String[] lines = file.split("\r\n");
        String twice = String.join(",", header) + "\r\n" + lines[1] + ",重复列-后\r\n";
        Sheets.importFile(editor(), twice.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv")
                .statusCode(422).contentType("application/problem+json").body("detail", containsString("信息资源名称"))
                .body("errors[0].field", equalTo("header")).body("requestId", notNullValue());
        assertEquals(0, named("重复列-前"));
        assertEquals(0, named("重复列-后"), "the later column used to replace the earlier one");
    }

    @Test
    void aCsvFileIsReadAsCsvWhateverTheCaseOfItsMediaType() throws IOException {
        byte[] file = Sheets.csv(SpreadsheetService.COLUMNS, Sheets.row("大小写-媒体类型"));
        Sheets.importFile(editor(), file, "Text/CSV; charset=UTF-8").statusCode(201)
                .body("rows[0].outcome", equalTo("CREATED"));
        assertEquals(1, named("大小写-媒体类型"));
    }
}
