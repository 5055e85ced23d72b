package cn.onenet.exchange.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import cn.onenet.exchange.ExchangeTestBase;
import cn.onenet.exchange.FakeCatalog;
import cn.onenet.exchange.service.CalendarService;
import cn.onenet.exchange.service.DemoData;
import cn.onenet.exchange.service.TimeSource;
import cn.onenet.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * 隐蔽查询 is bound to what the provider approved (R21): a request declares its covert use (legal basis, longest
 * hiding) at filing, the parties and the 主管部门 see the declaration, the grant issued from it permits covert use for
 * at most the declared period; a covert query under any other grant is refused (403) and nothing is delivered or
 * logged.
 */
@QuarkusTest
class CovertUseGrantTest extends ExchangeTestBase {

    @Inject
    CalendarService calendar;

    static final String API = "/api/exchange/v1";
    /** A department investigating under covert grants on 居民户籍信息 (no other test files there for it). */
    static final String INVESTIGATOR = "11330000MB00000431";
    static final String CITED = "《中华人民共和国刑事诉讼法》第一百五十条";

    /** A filing body for {@code code} that declares covert use ({@code covertUse} null: declares none). */
    static Map<String, Object> body(String code, Map<String, Object> covertUse) {
        Map<String, Object> body = new HashMap<>(RequestWorkflowTest.body(code, List.of("GMSFHM", "XM")));
        body.put("scenario", "刑事案件侦查");
        body.put("legalBasis", "《中华人民共和国刑事诉讼法》第五十四条");
        if (covertUse != null) {
            // a covert use rests on the law it cites, not on the purposes the catalogue lists (条例 Art. 15)
            body.put("purpose", "涉嫌诈骗案件侦查，核查嫌疑人身份信息");
            body.put("covertUse", covertUse);
        }
        return body;
    }

    /** Files the body as {@code dept}'s head and has the provider approve it; the grant's id. */
    static long approvedGrant(String dept, String provider, Map<String, Object> body) {
        Response filed = RequestWorkflowTest.file(operator(dept), body);
        filed.then().statusCode(201).body("status", equalTo("PENDING"));
        return given().auth().oauth2(operator(provider)).contentType(ContentType.JSON)
                .body(Map.of("version", filed.jsonPath().getInt("version"), "note", "同意共享，含所声明的隐蔽查询"))
                .post(API + "/requests/" + filed.jsonPath().getLong("id") + "/approve").then().statusCode(200)
                .body("status", equalTo("APPROVED")).extract().jsonPath().getLong("grantId");
    }

    /**
     * A grant of 公安厅's 居民户籍信息 to {@code dept}, filed declaring covert use on {@link #CITED} for the longest
     * period allowed, approved by 公安厅.
     */
    static long covertGrant(String dept) {
        return approvedGrant(dept, DemoData.POLICE, body(FakeCatalog.POPULATION, Map.of("legalBasis", CITED)));
    }

    /** A lookup by {@code dept} under {@code grant}, covert until {@code until} on {@code basis} when until is set. */
    static Response lookup(String dept, long grant, String code, String key, String requestId, LocalDate until,
            String basis) {
        RequestSpecification call = given().urlEncodingEnabled(false).auth().oauth2(operator(dept))
                .header("X-Grant-Id", grant).header("X-Request-Id", requestId);
        if (until != null) {
            call = call.header("X-Covert-Until", until.toString()).header("X-Covert-Legal-Basis",
                    URLEncoder.encode(basis, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return call.get(DeliveryTest.path(code, key));
    }

    /** A fresh conditional entry of the test provider holding one record of a person nobody else's test uses. */
    String conditionalEntryWithRecord(String code, String id) {
        FakeCatalog.add("PUBLISHED", code, "测试隐蔽查询 " + code, ReclassificationTest.PROVIDER, "CONDITIONAL",
                "LEVEL_3", "GMSFHM", List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true),
                        Map.of("code", "ZY", "name", "职业", "sensitive", false)));
        replica.pollOnce();
        ReclassificationTest.push(code, id, "林默").then().statusCode(201);
        return id;
    }

    static List<String> accessesOf(String id) {
        return given().auth().oauth2(TestTokens.citizen("cov-" + id, id, AUD)).get(CitizenAccessPagingTest.MINE)
                .then().statusCode(200).extract().jsonPath().getList("requestId");
    }

    /** The request ids of the usage-log entries on {@code code}. */
    static List<String> loggedRequestIds(String code) {
        return given().urlEncodingEnabled(true).auth().oauth2(auditor()).queryParam("resourceCode", code)
                .queryParam("exactResourceCode", true).queryParam("limit", 200).get(API + "/usage-log").then()
                .statusCode(200).extract().jsonPath().getList("requestId");
    }

    @Test
    void aDeclaredCovertUseIsSeenApprovedWithTheRequestAndHidesTheQueryUntilItsDate() {
        String code = "330000-01-02/900431";
        String consumer = "11330000MB00000432";
        String id = conditionalEntryWithRecord(code, CitizenAccessPagingTest.idNumber());
        Response filed = RequestWorkflowTest.file(operator(consumer),
                body(code, Map.of("legalBasis", CITED, "maxPeriod", "P3M")));
        filed.then().statusCode(201).body("status", equalTo("PENDING")).body("covertUse.legalBasis", equalTo(CITED))
                .body("covertUse.maxPeriod", equalTo("P3M"));
        long request = filed.jsonPath().getLong("id");
        // the consumer, the provider that decides and the 主管部门 see what covert use is asked for
        for (String token : List.of(operator(consumer), operator(ReclassificationTest.PROVIDER), reviewer(), admin(),
                auditor())) {
            given().auth().oauth2(token).get(API + "/requests/" + request).then().statusCode(200)
                    .body("covertUse.legalBasis", equalTo(CITED)).body("covertUse.maxPeriod", equalTo("P3M"));
        }
        given().auth().oauth2(operator(ReclassificationTest.PROVIDER)).get(API + "/requests/" + request + "/history")
                .then().statusCode(200).body("find { it.action == 'FILE' }.details.covertUse.legalBasis",
                        equalTo(CITED))
                .body("find { it.action == 'FILE' }.details.covertUse.maxPeriod", equalTo("P3M"));

        long grant = given().auth().oauth2(operator(ReclassificationTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", filed.jsonPath().getInt("version"), "note", "同意，含隐蔽查询"))
                .post(API + "/requests/" + request + "/approve").then().statusCode(200).extract().jsonPath()
                .getLong("grantId");
        for (String token : List.of(operator(consumer), operator(ReclassificationTest.PROVIDER), auditor())) {
            given().auth().oauth2(token).get(API + "/grants/" + grant).then().statusCode(200)
                    .body("covertUsePermitted", equalTo(true)).body("covertUse.legalBasis", equalTo(CITED))
                    .body("covertUse.maxPeriod", equalTo("P3M"));
        }

        LocalDate today = LocalDate.now(TimeSource.ZONE);
        String plain = "plain-" + UUID.randomUUID();
        String covert = "covert-" + UUID.randomUUID();
        lookup(consumer, grant, code, id, plain, null, null).then().statusCode(200);
        lookup(consumer, grant, code, id, covert, today.plusDays(30), "《刑事诉讼法》第一百五十条（案件 2026-17）").then()
                .statusCode(200);
        List<String> seen = accessesOf(id);
        assertTrue(seen.contains(plain), seen.toString());
        assertFalse(seen.contains(covert), "the covert query is shown before its date: " + seen);
        // the 主管部门's auditors see the hiding
        given().auth().oauth2(auditor()).queryParam("department", consumer).queryParam("size", 200)
                .get(API + "/usage-log/covert-hidings").then().statusCode(200)
                .body("hidings.find { it.requestId == '" + covert + "' }.hiddenUntil",
                        equalTo(today.plusDays(30).toString()));
    }

    @Test
    void aCovertUseDeclaredOnUnconditionalDataWaitsForTheProvidersReviewInsteadOfBeingGrantedByRule() {
        String code = "330000-01-02/900433";
        String consumer = "11330000MB00000437";
        FakeCatalog.add("PUBLISHED", code, "测试无条件共享的隐蔽查询 " + code, ReclassificationTest.PROVIDER,
                "UNCONDITIONAL", "LEVEL_3", "GMSFHM",
                List.of(Map.of("code", "GMSFHM", "name", "公民身份号码", "sensitive", true),
                        Map.of("code", "XM", "name", "姓名", "sensitive", true)));
        replica.pollOnce();
        // without a covert declaration the rule grants at once
        RequestWorkflowTest.file(operator("11330000MB00000438"), body(code, null)).then().statusCode(201)
                .body("status", equalTo("GRANTED"));

        Response filed = RequestWorkflowTest.file(operator(consumer), body(code, Map.of("legalBasis", CITED)));
        filed.then().statusCode(201).body("status", equalTo("PENDING")).body("grantId", nullValue())
                .body("covertUse.legalBasis", equalTo(CITED)).body("shareAttribute", equalTo("UNCONDITIONAL"));
        long request = filed.jsonPath().getLong("id");
        // reviewed, and still due as 无条件共享 data is (条例第二十一条): 1 working day, not 10
        LocalDate received = LocalDate.parse(filed.jsonPath().getString("receivedOn"));
        assertEquals(calendar.calendar().addWorkingDays(received, 1).toString(), filed.jsonPath().getString("dueOn"));
        given().auth().oauth2(operator(consumer)).get(API + "/requests/" + request + "/history").then()
                .statusCode(200).body("find { it.action == 'FILE' }.details.reviewedForCovertUse", equalTo(true))
                .body("find { it.action == 'FILE' }.details.path", equalTo("UNCONDITIONAL"));
        given().auth().oauth2(operator(ReclassificationTest.PROVIDER)).get(API + "/notices").then().statusCode(200)
                .body("findAll { it.subjectId == " + request + " }.kind", hasItem("REQUEST_RECEIVED"));

        // the provider approves the covert use; the grant keeps the rule's basis and permits it
        long grant = given().auth().oauth2(operator(ReclassificationTest.PROVIDER)).contentType(ContentType.JSON)
                .body(Map.of("version", filed.jsonPath().getInt("version"), "note", "同意，含隐蔽查询"))
                .post(API + "/requests/" + request + "/approve").then().statusCode(200)
                .body("status", equalTo("APPROVED")).extract().jsonPath().getLong("grantId");
        given().auth().oauth2(operator(consumer)).get(API + "/grants/" + grant).then().statusCode(200)
                .body("covertUsePermitted", equalTo(true)).body("basis", equalTo("无条件共享"));
    }

    @Test
    void aGrantWhoseRequestDeclaredNoCovertUseRefusesACovertQueryAndNothingIsDeliveredOrLogged() {
        String code = "330000-01-02/900432";
        String consumer = "11330000MB00000433";
        String id = conditionalEntryWithRecord(code, CitizenAccessPagingTest.idNumber());
        long grant = approvedGrant(consumer, ReclassificationTest.PROVIDER, body(code, null));
        given().auth().oauth2(operator(consumer)).get(API + "/grants/" + grant).then().statusCode(200)
                .body("covertUsePermitted", equalTo(false)).body("covertUse", nullValue());

        String covert = "covert-" + UUID.randomUUID();
        Response refused = lookup(consumer, grant, code, id, covert, LocalDate.now(TimeSource.ZONE).plusDays(30),
                CITED);
        refused.then().statusCode(403).contentType("application/problem+json").body("field", equalTo("X-Covert-Until"))
                .body("grantId", equalTo((int) grant)).body("covertUsePermitted", equalTo(false));
        assertFalse(refused.asString().contains("林默"), refused.asString());
        assertTrue(refused.jsonPath().getString("detail").contains("不允许隐蔽查询")
                && refused.jsonPath().getString("detail").contains("does not permit covert use"),
                refused.jsonPath().getString("detail"));
        assertFalse(loggedRequestIds(code).contains(covert), "a refused covert query was logged");
        given().auth().oauth2(auditor()).queryParam("department", consumer).get(API + "/usage-log/covert-hidings")
                .then().statusCode(200).body("total", equalTo(0));
        // the same grant still answers plain lookups, which the citizen sees
        String plain = "plain-" + UUID.randomUUID();
        lookup(consumer, grant, code, id, plain, null, null).then().statusCode(200);
        assertTrue(loggedRequestIds(code).contains(plain));
        assertEquals(List.of(plain), accessesOf(id));

        // the demo grants were filed declaring nothing: 人社厅's grant on 居民户籍信息 refuses covert queries too
        given().urlEncodingEnabled(false).auth().oauth2(operator(DemoData.HUMAN_RESOURCES))
                .header("X-Covert-Until", LocalDate.now(TimeSource.ZONE).plusDays(30).toString())
                .header("X-Covert-Legal-Basis", URLEncoder.encode(CITED, StandardCharsets.UTF_8))
                .get(DeliveryTest.path(FakeCatalog.POPULATION, "330282196509230044")).then().statusCode(403)
                .body("field", equalTo("X-Covert-Until"));
    }

    @Test
    void anInvalidDeclarationIsRefusedNamingTheFieldAndNothingIsFiled() {
        String consumer = "11330000MB00000434";
        Object[][] declarations = { { Map.of(), "covertUse.legalBasis" },
                { Map.of("legalBasis", "  "), "covertUse.legalBasis" },
                { Map.of("legalBasis", "依法办案需要保密"), "covertUse.legalBasis" },
                { Map.of("legalBasis", "《法》"), "covertUse.legalBasis" },
                { Map.of("legalBasis", CITED, "maxPeriod", "P1Y1D"), "covertUse.maxPeriod" },
                { Map.of("legalBasis", CITED, "maxPeriod", "P2Y"), "covertUse.maxPeriod" },
                { Map.of("legalBasis", CITED, "maxPeriod", "P0D"), "covertUse.maxPeriod" },
                { Map.of("legalBasis", CITED, "maxPeriod", "P-1M"), "covertUse.maxPeriod" },
                { Map.of("legalBasis", CITED, "maxPeriod", "six months"), "covertUse.maxPeriod" } };
        for (Object[] d : declarations) {
            @SuppressWarnings("unchecked")
            Map<String, Object> declaration = (Map<String, Object>) d[0];
            RequestWorkflowTest.file(operator(consumer), body(FakeCatalog.POPULATION, declaration)).then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo(d[1]))
                    .body("errors.field", equalTo(List.of(d[1])));
        }
        // both wrong: both named
        RequestWorkflowTest.file(operator(consumer), body(FakeCatalog.POPULATION,
                Map.of("legalBasis", "根据有关规定", "maxPeriod", "P13M"))).then().statusCode(400)
                .body("errors.field", equalTo(List.of("covertUse.legalBasis", "covertUse.maxPeriod")));
        given().auth().oauth2(operator(consumer)).queryParam("side", "consumer").get(API + "/requests").then()
                .statusCode(200).header(GrantResource.TOTAL_COUNT, "0");
        // the longest allowed, and a basis citing an article only, are accepted
        RequestWorkflowTest.file(operator(consumer), body(FakeCatalog.POPULATION,
                Map.of("legalBasis", "Criminal Procedure Law, Article 150", "maxPeriod", "P1Y"))).then()
                .statusCode(201).body("covertUse.maxPeriod", equalTo("P1Y"));
    }

    @Test
    void aCovertQueryIsHiddenNoLongerThanTheGrantsDeclaredPeriod() {
        String consumer = "11330000MB00000435";
        long grant = approvedGrant(consumer, DemoData.POLICE,
                body(FakeCatalog.POPULATION, Map.of("legalBasis", CITED, "maxPeriod", "P1M")));
        LocalDate today = LocalDate.now(TimeSource.ZONE);
        String tooLong = "covert-" + UUID.randomUUID();
        lookup(consumer, grant, FakeCatalog.POPULATION, "330282196509230044", tooLong, today.plusMonths(1).plusDays(1),
                CITED).then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("X-Covert-Until"));
        assertFalse(loggedRequestIds(FakeCatalog.POPULATION).contains(tooLong));
        lookup(consumer, grant, FakeCatalog.POPULATION, "330282196509230044", "covert-" + UUID.randomUUID(),
                today.plusMonths(1), CITED).then().statusCode(200);
    }

    @Test
    void anOperatorsDeclarationWaitsWithTheRequestForItsHeadAndReachesTheProvider() {
        String consumer = "11330000MB00000436";
        // filed by an operator for its head: the declaration waits with the request and reaches the provider
        Response waiting = RequestWorkflowTest.file(operatorOnly("op-only-" + consumer, consumer),
                body(FakeCatalog.POPULATION, Map.of("legalBasis", CITED)));
        waiting.then().statusCode(201).body("status", equalTo("AWAITING_HEAD_APPROVAL"))
                .body("covertUse.maxPeriod", equalTo("P1Y"));
        long request = waiting.jsonPath().getLong("id");
        given().auth().oauth2(operator(consumer)).get(API + "/requests/" + request + "/history").then()
                .statusCode(200).body("find { it.action == 'FILE' }.details.covertUse.legalBasis", equalTo(CITED));
        given().auth().oauth2(head("head-" + consumer, consumer, "测试负责人")).contentType(ContentType.JSON)
                .body(Map.of("version", waiting.jsonPath().getInt("version"))).post(API + "/requests/" + request
                        + "/head-approval").then().statusCode(200).body("status", equalTo("PENDING"));
        given().auth().oauth2(operator(DemoData.POLICE)).queryParam("side", "provider").queryParam("status", "PENDING")
                .queryParam("size", 200).get(API + "/requests").then().statusCode(200)
                .body("find { it.id == " + request + " }.covertUse.legalBasis", equalTo(CITED))
                .body("id", hasItem((int) request));
    }
}
