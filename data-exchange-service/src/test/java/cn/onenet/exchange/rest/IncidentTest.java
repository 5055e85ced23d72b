package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Notice;
import cn.onenet.exchange.model.SecurityIncident;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** 数据安全事件 (R20, 条例第三十四条、第三十五条): reported by a party, handled by the 主管部门. */
@QuarkusTest
class IncidentTest extends ExchangeTestBase {

    static final String API = "/api/exchange/v1/incidents";
    /** A grade-3 entry of its own, so suspending its grants disturbs no other test. */
    static final String CODE = "330000-01-02/900070";
    static final String PROVIDER = "11330000002481080G";
    static final String STRANGER = "11330000002481190U";

    @Inject
    TimeSource time;
    @Inject
    CalendarService calendar;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    /** An active grant of the department on the test entry (published on first use). */
    long grantFor(String dept) {
        synchronized (IncidentTest.class) {
            if (QuarkusTransaction.requiringNew().call(() -> cn.onenet.exchange.model.CatalogEntry.findCurrent(CODE))
                    == null) {
                FakeCatalog.add("PUBLISHED", CODE, "测试安全事件目录", PROVIDER, "UNCONDITIONAL", "LEVEL_3", "GMSFHM",
                        List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                                Map.of("code", "XM", "name", "姓名", "sensitive", true)));
                replica.pollOnce();
            }
        }
        return RequestWorkflowTest.file(operator(dept), RequestWorkflowTest.body(CODE, List.of("GMSFHM", "XM")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
    }

    static Map<String, Object> report(String type, List<Long> grants) {
        Map<String, Object> m = new HashMap<>();
        m.put("type", type);
        m.put("resourceCode", CODE);
        m.put("grantIds", grants);
        m.put("discoveredAt", OffsetDateTime.now(TimeSource.ZONE).minusHours(2).toString());
        m.put("description", "经办人员将含有居民身份证号的导出文件上传至互联网网盘");
        m.put("measuresTaken", "已启动应急预案，删除网盘文件，停用该经办人员账号");
        return m;
    }

    static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new HashMap<>(base);
        m.put(key, value);
        return m;
    }

    static Response post(String token, String path, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(API + path);
    }

    static long incidents() {
        return QuarkusTransaction.requiringNew().call(() -> SecurityIncident.count());
    }

    static long notices(String dept, long incident, String kind) {
        return QuarkusTransaction.requiringNew().call(() -> Notice.count(
                "departmentCode = ?1 and subjectType = 'INCIDENT' and subjectId = ?2 and kind = ?3", dept, incident,
                kind));
    }

    @Test
    void aConsumerReportsTheAuthoritySuspendsRequiresRectificationAndCloses() {
        String consumer = "11330000002481160R";
        long grant = grantFor(consumer);
        long demoGrant = given().auth().oauth2(operator(DeliveryTest.HR)).get("/api/exchange/v1/grants?resourceCode="
                + FakeCatalog.POPULATION + "&status=ACTIVE").jsonPath().getLong("[0].id");
        long before = incidents();
        Map<String, Object> body = report("LEAK", List.of(grant));
        String op = operator(consumer);

        // bad input names the field, and nothing is recorded
        post(op, "", with(body, "type", "HACKED")).then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("type"));
        post(op, "", with(body, "resourceCode", "330000-01-02/999999")).then().statusCode(400)
                .body("field", equalTo("resourceCode"));
        post(op, "", with(body, "discoveredAt", "yesterday")).then().statusCode(400)
                .body("field", equalTo("discoveredAt"));
        post(op, "", with(body, "discoveredAt", OffsetDateTime.now().plusDays(1).toString())).then().statusCode(400)
                .body("field", equalTo("discoveredAt"));
        // not in the future, but before any year PostgreSQL stores (or any incident of shared data)
        for (String longAgo : List.of("-5000-01-01T00:00:00Z", "1899-12-31T23:00:00Z")) {
            post(op, "", with(body, "discoveredAt", longAgo)).then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo("discoveredAt"))
                    .body("requestId", notNullValue());
        }
        post(op, "", with(body, "description", " ")).then().statusCode(400).body("field", equalTo("description"));
        post(op, "", with(body, "measuresTaken", null)).then().statusCode(400).body("field", equalTo("measuresTaken"));
        post(op, "", with(body, "grantIds", List.of(demoGrant))).then().statusCode(400)
                .body("field", equalTo("grantIds"));
        // only a party reports: a department without a grant on the data, citizens and auditors may not
        post(operator(STRANGER), "", body).then().statusCode(403);
        post(TestTokens.citizen("wang", "330282196509230044", AUD), "", body).then().statusCode(403);
        post(auditor(), "", body).then().statusCode(403);
        assertEquals(before, incidents());

        Response filed = post(op, "", body);
        filed.then().statusCode(201).body("status", equalTo("REPORTED")).body("severity", equalTo("MAJOR"))
                .body("dataGrade", equalTo("LEVEL_3")).body("grantIds", equalTo(List.of((int) grant)))
                .body("partyDepartments", equalTo(List.of(PROVIDER, consumer)))
                .body("reporterRole", equalTo("operator")).body("reporter", equalTo("op-" + consumer));
        long id = filed.jsonPath().getLong("id");
        assertTrue(filed.header("Location").endsWith(API + "/" + id));
        // the 主管部门 and the other party are told
        assertEquals(1, notices(PROVIDER, id, "INCIDENT_REPORTED"));
        assertEquals(1, notices("113300000024810109", id, "INCIDENT_REPORTED"));
        assertEquals(0, notices(consumer, id, "INCIDENT_REPORTED"));

        // parties and the 主管部门 read; others 404
        for (String reader : List.of(operator(PROVIDER), op, reviewer(), admin(), auditor())) {
            given().auth().oauth2(reader).get(API + "/" + id).then().statusCode(200).body("id", equalTo((int) id));
        }
        given().auth().oauth2(operator(PROVIDER)).get(API + "/" + id).then().body("reporter", nullValue());
        given().auth().oauth2(operator(STRANGER)).get(API + "/" + id).then().statusCode(404);
        given().auth().oauth2(operator(STRANGER)).get(API + "/" + id + "/history").then().statusCode(404);
        given().auth().oauth2(system(consumer)).get(API + "/" + id).then().statusCode(403);
        given().auth().oauth2(operator(STRANGER)).get(API).then().statusCode(200).body("id", not(hasItem((int) id)));
        given().auth().oauth2(operator(PROVIDER)).get(API).then().statusCode(200).body("id", hasItem((int) id));
        given().auth().oauth2(auditor()).get(API + "?status=REPORTED").then().statusCode(200)
                .body("id", hasItem((int) id));
        given().auth().oauth2(auditor()).get(API + "?status=OPEN").then().statusCode(400)
                .body("field", equalTo("status"));

        // only the 主管部门 acts; a stale version is 409
        Map<String, Object> suspend = Map.of("version", 0, "reason", "疑似数据泄露，暂停使用待查");
        post(op, "/" + id + "/suspend-grants", suspend).then().statusCode(403);
        post(operator(PROVIDER), "/" + id + "/suspend-grants", suspend).then().statusCode(403);
        post(auditor(), "/" + id + "/suspend-grants", suspend).then().statusCode(403);
        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 5, "reason", "x")).then().statusCode(409)
                .body("currentVersion", equalTo(0));
        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 0)).then().statusCode(400)
                .body("field", equalTo("reason"));
        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 0, "reason", "x", "grantIds",
                List.of(demoGrant))).then().statusCode(400).body("field", equalTo("grantIds"));

        // the grants concerned are suspended through the grant workflow, the reason naming the incident
        post(reviewer(), "/" + id + "/suspend-grants", suspend).then().statusCode(200)
                .body("suspendedGrantIds", equalTo(List.of((int) grant))).body("version", equalTo(1));
        given().auth().oauth2(op).get("/api/exchange/v1/grants/" + grant).then().statusCode(200)
                .body("status", equalTo("SUSPENDED"));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/grants/" + grant + "/history").then()
                .statusCode(200).body("[-1].action", equalTo("SUSPEND"))
                .body("[-1].reason", containsString("安全事件 " + id)).body("[-1].actor.role", equalTo("reviewer"));
        // a grant that cannot be suspended: 409, nothing changes
        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 1, "reason", "再次暂停")).then()
                .statusCode(409);
        given().auth().oauth2(reviewer()).get(API + "/" + id).then().body("version", equalTo(1));

        // rectification by the reporting department within working days
        post(reviewer(), "/" + id + "/require-rectification", Map.of("version", 1, "workingDays", 0,
                "requirement", "x")).then().statusCode(400).body("field", equalTo("workingDays"));
        post(reviewer(), "/" + id + "/require-rectification", Map.of("version", 1, "requirement", "x",
                "responsibleDepartmentCode", STRANGER)).then().statusCode(400)
                .body("field", equalTo("responsibleDepartmentCode"));
        post(reviewer(), "/" + id + "/require-rectification", Map.of("version", 1)).then().statusCode(400)
                .body("field", equalTo("requirement"));
        post(op, "/" + id + "/require-rectification", Map.of("version", 1, "requirement", "x")).then()
                .statusCode(403);
        LocalDate due = calendar.calendar().addWorkingDays(time.today(), 2);
        post(reviewer(), "/" + id + "/require-rectification", Map.of("version", 1, "workingDays", 2,
                "requirement", "查明泄露范围并报送整改报告")).then().statusCode(200).body("status", equalTo("RECTIFYING"))
                .body("responsibleDepartmentCode", equalTo(consumer)).body("rectificationDueOn", equalTo(due.toString()))
                .body("overdue", equalTo(false));
        assertEquals(1, notices(consumer, id, "INCIDENT_RECTIFICATION_REQUIRED"));
        given().auth().oauth2(reviewer()).get(API + "?overdue=true").then().body("id", not(hasItem((int) id)));

        // past the deadline: listed as overdue for the 主管部门 and the parties
        time.set(Clock.fixed(due.plusDays(3).atStartOfDay(TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        given().auth().oauth2(reviewer()).get(API + "?overdue=true").then().statusCode(200)
                .body("id", hasItem((int) id)).body("find { it.id == " + id + " }.overdue", equalTo(true));
        given().auth().oauth2(op).get(API + "?overdue=true").then().body("id", hasItem((int) id));
        given().auth().oauth2(operator(STRANGER)).get(API + "?overdue=true").then().body("id", not(hasItem((int) id)));

        // the responsible department reports (late, recorded as such); nobody else does
        Map<String, Object> rectified = Map.of("version", 2, "report", "已查明涉及 312 条记录，责任人已停职");
        post(operator(PROVIDER), "/" + id + "/rectification-report", rectified).then().statusCode(403);
        post(operator(STRANGER), "/" + id + "/rectification-report", rectified).then().statusCode(404);
        post(reviewer(), "/" + id + "/rectification-report", rectified).then().statusCode(403);
        post(op, "/" + id + "/rectification-report", Map.of("version", 1, "report", "x")).then().statusCode(409);
        post(op, "/" + id + "/rectification-report", rectified).then().statusCode(200)
                .body("status", equalTo("RECTIFIED")).body("overdue", equalTo(false));
        given().auth().oauth2(reviewer()).get(API + "?overdue=true").then().body("id", not(hasItem((int) id)));

        // closed with a conclusion; closed stays closed
        post(auditor(), "/" + id + "/close", Map.of("version", 3, "conclusion", "x")).then().statusCode(403);
        // the platform's admin is not the 主管部门
        post(admin(), "/" + id + "/close", Map.of("version", 3, "conclusion", "x")).then().statusCode(403)
                .contentType("application/problem+json");
        post(reviewer(), "/" + id + "/close", Map.of("version", 3, "conclusion", "")).then().statusCode(400)
                .body("field", equalTo("conclusion"));
        post(reviewer(), "/" + id + "/close", Map.of("version", 3, "conclusion", "整改到位，恢复授权另行审批")).then()
                .statusCode(200).body("status", equalTo("CLOSED")).body("conclusion", equalTo("整改到位，恢复授权另行审批"));
        post(reviewer(), "/" + id + "/close", Map.of("version", 4, "conclusion", "再次办结")).then().statusCode(409);
        assertEquals(1, notices(PROVIDER, id, "INCIDENT_CLOSED"));

        // one history row per change, who and why
        given().auth().oauth2(op).get(API + "/" + id + "/history").then().statusCode(200)
                .body("action", equalTo(List.of("REPORT", "SUSPEND_GRANTS", "REQUIRE_RECTIFICATION",
                        "FILE_RECTIFICATION", "CLOSE")))
                .body("toStatus", equalTo(List.of("REPORTED", "REPORTED", "RECTIFYING", "RECTIFIED", "CLOSED")))
                .body("actor.role", equalTo(List.of("operator", "reviewer", "reviewer", "operator", "reviewer")))
                .body("[0].details.severity", equalTo("MAJOR")).body("[1].details.grantIds", equalTo(List.of((int) grant)))
                .body("[2].details.dueOn", equalTo(due.toString())).body("[3].details.late", equalTo(true))
                .body("[4].reason", equalTo("整改到位，恢复授权另行审批"));
        // the other party does not learn who reported, as in the incident's view
        Response forProvider = given().auth().oauth2(operator(PROVIDER)).get(API + "/" + id + "/history");
        forProvider.then().statusCode(200).body("[0].action", equalTo("REPORT")).body("[0].actor.subject", nullValue())
                .body("[0].actor.clientId", nullValue()).body("[0].actorName", nullValue())
                .body("[0].actor.departmentCode", equalTo(consumer)).body("[0].actor.role", equalTo("operator"));
        assertFalse(forProvider.asString().contains("op-" + consumer), forProvider.asString());
        given().auth().oauth2(auditor()).get(API + "/" + id + "/history").then()
                .body("[0].actor.subject", equalTo("op-" + consumer));
    }

    @Test
    void anIncidentOnAnEntryPublishedSinceTheLastPollIsAccepted() throws InterruptedException {
        String code = "330000-01-02/900079";
        FakeCatalog.add("PUBLISHED", code, "新发布的安全事件测试目录", PROVIDER, "UNCONDITIONAL", "LEVEL_2", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true)));
        Thread.sleep(1_100); // catch-up reads of the feed are spaced a second apart
        // the scheduled poll is an hour away in tests: the report itself reads the feed
        post(operator(PROVIDER), "", with(report("LEAK", null), "resourceCode", code)).then().statusCode(201)
                .body("resourceCode", equalTo(code)).body("severity", equalTo("SERIOUS"));
    }

    @Test
    void theProviderReportsWithoutGrantsAndTheAuthorityNamesThem() {
        String consumer = "11330000002481170S";
        long grant = grantFor(consumer);
        Response filed = post(operator(PROVIDER), "", report("UNAVAILABILITY", null));
        filed.then().statusCode(201).body("grantIds", equalTo(List.of())).body("partyDepartments",
                equalTo(List.of(PROVIDER)));
        long id = filed.jsonPath().getLong("id");
        // the consumer is no party yet
        given().auth().oauth2(operator(consumer)).get(API + "/" + id).then().statusCode(404);
        // no grants known: the 主管部门 names them
        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 0, "reason", "数据被篡改，暂停使用")).then()
                .statusCode(400).body("field", equalTo("grantIds"));
        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 0, "reason", "数据被篡改，暂停使用",
                "grantIds", List.of(grant))).then().statusCode(200).body("grantIds", equalTo(List.of((int) grant)))
                .body("partyDepartments", equalTo(List.of(PROVIDER, consumer)));
        given().auth().oauth2(operator(consumer)).get(API + "/" + id).then().statusCode(200);
        given().auth().oauth2(operator(consumer)).get("/api/exchange/v1/grants/" + grant).then()
                .body("status", equalTo("SUSPENDED"));
        // the reporting department rectifies by default
        post(reviewer(), "/" + id + "/require-rectification", Map.of("version", 1, "requirement", "恢复服务并说明原因"))
                .then().statusCode(200).body("responsibleDepartmentCode", equalTo(PROVIDER));

        // the 主管部门 reports too; then it must name the responsible department
        long other = grantFor("11330000002481180T");
        Response byAuthority = post(reviewer(), "", report("MISUSE", List.of(other)));
        byAuthority.then().statusCode(201).body("reporterRole", equalTo("reviewer"))
                .body("partyDepartments", equalTo(List.of(PROVIDER, "11330000002481180T")));
        long second = byAuthority.jsonPath().getLong("id");
        assertEquals(1, notices("11330000002481180T", second, "INCIDENT_REPORTED"));
        post(reviewer(), "/" + second + "/require-rectification", Map.of("version", 0, "requirement", "x")).then()
                .statusCode(400).body("field", equalTo("responsibleDepartmentCode"));
        // a consumer names only its own grants
        post(operator("11330000002481180T"), "", report("MISUSE", List.of(grant))).then().statusCode(400)
                .body("field", equalTo("grantIds"));
    }

    /** Entering the next year's notice counts an open rectification deadline again, as for requests and objections. */
    @Test
    void aCalendarChangeMovesTheRectificationDeadlineOfOpenIncidentsOnly() {
        calendar.check();
        String consumer = "11330000MB00004001";
        long grant = grantFor(consumer);
        time.set(Clock.fixed(java.time.ZonedDateTime.of(2026, 12, 18, 10, 0, 0, 0, TimeSource.ZONE).toInstant(),
                TimeSource.ZONE));
        long open = post(operator(consumer), "", report("LEAK", List.of(grant))).then().statusCode(201).extract()
                .jsonPath().getLong("id");
        long rectified = post(operator(consumer), "", report("MISUSE", List.of(grant))).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        for (long id : List.of(open, rectified)) {
            // 10 working days from Friday 18 December 2026 skip 元旦 2027 (a fixed-date holiday)
            post(reviewer(), "/" + id + "/require-rectification", Map.of("version", 0, "workingDays", 10,
                    "requirement", "查明原因并报送整改报告")).then().statusCode(200)
                    .body("rectificationDueOn", equalTo("2027-01-04"));
        }
        post(operator(consumer), "/" + rectified + "/rectification-report", Map.of("version", 1, "report",
                "已删除网盘文件并完善导出审批")).then().statusCode(200).body("status", equalTo("RECTIFIED"));
        try {
            FakeCatalog.putCalendarDay("2027-01-01", "holiday", "元旦");
            FakeCatalog.putCalendarDay("2027-01-04", "holiday", "元旦");
            calendar.check();
            given().auth().oauth2(reviewer()).get(API + "/" + open).then().statusCode(200)
                    .body("rectificationDueOn", equalTo("2027-01-05")).body("version", equalTo(1));
            given().auth().oauth2(reviewer()).get(API + "/" + open + "/history").then().statusCode(200)
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.previousDueOn", equalTo("2027-01-04"))
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.dueOn", equalTo("2027-01-05"));
            assertEquals(1, notices(consumer, open, "DEADLINE_RECOUNTED"));
            // a report already filed keeps the date it was measured against
            given().auth().oauth2(reviewer()).get(API + "/" + rectified).then()
                    .body("rectificationDueOn", equalTo("2027-01-04"));
            assertEquals(0, notices(consumer, rectified, "DEADLINE_RECOUNTED"));
        } finally {
            FakeCatalog.removeCalendarDay("2027-01-01");
            FakeCatalog.removeCalendarDay("2027-01-04");
            calendar.check();
        }
        given().auth().oauth2(reviewer()).get(API + "/" + open).then().body("rectificationDueOn", equalTo("2027-01-04"));
    }

    @Test
    void suspendingTheGrantsConcernedSkipsThoseAlreadySuspended() {
        long first = grantFor("11330000002481210W");
        long second = grantFor("11330000002481220X");
        long id = post(reviewer(), "", report("MISUSE", List.of(first, second))).then().statusCode(201).extract()
                .jsonPath().getLong("id");
        // one of them was suspended on its own before
        given().auth().oauth2(reviewer()).contentType(ContentType.JSON).body(Map.of("version", 0, "reason", "违规使用"))
                .post("/api/exchange/v1/grants/" + first + "/suspend").then().statusCode(200);

        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 0, "reason", "疑似滥用，暂停使用待查")).then()
                .statusCode(200).body("suspendedGrantIds", equalTo(List.of((int) second)));
        given().auth().oauth2(admin()).get("/api/exchange/v1/grants/" + second).then()
                .body("status", equalTo("SUSPENDED"));
        given().auth().oauth2(admin()).get(API + "/" + id + "/history").then()
                .body("[-1].details.grantIds", equalTo(List.of((int) second)));
        // nothing left to suspend: 409, nothing changes
        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 1, "reason", "再次暂停")).then()
                .statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(reviewer()).get(API + "/" + id).then().body("version", equalTo(1));
        // a grant named explicitly is still checked: already suspended is 409
        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 1, "reason", "再次暂停", "grantIds",
                List.of(first))).then().statusCode(409);
    }

    @Test
    void afterAReclassificationTheGrantsUnderTheNewCodeAreStillConcerned() {
        String a = "330000-01-02/900072";
        String b = "330000-02-01/900072";
        String consumer = "11330000002481230Y";
        Map<String, Object> doc = FakeCatalog.add("PUBLISHED", a, "测试改编目录", PROVIDER, "UNCONDITIONAL", "LEVEL_3",
                "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        replica.pollOnce();
        long grant = RequestWorkflowTest.file(operator(consumer), RequestWorkflowTest.body(a, List.of("GMSFHM", "XM")))
                .then().statusCode(201).body("status", equalTo("GRANTED")).extract().jsonPath().getLong("grantId");
        Map<String, Object> body = new HashMap<>(report("LEAK", null));
        body.put("resourceCode", a);
        long id = post(operator(PROVIDER), "", body).then().statusCode(201).extract().jsonPath().getLong("id");

        ReclassificationTest.reclassify(doc, a, b, 2);
        replica.pollOnce();
        given().auth().oauth2(admin()).get("/api/exchange/v1/grants/" + grant).then().body("resourceCode", equalTo(b));

        post(reviewer(), "/" + id + "/suspend-grants", Map.of("version", 0, "reason", "数据泄露，暂停使用",
                "grantIds", List.of(grant))).then().statusCode(200).body("suspendedGrantIds", equalTo(List.of((int) grant)));
        given().auth().oauth2(admin()).get("/api/exchange/v1/grants/" + grant).then()
                .body("status", equalTo("SUSPENDED"));
    }
}
