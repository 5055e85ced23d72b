package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.ComplaintService;
import cn.onenet.exchange.service.CorrectionService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.TimeSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * 合规报告 for the 主管部门 (条例第二十三条、第三十八条第二款、第三十九条至第四十一条): per department, answers and
 * deliveries against the working-day deadlines, objections, suspensions, stale datasets and the share of conditional
 * and not-shared entries; read by the 主管部门's reviewers of the region and by auditors.
 */
@QuarkusTest
class ComplianceReportTest extends ExchangeTestBase {

    static final String REPORT = "/api/exchange/v1/compliance-report";
    /** Two provider departments and three consumers of the first test, used nowhere else. */
    static final String A = "11330000MC00000101";
    static final String B = "11330000MC00000102";
    static final String C1 = "11330000MC00000201";
    static final String C2 = "11330000MC00000202";
    static final String C3 = "11330000MC00000203";
    static final String A1 = "330000-01-02/901901";
    static final String A2 = "330000-01-02/901902";
    static final String B1 = "330000-01-02/901911";
    /** The provider and consumer of the second test. */
    static final String P = "11330000MC00000111";
    static final String Q = "11330000MC00000211";
    static final String P1 = "330000-01-02/901921";
    static final String P2 = "330000-01-02/901922";
    static final String P3 = "330000-01-02/901923";
    static final String P4 = "330000-01-02/901924";

    /** A city's provider, a county's provider and a consumer in the county, of the subregion test. */
    static final String CITY = "11330100MC00000501";
    static final String COUNTY = "11330106MC00000601";
    static final String COUNTY_CONSUMER = "11330106MC00000701";
    static final String CITY1 = "330100-01-02/901941";
    static final String COUNTY1 = "330106-01-02/901951";

    /** Two providers answering correction requests and a consumer answering complaints, of the corrections test. */
    static final String R = "11330000MC00000131";
    static final String R2 = "11330000MC00000132";
    static final String K = "11330000MC00000231";
    static final String R1 = "330000-01-02/901961";
    static final String R21 = "330000-01-02/901962";

    @Inject
    TimeSource time;
    @Inject
    CalendarService calendar;
    @Inject
    CorrectionService corrections;
    @Inject
    ComplaintService complaints;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    void catalogued(String code, String provider, String share, String cycle) {
        DatasetStalenessTest.catalogued(replica, code, provider, share, cycle);
    }

    void on(LocalDate day) {
        RequestWithdrawAndExtensionTest.at(day.getYear(), day.getMonthValue(), day.getDayOfMonth(), time);
    }

    static long file(String consumer, String code, String status) {
        Map<String, Object> body = RequestWorkflowTest.body(code, List.of("GMSFHM", "XM"));
        body.put("periodFrom", "2026-09-01");
        body.put("periodTo", "2027-12-31");
        return RequestWorkflowTest.file(operator(consumer), body).then().statusCode(201).body("status", equalTo(status))
                .extract().jsonPath().getLong(status.equals("GRANTED") ? "grantId" : "id");
    }

    /** The provider answers (its operator holds head): approve → the grant's id, else the refusal. */
    static long answer(String provider, long request, boolean approve) {
        int version = given().auth().oauth2(operator(provider)).get("/api/exchange/v1/requests/" + request).then()
                .statusCode(200).extract().jsonPath().getInt("version");
        if (approve) {
            return given().auth().oauth2(operator(provider)).contentType(ContentType.JSON)
                    .body(Map.of("version", version)).post("/api/exchange/v1/requests/" + request + "/approve").then()
                    .statusCode(200).extract().jsonPath().getLong("grantId");
        }
        given().auth().oauth2(operator(provider)).contentType(ContentType.JSON)
                .body(Map.of("version", version, "reason", "申请用途与目录所列共享条件不符"))
                .post("/api/exchange/v1/requests/" + request + "/refuse").then().statusCode(200)
                .body("status", equalTo("REFUSED"));
        return 0;
    }

    static void upload(String provider, String code) {
        DatasetStalenessTest.upload(provider, code);
    }

    static JsonPath report(String token, String query) {
        return given().auth().oauth2(token).get(REPORT + query).then().statusCode(200).contentType(ContentType.JSON)
                .extract().jsonPath();
    }

    static Map<String, Object> row(JsonPath report, String department) {
        return report.getMap("departments.find { it.departmentCode == '" + department + "' }");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> part(Map<String, Object> row, String name) {
        return (Map<String, Object>) row.get(name);
    }

    @Test
    void countsLateAnswersAndDeliveriesPerDepartment() {
        catalogued(A1, A, "CONDITIONAL", "DAILY");
        catalogued(A2, A, "CONDITIONAL", "DAILY");
        catalogued(B1, B, "CONDITIONAL", "DAILY");
        LocalDate filed = LocalDate.of(2026, 9, 7);
        on(filed);
        long r1 = file(C1, A1, "PENDING");
        long r2 = file(C2, A2, "PENDING");
        file(C3, A1, "PENDING"); // never answered
        long r4 = file(C1, B1, "PENDING");
        var days = calendar.calendar();
        LocalDate answerDue = days.addWorkingDays(filed, 10);

        // A answers r1 after 3 working days and has its data on the platform the day after; B refuses r4 in time
        on(days.addWorkingDays(filed, 3));
        answer(A, r1, true);
        answer(B, r4, false);
        on(days.addWorkingDays(filed, 4));
        upload(A, A1);

        // A answers r2 a working day late, and delivers a working day after its 20 working days
        LocalDate late = days.addWorkingDays(answerDue, 1);
        on(late);
        long g2 = answer(A, r2, true);
        LocalDate deliveryDue = days.addWorkingDays(late, 20);
        assertEquals(deliveryDue.toString(), DeliveryDeadlineTest.grant(operator(A), g2).getString("deliveryDue"));
        on(days.addWorkingDays(deliveryDue, 1));
        upload(A, A2);

        JsonPath report = report(reviewer(), "?from=2026-09-01&to=2026-09-30");
        assertEquals("330000", report.getString("region"));
        Map<String, Object> a = row(report, A);
        Map<String, Object> answers = part(a, "answers");
        assertEquals(3, answers.get("total"));
        assertEquals(1, answers.get("onTime"));
        assertEquals(1, answers.get("late"));
        assertEquals(1, answers.get("overdue"), "r3 was never answered");
        assertEquals(0, answers.get("pending"));
        assertEquals(0.3333f, ((Number) answers.get("onTimeRate")).floatValue(), 0.0001);
        assertEquals(((3 + 11) / 2.0), ((Number) answers.get("averageWorkingDays")).doubleValue(), 0.0001);
        Map<String, Object> deliveries = part(a, "deliveries");
        assertEquals(2, deliveries.get("total"));
        assertEquals(1, deliveries.get("onTime"));
        assertEquals(1, deliveries.get("late"));
        assertEquals(0, deliveries.get("overdue"));
        assertEquals(0.5f, ((Number) deliveries.get("onTimeRate")).floatValue(), 0.0001);
        Map<String, Object> b = row(report, B);
        assertEquals(Map.of("total", 1, "onTime", 1, "late", 0, "overdue", 0, "pending", 0, "onTimeRate", 1.0f,
                "averageWorkingDays", 3.0f), part(b, "answers"));
        assertEquals(0, part(b, "deliveries").get("total"));
        // the consumers provide nothing and hold no suspended grant: no rows of their own
        assertEquals(null, row(report, C3));

        // a request whose answer is not due yet is pending, neither late nor overdue; another period leaves it out
        on(LocalDate.of(2026, 10, 12));
        file(C2, B1, "PENDING");
        Map<String, Object> october = part(row(report(reviewer(), "?from=2026-10-01&to=2026-10-31"), B), "answers");
        assertEquals(1, october.get("pending"));
        assertEquals(0, october.get("overdue"));
        assertEquals(null, october.get("onTimeRate"));
        assertEquals(1, part(row(report(reviewer(), "?from=2026-09-01&to=2026-09-30"), B), "answers").get("total"));
    }

    @Test
    void countsObjectionsSuspensionsStaleDatasetsAndSharesOfTheCatalogue() {
        catalogued(P1, P, "CONDITIONAL", "MONTHLY");
        catalogued(P2, P, "CONDITIONAL", "MONTHLY");
        catalogued(P3, P, "UNCONDITIONAL", "IRREGULAR");
        catalogued(P4, P, "NOT_SHARED", "YEARLY");
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        upload(P, P1);
        upload(P, P3);
        long grant = file(Q, P3, "GRANTED");
        long[] objections = new long[2];
        for (int i = 0; i < 2; i++) {
            objections[i] = given().auth().oauth2(operator(Q)).contentType(ContentType.JSON)
                    .body(Map.of("resourceCode", P3, "recordKey", "330110200102150052", "description", "职业有误 " + i))
                    .post("/api/exchange/v1/objections").then().statusCode(201).extract().jsonPath().getLong("id");
        }
        try (var upload = CorrectedUpload.of(P3, "330110200102150052", "XM")) {
            given().auth().oauth2(operator(P)).contentType(ContentType.JSON)
                    .body(Map.of("version", 0, "outcome", "CORRECTED", "reason", "已核实并更正职业"))
                    .post("/api/exchange/v1/objections/" + objections[0] + "/answer").then().statusCode(200);
        }
        // suspended by the provider, then taken over by the 主管部门
        DeliveryTest.governGrant(operator(P), grant, "suspend", 0, "超范围调用，暂停核查").then().statusCode(200);
        DeliveryTest.governGrant(reviewer(), grant, "suspend", 1, "主管部门接管暂停").then().statusCode(200);

        // 40 days on: the other objection is overdue, the monthly dataset P1 stale
        time.set(Clock.fixed(Instant.now().plus(Duration.ofDays(40)), TimeSource.ZONE));
        JsonPath report = report(reviewer(), "?from=" + today + "&to=" + today);
        Map<String, Object> p = row(report, P);
        Map<String, Object> objected = part(p, "objections");
        assertEquals(2, objected.get("total"));
        assertEquals(1, objected.get("onTime"));
        assertEquals(1, objected.get("overdue"));
        assertEquals(Map.of("byProvider", 1, "byAuthority", 1, "ofGrantsHeld", 0), part(p, "suspensions"));
        assertEquals(2, part(row(report, Q), "suspensions").get("ofGrantsHeld"));
        assertEquals(1, p.get("staleDatasets"));
        assertTrue(report.getList("staleDatasets.resourceCode").contains(P1));
        assertTrue(!report.getList("staleDatasets.resourceCode").contains(P3), "an irregular cycle is never stale");
        Map<String, Object> catalogue = part(p, "catalogue");
        assertEquals(4, catalogue.get("entries"));
        assertEquals(1, catalogue.get("unconditional"));
        assertEquals(2, catalogue.get("conditional"));
        assertEquals(1, catalogue.get("notShared"));
        assertEquals(0.5f, ((Number) catalogue.get("conditionalShare")).floatValue(), 0.0001);
        assertEquals(0.25f, ((Number) catalogue.get("notSharedShare")).floatValue(), 0.0001);
    }

    @Test
    void theAuthoritysReviewersReadTheirRegionAdminsAndAuditorsAnyAndNobodyElse() {
        catalogued(A1, A, "CONDITIONAL", "DAILY");
        // the 主管部门's reviewer: its own region by default, not another
        given().auth().oauth2(reviewer()).get(REPORT + "?region=330000").then().statusCode(200);
        String hangzhou = reviewerIn("rv-hz-report", "11330100MC00000401", "330100");
        JsonPath own = report(hangzhou, "");
        assertEquals("330100", own.getString("region"));
        assertEquals(null, row(own, A));
        given().auth().oauth2(hangzhou).get(REPORT + "?region=330000").then().statusCode(403)
                .contentType("application/problem+json").body("field", equalTo("region"));
        // a reviewer of a department that is not the 主管部门, an operator, a head, a department system: 403
        given().auth().oauth2(reviewerOfDepartment("rv-other", "11330000MC00000301", "330000")).get(REPORT).then()
                .statusCode(403).body("field", equalTo("competent_authority"));
        given().auth().oauth2(reviewerIn("rv-none", "11330000MC00000301", null)).get(REPORT).then().statusCode(403);
        given().auth().oauth2(operator(A)).get(REPORT).then().statusCode(403);
        given().auth().oauth2(head("head-report", A, "部门负责人")).get(REPORT).then().statusCode(403);
        given().auth().oauth2(system(A)).get(REPORT).then().statusCode(403);
        given().get(REPORT).then().statusCode(401);
        // auditors and admins (who read every region's matters, as in the catalogue's report) read any region, or
        // every region at once; reading is not one of the 主管部门's decisions
        for (String reader : List.of(auditor(), admin())) {
            JsonPath province = report(reader, "?region=330000");
            assertTrue(row(province, A) != null);
            assertEquals("330100", report(reader, "?region=330100000000").getString("region"));
            given().auth().oauth2(reader).get(REPORT).then().statusCode(200).body("region", nullValue())
                    .body("departments.departmentCode", hasItem(A));
        }

        // bad input is named
        for (String[] bad : new String[][] { { "?from=2026-02-30", "from" }, { "?to=yesterday", "to" },
                { "?from=2026-12-01&to=2026-11-30", "from" }, { "?from=0099-01-01", "from" }, { "?region=33", "region" },
                { "?format=pdf", "format" } }) {
            given().auth().oauth2(reviewer()).get(REPORT + bad[0]).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo(bad[1]));
        }
        given().auth().oauth2(hangzhou).get(REPORT + "?region=1").then().statusCode(400).body("field",
                equalTo("region"));
    }

    @Test
    void theReportDownloadsAsCsvAndXlsxOneRowPerDepartment() throws Exception {
        catalogued(A1, A, "CONDITIONAL", "DAILY");
        JsonPath json = report(auditor(), "?region=330000&from=2026-01-01&to=2026-12-31");
        int departments = json.getList("departments").size();

        Response csv = given().auth().oauth2(auditor()).get(REPORT + "?region=330000&from=2026-01-01&to=2026-12-31"
                + "&format=csv");
        csv.then().statusCode(200).contentType(startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"compliance-report-330000-2026-01-01-"
                        + "2026-12-31.csv\""));
        String text = new String(csv.asByteArray(), StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(0).startsWith("\uFEFF部门代码 departmentCode,部门名称 departmentName"), lines.get(0));
        assertEquals(departments + 1, lines.size());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(A + ",")), text);

        byte[] xlsx = given().auth().oauth2(auditor()).get(REPORT + "?region=330000&from=2026-01-01&to=2026-12-31"
                + "&format=xlsx").then().statusCode(200).contentType(startsWith(DatasetResource.XLSX)).extract()
                .asByteArray();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            List<Row> rows = wb.getFirstSheet().read();
            assertEquals("部门代码 departmentCode", rows.get(0).getCellAsString(0).orElse(null));
            assertEquals(departments + 1, rows.size());
            assertTrue(rows.stream().anyMatch(r -> A.equals(r.getCellAsString(0).orElse(null))));
        }
        // the download is the report's: the same readers only
        given().auth().oauth2(operator(A)).get(REPORT + "?format=csv").then().statusCode(403);
        given().auth().oauth2(admin()).get(REPORT + "?region=330000&format=csv").then().statusCode(200)
                .header("Content-Disposition", startsWith("attachment; filename=\"compliance-report-330000-"));
        given().auth().oauth2(reviewer()).get(REPORT + "?format=csv").then().statusCode(200)
                .body(not(startsWith("{")));
    }

    /** A citizen's correction request on the entry's 姓名, filed today: its id and its deadline. */
    static Map<String, Object> correction(String resourceCode) {
        JsonPath filed = CorrectionTest.file(CorrectionTest.citizen("wang", CorrectionTest.WANG_ID), null,
                Map.of("resourceCode", resourceCode, "item", "XM", "correctValue", "王五", "description", "姓名登记有误"))
                .then().statusCode(201).extract().jsonPath();
        return Map.of("id", filed.getLong("id"), "dueOn", LocalDate.parse(filed.getString("dueOn")));
    }

    /** received, total, onTime, late, overdue, pending, escalated of a section of citizens' requests. */
    static List<Object> counts(Map<String, Object> requests) {
        return List.of("received", "total", "onTime", "late", "overdue", "pending", "escalated").stream()
                .map(requests::get).toList();
    }

    static void correct(String provider, Map<String, Object> correction) {
        // the exchange hosts none of these entries' data: accepted, saying that it could not check the change
        CorrectionTest.answer(operator(provider), (Long) correction.get("id"), Map.of("version", 0, "outcome",
                "CORRECTED", "reason", "经核对原始登记，已更正")).then().statusCode(200)
                .body("explanation", org.hamcrest.Matchers.containsString("交换平台无法核对数据是否已更改"));
    }

    @Test
    void countsCorrectionRequestsPerProviderAgainstTheirWorkingDays() throws Exception {
        catalogued(R1, R, "CONDITIONAL", "IRREGULAR");
        catalogued(R21, R2, "CONDITIONAL", "IRREGULAR");
        var days = calendar.calendar();
        // filed the day before the period and the day after it: in neither
        on(LocalDate.of(2026, 8, 31));
        correction(R1);
        on(LocalDate.of(2026, 10, 1));
        correction(R1);
        // on the period's first day: three to R, one to R2
        LocalDate filed = LocalDate.of(2026, 9, 1);
        on(filed);
        Map<String, Object> onTime = correction(R1);
        Map<String, Object> late = correction(R1);
        correction(R1); // never answered
        Map<String, Object> other = correction(R21);
        LocalDate due = (LocalDate) onTime.get("dueOn");
        assertEquals(days.addWorkingDays(filed, 10), due);

        // R answers one after 3 working days, R2 its own the same day
        LocalDate third = days.addWorkingDays(filed, 3);
        on(third);
        correct(R, onTime);
        correct(R2, other);
        // a working day after the deadline the other two are escalated, and R answers one of them
        LocalDate afterDue = days.addWorkingDays(due, 1);
        on(afterDue);
        corrections.escalateOverdue();
        correct(R, late);

        JsonPath report = report(reviewer(), "?from=2026-09-01&to=2026-09-30");
        Map<String, Object> r = part(row(report, R), "corrections");
        // the third never answered; the late one and that one escalated
        assertEquals(List.of(3, 3, 1, 1, 1, 0, 2), counts(r));
        assertEquals(0.3333f, ((Number) r.get("onTimeRate")).floatValue(), 0.0001);
        double mean = (days.workingDaysBetween(filed, third) + days.workingDaysBetween(filed, afterDue)) / 2.0;
        assertEquals(mean, ((Number) r.get("averageWorkingDays")).doubleValue(), 0.05);
        assertEquals(Map.of("received", 1, "total", 1, "onTime", 1, "late", 0, "overdue", 0, "pending", 0,
                "onTimeRate", 1.0f, "averageWorkingDays", (float) days.workingDaysBetween(filed, third),
                "escalated", 0), part(row(report, R2), "corrections"));
        // the requests are the providers' duty: the others' sections are untouched
        assertEquals(0, part(row(report, R), "answers").get("total"));
        assertEquals(0, part(row(report, R), "complaints").get("received"));

        // the boundaries: the day before counts on its own, open and overdue by now; the day after not in September
        Map<String, Object> august = part(row(report(reviewer(), "?from=2026-08-31&to=2026-08-31"), R), "corrections");
        assertEquals(1, august.get("received"));
        assertEquals(1, august.get("overdue"));
        Map<String, Object> october = part(row(report(reviewer(), "?from=2026-10-01&to=2026-10-01"), R),
                "corrections");
        assertEquals(1, october.get("received"));
        assertEquals(1, october.get("pending"), "not due yet as of " + afterDue);
        assertEquals(null, october.get("onTimeRate"));
        // another region's 主管部门 does not see them
        assertEquals(null, row(report(reviewerIn("rv-hz-corr", "11330100MC00000404", "330100"),
                "?from=2026-09-01&to=2026-09-30"), R));

        // the document describes the fields where they are, beside received and escalated
        Map<String, Object> described = given().accept(ContentType.JSON).get("/q/openapi?format=json").then()
                .statusCode(200).extract().jsonPath().getMap("components.schemas.SubjectRequests.properties");
        assertTrue(described.keySet().containsAll(List.of("received", "total", "onTime", "late", "overdue", "pending",
                "onTimeRate", "averageWorkingDays", "escalated")) && !described.containsKey("timeliness"),
                described.keySet().toString());

        // the download carries the same counts under bilingual headers
        String csv = new String(given().auth().oauth2(reviewer()).get(REPORT + "?from=2026-09-01&to=2026-09-30"
                + "&format=csv").then().statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        List<String> header = List.of(csv.lines().findFirst().orElseThrow().substring(1).split(","));
        assertEquals(ComplianceReportResource.COLUMNS, header);
        int received = header.indexOf("收到更正补充申请 corrections.received");
        assertTrue(received > 0, header.toString());
        List<String> line = List.of(csv.lines().filter(l -> l.startsWith(R + ",")).findFirst().orElseThrow()
                .split(",", -1));
        assertEquals(List.of("3", "3", "1", "1", "1", "0", "0.3333"), line.subList(received, received + 7));
        assertEquals("2", line.get(header.indexOf("更正补充申请逾期督办 corrections.escalated")));
        assertEquals("0", line.get(header.indexOf("收到投诉 complaints.received")));
        byte[] xlsx = given().auth().oauth2(reviewer()).get(REPORT + "?from=2026-09-01&to=2026-09-30&format=xlsx")
                .then().statusCode(200).extract().asByteArray();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            List<Row> rows = wb.getFirstSheet().read();
            assertEquals("收到更正补充申请 corrections.received", rows.get(0).getCellAsString(received).orElse(null));
            Row rRow = rows.stream().filter(x -> R.equals(x.getCellAsString(0).orElse(null))).findFirst()
                    .orElseThrow();
            assertEquals(3, rRow.getCellAsNumber(received).orElseThrow().intValue());
            assertEquals(2, rRow.getCellAsNumber(header.indexOf("更正补充申请逾期督办 corrections.escalated"))
                    .orElseThrow().intValue());
        }
    }

    @Test
    void countsComplaintsAgainstTheConsumerDepartmentThatExplains() {
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        long answered = ComplaintTest.complaintAboutAGrantOf(K)[1];
        long open = ComplaintTest.complaintAboutAGrantOf(K)[1];
        long decidedLate = ComplaintTest.complaintAboutAGrantOf(K)[1];
        long decidedEarly = ComplaintTest.complaintAboutAGrantOf(K)[1];
        String complaint = "/api/exchange/v1/complaints/";
        given().auth().oauth2(operator(K)).contentType(ContentType.JSON).body(Map.of("version", 0, "reason",
                "系核验企业登记信息所需")).post(complaint + answered + "/answer").then().statusCode(200);
        // the 主管部门 decides one before the department explains, within the deadline: received only
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 0, "reason",
                "访问符合授权用途")).post(complaint + decidedEarly + "/dismiss").then().statusCode(200);
        // 40 days on: two are escalated; one of them the 主管部门 decides without the department's explanation
        time.set(Clock.fixed(Instant.now().plus(Duration.ofDays(40)), TimeSource.ZONE));
        complaints.escalateOverdue();
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 0, "reason",
                "访问符合授权用途")).post(complaint + decidedLate + "/dismiss").then().statusCode(200);

        JsonPath report = report(reviewer(), "?from=" + today + "&to=" + today);
        Map<String, Object> k = part(row(report, K), "complaints");
        // overdue: the open one and the one decided after the deadline unexplained
        assertEquals(List.of(4, 3, 1, 0, 2, 0, 2), counts(k));
        assertEquals(0.3333f, ((Number) k.get("onTimeRate")).floatValue(), 0.0001);
        assertEquals(0.0, ((Number) k.get("averageWorkingDays")).doubleValue(), 0.0001);
        assertEquals(0, part(row(report, K), "corrections").get("received"));
        // the provider of the data accessed explains nothing
        Map<String, Object> market = row(report, DemoData.MARKET);
        assertTrue(market == null || part(market, "complaints").get("received").equals(0), String.valueOf(market));
        // before the period none
        Map<String, Object> before = row(report(reviewer(), "?from=" + today.minusDays(1) + "&to="
                + today.minusDays(1)), K);
        assertTrue(before == null || part(before, "complaints").get("received").equals(0), String.valueOf(before));
    }

    /** A published entry of the provider in the region, as the catalogue feed brings it. */
    void cataloguedIn(String code, String provider, String region, String share) {
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", code, "下级区划目录 " + code, provider, share,
                "LEVEL_2", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        entry.put("regionCode", region);
        replica.pollOnce();
    }

    @Test
    void aCitysReportIncludesItsCountiesOnRequestAndACountyNeverReadsTheCity() throws Exception {
        cataloguedIn(CITY1, CITY, "330100", "UNCONDITIONAL");
        cataloguedIn(COUNTY1, COUNTY, "330106", "CONDITIONAL");
        // a county department asks the county's provider: a matter of the county's 主管部门 (330106)
        RequestWorkflowTest.file(operator(COUNTY_CONSUMER), RequestWorkflowTest.body(COUNTY1, List.of("GMSFHM")))
                .then().statusCode(201).body("status", equalTo("PENDING"));
        correction(COUNTY1);
        String city = reviewerIn("rv-hz-sub", "11330100MC00000402", "330100");
        String county = reviewerIn("rv-xh-sub", "11330106MC00000402", "330106");

        // the city's own report: its departments only, each with its region
        JsonPath own = report(city, "");
        assertEquals(false, own.getBoolean("includeSubregions"));
        assertEquals("330100", row(own, CITY).get("regionCode"));
        assertEquals(null, row(own, COUNTY));
        // with the regions below: the county's department, its region and its matter
        JsonPath withCounties = report(city, "?includeSubregions=true");
        assertEquals("330100", withCounties.getString("region"));
        assertEquals(true, withCounties.getBoolean("includeSubregions"));
        assertEquals("330100", row(withCounties, CITY).get("regionCode"));
        Map<String, Object> xihu = row(withCounties, COUNTY);
        assertEquals("330106", xihu.get("regionCode"));
        assertEquals(1, part(xihu, "answers").get("total"));
        assertEquals(1, part(xihu, "answers").get("pending"));
        assertEquals(1, part(xihu, "catalogue").get("conditional"));
        assertEquals(1, part(xihu, "corrections").get("received"), "the county provider's correction request");
        assertEquals(1, part(xihu, "corrections").get("pending"));
        assertEquals(null, row(withCounties, A), "the province's departments are above the city");
        // the county reads its own region, with or without the switch, and never the city's
        JsonPath countyOwn = report(county, "?includeSubregions=true");
        assertEquals(1, part(row(countyOwn, COUNTY), "answers").get("total"));
        assertEquals(1, part(row(countyOwn, COUNTY), "corrections").get("received"));
        assertEquals(null, row(countyOwn, CITY));
        given().auth().oauth2(county).get(REPORT + "?region=330100&includeSubregions=true").then().statusCode(403)
                .contentType("application/problem+json").body("field", equalTo("region"));
        given().auth().oauth2(county).get(REPORT + "?region=330100").then().statusCode(403);
        // the province: without the switch neither, with it both
        JsonPath province = report(auditor(), "?region=330000");
        assertEquals(null, row(province, CITY));
        assertEquals(null, row(province, COUNTY));
        JsonPath all = report(auditor(), "?region=330000&includeSubregions=true");
        assertEquals("330100", row(all, CITY).get("regionCode"));
        assertEquals("330106", row(all, COUNTY).get("regionCode"));
        assertTrue(row(all, A) == null || "330000".equals(row(all, A).get("regionCode")));
        // others are still refused, a bad switch is named
        given().auth().oauth2(operator(COUNTY)).get(REPORT + "?includeSubregions=true").then().statusCode(403);
        given().auth().oauth2(city).get(REPORT + "?includeSubregions=yes").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("includeSubregions"));

        // the download names each row's region
        Response csv = given().auth().oauth2(city).get(REPORT + "?includeSubregions=true&format=csv");
        csv.then().statusCode(200).header("Content-Disposition", startsWith("attachment; filename=\"compliance-report-"
                + "330100-with-subregions-"));
        List<String> lines = new String(csv.asByteArray(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.get(0).startsWith("\uFEFF部门代码 departmentCode,部门名称 departmentName,行政区划代码 regionCode"),
                lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(COUNTY + ",") && l.contains(",330106,")), lines.toString());
        byte[] xlsx = given().auth().oauth2(city).get(REPORT + "?includeSubregions=true&format=xlsx").then()
                .statusCode(200).extract().asByteArray();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            assertTrue(wb.getFirstSheet().read().stream().anyMatch(r -> COUNTY.equals(r.getCellAsString(0)
                    .orElse(null)) && "330106".equals(r.getCellAsString(2).orElse(null))));
        }
    }

    @Test
    void aDepartmentNameThatWouldRunAsAFormulaIsTextInTheCsvFile() throws Exception {
        // 衢州 (330800): a region no other test uses; the name comes from the catalogue entry, an editor's free text
        String provider = "11330800MC00000801";
        String name = "@SUM(1+1)*cmd|' /C calc'!A0";
        Map<String, Object> entry = FakeCatalog.add("PUBLISHED", "330800-01-02/901941", "公式名称目录", provider,
                "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        entry.put("regionCode", "330800");
        entry.put("providerDepartmentName", name);
        replica.pollOnce();

        // JSON and .xlsx (an inline string, never a formula) as the catalogue has it
        assertEquals(name, row(report(auditor(), "?region=330800"), provider).get("departmentName"));
        byte[] xlsx = given().auth().oauth2(auditor()).get(REPORT + "?region=330800&format=xlsx").then()
                .statusCode(200).extract().asByteArray();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
            assertTrue(wb.getFirstSheet().read().stream().anyMatch(r -> provider.equals(r.getCellAsString(0)
                    .orElse(null)) && name.equals(r.getCellAsString(1).orElse(null))));
        }
        // CSV: a leading ' so that a spreadsheet program shows the text instead of running it (OWASP)
        String csv = new String(given().auth().oauth2(auditor()).get(REPORT + "?region=330800&format=csv").then()
                .statusCode(200).extract().asByteArray(), StandardCharsets.UTF_8);
        List<List<String>> records = CSVFormat.DEFAULT.parse(new StringReader(csv.substring(1))).getRecords().stream()
                .map(CSVRecord::toList).toList();
        List<String> line = records.stream().filter(r -> provider.equals(r.get(0))).findFirst().orElseThrow();
        assertEquals(List.of(provider, "'" + name, "330800"), line.subList(0, 3));
    }
}
