package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.common.identifiers.CreditCode;
import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Notice;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.ComplaintService;
import cn.onenet.exchange.service.CorrectionService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The requester of a correction request (PIPL 第四十六条) and the complainant of a complaint (R21) are told of each
 * change of it in their own inbox, {@code /me/notices}: nobody else reads those notices, and they name no civil
 * servant. A deadline the department misses is told once, to the requester and to the 主管部门.
 */
@QuarkusTest
class RequesterNoticeTest extends ExchangeTestBase {

    static final String MINE = "/api/exchange/v1/me/notices";
    static final String POLICE = DemoData.POLICE;
    static final String HR = DemoData.HUMAN_RESOURCES;

    @Inject
    TimeSource time;
    @Inject
    CorrectionService corrections;
    @Inject
    ComplaintService complaints;
    @Inject
    CalendarService calendar;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    /** A citizen's token: an account of its own and an ID number no other test uses. */
    static String citizen(String cnId) {
        return TestTokens.citizen("acct-" + UUID.randomUUID(), cnId, AUD);
    }

    /** An account of an enterprise (its uscc), at the citizens' view's real-name level. */
    static String enterprise(String sub, String uscc) {
        return TestTokens.custom(Map.of("sub", sub, "aud", AUD, "roles", List.of("enterprise"), "uscc", uscc,
                "account_type", "legal_person", "acr", "urn:onenet:loa:3"));
    }

    static String newCreditCode() {
        StringBuilder first17 = new StringBuilder("913300");
        for (int i = 0; i < 11; i++) {
            first17.append(ThreadLocalRandom.current().nextInt(10));
        }
        return first17 + String.valueOf(CreditCode.checkCharacter(first17.toString()));
    }

    static JsonPath notices(String token) {
        return given().auth().oauth2(token).get(MINE).then().statusCode(200).extract().jsonPath();
    }

    static long unread(String token) {
        return given().auth().oauth2(token).get(MINE + "/unread-count").then().statusCode(200).extract().jsonPath()
                .getLong("unread");
    }

    /** The notices about one request or complaint of the given kind (requester's, else everybody's). */
    static long stored(String kind, String subjectType, long id, boolean requesters) {
        return QuarkusTransaction.requiringNew().call(() -> Notice.count("kind = ?1 and subjectType = ?2 "
                + "and subjectId = ?3 and subjectHash is " + (requesters ? "not null" : "null"), kind, subjectType,
                id));
    }

    /** HR looks the citizen up (logged, found or not); the citizen complains about that access (201). */
    static Response complainOfALookup(String cnId, String token) {
        String rid = "ntc-" + UUID.randomUUID();
        UsageLogTest.lookup(FakeCatalog.POPULATION, cnId, rid);
        Response filed = ComplaintTest.fileComplaint(token, Map.of("requestId", rid,
                "description", "本人与该部门无业务往来，为何查询本人身份证号"));
        filed.then().statusCode(201);
        return filed;
    }

    @Test
    void theRequesterIsToldOfTheAnswerAndNobodyElseReadsIt() {
        String wangId = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String wang = citizen(wangId);
        String liu = citizen(CitizenSeesLookupsThatFoundNothingTest.idIn("330106"));
        long id = CorrectionTest.file(wang, null, CorrectionTest.address("文三路 98 号")).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        // filing is the requester's own act: nothing to tell it yet
        assertEquals(List.of(), notices(wang).getList("id"));
        assertEquals(0, unread(wang));

        CorrectionTest.answer(operator(POLICE), id, Map.of("version", 0, "outcome", "NOT_CORRECTED",
                "reason", "登记地址与迁入档案一致", "legalBasis", "《中华人民共和国户口登记条例》第十七条")).then()
                .statusCode(200);
        Response listed = given().auth().oauth2(wang).get(MINE);
        listed.then().statusCode(200).body("size()", equalTo(1)).body("[0].kind", equalTo("CORRECTION_ANSWERED"))
                .body("[0].subjectType", equalTo("CORRECTION")).body("[0].subjectId", equalTo((int) id))
                .body("[0].read", equalTo(false)).body("[0].message", containsString("不予更正"))
                .body("[0].message", containsString("登记地址与迁入档案一致"))
                .body("[0].message", containsString("《中华人民共和国户口登记条例》第十七条"))
                .body("[0].message", containsString("居民户籍信息"));
        // no civil servant's account, not the requester's own number
        assertFalse(listed.asString().contains("op-" + POLICE), listed.asString());
        assertFalse(listed.asString().contains(wangId), listed.asString());
        long notice = listed.jsonPath().getLong("[0].id");
        assertEquals(1, unread(wang));
        given().auth().oauth2(wang).get(MINE + "?unread=true").then().body("id", equalTo(List.of((int) notice)));

        // another citizen neither lists, counts nor marks it
        assertFalse(notices(liu).getList("id").contains((int) notice));
        assertEquals(0, unread(liu));
        given().auth().oauth2(liu).post(MINE + "/" + notice + "/read").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(liu).contentType(ContentType.JSON).body(Map.of("upTo", notice)).post(MINE + "/read")
                .then().statusCode(400).body("field", equalTo("upTo"));
        assertEquals(1, unread(wang));
        // nor does any department's or the 主管部门's inbox hold it
        for (String staff : List.of(operator(POLICE), reviewer(), admin(), auditor())) {
            given().auth().oauth2(staff).get("/api/exchange/v1/notices").then().statusCode(200)
                    .body("id", not(hasItem((int) notice)));
            given().auth().oauth2(staff).post("/api/exchange/v1/notices/" + notice + "/read").then().statusCode(404);
        }

        // read by the requester, for its account only: the same person's other account still has it unread
        given().auth().oauth2(wang).post(MINE + "/" + notice + "/read").then().statusCode(204);
        given().auth().oauth2(wang).post(MINE + "/" + notice + "/read").then().statusCode(204);
        assertEquals(0, unread(wang));
        given().auth().oauth2(wang).get(MINE).then().body("[0].read", equalTo(true));
        given().auth().oauth2(wang).get(MINE + "?unread=true").then().body("size()", equalTo(0));
        String wangElsewhere = citizen(wangId);
        assertEquals(1, unread(wangElsewhere));
        given().auth().oauth2(wangElsewhere).contentType(ContentType.JSON).body(Map.of("upTo", notice))
                .post(MINE + "/read").then().statusCode(200).body("marked", equalTo(1)).body("unread", equalTo(0));
        given().auth().oauth2(wangElsewhere).contentType(ContentType.JSON).body(Map.of("upTo", notice))
                .post(MINE + "/read").then().statusCode(200).body("marked", equalTo(0));
    }

    @Test
    void onlyCitizensAndEnterprisesReadTheirOwnAndBadInputIsNamed() {
        String wang = citizen(CitizenSeesLookupsThatFoundNothingTest.idIn("330106"));
        given().auth().oauth2(wang).get(MINE + "?unread=maybe").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("unread"));
        given().auth().oauth2(wang).post(MINE + "/abc/read").then().statusCode(400).body("field", equalTo("id"));
        given().auth().oauth2(wang).post(MINE + "/0/read").then().statusCode(400).body("field", equalTo("id"));
        given().auth().oauth2(wang).post(MINE + "/987654321/read").then().statusCode(404);
        given().auth().oauth2(wang).contentType(ContentType.JSON).body(Map.of()).post(MINE + "/read").then()
                .statusCode(400).body("field", equalTo("upTo"));
        given().auth().oauth2(wang).contentType(ContentType.JSON).body("{\"upTo\": ").post(MINE + "/read").then()
                .statusCode(400).contentType("application/problem+json");
        // staff have their department's inbox, not this one
        for (String staff : List.of(operator(POLICE), reviewer(), admin(), auditor(), system(POLICE))) {
            given().auth().oauth2(staff).get(MINE).then().statusCode(403);
            given().auth().oauth2(staff).get(MINE + "/unread-count").then().statusCode(403);
            given().auth().oauth2(staff).post(MINE + "/1/read").then().statusCode(403);
        }
        // a citizen has no department inbox
        given().auth().oauth2(wang).get("/api/exchange/v1/notices").then().statusCode(403);
        // below the citizens' view's real-name level, or without a number: 403; without a token 401
        String selfRegistered = TestTokens.custom(Map.of("sub", "wang-l2", "aud", AUD, "roles", List.of("citizen"),
                "cn_id", CorrectionTest.WANG_ID, "account_type", "natural_person", "acr", "urn:onenet:loa:2"));
        given().auth().oauth2(selfRegistered).get(MINE).then().statusCode(403)
                .body("requiredAcr", equalTo("urn:onenet:loa:3"));
        String noNumber = TestTokens.custom(Map.of("sub", "nobody", "aud", AUD, "roles", List.of("citizen"),
                "account_type", "natural_person", "acr", "urn:onenet:loa:3"));
        given().auth().oauth2(noNumber).get(MINE).then().statusCode(403);
        given().when().get(MINE).then().statusCode(401);
        given().when().post(MINE + "/1/read").then().statusCode(401);
    }

    /** The deadline missed: the enterprise and the 主管部门 told once, however often the escalation runs. */
    @Test
    void aMissedDeadlineIsToldOnceToTheRequesterAndTheAuthorityThenTheAnswer() {
        String uscc = newCreditCode();
        String legalRepresentative = enterprise("ent-lr-" + UUID.randomUUID(), uscc);
        String agent = enterprise("ent-agent-" + UUID.randomUUID(), uscc);
        Response filed = CorrectionTest.file(legalRepresentative, null, Map.of("resourceCode",
                FakeCatalog.ENTERPRISES, "item", "ZCZB", "correctValue", "500 万元"));
        filed.then().statusCode(201);
        long id = filed.jsonPath().getLong("id");
        LocalDate due = LocalDate.parse(filed.jsonPath().getString("dueOn"));

        // on the deadline nobody is told
        time.set(Clock.fixed(due.atStartOfDay(TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        corrections.escalateOverdue();
        assertEquals(0, stored("CORRECTION_OVERDUE", "CORRECTION", id, true));
        // the day after, three runs: one notice to the enterprise, one to the 主管部门
        time.set(Clock.fixed(due.plusDays(1).atStartOfDay(TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        corrections.escalateOverdue();
        corrections.escalateOverdue();
        corrections.escalateOverdue();
        assertEquals(1, stored("CORRECTION_OVERDUE", "CORRECTION", id, true));
        assertEquals(1, stored("CORRECTION_OVERDUE", "CORRECTION", id, false));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/notices").then()
                .body("findAll { it.kind == 'CORRECTION_OVERDUE' && it.subjectId == " + id + " }.size()",
                        equalTo(1));
        // every account acting for the enterprise reads it
        for (String account : List.of(legalRepresentative, agent)) {
            given().auth().oauth2(account).get(MINE).then().statusCode(200)
                    .body("findAll { it.subjectId == " + id + " }.kind", equalTo(List.of("CORRECTION_OVERDUE")))
                    .body("[0].message", containsString(due.toString()))
                    .body("[0].message", containsString("主管部门督办"));
        }
        // the requester's history still names the 主管部门 the request went to, not its own notice's addressee
        String told = QuarkusTransaction.requiringNew().call(() -> Notice.find("kind = 'CORRECTION_OVERDUE' "
                + "and subjectType = 'CORRECTION' and subjectId = ?1 and subjectHash is null", id)
                .<Notice>firstResult().departmentCode);
        assertNotNull(told);
        given().auth().oauth2(legalRepresentative).get(CorrectionTest.ME + "/" + id + "/history").then()
                .statusCode(200).body("find { it.action == 'ESCALATE_OVERDUE' }.department.code", equalTo(told));

        // the answer after the deadline: told again, once, with the outcome
        try (var upload = CorrectedUpload.of(FakeCatalog.ENTERPRISES, uscc, "ZCZB")) {
            CorrectionTest.answer(operator(DemoData.MARKET), id, Map.of("version", 0, "outcome", "CORRECTED",
                    "reason", "注册资本已按变更登记更正")).then().statusCode(200);
        }
        corrections.escalateOverdue();
        given().auth().oauth2(agent).get(MINE).then()
                .body("findAll { it.subjectId == " + id + " }.kind",
                        equalTo(List.of("CORRECTION_ANSWERED", "CORRECTION_OVERDUE")))
                .body("[0].message", containsString("已更正")).body("[0].message", containsString("注册资本已按变更登记更正"));
        assertEquals(1, stored("CORRECTION_OVERDUE", "CORRECTION", id, true));
        assertEquals(1, stored("CORRECTION_ANSWERED", "CORRECTION", id, true));
        // another enterprise reads none of it
        given().auth().oauth2(enterprise("ent-other", newCreditCode())).get(MINE).then().statusCode(200)
                .body("subjectId", not(hasItem((int) id)));
    }

    /** R21: the complainant is told of the department's explanation and of the 主管部门's decision. */
    @Test
    void theComplainantIsToldOfTheExplanationAndTheDecision() {
        String id = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String me = citizen(id);
        long complaint = complainOfALookup(id, me).jsonPath().getLong("id");
        assertEquals(0, unread(me));

        given().auth().oauth2(operator(HR)).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "系办理养老保险待遇资格认证时核验身份"))
                .post("/api/exchange/v1/complaints/" + complaint + "/answer").then().statusCode(200);
        given().auth().oauth2(me).get(MINE).then().body("size()", equalTo(1))
                .body("[0].kind", equalTo("COMPLAINT_ANSWERED")).body("[0].subjectType", equalTo("COMPLAINT"))
                .body("[0].subjectId", equalTo((int) complaint))
                .body("[0].message", containsString("系办理养老保险待遇资格认证时核验身份"));

        Response decided = given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 1, "reason", "查询系办理本人申请的社保业务所需，符合授权用途"))
                .post("/api/exchange/v1/complaints/" + complaint + "/dismiss");
        decided.then().statusCode(200);
        Response listed = given().auth().oauth2(me).get(MINE);
        listed.then().body("kind", equalTo(List.of("COMPLAINT_DISMISSED", "COMPLAINT_ANSWERED")))
                .body("[0].message", containsString("不成立"))
                .body("[0].message", containsString("查询系办理本人申请的社保业务所需，符合授权用途"));
        // neither the department's operator nor the reviewer who decided is named
        assertFalse(listed.asString().contains("op-" + HR), listed.asString());
        assertFalse(listed.asString().contains("reviewer-1"), listed.asString());
        assertEquals(2, unread(me));
        // another citizen reads none of it
        given().auth().oauth2(citizen(CitizenSeesLookupsThatFoundNothingTest.idIn("330106"))).get(MINE).then()
                .body("subjectId", not(hasItem((int) complaint)));
    }

    /** Unexplained after the deadline: the complainant told once; then the 主管部门 upholds it. */
    @Test
    void anOverdueComplaintIsToldOnceAndItsUpholdingToo() {
        String id = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String me = citizen(id);
        Response filed = complainOfALookup(id, me);
        long complaint = filed.jsonPath().getLong("id");
        LocalDate due = LocalDate.parse(filed.jsonPath().getString("dueOn"));

        time.set(Clock.fixed(due.plusDays(1).atStartOfDay(TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        complaints.escalateOverdue();
        complaints.escalateOverdue();
        assertEquals(1, stored("COMPLAINT_OVERDUE", "COMPLAINT", complaint, true));
        assertEquals(1, stored("COMPLAINT_OVERDUE", "COMPLAINT", complaint, false));
        given().auth().oauth2(me).get(MINE).then().body("kind", equalTo(List.of("COMPLAINT_OVERDUE")))
                .body("[0].message", containsString(due.toString()));

        given().auth().oauth2(reviewer()).contentType(ContentType.JSON)
                .body(Map.of("version", 0, "reason", "查询超出授权用途，投诉成立"))
                .post("/api/exchange/v1/complaints/" + complaint + "/uphold").then().statusCode(200)
                .body("status", equalTo("UPHELD"));
        complaints.escalateOverdue();
        JsonPath mine = notices(me);
        assertEquals(List.of("COMPLAINT_UPHELD", "COMPLAINT_OVERDUE"), mine.getList("kind"));
        assertTrue(mine.getString("[0].message").contains("查询超出授权用途，投诉成立"), mine.getString("[0].message"));
    }

    /** The calendar moves the complaint's deadline: the complainant learns the new date, once. */
    @Test
    void aDeadlineMovedByTheCalendarIsToldToTheComplainant() {
        calendar.check();
        String id = CitizenSeesLookupsThatFoundNothingTest.idIn("330106");
        String me = citizen(id);
        Response filed = complainOfALookup(id, me);
        long complaint = filed.jsonPath().getLong("id");
        String due = filed.jsonPath().getString("dueOn");
        try {
            // an admin makes the due day itself a holiday: the explanation is due a working day later at least
            FakeCatalog.putCalendarDay(due, "holiday", "临时调整");
            calendar.check();
            String moved = given().auth().oauth2(me).get("/api/exchange/v1/complaints/" + complaint).then()
                    .statusCode(200).extract().path("dueOn");
            assertTrue(LocalDate.parse(moved).isAfter(LocalDate.parse(due)), moved);
            calendar.check();
            given().auth().oauth2(me).get(MINE).then().statusCode(200)
                    .body("kind", equalTo(List.of("DEADLINE_RECOUNTED")))
                    .body("[0].subjectType", equalTo("COMPLAINT")).body("[0].subjectId", equalTo((int) complaint))
                    .body("[0].message", containsString(due)).body("[0].message", containsString(moved));
            assertEquals(1, stored("DEADLINE_RECOUNTED", "COMPLAINT", complaint, true));
        } finally {
            FakeCatalog.removeCalendarDay(due);
            calendar.check();
        }
    }
}
