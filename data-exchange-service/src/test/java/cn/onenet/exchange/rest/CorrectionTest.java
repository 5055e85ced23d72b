package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.model.Correction;
import cn.onenet.exchange.model.StateChange;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.CorrectionService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * 个人信息更正补充申请 (PIPL 第四十六条): a citizen or an enterprise asks the 数源部门 of a catalogue entry to correct
 * data about it; the provider answers within its working days; overdue requests escalate to the 主管部门.
 */
@QuarkusTest
class CorrectionTest extends ExchangeTestBase {

    static final String POLICE = DemoData.POLICE; // 数源部门 of 居民户籍信息
    static final String WANG_ID = "330282196509230044";
    static final String LIU_ID = "330110200102150052";
    static final String ME = "/api/exchange/v1/me/corrections";
    static final String STAFF = "/api/exchange/v1/corrections";

    @Inject
    TimeSource time;
    @Inject
    CalendarService calendar;
    @Inject
    CorrectionService corrections;

    @AfterEach
    void realClock() {
        time.set(null);
    }

    static String citizen(String sub, String id) {
        return ComplaintTest.citizen(sub, id);
    }

    /** The demo enterprise's account (uscc, real-name level L3). */
    static String enterprise() {
        return ComplaintTest.enterprise();
    }

    static Response file(String token, String key, Map<String, Object> body) {
        var spec = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
        return (key == null ? spec : spec.header("Idempotency-Key", key)).post(ME);
    }

    static Map<String, Object> address(String correctValue) {
        return Map.of("resourceCode", FakeCatalog.POPULATION, "item", "HJDZ", "currentValue", "文三路 90 号",
                "correctValue", correctValue, "description", "门牌号登记错误，户口簿记载为 98 号");
    }

    static Response answer(String token, long id, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post(STAFF + "/" + id + "/answer");
    }

    @Test
    void aCitizenAsksTheProviderCorrectsAndOnlyTheCitizenAndStaffSeeIt() {
        String wang = citizen("wang", WANG_ID);
        String key = "corr-" + UUID.randomUUID();
        Response filed = file(wang, key, address("文三路 98 号"));
        filed.then().statusCode(201).body("status", equalTo("OPEN")).body("requesterType", equalTo("CITIZEN"))
                .body("providerDepartmentCode", equalTo(POLICE)).body("resourceName", equalTo("居民户籍信息"))
                .body("item", equalTo("HJDZ")).body("itemName", equalTo("户籍地址"))
                .body("correctValue", equalTo("文三路 98 号")).body("requester", nullValue())
                .body("regionCode", equalTo("330000"))
                .body("dueOn", equalTo(calendar.calendar().addWorkingDays(time.today(), 10).toString()));
        long id = filed.jsonPath().getLong("id");
        assertEquals(ME + "/" + id, java.net.URI.create(filed.header("Location")).getPath());
        assertFalse(filed.asString().contains(WANG_ID), filed.asString());
        // the person is kept as a keyed digest, never the number
        Correction stored = QuarkusTransaction.requiringNew().call(() -> Correction.findById(id));
        assertFalse(stored.subjectHash.contains(WANG_ID));
        assertEquals(64, stored.subjectHash.length());
        assertEquals(WANG_ID, stored.subjectIdentifier);

        // the same key again: the same request, nothing new; with another body 422
        long before = QuarkusTransaction.requiringNew().call(() -> Correction.count());
        file(wang, key, address("文三路 98 号")).then().statusCode(201).body("id", equalTo((int) id));
        file(wang, key, address("文三路 99 号")).then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("Idempotency-Key"));
        assertEquals(before, QuarkusTransaction.requiringNew().call(() -> Correction.count()));

        // the citizen sees its own; another citizen neither reads nor lists it
        given().auth().oauth2(wang).get(ME + "/" + id).then().statusCode(200).body("status", equalTo("OPEN"));
        given().auth().oauth2(wang).get(ME).then().statusCode(200).body("id", hasItem((int) id));
        String liu = citizen("liu", LIU_ID);
        given().auth().oauth2(liu).get(ME + "/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(liu).get(ME).then().statusCode(200).body("id", not(hasItem((int) id)));
        // citizens do not use the staff endpoints
        given().auth().oauth2(wang).get(STAFF + "/" + id).then().statusCode(403);
        given().auth().oauth2(wang).get(STAFF).then().statusCode(403);
        given().auth().oauth2(wang).get(STAFF + "/" + id + "/history").then().statusCode(403);
        answer(wang, id, Map.of("version", 0, "outcome", "CORRECTED", "reason", "x")).then().statusCode(403);

        // the provider department sees whose record it is (to find it), not the account, and is told
        Response forProvider = given().auth().oauth2(operator(POLICE)).get(STAFF + "/" + id);
        forProvider.then().statusCode(200).body("requester", nullValue()).body("subjectIdentifier", equalTo(WANG_ID));
        given().auth().oauth2(operator(POLICE)).get(STAFF).then().statusCode(200)
                .body("find { it.id == " + id + " }.subjectIdentifier", equalTo(WANG_ID));
        given().auth().oauth2(operator(POLICE)).get(STAFF).then().statusCode(200).body("id", hasItem((int) id));
        Response providerHistory = given().auth().oauth2(operator(POLICE)).get(STAFF + "/" + id + "/history");
        providerHistory.then().statusCode(200).body("[0].action", equalTo("FILE"))
                .body("[0].objectType", equalTo("CORRECTION")).body("[0].actor.subject", nullValue())
                .body("[0].actor.role", equalTo("citizen"));
        // the account id nowhere for the provider; the number only in the request itself, not in its history
        for (String body : List.of(forProvider.asString(), providerHistory.asString())) {
            assertFalse(body.contains("\"wang\""), body);
        }
        assertFalse(providerHistory.asString().contains(WANG_ID), providerHistory.asString());
        given().auth().oauth2(operator(POLICE)).get("/api/exchange/v1/notices").then()
                .body("findAll { it.kind == 'CORRECTION_FILED' }.subjectId", hasItem((int) id))
                .body("find { it.kind == 'CORRECTION_FILED' && it.subjectId == " + id + " }.message",
                        containsString(" / correction request"));
        // another department neither reads, lists nor answers it
        given().auth().oauth2(operator(DemoData.MARKET)).get(STAFF + "/" + id).then().statusCode(404);
        given().auth().oauth2(operator(DemoData.MARKET)).get(STAFF + "/" + id + "/history").then().statusCode(404);
        given().auth().oauth2(operator(DemoData.MARKET)).get(STAFF).then().statusCode(200)
                .body("id", not(hasItem((int) id)));
        // not even by answering: the same 404 as an id that does not exist, the provider not named
        Response otherAnswers = answer(operator(DemoData.MARKET), id,
                Map.of("version", 0, "outcome", "CORRECTED", "reason", "x"));
        otherAnswers.then().statusCode(404).contentType("application/problem+json");
        assertFalse(otherAnswers.asString().contains(POLICE), otherAnswers.asString());
        // the 主管部门 reads it with the requester's account id; a reviewer of another region does not
        given().auth().oauth2(reviewer()).get(STAFF + "/" + id).then().statusCode(200)
                .body("requester", equalTo("wang")).body("subjectIdentifier", nullValue());
        given().auth().oauth2(reviewer()).get(STAFF + "/" + id + "/history").then().statusCode(200)
                .body("[0].actor.subject", equalTo("wang"));
        given().auth().oauth2(auditor()).get(STAFF).then().statusCode(200).body("id", hasItem((int) id));
        given().auth().oauth2(admin()).get(STAFF + "/" + id).then().statusCode(200);
        String otherRegion = reviewerIn("reviewer-hz", "11330100002481090X", "330100");
        given().auth().oauth2(otherRegion).get(STAFF + "/" + id).then().statusCode(404);
        given().auth().oauth2(otherRegion).get(STAFF).then().statusCode(200).body("id", not(hasItem((int) id)));
        // reviewers, admins and auditors read; only the provider's operators answer
        for (String staff : List.of(reviewer(), admin(), auditor())) {
            answer(staff, id, Map.of("version", 0, "outcome", "CORRECTED", "reason", "x")).then().statusCode(403);
        }

        // bad answers name the field; a stale version is 409
        answer(operator(POLICE), id, Map.of("outcome", "CORRECTED", "reason", "x")).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("version"));
        answer(operator(POLICE), id, Map.of("version", 0, "outcome", "FIXED", "reason", "x")).then().statusCode(400)
                .body("field", equalTo("outcome"));
        answer(operator(POLICE), id, Map.of("version", 0, "reason", "x")).then().statusCode(400)
                .body("field", equalTo("outcome"));
        answer(operator(POLICE), id, Map.of("version", 0, "outcome", "CORRECTED", "reason", " ")).then()
                .statusCode(400).body("field", equalTo("reason"));
        // named in words: the API names stand in errors[].field
        answer(operator(POLICE), id, Map.of("version", 0, "outcome", "NOT_CORRECTED", "reason", "登记无误")).then()
                .statusCode(400).body("field", equalTo("legalBasis")).body("errors.field", hasItem("explanation"))
                .body("detail", startsWith("不予更正须写明法律依据或核实说明 / "))
                .body("detail", not(containsString("legalBasis")));
        answer(operator(POLICE), id, Map.of("version", 0, "outcome", "CORRECTED", "reason", "x",
                "legalBasis", "x".repeat(1001))).then().statusCode(400).body("field", equalTo("legalBasis"));
        answer(operator(POLICE), id, Map.of("version", 3, "outcome", "CORRECTED", "reason", "x")).then()
                .statusCode(409).contentType("application/problem+json").body("currentVersion", equalTo(0));
        // 已更正 while the hosted record still holds what it held at filing: 409 naming the item, nothing changed
        answer(operator(POLICE), id, Map.of("version", 0, "outcome", "CORRECTED",
                "reason", "经核对户籍档案，门牌号录入有误，已更正为 98 号")).then().statusCode(409)
                .contentType("application/problem+json").body("detail", startsWith("记录尚未更正：请先上传更正后的数据"))
                .body("detail", containsString("数据项 HJDZ")).body("item", equalTo("HJDZ"))
                .body("field", equalTo("outcome")).body("requestId", not(nullValue()));
        given().auth().oauth2(wang).get(ME + "/" + id).then().body("status", equalTo("OPEN"))
                .body("version", equalTo(0));
        try (var upload = CorrectedUpload.of(FakeCatalog.POPULATION, WANG_ID, "HJDZ")) {
            answer(operator(POLICE), id, Map.of("version", 0, "outcome", "CORRECTED",
                    "reason", "经核对户籍档案，门牌号录入有误，已更正为 98 号")).then().statusCode(200)
                    .body("status", equalTo("CORRECTED")).body("version", equalTo(1))
                    .body("explanation", nullValue());
        }
        // answered once: the old version is stale, the new one an illegal transition
        answer(operator(POLICE), id, Map.of("version", 0, "outcome", "SUPPLEMENTED", "reason", "x")).then()
                .statusCode(409);
        answer(operator(POLICE), id, Map.of("version", 1, "outcome", "SUPPLEMENTED", "reason", "x")).then()
                .statusCode(409).contentType("application/problem+json");

        // the requester sees the outcome in its own view
        given().auth().oauth2(wang).get(ME + "/" + id).then().statusCode(200).body("status", equalTo("CORRECTED"))
                .body("reason", equalTo("经核对户籍档案，门牌号录入有误，已更正为 98 号"));
        given().auth().oauth2(wang).get(ME).then().body("find { it.id == " + id + " }.status", equalTo("CORRECTED"));
        given().auth().oauth2(reviewer()).get(STAFF + "/" + id + "/history").then()
                .body("action", equalTo(List.of("FILE", "ANSWER")))
                .body("toStatus", equalTo(List.of("OPEN", "CORRECTED"))).body("[1].decision", equalTo(true))
                .body("[1].actor.subject", equalTo("op-" + POLICE));
        List<StateChange> rows = QuarkusTransaction.requiringNew().call(
                () -> StateChange.list("objectType = 'CORRECTION' and objectId = ?1 order by id", id));
        assertEquals(List.of("FILE", "ANSWER"), rows.stream().map(r -> r.action).toList());
        given().auth().oauth2(reviewer()).get(STAFF + "?status=CORRECTED").then().statusCode(200)
                .body("id", hasItem((int) id)).body("status", not(hasItem("OPEN")));
    }

    @Test
    void onlyAnEntryHoldingTheRequestersKindOfIdentifierCanBeAskedToCorrect() {
        // 土地利用现状数据: land parcels, no identifier of anyone
        String land = "330000-01-03/905631";
        FakeCatalog.add("PUBLISHED", land, "土地利用现状数据", "11330000002481030B", "UNCONDITIONAL", "LEVEL_1", "TBBH",
                List.of(Map.of("code", "TBBH", "name", "图斑编号", "sensitive", false),
                        Map.of("code", "DLMC", "name", "地类名称", "sensitive", false)));
        replica.pollOnce();
        long before = QuarkusTransaction.requiringNew().call(() -> Correction.count());
        String wang = citizen("wang", WANG_ID);
        file(wang, null, Map.of("resourceCode", land, "item", "DLMC", "correctValue", "耕地")).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("resourceCode"));
        // keyed by an enterprise's code: not a natural person's data; and a population entry is not an enterprise's
        file(wang, null, Map.of("resourceCode", FakeCatalog.ENTERPRISES, "item", "QYMC", "correctValue", "某某公司"))
                .then().statusCode(400).body("field", equalTo("resourceCode"));
        file(enterprise(), null, address("文三路 98 号")).then().statusCode(400).body("field", equalTo("resourceCode"));
        file(enterprise(), null, Map.of("resourceCode", land, "item", "DLMC", "correctValue", "耕地")).then()
                .statusCode(400).body("field", equalTo("resourceCode"));
        assertEquals(before, QuarkusTransaction.requiringNew().call(() -> Correction.count()));
        // an entry naming its subject by an owner's 证件号码 (keyed by the property unit) serves both kinds
        String property = "330000-01-03/905632";
        FakeCatalog.add("PUBLISHED", property, "测试不动产单元目录", "11330000MB00000591", "CONDITIONAL", "LEVEL_3",
                "BDCDYH", List.of(Map.of("code", "BDCDYH", "name", "不动产单元号", "sensitive", false),
                        Map.of("code", "QLRZJHM", "name", "权利人证件号码", "sensitive", true),
                        Map.of("code", "ZL", "name", "坐落", "sensitive", false)));
        replica.pollOnce();
        file(wang, null, Map.of("resourceCode", property, "item", "ZL", "correctValue", "慈溪市浒山街道 23 号")).then()
                .statusCode(201);
        file(enterprise(), null, Map.of("resourceCode", property, "item", "ZL", "correctValue", "x")).then()
                .statusCode(201);
    }

    @Test
    void badInputNamesTheFieldAndFilesNothing() {
        String wang = citizen("wang", WANG_ID);
        long before = QuarkusTransaction.requiringNew().call(() -> Correction.count());
        // another issuer's token whose cn_id is no 18-character number: refused, not stored cut or failing
        file(citizen("long-id", "33028219650923004400"), null, address("文三路 98 号")).then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("cn_id"));
        file(wang, null, Map.of("item", "HJDZ", "correctValue", "x")).then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("resourceCode"));
        file(wang, null, Map.of("resourceCode", "330000-99-99/999999", "item", "HJDZ", "correctValue", "x")).then()
                .statusCode(400).body("field", equalTo("resourceCode"))
                .body("detail", containsString("330000-99-99/999999"));
        file(wang, null, Map.of("resourceCode", FakeCatalog.POPULATION, "item", "SHOE_SIZE", "correctValue", "x"))
                .then().statusCode(400).body("field", equalTo("item")).body("items", hasItem("HJDZ"))
                .body("detail", containsString("HJDZ"));
        file(wang, null, Map.of("resourceCode", FakeCatalog.POPULATION, "correctValue", "x")).then().statusCode(400)
                .body("field", equalTo("item"));
        file(wang, null, Map.of("resourceCode", FakeCatalog.POPULATION, "item", "HJDZ", "currentValue", "x"))
                .then().statusCode(400).body("field", equalTo("correctValue"))
                .body("errors.field", hasItem("description"));
        file(wang, null, Map.of("resourceCode", FakeCatalog.POPULATION, "item", "HJDZ", "description", " ",
                "correctValue", "")).then().statusCode(400).body("field", equalTo("correctValue"));
        file(wang, null, Map.of("resourceCode", FakeCatalog.POPULATION, "item", "HJDZ",
                "description", "x".repeat(2001))).then().statusCode(400).body("field", equalTo("description"));
        file(wang, null, Map.of("resourceCode", FakeCatalog.POPULATION, "item", "HJDZ", "correctValue", "x",
                "evidence", "x".repeat(2001))).then().statusCode(400).body("field", equalTo("evidence"));
        given().auth().oauth2(wang).contentType(ContentType.JSON).body("{\"resourceCode\": ").post(ME).then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(wang).get(ME + "?size=0").then().statusCode(400).body("field", equalTo("size"));
        given().auth().oauth2(reviewer()).get(STAFF + "?status=NOPE").then().statusCode(400)
                .body("field", equalTo("status"));
        given().auth().oauth2(reviewer()).get(STAFF + "?overdue=maybe").then().statusCode(400)
                .body("field", equalTo("overdue"));
        given().auth().oauth2(reviewer()).get(STAFF + "/abc").then().statusCode(400)
                .body("field", equalTo("id"));
        given().auth().oauth2(reviewer()).get(STAFF + "/987654321").then().statusCode(404);
        answer(operator(POLICE), 987654321L, Map.of("version", 0, "outcome", "CORRECTED", "reason", "x")).then()
                .statusCode(404);

        // only citizens and enterprises, at the citizens' view's real-name level, file
        file(operator(POLICE), null, address("文三路 98 号")).then().statusCode(403);
        given().auth().oauth2(operator(POLICE)).get(ME).then().statusCode(403);
        given().auth().oauth2(reviewer()).get(ME + "/1").then().statusCode(403);
        String selfRegistered = TestTokens.custom(Map.of("sub", "wang-l2", "aud", AUD, "roles", List.of("citizen"),
                "cn_id", WANG_ID, "account_type", "natural_person", "acr", "urn:onenet:loa:2"));
        file(selfRegistered, null, address("文三路 98 号")).then().statusCode(403)
                .body("requiredAcr", equalTo("urn:onenet:loa:3"));
        given().auth().oauth2(selfRegistered).get(ME).then().statusCode(403);
        String noNumber = TestTokens.custom(Map.of("sub", "nobody", "aud", AUD, "roles", List.of("citizen"),
                "account_type", "natural_person", "acr", "urn:onenet:loa:3"));
        file(noNumber, null, address("文三路 98 号")).then().statusCode(403);
        given().auth().oauth2(noNumber).get(ME).then().statusCode(403);
        given().when().get(ME).then().statusCode(401);
        assertEquals(before, QuarkusTransaction.requiringNew().call(() -> Correction.count()));

        // the person is the token's: a body naming a person is refused naming the field, and nothing is filed
        for (Map.Entry<String, String> person : Map.of("cnId", LIU_ID, "uscc", DemoData.ENTERPRISE).entrySet()) {
            Map<String, Object> withId = new HashMap<>(address("文三路 98 号"));
            withId.put(person.getKey(), person.getValue());
            file(wang, null, withId).then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(person.getKey()));
        }
        assertEquals(before, QuarkusTransaction.requiringNew().call(() -> Correction.count()));
        long id = file(wang, null, address("文三路 98 号")).then().statusCode(201)
                .body("requesterType", equalTo("CITIZEN")).extract().jsonPath().getLong("id");
        given().auth().oauth2(wang).get(ME + "/" + id).then().statusCode(200);
        given().auth().oauth2(citizen("liu", LIU_ID)).get(ME + "/" + id).then().statusCode(404);
        given().auth().oauth2(enterprise()).get(ME + "/" + id).then().statusCode(404);
    }

    @Test
    void unansweredAfterTheDeadlineItIsEscalatedToTheAuthorityOnce() {
        Response filed = file(enterprise(), null, Map.of("resourceCode", FakeCatalog.ENTERPRISES, "item", "ZCZB",
                "correctValue", "500 万元", "evidence", "2025 年增资变更登记通知书"));
        filed.then().statusCode(201).body("requesterType", equalTo("ENTERPRISE"))
                .body("providerDepartmentCode", equalTo(DemoData.MARKET));
        long id = filed.jsonPath().getLong("id");
        LocalDate due = LocalDate.parse(filed.jsonPath().getString("dueOn"));
        assertEquals(calendar.calendar().addWorkingDays(time.today(), 10), due);
        given().auth().oauth2(enterprise()).get(ME + "/" + id).then().statusCode(200);
        given().auth().oauth2(citizen("wang", WANG_ID)).get(ME + "/" + id).then().statusCode(404);

        // on the deadline it is not overdue yet
        time.set(Clock.fixed(due.atStartOfDay(TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        corrections.escalateOverdue();
        given().auth().oauth2(reviewer()).get(STAFF + "/" + id).then().body("overdue", equalTo(false))
                .body("escalated", equalTo(false));
        given().auth().oauth2(reviewer()).get(STAFF + "?overdue=true").then().body("id", not(hasItem((int) id)));

        // the day after: listed as overdue, escalated once without changing the version, the 主管部门 told
        time.set(Clock.fixed(due.plusDays(1).atStartOfDay(TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        given().auth().oauth2(reviewer()).get(STAFF + "?overdue=true").then().statusCode(200)
                .body("id", hasItem((int) id)).body("find { it.id == " + id + " }.overdue", equalTo(true));
        given().auth().oauth2(operator(DemoData.MARKET)).get(STAFF + "?overdue=true&status=OPEN").then()
                .body("id", hasItem((int) id));
        corrections.escalateOverdue();
        corrections.escalateOverdue();
        given().auth().oauth2(reviewer()).get(STAFF + "/" + id).then().body("escalated", equalTo(true))
                .body("version", equalTo(0));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/notices").then()
                .body("findAll { it.kind == 'CORRECTION_OVERDUE' }.subjectId", hasItem((int) id));
        given().auth().oauth2(admin()).get(STAFF + "/" + id + "/history").then()
                .body("action", equalTo(List.of("FILE", "ESCALATE_OVERDUE")))
                .body("[1].automatic", equalTo(true)).body("[1].actor.role", equalTo("scheduler"));

        // the answer sent with the version read before the escalation is accepted; the 主管部门 is told
        answer(operator(DemoData.MARKET), id, Map.of("version", 0, "outcome", "NOT_CORRECTED",
                "reason", "注册资本以登记机关核准的变更登记为准，尚未办理变更登记",
                "legalBasis", "《中华人民共和国市场主体登记管理条例》第二十四条")).then().statusCode(200)
                .body("status", equalTo("NOT_CORRECTED")).body("escalated", equalTo(true))
                .body("legalBasis", equalTo("《中华人民共和国市场主体登记管理条例》第二十四条"));
        given().auth().oauth2(reviewer()).get("/api/exchange/v1/notices").then()
                .body("findAll { it.kind == 'CORRECTION_ANSWERED' }.subjectId", hasItem((int) id));
        given().auth().oauth2(enterprise()).get(ME).then()
                .body("find { it.id == " + id + " }.status", equalTo("NOT_CORRECTED"))
                .body("find { it.id == " + id + " }.overdue", equalTo(false));
        given().auth().oauth2(reviewer()).get(STAFF + "?overdue=true").then().body("id", not(hasItem((int) id)));
    }

    /**
     * 条例第二十六条 (verify, correct, feed back): once the provider answers 已更正 on the corrected record, the
     * departments whose grants delivered that item of that record are told, naming their usage-log entries.
     */
    @Test
    void theDepartmentsThatReceivedTheItemAreToldOfTheCorrection() {
        String rid = "corrected-feed-" + UUID.randomUUID();
        int seq = given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.HUMAN_RESOURCES))
                .header("X-Request-Id", rid).get(DeliveryTest.path(FakeCatalog.POPULATION, LIU_ID)).then()
                .statusCode(200).extract().path("usageLogSeq");
        String liu = citizen("liu", LIU_ID);
        long id = file(liu, null, Map.of("resourceCode", FakeCatalog.POPULATION, "item", "HJDZ",
                "correctValue", "杭州市西湖区文三路 98 号")).then().statusCode(201).extract().jsonPath().getLong("id");
        try (var upload = CorrectedUpload.of(FakeCatalog.POPULATION, LIU_ID, "HJDZ")) {
            answer(operator(POLICE), id, Map.of("version", 0, "outcome", "CORRECTED", "reason", "已更正户籍地址"))
                    .then().statusCode(200).body("status", equalTo("CORRECTED"));
        }
        given().auth().oauth2(operator(DemoData.HUMAN_RESOURCES)).get("/api/exchange/v1/notices").then()
                .statusCode(200)
                .body("find { it.kind == 'RECORD_CORRECTED' && it.subjectId == " + id + " }.message",
                        containsString("数据项 HJDZ"))
                .body("find { it.kind == 'RECORD_CORRECTED' && it.subjectId == " + id + " }.message",
                        containsString(String.valueOf(seq)));
        // a department that received nothing of it is not told
        given().auth().oauth2(operator(DemoData.MARKET)).get("/api/exchange/v1/notices").then()
                .statusCode(200).body("findAll { it.kind == 'RECORD_CORRECTED' && it.subjectId == " + id
                        + " }.size()", equalTo(0));
    }

    @Test
    void aSupplementNeedsOnlyADescriptionAndNotCorrectingMayRestOnAnExplanation() {
        String liu = citizen("liu", LIU_ID);
        long supplement = file(liu, null, Map.of("resourceCode", FakeCatalog.POPULATION, "item", "XM",
                "description", "曾用名未登记，请补充曾用名“刘一”")).then().statusCode(201)
                .body("correctValue", nullValue()).extract().jsonPath().getLong("id");
        try (var upload = CorrectedUpload.of(FakeCatalog.POPULATION, LIU_ID, "XM")) {
            answer(operator(POLICE), supplement, Map.of("version", 0, "outcome", "SUPPLEMENTED",
                    "reason", "已补充曾用名")).then().statusCode(200).body("status", equalTo("SUPPLEMENTED"));
        }
        long refused = file(liu, null, Map.of("resourceCode", FakeCatalog.POPULATION, "item", "CSRQ",
                "correctValue", "2001-02-16")).then().statusCode(201).extract().jsonPath().getLong("id");
        answer(operator(POLICE), refused, Map.of("version", 0, "outcome", "NOT_CORRECTED",
                "reason", "出生日期与出生医学证明一致", "explanation", "经核对出生医学证明原件，出生日期为 2001 年 2 月 15 日"))
                .then().statusCode(200).body("status", equalTo("NOT_CORRECTED")).body("legalBasis", nullValue())
                .body("explanation", endsWith("2 月 15 日"));
        given().auth().oauth2(liu).get(ME).then().statusCode(200).header("X-Total-Count", Integer::parseInt,
                org.hamcrest.Matchers.greaterThanOrEqualTo(2))
                .body("find { it.id == " + supplement + " }.status", equalTo("SUPPLEMENTED"))
                .body("find { it.id == " + refused + " }.explanation", endsWith("2 月 15 日"));
        given().auth().oauth2(liu).get(ME + "?size=1").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].id", equalTo((int) refused));
    }

    /** Working days, counted in the calendar the deadlines use, and counted again when the calendar changes. */
    @Test
    void theDeadlineCountsWorkingDaysAndFollowsACalendarChange() {
        calendar.check();
        time.set(Clock.fixed(java.time.ZonedDateTime.of(2026, 12, 18, 10, 0, 0, 0, TimeSource.ZONE).toInstant(),
                TimeSource.ZONE));
        String wang = citizen("wang", WANG_ID);
        // 10 working days after Friday 18 December 2026: past two weekends and 元旦 (fixed-date, not yet noticed)
        long id = file(wang, null, Map.of("resourceCode", FakeCatalog.POPULATION, "item", "XB",
                "correctValue", "女")).then().statusCode(201).body("receivedOn", equalTo("2026-12-18"))
                .body("dueOn", equalTo("2027-01-04")).body("dueOnProvisional", equalTo(true)).extract().jsonPath()
                .getLong("id");
        try {
            FakeCatalog.putCalendarDay("2027-01-01", "holiday", "元旦");
            FakeCatalog.putCalendarDay("2027-01-04", "holiday", "元旦");
            FakeCatalog.putCalendarDay("2027-02-06", "holiday", "春节");
            FakeCatalog.putCalendarDay("2027-10-07", "holiday", "国庆节");
            calendar.check();
            given().auth().oauth2(wang).get(ME + "/" + id).then().statusCode(200).body("dueOn", equalTo("2027-01-05"))
                    .body("dueOnProvisional", equalTo(false)).body("version", equalTo(0));
            given().auth().oauth2(operator(POLICE)).get(STAFF + "/" + id + "/history").then().statusCode(200)
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.previousDueOn", equalTo("2027-01-04"))
                    .body("find { it.action == 'RECOUNT_DEADLINE' }.details.dueOn", equalTo("2027-01-05"));
            // the requester sees the recount too, as the exchange's step on the 数源部门's deadline
            given().auth().oauth2(wang).get(ME + "/" + id + "/history").then().statusCode(200)
                    .body("action", equalTo(List.of("FILE", "RECOUNT_DEADLINE")))
                    .body("[1].actor", equalTo("SYSTEM")).body("[1].department.code", equalTo(POLICE))
                    .body("[1].previousDueOn", equalTo("2027-01-04")).body("[1].dueOn", equalTo("2027-01-05"));
            given().auth().oauth2(operator(POLICE)).get("/api/exchange/v1/notices").then()
                    .body("findAll { it.kind == 'DEADLINE_RECOUNTED' }.subjectId", hasItem((int) id));
            // and is told in its own inbox, once, with the new date
            given().auth().oauth2(wang).get("/api/exchange/v1/me/notices").then().statusCode(200)
                    .body("findAll { it.kind == 'DEADLINE_RECOUNTED' && it.subjectId == " + id + " }.size()",
                            equalTo(1))
                    .body("find { it.kind == 'DEADLINE_RECOUNTED' }.message", containsString("2027-01-05"));
            try (var upload = CorrectedUpload.of(FakeCatalog.POPULATION, WANG_ID, "XB")) {
                answer(operator(POLICE), id, Map.of("version", 0, "outcome", "CORRECTED", "reason",
                        "性别录入有误，已更正")).then().statusCode(200).body("dueOn", equalTo("2027-01-05"));
            }
        } finally {
            for (String day : List.of("2027-01-01", "2027-01-04", "2027-02-06", "2027-10-07")) {
                FakeCatalog.removeCalendarDay(day);
            }
            calendar.check();
        }
        // an answered request keeps its date
        given().auth().oauth2(wang).get(ME + "/" + id).then().body("dueOn", equalTo("2027-01-05"));
    }
}
