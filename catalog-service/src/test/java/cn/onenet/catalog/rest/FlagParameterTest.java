package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.POLICE;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.entry;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A true/false query parameter takes true or false (any letter case); any other word is a 400 naming it, not the
 * JAX-RS default of reading it as false ({@code ?partial=1} would silently mean all-or-nothing).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class FlagParameterTest {

    private static final String S = "/api/catalog/v1/search";
    private static final String X = "/api/catalog/v1/spreadsheets/entries";

    @Test
    void searchFacetsTakeTrueOrFalseInAnyCase() {
        for (String yes : List.of("true", "TRUE", "True")) {
            given().queryParam("facets", yes).queryParam("cursor", "").get(S).then().statusCode(200)
                    .body("facets", not(anEmptyMap()));
        }
        for (String no : List.of("false", "FALSE")) {
            given().queryParam("facets", no).get(S).then().statusCode(200)
                    .body("facets", anyOf(nullValue(), anEmptyMap()));
        }
        for (String other : List.of("maybe", "1", "0", "on", "yes")) {
            given().queryParam("facets", other).get(S).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("facets"))
                    .body("errors[0].field", equalTo("facets")).body("detail", containsString("true"))
                    .body("requestId", notNullValue());
        }
    }

    /** The export of the entry as a sheet of one new entry: the rows of the entry, renamed, without their code. */
    private static byte[] sheetOfOneNewEntry(String from, String to) throws IOException {
        String csv = new String(as(editor()).queryParam("format", "csv").queryParam("provider", POLICE).get(X).then()
                .statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8).replace("\ufeff", "");
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(csv)).getRecords();
        List<String> header = records.get(0).toList();
        int name = header.indexOf("信息资源名称");
        int code = header.indexOf("信息资源代码");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CSVPrinter p = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), CSVFormat.DEFAULT)) {
            p.printRecord(header);
            for (CSVRecord r : records.subList(1, records.size())) {
                List<String> row = new ArrayList<>(r.toList());
                if (row.get(name).equals(from)) {
                    row.set(name, to);
                    row.set(code, "");
                    p.printRecord(row);
                }
            }
        }
        return out.toByteArray();
    }

    private static int named(String name) {
        return as(editor()).get("/api/catalog/v1/entries?size=200").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.name == '" + name + "' }").size();
    }

    @Test
    void anImportWithAPartialFlagThatIsNeitherTrueNorFalseIsRefusedAndStoresNothing() throws IOException {
        create(editor(), entry("标志-部分导入"));
        String name = "标志-部分导入-表";
        byte[] sheet = sheetOfOneNewEntry("标志-部分导入", name);
        for (String other : List.of("1", "0", "on", "yes", "maybe")) {
            // read as false, the valid sheet would have been imported all-or-nothing
            given().auth().oauth2(editor()).contentType("text/csv").body(sheet).queryParam("partial", other)
                    .post(X).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo("partial")).body("requestId", notNullValue());
        }
        assertEquals(0, named(name), "nothing imported by a refused request");
        // TRUE is true
        given().auth().oauth2(editor()).contentType("text/csv").body(sheet).queryParam("partial", "TRUE").post(X)
                .then().statusCode(201);
        assertEquals(1, named(name));
    }
}
