package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.FakeDepartmentRegister;
import cn.onenet.exchange.service.CorrectionService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.DepartmentRegister;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The requester of a correction request (个人信息更正补充, PIPL 第四十六条) reads how it was handled: its steps with
 * the departments that acted, never a civil servant's account or name nor the requester's number; only its own.
 */
@QuarkusTest
class CorrectionHistoryTest extends ExchangeTestBase {

    static final String POLICE = DemoData.POLICE;
    static final String ME = CorrectionTest.ME;
    static final String ZHAO_ID = "330104198807150031";
    static final String SUN_ID = "330102199203040027";

    @Inject
    TimeSource time;
    @Inject
    CorrectionService corrections;
    @Inject
    DepartmentRegister register;

    @AfterEach
    void realClockAndRegister() {
        time.set(null);
        FakeDepartmentRegister.set(FakeDepartmentRegister.provinceOnly());
        register.refresh();
    }

    /** An operator of the 数源部门 with a name in its token, as identity-service issues it. */
    static String namedOperator(String subject, String dept, String name) {
        return TestTokens.custom(Map.of("sub", subject, "aud", AUD, "roles", List.of("operator"), "dept", dept,
                "account_type", "civil_servant", "name", name));
    }

    static Response history(String token, Object id) {
        return given().auth().oauth2(token).get(ME + "/" + id + "/history");
    }

    @Test
    void theRequesterSeesTheStepsAndTheDepartmentsButNoCivilServant() {
        List<Map<String, Object>> departments = new ArrayList<>(FakeDepartmentRegister.provinceOnly());
        departments.add(FakeDepartmentRegister.department(POLICE, "浙江省公安厅", "330000", false));
        FakeDepartmentRegister.set(departments);
        assertEquals(2, register.refresh());

        String sub = "zhao-" + UUID.randomUUID();
        String zhao = CorrectionTest.citizen(sub, ZHAO_ID);
        long id = CorrectionTest.file(zhao, null, CorrectionTest.address("文三路 98 号")).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        String dueOn = given().auth().oauth2(zhao).get(ME + "/" + id).then().statusCode(200).extract().path("dueOn");

        // filed: the requester's own step, sent to the 数源部门, named
        history(zhao, id).then().statusCode(200).contentType("application/json").body("size()", equalTo(1))
                .body("[0].action", equalTo("FILE")).body("[0].actor", equalTo("REQUESTER"))
                .body("[0].status", equalTo("OPEN")).body("[0].outcome", nullValue())
                .body("[0].department.code", equalTo(POLICE)).body("[0].department.name", equalTo("浙江省公安厅"))
                .body("[0].reason", equalTo("门牌号登记错误，户口簿记载为 98 号")).body("[0].dueOn", equalTo(dueOn));

        String operator = "op-zhanghua-" + UUID.randomUUID();
        try (var upload = CorrectedUpload.of(FakeCatalog.POPULATION, ZHAO_ID, "HJDZ")) {
            CorrectionTest.answer(namedOperator(operator, POLICE, "张华"), id, Map.of("version", 0,
                    "outcome", "CORRECTED", "reason", "经核对户籍档案，门牌号录入有误，已更正为 98 号",
                    "legalBasis", "《中华人民共和国户口登记条例》第十七条")).then().statusCode(200);
        }

        Response steps = history(zhao, id);
        steps.then().statusCode(200).body("action", equalTo(List.of("FILE", "ANSWER")))
                .body("status", equalTo(List.of("OPEN", "CORRECTED")))
                .body("actor", equalTo(List.of("REQUESTER", "DEPARTMENT")))
                .body("[1].outcome", equalTo("CORRECTED"))
                .body("[1].reason", equalTo("经核对户籍档案，门牌号录入有误，已更正为 98 号"))
                .body("[1].legalBasis", equalTo("《中华人民共和国户口登记条例》第十七条"))
                .body("[1].department.code", equalTo(POLICE)).body("[1].department.name", equalTo("浙江省公安厅"));
        JsonPath json = steps.jsonPath();
        assertFalse(json.getString("[0].at").isEmpty());
        assertFalse(java.time.Instant.parse(json.getString("[1].at"))
                .isBefore(java.time.Instant.parse(json.getString("[0].at"))), steps.asString());
        // no one's account id or name: not the operator's, not the requester's, and not the requester's number
        String body = steps.asString();
        for (String hidden : List.of(operator, "张华", sub, ZHAO_ID, "op-", "actorName", "subject", "requestId")) {
            assertFalse(body.contains(hidden), hidden + " in " + body);
        }
        // the staff history, for comparison, has the operator (so the requester's view leaves something out)
        given().auth().oauth2(reviewer()).get(CorrectionTest.STAFF + "/" + id + "/history").then()
                .body("[1].actorName", equalTo("张华")).body("[1].actor.subject", equalTo(operator));
    }

    @Test
    void withoutARegisterEntryTheProviderIsNamedAsTheCatalogueNamesIt() {
        String zhao = CorrectionTest.citizen("zhao-" + UUID.randomUUID(), ZHAO_ID);
        long id = CorrectionTest.file(zhao, null, CorrectionTest.address("文三路 99 号")).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        history(zhao, id).then().statusCode(200).body("[0].department.code", equalTo(POLICE))
                .body("[0].department.name", equalTo("居民户籍信息提供部门"));
    }

    @Test
    void anOverdueRequestShowsTheEscalationToTheAuthorityAndTheAnswerToWhoeverActsForTheEnterprise() {
        String enterprise = CorrectionTest.enterprise();
        long id = CorrectionTest.file(enterprise, null, Map.of("resourceCode", FakeCatalog.ENTERPRISES,
                "item", "ZCZB", "correctValue", "500 万元")).then().statusCode(201).extract().jsonPath().getLong("id");
        LocalDate due = LocalDate.parse(given().auth().oauth2(enterprise).get(ME + "/" + id).then().statusCode(200)
                .extract().path("dueOn"));
        time.set(Clock.fixed(due.plusDays(1).atStartOfDay(TimeSource.ZONE).toInstant(), TimeSource.ZONE));
        corrections.escalateOverdue();
        CorrectionTest.answer(namedOperator("op-market-li", DemoData.MARKET, "李明"), id, Map.of("version", 0,
                "outcome", "NOT_CORRECTED", "reason", "尚未办理变更登记",
                "explanation", "经核对登记档案，注册资本仍为 300 万元")).then().statusCode(200);

        // another account acting for the same enterprise (an agent, act) reads it as the enterprise does
        String agent = CitizenViewRealNameLevelTest.agentAt(CitizenViewRealNameLevelTest.L3,
                CitizenViewRealNameLevelTest.L3);
        for (String token : List.of(enterprise, agent)) {
            Response steps = history(token, id);
            steps.then().statusCode(200).body("action", equalTo(List.of("FILE", "ESCALATE_OVERDUE", "ANSWER")))
                    .body("actor", equalTo(List.of("REQUESTER", "SYSTEM", "DEPARTMENT")))
                    .body("[1].department.code", equalTo(FakeDepartmentRegister.PROVINCE_AUTHORITY))
                    .body("[1].department.name", equalTo("浙江省大数据发展管理局"))
                    .body("[1].dueOn", equalTo(due.toString())).body("[1].status", equalTo("OPEN"))
                    .body("[2].outcome", equalTo("NOT_CORRECTED")).body("[2].legalBasis", nullValue())
                    .body("[2].explanation", equalTo("经核对登记档案，注册资本仍为 300 万元"))
                    .body("[2].department.code", equalTo(DemoData.MARKET));
            for (String hidden : List.of("李明", "op-market-li", DemoData.ENTERPRISE, "ent-complainant")) {
                assertFalse(steps.asString().contains(hidden), hidden + " in " + steps.asString());
            }
        }
    }

    @Test
    void anotherPersonsRequestIsNotFoundLikeAnUnknownIdAndStaffAreRefused() {
        String zhao = CorrectionTest.citizen("zhao-" + UUID.randomUUID(), ZHAO_ID);
        long id = CorrectionTest.file(zhao, null, CorrectionTest.address("文三路 98 号")).then().statusCode(201)
                .extract().jsonPath().getLong("id");
        history(zhao, id).then().statusCode(200);

        // another citizen, and an enterprise: the same answer as for an id that does not exist
        Response other = history(CorrectionTest.citizen("sun", SUN_ID), id);
        Response unknown = history(CorrectionTest.citizen("sun", SUN_ID), 987654321L);
        for (Response r : List.of(other, unknown, history(CorrectionTest.enterprise(), id))) {
            r.then().statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("urn:onenet:problem:not-found"));
        }
        assertEquals(other.jsonPath().getString("detail").replace(String.valueOf(id), "ID"),
                unknown.jsonPath().getString("detail").replace("987654321", "ID"));
        assertFalse(other.asString().contains(ZHAO_ID), other.asString());

        // staff read the staff endpoints, not the requester's: 403 as for /me/corrections
        for (String staff : List.of(operator(POLICE), reviewer(), admin(), auditor())) {
            history(staff, id).then().statusCode(403).contentType("application/problem+json");
        }
        // below the citizens' view's real-name level: 403 naming the level; no token 401
        String selfRegistered = CitizenViewRealNameLevelTest.citizenAt("zhao-l2", ZHAO_ID,
                CitizenViewRealNameLevelTest.L2);
        history(selfRegistered, id).then().statusCode(403)
                .body("requiredAcr", equalTo(CitizenViewRealNameLevelTest.L3));
        given().get(ME + "/" + id + "/history").then().statusCode(401);
    }

    @Test
    void anIdThatIsNotAPositiveWholeNumberIs400NamingIt() {
        String zhao = CorrectionTest.citizen("zhao-" + UUID.randomUUID(), ZHAO_ID);
        for (String bad : List.of("abc", "0", "-1", "1.5", "99999999999999999999", "%20")) {
            for (String path : List.of(ME + "/" + bad, ME + "/" + bad + "/history")) {
                given().auth().oauth2(zhao).urlEncodingEnabled(false).get(path).then().statusCode(400)
                        .contentType("application/problem+json").body("field", equalTo("id"))
                        .body("errors[0].field", equalTo("id"));
            }
        }
    }
}
