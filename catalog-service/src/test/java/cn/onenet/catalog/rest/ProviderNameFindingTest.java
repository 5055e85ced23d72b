package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editor;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entry;
import static cn.onenet.catalog.support.Fixtures.entryOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A draft saved before the provider's name was taken from the department register (or before the department was
 * renamed) names the provider otherwise: it is refused at submission, not only at its next edit, and the compliance
 * report names each department as the register does and lists such drafts as findings.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ProviderNameFindingTest {

    private static final String E = "/api/catalog/v1/entries/";
    private static final String R = "/api/catalog/v1/compliance-report";
    /** 嘉兴 (330400): a region no other test uses. */
    private static final String JIAXING = "330400";
    private static final String JX_POLICE = code("11330400002511010");
    private static final String JX_CIVIL = code("11330400002511020");

    @Inject
    DataSource dataSource;

    private static String code(String first17) {
        return first17 + CreditCode.checkCharacter(first17);
    }

    /** The provider's name in the entry's draft as an old row has it: saved before the register's name applied. */
    private void spell(long id, String name) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE catalog_entry SET draft = jsonb_set(draft, '{providerDepartmentName}', to_jsonb(?::text)) "
                        + "WHERE id = ?")) {
            s.setString(1, name);
            s.setLong(2, id);
            assertEquals(1, s.executeUpdate());
        }
    }

    private static Map<String, Object> entryOfJiaxing(String dept, String deptName, String name) {
        FakeExchange.registerDepartment(dept, deptName);
        Map<String, Object> body = entryOf(dept, name);
        body.put("providerDepartmentName", deptName);
        return body;
    }

    @Test
    void aDraftNamingTheProviderOtherwiseIsRefusedAtSubmission() throws Exception {
        Map<String, Object> body = entry("提供方-旧称报送");
        long id = create(editor(), body);
        Fixtures.prepare(editor(), id);
        spell(id, "省公安厅（旧称）");
        int version = Fixtures.lockVersion(id);

        action(editor(), id, "submit", Map.of()).statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("providerDepartmentName"))
                .body("errors[0].message", containsString("浙江省公安厅"))
                .body("requestId", notNullValue());
        as(editor()).get(E + id).then().statusCode(200).body("state", equalTo("DRAFT"))
                .body("lockVersion", equalTo(version));
        // the name cannot be confirmed: nothing is submitted either
        FakeExchange.registerDown(true);
        try {
            action(editor(), id, "submit", Map.of()).statusCode(503).contentType("application/problem+json");
        } finally {
            FakeExchange.registerDown(false);
        }
        as(editor()).get(E + id).then().body("state", equalTo("DRAFT"));

        // corrected to the registered name (the edit takes back the assessments and the head's approval), it goes
        // to review
        Fixtures.put(editor(), id, body).statusCode(200);
        Fixtures.prepare(editor(), id);
        action(editor(), id, "submit", Map.of()).statusCode(200).body("state", equalTo("SUBMITTED"));
    }

    @Test
    void theReportNamesDepartmentsAsTheRegisterDoesAndListsTheDraftsNamedOtherwise() throws Exception {
        String police = editorOf(JX_POLICE);
        long submitted = create(police, entryOfJiaxing(JX_POLICE, "嘉兴市公安局", "嘉兴-旧称已报送"));
        Fixtures.prepare(police, submitted);
        action(police, submitted, "submit", Map.of()).statusCode(200);
        spell(submitted, "嘉兴市公安局（旧称）");
        long draft = create(police, entryOfJiaxing(JX_POLICE, "嘉兴市公安局", "嘉兴-简称草稿"));
        spell(draft, "嘉兴公安局");
        long correct = create(police, entryOfJiaxing(JX_POLICE, "嘉兴市公安局", "嘉兴-现称草稿"));
        long civil = create(editorOf(JX_CIVIL), entryOfJiaxing(JX_CIVIL, "嘉兴市民政局", "嘉兴-民政旧称草稿"));
        spell(civil, "嘉兴市民政处");

        JsonPath report = as(auditor()).queryParam("region", JIAXING).get(R).then().statusCode(200).extract()
                .jsonPath();
        // one row per department however its entries spell it, named as the register names it
        Map<String, Object> policeRow = row(report, JX_POLICE);
        assertEquals("嘉兴市公安局", policeRow.get("departmentName"));
        assertEquals(List.of(JX_POLICE, JX_CIVIL), report.getList("departments.departmentCode"));
        assertEquals(1, policeRow.get("submissions"));
        assertEquals(2, policeRow.get("providerNameFindings"));
        // a department whose only entry is such a draft is visible too
        Map<String, Object> civilRow = row(report, JX_CIVIL);
        assertEquals("嘉兴市民政局", civilRow.get("departmentName"));
        assertEquals(0, civilRow.get("submissions"));
        assertEquals(1, civilRow.get("providerNameFindings"));

        List<Map<String, Object>> findings = report.getList("providerNameFindings");
        // by department code, then entry
        assertEquals(List.of(submitted, draft, civil), findings.stream().map(ProviderNameFindingTest::id).toList());
        Map<String, Object> first = finding(findings, submitted);
        assertEquals("嘉兴-旧称已报送", first.get("name"));
        assertEquals("SUBMITTED", first.get("state"));
        assertEquals(JX_POLICE, first.get("departmentCode"));
        assertEquals("嘉兴市公安局（旧称）", first.get("providerDepartmentName"));
        assertEquals("嘉兴市公安局", first.get("registeredName"));
        assertEquals(JIAXING, first.get("regionCode"));
        assertEquals("DRAFT", finding(findings, draft).get("state"));
        assertEquals("嘉兴公安局", finding(findings, draft).get("providerDepartmentName"));
        assertEquals("嘉兴市民政局", finding(findings, civil).get("registeredName"));
        assertEquals(0, findings.stream().filter(f -> id(f) == correct).count(), "the registered name is no finding");

        // the files carry the count in their last column
        byte[] csv = as(auditor()).queryParam("region", JIAXING).queryParam("format", "csv").get(R).then()
                .statusCode(200).extract().asByteArray();
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(new String(csv, StandardCharsets.UTF_8)
                .substring(1))).getRecords();
        List<String> header = records.get(0).toList();
        assertEquals("提供方名称不符 providerNameFindings", header.get(header.size() - 1));
        CSVRecord policeLine = records.stream().filter(r -> r.get(0).equals(JX_POLICE)).findFirst().orElseThrow();
        assertEquals("嘉兴市公安局", policeLine.get(1));
        assertEquals("2", policeLine.get(policeLine.size() - 1));

        // the register cannot name the departments: no report under names it did not confirm
        FakeExchange.registerDown(true);
        try {
            as(auditor()).queryParam("region", JIAXING).get(R).then().statusCode(503)
                    .contentType("application/problem+json").body("requestId", notNullValue());
        } finally {
            FakeExchange.registerDown(false);
        }
    }

    private static long id(Map<String, Object> finding) {
        return ((Number) finding.get("entryId")).longValue();
    }

    private static Map<String, Object> finding(List<Map<String, Object>> findings, long entry) {
        return findings.stream().filter(f -> id(f) == entry).findFirst().orElseThrow();
    }

    private static Map<String, Object> row(JsonPath report, String code) {
        List<Map<String, Object>> rows = report.getList("departments");
        return rows.stream().filter(r -> code.equals(r.get("departmentCode"))).findFirst().orElseThrow();
    }
}
